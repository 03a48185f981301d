"""Searchers over the index's current generation: one per thread, never shared, and their arrays.

Each call checks ``CURRENT`` (a ``stat``) and reopens when a build switched generations;
otherwise it ``refresh()``es, which picks up in-place commits of ``update`` and ``delete``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from ..store import IndexMissingError, IndexStore
from .arrays import ReaderArrays

#: Reader arrays kept per engine (the current reader's and a few recent ones still in use).
ARRAYS_KEPT = 4


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
        self._open: list = []  # every searcher opened, so close() can release their files

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
        stamp = self.store.pointer_stamp()
        if getattr(local, "stamp", None) != stamp or getattr(local, "searcher", None) is None:
            old = getattr(local, "searcher", None)
            generation = self.store.current()
            try:
                ix = whoosh_index.open_dir(str(generation))
            except whoosh_index.EmptyIndexError:
                raise IndexMissingError(f"the index at {self.store.path}/ is empty; run 'pressroom build'") from None
            local.searcher = self._track(ix.searcher(), old, close=True)
            local.generation = generation
            local.stamp = stamp
        else:
            fresh = local.searcher.refresh()
            if fresh is not local.searcher:
                # A refreshed searcher reuses the segment readers that did not change: closing the
                # old searcher would close them under the new one (ReaderClosed). Let it go.
                local.searcher = self._track(fresh, local.searcher, close=False)
        return local.searcher

    def _track(self, searcher: Any, replaced: Any, close: bool) -> Any:
        with self._lock:
            if replaced is not None:
                if close:
                    replaced.close()
                else:
                    # Close only the segment readers the refreshed searcher did not reuse.
                    kept = {id(r) for r in _leaf_readers(searcher.reader())}
                    for r in _leaf_readers(replaced.reader()):
                        if id(r) not in kept:
                            r.close()
                if replaced in self._open:
                    self._open.remove(replaced)
            self._open.append(searcher)
        return searcher

    def _arrays_of(self, searcher: Any) -> ReaderArrays:
        reader = searcher.reader()
        key = (str(self._local.generation), _segment_ids(reader), reader.doc_count())
        with self._lock:
            arrays = self._arrays.get(key)
            if arrays is None:
                arrays = ReaderArrays(reader)
                recent = list(self._arrays.items())[: ARRAYS_KEPT - 1]
                self._arrays = {key: arrays, **dict(recent)}
        return arrays
