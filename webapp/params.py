"""URL parameters -> ``SearchRequest``; the same names and meaning as the CLI's filters."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from indexer.search import FILTER_NAMES, UI_LANGUAGES, SearchError, SearchRequest

#: Parameters that make up a search (the URL is the whole state).
SEARCH_PARAMS = ("q", *FILTER_NAMES, "from", "to", "sort", "page", "per_page", "facet_size", "ui")


def _int(args: MultiDict, name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SearchError(name, "whole_number", param=name, value=raw) from None


def search_request(args: MultiDict, ui_lang: str, per_page: int = 10) -> SearchRequest:
    """Build a request from URL parameters (raises ``SearchError`` naming a bad parameter)."""
    if args.get("ui") not in (None, "", *UI_LANGUAGES):
        raise SearchError("ui", "ui", choices="/".join(UI_LANGUAGES), value=args.get("ui"))
    sort = args.get("sort") or None
    return SearchRequest(
        query=args.get("q", ""),
        **{name: [v for v in args.getlist(name) if v.strip()] for name in FILTER_NAMES},
        date_from=args.get("from") or None,
        date_to=args.get("to") or None,
        sort=sort,
        page=_int(args, "page", 1),
        per_page=_int(args, "per_page", per_page),
        facet_size=_int(args, "facet_size", 10),
        ui_lang=ui_lang,
    )


def search_args(args: MultiDict, drop: tuple[str, ...] = ()) -> MultiDict:
    """The search's own parameters from a request, without ``drop``: the base of every link."""
    out = MultiDict()
    for key in SEARCH_PARAMS:
        if key in drop:
            continue
        for value in args.getlist(key):
            if value != "":
                out.add(key, value)
    return out
