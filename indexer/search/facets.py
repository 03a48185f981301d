"""What a facet is: one class per kind, registered once in ``FACETS``.

A facet is a filter (URL parameter, CLI option, ``name:value`` in a query) and a list of values
with counts. Everything that differs between facets lives in its class: the index field, how a
typed value resolves to canonical values (aliases in either language), the label in the interface
language, the extra ``detail`` officials carry. The engine, the CLI flags, the URL parameters, the
OpenAPI document and the templates all read ``FACETS``; adding a facet is adding one class.

Per reader, each facet's values become arrays of (document, value) pairs (``FacetData``), so
counting a facet over any set of documents is one ``np.bincount`` (WHOOSH_NOTES trap 6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analysis import fold_key
from ..entities.gazetteer import gazetteer
from ..entities.people import canonical_person, merge_variants
from ..labels import label, role_label
from ..language import LANGUAGE_LABELS
from ..schema import GENDER_MARKS, POST_SEPARATOR
from .model import FacetValue, SearchError, SearchRequest


@dataclass
class FacetData:
    """One facet's values in one reader: value ids, folded keys and (document, value id) pairs."""

    values: list[str]
    docs: np.ndarray
    vals: np.ndarray
    keys: dict[str, list[int]] = field(default_factory=dict)
    #: Officials only: value id -> the (rank, post, agency) the person has in most releases, and
    #: whether the releases that show the holder's gender in that post show a woman more often.
    details: dict[int, tuple[str, str, str, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.keys:
            for i, v in enumerate(self.values):
                self.keys.setdefault(fold_key(v), []).append(i)

    def docs_with(self, value_ids: Iterable[int], size: int) -> np.ndarray:
        """Mask of documents holding any of the given values."""
        mask = np.zeros(size, dtype=bool)
        wanted = np.fromiter(value_ids, dtype=np.int32)
        if len(wanted):
            mask[self.docs[np.isin(self.vals, wanted)]] = True
        return mask

    def count(self, docs: np.ndarray) -> np.ndarray:
        """Per-value counts over the documents in the mask."""
        return np.bincount(self.vals[docs[self.docs]], minlength=len(self.values))


def field_data(reader: Any, fieldname: str) -> FacetData:
    """A facet field's values and (document, value) pairs, from its postings (none when an index
    built by an older Pressroom lacks the field)."""
    values: list[str] = []
    if fieldname not in reader.schema:
        return FacetData(values, np.zeros(0, np.int32), np.zeros(0, np.int32))
    docs: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for term in reader.lexicon(fieldname):
        postings = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int32)
        if not len(postings):
            continue
        docs.append(postings)
        vals.append(np.full(len(postings), len(values), dtype=np.int32))
        values.append(term.decode("utf-8"))
    empty = np.zeros(0, np.int32)
    return FacetData(values, np.concatenate(docs) if docs else empty, np.concatenate(vals) if vals else empty)


class Facet:
    """A facet over one index field; subclasses change how values resolve, read and show."""

    #: URL parameter, CLI option (``--name``), JSON key and ``name:`` in queries.
    name: str = ""
    #: The index field holding the values.
    field: str = ""
    #: What the filter takes, for ``--help`` and the OpenAPI document.
    help: str = ""
    #: A pattern every value must match, for the OpenAPI document (None: any string).
    pattern: str | None = None

    def load(self, reader: Any, arrays: Any = None) -> FacetData:
        """This facet's arrays for one reader (``arrays``: the reader's arrays built so far)."""
        return field_data(reader, self.field)

    def candidates(self, text: str) -> list[str]:
        """Values a typed filter may mean, most likely first (aliases resolved)."""
        return [text]

    def invalid(self, value: str) -> str | None:
        """Why a filter value can never be valid (a message id, ``indexer.messages``), or None."""
        return None

    def label(self, value: str, ui_lang: str) -> str:
        """The value as a reader of ``ui_lang`` sees it."""
        return value

    def detail(self, data: FacetData, value_id: int, ui_lang: str) -> dict[str, str | None] | None:
        """Extra facts shown with a value (None: none)."""
        return None

    def order(self, value: str, count: int) -> tuple:
        """Sort key of a value in its list: most releases first, then by value."""
        return (-count, value)

    def resolve(self, data: FacetData, raw: str) -> tuple[str, list[int]]:
        """A typed filter value -> (the canonical value it names, the value ids it matches)."""
        candidates = self.candidates(raw.strip())
        ids: list[int] = []
        canonical = None
        for cand in candidates:
            found = data.keys.get(fold_key(cand), [])
            if found and canonical is None:
                canonical = data.values[found[0]]
            ids.extend(found)
        return canonical or candidates[0], sorted(set(ids))


class AgencyFacet(Facet):
    name, field = "agency", "agencies"
    help = "Agency: canonical name or any alias (SEDENA, Defense Ministry)."

    def candidates(self, text: str) -> list[str]:
        return [gazetteer().agency(text) or text, text]

    def label(self, value: str, ui_lang: str) -> str:
        return label("agency", value, ui_lang)


class PublisherFacet(AgencyFacet):
    """The agency that issued the release (``agency`` is every agency the release names)."""

    name, field = "publisher", "publishers"
    help = "Publisher: the agency that issued the release (canonical name or any alias)."


class OfficialFacet(Facet):
    """Officials: one person's name variants in one post count as one value."""

    name, field = "official", "officials"
    help = "Official: any spelling of the person's name."

    def candidates(self, text: str) -> list[str]:
        return [canonical_person(text), text]

    def load(self, reader: Any, arrays: Any = None) -> FacetData:
        data = field_data(reader, self.field)
        if data.values and "official_posts" in reader.schema:
            _merge_officials(reader, data)
        return data

    def detail(self, data: FacetData, value_id: int, ui_lang: str) -> dict[str, str | None]:
        rank, post, agency, feminine = data.details.get(value_id, ("", "", "", False))
        return {
            "rank": rank or None,
            "rank_label": label("rank", rank, ui_lang) if rank else None,
            "role": post or None,
            "role_label": role_label(post, ui_lang, feminine) if post else None,
            "agency": agency or None,
            "agency_label": label("agency", agency, ui_lang) if agency else None,
        }


class RoleFacet(Facet):
    name, field = "role", "roles"
    help = "Post, in English or Spanish."

    def candidates(self, text: str) -> list[str]:
        gaz = gazetteer()
        key = fold_key(text)
        by_label = [p.name for p in gaz.posts.values() if key in (fold_key(p.en), fold_key(p.es))]
        return [*gaz.post_options(text).values(), *by_label, text]

    def label(self, value: str, ui_lang: str) -> str:
        return label("role", value, ui_lang)

    def resolve(self, data: FacetData, raw: str) -> tuple[str, list[int]]:
        """An alias that names posts of several governments (``Attorney General``) stands for the
        one with the most releases in the index, as ``/posts/<post>`` and ``pressroom holders``
        resolve it, so the filter, its echo and its label agree."""
        posts = list(dict.fromkeys(p for c in self.candidates(raw.strip()) if (p := self.post_of(c))))
        found = [(p, data.keys.get(fold_key(p), [])) for p in posts]
        found = [(p, ids) for p, ids in found if ids]
        if len(found) < 2:
            return super().resolve(data, raw)
        counts = np.bincount(data.vals, minlength=len(data.values))
        post, ids = max(found, key=lambda f: (int(counts[f[1]].sum()), -found.index(f)))
        return data.values[ids[0]], sorted(ids)

    def post_of(self, candidate: str) -> str | None:
        """The table post a candidate value is (None for text that names no table post)."""
        return candidate if candidate in gazetteer().posts else None


class HolderOfFacet(RoleFacet):
    """A post: the releases that name whoever held it on each one's date (from the tenures stored
    with the generation), as a person, whether or not the release writes the post."""

    name, field = "holder_of", "officials"
    help = "Post: releases naming whoever held it on their date, written or not (any alias, either language)."

    def candidates(self, text: str) -> list[str]:
        from ..tenures.table import base_post

        return list(dict.fromkeys(base_post(c)[0] for c in super().candidates(text)))

    def post_of(self, candidate: str) -> str | None:
        from ..tenures.table import base_post

        return super().post_of(base_post(candidate)[0])

    def load(self, reader: Any, arrays: Any = None) -> FacetData:
        from ..tenures.holders import holder_facet_data

        return holder_facet_data(reader, arrays)


class LangFacet(Facet):
    name, field = "lang", "lang"
    help = "Language code (en, es, ...)."

    def candidates(self, text: str) -> list[str]:
        by_label = {fold_key(lbl): code for code, labels in LANGUAGE_LABELS.items() for lbl in labels.values()}
        return [by_label.get(fold_key(text), text.lower()), text]

    def label(self, value: str, ui_lang: str) -> str:
        return label("lang", value, ui_lang)


class YearFacet(Facet):
    name, field = "year", "year"
    help = "Four-digit year (empty values are ignored)."
    pattern = r"^(\d{4})?$"

    def invalid(self, value: str) -> str | None:
        if re.fullmatch(r"\d{4}", value.strip(), re.ASCII):
            return None
        return "year"

    def order(self, value: str, count: int) -> tuple:
        """Years newest first (a list cut at ``facet_size`` keeps the newest)."""
        return (-int(value) if value.isdigit() else 0, value)


#: Every facet, in the order pages and contracts list them.
FACETS: dict[str, Facet] = {
    f.name: f
    for f in (AgencyFacet(), PublisherFacet(), OfficialFacet(), RoleFacet(), HolderOfFacet(), LangFacet(), YearFacet())
}
assert all(name in SearchRequest.__dataclass_fields__ for name in FACETS), "a facet without a request field"
#: The filters a request takes, in the order pages and contracts list them.
FILTER_NAMES = tuple(FACETS)


def check_filters(req: SearchRequest) -> None:
    """Raise ``SearchError`` for a filter value no facet value could ever match."""
    for name, facet in FACETS.items():
        for value in req.filter_values(name):
            problem = facet.invalid(value)
            if problem:
                raise SearchError(name, problem, value=value)


def facet_list(
    facet: Facet, data: FacetData, counts: np.ndarray, selected: list[str], size: int, ui_lang: str
) -> tuple[list[FacetValue], bool]:
    """The first ``size`` values in the facet's order, selected values always listed."""
    values = data.values
    order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: facet.order(values[i], int(counts[i])))
    top = order[:size]
    chosen_keys = {fold_key(s) for s in selected}
    out = [
        FacetValue(
            values[i],
            facet.label(values[i], ui_lang),
            int(counts[i]),
            fold_key(values[i]) in chosen_keys,
            facet.detail(data, i, ui_lang),
        )
        for i in top
    ]
    listed = {values[i] for i in top}
    for s in selected:
        if s not in listed:
            ids = data.keys.get(fold_key(s), [])
            count = int(sum(counts[i] for i in ids))
            detail = facet.detail(data, ids[0] if ids else -1, ui_lang)
            out.append(FacetValue(s, facet.label(s, ui_lang), count, True, detail))
    return out, len(order) > size


def matches_prefix(facet: Facet, value: str, prefix_key: str, ui_lang: str) -> bool:
    """True when a folded prefix starts any word of the value or of its label."""
    folded = fold_key(facet.label(value, ui_lang) + " " + value)
    starts = [0] + [m.end() for m in re.finditer(r"[\s\-(]+", folded)]
    return any(folded[i:].startswith(prefix_key) for i in starts)


def _merge_officials(reader: Any, data: FacetData) -> None:
    """Count one person's name variants across releases as one official (same post), and note
    each official's usual rank, post and agency (from the ``official_posts`` field)."""
    values = data.values
    terms = (
        (term.decode("utf-8"), info.doc_frequency())
        for leaf, _offset in reader.leaf_readers()  # one sequential pass per segment
        for term, info in leaf.iter_field("official_posts")
    )
    weights = np.bincount(data.vals, minlength=len(values)).tolist()
    rep, data.details, keys = merge_officials(values, weights, terms)
    if (rep == np.arange(len(values))).all():
        return
    # A release naming two variants counts once for the person.
    merged = np.unique(data.docs.astype(np.int64) * len(values) + rep[data.vals])
    data.docs = (merged // len(values)).astype(np.int32)
    data.vals = (merged % len(values)).astype(np.int32)
    data.keys = keys


def merge_officials(
    values: list[str], weights: list[int], post_terms: Iterable[tuple[str, int]]
) -> tuple[np.ndarray, dict[int, tuple[str, str, str, bool]], dict[str, list[int]]]:
    """The official facet's merge of name variants, from each value's release count (``weights``)
    and each ``official_posts`` term with its release count: ``(rep, details, keys)``, where
    ``rep[i]`` is the value ``i`` counts as, ``details`` each kept value's usual (rank, post,
    agency, feminine) and ``keys`` each folded name's kept values. Every backend merges here."""
    posts: dict[str, set[str]] = {}
    seen: dict[str, dict[tuple[str, str, str], int]] = {}
    genders: dict[tuple[str, str], int] = {}  # (name, post) -> women minus men among releases showing it
    for term, frequency in post_terms:
        name, post, agency, rank, gender = (term.split(POST_SEPARATOR) + ["", "", "", ""])[:5]
        if post:
            posts.setdefault(name, set()).add(post)
        detail = seen.setdefault(name, {})
        detail[(rank, post, agency)] = detail.get((rank, post, agency), 0) + frequency
        if gender:
            sign = 1 if gender == GENDER_MARKS[True] else -1
            genders[(name, post)] = genders.get((name, post), 0) + sign * frequency
    rep = np.array(merge_variants(values, posts, weights, gazetteer().people), dtype=np.int32)
    combined: dict[int, dict[tuple[str, str, str], int]] = {}
    women: dict[tuple[int, str], int] = {}
    for i, v in enumerate(values):
        into = combined.setdefault(int(rep[i]), {})
        for detail, n in seen.get(v, {}).items():
            into[detail] = into.get(detail, 0) + n
            key = (int(rep[i]), detail[1])
            women[key] = women.get(key, 0) + genders.pop((v, detail[1]), 0)
    details: dict[int, tuple[str, str, str, bool]] = {}
    for i, found in combined.items():
        if not found:  # a value whose official_posts terms were not read (none on Whoosh)
            continue
        # the most frequent combination with a post, else the most frequent one
        rank, post, agency = max(found, key=lambda d: (bool(d[1]), found[d], d))
        details[i] = (rank, post, agency, women.get((i, post), 0) > 0)
    keys: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        ids = keys.setdefault(fold_key(v), [])
        if int(rep[i]) not in ids:
            ids.append(int(rep[i]))
    return rep, details, keys
