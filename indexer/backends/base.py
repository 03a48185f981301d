"""The search backend interface: the operations the CLI, the web app, feeds and exports use.

A backend writes (``build``, ``update``, ``delete``) and opens a ``SearchEngine`` that reads.
Both implementations take the same inputs and give the same plain dataclasses and dicts
(``SearchPage``, ``Report``, stored records): Whoosh (``backends.whoosh``, the default, one
folder) and Typesense (``backends.typesense``, a replicated cluster). Analysis, facets, snippets
and the JSON contracts stay in ``indexer``; a backend only stores and matches.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..build import Progress, Report
from ..search.facets import FacetData
from ..search.model import MAX_FACET_SIZE, FacetValue, SearchPage, SearchRequest
from ..tenures.table import Tenures


@dataclass
class PersonReleases:
    """What the releases naming one person add up to (``SearchEngine.person_releases``)."""

    releases: int
    #: First and last dates of those releases (YYYY-MM-DD), None when none is dated.
    first_seen: str | None
    last_seen: str | None
    #: Dated releases per month, ``{YYYYMM: count}``.
    months: dict[int, int] = field(default_factory=dict)
    #: Per-value counts over those releases, aligned with ``facet_data(name).values``:
    #: ``official`` (merged name variants, each release once per person) and ``agency``.
    counts: dict[str, np.ndarray] = field(default_factory=dict)


class SearchEngine(ABC):
    """Reads one index: everything the CLI, the pages, the API, exports and the feed ask of it."""

    @abstractmethod
    def search(self, req: SearchRequest) -> SearchPage:
        """Run one search (``SearchError`` for bad parameters, ``IndexMissingError`` without an index)."""

    @abstractmethod
    def facet_values(
        self, req: SearchRequest, name: str, prefix: str = "", limit: int = MAX_FACET_SIZE
    ) -> tuple[list[FacetValue], bool]:
        """Every value of one facet for a search, narrowed by ``prefix``: ``(values, truncated)``."""

    @abstractmethod
    def iter_matches(self, req: SearchRequest, limit: int | None = None) -> Iterable[dict[str, Any]]:
        """Every release matching a search, in its sort order, as stored records with their body."""

    @abstractmethod
    def count(self, req: SearchRequest) -> int:
        """How many releases match a search."""

    @abstractmethod
    def release(self, release_id: str, query: str = "") -> dict[str, Any] | None:
        """One release with ``body_html`` marked for ``query`` (None if unknown)."""

    @abstractmethod
    def related(self, release_id: str, limit: int = 5) -> list[dict[str, Any]]:
        """Releases about the same thing, as ``{id, title, date}``."""

    @abstractmethod
    def iter_releases(self) -> Iterable[dict[str, Any]]:
        """Every release's stored record and body, in id order."""

    @abstractmethod
    def stats(self, top: int = 20) -> dict[str, Any]:
        """``{releases, by_lang, top, index_bytes, built_at, generation, rejected}``."""

    @abstractmethod
    def status(self) -> dict[str, Any]:
        """``{generation, releases}``: cheap, for health checks."""

    @abstractmethod
    def tenures(self) -> Tenures:
        """The tenures kept with the current generation (``indexer.tenures.table``)."""

    @abstractmethod
    def facet_data(self, name: str) -> FacetData:
        """One facet's values and folded keys over the whole generation (officials merged), for
        resolving a typed value to value ids as the filters do."""

    @abstractmethod
    def live_values(self, name: str, value_ids: list[int]) -> list[int]:
        """The value ids some release of the generation holds, in the order given."""

    @abstractmethod
    def person_releases(self, value_ids: list[int]) -> PersonReleases:
        """The releases naming any of these ``official`` value ids (one person's name variants)."""

    def warm(self) -> bool:
        """Prepare for the first request; False when there is no index yet."""
        return True

    def close(self) -> None:  # noqa: B027 (an engine with nothing to release keeps this)
        """Release what the engine holds."""

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Backend(ABC):
    """Where releases are indexed and searched; ``index`` is the local folder (lock, rejects)."""

    name = ""

    def __init__(self, index: str | os.PathLike | None = None) -> None:
        self.index = index

    @abstractmethod
    def build(
        self,
        sources: Iterable[str | os.PathLike],
        workers: int | None = None,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        """A full rebuild into a new generation, switched to only once complete."""

    @abstractmethod
    def update(
        self,
        sources: Iterable[str | os.PathLike],
        prune: bool = False,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        """Add new, replace changed and re-extract stale releases in place (``prune``: remove the rest)."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Remove releases by id: ``(deleted, not found)``."""

    @abstractmethod
    def engine(self) -> SearchEngine:
        """A reader of the current generation (it follows later builds and updates)."""

    def local_folder(self) -> Path:
        """The local ``--index`` folder."""
        from ..store import index_dir

        return index_dir(self.index)
