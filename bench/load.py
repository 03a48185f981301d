"""Web load benchmark and soak: `pressroom serve` on loopback under concurrent clients.

    python bench/load.py --index /tmp/full --concurrency 8 32 --duration 20
    python bench/load.py --index /tmp/full --soak            # 50 clients for 60 s, memory at start and end

Starts the real server (gunicorn, 2 workers) on a free loopback port with the rate limit raised
(429s are still counted, apart from errors), then drives it with an asyncio client (aiohttp)
cycling through bench/queries.jsonl: 80% /api/search, 20% the HTML results page. Every loop is
bounded in count and time and stops by itself; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 500_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def urls() -> list[str]:
    out = []
    for n, line in enumerate((ROOT / "bench" / "queries.jsonl").read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        params: list[tuple[str, str]] = [("q", row["q"])]
        for name, value in row["filters"].items():
            params.extend((name, v) for v in (value if isinstance(value, list) else [value]))
        if row.get("sort"):
            params.append(("sort", row["sort"]))
        out.append(("/" if n % 5 == 0 else "/api/search") + "?" + urlencode(params))
    return out


def rss_mb(pids: list[int], kind: str = "RssAnon") -> float:
    """Resident memory of the processes: ``RssAnon`` is their own heap; ``RssFile`` counts the index
    files mapped into memory (shared page cache, counted once per mapping)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(kind + ":"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


async def drive(base: str, paths: list[str], concurrency: int, duration: float) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    deadline = time.monotonic() + duration
    counter = iter(range(MAX_REQUESTS))

    async def client(session: aiohttp.ClientSession, offset: int) -> None:
        for n in counter:
            if time.monotonic() >= deadline:
                return
            path = paths[(n * 7 + offset) % len(paths)]
            t0 = time.perf_counter()
            try:
                async with session.get(base + path) as r:
                    await r.read()
                    statuses[r.status] = statuses.get(r.status, 0) + 1
                    if r.status >= 400 and r.status != 429:
                        errors.append(f"{r.status} {path}")
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                errors.append(f"{type(e).__name__} {path}")
                continue
            latencies.append(time.perf_counter() - t0)

    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(session, i) for i in range(concurrency)))
        elapsed = time.perf_counter() - t0
    ordered = sorted(latencies)
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "median_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": ordered[int(0.99 * (len(ordered) - 1))] * 1000 if ordered else 0.0,
        "errors": len(errors),
        "rate_limited": statuses.get(429, 0),
        "statuses": statuses,
        "error_samples": errors[:5],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2, help="threads per worker")
    ap.add_argument("--soak", action="store_true", help="50 clients for 60 s, with memory at start and end")
    args = ap.parse_args()
    if args.soak:
        args.concurrency, args.duration = [50], 60.0

    port = free_port()
    env = {**os.environ, "PRESSROOM_RATE_LIMIT": "10000000 per minute"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "webapp.cli",
            "serve",
            "--index",
            args.index,
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        line = server.stdout.readline()
        assert line.startswith("Pressroom: "), line
        base = f"http://127.0.0.1:{port}"
        paths = urls()
        # warm every worker (opens the searcher and builds the per-reader arrays)
        asyncio.run(drive(base, paths[:20], args.workers * 2, 5.0))
        pids = worker_pids(server.pid)
        start_mem = rss_mb(pids)
        print(
            f"server: gunicorn, {args.workers} workers x {args.threads} threads, index {args.index}; "
            f"worker heap after warm-up {start_mem:.0f} MB "
            f"({start_mem / max(len(pids), 1):.0f} MB each), mapped index files {rss_mb(pids, 'RssFile'):.0f} MB"
        )
        print(f"{'clients':>7} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p99 ms':>8} {'errors':>6} {'429s':>5}")
        for c in args.concurrency:
            r = asyncio.run(drive(base, paths, c, args.duration))
            print(
                f"{c:>7} {r['requests']:>9} {r['rps']:>7.1f} {r['median_ms']:>10.1f} {r['p99_ms']:>8.1f} "
                f"{r['errors']:>6} {r['rate_limited']:>5}"
            )
            if r["error_samples"]:
                print("   errors:", r["error_samples"])
        pids = worker_pids(server.pid)
        end_mem = rss_mb(pids)
        print(
            f"worker heap at end {end_mem:.0f} MB (start {start_mem:.0f} MB, growth {end_mem - start_mem:+.0f} MB); "
            f"mapped index files {rss_mb(pids, 'RssFile'):.0f} MB"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
