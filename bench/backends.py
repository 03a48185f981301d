"""Whoosh against Typesense on the full corpus, in one run: agreement, latency, build, memory, throughput.

    python bench/backends.py [SOURCE...] [--data /tmp/pressroom-bench/ts] [--whoosh-index DIR]
                              [--queries bench/queries.jsonl] [--workers 2] [--seconds 15]

Starts its own 3-node Typesense cluster on loopback (``pressroom cluster start``'s code) under
``--data``, builds the corpus into it, builds (or reuses, with ``--whoosh-index``) a Whoosh index,
and runs every query of the query set on both through the same ``search()`` the web app calls
(top 10 with snippets, total, every facet with disjunctive counts). Prints:

- agreement: mean top-10 overlap per kind of query, how many totals are identical, and the totals
  of filter-only searches (the set's empty queries plus each of its filter sets without its words);
- latency: median, p95 and p99 per backend;
- build time per backend, and each node's resident memory after the build and the queries;
- throughput: searches a second from ``--clients`` threads for ``--seconds``, reading through one
  node and through all three. The load generator shares the machine's cores with the nodes, so
  this shows contention, not scaling.

The cluster is stopped (by its recorded pids) at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.backends.cluster import read_state, start_cluster, stop_cluster  # noqa: E402
from indexer.backends.typesense import ClusterConfig, TypesenseBackend, TypesenseEngine  # noqa: E402
from indexer.backends.whoosh import WhooshBackend, WhooshEngine  # noqa: E402
from indexer.search import SearchRequest  # noqa: E402
from indexer.store import IndexLoadingError  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def request_for(row: dict, with_query: bool = True) -> SearchRequest:
    f = row["filters"]
    return SearchRequest(
        query=row["q"] if with_query else "",
        **{k: f.get(k, []) for k in ("agency", "official", "role", "lang", "year")},
        date_from=f.get("from"),
        date_to=f.get("to"),
        sort=row.get("sort"),
        per_page=10,
    )


def rss_mb(pid: int | None) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(data: Path) -> str:
    return ", ".join(f"node {i + 1} {rss_mb(n['pid']):.0f} MB" for i, n in enumerate(read_state(data)["nodes"]))


def run_queries(engine, rows: list[dict]) -> tuple[list[float], list[dict | str]]:
    times, answers = [], []
    for row in rows:
        t0 = time.perf_counter()
        try:
            answers.append(engine.search(request_for(row)).as_dict())
        except Exception as e:  # a refused query is an answer too (same on both, or reported)
            answers.append(f"{type(e).__name__}: {e}")
        times.append(time.perf_counter() - t0)
    return times, answers


def throughput(
    config: ClusterConfig, urls: list[str], rows: list[dict], clients: int, seconds: float
) -> tuple[float, int]:
    """Searches answered a second from ``clients`` threads reading through ``urls``, and how many
    failed. The engine is warmed first (its view of the generation loaded), outside the clock."""
    engine = TypesenseEngine(ClusterConfig(urls, config.api_key, config.alias))
    engine.search(SearchRequest())
    done = [0] * clients
    failed = [0] * clients
    stop = time.monotonic() + seconds

    def work(k: int) -> None:
        i = k
        while time.monotonic() < stop:
            try:
                engine.search(request_for(rows[i % len(rows)]))
                done[k] += 1
            except Exception:
                failed[k] += 1
            i += clients

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.close()
    return sum(done) / seconds, sum(failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", default=sorted(str(p) for p in DEFAULT_CORPUS.glob("*.jsonl.gz")))
    parser.add_argument("--data", default="/tmp/pressroom-bench/ts")
    parser.add_argument("--whoosh-index", default=None, help="An existing Whoosh index of the same sources.")
    parser.add_argument("--queries", default=str(ROOT / "bench" / "queries.jsonl"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument(
        "--reuse", action="store_true", help="Restart the cluster of an earlier run in --data and reuse both builds."
    )
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.queries).read_text(encoding="utf-8").splitlines() if line.strip()]
    data = Path(args.data)
    print(f"sources: {len(args.sources)} file(s); queries: {len(rows)}", flush=True)

    t0 = time.perf_counter()
    state = start_cluster(data / "cluster", 3)
    print(f"cluster of 3 nodes healthy in {time.perf_counter() - t0:.1f} s", flush=True)
    data_dir = data / "cluster"
    try:
        config = ClusterConfig(state["urls"], state["api_key"], "bench")
        if not args.reuse:
            t0 = time.perf_counter()
            report = TypesenseBackend(data / "ts-local", config).build(args.sources, workers=args.workers)
            ts_build = time.perf_counter() - t0
            print(f"typesense build: {report.indexed} releases in {ts_build:.0f} s", flush=True)
        print(f"memory: {memory(data_dir)}", flush=True)
        whoosh_index = args.whoosh_index or (str(data / "whoosh") if args.reuse else None)
        if whoosh_index is None:
            whoosh_index = str(data / "whoosh")
            t0 = time.perf_counter()
            WhooshBackend(whoosh_index).build(args.sources, workers=args.workers)
            print(f"whoosh build: {time.perf_counter() - t0:.0f} s", flush=True)

        with WhooshEngine(whoosh_index) as whoosh, TypesenseEngine(config) as typesense:
            whoosh.search(SearchRequest())
            t0 = time.perf_counter()
            while True:  # a restarted cluster (--reuse) answers 503 "loading" until a node holds it all
                try:
                    typesense.search(SearchRequest())
                    break
                except IndexLoadingError as e:
                    print(f"  {time.perf_counter() - t0:5.0f} s: {e}", flush=True)
                    time.sleep(10)
            print(f"typesense: first search answered {time.perf_counter() - t0:.1f} s after the nodes were healthy")
            w_times, w_answers = run_queries(whoosh, rows)
            t_times, t_answers = run_queries(typesense, rows)
            compare(rows, w_answers, t_answers)
            print("\nlatency (ms)         median      p95      p99      max")
            for name, times in (("whoosh", w_times), ("typesense", t_times)):
                ms = [t * 1000 for t in times]
                print(
                    f"{name:<20} {statistics.median(ms):8.1f} {percentile(ms, 95):8.1f} "
                    f"{percentile(ms, 99):8.1f} {max(ms):8.1f}"
                )
            filter_only(whoosh, typesense, rows)
        print(f"\nmemory after the queries: {memory(data_dir)}", flush=True)
        print(f"\nthroughput, {args.clients} client threads for {args.seconds:.0f} s (2 cores shared: contention)")
        for label, urls in (("1 node serving reads", state["urls"][:1]), ("3 nodes serving reads", state["urls"])):
            rate, failed = throughput(config, urls, rows, args.clients, args.seconds)
            print(f"  {label}: {rate:.1f} searches/s answered, {failed} failed", flush=True)
    finally:
        stop_cluster(data_dir)


def compare(rows: list[dict], w_answers: list, t_answers: list) -> None:
    overlap: dict[str, list[float]] = defaultdict(list)
    same_total = 0
    differ: list[str] = []
    for row, a, b in zip(rows, w_answers, t_answers, strict=True):
        if isinstance(a, str) or isinstance(b, str):
            if a != b:
                differ.append(f"  {row['q']!r} {row['filters']}: whoosh {str(a)[:80]} / typesense {str(b)[:80]}")
            else:
                same_total += 1
            continue
        ids_a, ids_b = [h["id"] for h in a["hits"]], [h["id"] for h in b["hits"]]
        if ids_a or ids_b:
            overlap[row["kind"]].append(len(set(ids_a) & set(ids_b)) / max(len(ids_a), len(ids_b)))
        if a["total"] == b["total"]:
            same_total += 1
        else:
            differ.append(f"  {row['q']!r} {row['filters']}: whoosh {a['total']} / typesense {b['total']}")
    print(f"\nidentical totals: {same_total} of {len(rows)} searches")
    for line in differ[:20]:
        print(line)
    print("top-10 overlap by kind (mean share of the 10 ids both return):")
    every = [v for vs in overlap.values() for v in vs]
    for kind, values in sorted(overlap.items()):
        print(f"  {kind:<12} {statistics.mean(values):.3f} ({len(values)} searches)")
    print(f"  {'all':<12} {statistics.mean(every):.3f}")


def filter_only(whoosh, typesense, rows: list[dict]) -> None:
    """Totals of filter-only searches: the set's empty queries and each distinct filter set alone."""
    seen, same, total = set(), 0, 0
    for row in rows:
        key = json.dumps(row["filters"], sort_keys=True)
        if key in seen or (row["q"] and not row["filters"]):
            continue
        seen.add(key)
        req = request_for(row, with_query=False)
        a, b = whoosh.search(req), typesense.search(req)
        total += 1
        same += a.total == b.total and a.as_dict()["facets"] == b.as_dict()["facets"]
    print(f"\nfilter-only searches with identical totals and facet counts: {same} of {total}")


if __name__ == "__main__":
    main()
