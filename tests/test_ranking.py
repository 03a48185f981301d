"""The ranking signals on top of BM25F (``indexer/search/ranking.py``), each on real releases where
plain BM25F orders two of them one way and the signal the other.

The index holds the fixture's 18 real releases only. ``PLAIN`` is BM25F alone (every signal
weighted 0), ``TITLE`` and ``PROXIMITY`` each signal alone; no weights is what search uses.
"""

from __future__ import annotations

import pytest

from indexer.build import build_index
from indexer.search import Engine, SearchRequest, ranking
from indexer.search.expansion import Deadline
from indexer.search.ranking import QueryWord, Weights, query_words, word_forms

from .conftest import REAL, write_jsonl

PLAIN = Weights(title=0.0, proximity=0.0)
TITLE = Weights(title=ranking.WEIGHTS.title, proximity=0.0)
#: The phrase clause is off in search (measured neutral beside the title clause); 0.1 is its
#: weight tuned alone on the development topics.
PROXIMITY = Weights(title=0.0, proximity=0.1)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ranking")
    build_index([write_jsonl(folder / "releases.jsonl", REAL)], folder / "index", workers=1)
    with Engine(folder / "index") as engine:
        yield engine


@pytest.fixture()
def ranked(engine, monkeypatch):
    """``ranked(query, weights)`` -> the ids in relevance order with those weights."""

    def run(query: str, weights: Weights = ranking.WEIGHTS) -> list[str]:
        monkeypatch.setattr(ranking, "WEIGHTS", weights)
        return [hit.id for hit in engine.search(SearchRequest(query=query, per_page=100)).hits]

    return run


def release(release_id: str) -> dict:
    return next(r for r in REAL if r["id"] == release_id)


def before(ids: list[str], a: str, b: str) -> bool:
    return ids.index(a) < ids.index(b)


def test_title_words_in_another_form_count_as_title_words(ranked):
    """``conspirator indicted``: "Two Indicted for Conspiring to Steal Trade Secrets…" has both words
    in its title, one as another form of the word. BM25F credits a title for the forms typed
    only, so it ranks "…Minister and Conspirator Sentenced…" (one word in its title) first; the
    title clause counts "Conspiring" as a title word and puts the release with both first."""
    both, one = "doj-opa-12499", "doj-opa-12595"
    assert "Indicted" in release(both)["title"] and "Conspiring" in release(both)["title"]
    assert "Conspirator" in release(one)["title"] and "Indicted" not in release(one)["title"]
    query = "conspirator indicted"
    assert before(ranked(query, PLAIN), one, both)
    assert before(ranked(query, TITLE), both, one)
    assert before(ranked(query), both, one)


def test_words_next_to_each_other_rank_above_words_apart(ranked):
    """``justice department``: the Euless release says "justice" and "department" more often, so
    BM25F ranks it first; the deaf-clients release has the two words side by side more often in a
    shorter text ("the Justice Department"), and the phrase clause puts it first."""
    apart, together = "doj-opa-06257", "doj-opa-07525"
    body = {rid: release(rid)["body"].lower() for rid in (apart, together)}
    assert body[together].count("justice department") > body[apart].count("justice department")
    assert body[together].count("justice") < body[apart].count("justice")
    query = "justice department"
    assert before(ranked(query, PLAIN), apart, together)
    assert before(ranked(query, PROXIMITY), together, apart)


def test_signals_only_reorder(ranked):
    """The signals change the order of the matches, never which releases match."""
    for query in ["conspirator indicted", "justice department", "civil rights", "sentenced prison"]:
        assert sorted(ranked(query, PLAIN)) == sorted(ranked(query))


def test_query_words_are_the_plain_words_of_the_top_level_and(engine):
    """Quoted words, patterns, ORs and what NOT excludes have no forms to look for."""
    searcher, _arrays, _generation = engine.searchers.get()

    def words(text: str) -> list[str]:
        return [w.text for w in query_words(Engine._query(searcher, text, Deadline()))]

    assert words("civil rights") == ["civil", "rights"]
    assert words("civil rights NOT hate") == ["civil", "rights"]
    assert words('"civil rights" violation') == ["violation"]
    assert words("civil OR rights") == []
    assert words("title:civil rights") == ["civil", "rights"]
    assert words("secret* rights") == ["rights"]


def test_a_words_forms_share_its_stem(engine):
    """The forms of ``conspirator`` in the titles are the title words stemming to ``conspir``; a
    quoted word (no stems) is only itself."""
    searcher, arrays, _generation = engine.searchers.get()
    word = query_words(Engine._query(searcher, "conspirator", Deadline()))[0]
    assert word_forms(searcher, arrays, word, "title") == ("conspirator", "conspiring")
    quoted = QueryWord("conspirator", (), frozenset({"title", "content"}))
    assert word_forms(searcher, arrays, quoted, "title") == ("conspirator",)
