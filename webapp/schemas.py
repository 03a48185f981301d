"""The JSON shapes of the API's answers (OpenAPI 3.0 component schemas).

``SearchPage.as_dict`` and the release record are checked against these by the tests (every API
response the test client receives is validated).
"""

from __future__ import annotations

from typing import Any

from indexer.search import FACETS, SORTS

_STR_OR_NULL = {"type": "string", "nullable": True}

#: The fields a hit and a release share, in the contract's order.
_RELEASE_FIELDS: dict[str, Any] = {
    "id": {
        "type": "string",
        "pattern": r"^[A-Za-z0-9_.~-]+$",
        "description": "The URL id: the given id when made of A-Z a-z 0-9 _ . - only, else escaped (~XX a byte).",
    },
    "source_id": {"type": "string", "description": "The id as the input gave it."},
    "title": {"type": "string"},
    "date": {"type": "string", "format": "date", "nullable": True},
    "url": _STR_OR_NULL,
    "lang": {"type": "string"},
    "publisher": _STR_OR_NULL,
    "agencies": {"type": "array", "items": {"type": "string"}},
    "officials": {"type": "array", "items": {"$ref": "#/components/schemas/Official"}},
    "roles": {"type": "array", "items": {"type": "string"}},
    "topics": {"type": "array", "items": {"type": "string"}},
}

SCHEMAS: dict[str, Any] = {
    "Official": {
        "type": "object",
        "required": ["name", "rank", "role", "agency", "role_label"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "rank": _STR_OR_NULL,
            "role": _STR_OR_NULL,
            "agency": _STR_OR_NULL,
            "role_label": {
                **_STR_OR_NULL,
                "description": (
                    "The post's label in the interface language; in Spanish it agrees with the holder "
                    "(Secretaria de Energía where the text says la secretaria). Null without a post."
                ),
            },
        },
    },
    "Hit": {
        "type": "object",
        "additionalProperties": False,
        "required": [*_RELEASE_FIELDS, "snippet", "matched_forms"],
        "properties": {
            **_RELEASE_FIELDS,
            "snippet": {"type": "string", "description": "HTML: matched words in <mark>, all else escaped."},
            "matched_forms": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Words of the snippet matched through their stem, as written (indictment for indicted).",
            },
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count", "selected"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
            "detail": {"$ref": "#/components/schemas/OfficialDetail"},
        },
    },
    "OfficialDetail": {
        "description": (
            "Officials only: the rank, post and agency the person has in most releases, "
            "with labels in the interface language (role_label in Spanish agrees with the holder)."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["rank", "rank_label", "role", "role_label", "agency", "agency_label"],
        "properties": {
            k: {"type": "string", "nullable": True}
            for k in ("rank", "rank_label", "role", "role_label", "agency", "agency_label")
        },
    },
    "FacetLists": {
        "type": "object",
        "additionalProperties": False,
        "required": list(FACETS),
        "properties": {k: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}} for k in FACETS},
    },
    "SearchResponse": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "query",
            "filters",
            "total",
            "page",
            "per_page",
            "pages",
            "sort",
            "suggestion",
            "hits",
            "facets",
            "facets_truncated",
            "warnings",
            "timeline",
            "expansions",
        ],
        "properties": {
            "query": {"type": "string"},
            "filters": {
                "type": "object",
                "additionalProperties": False,
                "required": [*FACETS, "from", "to"],
                "properties": {
                    **{k: {"type": "array", "items": {"type": "string"}} for k in FACETS},
                    "from": {"type": "string", "format": "date", "nullable": True},
                    "to": {"type": "string", "format": "date", "nullable": True},
                },
            },
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "sort": {"type": "string", "enum": list(SORTS)},
            "suggestion": {
                "type": "string",
                "nullable": True,
                "description": "Corrected query, in its accented surface form.",
            },
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {"$ref": "#/components/schemas/FacetLists"},
            "facets_truncated": {
                "type": "object",
                "additionalProperties": False,
                "required": list(FACETS),
                "properties": {k: {"type": "boolean"} for k in FACETS},
            },
            "warnings": {
                "type": "array",
                "description": "Filter values that name nothing the index knows (the search still ran).",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["param", "value", "message"],
                    "properties": {
                        "param": {"type": "string"},
                        "value": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
            "timeline": {
                "type": "array",
                "description": "Matches per year, or per month when they span under two years (empty periods too).",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["period", "from", "to", "count"],
                    "properties": {
                        "period": {"type": "string", "pattern": r"^\d{4}(-\d{2})?$"},
                        "from": {"type": "string", "format": "date"},
                        "to": {"type": "string", "format": "date"},
                        "count": {"type": "integer", "minimum": 0},
                    },
                },
            },
            "expansions": {
                "type": "array",
                "description": (
                    "Query words that are an alias of an agency, post or person (either language): the search "
                    "also matched the releases carrying that entity. Empty when none."
                ),
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["text", "facet", "value", "label"],
                    "properties": {
                        "text": {"type": "string", "description": "The query words, as typed."},
                        "facet": {"type": "string", "enum": ["agency", "role", "official"]},
                        "value": {"type": "string", "description": "The entity's canonical facet value."},
                        "label": {"type": "string", "description": "Its label in the interface language."},
                    },
                },
            },
        },
    },
    "Release": {
        "type": "object",
        "additionalProperties": False,
        "required": [*_RELEASE_FIELDS, "date_inferred", "body", "images", "extra", "source", "related"],
        "properties": {
            **_RELEASE_FIELDS,
            "date_inferred": {
                "type": "boolean",
                "description": "True when the date was inferred (e.g. from an image file name).",
            },
            "body": {"type": "string"},
            "images": {"type": "array", "items": {"type": "string"}},
            "extra": {
                "type": "object",
                "additionalProperties": True,
                "description": "Input fields Pressroom does not search.",
            },
            "source": _STR_OR_NULL,
            "related": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title"],
                    "additionalProperties": False,
                    "properties": {"id": {"type": "string"}, "title": {"type": "string"}},
                },
            },
        },
    },
    "FacetValuesResponse": {
        "type": "object",
        "additionalProperties": False,
        "required": ["facet", "prefix", "values", "truncated"],
        "properties": {
            "facet": {"type": "string", "enum": list(FACETS)},
            "prefix": {"type": "string"},
            "values": {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}},
            "truncated": {"type": "boolean"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "param"],
                "additionalProperties": False,
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "param": _STR_OR_NULL},
            }
        },
    },
}
