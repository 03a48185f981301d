"""Search: a query -> ``SearchPage`` (hits, total, facets, suggestion) as plain dataclasses.

One concept per module, along Whoosh's own seams:

- ``model``: the request and the answer (``SearchRequest``, ``SearchPage``), parameter checks;
- ``query``: query strings -> Whoosh queries (filters taken out, malformed input kept as words);
- ``expansion``: prefixes and wildcards -> their words, within limits; the time budget;
- ``postings`` and ``scoring``: posting lists as numpy arrays, and BM25F evaluation over them;
- ``facets``: what a facet is (one class each, registered in ``FACETS``) and facet lists;
- ``arrays``: what is derived once per reader (ids, dates, facet pairs, the vocabulary);
- ``highlight``: matches, snippets and the marked release body;
- ``spelling``: "did you mean";
- ``searchers``: one searcher per thread over the current generation;
- ``engine``: ``Engine``, which ties them together.

The web layer and the CLI import from here; neither touches Whoosh objects.
"""

from __future__ import annotations

from ..labels import UI_LANGUAGES, label
from .engine import Engine
from .expansion import QueryTimeoutError, QueryTooBroadError
from .facets import FACETS, FILTER_NAMES, Facet
from .highlight import make_snippet, mark_all, match_spans
from .model import (
    MAX_FACET_SIZE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
    FacetValue,
    Hit,
    SearchError,
    SearchPage,
    SearchRequest,
    parse_date_bound,
)
from .query import parse_query, split_query

__all__ = [
    "FACETS",
    "FILTER_NAMES",
    "MAX_FACET_SIZE",
    "MAX_PER_PAGE",
    "MAX_QUERY_CHARS",
    "SORTS",
    "UI_LANGUAGES",
    "Engine",
    "Facet",
    "FacetValue",
    "Hit",
    "QueryTimeoutError",
    "QueryTooBroadError",
    "SearchError",
    "SearchPage",
    "SearchRequest",
    "label",
    "make_snippet",
    "mark_all",
    "match_spans",
    "parse_date_bound",
    "parse_query",
    "split_query",
]
