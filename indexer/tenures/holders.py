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
from .table import Tenures, load_tenures


def person_ids(data: FacetData, name: str) -> list[int]:
    """The official facet's value ids standing for a person (the canonical value first)."""
    ids = data.keys.get(fold_key(name), [])
    return sorted(ids, key=lambda i: data.values[i] != name)


def _value_id(data: FacetData, value_id: dict[str, int], name: str) -> int | None:
    found = value_id.get(name)
    if found is None:
        ids = person_ids(data, name)
        found = ids[0] if ids else None
    return found


def holder_facet_data(reader: Any, arrays: Any) -> FacetData:
    """(document, post) pairs: the document names a holder of the post during their term."""
    if arrays is None or getattr(arrays, "generation", None) is None or "official" not in arrays.facets:
        return FacetData([], np.zeros(0, np.int32), np.zeros(0, np.int32))
    return holder_pairs(load_tenures(arrays.generation, reader), arrays.facets["official"], arrays.date_key)


def holder_pairs(tenures: Tenures, officials: FacetData, date_key: np.ndarray) -> FacetData:
    """(document, post) pairs of the official facet's (document, person) pairs and documents'
    dates (YYYYMMDD, -1 undated): the document names a holder of the post during their term."""
    empty = FacetData([], np.zeros(0, np.int32), np.zeros(0, np.int32))
    value_id = {v: i for i, v in enumerate(officials.values)}  # holders are the facet's own values
    posts = list(tenures.posts)
    pid, lo, hi, post_of = [], [], [], []
    for p, post in enumerate(posts):
        for h in tenures.posts[post]["holders"]:
            found = _value_id(officials, value_id, h["name"])
            if found is not None:
                pid.append(found)
                lo.append(int(h["first_seen"].replace("-", "")))
                hi.append(int(h["last_seen"].replace("-", "")))
                post_of.append(p)
    if not pid:
        return empty
    # every (document, person) pair of each term's person, all terms at once
    order = np.argsort(officials.vals, kind="stable")
    sorted_vals, sorted_docs = officials.vals[order], officials.docs[order]
    pids = np.array(pid, dtype=np.int64)
    starts = np.searchsorted(sorted_vals, pids)
    lengths = np.searchsorted(sorted_vals, pids + 1) - starts
    term = np.repeat(np.arange(len(pids)), lengths)
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    doc = sorted_docs[np.repeat(starts, lengths) + within].astype(np.int64)
    when = date_key[doc]
    inside = (when >= np.array(lo)[term]) & (when <= np.array(hi)[term])
    pairs = np.unique(doc[inside] * len(posts) + np.array(post_of, dtype=np.int64)[term[inside]])
    doc_ids, post_ids = pairs // len(posts), pairs % len(posts)
    used = np.unique(post_ids)
    renumber = np.full(len(posts), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    return FacetData([posts[i] for i in used.tolist()], doc_ids.astype(np.int32), renumber[post_ids].astype(np.int32))
