"""Officials named with a post from the tables, in the shapes releases use.

- distributive lists: ``the Secretaries of Security, Alfonso Durazo; Foreign Affairs, ...``;
- "Title unit Name": ``Assistant Attorney General for National Security John C. Demers``;
- "Title Name": ``Attorney General William Barr``, ``el general Luis Cresencio Sandoval``;
- "Name, title": ``Marcelo Ebrard, secretario de Relaciones Exteriores``;
- "Title, Name": ``the Undersecretary of Public Security, Ricardo Mejía``;
- plural titles with a list: ``Trial Attorneys Robert J. Heberle and James I. Pearce of ...``.

Each form is a function ``(extractor, title start, title end, post) -> bool`` that adds the
mention and says whether it found one; ``titled`` tries them in that order of preference.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..analysis import fold_key
from .evidence import _common as common
from .evidence import is_title
from .extractor import Extractor
from .patterns import (
    AFTER_NAME_QUALIFIER,
    DISTRIBUTIVE,
    FORMER,
    HEAD_SINGULAR,
    LOCAL_SUFFIX,
    QUALIFIER,
    STATE_BEFORE,
)

#: What may follow "Title, Name" for the name to be complete.
_AFTER_TITLE_COMMA_NAME = re.compile(r"\s*(?:[;,.:)]|$|\s+(?:and|y|who|quien|said|dijo|as|como)\b)")
#: Plural titles that introduce a list of names.
_PLURAL_TITLES = ("attorney", "judge", "counsel")


def distributive(ex: Extractor) -> None:
    """``the Secretaries of Security, Alfonso Durazo; Foreign Affairs, Marcelo Ebrard; ...``"""
    for m in DISTRIBUTIVE.finditer(ex.folded):
        head = HEAD_SINGULAR[m.group("head")]
        jurisdiction = ex.jurisdiction(m.start(), m.end())
        pos = m.end()
        for segment in ex.text[m.end() : ex.sentence_end(m.start())].split(";"):
            seg_start = pos
            pos += len(segment) + 1
            sm = re.match(
                r"^\s*(?:and\s+|y\s+|e\s+)?(?P<dept>(?:the\s+|la\s+|el\s+)?[^,;]{2,60}?),\s+(?P<rest>.+?)\s*[.;]?\s*$",
                segment,
                re.S,
            )
            if not sm:
                break
            dept = sm.group("dept")
            bare = re.sub(r"^(?:the|la|el)\s+", "", dept)
            post = ex.gaz.post(f"{head} {dept}", jurisdiction) or ex.gaz.post(f"{head} {bare}", jurisdiction)
            if post is None:
                break
            rank, name, _end = ex.name_at(seg_start + sm.start("rest"))
            if not name:
                break
            ex.add(name, seg_start + sm.start("rest"), rank, post, None)


def titled(ex: Extractor) -> None:
    """ "Title unit Name", "Title Name", "Name, title" and "Title, Name", in that order of preference."""
    for m in ex.gaz.post_re.finditer(ex.folded):
        start, end = m.span()
        alias = m.group("alias")
        post = ex.gaz.post(alias, ex.jurisdiction(start, end))
        if post is None or not _is_this_post(ex, start, end):
            continue
        state = STATE_BEFORE.search(ex.before(start, 30))
        if state and alias.endswith("attorney general"):
            # "California Attorney General Xavier Becerra": a state's post, not the federal one
            state_post = f"{state.group('state')} {ex.text[start:end].strip()}"
            _title_name(ex, start, end, state_post) or _name_title(ex, start, end, state_post)
            continue
        # A lower-case single-word alias ("president") in running text is a common noun.
        if " " not in alias and ex.text[start:end].islower() and len(alias) > 3 and alias != "canciller":
            if not re.match(r"\s+[A-ZÁÉÍÓÚÑ]", ex.after(end, 2)):
                continue
        if m.group("plural"):
            if alias.endswith(_PLURAL_TITLES):
                _plural(ex, start, end, post)
            continue
        for form in FORMS:
            if form(ex, start, end, post):
                break


def _is_this_post(ex: Extractor, start: int, end: int) -> bool:
    """False where the words name something else: a ministry, a former holder, a local post."""
    # "la Secretaría de Salud" is the ministry, not its secretary (folding makes them one word)
    if re.match(r"(?i)(?:sub)?secretaría\b", ex.text[start:end]):
        return False
    # A former holder is not an official of the release ("former Assistant U.S. Attorney X").
    if FORMER.search(ex.before(start, 12)):
        return False
    # "secretaria de Salud de la Ciudad de México": a local post; the generic pattern names it.
    return not LOCAL_SUFFIX.match(ex.after(end, 40))


def _title_unit_name(ex: Extractor, start: int, end: int, post: str) -> bool:
    """ "Assistant Attorney General for National Security John C. Demers": the unit between."""
    qm = re.match(r"\s+(?:of|for)\s+(?:the\s+)?", ex.after(end, 12))
    if not qm:
        return False
    pos = end + qm.end()
    gaz = ex.gaz
    units: list[tuple[re.Pattern[str] | None, Callable[[re.Match[str]], str]]] = [
        (gaz.agency_re, lambda um: gaz.agency_alias[um.group("alias")]),
        (gaz.district_re, lambda um: gaz.districts[um.group(0)]),
        (gaz.qualifier_re, lambda um: gaz.qualifiers[um.group(0)]),
    ]
    for pattern, unit_of in units:
        um = pattern.match(ex.folded, pos) if pattern is not None else None
        if not um:
            continue
        nm = re.match(r"[ \t]+(?=[A-Z][a-z]*\.?\s+[A-Z])", ex.after(um.end(), 30))
        if not nm:
            return False  # the unit is named but no name follows it
        rank, name, _end = ex.name_at(um.end() + nm.end())
        if not name:
            return False
        ex.add(name, um.end() + nm.end(), rank or ex.rank_before(start), post, unit_of(um), ex.feminine(start, end))
        return True
    return False


def _title_name(ex: Extractor, start: int, end: int, post: str) -> bool:
    """ "Attorney General William Barr" (an acronym may stand between: "Director (FBI) ...")."""
    nm = re.match(r"[ \t]+(?:\([A-Z-]{2,12}\)[ \t]+)?(?=[A-ZÁÉÍÓÚÑ])", ex.after(end, 300))
    if not nm:
        return False
    # "District Attorney Investigator Lou Gutierrez": another title follows, so this one is only
    # part of a longer post
    following = re.match(r"[\w'’.-]+", ex.after(end + nm.end(), 40))
    if following and is_title(following.group(0)) and not ex.gaz.ranks.get(fold_key(following.group(0))):
        return False
    rank, name, name_end = ex.name_at(end + nm.end())
    if not name:
        return False
    qual = AFTER_NAME_QUALIFIER.match(ex.after(name_end, 120))
    agency = ex.agency_in(name_end, name_end + qual.end()) if qual else None
    agency = agency or _county_office(ex, start, end, post)
    ex.add(name, end + nm.end(), rank or ex.rank_before(start), post, agency, ex.feminine(start, end))
    return True


#: A county named right before a local title ("Sacramento County District Attorney Anne Marie Schubert").
_COUNTY_BEFORE = re.compile(r"(?<![\w.’'])(?P<county>(?:[A-Z][\w.'’-]*[ \t]+){0,2}[A-Z][\w.'’-]*)[ \t]+$")


#: Words that qualify a post's holder, not its office.
_POST_QUALIFIERS = frozenset("Acting Interim Then Former Elected Newly".split())


def _county_office(ex: Extractor, start: int, end: int, post: str) -> str | None:
    """The office a county names before a local post: the table's ("Orange County District
    Attorney"), else the county's office of the post's kind ("Sacramento County District
    Attorney's Office"), so the post is not taken for the publisher's own office."""
    known = ex.gaz.posts.get(post)
    if not known or not known.office_kind:
        return None
    cm = _COUNTY_BEFORE.search(ex.before(start, 60))
    # a place is capitalised words that are no title and no word the release writes in lower case
    # ("Contra Costa", "Sacramento County"; not "The", "Acting", "Senior")
    words = cm.group("county").split() if cm else []
    while words and words[0] in _POST_QUALIFIERS:
        words = words[1:]  # "Acting Brooklyn District Attorney"
    if not words or any(is_title(w) or w in ("The", "A", "An") or common(w, ex.common) for w in words):
        return None
    county = " ".join(words)
    office = f"{county} {' '.join(w[:1].upper() + w[1:] for w in known.office_kind.split())}"
    return ex.gaz.agency(f"{county} {ex.text[start:end]}") or ex.gaz.agency(office) or office


def _name_title(ex: Extractor, start: int, end: int, post: str) -> bool:
    """ "Marcelo Ebrard, secretario de Relaciones Exteriores"."""
    found = ex.name_before(start)
    if not found:
        return False
    name_start, rank, name = found
    qual = QUALIFIER.match(ex.after(end, 100) + ",")
    agency = ex.agency_in(end, end + qual.end()) if qual else None
    ex.add(name, name_start, rank or ex.rank_before(name_start), post, agency, ex.feminine(start, end))
    return True


def _title_comma_name(ex: Extractor, start: int, end: int, post: str) -> bool:
    """ "the Undersecretary of Public Security, Ricardo Mejía" (a qualifier may come between)."""
    after = ex.after(end, 300)
    qual = QUALIFIER.match(after)
    qend = qual.end() if qual else 0
    cm = re.match(r",\s+(?:the\s+|el\s+|la\s+)?", after[qend:])
    if not cm:
        return False
    name_start = end + qend + cm.end()
    rank, name, name_end = ex.name_at(name_start)
    if not name or not _AFTER_TITLE_COMMA_NAME.match(ex.after(name_end, 8)):
        return False
    agency = ex.agency_in(end, end + qend) if qend else None
    ex.add(name, name_start, rank, post, agency, ex.feminine(start, end))
    return True


#: The singular forms, in order of preference.
FORMS = (_title_unit_name, _title_name, _name_title, _title_comma_name)


def _plural(ex: Extractor, start: int, end: int, post: str) -> None:
    """ "Trial Attorneys Robert J. Heberle and James I. Pearce of the Public Integrity Section"."""
    nm = re.match(r"[ \t]+(?=[A-Z])", ex.after(end, 3))
    if not nm:
        return
    names, list_end = ex.names_list(end + nm.end())
    qual = AFTER_NAME_QUALIFIER.match(ex.after(list_end, 120)) if names else None
    agency = ex.agency_in(list_end, list_end + qual.end()) if qual else None
    for name, name_start, rank in names:
        ex.add(name, name_start, rank or ex.rank_before(start), post, agency, ex.feminine(start, end))
