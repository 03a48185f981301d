"""Query -> ``SearchPage`` (hits, total, facets, suggestion) as plain dataclasses.

The web layer and the CLI call ``Engine.search``; neither touches Whoosh objects.

Facet counts are disjunctive: a facet's counts ignore that facet's own selection and apply all
the others, so the other choices stay visible. They are counted from per-reader arrays of
(document, value) pairs (numpy), built once per index generation or commit, instead of
Whoosh's per-hit Python loops (WHOOSH_NOTES trap 6).
"""

from __future__ import annotations

import calendar
import html
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import numpy as np
from rapidfuzz import process as rf_process
from rapidfuzz.distance import Levenshtein
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser
from whoosh.qparser.common import QueryParserError

from .analysis import STEMMED_LANGUAGES, fold, fold_key, fold_same_length, has_accent, stemming_analyzer
from .entities import canonical_person, gazetteer, merge_variants
from .language import language_label
from .postings import Evaluator, FieldLengths, term_postings
from .schema import FACETS, POST_SEPARATOR, TEXT_FIELDS
from .store import IndexEmptyError, IndexMissingError, IndexStore, folder_bytes

SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
MAX_FACET_SIZE = 1000
SNIPPET_CHARS = 240
#: A snippet shows the first matches only; scanning stops after this many.
SNIPPET_SPAN_LIMIT = 12
FILTER_NAMES = tuple(FACETS)  # agency, official, role, lang, year


class SearchError(ValueError):
    """A request parameter is out of range; ``param`` names it."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


# --------------------------------------------------------------------------------------------
# Requests and answers


@dataclass
class SearchRequest:
    """One search: query, filters (values OR'ed within a filter, filters AND'ed), sort and page."""

    query: str = ""
    agency: list[str] = field(default_factory=list)
    official: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None  # None: relevance with a query, newest without
    page: int = 1
    per_page: int = 10
    facet_size: int = 10
    ui_lang: str = "en"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    #: Officials only: the rank, post and agency the person has in most releases, with labels.
    detail: dict[str, str | None] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}
        if self.detail is not None:
            out["detail"] = self.detail
        return out


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    url: str | None
    lang: str
    publisher: str | None
    agencies: list[str]
    officials: list[dict[str, str | None]]
    roles: list[str]
    topics: list[str]
    snippet: str


@dataclass
class SearchPage:
    """Everything a results page shows; ``as_dict`` is the ``--json`` / ``/api/search`` contract."""

    query: str
    filters: dict[str, Any]
    total: int
    page: int
    per_page: int
    pages: int
    sort: str
    suggestion: str | None
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    facets_truncated: dict[str, bool]

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "filters": self.filters,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": self.pages,
            "sort": self.sort,
            "suggestion": self.suggestion,
            "hits": [h.__dict__ for h in self.hits],
            "facets": {k: [v.as_dict() for v in vs] for k, vs in self.facets.items()},
            "facets_truncated": self.facets_truncated,
        }


# --------------------------------------------------------------------------------------------
# Validation


def parse_date_bound(value: str | None, end: bool, param: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> the first (or, for ``end``, last) day it covers."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text, re.ASCII)
    if not m:
        raise SearchError(param, f"'{param}' must be YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if year < 1000 or (month and not 1 <= month <= 12) or (day is not None and day != "" and not 1 <= int(day) <= 31):
        raise SearchError(param, f"'{param}' is not a real date: {text!r}")
    if not month:
        month, day = (12, 31) if end else (1, 1)
    else:
        last = calendar.monthrange(year, month)[1]
        # A day past the month's end (2019-02-30) means its last day: what "to the end of" meant.
        day = min(int(day), last) if day else (last if end else 1)
    return f"{year:04d}-{month:02d}-{day:02d}"


def validate(req: SearchRequest) -> None:
    """Raise ``SearchError`` for parameters outside their documented ranges."""
    if len(req.query) > MAX_QUERY_CHARS:
        raise SearchError("q", f"the query is longer than {MAX_QUERY_CHARS} characters")
    if req.page < 1:
        raise SearchError("page", "'page' must be 1 or more")
    if not 1 <= req.per_page <= MAX_PER_PAGE:
        raise SearchError("per_page", f"'per_page' must be between 1 and {MAX_PER_PAGE}")
    if not 1 <= req.facet_size <= MAX_FACET_SIZE:
        raise SearchError("facet_size", f"'facet_size' must be between 1 and {MAX_FACET_SIZE}")
    if req.sort is not None and req.sort not in SORTS:
        raise SearchError("sort", f"'sort' must be one of {', '.join(SORTS)}")
    if req.ui_lang not in ("en", "es"):
        raise SearchError("ui", f"'ui' must be en or es, not {req.ui_lang!r}")
    for y in req.year:
        if not re.fullmatch(r"\d{4}", y.strip(), re.ASCII):
            raise SearchError("year", f"'year' must be a four-digit year, not {y!r}")
    parse_date_bound(req.date_from, False, "from")
    parse_date_bound(req.date_to, True, "to")


# --------------------------------------------------------------------------------------------
# Per-reader arrays


class ReaderCache:
    """Arrays derived from one reader: ids, dates and facet (document, value) pairs."""

    def __init__(self, reader) -> None:
        n = reader.doc_count_all()
        self.size = n
        self.live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for d in range(n):
                if reader.is_deleted(d):
                    self.live[d] = False
        ids = reader.column_reader("id")
        dates = reader.column_reader("date")
        self.ids = [ids[d] for d in range(n)]
        self.dates = [dates[d] for d in range(n)]
        # Sort keys as arrays: the rank of each id, and the date as YYYYMMDD (-1 when unknown).
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.argsort(np.array(self.ids, dtype=object), kind="stable")] = np.arange(n)
        self.date_key = np.array([int(d.replace("-", "")) if d else -1 for d in self.dates], dtype=np.int64)
        self.lengths = FieldLengths(reader, tuple(TEXT_FIELDS), n)
        self.facet_values: dict[str, list[str]] = {}
        self.facet_keys: dict[str, dict[str, list[int]]] = {}
        self.pairs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for name, fieldname in FACETS.items():
            values: list[str] = []
            docs: list[np.ndarray] = []
            vals: list[np.ndarray] = []
            for term in reader.lexicon(fieldname):
                postings = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int32)
                if not len(postings):
                    continue
                value = term.decode("utf-8")
                docs.append(postings)
                vals.append(np.full(len(postings), len(values), dtype=np.int32))
                values.append(value)
            self.facet_values[name] = values
            keys: dict[str, list[int]] = {}
            for i, v in enumerate(values):
                keys.setdefault(fold_key(v), []).append(i)
            self.facet_keys[name] = keys
            self.pairs[name] = (
                np.concatenate(docs) if docs else np.zeros(0, np.int32),
                np.concatenate(vals) if vals else np.zeros(0, np.int32),
            )
        self.official_detail: dict[int, tuple[str, str, str]] = {}  # value id -> (rank, post, agency)
        self._officials(reader)
        self._surface: dict[str, str] | None = None
        self._vocabulary: dict[str, list[str]] | None = None

    def _officials(self, reader) -> None:
        """Count one person's name variants across releases as one official (same post), and
        note each official's usual rank, post and agency."""
        values = self.facet_values.get("official") or []
        if not values or "official_posts" not in reader.schema:
            return
        posts: dict[str, set[str]] = {}
        seen: dict[str, dict[tuple[str, str, str], int]] = {}
        for leaf, _offset in reader.leaf_readers():  # one sequential pass per segment
            for term, info in leaf.iter_field("official_posts"):
                name, post, agency, rank = (term.decode("utf-8").split(POST_SEPARATOR) + ["", "", ""])[:4]
                if post:
                    posts.setdefault(name, set()).add(post)
                detail = seen.setdefault(name, {})
                detail[(rank, post, agency)] = detail.get((rank, post, agency), 0) + info.doc_frequency()
        doc_ix, val_ix = self.pairs["official"]
        weights = np.bincount(val_ix, minlength=len(values)).tolist()
        rep = np.array(merge_variants(values, posts, weights, gazetteer().people), dtype=np.int32)
        combined: dict[int, dict[tuple[str, str, str], int]] = {}
        for i, v in enumerate(values):
            into = combined.setdefault(int(rep[i]), {})
            for detail, n in seen.get(v, {}).items():
                into[detail] = into.get(detail, 0) + n
        for i, details in combined.items():
            # the most frequent combination with a post, else the most frequent one
            self.official_detail[i] = max(details, key=lambda d: (bool(d[1]), details[d], d))
        if (rep == np.arange(len(values))).all():
            return
        # A release naming two variants counts once for the person.
        merged = np.unique(doc_ix.astype(np.int64) * len(values) + rep[val_ix])
        self.pairs["official"] = ((merged // len(values)).astype(np.int32), (merged % len(values)).astype(np.int32))
        keys: dict[str, list[int]] = {}
        for i, v in enumerate(values):
            keys.setdefault(fold_key(v), [])
            if int(rep[i]) not in keys[fold_key(v)]:
                keys[fold_key(v)].append(int(rep[i]))
        self.facet_keys["official"] = keys

    def docs_with(self, facet: str, value_ids: Iterable[int]) -> np.ndarray:
        """Mask of documents holding any of the given values of a facet."""
        doc_ix, val_ix = self.pairs[facet]
        mask = np.zeros(self.size, dtype=bool)
        wanted = np.fromiter(value_ids, dtype=np.int32)
        if len(wanted):
            mask[doc_ix[np.isin(val_ix, wanted)]] = True
        return mask

    def count(self, facet: str, docs: np.ndarray) -> np.ndarray:
        """Per-value counts of a facet over the documents in the mask."""
        doc_ix, val_ix = self.pairs[facet]
        return np.bincount(val_ix[docs[doc_ix]], minlength=len(self.facet_values[facet]))

    def vocabulary(self, reader, first: str) -> list[str]:
        """Words of the ``content`` field that start with ``first`` (built for every letter at once,
        from the term list alone: about half a second at 24,000 releases)."""
        if self._vocabulary is None:
            groups: dict[str, list[str]] = {}
            for term in reader.lexicon("content"):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if text.isalpha():
                    groups.setdefault(text[0], []).append(text)
            self._vocabulary = groups
        return self._vocabulary.get(first, [])

    def surface(self, reader, folded_word: str) -> str:
        """The most frequent accented form of a folded word (``vacunacion`` -> ``vacunación``)."""
        if self._surface is None:
            best: dict[str, tuple[int, str]] = {}
            for term in reader.lexicon("accented"):
                word = term.decode("utf-8")
                freq = reader.doc_frequency("accented", word)
                key = fold(word)
                if key not in best or freq > best[key][0]:
                    best[key] = (freq, word)
            # Keep an accented form only where it is at least as common as the plain spelling
            # ("secretaría" the ministry vs "secretaria" the woman who holds the post).
            self._surface = {
                k: w for k, (freq, w) in best.items() if freq * 2 >= reader.doc_frequency("content", k)
            }
        return self._surface.get(folded_word, folded_word)


# --------------------------------------------------------------------------------------------
# Queries

_FILTER_IN_QUERY = re.compile(r'(?<![\w:])(agency|official|role|lang|year):("([^"]*)"?|[^\s"()]+)', re.IGNORECASE)
_OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")


@lru_cache(maxsize=1)
def _parser():
    from .schema import make_schema

    parser = MultifieldParser(list(TEXT_FIELDS), make_schema(), fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin({"content": ["body"]}))
    return parser


def split_query(text: str) -> tuple[str, dict[str, list[str]]]:
    """Take ``agency:SEDENA``-style filters out of a query string: ``(rest, {filter: values})``."""
    found: dict[str, list[str]] = {}

    def take(m: re.Match) -> str:
        value = m.group(3) if m.group(3) is not None else m.group(2)
        if value.strip():
            found.setdefault(m.group(1).lower(), []).append(value.strip())
        return " "

    return _FILTER_IN_QUERY.sub(take, text), found


def _plain_words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text) if w not in _OPERATORS]


def parse_query(text: str) -> Q.Query | None:
    """Parse a query string (already without filters); None means "match everything".

    Default operator AND; "phrases"; AND/OR/NOT only in capitals; ``prefix*``;
    ``title:`` and ``body:`` fields. Anything malformed is searched as plain words.
    """
    words = _plain_words(text)
    if not words:
        return None
    # Fold first, so accents in prefixes and phrases match the folded index; keep operator case.
    folded = " ".join(fold(tok) if tok not in _OPERATORS else tok for tok in text.split())
    folded = re.sub(r"\b([A-Za-z_]+):", lambda m: m.group(0) if m.group(1).lower() in ("title", "body") else m.group(1) + " ", folded)
    try:
        q = _parser().parse(folded)
    except (QueryParserError, Exception):  # whoosh raises assorted errors on odd input
        q = None
    if q is None or q is Q.NullQuery or _degenerate(q):
        q = _parser().parse(" ".join(fold(w) for w in words))
    if q is Q.NullQuery:
        return None
    return q.accept(_phrases_on_unstemmed_fields_only).normalize()


def _phrases_on_unstemmed_fields_only(node: Q.Query) -> Q.Query:
    """A phrase means these words in this order: check it on the folded fields (title, content),
    not again on the stemmed ones, which would only repeat the costly position matching."""
    if isinstance(node, Q.Phrase) and node.fieldname.startswith("stem_"):
        return Q.NullQuery
    return node


def accented_words(text: str) -> list[str]:
    """The query's words written with accents, lower-cased: exact matches of these rank first."""
    return sorted({w.lower() for w in _plain_words(text) if has_accent(w)})


def _degenerate(q: Q.Query) -> bool:
    """A parse that kept only negations or nothing searchable (a lone operator, unbalanced input)."""
    if isinstance(q, Q.Not):
        return True
    try:
        return not any(not isinstance(leaf, Q.NullQuery.__class__) for leaf in q.leaves())
    except Exception:
        return True


# --------------------------------------------------------------------------------------------
# Snippets


def _query_words(q: Q.Query | None) -> tuple[set[str], list[str]]:
    """Folded query words (from every text field) and prefixes, for highlighting."""
    words: set[str] = set()
    prefixes: list[str] = []
    if q is None:
        return words, prefixes
    for sub in q.leaves():
        if isinstance(sub, Q.Prefix):
            prefixes.append(sub.text)
        elif isinstance(sub, Q.Wildcard):
            prefixes.append(sub.text.split("*")[0].split("?")[0])
    for fieldname, text in q.iter_all_terms():
        if fieldname in ("title", "content", "stem_en", "stem_es"):
            words.add(text if isinstance(text, str) else text.decode("utf-8"))
    return words, [p for p in prefixes if p]


@lru_cache(maxsize=200_000)
def _stem(lang: str, word: str) -> str:
    stems = [t.text for t in stemming_analyzer(lang)(word)]
    return stems[0] if stems else ""


def match_spans(body: str, lang: str, q: Q.Query | None, limit: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the body's words that the query matched (folded, stemmed or by prefix).

    Candidates are found with one regular expression over a same-length folded copy of the body
    (C speed); only words that start like a query stem are stemmed to confirm.
    """
    words, prefixes = _query_words(q)
    if not words and not prefixes:
        return []
    stemmed = lang in STEMMED_LANGUAGES
    stems = {_stem(lang, w) for w in words} - {""} if stemmed else set()
    starts = sorted(set(prefixes) | {s for s in stems if s}, key=len, reverse=True)
    exact = sorted(words, key=len, reverse=True)
    alternatives = [rf"{re.escape(w)}\b" for w in exact] + [rf"{re.escape(p)}\w*" for p in starts]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")")
    spans: list[tuple[int, int]] = []
    # A snippet needs the first few matches only: fold and scan the body a window at a time.
    window = len(body) if limit is None else 8192
    start = 0
    while start < len(body):
        end = min(len(body), start + window)
        if end < len(body):  # end the window on white space so no word is cut
            space = body.rfind(" ", start, end)
            end = space + 1 if space > start else end
        folded = fold_same_length(body[start:end])
        for m in pattern.finditer(folded):
            a = m.start()
            b = a + len(re.match(r"\w+", folded[a:a + 80]).group(0)) if re.match(r"\w", folded[a]) else m.end()
            word = folded[a:b]
            hit = word in words or any(word.startswith(p) for p in prefixes) or (stemmed and _stem(lang, word) in stems)
            if hit:
                spans.append((start + a, start + b))
                if limit is not None and len(spans) >= limit:
                    return spans
        if limit is not None and spans:
            return spans  # the snippet shows the window with the first match
        start = end
    return spans


def make_snippet(body: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt around the first match, matched words in ``<mark>`` in their original form."""
    text_len = len(body)
    start = 0
    if spans:
        start = max(0, spans[0][0] - size // 4)
        if start:
            space = body.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(text_len, start + size)
    if end < text_len:
        space = body.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    out: list[str] = ["…"] if start > 0 else []
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(body[pos:a]))
        out.append(f"<mark>{html.escape(body[a:b])}</mark>")
        pos = b
    out.append(html.escape(body[pos:end]))
    if end < text_len:
        out.append("…")
    return " ".join("".join(out).split())


def mark_all(body: str, spans: list[tuple[int, int]]) -> str:
    """The whole body HTML-escaped, every match in ``<mark id="mN">`` numbered from 1."""
    out: list[str] = []
    pos = 0
    for n, (a, b) in enumerate(spans, 1):
        out.append(html.escape(body[pos:a]))
        out.append(f'<mark id="m{n}">{html.escape(body[a:b])}</mark>')
        pos = b
    out.append(html.escape(body[pos:]))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The engine


class Engine:
    """Searches the index's current generation; one Whoosh searcher per thread, never shared.

    Each call checks ``CURRENT`` (a ``stat``) and reopens when a build switched generations;
    otherwise it ``refresh()``es, which picks up in-place commits of ``update`` and ``delete``.
    """

    def __init__(self, index: str | Path | None = None) -> None:
        self.store = IndexStore(index)
        self._local = threading.local()
        self._caches: dict[tuple, ReaderCache] = {}
        self._lock = threading.Lock()
        self._open: list = []  # every searcher opened, so close() can release their files

    def close(self) -> None:
        """Close every searcher this engine opened (in any thread)."""
        with self._lock:
            for searcher in self._open:
                searcher.close()
            self._open.clear()
        self._local = threading.local()

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Searchers ----------------------------------------------------------------------------

    def _searcher(self):
        local = self._local
        stamp = self.store.pointer_stamp()
        if getattr(local, "stamp", None) != stamp or getattr(local, "searcher", None) is None:
            old = getattr(local, "searcher", None)
            generation = self.store.current()
            try:
                ix = whoosh_index.open_dir(str(generation))
            except whoosh_index.EmptyIndexError:
                raise IndexMissingError(f"the index at {self.store.path}/ is empty; run 'pressroom build'") from None
            local.searcher = self._track(ix.searcher(), old, close=True)
            local.generation = generation
            local.stamp = stamp
        else:
            fresh = local.searcher.refresh()
            if fresh is not local.searcher:
                # A refreshed searcher reuses the segment readers that did not change: closing the
                # old searcher would close them under the new one (ReaderClosed). Let it go.
                local.searcher = self._track(fresh, local.searcher, close=False)
        return local.searcher

    def _track(self, searcher, replaced, close: bool):
        with self._lock:
            if replaced is not None:
                if close:
                    replaced.close()
                else:
                    # Close only the segment readers the refreshed searcher did not reuse.
                    kept = {id(r) for r in _leaf_readers(searcher.reader())}
                    for r in _leaf_readers(replaced.reader()):
                        if id(r) not in kept:
                            r.close()
                if replaced in self._open:
                    self._open.remove(replaced)
            self._open.append(searcher)
        return searcher

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to release
            pass

    def _cache(self, searcher) -> ReaderCache:
        reader = searcher.reader()
        key = (str(self._local.generation), tuple(sorted(s.segment_id() for s in _segments(reader))), reader.doc_count())
        with self._lock:
            cache = self._caches.get(key)
            if cache is None:
                cache = ReaderCache(reader)
                self._caches = {key: cache, **{k: v for k, v in list(self._caches.items())[:3]}}
        return cache

    def warm(self) -> bool:
        """Open the index and build the per-reader arrays now, so the first search is not slower
        than the rest. False when there is no index yet (nothing to warm)."""
        try:
            searcher = self._searcher()
        except IndexMissingError:
            return False
        cache = self._cache(searcher)
        cache.surface(searcher.reader(), "")
        cache.vocabulary(searcher.reader(), "")
        return True

    def status(self) -> dict[str, Any]:
        """``{generation, releases}`` of the index being served: cheap, for health checks."""
        searcher = self._searcher()
        return {"generation": self._local.generation.name, "releases": searcher.doc_count()}

    def generation(self) -> Path:
        """Folder of the generation the engine currently reads."""
        self._searcher()
        return self._local.generation

    # Filters ------------------------------------------------------------------------------

    def _resolve(self, cache: ReaderCache, facet: str, raw: str) -> tuple[str, list[int]]:
        """A filter value -> (canonical facet value, value ids), matching aliases in both languages."""
        gaz = gazetteer()
        text = raw.strip()
        candidates = [text]
        if facet == "agency":
            candidates.insert(0, gaz.agency(text) or text)
        elif facet == "role":
            options = gaz.post_alias.get(re.sub(r"^(?:the|el|la)\s+", "", fold_key(text)).replace("u.s.", "us"), {})
            candidates = list(options.values()) + [p.name for p in gaz.posts.values() if fold_key(text) in (fold_key(p.en), fold_key(p.es))] + candidates
        elif facet == "official":
            candidates.insert(0, canonical_person(text))
        elif facet == "lang":
            label_codes = {fold_key(lbl): code for code in ("en", "es", "vi", "fr", "pt", "zh", "ko", "und") for lbl in (language_label(code, "en"), language_label(code, "es"))}
            candidates.insert(0, label_codes.get(fold_key(text), text.lower()))
        ids: list[int] = []
        canonical = None
        for cand in candidates:
            found = cache.facet_keys[facet].get(fold_key(cand), [])
            if found and canonical is None:
                canonical = cache.facet_values[facet][found[0]]
            ids.extend(found)
        return canonical or candidates[0], sorted(set(ids))

    # Search -------------------------------------------------------------------------------

    def _match(self, req: SearchRequest) -> "_Matched":
        """Run the query and resolve the filters; everything after this is array work."""
        validate(req)
        searcher = self._searcher()
        cache = self._cache(searcher)
        if not cache.live.any():
            raise IndexEmptyError(
                f"the index at {self.store.path}/ holds no release; build one with 'pressroom build SOURCE... --index {self.store.path}'"
            )
        text, inline = split_query(req.query)
        selected: dict[str, list[str]] = {}
        masks: dict[str, np.ndarray] = {}
        for name in FILTER_NAMES:
            values = list(getattr(req, name)) + inline.get(name, [])
            if not values:
                selected[name] = []
                continue
            canon_values: list[str] = []
            found_ids: list[int] = []
            for v in values:
                canon, found = self._resolve(cache, name, v)
                canon_values.append(canon)
                found_ids.extend(found)
            selected[name] = list(dict.fromkeys(canon_values))
            masks[name] = cache.docs_with(name, found_ids)
        q = parse_query(text)
        if q is None:
            base = cache.live.copy()
            scores = np.zeros(cache.size, dtype=np.float32)
        else:
            evaluated = Evaluator(searcher, cache.size, cache.live, cache.lengths).evaluate(q)
            base, scores = evaluated.mask, evaluated.scores
        date_from = parse_date_bound(req.date_from, False, "from")
        date_to = parse_date_bound(req.date_to, True, "to")
        if date_from or date_to:
            lo = int(date_from.replace("-", "")) if date_from else 0
            hi = int(date_to.replace("-", "")) if date_to else 99999999
            base &= (cache.date_key >= lo) & (cache.date_key <= hi)
        return _Matched(searcher, cache, q, text, selected, masks, base, scores, date_from, date_to)

    def search(self, req: SearchRequest) -> SearchPage:
        """Run one search; raises ``SearchError`` for bad parameters, ``IndexMissingError`` without an index."""
        m = self._match(req)
        facets: dict[str, list[FacetValue]] = {}
        truncated: dict[str, bool] = {}
        for name in FILTER_NAMES:
            counts = m.cache.count(name, m.docs_for_facet(name))
            facets[name], truncated[name] = self._facet_list(m.cache, name, counts, m.selected[name], req.facet_size, req.ui_lang)
        matched = m.matched()
        total = int(matched.sum())
        sort = req.sort or ("relevance" if m.q is not None else "newest")
        docnums = self._ordered(m, matched, sort)
        start = (req.page - 1) * req.per_page
        hits = [self._hit(m.searcher, d, m.q) for d in docnums[start : start + req.per_page]]
        suggestion = self._suggest(m.searcher, m.cache, m.text, total) if m.text.strip() else None
        return SearchPage(
            query=req.query,
            filters={**m.selected, "from": m.date_from, "to": m.date_to},
            total=total,
            page=req.page,
            per_page=req.per_page,
            pages=(total + req.per_page - 1) // req.per_page,
            sort=sort,
            suggestion=suggestion,
            hits=hits,
            facets=facets,
            facets_truncated=truncated,
        )

    def facet_values(self, req: SearchRequest, name: str, prefix: str = "", limit: int = MAX_FACET_SIZE) -> tuple[list[FacetValue], bool]:
        """Every value of one facet for a search (its own selection ignored), narrowed by ``prefix``.

        ``prefix`` matches the start of any word of the value, case- and accent-insensitively
        (``sanchez`` finds ``Olga Sánchez Cordero Dávila``). Returns ``(values, truncated)``.
        """
        if name not in FACETS:
            raise SearchError("name", f"unknown facet {name!r}; facets are {', '.join(FACETS)}")
        m = self._match(req)
        counts = m.cache.count(name, m.docs_for_facet(name))
        key = fold_key(prefix)
        if key:
            values = m.cache.facet_values[name]
            for i in np.flatnonzero(counts).tolist():
                folded = fold_key(self._label(name, values[i], req.ui_lang) + " " + values[i])
                if not any(w.startswith(key) for w in _word_starts(folded)):
                    counts[i] = 0
        return self._facet_list(m.cache, name, counts, m.selected[name] if not key else [], limit, req.ui_lang)

    def iter_matches(self, req: SearchRequest, limit: int | None = None) -> Iterable[dict[str, Any]]:
        """Every release matching a search, in its sort order, as stored records with their body."""
        m = self._match(req)
        sort = req.sort or ("relevance" if m.q is not None else "newest")
        for d in self._ordered(m, m.matched(), sort)[:limit]:
            stored = m.searcher.stored_fields(d)
            yield {**stored["record"], "body": stored.get("body", "")}

    def count(self, req: SearchRequest) -> int:
        """How many releases match a search."""
        m = self._match(req)
        return int(m.matched().sum())

    def _ordered(self, m: "_Matched", matched: np.ndarray, sort: str) -> list[int]:
        """Matching document numbers in sort order; ties always broken by id."""
        cache = m.cache
        docs = np.flatnonzero(matched)
        if sort == "relevance" and m.q is not None:
            # When the query has accents, releases with the exact accented forms rank first
            # (Peña above pena); BM25F orders within each tier.
            exact = self._exact_matches(m.searcher, cache, accented_words(m.text))
            order = np.lexsort((cache.id_rank[docs], -m.scores[docs], -exact[docs]))
        else:
            dates = cache.date_key[docs]
            undated = dates < 0
            order = np.lexsort((cache.id_rank[docs], -dates if sort != "oldest" else dates, undated))
        return docs[order].tolist()

    @staticmethod
    def _exact_matches(searcher, cache: ReaderCache, words: list[str]) -> np.ndarray:
        """Per document, how many of the accented query words it contains exactly."""
        counts = np.zeros(cache.size, dtype=np.int32)
        for w in words:
            ids, _ = term_postings(searcher, "accented", w.encode("utf-8"))
            counts[ids] += 1
        return counts

    def _facet_list(
        self, cache: ReaderCache, name: str, counts: np.ndarray, selected: list[str], size: int, ui_lang: str
    ) -> tuple[list[FacetValue], bool]:
        values = cache.facet_values[name]
        nonzero = np.flatnonzero(counts)
        order = sorted(nonzero.tolist(), key=lambda i: (-int(counts[i]), values[i]))
        top = order[:size]
        chosen_keys = {fold_key(s) for s in selected}
        listed = {values[i] for i in top}
        out = [
            FacetValue(values[i], self._label(name, values[i], ui_lang), int(counts[i]), fold_key(values[i]) in chosen_keys, self._detail(cache, name, i, ui_lang))
            for i in top
        ]
        for s in selected:
            if s not in listed:
                idx = cache.facet_keys[name].get(fold_key(s), [])
                count = int(sum(counts[i] for i in idx))
                out.append(FacetValue(s, self._label(name, s, ui_lang), count, True))
        return out, len(order) > size

    def _detail(self, cache: ReaderCache, name: str, i: int, ui_lang: str) -> dict[str, str | None] | None:
        if name != "official":
            return None
        rank, post, agency = cache.official_detail.get(i, ("", "", ""))
        return {
            "rank": rank or None, "rank_label": self._label("rank", rank, ui_lang) if rank else None,
            "role": post or None, "role_label": self._label("role", post, ui_lang) if post else None,
            "agency": agency or None, "agency_label": self._label("agency", agency, ui_lang) if agency else None,
        }

    @staticmethod
    def label(name: str, value: str, ui_lang: str = "en") -> str:
        """The label of a facet value in the interface language (agency and post tables, languages)."""
        return Engine._label(name, value, ui_lang)

    @staticmethod
    def _label(name: str, value: str, ui_lang: str) -> str:
        if name in ("agency", "role"):
            return gazetteer().labels(name, value).get(ui_lang, value)
        if name == "rank":
            return gazetteer().rank_labels.get(value, {}).get(ui_lang, value)
        if name == "lang":
            return language_label(value, ui_lang)
        return value

    def _hit(self, searcher, docnum: int, q: Q.Query | None) -> Hit:
        stored = searcher.stored_fields(docnum)
        rec = stored["record"]
        body = stored.get("body") or ""
        return Hit(
            id=rec["id"],
            title=rec["title"],
            date=rec.get("date"),
            url=rec.get("url"),
            lang=rec.get("lang") or "und",
            publisher=rec.get("publisher"),
            agencies=rec.get("agencies") or [],
            officials=rec.get("officials") or [],
            roles=rec.get("roles") or [],
            topics=rec.get("topics") or [],
            snippet=make_snippet(body, match_spans(body, rec.get("lang") or "und", q, limit=SNIPPET_SPAN_LIMIT)),
        )

    def _suggest(self, searcher, cache: ReaderCache, text: str, total: int) -> str | None:
        """A corrected query in its accented surface form, when a word is in no field's vocabulary.

        Offered only if the corrected query finds something.
        """
        reader = searcher.reader()
        tokens = re.findall(r"\w+\*?:?|[^\w]+", text)
        changed = False
        out: list[str] = []
        for tok in tokens:
            if not re.fullmatch(r"\w+", tok) or tok in _OPERATORS or tok.isdigit() or len(tok) < 4 or self._known(reader, tok):
                out.append(tok)
                continue
            best = self._closest(cache, reader, fold(tok))
            if best:
                surface = cache.surface(reader, best)
                out.append(surface[:1].upper() + surface[1:] if tok[:1].isupper() else surface)
                changed = True
            else:
                out.append(tok)
        if not changed:
            return None
        corrected = "".join(out)
        q = parse_query(corrected)
        if q is None or searcher.search(q, limit=1).is_empty():
            return None
        return corrected

    @staticmethod
    def _closest(cache: ReaderCache, reader, key: str) -> str | None:
        """The vocabulary word nearest to ``key`` (edit distance 1, or 2 for words of 7+ letters)
        that occurs in two releases or more (a typo in one release is never offered), the most
        frequent among the nearest. Candidates share the first letter: typos rarely hit it, and it
        keeps the comparison to one slice of the vocabulary (RapidFuzz does it in C)."""
        words = cache.vocabulary(reader, key[0])
        if not words:
            return None
        maxdist = 1 if len(key) < 7 else 2
        found = rf_process.extract(key, words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=50)
        ranked = []
        for word, distance, _ in found:
            df = reader.doc_frequency("content", word)
            if df >= 2:
                ranked.append((distance, -df, word))
        return min(ranked)[2] if ranked else None

    @staticmethod
    def _known(reader, word: str) -> bool:
        key = fold(word)
        if reader.doc_frequency("content", key) or reader.doc_frequency("title", key):
            return True
        for lang in STEMMED_LANGUAGES:
            stems = [t.text for t in stemming_analyzer(lang)(key)]
            if stems and reader.doc_frequency(f"stem_{lang}", stems[0]):
                return True
        return False

    # Single releases and stats ----------------------------------------------------------

    def release(self, release_id: str, query: str = "") -> dict[str, Any] | None:
        """One release: its stored record, ``body``, and ``body_html`` with the query's matches
        marked and numbered (``<mark id="m1">``), plus ``matches`` (how many). None if unknown."""
        searcher = self._searcher()
        stored = searcher.document(id=release_id)
        if not stored:
            return None
        record = stored["record"]
        body = stored.get("body", "")
        q = parse_query(split_query(query)[0]) if query else None
        spans = match_spans(body, record.get("lang") or "und", q) if q is not None else []
        return {**record, "body": body, "body_html": mark_all(body, spans), "matches": len(spans)}

    def related(self, release_id: str, limit: int = 5) -> list[dict[str, Any]]:
        """More like this: releases sharing the body's most distinctive terms, as ``{id, title, date}``."""
        searcher = self._searcher()
        docnum = searcher.document_number(id=release_id)
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        # The first 20,000 characters carry the topic; whole transcripts only slow the analysis.
        hits = searcher.more_like(docnum, "content", text=stored.get("body", "")[:20000], top=limit, numterms=20)
        return [{"id": h["record"]["id"], "title": h["record"]["title"], "date": h["record"].get("date")} for h in hits]

    def iter_releases(self) -> Iterable[dict[str, Any]]:
        """Every live release's stored record and body, in id order."""
        searcher = self._searcher()
        cache = self._cache(searcher)
        for d in sorted(np.flatnonzero(cache.live).tolist(), key=lambda d: cache.ids[d]):
            stored = searcher.stored_fields(d)
            yield {**stored["record"], "body": stored.get("body", "")}

    def stats(self, top: int = 20) -> dict[str, Any]:
        """``{releases, by_lang, top: {agency, official, role}, index_bytes, built_at, generation, rejected}``."""
        searcher = self._searcher()
        cache = self._cache(searcher)
        generation = self._local.generation
        meta = IndexStore.read_meta(generation)

        def ranked(name: str, n: int | None) -> list[dict[str, Any]]:
            counts = cache.count(name, cache.live)
            order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-int(counts[i]), cache.facet_values[name][i]))
            return [{"value": cache.facet_values[name][i], "count": int(counts[i])} for i in order[:n]]

        return {
            "releases": int(cache.live.sum()),
            "by_lang": {v["value"]: v["count"] for v in ranked("lang", None)},
            "top": {name: ranked(name, top) for name in ("agency", "official", "role")},
            "index_bytes": folder_bytes(generation),
            "built_at": meta.get("built_at"),
            "generation": generation.name,
            "rejected": int(meta.get("rejected") or 0),
        }


@dataclass
class _Matched:
    """A query's matches and the filters' masks, before facets, sorting and paging."""

    searcher: Any
    cache: ReaderCache
    q: Q.Query | None
    text: str
    selected: dict[str, list[str]]
    masks: dict[str, np.ndarray]
    base: np.ndarray
    scores: np.ndarray
    date_from: str | None
    date_to: str | None

    def docs_for_facet(self, name: str) -> np.ndarray:
        """Matches under every filter but the facet's own (disjunctive counting)."""
        docs = self.base.copy()
        for other, mask in self.masks.items():
            if other != name:
                docs &= mask
        return docs

    def matched(self) -> np.ndarray:
        """Matches under every filter."""
        docs = self.base.copy()
        for mask in self.masks.values():
            docs &= mask
        return docs


def _word_starts(folded: str) -> list[str]:
    """Every suffix of a folded value that starts a word (so a prefix can match any word)."""
    starts = [0] + [m.end() for m in re.finditer(r"[\s\-(]+", folded)]
    return [folded[i:] for i in starts]


def _leaf_readers(reader) -> list:
    """The per-segment readers behind a reader."""
    return list(reader.readers) if hasattr(reader, "readers") else [reader]


def _segments(reader) -> list:
    """The segments behind a reader (one for a single-segment index)."""
    if hasattr(reader, "readers"):
        return [r.segment() for r in reader.readers]
    seg = reader.segment() if hasattr(reader, "segment") else None
    return [seg] if seg is not None else []
