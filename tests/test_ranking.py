"""The ranking signals on top of BM25F (``indexer/search/ranking.py``), each on real releases where
plain BM25F orders two of them one way and the signal the other.

The index holds the fixture's 18 real releases and ``data/ranking_releases.jsonl``: the first 250
words of eight DOJ releases of the development file, ``topics`` and ``components`` removed.
``PLAIN`` is BM25F alone (every signal weighted 0), ``TITLE``, ``TITLE_PHRASE`` and ``PROXIMITY``
each signal alone; no weights is what search uses.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from indexer.build import build_index
from indexer.search import Engine, SearchRequest, ranking
from indexer.search.aliases import expand_entities
from indexer.search.expansion import Deadline
from indexer.search.ranking import QueryWord, Weights, query_words, word_forms

from .conftest import DATA, REAL, write_jsonl

EXCERPTS = [json.loads(line) for line in (DATA / "ranking_releases.jsonl").read_text(encoding="utf-8").splitlines()]
RELEASES = REAL + EXCERPTS

PLAIN = Weights(title=0.0, title_phrase=0.0, proximity=0.0)
TITLE = replace(PLAIN, title=ranking.WEIGHTS.title)
TITLE_PHRASE = replace(PLAIN, title_phrase=ranking.WEIGHTS.title_phrase)
#: The body's phrase clause is off in search (measured neutral beside the title clauses); 0.1 is
#: its weight tuned alone on the development topics.
PROXIMITY = replace(PLAIN, proximity=0.1)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ranking")
    build_index([write_jsonl(folder / "releases.jsonl", RELEASES)], folder / "index", workers=1)
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
    return next(r for r in RELEASES if r["id"] == release_id)


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


def test_a_title_with_some_of_the_words_gets_no_title_clause(ranked):
    """``national security``: "…False Security Clearance Form" (DOJ tags it Tax) and "…Retention of
    National Defense Information" (tagged National Security) each hold one of the words in the
    title, and BM25F ranks the second first. Credited for its one title word, the first would jump
    above it (the title clause counted any of the words before, and "security" is the rarer); a
    title clause only for titles holding every word leaves BM25F's order."""
    security, national = "doj-opa-00719", "doj-opa-01617"
    assert "Security" in release(security)["title"] and "National" not in release(security)["title"]
    assert "National" in release(national)["title"] and "Security" not in release(national)["title"]
    query = "national security"
    assert before(ranked(query, PLAIN), national, security)
    assert before(ranked(query, replace(TITLE, title_all_words=False)), security, national)
    assert before(ranked(query, TITLE), national, security)
    assert before(ranked(query), national, security)


def test_words_side_by_side_in_the_title_rank_above_words_apart(ranked):
    """``financial fraud``: "Utah Financial Advisor Pleads Guilty to Tax Evasion, Securities Fraud…"
    (tagged Tax) has both words in its title, apart, and a shorter body saying them as often, so
    BM25F ranks it first; "…International Cyber Financial Fraud Scheme" (tagged Financial Fraud)
    says "Financial Fraud" in its title, and the title phrase clause puts it first."""
    together, apart = "doj-opa-01214", "doj-opa-00651"
    assert "Financial Fraud" in release(together)["title"]
    assert "Financial Fraud" not in release(apart)["title"]
    assert {"Financial", "Fraud"} <= set(release(apart)["title"].replace(",", "").split())
    query = "financial fraud"
    assert before(ranked(query, PLAIN), apart, together)
    assert before(ranked(query, TITLE_PHRASE), together, apart)
    assert before(ranked(query), together, apart)


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
    for query in ["conspirator indicted", "justice department", "national security", "financial fraud", "civil rights"]:
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


def test_words_naming_an_entity_are_still_the_querys_words(engine):
    """``justice department`` also matches the agency it names (``aliases``: ``(justice AND
    department) OR agencies:...``); the signals still read the words, in query order."""
    searcher, _arrays, _generation = engine.searchers.get()

    def words(text: str) -> tuple[list[str], list[str]]:
        parse = lambda t: Engine._query(searcher, t, Deadline())  # noqa: E731
        expanded, expansions = expand_entities(text, searcher, parse)
        return [e["value"] for e in expansions], [w.text for w in query_words(expanded)]

    agency = ["U.S. Department of Justice"]
    assert words("justice department") == (agency, ["justice", "department"])
    assert words("fraud justice department settlement") == (
        agency,
        ["fraud", "justice", "department", "settlement"],
    )


def test_a_words_forms_share_its_stem(engine):
    """The forms of ``conspirator`` in the titles are the title words stemming to ``conspir``; a
    quoted word (no stems) is only itself."""
    searcher, arrays, _generation = engine.searchers.get()
    word = query_words(Engine._query(searcher, "conspirator", Deadline()))[0]
    assert word_forms(searcher, arrays, word, "title") == ("conspirator", "conspiring")
    quoted = QueryWord("conspirator", (), frozenset({"title", "content"}))
    assert word_forms(searcher, arrays, quoted, "title") == ("conspirator",)


def test_sloppy_phrase_frequency_counts_each_match_by_its_moves():
    """Lucene's sloppy frequency: side by side counts 1, one word a place away 1/2 (one move), the
    words swapped 1/3 (two moves); beyond the slop nothing."""
    count = ranking._phrase_count
    where = [{7: [3, 10]}, {7: [4, 13]}]  # "a b" at 3-4; at 10 and 13 two words apart
    assert count(where, 7, 0) == 1.0
    assert count(where, 7, 1) == 1.0
    assert count(where, 7, 2) == pytest.approx(1 + 1 / 3)
    assert count([{7: [4]}, {7: [3]}], 7, 1) == 0.0  # swapped: two moves
    assert count([{7: [4]}, {7: [3]}], 7, 2) == pytest.approx(1 / 3)
    assert count([{7: [4]}, {}], 7, 5) == 0.0


def test_words_that_also_matched_as_an_entity_are_still_the_querys_words():
    """``justice department`` names the U.S. Department of Justice: the query becomes (the words OR
    that agency), and the ranking signals still read the two words."""
    from whoosh import query as Q

    def word(text: str) -> Q.Query:
        return Q.Or([Q.Term("title", text), Q.Term("content", text), Q.Term("stem_en", text)])

    words = Q.And([word("justice"), word("department")])
    expanded = Q.Or([words, Q.Term("agencies", "U.S. Department of Justice")])
    assert [w.text for w in query_words(expanded)] == ["justice", "department"]
    with_more = Q.And([word("settlement"), expanded])
    assert [w.text for w in query_words(with_more)] == ["settlement", "justice", "department"]
