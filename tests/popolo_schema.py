"""The committed Popolo JSON Schema (schemas/popolo.schema.json) as a validator: standard JSON
Schema (draft 2020-12, dates checked as dates) plus the schema's two Pressroom keywords,
``x-unique-ids`` and ``x-references``, which JSON Schema cannot say by itself."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "popolo.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _unique_ids(validator, lists, instance, schema):
    if not isinstance(instance, dict):
        return
    for name in lists:
        seen: set[str] = set()
        for obj in instance.get(name) or []:
            ident = obj.get("id") if isinstance(obj, dict) else None
            if ident in seen:
                yield ValidationError(f"{name}: the id {ident!r} is used twice")
            seen.add(ident)


def _references(validator, refs, instance, schema):
    if not isinstance(instance, dict):
        return
    ids = {name: {o.get("id") for o in instance.get(name) or [] if isinstance(o, dict)} for name in instance}
    for holder, keys in refs.items():
        for obj in instance.get(holder) or []:
            for key, target in keys.items():
                if isinstance(obj, dict) and obj.get(key) not in ids.get(target, set()):
                    yield ValidationError(f"{holder}: {key} {obj.get(key)!r} names no object of {target}")


PopoloValidator = validators.extend(Draft202012Validator, {"x-unique-ids": _unique_ids, "x-references": _references})


def popolo_errors(doc: dict) -> list[str]:
    """Every way ``doc`` breaks the committed schema (empty: valid)."""
    validator = PopoloValidator(SCHEMA, format_checker=FormatChecker())
    return sorted(e.message for e in validator.iter_errors(doc))
