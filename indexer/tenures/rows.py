"""Releases' facet fields as the part of a Whoosh reader that tenures and facets read.

A backend that is not Whoosh (``indexer.backends.typesense``) exports each release's ``id``,
``date`` and facet values as a row; ``RowsReader`` answers ``lexicon``, ``postings``,
``column_reader``, ``iter_field`` and ``doc_count_all`` over those rows, so the tenure rule, the
official facet's merge of name variants and the ``holder_of`` pairs run the same code on both
backends (one place decides who held which post).

>>> r = RowsReader([{"id": "a", "date": "2020-01-02", "officials": ["X"]}])
>>> [t for t in r.lexicon("officials")], r.postings("officials", b"X").all_ids().tolist()
([b'X'], [0])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The multi-valued fields a row may hold.
FIELDS = ("agencies", "publishers", "officials", "official_posts", "official_marks", "roles")


@dataclass(frozen=True)
class _Postings:
    ids: np.ndarray

    def all_ids(self) -> np.ndarray:
        return self.ids


@dataclass(frozen=True)
class _TermInfo:
    frequency: int

    def doc_frequency(self) -> int:
        return self.frequency


class RowsReader:
    """Rows ``{id, date, <field>: [values]}`` read like a Whoosh reader (document number = row)."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows = list(rows)
        self.schema = {"id", "date", *FIELDS}
        self._postings: dict[str, dict[str, list[int]]] = {f: {} for f in FIELDS}
        for d, row in enumerate(self.rows):
            for f in FIELDS:
                for v in dict.fromkeys(row.get(f) or ()):
                    self._postings[f].setdefault(v, []).append(d)

    def doc_count_all(self) -> int:
        return len(self.rows)

    doc_count = doc_count_all

    def lexicon(self, fieldname: str) -> Iterator[bytes]:
        for term in sorted(self._postings.get(fieldname, {})):
            yield term.encode("utf-8")

    def postings(self, fieldname: str, term: bytes) -> _Postings:
        docs = self._postings.get(fieldname, {}).get(term.decode("utf-8"), [])
        return _Postings(np.array(docs, dtype=np.int64))

    def iter_field(self, fieldname: str) -> Iterator[tuple[bytes, _TermInfo]]:
        for term in self.lexicon(fieldname):
            yield term, _TermInfo(len(self._postings[fieldname][term.decode("utf-8")]))

    def leaf_readers(self) -> list[tuple[RowsReader, int]]:
        return [(self, 0)]

    def column_reader(self, name: str) -> list[str]:
        return [row.get(name) or "" for row in self.rows]

    def date_keys(self) -> np.ndarray:
        """Each row's date as YYYYMMDD (-1 without one), as ``ReaderArrays.date_key``."""
        return np.array([int(d.replace("-", "")) if d else -1 for d in self.column_reader("date")], dtype=np.int64)
