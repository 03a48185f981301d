"""Official profiles and post holders: what ``pressroom official``, ``pressroom holders``, the
``/officials/`` and ``/posts/`` pages and their JSON answer.

Names and posts resolve like the ``official`` and ``role`` filters (any spelling, any alias in
either language) to one canonical value; ``resolve_official`` and ``resolve_post`` say which, so
the web can redirect an alias to the canonical URL. Terms come from the tenures stored with the
generation (``indexer.tenures``); counts per month, the people named alongside and the agencies
come from the engine (``SearchEngine.person_releases``), so both backends answer alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .analysis import fold_key
from .backends.base import SearchEngine
from .labels import label
from .search.facets import FACETS
from .tenures.holders import person_ids
from .tenures.table import base_post, seats_of

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


def resolve_official(engine: SearchEngine, name: str) -> str:
    """The canonical official a typed name stands for (raises ``UnknownOfficialError``)."""
    data = engine.facet_data("official")
    canonical, ids = FACETS["official"].resolve(data, name)
    live = engine.live_values("official", ids)
    if not name.strip() or not live:
        raise UnknownOfficialError(name)
    return data.values[live[0]] if canonical not in data.values else canonical


def resolve_post(engine: SearchEngine, post: str) -> str:
    """The canonical post (with holders) a typed post or alias stands for; an ``Acting …`` post
    stands for its post. Where an alias names posts of several governments (``Attorney General``),
    the one with the most releases. Raises ``UnknownPostError``."""
    tenures = engine.tenures()
    options = [base_post(c)[0] for c in FACETS["holder_of"].candidates(post.strip())] if post.strip() else []
    by_key = {fold_key(p): p for p in tenures.posts}
    found = list(dict.fromkeys(by_key[fold_key(c)] for c in options if fold_key(c) in by_key))
    if not found:
        raise UnknownPostError(post)
    return max(found, key=lambda p: (tenures.releases(p), -found.index(p)))


def holders(engine: SearchEngine, post: str, ui_lang: str = "en") -> dict[str, Any]:
    """``{post, label, seats, holders: [{name, first_seen, last_seen, releases, acting}]}``, by first_seen."""
    canonical = resolve_post(engine, post)
    entry = engine.tenures().posts[canonical]
    return {
        "post": canonical,
        "label": label("role", canonical, ui_lang),
        "seats": entry.get("seats") or seats_of(canonical),
        "holders": [
            {k: h[k] for k in ("name", "first_seen", "last_seen", "releases", "acting")} for h in entry["holders"]
        ],
    }


def holder_terms(engine: SearchEngine, post: str) -> list[dict[str, Any]]:
    """Every term of a canonical post with its agency (for pages)."""
    return engine.tenures().posts.get(post, {}).get("holders", [])


def official(engine: SearchEngine, name: str) -> dict[str, Any]:
    """The profile: ``{name, aliases, posts: [{role, agency, first_seen, last_seen, releases}],
    releases, first_seen, last_seen, by_month: [{month, count}], appears_with: [{name, count}],
    agencies: [{value, count}]}``."""
    canonical = resolve_official(engine, name)
    tenures = engine.tenures()
    data = engine.facet_data("official")
    ids = person_ids(data, canonical)
    found = engine.person_releases(ids)
    with_counts = found.counts["official"].copy()
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
        "releases": found.releases,
        "first_seen": found.first_seen,
        "last_seen": found.last_seen,
        "by_month": _by_month(found.months),
        "appears_with": [{"name": v, "count": c} for v, c in _top(data.values, with_counts)],
        "agencies": [
            {"value": v, "count": c} for v, c in _top(engine.facet_data("agency").values, found.counts["agency"])
        ],
    }


def _by_month(by_month: dict[int, int]) -> list[dict[str, Any]]:
    """Releases per month (``{YYYYMM: count}``), every month from the first to the last (empty ones at 0)."""
    if not by_month:
        return []
    months = np.array(list(by_month), dtype=np.int64)
    lo, hi = int(months.min()), int(months.max())
    span = (hi // 100 - lo // 100) * 12 + (hi % 100 - lo % 100) + 1
    index = (months // 100 - lo // 100) * 12 + (months % 100 - lo % 100)
    counts = np.bincount(index, weights=list(by_month.values()), minlength=span).astype(np.int64)
    out = []
    for i, count in enumerate(counts.tolist()):
        year, month = divmod(lo // 100 * 12 + lo % 100 - 1 + i, 12)
        out.append({"month": f"{year:04d}-{month + 1:02d}", "count": count})
    return out


def _top(values: list[str], counts: np.ndarray, n: int = PROFILE_TOP) -> list[tuple[str, int]]:
    order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-int(counts[i]), values[i]))
    return [(values[i], int(counts[i])) for i in order[:n]]
