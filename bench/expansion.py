"""English queries for Mexican agencies and posts: Spanish releases carrying the entity in the top
10, before and after query words that name an entity match it (``indexer.search.aliases``).

    python bench/expansion.py --index /tmp/pressroom-dev

The queries are not chosen by hand: every Mexican agency and post of the tables, searched by its
English label as the tables give it (a trailing parenthesis dropped: "Ministry of National
Defense (SEDENA)" is searched as "Ministry of National Defense"), kept when at least one Spanish
release of the index carries that entity (else there is nothing to find). For each: how many of
the top 10 are Spanish releases carrying it, with the expansion switched off (before) and on
(after); the most there could be is min(10, Spanish releases carrying it).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

# Ranking is measured here, not speed: on a loaded machine a query must not stop at the budget.
os.environ.setdefault("PRESSROOM_QUERY_BUDGET", "30")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import indexer.search.engine as engine_module  # noqa: E402
from indexer.entities.gazetteer import gazetteer  # noqa: E402
from indexer.search import Engine, SearchRequest  # noqa: E402

TOP = 10


def queries() -> list[tuple[str, str, str]]:
    """``(English query, facet, canonical value)`` for every Mexican agency and post."""
    gaz = gazetteer()
    out = []
    for name, agency in sorted(gaz.agencies.items()):
        if agency.jurisdiction == "MX":
            out.append((re.sub(r"\s*\([^)]*\)$", "", agency.en), "agency", name))
    for name, post in sorted(gaz.posts.items()):
        if post.jurisdiction == "MX":
            out.append((re.sub(r"\s*\([^)]*\)$", "", post.en), "role", name))
    return out


def carries(record: dict, facet: str, value: str) -> bool:
    return value in ((record.get("agencies") if facet == "agency" else record.get("roles")) or [])


def spanish_in_top(engine: Engine, query: str, facet: str, value: str) -> tuple[int, list[dict]]:
    page = engine.search(SearchRequest(query=query, per_page=TOP))
    found = 0
    for hit in page.hits:
        record = {"agencies": hit.agencies, "roles": hit.roles}
        found += int(hit.lang == "es" and carries(record, facet, value))
    return found, page.expansions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    expand = engine_module.expand_entities
    with Engine(args.index) as engine:
        for query, facet, value in queries():
            spanish = engine.count(SearchRequest(**{facet: [value]}, lang=["es"]))
            if not spanish:
                continue
            engine_module.expand_entities = lambda *a, **k: (None, [])  # before: no expansion
            before, _ = spanish_in_top(engine, query, facet, value)
            engine_module.expand_entities = expand
            after, expansions = spanish_in_top(engine, query, facet, value)
            named = any(e["facet"] == facet and e["value"] == value for e in expansions)
            rows.append(
                {
                    "query": query,
                    "facet": facet,
                    "value": value,
                    "spanish": spanish,
                    "best": min(TOP, spanish),
                    "before": before,
                    "after": after,
                    "expanded": named,
                }
            )
    n = len(rows)
    summary = {
        "queries": n,
        "before": sum(r["before"] for r in rows),
        "after": sum(r["after"] for r in rows),
        "best": sum(r["best"] for r in rows),
        "queries_with_any_before": sum(r["before"] > 0 for r in rows),
        "queries_with_any_after": sum(r["after"] > 0 for r in rows),
        "queries_expanded": sum(r["expanded"] for r in rows),
    }
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1))
        return
    print(f"{'query':58} {'facet':6} {'es':>5} {'before':>6} {'after':>5}")
    for r in rows:
        flag = "" if r["expanded"] else "  (not expanded)"
        print(f"{r['query'][:58]:58} {r['facet']:6} {r['spanish']:5} {r['before']:6} {r['after']:5}{flag}")
    print(
        f"\n{n} English queries for Mexican agencies and posts that Spanish releases carry; Spanish releases "
        f"carrying the entity in the top {TOP}: before {summary['before']} (mean {summary['before'] / n:.2f}), "
        f"after {summary['after']} (mean {summary['after'] / n:.2f}), at most {summary['best']}; queries with at "
        f"least one: {summary['queries_with_any_before']} before, {summary['queries_with_any_after']} after"
    )


if __name__ == "__main__":
    main()
