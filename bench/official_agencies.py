"""How many (official, post) pairs of a built index lack an agency in every release naming them.

    python bench/official_agencies.py --index /tmp/names13-dev

Reads the index's ``official_posts`` field (name, post, agency, rank per release) and prints the
pairs with a post, those whose agency is empty wherever they appear, and the posts most often left
without one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.schema import POST_SEPARATOR  # noqa: E402
from indexer.search import Engine  # noqa: E402


def pairs(index: Path) -> tuple[dict[tuple[str, str], set[str]], Counter]:
    """``{(name, post): agencies seen}`` and how many releases name each pair."""
    agencies: dict[tuple[str, str], set[str]] = defaultdict(set)
    releases: Counter = Counter()
    with Engine(index) as engine:
        searcher, _arrays, _generation = engine.searchers.get()
        for leaf, _offset in searcher.reader().leaf_readers():
            for term, info in leaf.iter_field("official_posts"):
                name, post, agency, _rank = (term.decode("utf-8").split(POST_SEPARATOR) + ["", "", ""])[:4]
                if post:
                    agencies[(name, post)].add(agency)
                    releases[(name, post)] += info.doc_frequency()
    return agencies, releases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args(argv)
    agencies, releases = pairs(args.index)
    lacking = [pair for pair, seen in agencies.items() if seen == {""}]
    mentions = sum(releases[p] for p in lacking)
    print(f"(official, post) pairs: {len(agencies)}; without an agency in any release: {len(lacking)}")
    print(f"release mentions of those pairs: {mentions} of {sum(releases.values())}")
    for post, n in Counter(post for _name, post in lacking).most_common(args.top):
        print(f"  {n:5d}  {post}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
