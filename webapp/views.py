"""Pages, the JSON API, exports and the feed. Every view answers from ``indexer`` objects turned
into plain dicts; nothing here touches Whoosh."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import MultiDict

from indexer.backends import SearchEngine
from indexer.labels import official_view
from indexer.search import FACETS, MAX_FACET_SIZE, SORTS, SearchError, SearchRequest, label

from .exports import MAX_EXPORT, csv_stream, json_stream
from .feed import FEED_SIZE, atom_feed
from .i18n import translate, ui_lang
from .openapi import openapi_spec
from .params import search_args, search_request
from .presentation import (
    SEARCH,
    chips,
    detail_text,
    facets_for_template,
    hits_for_template,
    image_links,
    page_title,
    pagination,
    timeline_bars,
    url,
    with_value,
)

bp = Blueprint("web", __name__)

#: Longest release id a URL may name (a given id of 512 characters escapes to at most 4 x 3 each).
MAX_ID_URL = 6200


def engine() -> SearchEngine:
    return current_app.extensions["pressroom.engine"]


def _labels(page) -> dict[tuple[str, str], str]:
    return {(name, v.value): v.label for name, values in page.facets.items() for v in values}


def _release_or_404(release_id: str, query: str = "") -> dict[str, Any]:
    record = engine().release(release_id, query) if len(release_id) <= MAX_ID_URL else None
    if record is None:
        abort(404, translate("no_such_release", ui_lang(), id=release_id))
    return record


# --------------------------------------------------------------------------------------------
# Pages


@bp.get("/")
def search_page():
    lang = ui_lang()
    req = search_request(request.args, lang)
    page = engine().search(req)
    args = search_args(request.args)
    suggestion_url = None
    if page.suggestion:
        corrected = MultiDict((k, v) for k, v in args.items(multi=True) if k not in ("q", "page"))
        corrected.add("q", page.suggestion)
        suggestion_url = url(SEARCH, corrected)
    active = chips(page, args, lang, _labels(page))
    return render_template(
        "search.html",
        page=page,
        hits=hits_for_template(page, lang),
        timeline=timeline_bars(page, args, lang),
        title=page_title(req.query, active),
        query=req.query,
        facets=facets_for_template(page, args, lang),
        chips=active,
        pagination=pagination(page, args),
        sort_urls={
            s: url(SEARCH, with_value(with_value(args, "sort", args.get("sort", ""), False), "sort", s, True))
            for s in SORTS
        },
        clear_url=url(SEARCH, MultiDict((k, v) for k, v in args.items(multi=True) if k in ("q", "ui", "sort"))),
        export_csv_url=url("web.export_csv", with_value(args, "page", "", False)),
        export_json_url=url("web.export_json", with_value(args, "page", "", False)),
        feed_url=url("web.feed", with_value(with_value(args, "page", "", False), "sort", args.get("sort", ""), False)),
        suggestion_url=suggestion_url,
        args=args,
        sorts=SORTS,
    )


@bp.get("/help")
def help_page():
    return render_template("help.html")


@bp.get("/release/<path:release_id>")
def release_page(release_id: str):
    query = request.args.get("q", "")
    record = _release_or_404(release_id, query)
    lang = ui_lang()
    labels = label
    officials = [
        {**official_view(o, lang), "agency_label": labels("agency", o["agency"], lang) if o.get("agency") else None}
        for o in record.get("officials") or []
    ]
    agencies = [{"value": a, "label": labels("agency", a, lang)} for a in record.get("agencies") or []]
    back = search_args(request.args)
    return render_template(
        "release.html",
        r=record,
        officials=officials,
        agencies=agencies,
        related=engine().related(release_id),
        images=image_links(record.get("images") or [], record.get("url")),
        lang_label=labels("lang", record.get("lang") or "und", lang),
        publisher_label=labels("agency", record["publisher"], lang) if record.get("publisher") else None,
        query=query,
        back_url=url(SEARCH, back) if query else None,
        match_numbers=list(range(1, min(record["matches"], 500) + 1)),
    )


@bp.get("/facets/<name>")
def facet_page(name: str):
    if name not in FACETS:
        abort(404, translate("no_such_facet", ui_lang(), name=name, names=", ".join(FACETS)))
    lang = ui_lang()
    req = search_request(request.args, lang)
    prefix = request.args.get("prefix", "")
    values, truncated = engine().facet_values(req, name, prefix)
    args = search_args(request.args)
    selected = set(args.getlist(name))
    rows = [
        {
            "value": v.value,
            "label": v.label,
            "count": v.count,
            "detail": detail_text(v.detail),
            "selected": v.selected or v.value in selected,
            "toggle_url": url(SEARCH, with_value(args, name, v.value, not (v.selected or v.value in selected))),
        }
        for v in values
    ]
    return render_template(
        "facet_values.html",
        name=name,
        title=translate(f"facet_{name}", lang),
        rows=rows,
        prefix=prefix,
        truncated=truncated,
        limit=MAX_FACET_SIZE,
        hidden=[(k, v) for k, v in args.items(multi=True)],
        back_url=url(SEARCH, args),
    )


# --------------------------------------------------------------------------------------------
# JSON API


@bp.get("/api/search")
def api_search():
    page = engine().search(search_request(request.args, ui_lang()))
    return jsonify(page.as_dict())


@bp.get("/api/releases/<path:release_id>")
def api_release(release_id: str):
    record = _release_or_404(release_id)
    keys = ("id", "source_id", "title", "date", "url", "lang", "publisher", "agencies", "officials", "roles", "topics")
    body = {k: record.get(k) for k in keys}
    body.update(
        {
            "officials": [official_view(o, ui_lang()) for o in record.get("officials") or []],
            "date_inferred": bool(record.get("date_inferred")),
            "body": record.get("body", ""),
            "images": record.get("images") or [],
            "extra": record.get("extra") or {},
            "source": record.get("source"),
            "related": [{"id": r["id"], "title": r["title"]} for r in engine().related(release_id)],
        }
    )
    return jsonify(body)


@bp.get("/api/facets/<name>")
def api_facets(name: str):
    if name not in FACETS:
        raise SearchError("name", "unknown_facet", name=name, names=", ".join(FACETS))
    req = search_request(request.args, ui_lang())
    values, truncated = engine().facet_values(req, name, request.args.get("prefix", ""))
    return jsonify(
        {
            "facet": name,
            "prefix": request.args.get("prefix", ""),
            "values": [v.as_dict() for v in values],
            "truncated": truncated,
        }
    )


@bp.get("/api/openapi.json")
def api_openapi():
    return jsonify(openapi_spec())


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok", **engine().status()})


# --------------------------------------------------------------------------------------------
# Exports and feed


def _export_request() -> tuple[SearchRequest, bool]:
    req = search_request(request.args, ui_lang())
    total = engine().count(req)
    return req, total > MAX_EXPORT


def _export_headers(truncated: bool, filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Pressroom-Truncated": "true" if truncated else "false",
        "X-Pressroom-Export-Limit": str(MAX_EXPORT),
    }


@bp.get("/export.csv")
def export_csv():
    req, truncated = _export_request()
    records = engine().iter_matches(req, limit=MAX_EXPORT)
    return Response(
        stream_with_context(csv_stream(records)),
        mimetype="text/csv",
        headers=_export_headers(truncated, "pressroom.csv"),
    )


@bp.get("/export.json")
def export_json():
    req, truncated = _export_request()
    records = engine().iter_matches(req, limit=MAX_EXPORT)
    return Response(
        stream_with_context(json_stream(records)),
        mimetype="application/json",
        headers=_export_headers(truncated, "pressroom.json"),
    )


@bp.get("/feed.atom")
def feed():
    lang = ui_lang()
    args = MultiDict(request.args)
    args.setlist("sort", ["newest"])  # a feed is always newest first; any sort given is ignored
    req = search_request(args, lang)
    req.page, req.per_page = 1, FEED_SIZE
    records = list(engine().iter_matches(req, limit=FEED_SIZE))
    # titled as the results page is: the filters as they resolved, with their labels
    # ("Holder of: Secretary of Foreign Affairs", never the alias typed)
    resolved = engine().search(replace(req, per_page=1))
    args_ = search_args(request.args)
    described = page_title(req.query, chips(resolved, args_, lang, _labels(resolved))) or translate("app_tagline", lang)
    base = site_url()
    search_url = base + url(SEARCH, search_args(request.args, drop=("sort", "page")))
    updated = max(
        (f"{r['date']}T00:00:00Z" for r in records if r.get("date")),
        default=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    body = atom_feed(
        f"Pressroom: {described}",
        base + request.full_path.rstrip("?"),
        search_url,
        records,
        lambda rid: base + url_for("web.release_page", release_id=rid),
        updated,
    )
    return Response(body, mimetype="application/atom+xml")


def site_url() -> str:
    """The site's address for absolute links: ``PRESSROOM_BASE_URL`` when set, else the request's."""
    return current_app.config.get("BASE_URL") or request.host_url.rstrip("/")


def json_error(status: int, code: str, message: str, param: str | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "param": param}})
    response.status_code = status
    return response


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/export.", "/feed.", "/healthz"))
