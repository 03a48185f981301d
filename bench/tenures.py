"""Tenure accuracy against the public record, and the precision of the holder_of filter.

Run on a build of the development files (the held-out files are not needed):

    pressroom build ../shared/corpus/doj_opa_press_releases.jsonl.gz \\
        ../shared/corpus/mx_presidencia_versiones_estenograficas.jsonl.gz \\
        ../shared/corpus/us_county_prosecutors_press_releases.jsonl.gz --index /tmp/pressroom-dev
    python bench/tenures.py --index /tmp/pressroom-dev

Tenures are recomputed from the index with the code as it is and stored in its generation, as a
build or an update stores them, so a change of the rule is measured without rebuilding. The
reference is tests/data/tenure_reference.json: the issue's dates and the other single-seat posts
whose dates the author is sure of. For each reference holder: found or not; ``first_seen``
earlier than the real start by more than the tolerance (45 days), or ``last_seen`` later than the
real end by more, is a date violation; any other non-acting holder whose term meets the real
holder's dates (beyond a hand-over within the tolerance) is counted too. holder_of precision: for
each post, over its reference holders' dates (within the corpus), the releases ``holder_of=POST``
returns and the share that name the holder of their date (acting ones included).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.entities.people import same_person  # noqa: E402
from indexer.search import Engine, SearchRequest  # noqa: E402
from indexer.store import IndexStore  # noqa: E402
from indexer.tenures.table import Tenures, write_tenures  # noqa: E402

REFERENCE = ROOT / "tests" / "data" / "tenure_reference.json"


def days(a: str, b: str) -> int:
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def is_ref(name: str, ref: dict) -> bool:
    """A holder's name is the reference person's (or one of the other names the reference gives)."""
    return any(same_person(name, n) for n in [ref["name"], *ref.get("aliases", [])])


def accuracy(tenures: Tenures, reference: dict, corpus_end: str) -> dict:
    tolerance = reference["tolerance_days"]
    rows = []
    for ref in reference["holders"]:
        holders = tenures.posts.get(ref["post"], {}).get("holders", [])
        mine = [h for h in holders if is_ref(h["name"], ref) and h["acting"] == ref["acting"]]
        end = ref["end"] or "9999-12-31"
        problems = []
        if mine:
            first = min(h["first_seen"] for h in mine)
            last = max(h["last_seen"] for h in mine)
            if days(first, ref["start"]) > tolerance:
                problems.append(f"first_seen {first} is {days(first, ref['start'])} days before {ref['start']}")
            if ref["end"] and days(ref["end"], last) > tolerance:
                problems.append(f"last_seen {last} is {days(ref['end'], last)} days after {ref['end']}")
        for h in holders:
            if h["acting"] or is_ref(h["name"], ref) or ref["acting"]:
                continue
            if h["first_seen"] <= end and h["last_seen"] >= ref["start"]:
                # a hand-over: the predecessor's last and successor's first releases may touch the
                # reference dates within the tolerance
                inside_start = max(h["first_seen"], ref["start"])
                inside_end = min(h["last_seen"], end)
                if days(inside_start, inside_end) > tolerance or not any(
                    is_ref(h["name"], r) for r in reference["holders"] if r["post"] == ref["post"]
                ):
                    problems.append(f"other holder {h['name']} {h['first_seen']}..{h['last_seen']}")
        rows.append(
            {
                **ref,
                "found": bool(mine),
                "first_seen": min((h["first_seen"] for h in mine), default=None),
                "last_seen": max((h["last_seen"] for h in mine), default=None),
                "releases": sum(h["releases"] for h in mine),
                "in_corpus": ref["start"] <= corpus_end,
                "problems": problems,
            }
        )
    return {"rows": rows}


def holder_of_precision(engine: Engine, reference: dict, corpus: tuple[str, str]) -> dict:
    """Per post: releases holder_of returns over the reference holders' dates, and how many name
    the holder of their date."""
    by_post: dict[str, list[dict]] = {}
    for ref in reference["holders"]:
        by_post.setdefault(ref["post"], []).append(ref)
    out = {}
    for post, refs in by_post.items():
        start = max(min(r["start"] for r in refs), corpus[0])
        end = min(max(r["end"] or corpus[1] for r in refs), corpus[1])
        if start > end:
            continue
        req = SearchRequest(holder_of=[post], date_from=start, date_to=end)
        returned = right = 0
        for record in engine.iter_matches(req):
            day = record.get("date")
            holders = [r for r in refs if r["start"] <= day <= (r["end"] or "9999-12-31")]
            if not holders:
                continue  # a date the reference does not cover (a vacancy between its dates)
            returned += 1
            named = [o["name"] for o in record.get("officials") or []]
            if any(is_ref(n, r) for n in named for r in holders):
                right += 1
        out[post] = {"from": start, "to": end, "returned": returned, "right": right}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True)
    parser.add_argument("--reference", default=str(REFERENCE))
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    reference = json.loads(Path(args.reference).read_text(encoding="utf-8"))
    generation = IndexStore(args.index).current()
    started, cpu = time.perf_counter(), time.process_time()
    tenures = Tenures(write_tenures(generation))  # what a build with this code stores
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with Engine(args.index) as engine:
        dates = sorted(d for d in engine.searchers.get()[1].dates if d)
        corpus = (dates[0], dates[-1])
        result = accuracy(tenures, reference, corpus[1])
        precision = holder_of_precision(engine, reference, corpus)
    rows = [r for r in result["rows"] if r["in_corpus"]]
    issue = [r for r in rows if r["source"] == "issue 14"]
    summary = {
        "tenures_seconds": round(seconds, 2),
        "tenures_cpu_seconds": round(cpu, 2),
        "evidence": tenures.doc["evidence"],
        "left_out": tenures.doc["left_out"],
        "reference_holders": len(rows),
        "found": sum(r["found"] for r in rows),
        "date_violations": sum(any(not p.startswith("other") for p in r["problems"]) for r in rows),
        "others_inside": sum(any(p.startswith("other") for p in r["problems"]) for r in rows),
        "issue_holders": len(issue),
        "issue_found": sum(r["found"] for r in issue),
        "issue_date_violations": sum(any(not p.startswith("other") for p in r["problems"]) for r in issue),
        "issue_others_inside": sum(any(p.startswith("other") for p in r["problems"]) for r in issue),
        "holder_of_returned": sum(p["returned"] for p in precision.values()),
        "holder_of_right": sum(p["right"] for p in precision.values()),
    }
    summary["holder_of_precision"] = round(summary["holder_of_right"] / max(summary["holder_of_returned"], 1), 4)
    issue_posts = {r["post"] for r in issue}
    summary["issue_holder_of_returned"] = sum(p["returned"] for k, p in precision.items() if k in issue_posts)
    summary["issue_holder_of_right"] = sum(p["right"] for k, p in precision.items() if k in issue_posts)
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows, "holder_of": precision}, ensure_ascii=False, indent=1))
        return
    print(
        f"tenures computed in {seconds:.2f} s ({cpu:.2f} s of CPU) from {tenures.doc['evidence']:,} dated "
        f"(person, post) releases: {sum(len(p['holders']) for p in tenures.posts.values()):,} terms of "
        f"{len(tenures.posts):,} posts"
    )
    print(f"left out: {tenures.doc['left_out']}")
    print(f"\nreference holders in the corpus's dates: {len(rows)} (issue: {len(issue)})")
    for r in rows:
        mark = "ok " if r["found"] and not r["problems"] else ("MISS" if not r["found"] else "BAD")
        seen = f"{r['first_seen']}..{r['last_seen']} ({r['releases']})" if r["found"] else "-"
        print(f"  {mark} {r['post'][:44]:44} {r['name'][:30]:30} {r['start']}..{r['end'] or '':10} seen {seen}")
        for p in r["problems"]:
            print(f"        {p}")
    print(
        f"\nissue's reference: found {summary['issue_found']}/{len(issue)}, dates off by more than "
        f"{reference['tolerance_days']} days {summary['issue_date_violations']}, "
        f"another non-acting holder inside the dates {summary['issue_others_inside']}"
    )
    print(
        f"all reference holders: found {summary['found']}/{len(rows)}, dates off {summary['date_violations']}, "
        f"another non-acting holder inside the dates {summary['others_inside']}"
    )
    print("\nholder_of precision (releases returned over each post's reference dates that name the holder):")
    for post, p in precision.items():
        share = p["right"] / p["returned"] if p["returned"] else float("nan")
        print(f"  {post[:50]:50} {p['from']}..{p['to']}  {p['right']:5}/{p['returned']:<5} {share:.3f}")
    print(
        f"  all: {summary['holder_of_right']}/{summary['holder_of_returned']} = {summary['holder_of_precision']:.4f}; "
        f"the issue's posts: {summary['issue_holder_of_right']}/{summary['issue_holder_of_returned']} = "
        f"{summary['issue_holder_of_right'] / max(summary['issue_holder_of_returned'], 1):.4f}"
    )


if __name__ == "__main__":
    main()
