"""Snowball Spanish against the light stemmer, measured on the 40 query words of this folder.

    python bench/stemming/measure.py [--corpus ../shared/corpus] [--workdir /tmp/pressroom-stemming]

The Spanish releases of the development files (Presidencia transcripts and the Spanish county
prosecutor releases) are indexed twice, once per stemmer. Each of the 40 words of ``words.json``
is searched alone (as a reader types it, no quotes). A hit is relevant when its title or body
holds one of the word's accepted forms (``accepted_forms.json``, judged before any stemmer ran),
compared folded. Printed per word and on average, per stemmer: P@10, the number of hits, the share
of all hits that are relevant (precision), and the share of the releases holding an accepted form
that the search finds (recall).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import indexer.analysis as analysis  # noqa: E402
from indexer.analysis import fold  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.search import Engine, SearchRequest  # noqa: E402

HERE = Path(__file__).resolve().parent
FILES = ("mx_presidencia_versiones_estenograficas.jsonl.gz", "us_county_prosecutors_press_releases.jsonl.gz")
STEMMERS = ("snowball", "light")


def spanish_releases(corpus: Path) -> list[dict]:
    out = []
    for name in FILES:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as fh:
            out += [r for r in map(json.loads, fh) if r.get("lang") == "es"]
    return out


def words_of(record: dict) -> set[str]:
    return set(re.findall(r"\w+", fold(f"{record.get('title') or ''} {record['body']}")))


def measure(index: Path, accepted: dict[str, list[str]], words: dict[str, set[str]]) -> dict[str, dict]:
    rows = {}
    with Engine(index) as engine:
        for query, forms in accepted.items():
            wanted = {fold(f) for f in forms}
            relevant = {rid for rid, ws in words.items() if ws & wanted}
            page = engine.search(SearchRequest(query=query, per_page=10))
            top = [h.id for h in page.hits]
            found = {r["id"] for r in engine.iter_matches(SearchRequest(query=query))}
            rows[query] = {
                "p10": sum(1 for rid in top if rid in relevant) / len(top) if top else 0.0,
                "hits": page.total,
                "precision": len(found & relevant) / len(found) if found else 1.0,
                "recall": len(found & relevant) / len(relevant) if relevant else 1.0,
                "relevant": len(relevant),
            }
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--workdir", default="/tmp/pressroom-stemming")
    args = ap.parse_args()
    work = Path(args.workdir)
    releases = spanish_releases(Path(args.corpus))
    source = work / "spanish.jsonl"
    work.mkdir(parents=True, exist_ok=True)
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in releases), encoding="utf-8")
    words = {r["id"]: words_of(r) for r in releases}
    accepted = json.loads((HERE / "accepted_forms.json").read_text(encoding="utf-8"))
    results = {}
    for stemmer in STEMMERS:
        analysis.SPANISH_STEMMER = stemmer  # the schema (and so the index) keeps this stemmer
        index = work / stemmer
        shutil.rmtree(index, ignore_errors=True)
        build_index([source], index, workers=2)
        results[stemmer] = measure(index, accepted, words)
    print(f"{len(releases)} Spanish releases, {len(accepted)} query words")
    print(f"{'word':<16} {'relevant':>8}" + "".join(f" | {s:>8} P@10  hits  prec recall" for s in STEMMERS))
    for query in accepted:
        cells = "".join(
            f" | {r['p10']:13.1f} {r['hits']:5d} {r['precision']:5.2f} {r['recall']:6.2f}"
            for r in (results[s][query] for s in STEMMERS)
        )
        print(f"{query:<16} {results[STEMMERS[0]][query]['relevant']:8d}{cells}")
    print()
    for stemmer in STEMMERS:
        rows = results[stemmer].values()
        print(
            f"{stemmer:>8}: mean P@10 {statistics.mean(r['p10'] for r in rows):.3f}, "
            f"mean hits {statistics.mean(r['hits'] for r in rows):.1f}, "
            f"mean precision {statistics.mean(r['precision'] for r in rows):.3f}, "
            f"mean recall {statistics.mean(r['recall'] for r in rows):.3f}"
        )


if __name__ == "__main__":
    main()
