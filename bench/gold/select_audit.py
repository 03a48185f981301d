"""Draw the blind audit of the ``official`` facet: 300 values of a full build of the development
files, weighted by how many releases name them, to be judged by hand.

    python bench/gold/select_audit.py --index /tmp/names13-dev > /tmp/audit.jsonl
    python bench/gold/select_audit.py --index /tmp/names13-dev --build ../shared/corpus   # build first

The question asked of each value is "a person's name, whole and nothing else?" (``judgement``:
``name`` or ``not-a-name``, with a ``note`` saying why when not); precision is the share judged
``name``, weighted as drawn. The index holds the three development files only
(``doj_opa_press_releases``, ``mx_presidencia_versiones_estenograficas``,
``us_county_prosecutors_press_releases``); the held-out files are never read.

Deterministic (``random.Random(13)``): the facet values are sorted by value, then 300 distinct
values are drawn without replacement, each with a chance that grows with its count
(Efraimidis and Spirakis: the 300 largest ``u ** (1 / count)``), so the values a reader meets
most are the likeliest to be judged while rare ones still appear. Each line: ``{"value", "count",
"post", "agency", "judgement", "note"}``; the judgements were then written by hand in
``official_audit.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

DEVELOPMENT_FILES = (
    "doj_opa_press_releases.jsonl.gz",
    "mx_presidencia_versiones_estenograficas.jsonl.gz",
    "us_county_prosecutors_press_releases.jsonl.gz",
)
DRAWS = 300
SEED = 13


def build(corpus: Path, index: Path) -> None:
    """A full build of the development files into ``index`` (about three minutes on two cores)."""
    files = [str(corpus / name) for name in DEVELOPMENT_FILES]
    cmd = [sys.executable, "-m", "indexer.cli", "build", *files, "--index", str(index), "--workers", "2", "-q"]
    subprocess.run(cmd, check=True, cwd=ROOT)


def facet(index: Path) -> list[dict]:
    """Every value of the ``official`` facet with its count and usual post and agency."""
    from indexer.search import Engine, SearchRequest

    with Engine(index) as engine:
        values, _truncated = engine.facet_values(SearchRequest(), "official", limit=100000)
    rows = []
    for v in values:
        detail = v.detail or {}
        rows.append({"value": v.value, "count": v.count, "post": detail.get("role"), "agency": detail.get("agency")})
    return sorted(rows, key=lambda r: r["value"])


def draw(rows: list[dict], n: int = DRAWS, seed: int = SEED) -> list[dict]:
    """``n`` distinct values drawn without replacement, weighted by count, in value order."""
    rng = random.Random(seed)
    keys = [rng.random() ** (1 / r["count"]) for r in rows]
    chosen = sorted(sorted(range(len(rows)), key=lambda i: keys[i], reverse=True)[:n])
    return [{**rows[i], "judgement": None, "note": None} for i in chosen]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--build", type=Path, default=None, help="corpus folder: build the index from it first")
    args = ap.parse_args(argv)
    if args.build:
        build(args.build, args.index)
    rows = facet(args.index)
    chosen = draw(rows)
    total = sum(r["count"] for r in rows)
    print(f"{len(rows)} facet values, {total} (release, official) pairs; {len(chosen)} distinct drawn", file=sys.stderr)
    for row in chosen:
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
