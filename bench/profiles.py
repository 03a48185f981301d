"""Profile and post pages: latency at the full corpus.

    python bench/profiles.py --index /tmp/pressroom-full [--officials 300] [--posts 150] [--seed 14]

Times what a reader waits for, in the process, as bench/queries.py times searches: each
``/officials/<name>`` and ``/posts/<post>`` page rendered whole by the Flask app (the profile, the
terms, the month chart, the people named alongside, the latest releases, the templates), and their
JSON under ``/api/``, with no result cache. The names: the 20 officials with the most releases and
a seeded sample of the others; the posts: every table post with holders, then a seeded sample of
the posts as written. The first request (which reads the generation's tenures.json and builds the
reader's arrays) is reported apart. Prints median, p95 and p99.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.entities.gazetteer import gazetteer  # noqa: E402
from indexer.search import Engine  # noqa: E402
from indexer.tenures.table import TENURES_FILE, load_tenures  # noqa: E402
from webapp import create_app  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def pick(index: str, officials: int, posts: int, seed: int) -> tuple[list[str], list[str]]:
    with Engine(index) as engine:
        searcher, arrays, generation = engine.searchers.get()
        tenures = load_tenures(generation, searcher.reader())
        data = arrays.facets["official"]
        counts = arrays.count("official", arrays.live)
    rng = random.Random(seed)
    ranked = sorted(range(len(data.values)), key=lambda i: (-int(counts[i]), data.values[i]))
    people = [data.values[i] for i in ranked if counts[i] > 0]
    chosen = people[:20] + rng.sample(people[20:], min(officials - 20, len(people) - 20))
    table = sorted(p for p in tenures.posts if p in gazetteer().posts)
    written = sorted(p for p in tenures.posts if p not in gazetteer().posts)
    chosen_posts = table[:posts] + rng.sample(written, max(0, min(posts - len(table), len(written))))
    return chosen, chosen_posts


def timed(client, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        t0 = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return out


def line(name: str, ms: list[float]) -> str:
    return (
        f"{name:28} n={len(ms):4}  median {statistics.median(ms):7.1f} ms  p95 {percentile(ms, 95):7.1f} ms  "
        f"p99 {percentile(ms, 99):7.1f} ms  max {max(ms):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True)
    parser.add_argument("--officials", type=int, default=300)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    officials, posts = pick(args.index, args.officials, args.posts, args.seed)
    app = create_app({"INDEX_DIR": args.index, "TESTING": True, "RATE_LIMIT": "1000000 per minute"})
    client = app.test_client()
    t0 = time.perf_counter()
    first = client.get(f"/officials/{quote(officials[0])}")
    cold = (time.perf_counter() - t0) * 1000
    assert first.status_code == 200
    generation = app.extensions["pressroom.engine"].generation()
    size = (generation / TENURES_FILE).stat().st_size
    print(f"index {args.index}: {app.extensions['pressroom.engine'].status()['releases']:,} releases")
    print(f"tenures.json: {size / 2**20:.1f} MiB; first request (reads it, builds the arrays): {cold:.0f} ms")
    results = {
        "/officials/<name> page": timed(client, [f"/officials/{quote(n)}" for n in officials]),
        "/posts/<post> page": timed(client, [f"/posts/{quote(p)}" for p in posts]),
        "/api/officials/<name>": timed(client, [f"/api/officials/{quote(n)}" for n in officials]),
        "/api/posts/<post>": timed(client, [f"/api/posts/{quote(p)}" for p in posts]),
    }
    for name, ms in results.items():
        print(line(name, ms))


if __name__ == "__main__":
    main()
