"""Re-create tests/data/releases.jsonl from ../shared/corpus (development files only).

    python tests/data/assemble.py ../shared/corpus

Real releases, chosen by id; bodies longer than MAX_CHARS are cut at a paragraph end so the
fixture stays small (marked with "excerpt": true, which lands in `extra`).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

MAX_CHARS = 6000
IDS = {
    "doj_opa_press_releases.jsonl.gz": [
        "doj-opa-12613",
        "doj-opa-12595",
        "doj-opa-12592",
        "doj-opa-12525",
        "doj-opa-12499",
    ],
    "mx_presidencia_versiones_estenograficas.jsonl.gz": [
        "mx-presidencia-ve-2018-12-01",
        "mx-presidencia-ve-2019-04-26",
        "mx-presidencia-ve-2019-05-26",
    ],
    "us_county_prosecutors_press_releases.jsonl.gz": [
        "orange_ca-press_ez-lube-pagara-5-milliones-como-penalizacion-por-estafar-a-clientes-en-cobrar-por-servicios-no-hechos-y-partes-inn",
        "orange_ca-press_declaracion-del-fiscal-tony-rackauckas-decision-de-recomendar-pena-capital-contra-daniel-wozniak",
    ],
}
#: Also: the first DOJ release of each year 2010-2017 with two or more components.
DOJ_YEARS = range(2010, 2018)


def main(corpus: Path) -> None:
    out = []
    for name, ids in IDS.items():
        wanted = set(ids)
        years = set(DOJ_YEARS) if name.startswith("doj") else set()
        with gzip.open(corpus / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                year = int(r["date"][:4]) if r.get("date") else None
                if r["id"] in wanted or (
                    year in years and len(r.get("components") or []) >= 2 and len(r["body"]) < 4000
                ):
                    years.discard(year)
                    if len(r["body"]) > MAX_CHARS:
                        cut = r["body"].rfind("\n", 0, MAX_CHARS)
                        r["body"] = r["body"][: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
                        r["excerpt"] = True
                    out.append(r)
    out.sort(key=lambda r: r["id"])
    with open(Path(__file__).with_name("releases.jsonl"), "w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(out), "releases")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"))
