"""What the ranking signals cost: the same searches with the signals off and on, paired query by query.

    python bench/ranking_cost.py --index /tmp/pressroom-bench/w2 [--repeat 3]

Runs ``bench/queries.py``'s query set through ``Engine.search`` (top 10 with snippets, total, five
facets; no result cache) twice per query, once with every signal of ``indexer/search/ranking.py``
weighted 0 (BM25F and the exact-accent tier only: the order before the signals) and once with the
weights search uses, alternating which goes first. Pairing the two on each query keeps a shared,
busy machine's load out of the difference, which back-to-back runs of ``bench/queries.py`` do not.
Prints median, p95 and p99 of both and of the per-query difference.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.queries import percentile, request_for  # noqa: E402
from indexer.search import Engine, ranking  # noqa: E402


def timed_search(engine: Engine, row: dict, weights: ranking.Weights) -> float:
    """Seconds one search takes with ``weights``."""
    ranking.WEIGHTS = weights
    t0 = time.perf_counter()
    engine.search(request_for(row))
    return time.perf_counter() - t0


def line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"{name:<28} {percentile(ms, 50):8.2f} {percentile(ms, 95):8.2f} {percentile(ms, 99):8.2f} {max(ms):8.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", default=str(Path(__file__).with_name("queries.jsonl")))
    ap.add_argument("--repeat", type=int, default=3, help="passes over the query set (after one warm-up pass)")
    args = ap.parse_args()

    rows = [json.loads(text) for text in Path(args.queries).read_text(encoding="utf-8").splitlines() if text.strip()]
    on = ranking.WEIGHTS
    off = replace(on, title=0.0, title_phrase=0.0, proximity=0.0)
    engine = Engine(args.index)
    for row in rows:  # warm-up: searcher, per-reader arrays, word forms
        timed_search(engine, row, on)
        timed_search(engine, row, off)
    before: list[float] = []
    after: list[float] = []
    for n in range(args.repeat):
        for i, row in enumerate(rows):
            if (n + i) % 2:
                after.append(timed_search(engine, row, on))
                before.append(timed_search(engine, row, off))
            else:
                before.append(timed_search(engine, row, off))
                after.append(timed_search(engine, row, on))
    ranking.WEIGHTS = on
    print(
        f"{engine.status()['releases']} releases, {len(rows)} queries x {args.repeat} passes, each signals off and on"
    )
    print(f"{'ms':<28} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    print(line("signals off (BM25F only)", before))
    print(line(f"signals on ({on.title:g}/{on.title_phrase:g})", after))
    print(line("difference, per query", [a - b for a, b in zip(after, before, strict=True)]))
    for p in (50, 95, 99):
        print(f"p{p} on/off: {percentile(after, p) / percentile(before, p):.3f}")


if __name__ == "__main__":
    main()
