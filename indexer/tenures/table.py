"""Tenures of a whole index, computed when a build or an update commits and stored with the
generation (``tenures.json``), so the pages that read them never scan the index.

The evidence comes from the index's facet fields, not from stored records: ``official_posts``
(name, post, agency per release), ``official_marks`` (former and acting mentions) and the dates.
A person is one value of the ``official`` facet: the same merge of name variants (``people``),
so a profile, a holder row and the facet always name a person alike.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..entities.gazetteer import DATA_DIR, gazetteer
from ..schema import POST_SEPARATOR
from ..store import utc_now, write_atomic
from .evidence import ACTING, FORMER, SEPARATOR
from .rule import Evidence, Term, post_tenures

#: The file in each generation folder.
TENURES_FILE = "tenures.json"
#: Bump when the file's layout changes; an older file is recomputed in memory.
FORMAT = 1
SEATS = ("single", "multi")


class TableError(ValueError):
    """posts.json gives a post a ``seats`` value other than single or multi."""


@lru_cache(maxsize=1)
def seats_table() -> dict[str, str]:
    """``{post: "single"}`` for every post posts.json marks single-seat (a post without ``seats``
    is multi-seat)."""
    with open(DATA_DIR / "posts.json", encoding="utf-8") as fh:
        rows = json.load(fh)
    out = {}
    for row in rows:
        seats = row.get("seats", "multi")
        if seats not in SEATS:
            raise TableError(f"post {row['name']!r} has seats {seats!r}; use 'single' or 'multi'")
        out[row["name"]] = seats
    return out


def seats_of(post: str) -> str:
    """``single`` or ``multi`` (posts outside the tables are multi-seat)."""
    return seats_table().get(post, "multi")


def base_post(post: str, known: Iterable[str] = ()) -> tuple[str, bool]:
    """``(post, acting)``: an ``Acting …`` post is its post held in acting capacity.

    >>> base_post("Acting Attorney General (United States)")
    ('Attorney General (United States)', True)
    """
    if post[:7].lower() == "acting ":
        rest = post[7:].strip()
        if rest in gazetteer().posts or rest in known:
            return rest, True
    return post, False


# --------------------------------------------------------------------------------------------
# Computing


def _postings(reader: Any, fieldname: str) -> Iterable[tuple[str, np.ndarray]]:
    """Each term of a facet field with its live documents."""
    if fieldname not in reader.schema:
        return
    for term in reader.lexicon(fieldname):
        docs = np.fromiter(reader.postings(fieldname, term).all_ids(), dtype=np.int64)
        if len(docs):
            yield term.decode("utf-8"), docs


def people_of(reader: Any) -> tuple[list[str], dict[str, str], Any]:
    """``(persons, {name as written: person}, official facet data)``: the official facet's merge."""
    from ..analysis import fold_key
    from ..search.facets import FACETS  # the facet owns the merge; imported late (no cycle)

    data = FACETS["official"].load(reader)
    person_of = {}
    for v in data.values:
        ids = data.keys.get(fold_key(v))
        person_of[v] = data.values[ids[0]] if ids else v
    persons = sorted(set(person_of.values()))
    return persons, person_of, data


def read_evidence(reader: Any) -> tuple[list[Evidence], dict[str, list[str]], dict[str, int]]:
    """Every dated (person, post) of the index as ``Evidence``, each person's name variants, and
    counts of what was left out (``former``: named as a former or future holder; ``undated``)."""
    _persons, person_of, _data = people_of(reader)
    n = reader.doc_count_all()
    id_column = reader.column_reader("id")
    date_column = reader.column_reader("date")
    ids = [id_column[d] for d in range(n)]
    dates = [date_column[d] for d in range(n)]
    publisher: dict[int, str] = {}
    for term, docs in _postings(reader, "publishers"):
        for d in docs.tolist():
            publisher.setdefault(d, term)
    marks: dict[tuple[int, str], str] = {}
    for term, docs in _postings(reader, "official_marks"):
        name, _, mark = term.partition(SEPARATOR)
        for d in docs.tolist():
            marks[(d, name)] = mark
    known = set()
    rows: list[tuple[str, str, str, np.ndarray]] = []
    for term, docs in _postings(reader, "official_posts"):
        name, post, agency = (term.split(POST_SEPARATOR) + ["", ""])[:3]
        if post:
            known.add(post)
            rows.append((name, post, agency, docs))
    evidence: list[Evidence] = []
    left_out = {"former": 0, "undated": 0}
    for name, post, agency, docs in rows:
        base, acting_post = base_post(post, known)
        person = person_of.get(name, name)
        for d in docs.tolist():
            mark = marks.get((d, name))
            if mark == FORMER:
                left_out["former"] += 1
                continue
            if not dates[d]:
                left_out["undated"] += 1
                continue
            acting = acting_post or mark == ACTING
            evidence.append(Evidence(person, base, dates[d], ids[d], agency or None, acting, publisher.get(d)))
    aliases: dict[str, list[str]] = {}
    for name, person in person_of.items():
        aliases.setdefault(person, []).append(name)
    return evidence, aliases, left_out


def compute_tenures(reader: Any) -> dict[str, Any]:
    """The ``tenures.json`` document of an index reader."""
    evidence, aliases, left_out = read_evidence(reader)
    by_post: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_post.setdefault(e.post, []).append(e)
    posts: dict[str, Any] = {}
    stray = 0
    for post in sorted(by_post):
        seats = seats_of(post)
        terms = post_tenures(by_post[post], post, seats == "single")
        kept = sum(len(t.evidence) for t in terms)
        stray += len(by_post[post]) - kept
        posts[post] = {"seats": seats, "holders": [_holder(t) for t in terms], "dropped": len(by_post[post]) - kept}
    return {
        "format": FORMAT,
        "computed_at": utc_now(),
        "evidence": len(evidence),
        "left_out": {**left_out, "stray": stray},
        "posts": posts,
        "people": {p: sorted(names, key=lambda n: (n != p, n)) for p, names in sorted(aliases.items())},
    }


def _holder(t: Term) -> dict[str, Any]:
    return {
        "name": t.person,
        "first_seen": t.first_seen,
        "last_seen": t.last_seen,
        "releases": t.releases,
        "acting": t.acting,
        "agency": t.agency,
        "evidence": list(dict.fromkeys(e.release for e in t.evidence)),
    }


def write_tenures(generation: Path) -> dict[str, Any]:
    """Compute the tenures of the generation's latest commit and store them beside it (atomically)."""
    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(str(generation)).reader() as reader:
        doc = compute_tenures(reader)
    write_atomic(generation / TENURES_FILE, json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    return doc


# --------------------------------------------------------------------------------------------
# Reading


def tenures_stamp(generation: Path) -> tuple[int, int, int] | None:
    """(inode, mtime, size) of the generation's tenures file: a reader rereads it when it moves."""
    try:
        st = os.stat(generation / TENURES_FILE)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Tenures:
    """A generation's tenures as read from ``tenures.json``, with each person's terms at hand."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        #: post -> {"seats", "holders": [{name, first_seen, last_seen, releases, acting, agency, evidence}]}
        self.posts: dict[str, Any] = doc.get("posts", {})
        #: person -> the names releases write for them (the person's own first)
        self.people: dict[str, list[str]] = doc.get("people", {})
        self.by_person: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for post, entry in self.posts.items():
            for holder in entry["holders"]:
                self.by_person.setdefault(holder["name"], []).append((post, holder))
        for terms in self.by_person.values():
            terms.sort(key=lambda t: (t[1]["first_seen"], t[1]["last_seen"], t[0]))

    def releases(self, post: str) -> int:
        """Releases behind every term of a post (0 for a post without holders)."""
        return sum(h["releases"] for h in self.posts.get(post, {}).get("holders", []))


_CACHE: dict[str, tuple[Any, Tenures]] = {}


def load_tenures(generation: Path, reader: Any | None = None) -> Tenures:
    """The generation's tenures, read once per version of the file. An index built before tenures
    were stored has none: they are computed from ``reader`` in memory (never written by a reader)."""
    key = str(generation)
    stamp = tenures_stamp(generation)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp and stamp is not None:
        return cached[1]
    doc: dict[str, Any] | None = None
    if stamp is not None:
        try:
            doc = json.loads((generation / TENURES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = None
    if doc is None or doc.get("format") != FORMAT:
        if reader is None:
            return Tenures({})
        doc = compute_tenures(reader)
    tenures = Tenures(doc)
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[key] = (stamp, tenures)
    return tenures
