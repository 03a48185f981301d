"""Growth benchmark: build and query figures at 25k (real) and larger corpora made from them.

    python bench/growth.py --size 100000 --out /tmp/pressroom-growth   # writes, builds, queries
    python bench/growth.py --size 100000 --out /tmp/pressroom-growth --skip-build

The larger corpus is the real releases repeated under new ids (`<id>.copy<N>`), each copy
perturbed so it is not an exact duplicate: one sentence in ten is dropped (which ones depends on
the copy number) and the paragraphs are rotated by the copy number. Dates, metadata and facet
values are kept, so facet counts grow with the corpus as they would with more real releases.
Resumable: the corpus file and the built index are reused when they already exist.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def perturb(body: str, copy: int) -> str:
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if len(paragraphs) > 1:
        k = copy % len(paragraphs)
        paragraphs = paragraphs[k:] + paragraphs[:k]
    out = []
    for p in paragraphs:
        sentences = re.split(r"(?<=[.!?])\s+", p)
        kept = [s for i, s in enumerate(sentences) if (i + copy) % 10 != 0] or sentences
        out.append(" ".join(kept))
    return "\n".join(out)


def write_corpus(size: int, path: Path) -> None:
    real = []
    for f in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            real.extend(json.loads(line) for line in fh)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        n = 0
        copy = 0
        while n < size:
            for r in real:
                if n >= size:
                    break
                if copy:
                    r = dict(r, id=f"{r['id']}.copy{copy}", body=perturb(r["body"], copy))
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
            copy += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--out", default="/tmp/pressroom-growth")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / f"corpus-{args.size}.jsonl.gz"
    index = out / f"index-{args.size}"
    if not corpus.exists():
        t0 = time.perf_counter()
        write_corpus(args.size, corpus.with_suffix(".tmp"))
        corpus.with_suffix(".tmp").rename(corpus)
        print(f"wrote {args.size} releases to {corpus} in {time.perf_counter() - t0:.0f} s")
    if not args.skip_build and not (index / "CURRENT").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "indexer.cli",
                "build",
                str(corpus),
                "--index",
                str(index),
                "--workers",
                str(args.workers),
                "--json",
                "-q",
            ],
            cwd=ROOT,
            check=True,
        )
        print(f"built {args.size} releases in {time.perf_counter() - t0:.0f} s")
    subprocess.run([sys.executable, str(ROOT / "bench" / "queries.py"), "--index", str(index)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
