"""One serializer for every export: search matches -> rows -> CSV or JSON, streamed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .safety import spreadsheet_cell

#: Columns of an export, in order. List fields are joined with "; " in CSV.
COLUMNS = ("id", "title", "date", "url", "lang", "publisher", "agencies", "officials", "roles", "topics")
#: Most releases one export returns; past it the export stops and says so in a header.
MAX_EXPORT = 10_000


def export_row(record: dict[str, Any]) -> dict[str, Any]:
    """The exported fields of one release; officials as ``Name (role)`` strings."""
    officials = [o["name"] + (f" ({o['role']})" if o.get("role") else "") for o in record.get("officials") or []]
    return {
        "id": record["id"],
        "title": record.get("title"),
        "date": record.get("date"),
        "url": record.get("url"),
        "lang": record.get("lang"),
        "publisher": record.get("publisher"),
        "agencies": list(record.get("agencies") or []),
        "officials": officials,
        "roles": list(record.get("roles") or []),
        "topics": list(record.get("topics") or []),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return spreadsheet_cell("; ".join(value) if isinstance(value, list) else str(value))


def csv_stream(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """UTF-8 CSV with a BOM (so spreadsheets keep accents), one row per release."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    yield "\ufeff"
    writer.writerow(COLUMNS)
    for record in records:
        row = export_row(record)
        writer.writerow([_cell(row[c]) for c in COLUMNS])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    if buf.getvalue():
        yield buf.getvalue()


def json_stream(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON array of export rows, written as it goes."""
    yield "["
    first = True
    for record in records:
        yield ("" if first else ",\n") + json.dumps(export_row(record), ensure_ascii=False)
        first = False
    yield "]\n"
