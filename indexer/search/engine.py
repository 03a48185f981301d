"""The engine: a search request -> ``SearchPage``; single releases, related releases, stats.

The web layer and the CLI call ``Engine``; neither touches Whoosh objects. Facet counts are
disjunctive: a facet's counts ignore that facet's own selection and apply all the others, so the
other choices stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as Q

from ..analysis import fold_key
from ..boilerplate import blank
from ..ids import given_id, lookup_forms
from ..labels import official_view
from ..messages import message
from ..store import IndexEmptyError, IndexMissingError, IndexStore, folder_bytes
from .aliases import expand_entities, highlight_query
from .arrays import ReaderArrays
from .expansion import Deadline, expand_patterns
from .facets import FACETS, check_filters, facet_list, matches_prefix
from .highlight import SNIPPET_SPAN_LIMIT, browse_start, make_snippet, mark_all, match_spans, stemmed_forms, stemmer_for
from .model import MAX_FACET_SIZE, FacetValue, Hit, SearchError, SearchPage, SearchRequest, parse_date_bound, validate
from .postings import term_postings
from .query import accented_words, parse_query, split_query
from .ranking import rank_scores
from .related import related_documents
from .scoring import Evaluator
from .searchers import Searchers
from .spelling import suggest
from .timeline import timeline

#: Matches marked on a release page; a release with more says so (a 5 MB release repeating the
#: query word made a 25 MB page).
MAX_MARKS = 1000
#: Facets ``stats`` lists the top values of.
STATS_FACETS = ("agency", "publisher", "official", "role")


@dataclass
class _Matched:
    """A query's matches and the filters' masks, before facets, sorting and paging."""

    searcher: Any
    arrays: ReaderArrays
    q: Q.Query | None
    text: str
    selected: dict[str, list[str]]
    warnings: list[dict[str, str]]
    masks: dict[str, np.ndarray]
    base: np.ndarray
    scores: np.ndarray
    date_from: str | None
    date_to: str | None
    #: Query words that named an entity (``aliases``): ``{text, facet, value, label}``.
    expansions: list[dict[str, str]] = field(default_factory=list)
    #: With expansions: the releases the words match as text (they rank first).
    text_match: np.ndarray | None = None

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

    def sort(self, requested: str | None) -> str:
        return requested or ("relevance" if self.q is not None else "newest")


class Engine:
    """Searches an index folder's current generation (see ``Searchers`` for reopening)."""

    def __init__(self, index: str | Path | None = None) -> None:
        self.store = IndexStore(index)
        self.searchers = Searchers(self.store)

    def close(self) -> None:
        """Close every searcher this engine opened (in any thread)."""
        self.searchers.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to release
            pass

    def warm(self) -> bool:
        """Open the index and build the per-reader arrays now, so the first search is not slower
        than the rest. False when there is no index yet (nothing to warm)."""
        try:
            searcher, arrays, _generation = self.searchers.get()
        except IndexMissingError:
            return False
        arrays.vocabulary.warm(searcher.reader())
        return True

    def status(self) -> dict[str, Any]:
        """``{generation, releases}`` of the index being served: cheap, for health checks."""
        searcher, _arrays, generation = self.searchers.get()
        return {"generation": generation.name, "releases": searcher.doc_count()}

    def generation(self) -> Path:
        """Folder of the generation the engine currently reads."""
        return self.searchers.get()[2]

    # Search -------------------------------------------------------------------------------

    def _match(self, req: SearchRequest) -> _Matched:
        """Run the query and resolve the filters; everything after this is array work."""
        validate(req)
        check_filters(req)
        searcher, arrays, _generation = self.searchers.get()
        if not arrays.live.any():
            raise IndexEmptyError(
                f"the index at {self.store.path}/ holds no release; "
                f"build one with 'pressroom build SOURCE... --index {self.store.path}'"
            )
        text, inline = split_query(req.query)
        selected: dict[str, list[str]] = {}
        warnings: list[dict[str, str]] = []
        masks: dict[str, np.ndarray] = {}
        for name, facet in FACETS.items():
            values = req.filter_values(name) + inline.get(name, [])
            selected[name] = []
            if not values:
                continue
            found_ids: list[int] = []
            for v in values:
                canonical, found = facet.resolve(arrays.facets[name], v)
                selected[name].append(canonical)
                found_ids.extend(found)
                if not found:
                    said = message(
                        "no_such_value", req.ui_lang, param=name, param_label=message(f"facet_{name}", "es"), value=v
                    )
                    warnings.append({"param": name, "value": v, "message": said})
            selected[name] = list(dict.fromkeys(selected[name]))
            masks[name] = arrays.facets[name].docs_with(found_ids, arrays.size)
        deadline = Deadline()
        q = self._query(searcher, text, deadline)
        expanded, expansions, text_match = None, [], None
        if q is not None:
            parse = lambda t: self._query(searcher, t, deadline)  # noqa: E731
            expanded, expansions = expand_entities(text, searcher, parse, req.ui_lang)
        if q is None:
            base, scores = arrays.live.copy(), np.zeros(arrays.size, dtype=np.float64)
        else:
            evaluator = Evaluator(searcher, arrays.size, arrays.live, arrays.lengths, deadline)
            evaluated = evaluator.evaluate(expanded if expanded is not None else q)
            base, scores = evaluated.mask, evaluated.scores
            if expanded is not None:
                text_match = evaluator.evaluate(q).mask
                q = expanded
        date_from = parse_date_bound(req.date_from, False, "from")
        date_to = parse_date_bound(req.date_to, True, "to")
        if date_from or date_to:
            base &= arrays.in_dates(date_from, date_to)
        return _Matched(
            searcher,
            arrays,
            q,
            text,
            selected,
            warnings,
            masks,
            base,
            scores,
            date_from,
            date_to,
            expansions,
            text_match,
        )

    @staticmethod
    def _query(searcher: Any, text: str, deadline: Deadline) -> Q.Query | None:
        """The parsed query (with the index's own analyzers) with its patterns expanded into words
        (None: match everything)."""
        q = parse_query(text, searcher.schema)
        return expand_patterns(q, searcher.reader(), deadline) if q is not None else None

    def _finds(self, searcher: Any, arrays: ReaderArrays, text: str) -> bool:
        """True when a query string matches at least one live release (for suggestions)."""
        deadline = Deadline()
        q = self._query(searcher, text, deadline)
        if q is None:
            return False
        return bool(Evaluator(searcher, arrays.size, arrays.live, arrays.lengths, deadline).evaluate(q).mask.any())

    def search(self, req: SearchRequest) -> SearchPage:
        """Run one search; raises ``SearchError`` for bad parameters, ``IndexMissingError`` without an index."""
        m = self._match(req)
        facets: dict[str, list[FacetValue]] = {}
        truncated: dict[str, bool] = {}
        for name, facet in FACETS.items():
            counts = m.arrays.count(name, m.docs_for_facet(name))
            facets[name], truncated[name] = facet_list(
                facet, m.arrays.facets[name], counts, m.selected[name], req.facet_size, req.ui_lang
            )
        matched = m.matched()
        total = int(matched.sum())
        sort = m.sort(req.sort)
        start = (req.page - 1) * req.per_page
        shown = highlight_query(m.q, m.expansions, lambda t: self._query(m.searcher, t, Deadline()))
        hits = [
            self._hit(m.searcher, d, shown, req.ui_lang)
            for d in self._ordered(m, matched, sort)[start : start + req.per_page]
        ]
        suggestion = None
        if m.text.strip():
            finds = lambda corrected: self._finds(m.searcher, m.arrays, corrected)  # noqa: E731
            suggestion = suggest(m.searcher, m.arrays.vocabulary, m.text, finds)
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
            warnings=m.warnings,
            timeline=timeline(m.arrays.date_key, matched),
            expansions=m.expansions,
        )

    def facet_values(
        self, req: SearchRequest, name: str, prefix: str = "", limit: int = MAX_FACET_SIZE
    ) -> tuple[list[FacetValue], bool]:
        """Every value of one facet for a search (its own selection ignored), narrowed by ``prefix``.

        ``prefix`` matches the start of any word of the value or its label, case- and
        accent-insensitively (``sanchez`` finds ``Olga Sánchez Cordero Dávila``).
        Returns ``(values, truncated)``.
        """
        facet = FACETS.get(name)
        if facet is None:
            raise SearchError("name", "unknown_facet", name=name, names=", ".join(FACETS))
        m = self._match(req)
        counts = m.arrays.count(name, m.docs_for_facet(name))
        data = m.arrays.facets[name]
        key = fold_key(prefix)
        if key:
            for i in np.flatnonzero(counts).tolist():
                if not matches_prefix(facet, data.values[i], key, req.ui_lang):
                    counts[i] = 0
        return facet_list(facet, data, counts, m.selected[name] if not key else [], limit, req.ui_lang)

    def iter_matches(self, req: SearchRequest, limit: int | None = None) -> Iterable[dict[str, Any]]:
        """Every release matching a search, in its sort order, as stored records with their body."""
        m = self._match(req)
        for d in self._ordered(m, m.matched(), m.sort(req.sort))[:limit]:
            stored = m.searcher.stored_fields(d)
            yield {**stored["record"], "body": stored.get("body", "")}

    def count(self, req: SearchRequest) -> int:
        """How many releases match a search."""
        return int(self._match(req).matched().sum())

    def _ordered(self, m: _Matched, matched: np.ndarray, sort: str) -> list[int]:
        """Matching document numbers in sort order; ties always broken by id."""
        arrays = m.arrays
        docs = np.flatnonzero(matched)
        if sort == "relevance" and m.q is not None:
            # When the query has accents, releases with the exact accented forms rank first
            # (Peña above pena); BM25F and the ranking signals order within each tier.
            exact = self._exact_matches(m.searcher, arrays, accented_words(m.text))[docs]
            scores = rank_scores(m.searcher, arrays, m.q, docs, m.scores[docs], exact)
            # Releases the words match as text come before those only their entity matched.
            through_entity = ~m.text_match[docs] if m.text_match is not None else np.zeros(len(docs), dtype=bool)
            order = np.lexsort((arrays.id_rank[docs], -scores, -exact, through_entity))
        else:
            dates = arrays.date_key[docs]
            order = np.lexsort((arrays.id_rank[docs], -dates if sort != "oldest" else dates, dates < 0))
        return docs[order].tolist()

    @staticmethod
    def _exact_matches(searcher: Any, arrays: ReaderArrays, words: list[str]) -> np.ndarray:
        """Per document, how many of the accented query words it contains exactly."""
        counts = np.zeros(arrays.size, dtype=np.int32)
        for w in words:
            ids, _ = term_postings(searcher, "accented", w.encode("utf-8"))
            counts[ids] += 1
        return counts

    def _hit(self, searcher: Any, docnum: int, q: Q.Query | None, ui_lang: str = "en") -> Hit:
        stored = searcher.stored_fields(docnum)
        return make_hit(
            stored["record"],
            stored.get("body") or "",
            stored.get("chrome") or (),
            q,
            stemmer_for(searcher.schema),
            ui_lang,
        )

    # Single releases and stats ----------------------------------------------------------

    def release(self, release_id: str, query: str = "") -> dict[str, Any] | None:
        """One release: its stored record, ``body``, and ``body_html`` with the query's first
        ``MAX_MARKS`` matches marked and numbered (``<mark id="m1">``), plus ``matches`` (how many
        were marked) and ``more_matches`` (True when there were more). None if unknown."""
        searcher, _arrays, _generation = self.searchers.get()
        docnum = self._docnum(searcher, release_id)
        if docnum is None:
            return None
        stored = searcher.stored_fields(docnum)
        record = {**stored["record"], "source_id": _source_id(stored["record"])}
        body = stored.get("body", "")
        text = split_query(query)[0]
        q = self._query(searcher, text, Deadline()) if query else None
        if q is not None:  # the names of the entities the query names are highlighted too
            parse = lambda t: self._query(searcher, t, Deadline())  # noqa: E731
            q = highlight_query(q, expand_entities(text, searcher, parse)[1], parse)
        lang = record.get("lang") or "und"
        spans = match_spans(body, lang, q, MAX_MARKS + 1, False, stemmer_for(searcher.schema)) if q is not None else []
        marked = spans[:MAX_MARKS]
        return {
            **record,
            "body": body,
            "body_html": mark_all(body, marked),
            "matches": len(marked),
            "more_matches": len(spans) > MAX_MARKS,
        }

    def related(self, release_id: str, limit: int = 5) -> list[dict[str, Any]]:
        """Releases about the same thing (see ``related``), as ``{id, title, date}``."""
        searcher, arrays, _generation = self.searchers.get()
        docnum = self._docnum(searcher, release_id)
        if docnum is None:
            return []
        out = []
        for d in related_documents(searcher, arrays, docnum, limit):
            record = searcher.stored_fields(d)["record"]
            out.append({"id": record["id"], "title": record["title"], "date": record.get("date")})
        return out

    @staticmethod
    def _docnum(searcher: Any, release_id: str) -> int | None:
        """The live document of a release named by its URL id or by its given id."""
        for form in lookup_forms(release_id):
            docnum = searcher.document_number(id=form)
            if docnum is not None:
                return docnum
        return None

    def iter_releases(self) -> Iterable[dict[str, Any]]:
        """Every live release's stored record and body, in id order."""
        searcher, arrays, _generation = self.searchers.get()
        for d in sorted(np.flatnonzero(arrays.live).tolist(), key=lambda d: arrays.ids[d]):
            stored = searcher.stored_fields(d)
            yield {**stored["record"], "body": stored.get("body", "")}

    def stats(self, top: int = 20) -> dict[str, Any]:
        """``{releases, by_lang, top: {agency, official, role}, index_bytes, built_at, generation, rejected}``."""
        _searcher, arrays, generation = self.searchers.get()
        meta = IndexStore.read_meta(generation)

        def ranked(name: str, n: int | None) -> list[dict[str, Any]]:
            values = arrays.facets[name].values
            counts = arrays.count(name, arrays.live)
            order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-int(counts[i]), values[i]))
            return [{"value": values[i], "count": int(counts[i])} for i in order[:n]]

        return {
            "releases": int(arrays.live.sum()),
            "by_lang": {v["value"]: v["count"] for v in ranked("lang", None)},
            "top": {name: ranked(name, top) for name in STATS_FACETS},
            "index_bytes": folder_bytes(generation),
            "built_at": meta.get("built_at"),
            "generation": generation.name,
            "rejected": int(meta.get("rejected") or 0),
        }


def _source_id(record: dict[str, Any]) -> str:
    """The id as given (an index built before given ids were kept: decoded from the URL id)."""
    return record.get("source_id") or given_id(record["id"])


def make_hit(rec: dict[str, Any], full: str, chrome: Any, q: Q.Query | None, stemmer: Any, ui_lang: str = "en") -> Hit:
    """One hit from a stored record, its body and its page chrome ranges (both backends).

    Snippets come from the release's own text: its page chrome (a contact block, a site footer)
    is blanked, unless only the chrome matched."""
    lang = rec.get("lang") or "und"
    body = blank(full, chrome)
    spans = match_spans(body, lang, q, SNIPPET_SPAN_LIMIT, True, stemmer)
    if q is not None and not spans and body is not full:
        body = full
        spans = match_spans(body, lang, q, SNIPPET_SPAN_LIMIT, True, stemmer)
    return Hit(
        id=rec["id"],
        source_id=_source_id(rec),
        title=rec["title"],
        date=rec.get("date"),
        url=rec.get("url"),
        lang=lang,
        publisher=rec.get("publisher"),
        agencies=rec.get("agencies") or [],
        officials=[official_view(o, ui_lang) for o in rec.get("officials") or []],
        roles=rec.get("roles") or [],
        topics=rec.get("topics") or [],
        snippet=make_snippet(body, spans, start=browse_start(body, rec["title"]) if not spans else 0),
        matched_forms=stemmed_forms(body, spans, q),
    )
