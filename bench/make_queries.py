"""Write bench/queries.jsonl: the fixed query set of the benchmarks (run once; the output is committed).

Every kind of query users type, in English and Spanish, combined with filters and sorts.
Vocabulary comes from the development files' subject matter, not from the held-out files.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

SINGLE = [
    "fraud",
    "fentanyl",
    "indictment",
    "corruption",
    "extradition",
    "vacuna",
    "seguridad",
    "migrantes",
    "huachicol",
    "pandemia",
    "salud",
    "bribery",
    "sentenced",
    "refinería",
    "pensiones",
    "ciberseguridad",
    "homicide",
    "immigration",
    "antitrust",
    "environmental",
]
TWO = [
    "tax evasion",
    "guardia nacional",
    "hate crime",
    "salud pública",
    "money laundering",
    "tren maya",
    "civil rights",
    "programa bienestar",
    "drug trafficking",
    "child pornography",
    "becas jóvenes",
    "price fixing",
]
PHRASES = [
    '"civil rights"',
    '"Guardia Nacional"',
    '"health care fraud"',
    '"conferencia de prensa"',
    '"pleaded guilty"',
    '"Secretaría de la Defensa Nacional"',
    '"organized crime"',
    '"adultos mayores"',
]
NAMES = [
    "López Obrador",
    "Lopez Obrador",
    "Sánchez Cordero",
    "Sanchez Cordero",
    "Ebrard",
    "Holder",
    "Durazo",
    "López-Gatell",
    "Lopez Gatell",
    "Sandoval",
    "Peña Nieto",
    "Pena Nieto",
    "Loretta Lynch",
    "Rackauckas",
    "Ojeda Durán",
    "Ojeda Duran",
]
FIELDS = ["title:fraud", "body:vacuna", "title:sentenced", "body:Sinaloa", "title:conferencia"]
PREFIX = ["vacun*", "indict*", "corrup*", "migra*", "secretar*"]
MISSPELLED = ["goverment", "secretria", "fentanil", "corupcion", "inmigration", "presidnte"]
EMPTY = [""]

FILTERS = [
    {},
    {"agency": ["Criminal Division"]},
    {"agency": ["Secretaría de la Defensa Nacional"]},
    {"agency": ["Criminal Division", "Civil Rights Division"]},
    {"agency": ["Presidencia de la República", "Secretaría de Salud"]},
    {"official": ["Andrés Manuel López Obrador"]},
    {"official": ["Eric Holder"]},
    {"role": ["Assistant Attorney General (United States)"]},
    {"role": ["Secretario de la Defensa Nacional"]},
    {"from": "2019", "to": "2020-06"},
    {"from": "2010-01", "to": "2012-12-31"},
    {"lang": ["es"], "year": ["2020"]},
]
SORTS = ["relevance", "newest", "oldest"]


def main() -> None:
    queries = SINGLE + TWO + PHRASES + NAMES + FIELDS + PREFIX + MISSPELLED + EMPTY
    kinds = (
        ["single"] * len(SINGLE)
        + ["two words"] * len(TWO)
        + ["phrase"] * len(PHRASES)
        + ["name"] * len(NAMES)
        + ["field"] * len(FIELDS)
        + ["prefix"] * len(PREFIX)
        + ["misspelled"] * len(MISSPELLED)
        + ["empty"]
    )
    rows = []
    # Each query once without filters, then cycled through the filters and sorts: 240 entries.
    combos = itertools.cycle([(f, s) for f in FILTERS[1:] for s in SORTS])
    for q, kind in zip(queries, kinds, strict=True):
        rows.append({"q": q, "kind": kind, "filters": {}, "sort": None})
    while len(rows) < 240:
        for q, kind in zip(queries, kinds, strict=True):
            f, s = next(combos)
            rows.append({"q": q, "kind": kind, "filters": f, "sort": s if q else ("oldest" if s == "relevance" else s)})
            if len(rows) >= 240:
                break
    out = Path(__file__).with_name("queries.jsonl")
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} queries -> {out}")


if __name__ == "__main__":
    main()
