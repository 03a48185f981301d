"""Officials, their posts and agencies: found in a release's text and metadata.

- ``gazetteer``: the tables (agencies, posts, ranks, people) and the one alias normaliser;
- ``names``: what a person's name looks like, and cutting it out of the words around it;
- ``people``: person identity (same person, name variants merged, canonical forms);
- ``patterns``: the regular expressions of extraction;
- ``extractor``: one text being read, and the steps every pattern shares;
- ``titles``, ``generic``, ``speakers``: the patterns (table posts, posts as written, labels);
- ``extract``: ``extract_entities`` for one release.

Query time needs only the gazetteer and the name rules; the names below are loaded on first use,
so importing ``indexer.entities.gazetteer`` does not load the extractor.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Gazetteer": "gazetteer",
    "TableError": "gazetteer",
    "alias_key": "gazetteer",
    "check_tables": "gazetteer",
    "extractor_version": "gazetteer",
    "post_case": "names",
    "restore_case": "names",
    "canonical_person": "people",
    "merge_variants": "people",
    "same_person": "people",
    "Entities": "extract",
    "Official": "extract",
    "extract_entities": "extract",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
