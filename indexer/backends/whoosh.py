"""The Whoosh backend: the embedded default, one index folder, nothing to run.

It is the existing ``indexer.build`` functions and ``indexer.search.Engine``, unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from ..build import Progress, Report, build_index, delete_releases, update_index
from ..search import Engine
from ..search.facets import FacetData
from ..tenures.table import Tenures, load_tenures
from .base import Backend, PersonReleases, SearchEngine


class WhooshEngine(Engine, SearchEngine):
    """``indexer.search.Engine`` as a ``SearchEngine``; tenures and people read the reader's arrays."""

    def tenures(self) -> Tenures:
        searcher, _arrays, generation = self.searchers.get()
        return load_tenures(generation, searcher.reader())

    def facet_data(self, name: str) -> FacetData:
        return self.searchers.get()[1].facets[name]

    def live_values(self, name: str, value_ids: list[int]) -> list[int]:
        arrays = self.searchers.get()[1]
        data = arrays.facets[name]
        return [i for i in value_ids if (data.docs_with([i], arrays.size) & arrays.live).any()]

    def person_releases(self, value_ids: list[int]) -> PersonReleases:
        arrays = self.searchers.get()[1]
        docs = arrays.facets["official"].docs_with(value_ids, arrays.size) & arrays.live
        dated = arrays.date_key[docs]
        dated = dated[dated >= 0]
        months, counts = np.unique(dated // 100, return_counts=True)
        return PersonReleases(
            releases=int(docs.sum()),
            first_seen=_iso(int(dated.min())) if len(dated) else None,
            last_seen=_iso(int(dated.max())) if len(dated) else None,
            months=dict(zip(months.tolist(), counts.tolist(), strict=True)),
            counts={name: arrays.count(name, docs) for name in ("official", "agency")},
        )


def _iso(key: int) -> str:
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"


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
