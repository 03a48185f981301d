"""The tenure rule: dated evidence (person, post, release) -> who held which post, when.

Evidence is every dated release that names a person with a post, except where the text names
them only as a former or future holder (``evidence``). Per post:

1. **Terms.** A person's releases in a post are one term until a gap of more than ``MAX_GAP_DAYS``
   (a year) between two of them; a longer gap starts a new term, so a person who held a post twice
   gets one row per term.
2. **Strays.** A term of a single release is dropped when the person has a term of several
   releases in that post: one release naming someone with a post they held years earlier or later
   does not make a tenure (a person with one release in a post keeps it: nothing contradicts it).
3. **Single-seat posts** (``seats: single`` in posts.json) cannot have two holders at once. Only
   the releases of publishers that issued at least ``MIN_SOURCE_SHARE`` (5%) of the post's releases
   count (a county prosecutor's "Attorney General Xavier Becerra" is California's, not the United
   States'). The releases are put in date order and the timeline is cut into consecutive spans, each given to
   one holder, at the least cost: each release naming someone else than its span's holder costs
   1, each hand-over costs ``SWITCH_COST`` (1.5), nothing after more than a year in which no
   release names anyone in the post. So a person needs two releases in a row at either end of the
   record, and four in a row inside another's span, to hold the post there; fewer are stray
   attributions and dropped (a Viterbi pass over the releases, exact and linear). A span holds
   its holder's releases in it, split by rules 1 and 2: terms never overlap, and a holder who
   comes back after someone else gets a second row.
4. **Acting holders** (an ``Acting …`` post, or an ``acting`` mark in the text) fill a vacancy:
   of a single-seat post, their releases dated inside a regular holder's term are dropped; the
   rest make terms as above, marked ``acting``.

``first_seen`` and ``last_seen`` are a term's first and last releases: a tenure is what the
releases show, not the legal dates (a holder the releases never name in the first weeks starts
later).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

#: Days between two releases of one person in one post past which a new term starts.
MAX_GAP_DAYS = 365
#: Cost of a hand-over on a single-seat post, against 1 per release naming someone else.
SWITCH_COST = 1.5
#: Share of a single-seat post's releases a publisher must have issued to be a source for it.
MIN_SOURCE_SHARE = 0.05


@dataclass(frozen=True)
class Evidence:
    """One release naming ``person`` as holding ``post`` on ``date`` (ISO)."""

    person: str
    post: str
    date: str
    release: str
    agency: str | None = None
    acting: bool = False
    #: Who issued the release (None: unknown).
    publisher: str | None = None


@dataclass
class Term:
    """One person's term in one post, as the releases show it."""

    person: str
    post: str
    first_seen: str
    last_seen: str
    #: The evidence, in date order (then release id).
    evidence: list[Evidence] = field(default_factory=list)
    acting: bool = False

    @property
    def releases(self) -> int:
        """Distinct releases behind the term."""
        return len({e.release for e in self.evidence})

    @property
    def agency(self) -> str | None:
        """The agency most of the term's releases give the post (None when none does)."""
        counts = Counter(e.agency for e in self.evidence if e.agency)
        return min(counts, key=lambda a: (-counts[a], a)) if counts else None

    def covers(self, day: str) -> bool:
        return self.first_seen <= day <= self.last_seen


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def _order(items: Iterable[Evidence]) -> list[Evidence]:
    return sorted(items, key=lambda e: (e.date, e.person, e.release))


def split_terms(items: list[Evidence], post: str, acting: bool = False) -> list[Term]:
    """One person's releases in one post -> terms, split where they are more than a year apart
    (rule 1)."""
    terms: list[Term] = []
    for e in _order(items):
        if terms and _days(terms[-1].last_seen, e.date) <= MAX_GAP_DAYS:
            terms[-1].evidence.append(e)
            terms[-1].last_seen = e.date
        else:
            terms.append(Term(e.person, post, e.date, e.date, [e], acting))
    return terms


def drop_lone_terms(terms: list[Term]) -> list[Term]:
    """A person's single-release terms, when they have a term of several releases (rule 2)."""
    strong = {(t.person, t.acting) for t in terms if t.releases > 1}
    return [t for t in terms if t.releases > 1 or (t.person, t.acting) not in strong]


def single_seat_spans(items: list[Evidence]) -> list[list[Evidence]]:
    """The least-cost assignment of one holder at a time (rule 3), as the releases of each span
    that name its holder, in date order; the other releases are stray attributions."""
    ordered = _order(items)
    if not ordered:
        return []
    people = sorted({e.person for e in ordered})
    index = {p: i for i, p in enumerate(people)}
    named = [index[e.person] for e in ordered]
    n = len(people)
    # cost[k]: least cost of the releases so far with person k holding the post at the last one
    cost = [0.0 if named[0] == k else 1.0 for k in range(n)]
    back: list[list[int]] = []
    for i, who in enumerate(named[1:], start=1):
        best = min(range(n), key=lambda k: (cost[k], k))
        # after a year with no release naming anyone in the post, the evidence starts afresh
        handover = 0.0 if _days(ordered[i - 1].date, ordered[i].date) > MAX_GAP_DAYS else SWITCH_COST
        step, new = [], []
        for k in range(n):
            # a hand-over only when strictly cheaper than staying (ties keep the holder)
            switch = cost[best] + handover
            prev, total = (best, switch) if switch < cost[k] else (k, cost[k])
            step.append(prev)
            new.append(total + (0.0 if who == k else 1.0))
        back.append(step)
        cost = new
    support = Counter(named)
    holder = min(range(n), key=lambda k: (cost[k], -support[k], k))
    holders = [holder]
    for step in reversed(back):
        holder = step[holder]
        holders.append(holder)
    holders.reverse()
    spans: list[list[Evidence]] = []
    for i, (e, k) in enumerate(zip(ordered, holders, strict=True)):
        if i == 0 or k != holders[i - 1]:
            spans.append([])
        if named[i] == k:
            spans[-1].append(e)
    return [s for s in spans if s]


def major_sources(items: list[Evidence]) -> list[Evidence]:
    """The releases of publishers that issued at least ``MIN_SOURCE_SHARE`` of a post's releases
    (rule 3: a county prosecutor that calls the state attorney general "Attorney General" is no
    source for the Attorney General of the United States)."""
    counts = Counter(e.publisher for e in items)
    return [e for e in items if counts[e.publisher] >= MIN_SOURCE_SHARE * len(items)]


def post_tenures(items: Iterable[Evidence], post: str, single: bool) -> list[Term]:
    """Every term of one post, regular and acting, ordered by ``first_seen`` (rules 1-4)."""
    items = list(items)
    if single:
        items = major_sources(items)
    regular = [e for e in items if not e.acting]
    acting = [e for e in items if e.acting]
    terms: list[Term] = []
    if single:
        for span in single_seat_spans(regular):
            terms += split_terms(span, post)
    else:
        for person_items in _by_person(regular).values():
            terms += split_terms(person_items, post)
    if single:
        acting = [e for e in acting if not any(t.covers(e.date) for t in terms)]
    for person_items in _by_person(acting).values():
        terms += split_terms(person_items, post, acting=True)
    terms = drop_lone_terms(terms)
    return sorted(terms, key=lambda t: (t.first_seen, t.last_seen, t.person))


def _by_person(items: list[Evidence]) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for e in items:
        out.setdefault(e.person, []).append(e)
    return out
