"""The ``holder_of`` facet: for each post, the releases naming whoever held it on their date.

A release counts for a post when it names (as an official, in any post or none) a person during
one of that person's terms in the post, ``first_seen`` to ``last_seen`` inclusive; an undated
release never does. Built per reader from the generation's stored tenures and the ``official``
facet's (document, person) pairs, so filtering and counting are the same array operations as for
any facet.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..analysis import fold_key
from ..search.facets import FacetData
from .table import load_tenures


def person_ids(data: FacetData, name: str) -> list[int]:
    """The official facet's value ids standing for a person (the canonical value first)."""
    ids = data.keys.get(fold_key(name), [])
    return sorted(ids, key=lambda i: data.values[i] != name)


def holder_facet_data(reader: Any, arrays: Any) -> FacetData:
    """(document, post) pairs: the document names a holder of the post during their term."""
    empty = FacetData([], np.zeros(0, np.int32), np.zeros(0, np.int32))
    if arrays is None or getattr(arrays, "generation", None) is None or "official" not in arrays.facets:
        return empty
    tenures = load_tenures(arrays.generation, reader)
    officials: FacetData = arrays.facets["official"]
    order = np.argsort(officials.vals, kind="stable")
    sorted_vals = officials.vals[order]
    sorted_docs = officials.docs[order]
    date_key = arrays.date_key
    values: list[str] = []
    docs: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for post, entry in tenures.posts.items():
        found: list[np.ndarray] = []
        for holder in entry["holders"]:
            lo = int(holder["first_seen"].replace("-", ""))
            hi = int(holder["last_seen"].replace("-", ""))
            for pid in person_ids(officials, holder["name"])[:1]:
                a, b = np.searchsorted(sorted_vals, [pid, pid + 1])
                person_docs = sorted_docs[a:b]
                when = date_key[person_docs]
                found.append(person_docs[(when >= lo) & (when <= hi)])
        matched = np.unique(np.concatenate(found)) if found else np.zeros(0, np.int32)
        if not len(matched):
            continue
        docs.append(matched.astype(np.int32))
        vals.append(np.full(len(matched), len(values), dtype=np.int32))
        values.append(post)
    if not values:
        return empty
    return FacetData(values, np.concatenate(docs), np.concatenate(vals))
