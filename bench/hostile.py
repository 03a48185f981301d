"""Hostile-input benchmark: what an attacker's queries and files cost, with figures.

    python bench/hostile.py --index /tmp/pressroom-bench/w2 [--concurrency 4] [--seconds 20]

1. Hostile queries, one at a time, through ``Engine.search`` on the given index: each query's
   time and outcome (answered, refused as too broad, timed out). Target: none over 1 s.
2. A plain search (``q=fraud``) measured while ``--concurrency`` clients send hostile queries to a
   real ``pressroom serve`` on the same index. Target: the plain search under 100 ms.
3. Hostile release files through reading and preparing (the stages of a build): a 100,000- and a
   5,000,000-character word, a 1 MB body of "a. ", a 51 KB gzip of blank lines. Each must take
   time linear in its size (seconds printed beside the size).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.documents import prepare_or_reject  # noqa: E402
from indexer.search import (  # noqa: E402
    Engine,
    QueryTimeoutError,
    QueryTooBroadError,
    SearchError,
    SearchRequest,
)
from indexer.sources import Release, read_releases  # noqa: E402

#: What an attacker sends: patterns that would read the whole index, ranges, long queries.
HOSTILE_QUERIES = [
    "*a*",
    "*a* *e*",
    "[a TO z]",
    "content:[a TO zzzz]",
    "a*",
    "e*",
    "s*",
    "pre*",
    "inv*",
    "se?*",
    "a* b* c* d* e*",
    "?????",
    "title:*",
    "body:se*",
    " OR ".join(["the", "of", "and", "to", "a", "in", "for", "is", "on", "that"] * 7),
    "a " * 249,
]
#: Legitimate but costly: phrases and long lists of the commonest words.
HEAVY_QUERIES = [
    '"the the the the the the the the"',
    '"of the united states of america"',
    '"de la de la de la"',
    "the of and to a in for is on that by with as at from",
]
PLAIN = "fraud"


def one_at_a_time(index: str) -> list[tuple[str, float, str]]:
    rows = []
    with Engine(index) as engine:
        engine.warm()  # as a server worker does before it takes requests
        for q in HOSTILE_QUERIES + HEAVY_QUERIES:
            t0 = time.perf_counter()
            try:
                page = engine.search(SearchRequest(query=q))
                outcome = f"answered ({page.total:,} releases)"
            except QueryTooBroadError:
                outcome = "refused: query_too_broad"
            except SearchError as e:
                outcome = f"refused: {e.message}"
            except QueryTimeoutError:
                outcome = "stopped: timeout"
            rows.append((q, time.perf_counter() - t0, outcome))
    return rows


def start_server(index: str, port: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "PRESSROOM_RATE_LIMIT": "100000000 per minute"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--index", index, "--port", str(port), "--threads", str(threads)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout.readline().startswith("Pressroom:")
    return proc


def timed_get(url: str) -> float:
    t0 = time.perf_counter()
    try:
        urllib.request.urlopen(url, timeout=60).read()
    except urllib.error.HTTPError as e:
        e.read()
    return time.perf_counter() - t0


def under_load(
    index: str, concurrency: int, seconds: float, queries: list[str], threads: int
) -> dict[str, list[float]]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = start_server(index, port, threads)
    base = f"http://127.0.0.1:{port}"
    plain_url = f"{base}/api/search?q={PLAIN}"
    out: dict[str, list[float]] = {"idle": [], "loaded": [], "hostile": []}
    try:
        for _ in range(30):
            out["idle"].append(timed_get(plain_url))
        stop = threading.Event()

        def attacker(n: int) -> None:
            i = n
            while not stop.is_set():
                q = queries[i % len(queries)]
                out["hostile"].append(timed_get(f"{base}/api/search?q={urllib.parse.quote(q)}"))
                i += 1

        threads = [threading.Thread(target=attacker, args=(n,)) for n in range(concurrency)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            out["loaded"].append(timed_get(plain_url))
            time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def hostile_files(tmp: Path) -> list[tuple[str, int, float, str]]:
    cases = {
        "word of 100,000 characters": ("w1.jsonl", {"id": "w1", "body": "Fraud " + "a" * 100_000 + " charges."}),
        "word of 5,000,000 characters": ("w5.jsonl", {"id": "w5", "body": "Fraud " + "b" * 5_000_000 + " x."}),
        'body of 1 MB of "a. "': ("dots.jsonl", {"id": "dots", "body": "a. " * 350_000}),
        "body of 1 MB of slashes": ("slashes.jsonl", {"id": "sl", "body": "/a" * 500_000}),
    }
    rows = []
    for name, (filename, record) in cases.items():
        path = tmp / filename
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        rows.append(read_and_prepare(name, path))
    blank = tmp / "blank.jsonl.gz"
    with gzip.open(blank, "wb", compresslevel=9) as fh:
        fh.write(b"\n" * 52_000_000)
    rows.append(read_and_prepare("gzip of blank lines", blank))
    return rows


def read_and_prepare(name: str, path: Path) -> tuple[str, int, float, str]:
    t0 = time.perf_counter()
    outcome = []
    for item in read_releases([path]):
        if isinstance(item, Release):
            doc = prepare_or_reject(item)
            outcome.append("indexed" if isinstance(doc, dict) else f"rejected: {doc.reason}")
            outcome += [f"note: {n}" for n in item.notes]
        else:
            outcome.append(f"rejected: {item.reason}")
    return name, path.stat().st_size, time.perf_counter() - t0, "; ".join(outcome) or "no record (blank lines)"


def ms(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--threads", type=int, default=4, help="app threads per server worker")
    args = ap.parse_args()

    print("1. hostile queries, one at a time")
    rows = one_at_a_time(args.index)
    for q, seconds, outcome in rows:
        shown = q if len(q) <= 48 else q[:45] + "..."
        print(f"  {seconds * 1000:8.1f} ms  {shown!r:52} {outcome}")
    print(f"  slowest: {max(s for _, s, _ in rows) * 1000:.1f} ms (target: under 1,000 ms)")

    for name, queries in (("hostile", HOSTILE_QUERIES), ("heavy", HEAVY_QUERIES)):
        print(
            f"\n2. plain search '{PLAIN}' while {args.concurrency} clients send {name} queries to a real server "
            f"(2 workers x {args.threads} threads)"
        )
        load = under_load(args.index, args.concurrency, args.seconds, queries, args.threads)
        for key in ("idle", "loaded"):
            v = load[key]
            print(
                f"  {key:7} n={len(v):4}  median {statistics.median(v) * 1000:6.1f} ms  "
                f"p95 {ms(v, 95):6.1f} ms  max {max(v) * 1000:6.1f} ms"
            )
        h = load["hostile"]
        median, worst = statistics.median(h) * 1000, max(h) * 1000
        print(f"  {name} requests answered: {len(h)}, median {median:.1f} ms, max {worst:.1f} ms")

    print("\n3. hostile release files: reading and preparing (language, extraction, document)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, size, seconds, outcome in hostile_files(Path(tmp)):
            print(f"  {seconds:7.2f} s  {size / 1e6:7.2f} MB on disk  {name}: {outcome[:110]}")


if __name__ == "__main__":
    main()
