"""Arrays derived from one index reader, built once when the reader opens.

Ids, dates, sort keys, field lengths, the facets' (document, value) pairs and the spelling
vocabulary: everything a search needs besides the postings, as numpy arrays, so filtering,
counting and sorting are array operations instead of per-hit Python loops.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..schema import TEXT_FIELDS
from .facets import FACETS, FacetData
from .postings import FieldLengths
from .spelling import Vocabulary

#: A document without a date sorts by this key.
NO_DATE = -1


class ReaderArrays:
    """Per-document arrays of one reader (a document number indexes every array)."""

    def __init__(self, reader: Any, generation: Path | None = None) -> None:
        n = reader.doc_count_all()
        self.size = n
        #: The generation folder the reader reads (its stored tenures feed the holder_of facet).
        self.generation = generation
        self.live = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for d in range(n):
                if reader.is_deleted(d):
                    self.live[d] = False
        ids = reader.column_reader("id")
        dates = reader.column_reader("date")
        self.ids: list[str] = [ids[d] for d in range(n)]
        self.dates: list[str] = [dates[d] for d in range(n)]
        # Sort keys as arrays: the rank of each id, and the date as YYYYMMDD (NO_DATE when unknown).
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.argsort(np.array(self.ids, dtype=object), kind="stable")] = np.arange(n)
        self.date_key = np.array([int(d.replace("-", "")) if d else NO_DATE for d in self.dates], dtype=np.int64)
        self.lengths = FieldLengths(reader, tuple(TEXT_FIELDS), n)
        self.facets: dict[str, FacetData] = {}
        for name, facet in FACETS.items():  # in order: a facet may read the ones before it
            self.facets[name] = facet.load(reader, self)
        # Each document's language code ("" when it has none).
        lang = self.facets["lang"]
        self.langs = np.full(n, "", dtype=object)
        if lang.values:
            self.langs[lang.docs] = np.array(lang.values, dtype=object)[lang.vals]
        self.vocabulary = Vocabulary()

    def count(self, facet: str, docs: np.ndarray) -> np.ndarray:
        """Per-value counts of a facet over the documents in the mask."""
        return self.facets[facet].count(docs)

    def in_dates(self, date_from: str | None, date_to: str | None) -> np.ndarray:
        """Mask of documents dated within the (inclusive, ISO) bounds; undated ones never are."""
        lo = int(date_from.replace("-", "")) if date_from else 0
        hi = int(date_to.replace("-", "")) if date_to else 99999999
        return (self.date_key >= lo) & (self.date_key <= hi)
