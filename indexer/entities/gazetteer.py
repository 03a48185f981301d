"""The tables behind extraction: agencies, posts, ranks and people, with their aliases.

``indexer/data/`` holds them as plain JSON: ``agencies.json`` (canonical agencies with an English
and a Spanish label and their aliases), ``posts.json`` (canonical posts, each tied to a
jurisdiction and usually an agency), ``ranks.json`` (rank words kept apart from the post) and
``people.json`` (one canonical display form per known person, with variant spellings).
Loading checks them for conflicts and builds the matchers extraction uses.

Aliases are compared through one normaliser, ``alias_key``: folded, without a leading article,
``U.S.`` as ``us`` and ``'s`` as ``s``.

>>> alias_key("the U.S. Attorney's Office")
'us attorneys office'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..analysis import fold_key, trie_pattern
from .gender import FEMININE, feminine_label

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TABLES = ("agencies.json", "posts.json", "ranks.json", "people.json")
#: Bump when the extraction code changes meaning; the tables' hash is added automatically.
EXTRACTOR_CODE_VERSION = 3
#: ``unit`` of a post in posts.json -> which agencies under the post's agency are such units.
UNIT_KINDS = {"district": lambda name: name.startswith("USAO - "), "division": lambda name: name.endswith(" Division")}


def normalize_aliases(folded: str) -> str:
    """Folded text in the form aliases are matched in: ``u.s.`` -> ``us``, ``'s`` -> ``s``."""
    return folded.replace("u.s.", "us").replace("'s", "s")


def alias_key(alias: str) -> str:
    """The lookup key of an alias in any language: folded, no leading article, ``normalize_aliases``."""
    return normalize_aliases(re.sub(r"^(?:the|el|la|los|las)\s+", "", fold_key(alias)))


@dataclass(frozen=True)
class Agency:
    name: str
    en: str
    es: str
    jurisdiction: str
    parent: str | None = None
    kind: str | None = None  # what sort of office it is ("district attorney's office")


@dataclass(frozen=True)
class Post:
    name: str
    en: str
    es: str
    jurisdiction: str
    agency: str | None
    office: str | None = None  # the unit the holder heads inside ``agency`` (DOJ tags releases with it)
    fixed_agency: bool = False  # a qualifier does not change it ("Judge X of the Northern District of Illinois")
    unit: str | None = None  # "district" or "division": the holder sits in one unit of ``agency``
    #: A local post held in many offices of one kind (a county's District Attorney): with no office
    #: in the text, the release's publisher when it is an office of that kind.
    office_kind: str | None = None


class TableError(ValueError):
    """The alias tables are inconsistent; the message names the alias and both entries."""


def _spanish_variants(alias: str) -> list[str]:
    """The alias plus its feminine form when it starts with a Spanish post word."""
    head, _, rest = alias.partition(" ")
    fem = FEMININE.get(fold_key(head))
    if fem and fem != head.lower():
        return [alias, (fem.capitalize() if head[0].isupper() else fem) + (" " + rest if rest else "")]
    return [alias]


def check_tables(agencies: list[dict], posts: list[dict]) -> list[str]:
    """Conflicts in the tables: an alias that names two agencies, or two posts of one jurisdiction."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for a in agencies:
        for alias in [a["name"], *a.get("aliases", []), *a.get("acronyms", [])]:
            key = alias if alias in a.get("acronyms", []) else alias_key(alias)
            if key in seen and seen[key] != a["name"]:
                problems.append(f"agency alias {alias!r} names both {seen[key]!r} and {a['name']!r}")
            seen[key] = a["name"]
    names = {a["name"] for a in agencies}
    qualifiers: dict[str, str] = {}
    for a in agencies:
        if a.get("implied_by") and a["implied_by"]["agency"] not in names:
            problems.append(f"agency {a['name']!r} is implied by an unknown agency {a['implied_by']['agency']!r}")
        for q in a.get("qualifiers", []):
            if qualifiers.setdefault(alias_key(q), a["name"]) != a["name"]:
                problems.append(f"qualifier {q!r} names both {qualifiers[alias_key(q)]!r} and {a['name']!r}")
    seen_posts: dict[tuple[str, str], str] = {}
    for p in posts:
        for key in ("agency", "office"):
            if p.get(key) and p[key] not in names:
                problems.append(f"post {p['name']!r} names an unknown {key} {p[key]!r}")
        if p.get("office_kind") and p["office_kind"] not in {a.get("kind") for a in agencies}:
            problems.append(f"post {p['name']!r} is held in an office kind no agency has: {p['office_kind']!r}")
        if p.get("unit") and p["unit"] not in UNIT_KINDS:
            problems.append(f"post {p['name']!r} has an unknown unit kind {p['unit']!r}")
        for alias in [p["name"], *p.get("aliases", [])]:
            for variant in _spanish_variants(alias):
                key = (alias_key(variant), p["jurisdiction"])
                if key in seen_posts and seen_posts[key] != p["name"]:
                    problems.append(
                        f"post alias {variant!r} ({p['jurisdiction']}) names both {seen_posts[key]!r} and {p['name']!r}"
                    )
                seen_posts[key] = p["name"]
    return problems


def _read_json(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _alternation(keys: Iterable[str]) -> str:
    return trie_pattern(k for k in keys if k)


class Gazetteer:
    """The loaded tables, with the matchers built from them."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        raw = {name: _read_json(data_dir / name) for name in TABLES}
        problems = check_tables(raw["agencies.json"], raw["posts.json"])
        if problems:
            raise TableError("; ".join(problems))
        digest = hashlib.sha1(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:10]
        self.version = f"{EXTRACTOR_CODE_VERSION}-{digest}"
        self._load_agencies(raw["agencies.json"])
        self._load_posts(raw["posts.json"])
        self._load_ranks(raw["ranks.json"])
        self.people: dict[str, str] = {}  # folded variant -> canonical display name
        self.people_crawled: dict[str, str] = {}  # a variant as a lossy crawl writes it -> canonical
        for person in raw["people.json"]:
            for alias in [person["name"], *person["aliases"]]:
                self.people[fold_key(alias)] = person["name"]
                crawled = "".join(c for c in alias if c.isascii() and c != "'")
                self.people_crawled.setdefault(fold_key(crawled), person["name"])
        self._build_matchers(raw["agencies.json"])

    def _load_agencies(self, rows: list[dict]) -> None:
        self.agencies: dict[str, Agency] = {}
        self.agency_alias: dict[str, str] = {}  # alias key -> canonical name
        self.acronyms: dict[str, str] = {}  # case-sensitive acronym -> canonical name
        self.districts: dict[str, str] = {}  # "southern district of florida" -> USAO name
        for a in rows:
            self.agencies[a["name"]] = Agency(
                a["name"], a["en"], a["es"], a["jurisdiction"], a.get("parent"), a.get("kind")
            )
            for alias in [a["name"], a["en"], a["es"], *a.get("aliases", [])]:
                self.agency_alias.setdefault(alias_key(re.sub(r"\s*\([^)]*\)$", "", alias)), a["name"])
                self.agency_alias.setdefault(alias_key(alias), a["name"])
            for acr in a.get("acronyms", []):
                self.acronyms[acr] = a["name"]
            if a.get("district"):
                self.districts[alias_key(a["district"])] = a["name"]
        # Each agency's parents, nearest first; how deep it sits is how many it has.
        self.ancestors: dict[str, tuple[str, ...]] = {}
        for name in self.agencies:
            chain: list[str] = []
            parent = self.agencies[name].parent
            while parent in self.agencies and parent != name and parent not in chain:
                chain.append(parent)
                parent = self.agencies[parent].parent
            self.ancestors[name] = tuple(chain)

    def _load_posts(self, rows: list[dict]) -> None:
        self.posts: dict[str, Post] = {}
        self.post_alias: dict[str, dict[str, str]] = {}  # alias key -> {jurisdiction: post}
        for p in rows:
            self.posts[p["name"]] = Post(
                p["name"],
                p["en"],
                p["es"],
                p["jurisdiction"],
                p.get("agency"),
                p.get("office"),
                p.get("fixed_agency", False),
                p.get("unit"),
                p.get("office_kind"),
            )
            for alias in [p["name"], p["en"], p["es"], *p.get("aliases", [])]:
                for variant in _spanish_variants(alias):
                    self.post_alias.setdefault(alias_key(variant), {}).setdefault(p["jurisdiction"], p["name"])

    def _load_ranks(self, rows: list[dict]) -> None:
        self.ranks: dict[str, str] = {}  # folded rank word -> canonical rank
        for r in rows:
            for alias in [r["name"], *r["aliases"]]:
                self.ranks[fold_key(alias)] = r["name"]
        self.rank_labels = {r["name"]: {"en": r["en"], "es": r["es"]} for r in rows}
        surface = sorted({alias for r in rows for alias in [r["name"], *r["aliases"]]}, key=len, reverse=True)
        self.rank_re = re.compile(rf"(?:(?<=\s)|^)(?:{'|'.join(re.escape(k) for k in surface)})\s+$")

    def _build_matchers(self, agency_rows: list[dict]) -> None:
        """Regular expressions over folded text (``normalize_aliases`` applied) for every alias."""
        # Text keeps "u.s." (folding does not touch it); the keys say "us": match both spellings.
        post_keys = set(self.post_alias) | {re.sub(r"\bus\b", "u.s.", k) for k in self.post_alias}
        # "Trial Attorneys X and Y": an English title in the plural introduces a list of names.
        self.post_re = re.compile(rf"(?<![\w.])(?P<alias>{_alternation(post_keys)})(?P<plural>s)?(?![\w])")
        agency_keys = [k for k in self.agency_alias if len(k) > 3]
        # "Criminal Division's Fraud Section" arrives as "Criminal Divisions" where the crawl lost
        # the apostrophe.
        self.agency_re = re.compile(rf"(?<![\w.])(?P<alias>{_alternation(agency_keys)})s?(?![\w])")
        # What follows a title names its unit without being the unit's name:
        # "Assistant Attorney General for National Security" -> National Security Division.
        self.qualifiers: dict[str, str] = {}
        for a in agency_rows:
            for q in a.get("qualifiers", []):
                self.qualifiers[alias_key(q)] = a["name"]
        self.qualifier_re = re.compile(rf"(?:{_alternation(self.qualifiers)})(?![\w])") if self.qualifiers else None
        # A unit the text implies: a section named only through the laws it enforces, in a text
        # that names its division ("hate crime" + "Civil Rights Division" -> its Criminal Section).
        self.implied: list[tuple[str, str, re.Pattern[str]]] = []
        for a in agency_rows:
            cue = a.get("implied_by")
            if cue:
                words = [t for t in cue["terms"] if not t.isupper()]
                acronyms = [t for t in cue["terms"] if t.isupper()]
                parts = [rf"(?i:\b(?:{'|'.join(re.escape(w) for w in words)})\b)"] if words else []
                parts += [rf"\b(?:{'|'.join(re.escape(w) for w in acronyms)})\b"] if acronyms else []
                self.implied.append((a["name"], cue["agency"], re.compile("|".join(parts))))
        self.acronym_re = re.compile(rf"(?<![\w-])(?P<acronym>{_alternation(self.acronyms)})s?(?![\w-])")
        self.district_re = re.compile(rf"(?:{_alternation(self.districts)})(?![\w])") if self.districts else None

    # Lookups -----------------------------------------------------------------------------

    def agency(self, text: str | None) -> str | None:
        """The canonical agency for a name, alias or acronym (any language, any case), else None."""
        if not text:
            return None
        text = text.strip()
        if text in self.agencies:
            return text
        return self.acronyms.get(text) or self.agency_alias.get(alias_key(text))

    def post(self, text: str, jurisdiction: str | None = None) -> str | None:
        """The canonical post for an alias, preferring ``jurisdiction`` where the title is shared."""
        options = self.post_options(text)
        if not options:
            return None
        if jurisdiction and jurisdiction in options:
            return options[jurisdiction]
        return next(iter(options.values()))

    def post_options(self, text: str) -> dict[str, str]:
        """``{jurisdiction: canonical post}`` for a post alias in either language ({} if unknown)."""
        return self.post_alias.get(alias_key(text), {})

    def person(self, name: str) -> str | None:
        """The canonical display form of a known person, also through a variant spelling."""
        return self.people.get(fold_key(name))

    def role_label(self, post: str, feminine: bool) -> dict[str, str]:
        """``{"en", "es"}`` labels of a post, the Spanish one made feminine for a woman holder
        (``feminine_label``); a post outside the tables is shown as the text wrote it."""
        labels = self.labels("post", post)
        if feminine and post in self.posts:
            labels["es"] = feminine_label(labels["es"])
        return labels

    def person_damaged(self, name: str) -> str | None:
        """The known person whose name a crawl that dropped non-ASCII bytes wrote as ``name``
        ("Enrique Pea Nieto" -> "Enrique Peña Nieto")."""
        return self.people_crawled.get(fold_key(name))

    def labels(self, kind: str, value: str) -> dict[str, str]:
        """``{"en": ..., "es": ...}`` labels of an agency or post (the value itself when unknown)."""
        entry = (self.agencies if kind == "agency" else self.posts).get(value)
        if entry is None:
            return {"en": value, "es": value}
        return {"en": entry.en, "es": entry.es}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped tables, loaded once per process."""
    return Gazetteer()


def extractor_version() -> str:
    """Version of extraction code and tables; ``update`` re-extracts releases stored with another."""
    return gazetteer().version
