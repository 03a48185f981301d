"""How much page chrome is found, and is it chrome? Counted on the corpus files as a build counts them.

    python bench/boilerplate.py [FILE ...] [--sample 100] [--seed 13] [--audit bench/gold/chrome_audit.jsonl]

For each file (default: the three development files of ``../shared/corpus``), the releases are
read as ``pressroom build`` reads them, chrome is counted per group and cut from every release
(``indexer.boilerplate``). Printed per file: releases, non-blank lines, the share of lines (and of
characters) cut, how many releases lost something, the chrome lines learned per group, and time.
With ``--audit``, a seeded sample of ``--sample`` cut lines and ``--sample`` kept edge lines
(the first and last content line of a release) is written as JSON lines for a hand check
(``{"file", "id", "kind": "cut"|"kept", "line", "chrome": null}``: a reader fills ``chrome``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.boilerplate import ChromeCounts, _lines  # noqa: E402
from indexer.sources import Release, read_releases  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DEVELOPMENT = (
    "doj_opa_press_releases.jsonl.gz",
    "mx_presidencia_versiones_estenograficas.jsonl.gz",
    "us_county_prosecutors_press_releases.jsonl.gz",
)


def measure(path: Path, rng: random.Random, audit: list[dict], sample: int) -> dict:
    t0 = time.perf_counter()
    releases = [r for r in read_releases([path]) if isinstance(r, Release)]
    counts = ChromeCounts()
    counts.add_all(releases)
    table = counts.table()
    t1 = time.perf_counter()
    lines = chars = cut_lines = cut_chars = touched = 0
    cut_pool: list[tuple[str, str]] = []
    kept_pool: list[tuple[str, str]] = []
    for r in releases:
        cuts = table.cuts(r)
        body_lines = [(a, b, t) for a, b, t in _lines(r.body) if t.strip()]
        lines += len(body_lines)
        chars += sum(len(t) for _, _, t in body_lines)
        touched += bool(cuts.body)
        content = []
        for a, b, t in body_lines:
            inside = sum(max(0, min(b, y) - max(a, x)) for x, y in cuts.body)
            cut_chars += inside
            if inside >= len(t.rstrip()) * 0.99 and inside:
                cut_lines += 1
                cut_pool.append((r.id, t))
            elif inside:
                parts = [r.body[max(x, a) : min(y, b)] for x, y in cuts.body if x < b and y > a]
                cut_pool.append((r.id, f"{t}    [cut: {' | '.join(parts)}]"))
                content.append(t)
            else:
                content.append(t)
        if content:
            kept_pool.append((r.id, content[0]))
            if len(content) > 1:
                kept_pool.append((r.id, content[-1]))
    t2 = time.perf_counter()
    for kind, pool in (("cut", cut_pool), ("kept", kept_pool)):
        for rid, line in rng.sample(pool, min(sample, len(pool))):
            audit.append({"file": path.name, "id": rid, "kind": kind, "line": line[:600], "chrome": None})
    return {
        "file": path.name,
        "releases": len(releases),
        "lines": lines,
        "lines_cut_share": round(cut_lines / max(lines, 1), 4),
        "chars_cut_share": round(cut_chars / max(chars, 1), 4),
        "releases_touched_share": round(touched / max(len(releases), 1), 4),
        "chrome_shapes": {name.split(":", 1)[1][:60]: len(g.lines) for name, g in table.groups.items() if g.lines},
        "affixes": {
            name.split(":", 1)[1][:60]: len(g.prefixes) + len(g.suffixes)
            for name, g in table.groups.items()
            if g.prefixes or g.suffixes
        },
        "count_seconds": round(t1 - t0, 1),
        "cut_seconds": round(t2 - t1, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--audit", type=Path, help="write the hand-check sample here")
    args = ap.parse_args()
    files = args.files or [CORPUS / name for name in DEVELOPMENT]
    rng = random.Random(args.seed)
    audit: list[dict] = []
    per_file_audit: list[dict] = []
    for path in files:
        before = len(audit)
        print(json.dumps(measure(path, rng, audit, args.sample), ensure_ascii=False))
        per_file_audit.extend(audit[before:])
    if args.audit:
        # one sample over all files: --sample cut and --sample kept lines in all
        pick = random.Random(args.seed)
        chosen = []
        for kind in ("cut", "kept"):
            pool = [a for a in per_file_audit if a["kind"] == kind]
            chosen.extend(pick.sample(pool, min(args.sample, len(pool))))
        args.audit.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in chosen), encoding="utf-8")
        print(f"wrote {len(chosen)} lines to check by hand to {args.audit}")


if __name__ == "__main__":
    main()
