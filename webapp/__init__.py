"""Pressroom's web front end (Flask); it talks to the index only through ``indexer``."""

from __future__ import annotations

# Werkzeug encodes host names with the "idna" codec; looked up for the first time inside a
# gunicorn worker thread it intermittently failed ("LookupError: unknown encoding: idna"),
# so it is imported once, here, before any thread starts.
import encodings.idna  # noqa: F401
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, make_response, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException, NotFound

from indexer.backends import BACKEND_ENV, open_engine
from indexer.search import QueryTimeoutError, SearchError, label
from indexer.store import ENV_VAR, IndexLoadingError, IndexMissingError, IndexUnavailableError, index_dir
from indexer.text import printable

from .i18n import LANGUAGES, translate, ui_lang
from .safety import http_url

#: Templates: inside the package when installed from a wheel, else the project's top-level folder.
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATES = PACKAGED_TEMPLATES if PACKAGED_TEMPLATES.is_dir() else Path(__file__).resolve().parent.parent / "templates"
DEFAULT_RATE_LIMIT = "1200 per minute"
#: Longest URL (path and query) answered; longer ones get 414.
MAX_URL_BYTES = 8190
#: Seconds a client is asked to wait after a query ran out of time.
RETRY_AFTER_TIMEOUT = 5
log = logging.getLogger("pressroom.web")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app factory: ``test_config`` may set ``INDEX_DIR`` (default: ``$PRESSROOM_INDEX_DIR`` or ./index)
    and ``BACKEND`` (default: ``$PRESSROOM_BACKEND`` or whoosh)."""
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder="static")
    app.config.from_mapping(
        INDEX_DIR=str(index_dir(os.environ.get(ENV_VAR))),
        BACKEND=os.environ.get(BACKEND_ENV) or None,
        # Requests a minute per client address; far above what a person reaches. Counted per
        # worker process with the default memory storage (so a client can reach up to
        # workers x limit); point RATE_LIMIT_STORAGE at redis:// or memcached:// for one count.
        # One budget across every route.
        RATE_LIMIT=os.environ.get("PRESSROOM_RATE_LIMIT", DEFAULT_RATE_LIMIT),
        RATE_LIMIT_STORAGE=os.environ.get("PRESSROOM_RATE_LIMIT_STORAGE", "memory://"),
        # The site's public address for absolute links (the feed); else each request's own Host,
        # which a client can set to anything.
        BASE_URL=os.environ.get("PRESSROOM_BASE_URL", "").rstrip("/") or None,
    )
    if test_config:
        app.config.update(test_config)
    # "/release//x" would be redirected to "/release/x" with a Location built from the Host header,
    # which the client sets: double slashes are simply not found.
    app.url_map.merge_slashes = False
    app.jinja_env.filters["http_url"] = http_url
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["pressroom.engine"] = open_engine(app.config["BACKEND"], app.config["INDEX_DIR"])

    from . import tenure_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(tenure_views.bp)
    # Headers off: with them on, Flask-Limiter puts Retry-After on every answer; a 429 gets it
    # from the error handler instead (limiter_retry_after).
    limiter = Limiter(
        get_remote_address,
        app=app,
        application_limits=[app.config["RATE_LIMIT"]],
        storage_uri=app.config["RATE_LIMIT_STORAGE"],
        headers_enabled=False,
    )
    app.extensions["pressroom.limiter"] = limiter
    limiter.exempt(views.healthz)
    _register_errors(app)
    _register_context(app)
    return app


def _register_context(app: Flask) -> None:
    @app.before_request
    def nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)
        if len(request.full_path.encode("utf-8")) > MAX_URL_BYTES:
            abort(414)

    @app.context_processor
    def helpers() -> dict[str, Any]:
        lang = ui_lang()
        args = request.args.copy()
        args.setlist("ui", ["es" if lang == "en" else "en"])
        from .presentation import SEARCH, url

        # The same page in the other language, built by url_for so it never leaves the site;
        # a URL that matched no route switches to the search page.
        routed = request.url_rule is not None and request.endpoint not in (None, "static")
        switch_url = url(request.endpoint, args, **(request.view_args or {})) if routed else url(SEARCH, args)
        return {
            "ui": lang,
            "t": lambda key, **kw: translate(key, lang, **kw),
            "switch_url": switch_url,
            "languages": LANGUAGES,
            "csp_nonce": g.get("csp_nonce", ""),
            "index_dir": app.config["INDEX_DIR"],
            "label": lambda name, value: label(name, value, lang),
        }

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Language", ui_lang())
        response.headers.add("Vary", "Accept-Language")
        return response


def limiter_retry_after(app: Flask) -> int:
    """Seconds until the client's rate-limit window resets (for a 429's Retry-After)."""
    current = app.extensions["pressroom.limiter"].current_limit
    return max(1, int(current.reset_at - time.time()) + 1) if current is not None else 60


def _register_errors(app: Flask) -> None:
    from .views import json_error, wants_json

    def page(status: int, title: str, message: str, **extra: Any):
        return render_template("error.html", status=status, title=title, message=message, **extra), status

    @app.errorhandler(SearchError)
    def bad_request(e: SearchError):
        lang = ui_lang()
        if wants_json():
            return json_error(400, e.code, e.message_in(lang), e.param)
        return page(400, translate("bad_request_title", lang), e.message_in(lang), param=e.param)

    @app.errorhandler(QueryTimeoutError)
    def timeout(e: QueryTimeoutError):
        log.warning("query over its time budget: %s", request.full_path)
        lang = ui_lang()
        if wants_json():
            response = json_error(503, "timeout", e.message_in(lang), "q")
        else:
            response = make_response(page(503, translate("timeout_title", lang), e.message_in(lang)))
        response.headers["Retry-After"] = str(RETRY_AFTER_TIMEOUT)
        return response

    @app.errorhandler(IndexMissingError)
    def no_index(e: IndexMissingError):
        if isinstance(e, IndexUnavailableError):  # a cluster down, or loading after a restart: come back soon
            lang = ui_lang()
            kind = "loading" if isinstance(e, IndexLoadingError) else "unavailable"
            # The detail names the search nodes' addresses: the server's log has it, readers do not.
            log.warning("503 %s for %s: %s", kind, request.full_path, e)
            body = translate(kind + "_body", lang)
            if wants_json():
                response = json_error(503, kind, body, None)
            else:
                response = make_response(page(503, translate(kind + "_title", lang), body))
            response.headers["Retry-After"] = str(RETRY_AFTER_TIMEOUT)
            return response
        command = f"pressroom build samples/ --index {app.config['INDEX_DIR']}"
        if wants_json():
            return json_error(503, "no_index", f"{e}", None)
        return render_template("no_index.html", command=command, detail=str(e)), 503

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        lang = ui_lang()
        # A message may quote what the reader typed (a name, an id): its control characters are
        # shown as escapes, never sent raw into the page or the JSON.
        message = printable(e.description or e.name)
        if e.code == 404 and e.description == NotFound.description:  # Werkzeug's words: ours instead
            message = translate("not_found_body", lang)
        if wants_json():
            response = json_error(e.code or 500, (e.name or "error").lower().replace(" ", "_"), message)
            for name, value in e.get_headers():
                if name.lower() == "allow":
                    response.headers[name] = value
        elif e.code == 404:
            response = make_response(page(404, translate("not_found_title", lang), message))
        else:
            response = make_response(page(e.code or 500, e.name, message or ""))
        if e.code == 429:
            response.headers["Retry-After"] = str(limiter_retry_after(app))
        return response

    @app.errorhandler(Exception)
    def server_error(e: Exception):
        log.exception("error serving %s %s", request.method, request.full_path)
        if wants_json():
            return json_error(500, "internal_error", "internal error; it was logged")
        lang = ui_lang()
        return page(500, translate("error_title", lang), translate("error_body", lang))
