"""Re-create the bundled sample from ../shared/corpus (development files only).

    python bench/select_sample.py ../shared/corpus

Deterministic: the same corpus gives the same sample. The held-out files
(mx_presidencia_informes_covid19, us_senate_press_releases_grimmer_sample) are never used.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

PICKS = {
    # file: (how many, predicate on a record)
    "doj_opa_press_releases.jsonl.gz": 200,
    "mx_presidencia_versiones_estenograficas.jsonl.gz": 30,
    "us_county_prosecutors_press_releases.jsonl.gz": 120,
}
SECURITY_WORDS = ("Sandoval", "Durazo", "Ojeda", "Ebrard", "Sánchez Cordero", "Scherer", "Nieto")


def records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def spread(items: list, n: int) -> list:
    """``n`` items evenly spread over the list (keeps dates and topics varied)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def main(corpus: Path, out: Path) -> None:
    doj = list(records(corpus / "doj_opa_press_releases.jsonl.gz"))
    pick_doj = spread(doj, PICKS["doj_opa_press_releases.jsonl.gz"])
    mx = list(records(corpus / "mx_presidencia_versiones_estenograficas.jsonl.gz"))
    # Transcripts where the seed's officials speak, so the sample shows them across releases.
    mx_sec = [r for r in mx if any(w in r["body"][:20000] for w in SECURITY_WORDS) and len(r["body"]) < 60000]
    pick_mx = spread(mx_sec, PICKS["mx_presidencia_versiones_estenograficas.jsonl.gz"])
    pros = list(records(corpus / "us_county_prosecutors_press_releases.jsonl.gz"))
    es = [r for r in pros if r["lang"] == "es"]
    en = [r for r in pros if r["lang"] == "en"]
    pick_pros = spread(es, 40) + spread(en, PICKS["us_county_prosecutors_press_releases.jsonl.gz"] - 40)
    out.mkdir(parents=True, exist_ok=True)
    for name, picked in (("doj_opa", pick_doj), ("mx_presidencia", pick_mx), ("us_county_prosecutors", pick_pros)):
        with gzip.open(out / f"{name}.sample.jsonl.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            for r in picked:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(picked)} releases")


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"),
        Path(__file__).resolve().parent.parent / "samples",
    )
