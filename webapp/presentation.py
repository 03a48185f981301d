"""Search results -> plain dicts for templates: facet lists with toggle links, chips, pagination.

Like Datasette's facets: each value carries ``toggle_url`` (select or unselect it) so the
templates never build URLs themselves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer.search import FILTER_NAMES, SearchPage

from .i18n import translate

#: The search page's endpoint: every facet, chip and pagination link goes there.
SEARCH = "web.search_page"


def url(endpoint: str, args: MultiDict, **values: str) -> str:
    """The URL of ``endpoint`` (``url_for``, with ``values`` for its path) with ``args`` as the
    query string, in their order and with repeatable keys kept."""
    path = url_for(endpoint, **values)
    query = urlencode(list(args.items(multi=True)))
    return f"{path}?{query}" if query else path


def with_value(args: MultiDict, name: str, value: str, on: bool) -> MultiDict:
    """A copy of ``args`` with one filter value added or removed; the page resets to 1."""
    out = MultiDict()
    for key, v in args.items(multi=True):
        if key == "page" or (key == name and v == value):
            continue
        out.add(key, v)
    if on:
        out.add(name, value)
    return out


def detail_text(detail: dict | None) -> str:
    """An official's usual rank, post and agency as one line: "General · Secretary of National Defense · SEDENA"."""
    if not detail:
        return ""
    return " · ".join(detail[k] for k in ("rank_label", "role_label", "agency_label") if detail.get(k))


def facets_for_template(page: SearchPage, args: MultiDict, lang: str) -> list[dict[str, Any]]:
    """``[{name, title, results: [{value, label, count, selected, toggle_url}], truncated, more_url}]``."""
    out = []
    for name in FILTER_NAMES:
        results = []
        selected_values = set(page.filters.get(name) or [])
        for v in page.facets[name]:
            selected = v.selected or v.value in selected_values
            results.append(
                {
                    "value": v.value,
                    "label": v.label,
                    "count": v.count,
                    "detail": detail_text(v.detail),
                    "selected": selected,
                    "toggle_url": url(
                        SEARCH, with_value(_canonical_args(args, page, name), name, v.value, not selected)
                    ),
                }
            )
        more = with_value(args, "page", "", False)
        out.append(
            {
                "name": name,
                "title": translate(f"facet_{name}", lang),
                "results": results,
                "truncated": page.facets_truncated[name],
                "more_url": url("web.facet_page", more, name=name),
            }
        )
    return out


def _canonical_args(args: MultiDict, page: SearchPage, name: str) -> MultiDict:
    """Args whose values for ``name`` are the canonical ones the engine resolved (so toggling off works)."""
    out = MultiDict()
    placed = False
    for key, value in args.items(multi=True):
        if key != name:
            out.add(key, value)
        elif not placed:  # the canonical values take the place of the first one given
            for canonical in page.filters.get(name) or []:
                out.add(name, canonical)
            placed = True
    return out


def chips(page: SearchPage, args: MultiDict, lang: str, labels: dict[tuple[str, str], str]) -> list[dict[str, str]]:
    """Active filters as removable chips: ``[{name, title, label, remove_url}]``."""
    out = []
    for name in FILTER_NAMES:
        for value in page.filters.get(name) or []:
            out.append(
                {
                    "name": name,
                    "title": translate(f"facet_{name}", lang),
                    "label": labels.get((name, value), value),
                    "remove_url": url(SEARCH, with_value(_canonical_args(args, page, name), name, value, False)),
                }
            )
    for name in ("from", "to"):
        if page.filters.get(name):
            rest = MultiDict((k, v) for k, v in args.items(multi=True) if k not in (name, "page"))
            out.append(
                {
                    "name": name,
                    "title": translate(name, lang),
                    "label": page.filters[name],
                    "remove_url": url(SEARCH, rest),
                }
            )
    return out


def pagination(page: SearchPage, args: MultiDict) -> dict[str, Any]:
    """Previous/next links and the page numbers around the current one."""

    def link(n: int) -> str:
        out = MultiDict((k, v) for k, v in args.items(multi=True) if k != "page")
        if n > 1:
            out.add("page", str(n))
        return url(SEARCH, out)

    last = max(page.pages, 1)
    window = range(max(1, page.page - 3), min(last, page.page + 3) + 1)
    return {
        "previous": link(page.page - 1) if page.page > 1 else None,
        "next": link(page.page + 1) if page.page < page.pages else None,
        "pages": [{"number": n, "url": link(n), "current": n == page.page} for n in window],
        "page": page.page,
        "last": last,
    }
