"""Every use of Whoosh's private internals, in one place, checked against the pinned version.

Pressroom reads posting lists a block at a time (``W3LeafMatcher``'s ``_read_data``,
``_blocklength``, ``_next_block``) and decodes stored positions (pickled deltas). None of this is
public API: it is only known to work on ``whoosh-reloaded`` 2.7.5, the version ``pyproject.toml``
pins, so importing this module on any other version fails at once with a message, instead of
returning wrong postings later.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

import numpy as np
import whoosh
from whoosh.compat import loads

#: The Whoosh version whose internals this module was written against (pyproject.toml pins it).
PINNED_VERSION = (2, 7, 5)


class WhooshVersionError(ImportError):
    """The installed Whoosh is not the pinned one; the message says which to install."""


if tuple(whoosh.__version__[:3]) != PINNED_VERSION:
    raise WhooshVersionError(
        f"Pressroom needs whoosh-reloaded=={'.'.join(map(str, PINNED_VERSION))}, found Whoosh "
        f"{whoosh.versionstring()}; run 'pip install whoosh-reloaded==2.7.5'"
    )


def leaf_blocks(matcher: Any, values: list | None = None) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
    """Read a W3 leaf matcher to its end, block by block: ``(ids per block, weights per block)``.

    Ids are delta-decoded with ``cumsum``. With ``values``, each posting's raw value (encoded
    positions) is appended to it, in id order. None if ``matcher`` is not a W3 leaf matcher.
    """
    if not hasattr(matcher, "_read_data") or not hasattr(matcher, "_next_block"):
        return None
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        if values is not None:
            values.extend(matcher._data[2])
        n = matcher._blocklength
        block = np.asarray(raw_ids, dtype=np.int64)
        if not matcher._byteids:
            block = np.cumsum(block)
        ids.append(block)
        if raw_weights is None:
            weights.append(np.ones(n, dtype=np.float64))
        elif isinstance(raw_weights, float):
            weights.append(np.full(n, raw_weights, dtype=np.float64))
        else:
            weights.append(np.asarray(raw_weights, dtype=np.float64))
        matcher._i = n  # the whole block was consumed
        matcher._next_block()
    return ids, weights


def unwrap_deletions(matcher: Any) -> Any:
    """The leaf under Whoosh's deletion filter (deleted documents are masked by the caller)."""
    return getattr(matcher, "child", matcher)


def positions(value: bytes) -> list[int]:
    """Decode a stored ``Positions`` value: a 4-byte count, then a pickled list of deltas."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(loads(value[4:])))
