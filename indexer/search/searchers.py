"""Searchers over the index's current generation: one per thread, never shared, and their arrays.

Before every use a thread's searcher is checked against the index: ``CURRENT`` (one ``stat``:
did a build switch generations?) and the generation's latest commit (one directory listing: did
``update`` or ``delete`` commit?). If either moved, the thread opens a new searcher from the
files. It never ``refresh()``es: a refreshed Whoosh searcher keeps the deletion lists of the
segments it reuses (WHOOSH_NOTES trap 14), so a deleted or replaced release would still be found.
A write is therefore visible to the next request each thread serves after the command returns.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from ..store import IndexMissingError, IndexStore
from ..tenures.table import tenures_stamp
from .arrays import ReaderArrays

#: Reader arrays kept per engine (the current reader's and a few recent ones still in use).
ARRAYS_KEPT = 4
#: Attempts to open a generation while a commit is replacing its files.
OPEN_ATTEMPTS = 5


def _leaf_readers(reader: Any) -> list:
    """The per-segment readers behind a reader."""
    return list(reader.readers) if hasattr(reader, "readers") else [reader]


def _segment_ids(reader: Any) -> tuple[str, ...]:
    return tuple(sorted(r.segment().segment_id() for r in _leaf_readers(reader) if hasattr(r, "segment")))


class Searchers:
    """Per-thread Whoosh searchers of one index folder, and the arrays of each reader."""

    def __init__(self, store: IndexStore) -> None:
        self.store = store
        self._local = threading.local()
        self._arrays: dict[tuple, ReaderArrays] = {}
        self._lock = threading.Lock()
        self._open: set = set()  # every searcher open, so close() can release their files

    def get(self) -> tuple[Any, ReaderArrays, Path]:
        """This thread's searcher, its reader's arrays and the generation folder it reads."""
        searcher = self._searcher()
        return searcher, self._arrays_of(searcher), self._local.generation

    def close(self) -> None:
        """Close every searcher opened here (in any thread)."""
        with self._lock:
            for searcher in self._open:
                searcher.close()
            self._open.clear()
        self._local = threading.local()

    def _searcher(self) -> Any:
        local = self._local
        searcher = getattr(local, "searcher", None)
        stamp = self.store.pointer_stamp()
        if searcher is not None and local.stamp == stamp and self._current(searcher):
            return searcher
        generation = self.store.current()
        fresh = self._open_generation(generation)
        with self._lock:
            if searcher is not None:
                searcher.close()
                self._open.discard(searcher)
            self._open.add(fresh)
        local.searcher, local.generation, local.stamp = fresh, generation, stamp
        return fresh

    @staticmethod
    def _current(searcher: Any) -> bool:
        """True while no commit happened since the searcher opened (a listing of the generation)."""
        try:
            return searcher.up_to_date()
        except OSError:  # the generation was collected: reopen through CURRENT
            return False

    def _open_generation(self, generation: Path) -> Any:
        """A new searcher of the generation's latest commit, retried while a commit swaps files."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return whoosh_index.open_dir(str(generation)).searcher()
            except whoosh_index.EmptyIndexError:
                raise IndexMissingError(f"the index at {self.store.path}/ is empty; run 'pressroom build'") from None
            except FileNotFoundError:
                # A commit deleted the files of the commit we were opening: open the next one.
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _arrays_of(self, searcher: Any) -> ReaderArrays:
        reader = searcher.reader()
        generation = self._local.generation
        # The tenures file is written just after a commit: arrays built before it are rebuilt.
        key = (
            str(generation),
            reader.generation(),
            _segment_ids(reader),
            reader.doc_count(),
            tenures_stamp(generation),
        )
        with self._lock:
            arrays = self._arrays.get(key)
            if arrays is None:
                arrays = ReaderArrays(reader, generation)
                recent = list(self._arrays.items())[: ARRAYS_KEPT - 1]
                self._arrays = {key: arrays, **dict(recent)}
        return arrays
