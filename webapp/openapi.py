"""The OpenAPI description of every API route, served at ``/api/openapi.json``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from indexer.search import FACETS, MAX_FACET_SIZE, MAX_PER_PAGE, MAX_QUERY_CHARS, SORTS, UI_LANGUAGES

from .exports import MAX_EXPORT
from .schemas import SCHEMAS
from .tenure_openapi import TENURE_SCHEMAS, tenure_paths

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"
# Empty means no bound (the HTML form sends empty fields).
DATE_PATTERN = r"^[ \t]*([1-9]\d{3}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12]\d|3[01]))?)?)?[ \t]*$"


def _array_param(name: str, description: str, pattern: str | None = None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"}
    if pattern:
        items["pattern"] = pattern
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "description": description + " Repeatable: values are OR'ed; different filters are AND'ed.",
        "schema": {"type": "array", "items": items},
    }


SEARCH_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "q",
        "in": "query",
        "required": False,
        "description": (
            f'Query (at most {MAX_QUERY_CHARS} characters). Default operator AND; "phrases"; AND/OR/NOT in '
            "capitals; prefix*; title:, body: and filter fields. Empty: every release."
        ),
        "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
    },
    *[_array_param(name, facet.help, facet.pattern) for name, facet in FACETS.items()],
    *[
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": f"{side} date, inclusive: {DATE_FORMS} (a day past the month's end means its last day).",
            "schema": {"type": "string", "pattern": DATE_PATTERN},
        }
        for name, side in (("from", "From"), ("to", "To"))
    ],
    {
        "name": "sort",
        "in": "query",
        "required": False,
        "description": "Default: relevance with a query, newest without. Ties are broken by id.",
        "schema": {"type": "string", "enum": [*SORTS, ""]},
    },
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Page, from 1. A page past the end is empty.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "per_page",
        "in": "query",
        "required": False,
        "description": f"Hits per page, 1 to {MAX_PER_PAGE}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10},
    },
    {
        "name": "facet_size",
        "in": "query",
        "required": False,
        "description": f"Values listed per facet, 1 to {MAX_FACET_SIZE}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_FACET_SIZE, "default": 10},
    },
    {
        "name": "ui",
        "in": "query",
        "required": False,
        "description": "Language of labels (else Accept-Language).",
        "schema": {"type": "string", "enum": [*UI_LANGUAGES, ""]},
    },
]


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


_ERRORS = {
    "400": _json(
        "Error", "A parameter out of its documented range (page < 1, per_page, facet_size, query length, dates)."
    ),
    "429": _json(
        "Error", "Too many requests from this client (default 1,200 a minute, PRESSROOM_RATE_LIMIT); see Retry-After."
    ),
    "414": {
        "description": "The URL (path and query) is longer than 8,190 bytes.",
        "content": {"text/html": {"schema": {"type": "string"}}},
    },
    "500": _json("Error", "An internal error; it was logged. Never a stack trace."),
    "503": _json("Error", "No index has been built yet."),
}


@lru_cache(maxsize=1)
def openapi_spec() -> dict[str, Any]:
    """The OpenAPI 3.0 document."""
    export_params = [p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "per_page", "facet_size")]
    truncated_header = {
        "X-Pressroom-Truncated": {
            "description": f"true when more than {MAX_EXPORT} releases matched and the export stopped there.",
            "schema": {"type": "string", "enum": ["true", "false"]},
        }
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Pressroom API",
            "version": "1.0.0",
            "description": (
                f"Search government press releases: bilingual, accent-insensitive, faceted by {', '.join(FACETS)}."
            ),
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search releases with facets",
                    "operationId": "search",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {"200": _json("SearchResponse", "One page of hits with facet counts."), **_ERRORS},
                }
            },
            "/api/releases/{release_id}": {
                "get": {
                    "summary": "One release with its body, images, extra fields and related releases",
                    "operationId": "release",
                    "parameters": [
                        {
                            "name": "release_id",
                            "in": "path",
                            "required": True,
                            "example": "000_5da1fa392d2f8c78",
                            "description": "The URL id, or the id as the input gave it (URL-encoded).",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": _json("Release", "The release."),
                        "404": _json("Error", "No release with this id."),
                        "429": _ERRORS["429"],
                        "500": _ERRORS["500"],
                        "503": _ERRORS["503"],
                    },
                }
            },
            "/api/facets/{name}": {
                "get": {
                    "summary": "Every value of one facet for a search, narrowed by a prefix",
                    "operationId": "facetValues",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": list(FACETS)},
                        },
                        {
                            "name": "prefix",
                            "in": "query",
                            "required": False,
                            "description": "Start of any word of a value, case- and accent-insensitive.",
                            "schema": {"type": "string"},
                        },
                        *[p for p in SEARCH_PARAMETERS if p["name"] not in ("page", "per_page", "facet_size")],
                    ],
                    "responses": {
                        "200": _json("FacetValuesResponse", "The facet's values with counts."),
                        "404": _json("Error", "Unknown facet."),
                        **_ERRORS,
                    },
                }
            },
            "/export.csv": {
                "get": {
                    "summary": f"Every release matching a search as CSV (UTF-8 with BOM), at most {MAX_EXPORT}",
                    "operationId": "exportCsv",
                    "parameters": export_params,
                    "responses": {
                        "200": {
                            "description": "CSV, streamed.",
                            "headers": truncated_header,
                            "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/export.json": {
                "get": {
                    "summary": f"Every release matching a search as one JSON array, at most {MAX_EXPORT}",
                    "operationId": "exportJson",
                    "parameters": export_params,
                    "responses": {
                        "200": {
                            "description": "JSON array, streamed.",
                            "headers": truncated_header,
                            "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/feed.atom": {
                "get": {
                    "summary": "Atom feed of a search, newest first",
                    "operationId": "feed",
                    "parameters": [p for p in export_params if p["name"] != "sort"],
                    "responses": {
                        "200": {
                            "description": "Atom feed.",
                            "content": {"application/atom+xml": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This description",
                    "operationId": "openapi",
                    "responses": {
                        "200": {
                            "description": "OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "429": _ERRORS["429"],
                    },
                }
            },
            **tenure_paths(_ERRORS),
        },
        "components": {"schemas": {**SCHEMAS, **TENURE_SCHEMAS}},
    }
