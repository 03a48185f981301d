"""A search request and its answer, as plain dataclasses; parameter validation.

``SearchPage.as_dict`` is the ``--json`` / ``/api/search`` contract.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

from ..labels import UI_LANGUAGES
from ..messages import message

#: Sort orders; ``None`` in a request means relevance with a query, newest without.
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
MAX_FACET_SIZE = 1000


class SearchError(ValueError):
    """A request parameter is out of range; ``param`` names it, ``code`` is the API's error code."""

    code = "bad_request"

    def __init__(self, param: str, key: str, /, **values: Any) -> None:
        self.param = param
        self.key = key
        self.values = values
        self.message = message(key, "en", **values)
        super().__init__(self.message)

    def message_in(self, lang: str) -> str:
        """The message in an interface language (``indexer.messages``)."""
        return message(self.key, lang, **self.values)


@dataclass
class SearchRequest:
    """One search: query, filters (values OR'ed within a filter, filters AND'ed), sort and page."""

    query: str = ""
    agency: list[str] = field(default_factory=list)
    publisher: list[str] = field(default_factory=list)
    official: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    holder_of: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str | None = None  # None: relevance with a query, newest without
    page: int = 1
    per_page: int = 10
    facet_size: int = 10
    ui_lang: str = "en"

    def filter_values(self, name: str) -> list[str]:
        """The values given for one filter."""
        return list(getattr(self, name))


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
    source_id: str
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
    #: Words of the snippet that matched through their stem, as written ("indictment" for "indicted").
    matched_forms: list[str] = field(default_factory=list)


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
    #: Filter values that name nothing the index knows: ``{"param", "value", "message"}``.
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: Matches per year (per month over spans under two years): ``{"period", "from", "to", "count"}``.
    timeline: list[dict[str, Any]] = field(default_factory=list)
    #: Query words that named an agency, post or person, matched as that entity too:
    #: ``{"text", "facet", "value", "label"}`` (``indexer.search.aliases``).
    expansions: list[dict[str, str]] = field(default_factory=list)

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
            "warnings": self.warnings,
            "timeline": self.timeline,
            "expansions": self.expansions,
        }


def parse_date_bound(value: str | None, end: bool, param: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> the first (or, for ``end``, last) day it covers.

    >>> parse_date_bound("2019", False, "from"), parse_date_bound("2019-02-30", True, "to")
    ('2019-01-01', '2019-02-28')
    """
    text = str(value).strip(" \t") if value is not None else ""  # spaces a form may add; nothing else
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text, re.ASCII)
    if not m:
        raise SearchError(param, "date_format", param=param, text=text)
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    if year < 1000 or (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        raise SearchError(param, "date_unreal", param=param, text=text)
    if month is None:
        month, day = (12, 31) if end else (1, 1)
    else:
        last = calendar.monthrange(year, month)[1]
        # A day past the month's end (2019-02-30) means its last day: what "to the end of" meant.
        day = min(day, last) if day else (last if end else 1)
    return f"{year:04d}-{month:02d}-{day:02d}"


def validate(req: SearchRequest) -> None:
    """Raise ``SearchError`` for parameters outside their documented ranges (filters: ``facets``)."""
    if len(req.query) > MAX_QUERY_CHARS:
        raise SearchError("q", "query_long", limit=MAX_QUERY_CHARS)
    if req.page < 1:
        raise SearchError("page", "page_min")
    if not 1 <= req.per_page <= MAX_PER_PAGE:
        raise SearchError("per_page", "range", param="per_page", limit=MAX_PER_PAGE)
    if not 1 <= req.facet_size <= MAX_FACET_SIZE:
        raise SearchError("facet_size", "range", param="facet_size", limit=MAX_FACET_SIZE)
    if req.sort is not None and req.sort not in SORTS:
        raise SearchError("sort", "one_of", param="sort", choices=", ".join(SORTS))
    if req.ui_lang not in UI_LANGUAGES:
        raise SearchError("ui", "ui", choices="/".join(UI_LANGUAGES), value=req.ui_lang)
    date_from = parse_date_bound(req.date_from, False, "from")
    date_to = parse_date_bound(req.date_to, True, "to")
    if date_from and date_to and date_from > date_to:
        raise SearchError("from", "date_order", date_from=date_from, date_to=date_to)
