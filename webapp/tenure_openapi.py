"""The OpenAPI paths and schemas of profiles, post holders and the Popolo export (merged into
``/api/openapi.json`` by ``webapp.openapi``)."""

from __future__ import annotations

from typing import Any

_DATE = {"type": "string", "format": "date"}
_DATE_OR_NULL = {"type": "string", "format": "date", "nullable": True}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def _object(required: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": list(required), "properties": required}


TENURE_SCHEMAS: dict[str, Any] = {
    "Profile": {
        **_object(
            {
                "name": {"type": "string", "description": "The canonical name (the official facet's value)."},
                "aliases": {"type": "array", "items": {"type": "string"}, "description": "Other names releases write."},
                "posts": {
                    "type": "array",
                    "description": "Terms in each post, oldest first (see the tenure rule).",
                    "items": _object(
                        {
                            "role": {"type": "string"},
                            "agency": {"type": "string", "nullable": True},
                            "first_seen": _DATE,
                            "last_seen": _DATE,
                            "releases": {"type": "integer", "minimum": 1},
                        }
                    ),
                },
                "releases": {"type": "integer", "minimum": 0},
                "first_seen": _DATE_OR_NULL,
                "last_seen": _DATE_OR_NULL,
                "by_month": {
                    "type": "array",
                    "description": "Releases per month, every month from the first to the last.",
                    "items": _object(
                        {
                            "month": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                            "count": {"type": "integer", "minimum": 0},
                        }
                    ),
                },
                "appears_with": {
                    "type": "array",
                    "items": _object({"name": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}),
                },
                "agencies": {
                    "type": "array",
                    "items": _object({"value": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}),
                },
            }
        )
    },
    "Holders": _object(
        {
            "post": {"type": "string", "description": "The canonical post."},
            "label": {"type": "string"},
            "seats": {"type": "string", "enum": ["single", "multi"]},
            "holders": {
                "type": "array",
                "description": "One row per term, ordered by first_seen.",
                "items": _object(
                    {
                        "name": {"type": "string"},
                        "first_seen": _DATE,
                        "last_seen": _DATE,
                        "releases": {"type": "integer", "minimum": 1},
                        "acting": {"type": "boolean"},
                    }
                ),
            },
        }
    ),
}


def _path_param(name: str, example: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "example": example,
        "description": description,
        "schema": {"type": "string"},
    }


def tenure_paths(errors: dict[str, Any]) -> dict[str, Any]:
    """``/api/officials/{name}``, ``/api/posts/{post}`` and ``/export.popolo.json``."""
    common = {k: errors[k] for k in ("400", "429", "500", "503")}
    redirect = {
        "description": "An alias or another spelling: the canonical URL is in Location and in the body.",
        "headers": {"Location": {"schema": {"type": "string"}, "description": "The canonical URL."}},
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["location"],
                    "properties": {"location": {"type": "string"}},
                }
            }
        },
    }
    return {
        "/api/officials/{name}": {
            "get": {
                "summary": "An official's profile: posts held and when, releases per month, who appears with them",
                "operationId": "official",
                "parameters": [
                    _path_param("name", "Marcelo Ebrard Casaubón", "The official's name; any spelling redirects.")
                ],
                "responses": {
                    "200": _json("Profile", "The profile."),
                    "302": redirect,
                    "404": _json("Error", "No official with this name."),
                    **common,
                },
            }
        },
        "/api/posts/{post}": {
            "get": {
                "summary": "Who held a post, when (one row per term)",
                "operationId": "postHolders",
                "parameters": [
                    _path_param(
                        "post",
                        "Secretario de Relaciones Exteriores",
                        "The post; any alias in either language redirects.",
                    ),
                    {
                        "name": "ui",
                        "in": "query",
                        "required": False,
                        "description": "Language of the label (else Accept-Language).",
                        "schema": {"type": "string", "enum": ["en", "es", ""]},
                    },
                ],
                "responses": {
                    "200": _json("Holders", "The post's holders."),
                    "302": redirect,
                    "404": _json("Error", "No post with this name has holders."),
                    **common,
                },
            }
        },
        "/export.popolo.json": {
            "get": {
                "summary": "Who held which post as one Popolo document (schemas/popolo.schema.json)",
                "operationId": "exportPopolo",
                "responses": {
                    "200": {
                        "description": "persons, organizations, posts and memberships (one per term).",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **common,
                },
            }
        },
    }
