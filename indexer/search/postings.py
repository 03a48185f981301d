"""Posting lists as numpy arrays: a term's documents and frequencies, its positions, phrases.

Whoosh matches one posting at a time in Python; a results page needs every match (for the total
and the facet counts), so postings are read a block at a time into arrays instead
(``indexer.whoosh_compat`` holds the Whoosh internals this needs).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..whoosh_compat import leaf_blocks, positions, unwrap_deletions


class FieldLengths:
    """Per-document field lengths and their averages, for BM25's length normalisation."""

    def __init__(self, reader: Any, fields: tuple[str, ...], size: int) -> None:
        self.lengths: dict[str, np.ndarray] = {}
        self.average: dict[str, float] = {}
        docs = max(reader.doc_count_all(), 1)
        for f in fields:
            self.lengths[f] = np.fromiter(
                (reader.doc_field_length(d, f, 0) or 0 for d in range(size)), dtype=np.float64, count=size
            )
            self.average[f] = (reader.field_length(f) / docs) or 1.0


def _segments(searcher: Any) -> list[tuple[Any, int]]:
    """``(reader, document offset)`` of each segment behind a searcher."""
    return [(sub.reader(), offset) for sub, offset in (searcher.subsearchers or [(searcher, 0)])]


def term_postings(searcher: Any, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """All postings of one term as (global document numbers, term frequencies)."""
    all_ids: list[np.ndarray] = []
    all_weights: list[np.ndarray] = []
    for reader, offset in _segments(searcher):
        if (fieldname, btext) not in reader:
            continue
        matcher = reader.postings(fieldname, btext)
        blocks = leaf_blocks(unwrap_deletions(matcher))
        if blocks is None:  # not the W3 codec: the generic (slower) path
            ids, weights = [], []
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
            blocks = ([np.asarray(ids, dtype=np.int64)], [np.asarray(weights, dtype=np.float64)])
        for block_ids, block_weights in zip(*blocks, strict=True):
            all_ids.append(block_ids + offset)
            all_weights.append(block_weights)
    if not all_ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(all_ids), np.concatenate(all_weights)


def term_positions(searcher: Any, fieldname: str, btext: bytes) -> tuple[np.ndarray, list[bytes]] | None:
    """A term's document numbers and, aligned with them, its encoded positions.

    None when the postings are not in the W3 format (the caller then asks Whoosh).
    """
    all_ids: list[np.ndarray] = []
    all_values: list[bytes] = []
    for reader, offset in _segments(searcher):
        if (fieldname, btext) not in reader:
            continue
        values: list[bytes] = []
        blocks = leaf_blocks(unwrap_deletions(reader.postings(fieldname, btext)), values)
        if blocks is None:
            return None
        all_ids.extend(block_ids + offset for block_ids in blocks[0])
        all_values.extend(values)
    if not all_ids:
        return np.zeros(0, dtype=np.int64), []
    return np.concatenate(all_ids), all_values


def phrase_docs(
    searcher: Any, fieldname: str, words: list[bytes], candidates: np.ndarray, deadline: Any = None
) -> np.ndarray | None:
    """Documents among ``candidates`` where the words occur next to each other, in order.

    None when the postings are not in the W3 format (the caller then asks Whoosh). ``deadline``
    (with a ``check()``) is consulted every few hundred documents.
    """
    unique = list(dict.fromkeys(words))  # "the the the": each word's postings read once
    lists = {w: term_positions(searcher, fieldname, w) for w in unique}
    if any(found is None or len(found[0]) != len(found[1]) for found in lists.values()):
        return None
    if any(not len(ids) for ids, _ in lists.values()):
        return np.zeros(0, dtype=np.int64)
    docs = np.flatnonzero(candidates)
    index = {w: np.searchsorted(ids, docs) for w, (ids, _) in lists.items()}
    # Phrase slots, rarest word first: its few positions rule most documents out soonest.
    slots = sorted(enumerate(words), key=lambda slot: len(lists[slot[1]][0]))
    found = []
    for j, doc in enumerate(docs.tolist()):
        if deadline is not None and j % 256 == 0:
            deadline.check()
        decoded: dict[bytes, list[int]] = {}  # each word's positions in this document, decoded once
        starts: set[int] | None = None  # where the phrase could start, narrowed slot by slot
        for offset, w in slots:
            ids, values = lists[w]
            k = index[w][j]
            if k >= len(ids) or ids[k] != doc:
                starts = None
                break
            if w not in decoded:
                decoded[w] = positions(values[k])
            here = {p - offset for p in decoded[w]}
            starts = here if starts is None else starts & here
            if not starts:
                break
        if starts:
            found.append(doc)
    return np.asarray(found, dtype=np.int64)


def doc_positions(searcher: Any, fieldname: str, btext: bytes, docs: np.ndarray) -> dict[int, list[int]]:
    """A term's positions in each of ``docs`` (ascending global numbers) that holds it.

    Reads only the posting blocks those documents are in (``skip_to``), so a few hundred
    candidates cost far less than the whole posting list of a common word.
    """
    found: dict[int, list[int]] = {}
    for reader, offset in _segments(searcher):
        if (fieldname, btext) not in reader:
            continue
        local = docs[(docs >= offset) & (docs < offset + reader.doc_count_all())] - offset
        if not len(local):
            continue
        matcher = reader.postings(fieldname, btext)
        for doc in local.tolist():
            if matcher.is_active() and matcher.id() < doc:
                matcher.skip_to(doc)
            if not matcher.is_active():
                break
            if matcher.id() == doc:
                found[doc + offset] = matcher.value_as("positions")
    return found
