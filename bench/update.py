"""Update benchmark: `pressroom update` of N changed releases on a full index (on a copy of it).

    python bench/update.py --index /tmp/pressroom-bench/w2 [--changed 100]

Takes N real releases from the corpus, changes each one's title (so its checksum changes), and
times `update_index` with just those releases as the source, on a copy of the index.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.build import update_index  # noqa: E402
from indexer.search import Engine, SearchRequest  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--changed", type=int, default=100)
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "doj_opa_press_releases.jsonl.gz"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pressroom-update-"))
    index = work / "index"
    shutil.copytree(args.index, index, symlinks=True)
    changed = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n % 97 == 0:
                r = json.loads(line)
                r["title"] = r["title"] + " (corrected)"
                changed.append(r)
            if len(changed) >= args.changed:
                break
    src = work / "changed.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in changed), encoding="utf-8")
    t0 = time.perf_counter()
    report = update_index([src], index)
    elapsed = time.perf_counter() - t0
    with Engine(index) as engine:
        found = engine.search(SearchRequest(query="title:corrected", per_page=1)).total
    print(
        f"update of {len(changed)} changed releases: {elapsed:.1f} s (updated {report.updated}, added {report.added}); "
        f"{found} releases now titled '(corrected)'"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
