"""Official profiles and post holders: what ``pressroom official``, ``pressroom holders``, the
``/officials/`` and ``/posts/`` pages and their JSON answer.

Names and posts resolve like the ``official`` and ``role`` filters (any spelling, any alias in
either language) to one canonical value; ``resolve_official`` and ``resolve_post`` say which, so
the web can redirect an alias to the canonical URL. Terms come from the tenures stored with the
generation (``indexer.tenures``); counts per month, the people named alongside and the agencies
are array operations over the official facet's pairs, as a search's facets are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .analysis import fold_key
from .labels import label
from .search import Engine
from .search.facets import FACETS
from .tenures.holders import person_ids
from .tenures.table import Tenures, base_post, load_tenures, seats_of

#: Entries of ``appears_with`` and ``agencies`` in a profile.
PROFILE_TOP = 10


class UnknownOfficialError(LookupError):
    """No official of the index has that name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no official named {name}")
        self.name = name


class UnknownPostError(LookupError):
    """No post of the index has that name, or it has no holders."""

    def __init__(self, post: str) -> None:
        super().__init__(f"no post named {post}")
        self.post = post


def _state(engine: Engine) -> tuple[Any, Any, Tenures]:
    searcher, arrays, generation = engine.searchers.get()
    return searcher, arrays, load_tenures(generation, searcher.reader())


def resolve_official(engine: Engine, name: str) -> str:
    """The canonical official a typed name stands for (raises ``UnknownOfficialError``)."""
    _searcher, arrays, _tenures = _state(engine)
    data = arrays.facets["official"]
    canonical, ids = FACETS["official"].resolve(data, name)
    live = [i for i in ids if _docs_of(arrays, [i]).any()]
    if not name.strip() or not live:
        raise UnknownOfficialError(name)
    return data.values[live[0]] if canonical not in data.values else canonical


def resolve_post(engine: Engine, post: str) -> str:
    """The canonical post (with holders) a typed post or alias stands for; an ``Acting …`` post
    stands for its post. Where an alias names posts of several governments (``Attorney General``),
    the one with the most releases. Raises ``UnknownPostError``."""
    _searcher, _arrays, tenures = _state(engine)
    options = [base_post(c)[0] for c in FACETS["holder_of"].candidates(post.strip())] if post.strip() else []
    by_key = {fold_key(p): p for p in tenures.posts}
    found = list(dict.fromkeys(by_key[fold_key(c)] for c in options if fold_key(c) in by_key))
    if not found:
        raise UnknownPostError(post)
    return max(found, key=lambda p: (tenures.releases(p), -found.index(p)))


def _docs_of(arrays: Any, ids: list[int]) -> np.ndarray:
    return arrays.facets["official"].docs_with(ids, arrays.size) & arrays.live


def holders(engine: Engine, post: str, ui_lang: str = "en") -> dict[str, Any]:
    """``{post, label, seats, holders: [{name, first_seen, last_seen, releases, acting}]}``, by first_seen."""
    canonical = resolve_post(engine, post)
    _searcher, _arrays, tenures = _state(engine)
    entry = tenures.posts[canonical]
    return {
        "post": canonical,
        "label": label("role", canonical, ui_lang),
        "seats": entry.get("seats") or seats_of(canonical),
        "holders": [
            {k: h[k] for k in ("name", "first_seen", "last_seen", "releases", "acting")} for h in entry["holders"]
        ],
    }


def holder_terms(engine: Engine, post: str) -> list[dict[str, Any]]:
    """Every term of a canonical post with its agency (for pages)."""
    _searcher, _arrays, tenures = _state(engine)
    return tenures.posts.get(post, {}).get("holders", [])


def official(engine: Engine, name: str) -> dict[str, Any]:
    """The profile: ``{name, aliases, posts: [{role, agency, first_seen, last_seen, releases}],
    releases, first_seen, last_seen, by_month: [{month, count}], appears_with: [{name, count}],
    agencies: [{value, count}]}``."""
    canonical = resolve_official(engine, name)
    _searcher, arrays, tenures = _state(engine)
    data = arrays.facets["official"]
    ids = person_ids(data, canonical)
    docs = _docs_of(arrays, ids)
    dated = arrays.date_key[docs]
    dated = dated[dated >= 0]
    first = _iso(int(dated.min())) if len(dated) else None
    last = _iso(int(dated.max())) if len(dated) else None
    with_counts = arrays.count("official", docs)
    with_counts[ids] = 0
    return {
        "name": canonical,
        "aliases": [n for n in tenures.people.get(canonical, []) if n != canonical],
        "posts": [
            {
                "role": post,
                "agency": term.get("agency"),
                "first_seen": term["first_seen"],
                "last_seen": term["last_seen"],
                "releases": term["releases"],
            }
            for post, term in tenures.by_person.get(canonical, [])
        ],
        "releases": int(docs.sum()),
        "first_seen": first,
        "last_seen": last,
        "by_month": _by_month(dated),
        "appears_with": [{"name": v, "count": c} for v, c in _top(data.values, with_counts)],
        "agencies": [
            {"value": v, "count": c} for v, c in _top(arrays.facets["agency"].values, arrays.count("agency", docs))
        ],
    }


def _iso(key: int) -> str:
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}"


def _by_month(dated: np.ndarray) -> list[dict[str, Any]]:
    """Releases per month, every month from the first to the last (empty ones at 0)."""
    if not len(dated):
        return []
    months = dated // 100  # YYYYMM
    lo, hi = int(months.min()), int(months.max())
    span = (hi // 100 - lo // 100) * 12 + (hi % 100 - lo % 100) + 1
    index = (months // 100 - lo // 100) * 12 + (months % 100 - lo % 100)
    counts = np.bincount(index, minlength=span)
    out = []
    for i, count in enumerate(counts.tolist()):
        year, month = divmod(lo // 100 * 12 + lo % 100 - 1 + i, 12)
        out.append({"month": f"{year:04d}-{month + 1:02d}", "count": count})
    return out


def _top(values: list[str], counts: np.ndarray, n: int = PROFILE_TOP) -> list[tuple[str, int]]:
    order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-int(counts[i]), values[i]))
    return [(values[i], int(counts[i])) for i in order[:n]]
