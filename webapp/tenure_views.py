"""Official profiles and post holders: ``/officials/<name>``, ``/posts/<post>``, their JSON under
``/api/``, and the Popolo export. A name or post written another way (an alias, a variant
spelling) answers with a 302 to its canonical URL; an unknown one is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.analysis import fold_key
from indexer.backends import SearchEngine
from indexer.labels import role_label
from indexer.popolo import popolo_export
from indexer.profiles import (
    UnknownOfficialError,
    UnknownPostError,
    holder_terms,
    holders,
    official,
    resolve_official,
    resolve_post,
)
from indexer.search import UI_LANGUAGES, SearchError, SearchRequest, label
from indexer.search.aliases import matched_through

from .i18n import translate, ui_lang
from .presentation import SEARCH, url

bp = Blueprint("tenures", __name__)

#: The drawing box of the timelines and the chart (SVG user units; they scale to the page).
WIDTH, ROW, LEFT = 720, 26, 0
CHART_HEIGHT, CHART_TOP = 80, 14
#: Releases listed on a profile (the rest through the filtered search).
PROFILE_RELEASES = 10
#: Holders a post page lists at once (assistant U.S. attorneys: 2,700 terms at 20,000 releases).
HOLDERS_PER_PAGE = 100


@bp.app_template_global()
def expansion_note(expansion: dict[str, str], lang: str) -> str:
    """ "Also matched: Secretaría de Salud, through its English name" for one expansion."""
    how = translate(f"through_{matched_through(expansion)}", lang)
    return translate("also_matched", lang, label=expansion["value"], how=how)


@bp.before_request
def check_ui() -> None:
    """``ui`` is en or es here as on every page (400 otherwise)."""
    chosen = request.args.get("ui")
    if chosen not in (None, "", *UI_LANGUAGES):
        raise SearchError("ui", "ui", choices="/".join(UI_LANGUAGES), value=chosen)


def engine() -> SearchEngine:
    return current_app.extensions["pressroom.engine"]


def _ui_args() -> MultiDict:
    return MultiDict([("ui", request.args["ui"])]) if request.args.get("ui") else MultiDict()


def _canonical_official(name: str) -> str:
    try:
        return resolve_official(engine(), name)
    except UnknownOfficialError:
        abort(404, translate("no_such_official", ui_lang(), name=name))


def _canonical_post(post: str) -> str:
    try:
        return resolve_post(engine(), post)
    except UnknownPostError:
        abort(404, translate("no_such_post", ui_lang(), post=post))


def _redirect(endpoint: str, **values: str) -> Response:
    """A 302 to the canonical URL; on the JSON routes its body is JSON too (``{"location": ...}``)."""
    location = url(endpoint, MultiDict(request.args), **values)
    if request.path.startswith("/api/"):
        response = jsonify({"location": location})
        response.status_code = 302
        response.headers["Location"] = location
        return response
    return redirect(location, 302)


# --------------------------------------------------------------------------------------------
# Pages


@bp.get("/officials/<path:name>")
def official_page(name: str):
    canonical = _canonical_official(name)
    if canonical != name:
        return _redirect("tenures.official_page", name=canonical)
    lang = ui_lang()
    profile = official(engine(), canonical)
    ui = _ui_args()
    person = MultiDict([*ui.items(multi=True), ("official", canonical)])
    recent = engine().search(SearchRequest(official=[canonical], sort="newest", per_page=PROFILE_RELEASES))
    feminine = _shown_feminine(canonical)
    posts = [
        {
            **p,
            "label": role_label(p["role"], lang, feminine),
            "agency_label": label("agency", p["agency"], lang) if p["agency"] else None,
            "post_url": url("tenures.post_page", ui, post=p["role"]),
            "releases_url": url(
                SEARCH, _with(person, role=p["role"], **{"from": p["first_seen"], "to": p["last_seen"]})
            ),
        }
        for p in profile["posts"]
    ]
    return render_template(
        "official.html",
        profile=profile,
        posts=posts,
        timeline=_timeline([(p["label"], p["first_seen"], p["last_seen"], p["post_url"]) for p in posts], lang),
        chart=_month_chart(profile["by_month"], person, lang),
        appears_with=[{**w, "url": url("tenures.official_page", ui, name=w["name"])} for w in profile["appears_with"]],
        agencies=[
            {**a, "label": label("agency", a["value"], lang), "url": url(SEARCH, _with(person, agency=a["value"]))}
            for a in profile["agencies"]
        ],
        recent=recent.hits,
        search_url=url(SEARCH, person),
        feed_url=url("web.feed", MultiDict([("official", canonical)])),
        json_url=url("tenures.api_official", MultiDict(), name=canonical),
    )


def _shown_feminine(name: str) -> bool:
    """Whether the releases that show this official's gender in their post mostly show a woman
    (``la secretaria``): her posts then read feminine in Spanish, as in the facet's detail."""
    data = engine().facet_data("official")
    ids = data.keys.get(fold_key(name), [])
    detail = data.details.get(ids[0]) if ids else None
    return bool(detail and len(detail) > 3 and detail[3])


@bp.get("/posts/<path:post>")
def post_page(post: str):
    canonical = _canonical_post(post)
    if canonical != post:
        return _redirect("tenures.post_page", post=canonical)
    lang = ui_lang()
    data = holders(engine(), canonical, lang)
    ui = _ui_args()
    number = _page_number()
    pages = max(1, -(-len(data["holders"]) // HOLDERS_PER_PAGE))
    if number > pages:
        abort(404, translate("page_past_end", lang))
    first = (number - 1) * HOLDERS_PER_PAGE
    shown = list(zip(data["holders"], holder_terms(engine(), canonical), strict=True))[first : first + HOLDERS_PER_PAGE]
    rows = []
    for h, term in shown:
        named = MultiDict([*ui.items(multi=True), ("official", h["name"]), ("role", canonical)])
        rows.append(
            {
                **h,
                "agency_label": label("agency", term["agency"], lang) if term.get("agency") else None,
                "profile_url": url("tenures.official_page", ui, name=h["name"]),
                "releases_url": url(SEARCH, _with(named, **{"from": h["first_seen"], "to": h["last_seen"]})),
            }
        )
    held = MultiDict([*ui.items(multi=True), ("holder_of", canonical)])
    return render_template(
        "post.html",
        post=data,
        rows=rows,
        timeline=_timeline(
            [
                (
                    r["name"] + (f" ({translate('acting', lang)})" if r["acting"] else ""),
                    r["first_seen"],
                    r["last_seen"],
                    r["profile_url"],
                )
                for r in rows
            ],
            lang,
        ),
        search_url=url(SEARCH, held),
        written_url=url(SEARCH, MultiDict([*ui.items(multi=True), ("role", canonical)])),
        feed_url=url("web.feed", MultiDict([("holder_of", canonical)])),
        json_url=url("tenures.api_post", MultiDict(), post=canonical),
        pagination=_pages(number, pages, len(data["holders"]), canonical, ui),
    )


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit():
        raise SearchError("page", "whole_number", param="page", value=raw)
    if int(raw) < 1:
        raise SearchError("page", "page_min")
    return int(raw)


def _pages(number: int, pages: int, total: int, post: str, ui: MultiDict) -> dict[str, Any] | None:
    """Previous and next links over a long list of holders (None when one page holds them all)."""
    if pages == 1:
        return None

    def link(n: int) -> str:
        return url("tenures.post_page", MultiDict([*ui.items(multi=True), ("page", str(n))]), post=post)

    first = (number - 1) * HOLDERS_PER_PAGE + 1
    return {
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < pages else None,
        "page": number,
        "pages": pages,
        "first": first,
        "last": min(total, first + HOLDERS_PER_PAGE - 1),
        "total": total,
    }


def _with(args: MultiDict, **values: str) -> MultiDict:
    out = MultiDict(args)
    for key, value in values.items():
        out.setlist(key, [value])
    return out


def _day(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def _timeline(rows: list[tuple[str, str, str, str]], lang: str) -> dict[str, Any] | None:
    """Terms as horizontal bars on one time axis: ``[(label, first, last, url)]`` -> SVG geometry."""
    if not rows:
        return None
    lo = min(_day(r[1]) for r in rows)
    hi = max(_day(r[2]) for r in rows)
    span = max(hi - lo, 1)
    bars = []
    for i, (text, first, last, link) in enumerate(rows):
        x = (_day(first) - lo) / span * (WIDTH - 8)
        width = max((_day(last) - _day(first)) / span * (WIDTH - 8), 4)
        bars.append(
            {
                "x": round(x + 4, 1),
                "y": i * ROW + 4,
                "width": round(width, 1),
                "label": text,
                "text_x": round(min(x + 4, WIDTH * 0.55), 1),
                "url": link,
                "description": translate("term_bar", lang, who=text, first=first, last=last),
            }
        )
    years = range(date.fromordinal(lo).year + 1, date.fromordinal(hi).year + 1)
    step = max(1, len(years) // 8)
    ticks = [
        {"x": round((_day(f"{y}-01-01") - lo) / span * (WIDTH - 8) + 4, 1), "label": str(y)} for y in years[::step]
    ]
    height = len(rows) * ROW + 22
    return {"width": WIDTH, "height": height, "bars": bars, "ticks": ticks, "axis_y": len(rows) * ROW + 6}


def _month_chart(months: list[dict[str, Any]], person: MultiDict, lang: str) -> dict[str, Any] | None:
    """Releases per month as SVG bars, each a link to that month's releases."""
    if not months:
        return None
    tallest = max(m["count"] for m in months) or 1
    width = WIDTH / len(months)
    bars = []
    for i, m in enumerate(months):
        height = round(CHART_HEIGHT * m["count"] / tallest, 1)
        bars.append(
            {
                "x": round(i * width, 2),
                "width": round(max(width - 1, 0.5), 2),
                "y": round(CHART_TOP + CHART_HEIGHT - height, 1),
                "height": height,
                "count": m["count"],
                "month": m["month"],
                "url": url(SEARCH, _with(person, **{"from": m["month"], "to": m["month"]})),
                "description": translate("month_bar", lang, month=m["month"], n=m["count"]),
            }
        )
    labelled = {0, len(months) - 1, *range(0, len(months), max(1, len(months) // 6))}
    return {
        "bars": bars,
        "labels": [{"x": round(i * width + width / 2, 1), "text": months[i]["month"]} for i in sorted(labelled)],
        "width": WIDTH,
        "height": CHART_TOP + CHART_HEIGHT + 18,
        "base": CHART_TOP + CHART_HEIGHT,
    }


# --------------------------------------------------------------------------------------------
# JSON


@bp.get("/api/officials/<path:name>")
def api_official(name: str):
    canonical = _canonical_official(name)
    if canonical != name:
        return _redirect("tenures.api_official", name=canonical)
    return jsonify(official(engine(), canonical))


@bp.get("/api/posts/<path:post>")
def api_post(post: str):
    canonical = _canonical_post(post)
    if canonical != post:
        return _redirect("tenures.api_post", post=canonical)
    return jsonify(holders(engine(), canonical, ui_lang()))


@bp.get("/export.popolo.json")
def export_popolo():
    return jsonify(popolo_export(engine()))
