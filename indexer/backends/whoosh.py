"""The Whoosh backend: the embedded default, one index folder, nothing to run.

It is the existing ``indexer.build`` functions and ``indexer.search.Engine``, unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..build import Progress, Report, build_index, delete_releases, update_index
from ..search import Engine
from .base import Backend, SearchEngine


class WhooshEngine(Engine, SearchEngine):
    """``indexer.search.Engine`` as a ``SearchEngine``."""


class WhooshBackend(Backend):
    """Generations of Whoosh indexes in the ``--index`` folder."""

    name = "whoosh"

    def build(
        self,
        sources: Iterable[str | os.PathLike],
        workers: int | None = None,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        return build_index(sources, self.index, workers=workers, progress=progress, follow_links=follow_links)

    def update(
        self,
        sources: Iterable[str | os.PathLike],
        prune: bool = False,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        return update_index(sources, self.index, prune=prune, progress=progress, follow_links=follow_links)

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        return delete_releases(ids, self.index)

    def engine(self) -> SearchEngine:
        return WhooshEngine(self.index)
