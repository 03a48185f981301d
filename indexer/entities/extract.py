"""Officials, their posts and agencies, found in one release's text and metadata.

``extract_entities`` runs the patterns over the body (``titles``, ``speakers``, ``generic``),
merges the mentions of one person into one official, and gathers the release's agencies.

A title that exists in several governments (``Attorney General``) is resolved by jurisdiction:
an explicit qualifier (``US Attorney General``), else a cue earlier in the sentence
(``attended for Mexico by ...``), else the publisher's or the language's government.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..analysis import fold_same_length
from .contacts import contact_blocks
from .extractor import Extractor, Mention
from .gazetteer import UNIT_KINDS, Gazetteer, gazetteer, normalize_aliases
from .generic import generic_en, generic_es, org_title_en
from .people import canonical_person, name_tokens, person_by_surname, same_person
from .speakers import speaker_labels
from .titles import distributive, titled


@dataclass
class Official:
    """One person named in a release with the post they hold there.

    ``feminine`` is the holder's grammatical gender where Spanish text shows it (``la
    secretaria``, ``directora``, ``la fiscal``), else None; the canonical post stays one per
    office, and ``role_label`` gives the label that agrees with the holder.
    """

    name: str
    rank: str | None = None
    role: str | None = None
    agency: str | None = None
    feminine: bool | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The ``{name, rank, role, agency}`` record of the JSON contracts."""
        return {"name": self.name, "rank": self.rank, "role": self.role, "agency": self.agency}

    def role_label(self, gaz: Gazetteer | None = None) -> dict[str, str] | None:
        """``{"en", "es"}`` labels of the post, the Spanish one feminine when the holder is
        (``Secretario de Energía`` -> ``Secretaria de Energía``); None without a post."""
        if not self.role:
            return None
        return (gaz or gazetteer()).role_label(self.role, bool(self.feminine))


@dataclass
class Entities:
    """What extraction found in one release."""

    officials: list[Official] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)

    @property
    def roles(self) -> list[str]:
        """The distinct posts of the officials, in order of appearance."""
        return list(dict.fromkeys(o.role for o in self.officials if o.role))


def merge_mentions(mentions: list[Mention], gaz: Gazetteer) -> list[Official]:
    """One official per person: mentions of one person are merged, the fullest facts kept."""
    people: list[list[Mention]] = []
    for m in sorted(mentions, key=lambda x: x.start):
        for group in people:
            if any(same_person(m.name, g.name) for g in group):
                group.append(m)
                break
        else:
            people.append([m])
    officials: list[Official] = []
    for group in people:
        longest = max(group, key=lambda g: (len(name_tokens(g.name)), any(c.islower() for c in g.name)))
        if len(name_tokens(longest.name)) < 2 or len(longest.name.split()) < 2:
            # A bare surname is too weak to name a person, unless it comes with a post and names
            # one known person only ("Attorney General Sessions", "el almirante Ojeda").
            known = person_by_surname(longest.name, gaz) if any(g.post for g in group) else None
            if not known:
                continue
            longest = Mention(known, longest.start, longest.rank, longest.post, longest.agency)
        name = canonical_person(longest.name, gaz)
        post = next((g.post for g in group if g.post in gaz.posts), None) or next(
            (g.post for g in group if g.post), None
        )
        agency = next((g.agency for g in group if g.post == post and g.agency), None) or next(
            (g.agency for g in group if g.agency), None
        )
        rank = next((g.rank for g in group if g.rank), None)
        feminine = next((g.feminine for g in group if g.feminine is not None), None)
        officials.append(Official(name=name, rank=rank, role=post, agency=agency, feminine=feminine))
    return officials


def _districts_named(folded: str, gaz: Gazetteer) -> list[str]:
    """US Attorneys' Offices whose district the text names ("the Southern District of Florida")."""
    if gaz.district_re is None:
        return []
    return [gaz.districts[m.group(0)] for m in gaz.district_re.finditer(normalize_aliases(folded))]


def _resolve_units(officials: list[Official], named: list[str], gaz: Gazetteer) -> None:
    """An official left with only the post's own agency ("United States Attorney Channing D.
    Phillips": the US Attorneys) gets the unit when the post sits in one (``unit`` in posts.json)
    and the release names exactly one unit of that kind (one district, one DOJ division)."""
    for o in officials:
        post = gaz.posts.get(o.role or "")
        if not post or not post.unit or o.agency != post.agency:
            continue
        is_unit = UNIT_KINDS[post.unit]
        units = {a for a in named if is_unit(a) and a in gaz.agencies and gaz.agencies[a].parent == post.agency}
        if len(units) == 1:
            o.agency = units.pop()


def _publisher_offices(officials: list[Official], publishers: list[str], gaz: Gazetteer) -> None:
    """A local post with no office in the text ("Deputy District Attorney Jennifer Malone") is
    held in the publisher's office when the publisher is an office of the post's kind (posts.json
    ``office_kind``, agencies.json ``kind``): a county prosecutor's release names its own staff."""
    for o in officials:
        post = gaz.posts.get(o.role or "")
        if o.agency or not post or not post.office_kind:
            continue
        own = [p for p in publishers if p in gaz.agencies and gaz.agencies[p].kind == post.office_kind]
        if len(own) == 1:
            o.agency = own[0]


def default_jurisdiction(publisher_agencies: list[str], lang: str | None, gaz: Gazetteer) -> str | None:
    """The government a release speaks for: its publisher's, else Mexico for Spanish text and the
    United States for English text (sentence cues such as "for Mexico" still override it)."""
    for name in publisher_agencies:
        agency = gaz.agencies.get(name)
        if agency:
            return agency.jurisdiction
    if lang == "es":
        return "MX"
    if lang == "en":
        return "US"
    return None


def split_publisher(publisher: str | None) -> list[str]:
    """``"Presidencia de la República / Secretaría de Salud"`` -> two publishers."""
    if not publisher:
        return []
    return [p.strip() for p in re.split(r"\s+/\s+", publisher) if p.strip()]


def text_agencies(text: str, gaz: Gazetteer, folded: str | None = None) -> list[str]:
    """Agencies named in the text by alias (any case, accents optional) or by acronym (exact case)."""
    folded = normalize_aliases(folded if folded is not None else fold_same_length(text))
    found = [gaz.agency_alias[m.group("alias")] for m in gaz.agency_re.finditer(folded)]
    found += [gaz.acronyms[m.group("acronym")] for m in gaz.acronym_re.finditer(text)]
    return list(dict.fromkeys(found))


def extract_entities(
    title: str,
    body: str,
    lang: str | None = None,
    publisher: str | None = None,
    components: list[str] | None = None,
    written: str | None = None,
) -> Entities:
    """Officials (with rank, post and agency) and agencies of one release.

    ``components`` is metadata such as DOJ's own unit tags; pass None to measure the text alone.
    ``body`` is what extraction reads (page chrome blanked); ``written``, the body as written,
    is read only for the release's contact block.
    """
    gaz = gazetteer()
    publishers = [gaz.agency(p) or p for p in split_publisher(publisher)]
    default = default_jurisdiction(publishers, lang, gaz)
    spanish = lang == "es" or (lang is None and default == "MX")
    publisher = next((p for p in publishers if p in gaz.agencies), None)
    ex = Extractor(gaz, body, default, spanish, publisher)
    patterns = [distributive, titled, speaker_labels]
    patterns += [generic_es] if spanish else [generic_en, org_title_en]
    for pattern in patterns:
        pattern(ex)
    contact_blocks(ex, written)
    officials = merge_mentions(ex.mentions, gaz)
    agencies: list[str] = list(publishers)
    agencies += [gaz.agency(c) or c for c in components or []]
    named = text_agencies(title, gaz) + text_agencies(body, gaz, ex.folded)
    agencies += named
    _resolve_units(officials, named + _districts_named(ex.folded, gaz), gaz)
    _publisher_offices(officials, publishers, gaz)
    agencies += [o.agency for o in officials if o.agency]
    # In its own department's releases a post speaks for its office: DOJ tags a release in which
    # the Attorney General is quoted with "Office of the Attorney General".
    agencies += [
        gaz.posts[o.role].office
        for o in officials
        if o.role in gaz.posts and gaz.posts[o.role].office and gaz.posts[o.role].agency in publishers
    ]
    agencies += [name for name, within, cue in gaz.implied if within in agencies and cue.search(body)]
    return Entities(officials=officials, agencies=list(dict.fromkeys(a for a in agencies if a)))
