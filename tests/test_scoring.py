"""The numpy evaluator scores every document exactly as Whoosh's own BM25F search does.

For each query shape the parser produces (terms, AND, OR, NOT, phrases, prefixes, field queries),
the documents Pressroom matches and their scores are compared with ``searcher.search()`` of the
same query on the same fixture index, document by document. A prefix is first expanded into the OR
of its words, as every search does (``indexer/search/expansion.py``). Queries carry no accents, so the exact-form tier does not
reorder anything. A change to K1, B, the idf or a boost makes these fail.
"""

from __future__ import annotations

import numpy as np
import pytest

from indexer.search.engine import Engine
from indexer.search.expansion import Deadline
from indexer.search.scoring import Evaluator

QUERIES = [
    "seguridad",
    "indicted",
    "fraud",
    "attorney general",
    "Sanchez Cordero",
    "security OR seguridad",
    "fraud NOT indicted",
    "fraud AND health",
    "fraud ANDNOT indicted",
    "fraud ANDMAYBE health",
    '"attorney general"',
    '"secretario de la defensa"',
    "indict*",
    "secret*",
    "title:fraud",
    "body:mexico",
    "Ebrard OR Breceda OR Barr",
    "drug trafficking cartel",
]


@pytest.fixture(scope="module")
def reader_state(built_index):
    engine = Engine(built_index)
    searcher, arrays, _generation = engine.searchers.get()
    yield searcher, arrays
    engine.close()


def whoosh_scores(searcher, q) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


def pressroom_scores(searcher, arrays, q) -> dict[int, float]:
    evaluated = Evaluator(searcher, arrays.size, arrays.live, arrays.lengths).evaluate(q)
    return {int(d): float(evaluated.scores[d]) for d in np.flatnonzero(evaluated.mask)}


def ranking(scores: dict[int, float]) -> list[set[int]]:
    """Documents best first, documents with equal scores (to 1e-9) grouped together."""
    groups: list[tuple[float, set[int]]] = []
    for doc, score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if groups and abs(groups[-1][0] - score) <= 1e-9 * max(1.0, abs(score)):
            groups[-1][1].add(doc)
        else:
            groups.append((score, {doc}))
    return [docs for _score, docs in groups]


@pytest.mark.parametrize("text", QUERIES)
def test_scores_equal_whoosh_bm25f(reader_state, text):
    searcher, arrays = reader_state
    q = Engine._query(searcher, text, Deadline())
    expected = whoosh_scores(searcher, q)
    got = pressroom_scores(searcher, arrays, q)
    assert expected, f"{text!r} should match something in the fixture"
    assert set(got) == set(expected)
    for doc, score in expected.items():
        assert got[doc] == pytest.approx(score, rel=1e-6), (text, doc)
    assert ranking(got) == ranking(expected)


def test_the_comparison_notices_a_changed_constant(reader_state, monkeypatch):
    """The check above is sharp: with K1 = 3.0 the same query no longer scores as Whoosh does."""
    import indexer.search.scoring as scoring

    searcher, arrays = reader_state
    q = Engine._query(searcher, "fraud", Deadline())
    monkeypatch.setattr(scoring, "K1", 3.0)
    got = pressroom_scores(searcher, arrays, q)
    expected = whoosh_scores(searcher, q)
    assert any(got[d] != pytest.approx(s, rel=1e-6) for d, s in expected.items())


def test_a_prefix_is_the_or_of_its_words(reader_state):
    """``secret*`` scores each release exactly as the OR of the words it expands to."""
    searcher, arrays = reader_state
    prefix = pressroom_scores(searcher, arrays, Engine._query(searcher, "body:secret*", Deadline()))
    words = [w.decode() for w in searcher.reader().expand_prefix("content", "secret")]
    assert len(words) >= 2
    spelled = " OR ".join(f"body:{w}" for w in words)
    assert prefix == pytest.approx(pressroom_scores(searcher, arrays, Engine._query(searcher, spelled, Deadline())))
