"""Search results -> plain dicts for templates: facet lists with toggle links, chips, pagination.

Like Datasette's facets: each value carries ``toggle_url`` (select or unselect it) so the
templates never build URLs themselves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

from flask import url_for
from werkzeug.datastructures import MultiDict

from indexer.analysis import fold_key
from indexer.search import FILTER_NAMES, SearchPage, label

from .i18n import translate
from .safety import http_url

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
        # past the end, "previous" goes back to the last page that has results
        "previous": link(min(page.page - 1, last)) if page.page > 1 else None,
        "next": link(page.page + 1) if page.page < page.pages else None,
        "pages": [{"number": n, "url": link(n), "current": n == page.page} for n in window],
        "page": page.page,
        "last": last,
    }


def hits_for_template(page: SearchPage, lang: str) -> list[dict[str, Any]]:
    """Hits as the results list shows them: the language by name, the publisher's label, and the
    agencies and officials a filter selected moved to the front and marked, so a reader sees why a
    release matched."""
    chosen = {name: {fold_key(v) for v in page.filters.get(name) or []} for name in ("agency", "official")}
    out = []
    for hit in page.hits:
        agencies = [
            {"value": a, "label": label("agency", a, lang), "selected": fold_key(a) in chosen["agency"]}
            for a in hit.agencies
        ]
        officials = [
            {"value": o["name"], "label": o["name"], "selected": fold_key(o["name"]) in chosen["official"]}
            for o in hit.officials
        ]
        out.append(
            {
                **hit.__dict__,
                "lang_label": label("lang", hit.lang, lang),
                "publisher_label": label("agency", hit.publisher, lang) if hit.publisher else None,
                "agencies": sorted(agencies, key=lambda a: not a["selected"]),
                "officials": sorted(officials, key=lambda o: not o["selected"]),
            }
        )
    return out


def timeline_bars(page: SearchPage, args: MultiDict, lang: str) -> dict[str, Any] | None:
    """The timeline as SVG bars, each a link that narrows the search to its period; None for a
    single period (nothing to compare)."""
    periods = page.timeline
    if len(periods) < 2:
        return None
    tallest = max(p["count"] for p in periods) or 1
    width = TIMELINE_WIDTH / len(periods)
    bars = []
    for i, p in enumerate(periods):
        height = round(TIMELINE_HEIGHT * p["count"] / tallest, 1)
        narrowed = MultiDict((k, v) for k, v in args.items(multi=True) if k not in ("from", "to", "page"))
        narrowed.add("from", p["from"])
        narrowed.add("to", p["to"])
        bars.append(
            {
                "x": round(i * width + 1, 1),
                "width": round(max(width - 2, 1), 1),
                "y": round(TIMELINE_TOP + TIMELINE_HEIGHT - height, 1),
                "height": height,
                "count": p["count"],
                "period": p["period"],
                "label_x": round(i * width + width / 2, 1),
                "url": url(SEARCH, narrowed),
                "description": translate("timeline_bar", lang, period=p["period"], n=p["count"]),
                "show_period": i == 0 or i == len(periods) - 1 or len(periods) <= 12 or i % (len(periods) // 6) == 0,
            }
        )
    monthly = len(periods[0]["period"]) > 4
    return {
        "bars": bars,
        "width": TIMELINE_WIDTH,
        "height": TIMELINE_TOP + TIMELINE_HEIGHT + 18,
        "base": TIMELINE_TOP + TIMELINE_HEIGHT,
        "title": translate("timeline_months" if monthly else "timeline_years", lang),
    }


def page_title(query: str, chips_: list[dict[str, str]]) -> str:
    """The browser tab's title: the query and the active filters (``Sanchez Cordero · Agency: SEDENA``)."""
    parts = [query.strip()] if query.strip() else []
    parts += [f"{c['title']}: {c['label']}" for c in chips_]
    return " · ".join(parts)


#: The timeline's drawing box (SVG user units; the drawing scales to the page's width).
TIMELINE_WIDTH, TIMELINE_HEIGHT, TIMELINE_TOP = 600, 60, 14


def image_links(images: list[str], release_url: str | None) -> list[dict[str, str | None]]:
    """A release's images as the page lists them: ``{name, href}``. An absolute http(s) address
    is a link; a relative one is resolved against the release's own http(s) URL, else shown by its
    file name only (it named a file on the publisher's site that Pressroom cannot point to).

    >>> [i["href"] for i in image_links(["https://x.mx/a/b.jpg", "img/c.png"], "https://x.mx/prensa/1")]
    ['https://x.mx/a/b.jpg', 'https://x.mx/prensa/img/c.png']
    >>> image_links(["img/c.png"], None)
    [{'name': 'c.png', 'href': None}]
    """
    base = http_url(release_url) if release_url else None
    out: list[dict[str, str | None]] = []
    for image in images:
        try:
            href = http_url(image) or (http_url(urljoin(base, image)) if base else None)
            name = urlsplit(image).path.rstrip("/").rpartition("/")[2] or image
        except ValueError:  # not a URL at all
            href, name = None, image
        out.append({"name": unquote(name), "href": href})
    return out
