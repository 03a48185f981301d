"""Officials whose post is not in the tables: the post is kept as the text words it.

English: "<Title> <Name> of the <Organisation>" and "<Name>, <Title> of the <Organisation>"
(``Chief Cathy L. Lanier of the Metropolitan Police Department``). Spanish: a post word and what
completes it, before or after the name (``Isabel Martínez Peña, directora del Hospital Rural
Mamantel``, ``el presidente municipal de Zongolica, ingeniero Juan Carlos Mezhua Campos``).
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .extractor import Extractor
from .gazetteer import Gazetteer
from .patterns import (
    COURT_KIND,
    FORMER,
    GENERIC_POST,
    GENERIC_TITLE_EN,
    OF_ORGANISATION,
    ORG_BEFORE,
    ORG_TITLE_EN,
    STATE_OF,
)

#: What may follow a name after a Spanish post for the name to be complete.
_AFTER_POST_NAME = re.compile(r"\s*(?:[;,.:)\n]|$|\s+(?:y|quien|que)\b)")


def state_government(state: str, gaz: Gazetteer) -> str | None:
    """The government of a Mexican state or of Mexico City (never the federal one)."""
    if fold_key(state) == "ciudad de mexico":
        return gaz.agency("Gobierno de la Ciudad de México")
    return gaz.agency(f"Gobierno del Estado de {state}")


def generic_en(ex: Extractor) -> None:
    """English posts outside the tables, named with their organisation: "Chief Cathy L. Lanier
    of the Metropolitan Police Department", "Kerry A. Gilpin, Superintendent of the
    Massachusetts State Police". The post is "<title> of the <organisation>"; the agency is the
    table's when it knows the organisation, else the organisation as written."""
    claimed = ex.claimed()
    for m in GENERIC_TITLE_EN.finditer(ex.text):
        title = m.group("title")
        start, end = m.span("title")
        if FORMER.search(ex.before(start, 12)):
            continue
        # "<Title> <Name> of the <Org>"
        nm = re.match(r"[ \t]+(?=[A-Z])", ex.after(end, 3))
        if nm:
            name_start = end + nm.end()
            rank, name, name_end = ex.name_at(name_start)
            om = OF_ORGANISATION.match(ex.text, name_end) if name else None
            if om and name_start not in claimed:
                org = om.group("org")
                agency = ex.agency_in(om.start("org"), om.end("org")) or org
                ex.add(name, name_start, rank or ex.rank_before(start), f"{title} of the {org}", agency)
                claimed.add(name_start)
                continue
        # "<Name>, <Title> of the <Org>"
        om = OF_ORGANISATION.match(ex.text, end)
        found = ex.name_before(start) if om else None
        if found and found[0] not in claimed:
            name_start, rank, name = found
            org = om.group("org")
            agency = ex.agency_in(om.start("org"), om.end("org")) or org
            ex.add(name, name_start, rank or ex.rank_before(name_start), f"{title} of the {org}", agency)
            claimed.add(name_start)


def org_title_en(ex: Extractor) -> None:
    """ "<Organisation> <Title> <Name>": "Brooklyn Supreme Court Justice Evelyn LaPorte" (post
    "Supreme Court Justice": a court's kind belongs to its judges' title), "New York City Police
    Department Detective Willie Johnson" (post "Detective"). The agency is the table's when it
    knows the organisation, else the organisation as written."""
    claimed = ex.claimed()
    for m in ORG_TITLE_EN.finditer(ex.text):
        start, end = m.span("title")
        om = ORG_BEFORE.search(ex.before(start, 90))
        if not om or FORMER.search(ex.before(start - len(om.group(0)), 12)):
            continue
        org = re.sub(r"^(?:The|A)[ \t]+", "", om.group("org"))
        name_start = end + len(ex.after(end, 4)) - len(ex.after(end, 4).lstrip(" \t"))
        rank, name, _name_end = ex.name_at(name_start)
        if not name or name_start in claimed:
            continue
        court = COURT_KIND.search(org)
        post = f"{court.group(0)} {m.group('title')}" if court else m.group("title")
        org_start = start - len(om.group(0))
        agency = ex.agency_in(org_start, org_start + len(om.group("org"))) or ex.gaz.agency(org) or org
        ex.add(name, name_start, rank, post, agency)
        claimed.add(name_start)


def generic_es(ex: Extractor) -> None:
    """Spanish posts outside the tables, in the same three shapes: "Isabel Martínez Peña,
    directora del Hospital Rural Mamantel", "el presidente municipal de Zongolica, ingeniero
    Juan Carlos Mezhua Campos", "señor gobernador Mauricio Vila Dosal". The post is kept as
    written (first letter capitalised); a table post is used where the words name one."""
    claimed = ex.claimed()
    for m in GENERIC_POST.finditer(ex.text):
        start, end = m.start("post"), m.end("post")
        words, bare = m.group("post"), m.group("bare")
        if re.match(r"(?i)(?:sub)?secretaría\b", words) or FORMER.search(ex.before(start, 12)):
            continue
        phrase = words.strip()
        post = ex.gaz.post(phrase, ex.default) or (phrase[:1].upper() + phrase[1:])
        sm = STATE_OF.search(phrase) if post not in ex.gaz.posts else None
        agency = state_government(sm.group("state"), ex.gaz) if sm else ex.agency_in(start, end)
        found = ex.name_before(start)
        if found and found[0] not in claimed:
            name_start, rank, name = found
            ex.add(name, name_start, rank or ex.rank_before(name_start), post, agency, ex.feminine(start, end))
            claimed.add(name_start)
            continue
        if words == bare and ex.after(end, 1) == "," and bare[:1].islower():
            continue  # "Zoé Robledo, secretario, director del Seguro Social": a form of address
        cm = re.match(r"(?:,\s+|[ \t]+)(?:el\s+|la\s+)?", ex.after(end, 8))
        if not cm or not (cm.group(0).startswith(",") or (words == bare and ex.after(end + cm.end(), 1).isupper())):
            continue
        name_start = end + cm.end()
        rank, name, name_end = ex.name_at(name_start)
        if name and name_start not in claimed and _AFTER_POST_NAME.match(ex.after(name_end, 6)):
            ex.add(name, name_start, rank, post, agency, ex.feminine(start, end))
            claimed.add(name_start)
