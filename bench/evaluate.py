"""Measure extraction against gold data: precision, recall and F1 for officials, official + post
pairs and agencies.

    python bench/evaluate.py [--corpus ../shared/corpus] [--write-label-gold] [--check bench/gold/baseline.json]

Sets (development files only; the held-out files are never used):

- ``seed``: the user's first release, gold in ``tests/data/seed_expected.json`` (18 officials).
- ``labels``: the Presidencia transcripts' speaker labels, gold in ``bench/gold/presidencia_labels.jsonl``
  (made from the corpus's ``speakers`` field by ``--write-label-gold``: generic speakers dropped,
  names and posts split where a label glued them, case restored, and every distinct role mapped
  by hand to a canonical post in ``bench/gold/presidencia_label_review.json``). Extraction reads
  the text only.
- ``running-text`` (``running-doj`` and ``running-transcripts``): 80 passages labelled by hand
  in ``bench/gold/running_text.jsonl`` (chosen blind to the extractor by
  ``bench/gold/select_running_text.py``): 30 transcript introductions and 50 DOJ releases, every
  person the passage names with a public post, with that post and its agency. Extraction reads
  the passage alone; agencies are scored as the set of the officials' agencies per passage.
- ``doj-components``: DOJ's own unit tags (``components``) as gold agencies; extraction runs with
  the tags stripped, so the text alone must name the unit. Recall only: releases rightly name
  other agencies too.

Held out (``--held-out``, reported only, never in the baseline, never used to write rules): the
two files the corpus keeps for checking that extraction generalises. ``held-out-senate``: is the
senator a release's metadata names (``official``, a surname) found as a "United States Senator";
``held-out-covid``: are the daily briefings' speakers (``speakers``, not cleaned by hand) found,
and with the post their label gives where the review file knows that label.

Matching rule: a found official matches a gold one when all the words of the shorter name appear
in the longer (folded, one typo allowed in words of six letters or more, last names included):
``indexer.entities.people.same_person``. A pair also needs the same canonical post (compared folded).
Agencies match by canonical name. "Post right" is the share of the gold officials found whose
gold post is known (a label may name no post) that were given that post.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.analysis import fold_key  # noqa: E402
from indexer.boilerplate import ChromeCounts, ChromeTable, blank  # noqa: E402
from indexer.entities import extract_entities, restore_case, same_person  # noqa: E402
from indexer.entities.gazetteer import gazetteer  # noqa: E402
from indexer.sources import Release, read_releases  # noqa: E402

GOLD = ROOT / "bench" / "gold"
LABELS_FILE = "mx_presidencia_versiones_estenograficas.jsonl.gz"
DOJ_FILE = "doj_opa_press_releases.jsonl.gz"


@dataclass
class Score:
    """Counts for one measure; precision, recall and F1 from them."""

    found: int = 0
    gold: int = 0
    matched_found: int = 0
    matched_gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_found / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.gold,
            "found": self.found,
        }


@dataclass
class SetScores:
    officials: Score = field(default_factory=Score)
    pairs: Score = field(default_factory=Score)
    agencies: Score = field(default_factory=Score)
    post_right: int = 0  # of the gold officials found that have a gold post, how many got it
    post_judged: int = 0  # gold officials found that have a gold post
    documents: int = 0

    def post_accuracy(self) -> float:
        return self.post_right / self.post_judged if self.post_judged else 0.0


def _same_post(a: str | None, b: str | None) -> bool:
    return bool(a and b) and fold_key(a) == fold_key(b)


def score_officials(found: list[dict], gold: list[dict], scores: SetScores) -> None:
    """Add one document's officials to the scores (each gold official matched at most once)."""
    scores.officials.found += len(found)
    scores.officials.gold += len(gold)
    scores.pairs.found += len(found)
    scores.pairs.gold += len(gold)
    used: set[int] = set()
    for g in gold:
        for i, f in enumerate(found):
            if i not in used and same_person(f["name"], g["name"]):
                used.add(i)
                scores.officials.matched_gold += 1
                scores.officials.matched_found += 1
                if g.get("role"):
                    scores.post_judged += 1
                if _same_post(f.get("role"), g.get("role")):
                    scores.post_right += 1
                    scores.pairs.matched_gold += 1
                    scores.pairs.matched_found += 1
                break


def _records(path: Path) -> Iterable[dict]:
    """The records of a corpus file, with ``title`` and ``body`` as the build's extraction reads
    them: page chrome learned over the whole file (as a build of it learns it) blanked, offsets
    kept; ``written`` is the body as written (read only for contact blocks)."""
    table, releases = _as_built(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            record["written"] = record.get("body") or ""
            release = releases.get(str(record.get("id")))
            if release is not None and release.body == record["written"]:
                cuts = table.cuts(release)
                record["title"] = blank(record.get("title") or "", cuts.title)
                record["body"] = blank(record["written"], cuts.body)
            yield record


@functools.cache
def _as_built(path: Path) -> tuple[ChromeTable, dict[str, Release]]:
    """The file's page chrome, counted as a build of the file counts it, and its releases by id."""
    releases = {r.source_id or r.id: r for r in read_releases([path]) if isinstance(r, Release)}
    counts = ChromeCounts()
    counts.add_all(releases.values())
    return counts.table(), releases


# --------------------------------------------------------------------------------------------
# Gold


REVIEW_FILE = "presidencia_label_review.json"


class UnreviewedLabel(ValueError):
    """A speaker label whose role (or name) has no entry in the hand review file."""


def label_gold(record: dict, review: dict) -> list[dict]:
    """Officials of one transcript from its speaker labels, through the hand review.

    ``review["roles"]`` maps every role as a label writes it to the canonical post (or the post
    as written, or null when it is not a post); ``review["names"]`` fixes names with a post
    glued on. The tables are not consulted, so changing them cannot move the gold.
    """
    out: list[dict] = []
    for s in record.get("speakers") or []:
        if s.get("generic"):
            continue
        name = s["name"]
        roles = list(s.get("roles") or [])
        if name in review["names"]:
            fixed = review["names"][name]
            if fixed is None:
                continue  # not a person ("V OZ MUJER")
            out.append({"name": fixed[0], "role": fixed[1]})
            continue
        if ". " in name:  # "SILVANO AUREOLES CONEJO. GOBERNADOR DE MICHOACÁN"
            name, _, glued = name.partition(". ")
            roles.insert(0, glued)
        role = None
        if roles:
            if roles[0] not in review["roles"]:
                raise UnreviewedLabel(f"{record['id']}: role {roles[0]!r} is not in {REVIEW_FILE}; review it by hand")
            role = review["roles"][roles[0]]
        out.append({"name": restore_case(name.strip(" .,")), "role": role})
    return _one_per_person(out)


def _fullness(name: str) -> tuple[int, int]:
    return len(name.split()), sum(not c.isascii() for c in name)


def _one_per_person(officials: list[dict]) -> list[dict]:
    """Speakers of one transcript that are one person under two labels ("ARTURO HERRERA" and
    "ARTURO HERRERA GUTIÉRREZ", "JÉSUS" and "JESÚS") become one gold official: the fullest name
    (accented where a label has accents), the first post given."""
    merged: list[dict] = []
    for o in officials:
        for m in merged:
            if same_person(o["name"], m["name"]):
                if _fullness(o["name"]) > _fullness(m["name"]):
                    m["name"] = o["name"]
                m["role"] = m["role"] or o["role"]
                break
        else:
            merged.append(dict(o))
    return merged


def write_label_gold(corpus: Path) -> Path:
    GOLD.mkdir(parents=True, exist_ok=True)
    path = GOLD / "presidencia_labels.jsonl"
    review = json.loads((GOLD / REVIEW_FILE).read_text(encoding="utf-8"))
    with open(path, "w", encoding="utf-8") as fh:
        for r in _records(corpus / LABELS_FILE):
            gold = label_gold(r, review)
            if gold:
                fh.write(json.dumps({"id": r["id"], "officials": gold}, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------------------------
# Sets


def evaluate_seed() -> SetScores:

    expected = json.loads((ROOT / "tests" / "data" / "seed_expected.json").read_text(encoding="utf-8"))
    (release,) = list(read_releases([ROOT / "tests" / "data" / "seed"]))
    entities = extract_entities(release.title, release.body, "en")
    scores = SetScores(documents=1)
    score_officials([o.as_dict() for o in entities.officials], expected["officials"], scores)
    found, gold = set(entities.agencies), set(expected["agencies"])
    scores.agencies = Score(len(found), len(gold), len(found & gold), len(found & gold))
    return scores


def evaluate_labels(corpus: Path, limit: int | None = None) -> SetScores:
    gold = {}
    for line in (GOLD / "presidencia_labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row["id"]] = row["officials"]
    scores = SetScores()
    for r in _records(corpus / LABELS_FILE):
        if r["id"] not in gold:
            continue
        entities = extract_entities(r["title"], r["body"], "es", r.get("agency"), written=r["written"])
        score_officials([o.as_dict() for o in entities.officials], gold[r["id"]], scores)
        scores.documents += 1
        if limit and scores.documents >= limit:
            break
    return scores


RUNNING_FILE = "running_text.jsonl"
#: 20 more DOJ releases labelled the same way after the rules were written, measured as they came.
FRESH_FILE = "running_text_fresh.jsonl"
#: 50 county prosecutor releases labelled by hand before the rules were changed for them.
PROSECUTORS_GOLD = "running_text_prosecutors.jsonl"
PROSECUTORS_FILE = "us_county_prosecutors_press_releases.jsonl.gz"
#: Gold ``set`` -> (corpus file, language (None: the record's own), name in the report).
RUNNING_SOURCES = {
    "transcript": (LABELS_FILE, "es", "transcripts"),
    "doj": (DOJ_FILE, "en", "doj"),
    "prosecutors": (PROSECUTORS_FILE, None, "prosecutors"),
}


def evaluate_running_text(corpus: Path, file: str = RUNNING_FILE, prefix: str = "running") -> dict[str, SetScores]:
    """The hand-labelled passages, per kind: officials, pairs and the officials' agencies."""
    rows = [json.loads(line) for line in (GOLD / file).read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {r["id"] for r in rows}
    records: dict[str, dict] = {}
    for file in {RUNNING_SOURCES[r["set"]][0] for r in rows}:
        for r in _records(corpus / file):
            if r["id"] in wanted:
                records[r["id"]] = r
    results = {f"{prefix}-{name}": SetScores() for _file, _lang, name in RUNNING_SOURCES.values()}
    for row in rows:
        record = records[row["id"]]
        text = record["body"][row["start"] : row["end"]]
        written = record["written"][row["start"] : row["end"]]
        if not written.startswith(row["opening"]):
            raise ValueError(f"{row['id']}: the passage no longer starts with {row['opening']!r}; the corpus changed")
        _file, lang, name = RUNNING_SOURCES[row["set"]]
        entities = extract_entities("", text, lang or record.get("lang"), record.get("agency"), written=written)
        found = [o.as_dict() for o in entities.officials]
        scores = results[f"{prefix}-{name}"]
        score_officials(found, row["officials"], scores)
        found_agencies = {o["agency"] for o in found if o["agency"]}
        gold_agencies = {o["agency"] for o in row["officials"] if o["agency"]}
        scores.agencies.found += len(found_agencies)
        scores.agencies.gold += len(gold_agencies)
        scores.agencies.matched_found += len(found_agencies & gold_agencies)
        scores.agencies.matched_gold += len(found_agencies & gold_agencies)
        scores.documents += 1
    return {name: s for name, s in results.items() if s.documents}


SENATE_FILE = "us_senate_press_releases_grimmer_sample.jsonl.gz"
COVID_FILE = "mx_presidencia_informes_covid19.jsonl.gz"


def evaluate_held_out(corpus: Path) -> dict[str, SetScores]:
    """Generalisation checks on the held-out files (see the module docstring)."""
    senate = SetScores()
    for r in _records(corpus / SENATE_FILE):
        surname = fold_key(r.get("official") or "")
        if not surname:
            continue
        found = extract_entities(r["title"], r["body"], r.get("lang") or "en", written=r["written"]).officials
        senate.documents += 1
        senate.officials.gold += 1
        senate.officials.found += len(found)
        hit = [o for o in found if surname in fold_key(o.name).split()]
        if hit:
            senate.officials.matched_gold += 1
            senate.officials.matched_found += len(hit)
            senate.post_judged += 1
            senate.post_right += any(o.role == "United States Senator" for o in hit)
    review = json.loads((GOLD / REVIEW_FILE).read_text(encoding="utf-8"))
    covid = SetScores()
    for r in _records(corpus / COVID_FILE):
        gold = []
        for s in r.get("speakers") or []:
            if s.get("generic"):
                continue
            role = review["roles"].get((s.get("roles") or [None])[0] or "")
            gold.append({"name": restore_case(s["name"].partition(". ")[0].strip(" .,")), "role": role})
        if not gold:
            continue
        entities = extract_entities(r["title"], r["body"], "es", r.get("agency"), written=r["written"])
        score_officials([o.as_dict() for o in entities.officials], _one_per_person(gold), covid)
        covid.documents += 1
    return {"held-out-senate": senate, "held-out-covid": covid}


def evaluate_components(corpus: Path, limit: int | None = None) -> SetScores:
    gaz = gazetteer()
    scores = SetScores()
    for r in _records(corpus / DOJ_FILE):
        gold = {gaz.agency(c) or c for c in r.get("components") or []}
        if not gold:
            continue
        entities = extract_entities(r["title"], r["body"], "en", r.get("agency"), None, written=r["written"])
        found = set(entities.agencies)
        scores.agencies.gold += len(gold)
        scores.agencies.matched_gold += len(gold & found)
        scores.agencies.found += len(found)
        scores.agencies.matched_found += len(found & gold)
        scores.documents += 1
        if limit and scores.documents >= limit:
            break
    return scores


def report(results: dict[str, SetScores]) -> dict:
    out = {}
    print(f"{'set':<16} {'docs':>6} {'measure':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'gold':>7} {'found':>7}")
    for name, s in results.items():
        out[name] = {"documents": s.documents}
        measures = {"officials": s.officials, "pairs": s.pairs, "agencies": s.agencies}
        for measure, sc in measures.items():
            if not sc.gold:
                continue
            out[name][measure] = sc.as_dict()
            figures = f"{sc.precision:>9.3f} {sc.recall:>7.3f} {sc.f1:>6.3f} {sc.gold:>7} {sc.found:>7}"
            print(f"{name:<16} {s.documents:>6} {measure:<10} {figures}")
        if s.officials.gold:
            out[name]["post_right"] = round(s.post_accuracy(), 4)
            judged = f"{s.post_judged} gold officials found with a gold post"
            print(f"{'':<16} {'':>6} post right for {s.post_accuracy():.3f} of the {judged}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--limit", type=int, default=None, help="documents per corpus set (quick runs)")
    ap.add_argument("--write-label-gold", action="store_true", help="re-create bench/gold/presidencia_labels.jsonl")
    ap.add_argument("--check", default=None, help="fail when a figure drops below this baseline minus --margin")
    ap.add_argument("--margin", type=float, default=0.02)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--held-out", action="store_true", help="also report the held-out files (never part of --check)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if args.write_label_gold:
        print(f"wrote {write_label_gold(corpus)}")
    t0 = time.perf_counter()
    results = {"seed": evaluate_seed()}
    if (corpus / LABELS_FILE).exists():
        results["labels"] = evaluate_labels(corpus, args.limit)
        results.update(evaluate_running_text(corpus))
        results.update(evaluate_running_text(corpus, FRESH_FILE, "fresh"))
        results.update(evaluate_running_text(corpus, PROSECUTORS_GOLD, "running"))
        results["doj-components"] = evaluate_components(corpus, args.limit)
    else:
        print(f"(no corpus at {corpus}: only the seed is measured)", file=sys.stderr)
    figures = report(results)
    if args.held_out and (corpus / SENATE_FILE).exists():
        print("held out (reported only, never in --check; no rule is written from these files):")
        report(evaluate_held_out(corpus))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.json:
        print(json.dumps(figures, indent=1))
    if args.check:
        baseline = json.loads(Path(args.check).read_text(encoding="utf-8"))
        drops = []
        for name, measures in baseline.items():
            for measure, figures_b in measures.items():
                if measure == "post_right":
                    now = figures.get(name, {}).get(measure)
                    if now is not None and now < figures_b - args.margin:
                        drops.append(f"{name} post right: {now:.3f} < {figures_b:.3f} - {args.margin}")
                    continue
                if not isinstance(figures_b, dict):
                    continue
                for k in ("precision", "recall", "f1"):
                    now = figures.get(name, {}).get(measure, {}).get(k)
                    if now is not None and now < figures_b[k] - args.margin:
                        drops.append(f"{name} {measure} {k}: {now:.3f} < {figures_b[k]:.3f} - {args.margin}")
        if drops:
            print("\n".join(["figures dropped below the baseline:"] + drops), file=sys.stderr)
            return 1
        print(f"no figure dropped more than {args.margin} below {args.check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
