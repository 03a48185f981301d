"""Build benchmark: a full `pressroom build` of the corpus, with figures per stage.

    python bench/build.py [SOURCE...] [--workers 1 2] [--index-root /tmp/pressroom-bench]

SOURCE defaults to every file in ../shared/corpus (24,235 releases, about 140 MB of text). Each
worker count is built in its own child process (so peak memory is per build) and the table shows
total time, releases/s, MB/s of text, CPU time / wall time, time per stage (read, language and
extraction summed over worker processes, indexing, commit), peak memory and index size.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def run_one(sources: list[str], index: str, workers: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from indexer.build import build_index
    from indexer.sources import Release, read_releases
    from indexer.store import IndexStore, folder_bytes

    text_bytes = sum(
        len(r.title.encode()) + len(r.body.encode()) for r in read_releases(sources) if isinstance(r, Release)
    )
    shutil.rmtree(index, ignore_errors=True)
    cpu0 = time.process_time()
    ch0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    report = build_index(sources, index, workers=workers)
    wall = time.perf_counter() - t0
    ch1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (time.process_time() - cpu0) + (ch1.ru_utime - ch0.ru_utime) + (ch1.ru_stime - ch0.ru_stime)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = ch1.ru_maxrss / 1024
    size = folder_bytes(IndexStore(index).current())
    return {
        "workers": workers,
        "releases": report.indexed,
        "rejected": report.rejected,
        "wall_s": wall,
        "cpu_s": cpu,
        "text_mb": text_bytes / 2**20,
        "stages": report.stages,
        "peak_main_mb": peak_self,
        "peak_child_mb": peak_children,
        "index_mb": size / 2**20,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--index-root", default="/tmp/pressroom-bench")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sources = args.sources or sorted(str(p) for p in DEFAULT_CORPUS.glob("*.jsonl.gz"))
    if args.child is not None:
        print(json.dumps(run_one(sources, f"{args.index_root}/w{args.child}", args.child)))
        return
    rows = []
    for w in args.workers:
        out = subprocess.run(
            [sys.executable, __file__, *sources, "--child", str(w), "--index-root", args.index_root],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"built with --workers {w} in {rows[-1]['wall_s']:.0f} s", file=sys.stderr)
    stages = ["read", "language", "extraction", "indexing", "commit"]
    print(
        f"{'workers':>7} {'releases':>8} {'wall s':>7} {'rel/s':>6} {'MB/s':>5} {'cpu/wall':>8} "
        + " ".join(f"{s[:10]:>10}" for s in stages)
        + f" {'peak MB':>8} {'index MB':>8}"
    )
    for r in rows:
        print(
            f"{r['workers']:>7} {r['releases']:>8} {r['wall_s']:>7.1f} {r['releases'] / r['wall_s']:>6.0f} "
            f"{r['text_mb'] / r['wall_s']:>5.2f} {r['cpu_s'] / r['wall_s']:>8.2f} "
            + " ".join(f"{r['stages'].get(s, 0):>10.1f}" for s in stages)
            + f" {max(r['peak_main_mb'], r['peak_child_mb']):>8.0f} {r['index_mb']:>8.0f}"
        )
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        print(f"speed-up --workers {last['workers']} vs {first['workers']}: {first['wall_s'] / last['wall_s']:.2f}x")
    print(
        "stage seconds: read and indexing in the main process; language and extraction summed over worker processes;"
        " with --workers > 1 Whoosh's own writer processes do the analysis, so 'indexing' is only the hand-off."
    )


if __name__ == "__main__":
    main()
