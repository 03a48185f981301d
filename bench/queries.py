"""Query benchmark: Pressroom against a SQLite FTS5 baseline doing the same work, in the same run.

    python bench/queries.py --index /tmp/full [--queries bench/queries.jsonl] [--repeat 1] [--warm]

The timed path is everything a results page needs: top 10 with snippets, the total, and all five
facets with their disjunctive counts (each facet ignores its own selection), through the same
``Engine.search`` the web app uses, with no result cache. The FTS5 baseline is built from
Pressroom's own export (same documents, same extracted facet values): unicode61 with diacritics
removed and the porter stemmer, ``snippet()``, ``bm25()``, and GROUP BY facet counts.
Prints median, p95 and p99 for both, their ratio, and the totals side by side.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.search import Engine, SearchRequest  # noqa: E402

FACET_TABLES = {"agency": "agencies", "official": "officials", "role": "roles", "lang": "lang", "year": "year"}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


# --------------------------------------------------------------------------------------------
# FTS5 baseline


def build_fts(engine: Engine, path: Path) -> tuple[sqlite3.Connection, float]:
    """An FTS5 database of the same releases and facet values; returns it and its build time."""
    t0 = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE docs(docid INTEGER PRIMARY KEY, id TEXT, date TEXT, lang TEXT, year TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');
        CREATE TABLE agencies(docid INTEGER, value TEXT);
        CREATE TABLE officials(docid INTEGER, value TEXT);
        CREATE TABLE roles(docid INTEGER, value TEXT);
        """
    )
    for n, r in enumerate(engine.iter_releases(), 1):
        year = (r.get("date") or "")[:4] or None
        db.execute("INSERT INTO docs VALUES (?,?,?,?,?)", (n, r["id"], r.get("date"), r.get("lang"), year))
        db.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", (n, r["title"], r["body"]))
        db.executemany("INSERT INTO agencies VALUES (?,?)", [(n, a) for a in r.get("agencies") or []])
        db.executemany("INSERT INTO officials VALUES (?,?)", [(n, o["name"]) for o in r.get("officials") or []])
        db.executemany("INSERT INTO roles VALUES (?,?)", [(n, x) for x in r.get("roles") or []])
    db.executescript(
        "CREATE INDEX a1 ON agencies(value, docid); CREATE INDEX a2 ON agencies(docid);"
        "CREATE INDEX o1 ON officials(value, docid); CREATE INDEX o2 ON officials(docid);"
        "CREATE INDEX r1 ON roles(value, docid); CREATE INDEX r2 ON roles(docid);"
        "CREATE INDEX d1 ON docs(date); ANALYZE;"
    )
    db.commit()
    return db, time.perf_counter() - t0


def fts_match(q: str) -> str | None:
    """The query in FTS5 syntax: words AND'ed, phrases kept, prefixes, title:/body: columns."""
    if not q.strip():
        return None
    parts = []
    for m in re.finditer(r'(\w+):(\w+\*?)|"([^"]+)"|([\w-]+\*?)', q):
        if m.group(1):
            column = "title" if m.group(1) == "title" else "body"
            parts.append(f"{column} : {m.group(2)}")
        elif m.group(3):
            parts.append('"' + m.group(3).replace('"', "") + '"')
        else:
            word = m.group(4)
            if word in ("AND", "OR", "NOT"):
                continue
            parts.extend(f'"{w}"' if not w.endswith("*") else w for w in word.split("-") if w)
    return " ".join(parts) or None


def fts_filter_sql(name: str, values: list[str]) -> str:
    placeholders = ",".join("?" * len(values))
    if name in ("lang", "year"):
        return f"d.{name} IN ({placeholders})"
    return f"d.docid IN (SELECT docid FROM {FACET_TABLES[name]} WHERE value IN ({placeholders}))"


def fts_search(db: sqlite3.Connection, row: dict) -> dict:
    """Total, top 10 with snippets and five disjunctive facet counts, as the results page needs."""
    match = fts_match(row["q"])
    filters = {k: v for k, v in row["filters"].items() if k in FACET_TABLES}
    clauses, params = [], []
    base = "FROM docs d"
    if match:
        base = "FROM fts JOIN docs d ON d.docid = fts.rowid"
        clauses.append("fts MATCH ?")
        params.append(match)
    if row["filters"].get("from"):
        clauses.append("d.date >= ?")
        params.append(row["filters"]["from"])
    if row["filters"].get("to"):
        clauses.append("d.date <= ?")
        params.append(row["filters"]["to"] + "-99")

    def where(skip: str | None = None) -> tuple[str, list]:
        cl, pr = list(clauses), list(params)
        for name, values in filters.items():
            if name != skip:
                cl.append(fts_filter_sql(name, values))
                pr.extend(values)
        return (" WHERE " + " AND ".join(cl)) if cl else "", pr

    w, p = where()
    total = db.execute(f"SELECT count(*) {base}{w}", p).fetchone()[0]
    sort = row.get("sort") or ("relevance" if match else "newest")
    order = {
        "relevance": "bm25(fts), d.id" if match else "d.id",
        "newest": "d.date IS NULL, d.date DESC, d.id",
        "oldest": "d.date IS NULL, d.date, d.id",
    }[sort]
    snippet = "snippet(fts, 1, '<mark>', '</mark>', '…', 24)" if match else "''"
    hits = db.execute(f"SELECT d.id, {snippet} {base}{w} ORDER BY {order} LIMIT 10", p).fetchall()
    facets = {}
    for name, table in FACET_TABLES.items():
        w, p = where(skip=name)
        if name in ("lang", "year"):
            sql = f"SELECT d.{name}, count(*) c {base}{w} GROUP BY d.{name} ORDER BY c DESC LIMIT 10"
        else:
            sql = (
                f"SELECT t.value, count(*) c {base} JOIN {table} t ON t.docid = d.docid{w} "
                "GROUP BY t.value ORDER BY c DESC LIMIT 10"
            )
        facets[name] = db.execute(sql, p).fetchall()
    return {"total": total, "hits": hits, "facets": facets}


# --------------------------------------------------------------------------------------------


def request_for(row: dict) -> SearchRequest:
    f = row["filters"]
    return SearchRequest(
        query=row["q"],
        agency=f.get("agency", []),
        official=f.get("official", []),
        role=f.get("role", []),
        lang=f.get("lang", []),
        year=f.get("year", []),
        date_from=f.get("from"),
        date_to=f.get("to"),
        sort=row.get("sort"),
        per_page=10,
    )


def summary(name: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{name:<22} {statistics.median(ms):8.1f} {percentile(ms, 95):8.1f} {percentile(ms, 99):8.1f} {max(ms):8.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.jsonl")))
    ap.add_argument("--repeat", type=int, default=1, help="passes over the query set (after one warm-up pass)")
    ap.add_argument("--fts", default=None, help="reuse/keep the FTS5 database at this path")
    args = ap.parse_args()

    rows = [json.loads(line) for line in Path(args.queries).read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = Engine(args.index)
    releases = engine.status()["releases"]

    fts_path = Path(args.fts) if args.fts else Path(tempfile.mkdtemp()) / "fts.db"
    if fts_path.exists():
        db, fts_build = sqlite3.connect(fts_path), float("nan")
    else:
        db, fts_build = build_fts(engine, fts_path)

    # Warm-up: opens the searcher and builds the per-reader arrays (once per generation).
    t0 = time.perf_counter()
    engine.search(SearchRequest())
    first = time.perf_counter() - t0
    for row in rows:
        engine.search(request_for(row))
        fts_search(db, row)

    ours: list[float] = []
    theirs: list[float] = []
    totals_ours = totals_fts = 0
    by_kind: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for row in rows:
            t0 = time.perf_counter()
            page = engine.search(request_for(row))
            elapsed = time.perf_counter() - t0
            ours.append(elapsed)
            by_kind.setdefault(row["kind"], []).append(elapsed)
            totals_ours += page.total
            t0 = time.perf_counter()
            result = fts_search(db, row)
            theirs.append(time.perf_counter() - t0)
            totals_fts += result["total"]

    print(
        f"{releases} releases, {len(rows)} queries x {args.repeat} pass(es); "
        f"first search after opening: {first * 1000:.0f} ms"
    )
    print(f"FTS5 baseline built in {fts_build:.1f} s" if fts_build == fts_build else "FTS5 baseline reused")
    print(f"{'ms':<22} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    print(summary("pressroom", ours))
    print(summary("sqlite fts5", theirs))
    ratio = [
        statistics.median(ours) / statistics.median(theirs),
        percentile(ours, 95) / percentile(theirs, 95),
        percentile(ours, 99) / percentile(theirs, 99),
    ]
    print(f"{'ratio pressroom/fts5':<22} {ratio[0]:8.2f} {ratio[1]:8.2f} {ratio[2]:8.2f}")
    print(f"sum of totals: pressroom {totals_ours:,}  fts5 {totals_fts:,} (stemming and query syntax differ slightly)")
    print("\nby kind (pressroom):")
    for kind, times in sorted(by_kind.items()):
        print(summary(f"  {kind} ({len(times)})", times))


if __name__ == "__main__":
    main()
