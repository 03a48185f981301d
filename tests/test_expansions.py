"""Query words that name an agency, post or person by any alias match the releases carrying that
entity, whatever their language: which words are runs, how they combine with the rest of the
query, the ``expansions`` key, text matches ranked first, scores as Whoosh's own, and the page."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as Q

from indexer.build import build_index
from indexer.search import Engine, SearchRequest
from indexer.search.aliases import alias_runs, expand_entities
from indexer.search.expansion import Deadline
from indexer.search.scoring import Evaluator

from .conftest import write_jsonl

SEDENA = "Secretaría de la Defensa Nacional"
DEFENSE = "Secretario de la Defensa Nacional"


@pytest.mark.parametrize(
    ("query", "runs"),
    [
        (
            "Secretary of Foreign Affairs",
            [("Secretary of Foreign Affairs", "role", "Secretario de Relaciones Exteriores")],
        ),
        # the longest run wins; the words around it are not part of it
        ("the Secretary of the Navy spoke", [("the Secretary of the Navy", "role", "Secretario de Marina")]),
        ("Ministry of Health vaccines", [("Ministry of Health", "agency", "Secretaría de Salud")]),
        ("Defense Ministry, Marina", [("Defense Ministry", "agency", SEDENA)]),
        # a comma inside the alias; a label's trailing parenthesis left out
        (
            "Secretary of Agrarian, Territorial and Urban Development",
            [
                (
                    "Secretary of Agrarian, Territorial and Urban Development",
                    "role",
                    "Secretario de Desarrollo Agrario, Territorial y Urbano",
                )
            ],
        ),
        (
            "Head of the Tax Administration Service",
            [("Head of the Tax Administration Service", "role", "Jefe del Servicio de Administración Tributaria")],
        ),
        ("Ministry of Health. Navy", [("Ministry of Health", "agency", "Secretaría de Salud")]),
        ("canciller Ebrard", [("canciller", "role", "Secretario de Relaciones Exteriores")]),
        ("AMLO", [("AMLO", "official", "Andrés Manuel López Obrador")]),
        # acronyms: as the tables write them, or in any case from four letters on
        ("SEDENA", [("SEDENA", "agency", SEDENA)]),
        ("sedena", [("sedena", "agency", SEDENA)]),
        ("SAT", [("SAT", "agency", "Servicio de Administración Tributaria")]),
        ("sat down", []),
        ("cops", []),
        # quoted text, fields, patterns and operators never expand nor join a run
        ('"Secretary of Foreign Affairs"', []),
        ('"the canciller spoke"', []),
        ("title:SEDENA", []),
        ("SEDEN*", []),
        ("Defense AND Ministry", []),
    ],
)
def test_alias_runs(query, runs):
    found = [(r.text, *r.entities[0]) for r in alias_runs(query)]
    assert found == runs


def test_an_alias_of_posts_in_two_governments_names_both():
    (run,) = alias_runs("Attorney General")
    assert set(run.entities) == {
        ("role", "Attorney General (United States)"),
        ("role", "Fiscal General de la República"),
    }


def test_english_words_find_the_spanish_release_carrying_the_entity(search):
    result = search("Secretary of National Defense")
    assert result["expansions"] == [
        {
            "text": "Secretary of National Defense",
            "facet": "role",
            "value": DEFENSE,
            "label": "Secretary of National Defense",
        }
    ]
    spanish = search("", role=[DEFENSE], lang=["es"])
    assert spanish["total"] >= 1
    assert {h["id"] for h in spanish["hits"]} <= {h["id"] for h in result["hits"]}
    # without the alias (quoted: the words as written) the Spanish releases are not found
    quoted = search('"Secretary of National Defense"')
    assert quoted["expansions"] == [] and not {h["id"] for h in spanish["hits"]} & {h["id"] for h in quoted["hits"]}


def test_a_release_found_through_the_entity_shows_where_it_names_it(sample_index):
    """The sample's Spanish releases found by ``Secretary of Foreign Affairs`` have none of its
    words: their snippets and pages mark where they name the post (its aliases in either
    language: "secretario de Relaciones Exteriores"), not the start of the transcript."""
    query = "Secretary of Foreign Affairs"
    with Engine(sample_index) as engine:
        result = engine.search(SearchRequest(query=query, per_page=100))
        spanish = [h for h in result.hits if h.lang == "es"]
        assert spanish
        for hit in spanish:
            assert "<mark>" in hit.snippet, hit.id
            assert engine.release(hit.id, query)["matches"] >= 1, hit.id
        # a quoted query never expands: nothing is marked there for the entity
        assert engine.release(spanish[0].id, f'"{query}"')["matches"] == 0


def test_total_counts_text_or_entity_and_text_matches_rank_first(search):
    words = search("Defense AND Ministry", per_page=100)  # AND breaks the run: the words only
    carrying = search("", agency=[SEDENA], per_page=100)
    expanded = search("Defense Ministry", per_page=100)
    text_ids = [h["id"] for h in words["hits"]]
    entity_ids = {h["id"] for h in carrying["hits"]}
    assert expanded["total"] == len(set(text_ids) | entity_ids) > len(text_ids) > 0
    assert [h["id"] for h in expanded["hits"]][: len(text_ids)] == text_ids
    # in Spanish the label is Spanish
    assert (
        search("Defense Ministry", ui_lang="es")["expansions"][0]["label"]
        == "Secretaría de la Defensa Nacional (SEDENA)"
    )


def test_a_release_the_words_match_ranks_above_one_only_the_entity_matched(tmp_path):
    filler = " ".join(f"word{i}" for i in range(20000))
    releases = [
        # the words, once, in a long release: a low score
        {
            "id": "long-en",
            "date": "2019-05-01",
            "lang": "en",
            "title": "Weekly report",
            "body": f"{filler} The Secretary of National Defense attended. {filler}",
        },
        # the entity, in a short Spanish release that has none of the words
        {
            "id": "short-es",
            "date": "2019-05-02",
            "lang": "es",
            "title": "Informe",
            "body": "El secretario de la Defensa Nacional, Luis Cresencio Sandoval, informó.",
        },
        # the words, in short releases: common words, so each one scores little in the long release
        *[
            {
                "id": f"other-{i}",
                "date": "2019-05-03",
                "lang": "en",
                "title": f"Other {i}",
                "body": f"The Secretary of National Defense met reporters {i}.",
            }
            for i in range(30)
        ],
    ]
    index = tmp_path / "index"
    build_index([write_jsonl(tmp_path / "r.jsonl", releases)], index, workers=1)
    with Engine(index) as engine:
        m = engine._match(SearchRequest(query="Secretary of National Defense"))
        docs = {engine.searchers.get()[1].ids[d]: d for d in np.flatnonzero(m.matched())}
        assert m.scores[docs["short-es"]] > m.scores[docs["long-en"]]  # BM25 alone would put it first
        hits = engine.search(SearchRequest(query="Secretary of National Defense", per_page=40)).hits
        assert [h.id for h in hits][-2:] == ["long-en", "short-es"] and len(hits) == 32


def test_the_rest_of_the_query_still_combines_with_and(search):
    alone = {h["id"] for h in search("Secretary of National Defense", per_page=100)["hits"]}
    narrowed = search("Secretary of National Defense fentanilo", per_page=100)
    fentanilo = {h["id"] for h in search("fentanilo", per_page=100)["hits"]}
    assert {h["id"] for h in narrowed["hits"]} == alone & fentanilo
    assert search("fraud")["expansions"] == []


def test_an_entity_no_release_carries_is_not_added(engine):
    searcher, _arrays, _generation = engine.searchers.get()
    parse = lambda text: engine._query(searcher, text, Deadline())  # noqa: E731
    assert expand_entities("Secretary of Tourism", searcher, parse) == (None, [])


def test_an_expanded_query_scores_as_whoosh_does(engine):
    searcher, arrays, _generation = engine.searchers.get()
    parse = lambda text: engine._query(searcher, text, Deadline())  # noqa: E731
    q, expansions = expand_entities("Secretary of the Navy security", searcher, parse)
    # exactly (the words OR the entity) AND the rest
    words = Q.Or([parse("Secretary of the Navy"), Q.Term("roles", "Secretario de Marina")])
    assert q == Q.And([words, parse("security")])
    assert expansions and q is not None
    evaluated = Evaluator(searcher, arrays.size, arrays.live, arrays.lengths).evaluate(q)
    expected = {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}
    got = {int(d): float(evaluated.scores[d]) for d in np.flatnonzero(evaluated.mask)}
    assert set(got) == set(expected) and expected
    assert all(got[d] == pytest.approx(s, rel=1e-6) for d, s in expected.items())


def test_the_results_page_says_what_else_was_matched(make_app, built_index):
    client = make_app(built_index).test_client()
    english = client.get("/?q=Ministry+of+National+Defense").get_data(as_text=True)
    assert f"Also matched: {SEDENA}, through its English name" in english
    assert f"Also matched: {SEDENA}, through its other name" in client.get("/?q=Defense+Ministry").get_data(
        as_text=True
    )
    spanish = client.get("/?q=SEDENA&ui=es").get_data(as_text=True)
    assert f"También se buscó: {SEDENA}, por su sigla" in spanish
    assert "Also matched" not in client.get("/?q=fraud").get_data(as_text=True)


def test_search_request_default_has_no_expansions(engine):
    assert engine.search(SearchRequest(query="")).expansions == []
