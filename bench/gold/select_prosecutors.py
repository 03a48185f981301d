"""Choose the releases of the county prosecutors' running-text gold set, before hand labelling.

    python bench/gold/select_prosecutors.py ../shared/corpus > /tmp/prosecutors.jsonl
    python bench/gold/select_prosecutors.py ../shared/corpus --ids    # the chosen ids only

Deterministic (``random.Random(13)``) and blind to the extractor, so the set is not chosen by what
it finds. From ``us_county_prosecutors_press_releases`` only (a development file), among releases
whose body is at most 4,000 characters (as for the DOJ releases of ``select_running_text.py``;
about seven eighths of this file), sorted by id, three strata drawn in this order:

- 15 Brooklyn (Kings County, NY) District Attorney releases (all English); about 14% of the
  pool, so the proportional share would be 7: raised to 15 so the office is measured at all;
- 5 Orange County (CA) District Attorney releases in Spanish (``lang`` "es"; only Orange County
  publishes in Spanish);
- 30 Orange County releases in English.

The 6 short Vietnamese releases (``lang`` "vi") are left out: the labelling conventions (posts as
the release words them, in English or Spanish) are for English and Spanish text.

Each line: ``{"set", "id", "agency", "lang", "start", "end", "text"}`` (the whole body); the labels
(``officials``: name, role, agency) were then added by hand in ``running_text_prosecutors.jsonl``.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

PROSECUTORS = "us_county_prosecutors_press_releases.jsonl.gz"
MAX_CHARS = 4000
SEED = 13
BROOKLYN = "Kings County (Brooklyn) District Attorney's Office (New York)"
ORANGE = "Orange County District Attorney's Office (California)"
#: (name, test, how many), drawn in this order from one generator.
STRATA = (
    ("brooklyn-en", lambda r: r["agency"] == BROOKLYN, 15),
    ("orange-es", lambda r: r["agency"] == ORANGE and r["lang"] == "es", 5),
    ("orange-en", lambda r: r["agency"] == ORANGE and r["lang"] == "en", 30),
)


def records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def select(corpus: Path) -> list[dict]:
    pool = sorted((r for r in records(corpus / PROSECUTORS) if len(r["body"]) <= MAX_CHARS), key=lambda r: r["id"])
    rng = random.Random(SEED)
    chosen: list[dict] = []
    for _name, test, count in STRATA:
        chosen.extend(rng.sample([r for r in pool if test(r)], count))
    return chosen


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0] if args else "../shared/corpus")
    for r in select(corpus):
        if "--ids" in argv:
            print(r["id"])
            continue
        print(
            json.dumps(
                {
                    "set": "prosecutors",
                    "id": r["id"],
                    "agency": r["agency"],
                    "lang": r["lang"],
                    "start": 0,
                    "end": len(r["body"]),
                    "text": r["body"],
                },
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
