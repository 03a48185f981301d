"""Ranking quality: Pressroom against SQLite FTS5 BM25 on judgements nobody on the team wrote.

    python bench/ranking.py --workdir /tmp/pressroom-ranking

Options: ``[--workdir DIR] [--depth N] [--corpus ../shared/corpus] [--write-known-items]
[--weights title=8,title_all_words=true,title_phrase=8,proximity=0.1,slop=3,candidates=200]
[--field-weights title=2,content=1] [--field-b title=0.75,content=0.75]
[--recency WEIGHT:HALF_LIFE_YEARS] [--single-saturation MIX:TITLE:BODY_B[:CONTENT[:K1]] or
content=1,k1=2,title_exact_all=2] [--feedback TOP:TERMS:WEIGHT]``. ``--weights`` replaces the
ranking signals' weights (``indexer/search/ranking.py``; 0 turns a signal off); the other five
measure variants search does not use: other query boosts per field, BM25's ``b`` per field (as
Whoosh's ``BM25F(title_B=...)``), a recency prior (scores times ``1 + WEIGHT * 0.5 ** (age /
HALF_LIFE_YEARS)``, the age counted from the newest release), Robertson's BM25F (one saturation
over title and body, see ``use_single_saturation``) beside or instead of Whoosh's, and
pseudo-relevance feedback (``use_feedback``).
``--workdir`` keeps the stripped corpus, the Pressroom index and the
FTS5 database there and reuses them on the next run (without it everything is built in a temporary
folder and removed at the end; the DOJ build takes about two minutes on two cores).

Corpus: the DOJ development file only (``doj_opa_press_releases.jsonl.gz``); the held-out files are
never read. Both engines index the same releases with ``topics`` and ``components`` removed from
every record, so the ranker never sees the judge.

Engines, both with AND of the query's words:

- Pressroom through its public API, ``Engine.search(SearchRequest(query, sort="relevance",
  per_page=100))``, paged through every match (or to ``--depth``): BM25F score descending, ties by
  release id.
- FTS5 with ``tokenize='porter unicode61 remove_diacritics 2'`` over (title, body), ordered by
  ``bm25(fts, 3.0, 1.0)`` (title weighted 3x), ties by id; match expressions from
  ``bench/queries.py``'s ``fts_match`` (each word quoted, AND'ed). Built from Pressroom's own
  export, as ``bench/queries.py`` builds its baseline, so both rank exactly the same documents.

Sets:

- Topics: DOJ's own ``topics`` tags. Every topic on at least 20 releases is a query, its text the
  topic name with punctuation dropped (``Labor & Employment`` -> ``Labor Employment``). A release
  tagged with the topic is relevant, one tagged only with other topics non-relevant, an untagged
  release unjudged: unjudged releases are removed from each ranked list before scoring
  ("condensed lists", Sakai 2007). Every match is ranked (both engines AND the words, so they
  match nearly the same releases; up to 2,800 for ``Civil Rights``); ``--depth N`` cuts each list
  at N ranks before condensing instead (``--depth 1000``: the trec_eval habit, which lowers the
  MAP of the broad topics in both engines). The topics are split by a fixed seed into a
  development half (for tuning) and a held-apart half (for reporting only).
- Known items: 100 releases drawn with a fixed seed among those with a title of at least 6 words
  (titles that occur twice in the file are left out: a duplicate would be a second right answer);
  the query is the 3 title words (alphabetic, 4+ letters) with the lowest document frequency in the
  file, in title order. The one relevant release is the item; nothing is condensed. The set is
  ``bench/gold/known_items.jsonl``; the script rebuilds it from the seed and says if it differs.

Metrics (binary relevance, written out below): P@10, nDCG@10 (log2 discount) and MAP, where AP
divides by every judged relevant release of the topic, retrieved or not; for known items MRR (a
miss within the depth counts 0), success@1 and success@10.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.queries import fts_match  # noqa: E402
from indexer import analysis, schema  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.search import Engine, SearchRequest, ranking, scoring  # noqa: E402
from indexer.search import engine as engine_module  # noqa: E402
from indexer.search import query as query_module  # noqa: E402
from indexer.search.postings import term_postings  # noqa: E402

DOJ_FILE = "doj_opa_press_releases.jsonl.gz"
JUDGE_KEYS = ("topics", "components")
KNOWN_ITEMS = ROOT / "bench" / "gold" / "known_items.jsonl"
MIN_TOPIC_RELEASES = 20
SPLIT_SEED = 16
KNOWN_ITEM_SEED = 16
KNOWN_ITEM_COUNT = 100
KNOWN_ITEM_MIN_TITLE_WORDS = 6
KNOWN_ITEM_QUERY_WORDS = 3
ENGINES = ("pressroom", "fts5")
METRICS = ("P@10", "nDCG@10", "AP")
KNOWN_METRICS = ("RR", "S@1", "S@10")

Ranker = Callable[[str], list[str]]


# --------------------------------------------------------------------------------------------
# Metrics (binary relevance; ``rels`` is a ranked list of 0/1 judgements)


def condense(ranking: list[str], judged: set[str]) -> list[str]:
    """The ranking with unjudged releases removed (a condensed list, Sakai 2007)."""
    return [doc for doc in ranking if doc in judged]


def precision_at(rels: list[int], k: int) -> float:
    """Share of relevant releases among the first ``k`` (a shorter list counts its missing ranks as misses)."""
    return sum(rels[:k]) / k


def ndcg_at(rels: list[int], k: int, n_relevant: int) -> float:
    """nDCG@k with binary gains and a log2(rank + 1) discount; the ideal list puts min(k, R) relevant first."""
    dcg = sum(rel / math.log2(rank + 1) for rank, rel in enumerate(rels[:k], 1))
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(k, n_relevant) + 1))
    return dcg / ideal if ideal else 0.0


def average_precision(rels: list[int], n_relevant: int) -> float:
    """Mean of the precision at each relevant rank, divided by all ``n_relevant`` judged relevant releases."""
    hits, total = 0, 0.0
    for rank, rel in enumerate(rels, 1):
        if rel:
            hits += 1
            total += hits / rank
    return total / n_relevant if n_relevant else 0.0


def reciprocal_rank(ranking: list[str], target: str) -> float:
    """1 / the rank of ``target`` in ``ranking``; 0 when it is not there."""
    try:
        return 1 / (ranking.index(target) + 1)
    except ValueError:
        return 0.0


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; NaN for no values."""
    values = list(values)
    return statistics.fmean(values) if values else float("nan")


# --------------------------------------------------------------------------------------------
# Data


def read_doj(corpus: Path) -> list[dict]:
    """Every DOJ release record, in file order."""
    with gzip.open(corpus / DOJ_FILE, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_stripped(records: list[dict], path: Path) -> None:
    """The records as .jsonl without the judge's fields (``topics``, ``components``)."""
    with path.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: v for k, v in r.items() if k not in JUDGE_KEYS}, ensure_ascii=False) + "\n")


def topic_query(topic: str) -> str:
    """A topic name as query words: punctuation (``,`` ``&`` ``/``) dropped."""
    return " ".join(re.findall(r"[^\W_]+", topic))


def split_topics(topics: list[str], seed: int) -> dict[str, list[str]]:
    """Topics shuffled with ``seed`` into ``dev`` (the larger half when odd) and ``held``, each sorted."""
    order = sorted(topics)
    random.Random(seed).shuffle(order)
    half = (len(order) + 1) // 2
    return {"dev": sorted(order[:half]), "held": sorted(order[half:])}


# --------------------------------------------------------------------------------------------
# Known items


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return re.findall(r"[^\W_]+", text.lower())


def select_known_items(records: list[dict], seed: int, count: int) -> list[dict]:
    """``count`` known-item queries drawn with ``seed`` (see the module docstring for the rule)."""
    df: Counter[str] = Counter()
    for r in records:
        df.update(set(words(r["title"] + " " + r["body"])))
    title_count = Counter(r["title"].strip().lower() for r in records)
    candidates = []
    for r in sorted(records, key=lambda r: r["id"]):
        title_words = words(r["title"])
        usable = sorted({w for w in title_words if w.isalpha() and w.isascii() and len(w) >= 4})
        if len(title_words) < KNOWN_ITEM_MIN_TITLE_WORDS or len(usable) < KNOWN_ITEM_QUERY_WORDS:
            continue
        if title_count[r["title"].strip().lower()] > 1:
            continue
        rare = sorted(usable, key=lambda w: (df[w], w))[:KNOWN_ITEM_QUERY_WORDS]
        in_title_order = sorted(rare, key=title_words.index)
        candidates.append(
            {
                "id": r["id"],
                "title": r["title"],
                "query": " ".join(in_title_order),
                "df": [df[w] for w in in_title_order],
            }
        )
    return sorted(random.Random(seed).sample(candidates, count), key=lambda item: item["id"])


def known_items(records: list[dict], write: bool) -> list[dict]:
    """The committed known-item set; written from the seed when missing or when ``write``."""
    made = select_known_items(records, KNOWN_ITEM_SEED, KNOWN_ITEM_COUNT)
    text = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in made)
    if write or not KNOWN_ITEMS.exists():
        KNOWN_ITEMS.write_text(text, encoding="utf-8")
        print(f"wrote {len(made)} known items to {KNOWN_ITEMS.relative_to(ROOT)}")
        return made
    committed = [json.loads(line) for line in KNOWN_ITEMS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if committed != made:
        print(f"note: {KNOWN_ITEMS.relative_to(ROOT)} differs from what seed {KNOWN_ITEM_SEED} gives; using the file")
    return committed


# --------------------------------------------------------------------------------------------
# Engines


def open_pressroom(stripped: Path, index: Path) -> Engine:
    """A Pressroom engine over ``index``, built from ``stripped`` unless a built index is there."""
    if not (index / "CURRENT").exists():
        t0 = time.perf_counter()
        report = build_index([stripped], index, workers=2)
        print(
            f"Pressroom index built in {time.perf_counter() - t0:.0f} s: "
            f"{report.indexed} indexed, {report.rejected} rejected"
        )
    else:
        print(f"Pressroom index reused: {index}")
    return Engine(index)


def open_fts(engine: Engine, path: Path) -> sqlite3.Connection:
    """An FTS5 table of the releases Pressroom holds (its own export), built unless ``path`` exists."""
    if path.exists():
        print(f"FTS5 database reused: {path}")
        return sqlite3.connect(path)
    t0 = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE docs(docid INTEGER PRIMARY KEY, id TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');
        """
    )
    for n, r in enumerate(engine.iter_releases(), 1):
        db.execute("INSERT INTO docs VALUES (?,?)", (n, r["id"]))
        db.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", (n, r["title"], r["body"]))
    db.commit()
    print(f"FTS5 database built in {time.perf_counter() - t0:.0f} s")
    return db


def pressroom_ranker(engine: Engine, depth: int) -> Ranker:
    """Pressroom's relevance ranking of a query through ``Engine.search`` pages: every match, or the first ``depth``."""

    def rank(query: str) -> list[str]:
        ids: list[str] = []
        page = 1
        while not depth or len(ids) < depth:
            result = engine.search(SearchRequest(query=query, sort="relevance", page=page, per_page=100))
            ids.extend(hit.id for hit in result.hits)
            if page >= result.pages:
                break
            page += 1
        assert len(set(ids)) == len(ids), f"pages of {query!r} repeat a release"
        return ids[:depth] if depth else ids

    return rank


def fts_ranker(db: sqlite3.Connection, depth: int) -> Ranker:
    """FTS5's BM25 ranking (title 3x) of the AND of a query's words: every match, or the first ``depth``."""

    def rank(query: str) -> list[str]:
        match = fts_match(query)
        if match is None:
            return []
        sql = (
            "SELECT d.id FROM fts JOIN docs d ON d.docid = fts.rowid WHERE fts MATCH ? "
            "ORDER BY bm25(fts, 3.0, 1.0), d.id LIMIT ?"
        )
        return [row[0] for row in db.execute(sql, (match, depth or -1))]

    return rank


# --------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class TopicResult:
    """One topic query's scores for both engines."""

    topic: str
    query: str
    relevant: int
    retrieved: dict[str, int]  # judged releases in the condensed list, per engine
    scores: dict[str, dict[str, float]]  # engine -> metric -> value


def score_topic(ranking: list[str], judged: set[str], relevant: set[str]) -> tuple[int, dict[str, float]]:
    """Condensed-list length and P@10, nDCG@10, AP of one ranking."""
    rels = [int(doc in relevant) for doc in condense(ranking, judged)]
    return len(rels), {
        "P@10": precision_at(rels, 10),
        "nDCG@10": ndcg_at(rels, 10, len(relevant)),
        "AP": average_precision(rels, len(relevant)),
    }


def evaluate_topics(
    rankers: dict[str, Ranker], tagged: dict[str, set[str]], topics: list[str]
) -> dict[str, TopicResult]:
    """Every topic query through every engine."""
    judged = set().union(*tagged.values())
    results = {}
    for topic in topics:
        query = topic_query(topic)
        retrieved, scores = {}, {}
        for name, rank in rankers.items():
            retrieved[name], scores[name] = score_topic(rank(query), judged, tagged[topic])
        results[topic] = TopicResult(topic, query, len(tagged[topic]), retrieved, scores)
    return results


def evaluate_known_items(rankers: dict[str, Ranker], items: list[dict]) -> dict[str, list[float]]:
    """Reciprocal rank of each known item, per engine."""
    return {
        name: [reciprocal_rank(rank(item["query"]), item["id"]) for item in items] for name, rank in rankers.items()
    }


def known_summary(rrs: list[float]) -> dict[str, float]:
    """MRR, success@1 and success@10 from reciprocal ranks."""
    return {"RR": mean(rrs), "S@1": mean(rr == 1 for rr in rrs), "S@10": mean(rr >= 0.1 for rr in rrs)}


def averages(results: list[TopicResult]) -> dict[str, dict[str, float]]:
    """Mean of each metric per engine (AP's mean is MAP)."""
    return {e: {m: mean(r.scores[e][m] for r in results) for m in METRICS} for e in ENGINES}


# --------------------------------------------------------------------------------------------
# Printing


def relative(ours: float, theirs: float) -> str:
    """Pressroom's difference from FTS5 in percent of FTS5."""
    return f"{(ours - theirs) / theirs * 100:+6.1f}%" if theirs else "   n/a"


def print_topics(split: str, results: list[TopicResult]) -> None:
    """Per-topic table for one split, then its averages."""
    print(f"\n{split}: {len(results)} topics (pressroom | fts5; n = judged releases retrieved)")
    head = f"{'topic':<44} {'R':>4}  " + "  ".join(f"{m:>7}" for m in METRICS)
    print(f"{head}  {'n':>5}  |  " + "  ".join(f"{m:>7}" for m in METRICS) + f"  {'n':>5}")
    for r in results:
        cells = ["  ".join(f"{r.scores[e][m]:7.3f}" for m in METRICS) + f"  {r.retrieved[e]:5d}" for e in ENGINES]
        print(f"{r.topic[:44]:<44} {r.relevant:4d}  " + "  |  ".join(cells))
    avg = averages(results)
    cells = ["  ".join(f"{avg[e][m]:7.3f}" for m in METRICS) + f"  {'':5}" for e in ENGINES]
    print(f"{'mean (AP: MAP)':<44} {'':4}  " + "  |  ".join(cells))
    for e in ENGINES:
        empty = [r.topic for r in results if not r.retrieved[e]]
        if empty:
            print(f"  {e} retrieves no judged release for: {'; '.join(empty)} (scored 0)")


def print_known_items(items: list[dict], rrs: dict[str, list[float]]) -> None:
    """Known items missed or ranked below 10 by either engine, then the means."""
    print(f"\nknown items: {len(items)} queries; listed where an engine ranks the item below 1 (rank, 0 = not found)")
    for i, item in enumerate(items):
        ranks = {e: round(1 / rrs[e][i]) if rrs[e][i] else 0 for e in ENGINES}
        if any(rank != 1 for rank in ranks.values()):
            print(
                f"  {item['id']:<16} {item['query']!r:<44} pressroom {ranks['pressroom']:4d}  fts5 {ranks['fts5']:4d}"
            )
    for e in ENGINES:
        s = known_summary(rrs[e])
        print(f"  {e:<10} MRR {s['RR']:.3f}  success@1 {s['S@1']:.2f}  success@10 {s['S@10']:.2f}")


def print_summary(splits: dict[str, list[TopicResult]], rrs: dict[str, list[float]]) -> None:
    """Pressroom vs FTS5 per split and metric, with the relative difference."""
    print(f"\n{'summary':<26} {'pressroom':>9} {'fts5':>7} {'diff':>8}")
    for split, results in splits.items():
        avg = averages(results)
        for m in METRICS:
            label = f"{split} ({len(results)}) {'MAP' if m == 'AP' else m}"
            ours, theirs = avg["pressroom"][m], avg["fts5"][m]
            print(f"{label:<26} {ours:9.3f} {theirs:7.3f} {relative(ours, theirs):>8}")
    known = {e: known_summary(rrs[e]) for e in ENGINES}
    for m, label in zip(KNOWN_METRICS, ("MRR", "success@1", "success@10"), strict=True):
        ours, theirs = known["pressroom"][m], known["fts5"][m]
        print(f"{'known items ' + label:<26} {ours:9.3f} {theirs:7.3f} {relative(ours, theirs):>8}")


# --------------------------------------------------------------------------------------------


def parse_weights(text: str) -> ranking.Weights:
    """``title=4,proximity=0.1,title_all_words=false`` -> the default weights with those replaced."""
    given = dict(item.split("=", 1) for item in text.split(",") if item.strip())
    fields = ranking.Weights.__dataclass_fields__
    unknown = set(given) - set(fields)
    if unknown:
        raise SystemExit(f"unknown weight(s) {', '.join(sorted(unknown))}; known: {', '.join(fields)}")
    kinds = {"candidates": int, "slop": int, "title_all_words": lambda v: v.lower() in ("1", "true", "yes")}
    values = {k: kinds.get(k, float)(v) for k, v in given.items()}
    return ranking.Weights(**{**ranking.WEIGHTS.__dict__, **values})


# --------------------------------------------------------------------------------------------
# Variants measured beside search's defaults (patched in here; search never runs them)


def parse_pairs(text: str) -> dict[str, float]:
    """``title=2,content=1`` -> ``{"title": 2.0, "content": 1.0}``, for the text fields only."""
    pairs = {k.strip(): float(v) for k, v in (item.split("=", 1) for item in text.split(",") if item.strip())}
    unknown = set(pairs) - set(schema.TEXT_FIELDS)
    if unknown:
        raise SystemExit(f"unknown field(s) {', '.join(sorted(unknown))}; text fields: {', '.join(schema.TEXT_FIELDS)}")
    return pairs


def use_field_weights(weights: dict[str, float]) -> None:
    """The query parser's boost per text field replaced (BM25F stays Whoosh's: it scores the boosts)."""
    schema.TEXT_FIELDS.update(weights)
    query_module._PARSERS.clear()


def use_field_b(values: dict[str, float]) -> None:
    """BM25's length normalisation ``b`` per field, in place of 0.75 for every field."""
    term = scoring.Evaluator.term

    def with_field_b(self, fieldname: str, btext: bytes, boost: float):
        scoring.B = values.get(fieldname, 0.75)
        try:
            return term(self, fieldname, btext, boost)
        finally:
            scoring.B = 0.75

    scoring.Evaluator.term = with_field_b


def use_recency(weight: float, half_life: float) -> None:
    """Relevance scores times ``1 + weight * 0.5 ** (age / half_life)`` (age in years from the newest
    release; an undated release gets nothing)."""
    rank_scores = engine_module.rank_scores

    def with_recency(searcher, arrays, q, docs, scores, tiers, weights=None):
        final = rank_scores(searcher, arrays, q, docs, scores, tiers, weights)
        dated = arrays.date_key[docs] > 0
        days = np.array([d or "1970-01-01" for d in arrays.dates], dtype="datetime64[D]").astype(np.int64)
        newest = days[arrays.date_key > 0].max()
        age = (newest - days[docs]) / 365.25
        return final * (1 + weight * np.where(dated, 0.5 ** (age / half_life), 0.0))

    engine_module.rank_scores = with_recency


@dataclass(frozen=True)
class Saturation:
    """Parameters of the one-saturation BM25F measured by ``--single-saturation``."""

    #: Whoosh's BM25F (a BM25 per field, summed) is kept times this (0: replaced).
    mix: float = 0.0
    #: Weight of the query word's title frequency (any form) inside the saturation.
    title: float = 2.0
    #: BM25 ``b`` of the body fields (the title's is 0.75).
    body_b: float = 0.75
    #: Weight of the word's frequency as written in the body (``content``) inside the saturation.
    content: float = 0.0
    #: The one saturation's ``k1``.
    k1: float = scoring.K1
    #: Weight of a BM25 of the title's exact forms, outside the saturation, for titles holding every
    #: query word as typed (0: none).
    title_exact_all: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Saturation:
        """``0:2:0.75`` (mix, title, body_b, content, k1 in that order) or ``content=1,k1=2``."""
        if "=" not in text:
            names = list(cls.__dataclass_fields__)
            return cls(**{names[i]: float(v) for i, v in enumerate(text.split(":"))})
        given = {k.strip(): float(v) for k, v in (item.split("=", 1) for item in text.split(",") if item.strip())}
        unknown = set(given) - set(cls.__dataclass_fields__)
        if unknown:
            raise SystemExit(f"unknown parameter(s) {', '.join(sorted(unknown))}")
        return cls(**given)


def _frequencies(searcher, arrays, field: str, words: Iterable[str]) -> np.ndarray:
    """Per document of the index, the summed frequencies of ``words`` in ``field``."""
    out = np.zeros(arrays.size, dtype=np.float64)
    for word in words:
        ids, tf = term_postings(searcher, field, word.encode("utf-8"))
        out[ids] += tf
    return out


def use_single_saturation(params: Saturation) -> None:
    """Whoosh's BM25F times ``params.mix``, plus Robertson's BM25F: per query word, its
    English-stem frequency in title and body (``stem_en``, length-normalised with ``body_b``),
    ``content`` times its frequency as written in the body (the same normalisation) and ``title``
    times its frequency in the title in any form, saturated once with ``k1``; optionally a BM25 of
    the title's exact forms for titles holding every word as typed. A prototype over English stems
    only; the ranking clauses stay on top."""
    rank_scores = engine_module.rank_scores
    p = params

    def norm(arrays, field: str, docs: np.ndarray, b: float) -> np.ndarray:
        return (1 - b) + b * arrays.lengths.lengths[field][docs] / arrays.lengths.average[field]

    def clause(searcher, arrays, words, docs) -> np.ndarray:
        out = np.zeros(len(docs), dtype=np.float64)
        every_exact = np.ones(len(docs), dtype=bool)
        exact_title = np.zeros(len(docs), dtype=np.float64)
        for word in words:
            stem = dict(word.stems).get("en")
            if not stem:
                continue
            body = _frequencies(searcher, arrays, "stem_en", [stem])
            title = _frequencies(searcher, arrays, "title", ranking.word_forms(searcher, arrays, word, "title"))
            idf = math.log(arrays.size / (int(np.count_nonzero(body)) + 1)) + 1.0
            t = body[docs] / norm(arrays, "stem_en", docs, p.body_b)
            t += p.title * title[docs] / norm(arrays, "title", docs, 0.75)
            if p.content:
                exact = _frequencies(searcher, arrays, "content", [word.text])
                t += p.content * exact[docs] / norm(arrays, "content", docs, p.body_b)
            out += idf * t * (p.k1 + 1) / (t + p.k1)
            if p.title_exact_all:
                exact = _frequencies(searcher, arrays, "title", [word.text])
                df = int(np.count_nonzero(exact))
                every_exact &= exact[docs] > 0
                if df:
                    lengths, average = arrays.lengths.lengths["title"][docs], arrays.lengths.average["title"]
                    exact_title += scoring.bm25(math.log(arrays.size / (df + 1)) + 1.0, exact[docs], lengths, average)
        return out + p.title_exact_all * exact_title * every_exact

    def with_single_saturation(searcher, arrays, q, docs, scores, tiers, weights=None):
        final = rank_scores(searcher, arrays, q, docs, scores * p.mix, tiers, weights)
        words = ranking.query_words(q)
        return final + clause(searcher, arrays, words, docs) if words and len(docs) else final

    engine_module.rank_scores = with_single_saturation


def use_feedback(top: int, terms: int, weight: float) -> None:
    """Pseudo-relevance feedback (RM3-like): the ``top`` releases in the final order are read
    (title and the body's first 3,000 characters, English-stemmed, stop words and numbers left
    out); the ``terms`` stems most frequent in them (relative frequency averaged over the
    releases; not a query word; in 2 to 30% of the index) are scored with BM25 over ``stem_en``,
    each weighted by its share of those frequencies, and added times ``weight`` x the number of
    query words. Matches stay the AND of the query's words: feedback only reorders them."""
    rank_scores = engine_module.rank_scores
    stops = analysis.folded_stopwords("en") | analysis.folded_stopwords("es")

    def expansion(searcher, arrays, words, top_docs) -> list[tuple[str, float]]:
        analyzer = searcher.schema["stem_en"].analyzer
        asked = {dict(w.stems).get("en") for w in words}
        shares: Counter[str] = Counter()
        for doc in top_docs:
            stored = searcher.stored_fields(doc)
            text = f"{stored['record'].get('title') or ''}\n{(stored.get('body') or '')[:3000]}"
            tokens = [t.text for t in analyzer(text) if len(t.text) > 2 and not t.text.isdigit()]
            tokens = [t for t in tokens if t not in stops]
            for stem, n in Counter(tokens).items():
                shares[stem] += n / len(tokens) / len(top_docs)
        reader = searcher.reader()
        kept = [
            (share, stem)
            for stem, share in shares.items()
            if stem not in asked and 2 <= reader.doc_frequency("stem_en", stem) <= 0.3 * arrays.size
        ]
        chosen = sorted(kept, reverse=True)[:terms]
        total = sum(share for share, _ in chosen) or 1.0
        return [(stem, share / total) for share, stem in chosen]

    def with_feedback(searcher, arrays, q, docs, scores, tiers, weights=None):
        final = rank_scores(searcher, arrays, q, docs, scores, tiers, weights)
        words = ranking.query_words(q)
        if not words or len(docs) < 2:
            return final
        top_docs = docs[np.lexsort((arrays.id_rank[docs], -final, -tiers))[:top]].tolist()
        extra = np.zeros(len(docs), dtype=np.float64)
        lengths, average = arrays.lengths.lengths["stem_en"][docs], arrays.lengths.average["stem_en"]
        for stem, share in expansion(searcher, arrays, words, top_docs):
            tf = _frequencies(searcher, arrays, "stem_en", [stem])
            idf = math.log(arrays.size / (int(np.count_nonzero(tf)) + 1)) + 1.0
            has = tf[docs] > 0
            extra[has] += share * scoring.bm25(idf, tf[docs][has], lengths[has], average)
        return final + weight * len(words) * extra

    engine_module.rank_scores = with_feedback


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"), help="folder of the corpus files")
    ap.add_argument("--workdir", default=None, help="keep and reuse the stripped file, index and FTS5 database here")
    ap.add_argument("--depth", type=int, default=0, help="ranks read per query before condensing (0: every match)")
    ap.add_argument(
        "--write-known-items", action="store_true", help="rewrite bench/gold/known_items.jsonl from the seed"
    )
    ap.add_argument(
        "--weights", default=None, help="ranking signal weights, e.g. title=0,title_phrase=0,proximity=0.1,slop=3"
    )
    ap.add_argument("--field-weights", default=None, help="query boosts per text field, e.g. title=1,stem_en=2")
    ap.add_argument("--field-b", default=None, help="BM25 b per text field, e.g. title=0.5,content=0.9")
    ap.add_argument("--recency", default=None, help="a recency prior WEIGHT:HALF_LIFE_YEARS, e.g. 0.1:5")
    ap.add_argument(
        "--single-saturation",
        default=None,
        help="Whoosh's BM25F times MIX plus a one-saturation BM25F: MIX:TITLE:BODY_B[:CONTENT[:K1]] "
        "or key=value pairs (see Saturation), e.g. content=1,k1=2,title_exact_all=2",
    )
    ap.add_argument("--feedback", default=None, help="pseudo-relevance feedback TOP:TERMS:WEIGHT, e.g. 10:10:0.3")
    args = ap.parse_args()
    if args.weights:
        ranking.WEIGHTS = parse_weights(args.weights)
    print(f"ranking signals: {ranking.WEIGHTS}")
    if args.field_weights:
        use_field_weights(parse_pairs(args.field_weights))
    if args.field_b:
        use_field_b(parse_pairs(args.field_b))
    if args.recency:
        weight, half_life = (float(x) for x in args.recency.split(":"))
        use_recency(weight, half_life)
    if args.single_saturation:
        use_single_saturation(Saturation.parse(args.single_saturation))
    if args.feedback:
        top, terms, weight = args.feedback.split(":")
        use_feedback(int(top), int(terms), float(weight))
    print(f"single saturation {args.single_saturation}, feedback {args.feedback}")
    print(f"variants: field weights {schema.TEXT_FIELDS}, field b {args.field_b or 'all 0.75'}, recency {args.recency}")
    started = time.perf_counter()

    records = read_doj(Path(args.corpus))
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="pressroom-ranking-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        stripped = workdir / "doj_without_topics_components.jsonl"
        if not stripped.exists():
            write_stripped(records, stripped)
        engine = open_pressroom(stripped, workdir / "index")
        db = open_fts(engine, workdir / "fts.db")
        rankers = {
            "pressroom": pressroom_ranker(engine, args.depth),
            "fts5": fts_ranker(db, args.depth),
        }
        run(records, rankers, args.write_known_items)
        engine.close()
        db.close()
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    depth = f"depth {args.depth}" if args.depth else "every match ranked"
    print(f"\nruntime {time.perf_counter() - started:.0f} s ({depth})")


def run(records: list[dict], rankers: dict[str, Ranker], write_known: bool) -> None:
    """Topic and known-item evaluation of both engines, printed."""
    tagged: dict[str, set[str]] = {}
    for r in records:
        for topic in r.get("topics") or []:
            tagged.setdefault(topic, set()).add(r["id"])
    topics = sorted(t for t, ids in tagged.items() if len(ids) >= MIN_TOPIC_RELEASES)
    judged = set().union(*tagged.values())
    print(
        f"{len(records)} DOJ releases, {len(judged)} judged (tagged with a topic); "
        f"{len(topics)} of {len(tagged)} topics have at least {MIN_TOPIC_RELEASES} releases"
    )
    split = split_topics(topics, SPLIT_SEED)
    for name, members in split.items():
        print(f"{name} split (seed {SPLIT_SEED}): " + "; ".join(members))

    t0 = time.perf_counter()
    results = evaluate_topics(rankers, tagged, topics)
    splits = {name: [results[t] for t in members] for name, members in split.items()}
    splits["all"] = [results[t] for t in topics]
    for name in ("dev", "held"):
        print_topics(name, splits[name])
    print(f"(topics evaluated in {time.perf_counter() - t0:.0f} s)")

    items = known_items(records, write_known)
    rrs = evaluate_known_items(rankers, items)
    print_known_items(items, rrs)
    print_summary(splits, rrs)


if __name__ == "__main__":
    main()
