"""Searching the fixture index: folding, stemming, ranking, query syntax, facets, sorting, JSON contract."""

from __future__ import annotations

import itertools
import json

import pytest

from indexer.search import Engine, SearchError, SearchRequest

from .conftest import DATA, ids

HIT_KEYS = [
    "id",
    "source_id",
    "title",
    "date",
    "url",
    "lang",
    "publisher",
    "agencies",
    "officials",
    "roles",
    "topics",
    "snippet",
    "matched_forms",
]
TOP_KEYS = [
    "query",
    "filters",
    "total",
    "page",
    "per_page",
    "pages",
    "sort",
    "suggestion",
    "hits",
    "facets",
    "facets_truncated",
    "warnings",
    "timeline",
    "expansions",
]
SEED = "000_5da1fa392d2f8c78"


def body_of(release_id: str) -> str:
    for line in (DATA / "releases.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == release_id:
            return record["title"] + "\n" + record["body"]
    raise KeyError(release_id)


# Folding, both ways


@pytest.mark.parametrize("query", ["Sanchez Cordero", "Sánchez Cordero", "SANCHEZ CORDERO", '"sanchez cordero"'])
def test_folding_finds_accented_names(search, query):
    assert ids(search(query)) == [SEED, "gobmx_seed_en"]


def test_unaccented_query_finds_accented_text_and_back(search):
    assert "mx-presidencia-ve-2019-04-26" in ids(search("Duran"))  # "Ojeda Durán"
    upper = "orange_ca-press_ez-lube-pagara-5-milliones-como-penalizacion-por-estafar-a-clientes-en-cobrar-por-servicios-no-hechos-y-partes-inn"
    assert "PENALIZACION" in body_of(upper) and "penalización" not in body_of(upper).lower()
    assert ids(search("penalización")) == [upper]


# Stemming in both languages


def test_spanish_stemming(search):
    text = body_of("mx-presidencia-ve-2019-04-26").lower()
    assert "secretarios" not in text and "secretario " in text
    assert "mx-presidencia-ve-2019-04-26" in ids(search("secretarios"))


def test_english_stemming(search):
    text = body_of("doj-opa-12592").lower()
    assert "indicted" not in text and "indictment" in text
    assert "doj-opa-12592" in ids(search("indicted", per_page=50))


def test_a_part_of_a_dotted_word_finds_it(search):
    """``stopmedicarefraud`` is written only inside ``www.stopmedicarefraud.gov``, ``aug`` only
    glued to a date (``Aug.11``, a crawl that lost a space): both are found, the whole words still are."""
    medicare, glued = "doj-opa-03264", "doj-opa-08842"
    assert "www.stopmedicarefraud.gov" in body_of(medicare)
    assert ids(search("stopmedicarefraud")) == ids(search("www.stopmedicarefraud.gov")) == [medicare]
    assert "Aug.11" in body_of(glued) and "aug " not in body_of(glued).lower()
    assert glued in ids(search("aug")) and glued in ids(search("aug.11"))


# Ranking of exact accented forms


def test_exact_accented_form_ranks_first(search):
    pena = "orange_ca-press_declaracion-del-fiscal-tony-rackauckas-decision-de-recomendar-pena-capital-contra-daniel-wozniak"
    pena_nieto = "mx-presidencia-ve-2018-12-01"
    # plain BM25 puts the short release about "pena capital" (penalty) first ...
    assert ids(search("Pena")) == [pena, pena_nieto]
    # ... but a query written with the accent puts the exact "Peña" first
    assert ids(search("Peña")) == [pena_nieto, pena]


# Query syntax


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"Cordero Sánchez"', []),  # phrases keep word order
        ("Ebrard OR Breceda", [SEED, "gobmx_seed_en", "mx-presidencia-ve-2019-05-26"]),
        ("Ebrard NOT Barr", []),
        ("Sanch*", [SEED, "gobmx_seed_en"]),
        ("Sánch*", [SEED, "gobmx_seed_en"]),
        (
            "title:Wozniak",
            [
                "orange_ca-press_declaracion-del-fiscal-tony-rackauckas-decision-de-recomendar-pena-capital-contra-daniel-wozniak"
            ],
        ),
        ("body:Breceda", ["mx-presidencia-ve-2019-05-26"]),
    ],
)
def test_query_syntax(search, query, expected):
    assert ids(search(query)) == expected


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("¿Sánchez Cordero?", "Sánchez Cordero"),  # a question, not a wildcard ("¿" folds to "?")
        ("¡Ebrard!", "Ebrard"),
        ("\u201cSánchez Cordero\u201d", '"Sánchez Cordero"'),  # a phone's quotes are phrase quotes
        ("«Cordero Sánchez»", '"Cordero Sánchez"'),
        ("\uff0aSanchez", "Sanchez"),  # a full-width asterisk is not a leading wildcard
        ("official:\u201cMarcelo Ebrard\u201d", 'official:"Marcelo Ebrard"'),
    ],
)
def test_typed_punctuation_is_not_query_syntax(search, typed, meant):
    assert ids(search(typed)) == ids(search(meant))
    assert search(typed)["total"] == search(meant)["total"]


def test_a_question_mark_inside_a_word_is_still_a_wildcard(search):
    assert ids(search("Sanch?z")) == [SEED, "gobmx_seed_en"]
    assert ids(search("Sanch?")) == ids(search("Sanch"))  # at the end it is punctuation


def test_lower_case_y_and_o_are_words_not_operators(search):
    # "Nahle y Breceda" needs both words; as OR it would also match the transcript without Breceda
    assert ids(search("Nahle y Breceda")) == ["mx-presidencia-ve-2019-05-26"]
    assert ids(search("Nahle OR Breceda")) == ["mx-presidencia-ve-2019-05-26", "mx-presidencia-ve-2019-04-26"]


@pytest.mark.parametrize(
    "query", ['"unbalanced quote', "AND", "(((", "OR OR", "NOT", "foo:bar", "title:", "*", "a:b:c", ")"]
)
def test_malformed_queries_never_fail(search, query):
    result = search(query)
    assert result["total"] >= 0 and result["query"] == query


def test_unknown_field_is_searched_as_words(search):
    assert ids(search("nosuchfield:Breceda")) == ids(search("nosuchfield Breceda")) == []
    assert ids(search("frobnicate:Breceda")) == []
    assert ids(search("Breceda")) == ["mx-presidencia-ve-2019-05-26"]


def test_filter_names_inside_the_query(search):
    result = search("agency:SEDENA Cresencio")
    assert result["filters"]["agency"] == ["Secretaría de la Defensa Nacional"]
    assert ids(result) == ["mx-presidencia-ve-2019-04-26"]


# Suggestions


@pytest.mark.parametrize(
    "query, suggestion",
    [("goverment", "government"), ("energiaa", "energía"), ("Sanchez Cordero", None), ("secretarios", None)],
)
def test_did_you_mean(search, query, suggestion):
    assert search(query)["suggestion"] == suggestion


@pytest.mark.parametrize(
    "query, suggestion",
    [
        ("govenrment", "government"),  # 10 letters, two edits (a transposition)
        ("invetsigation", "investigation"),
        ("fruad", None),  # 5 letters: two edits is too far for a short word
        ("frau", "fraud"),  # one edit is near enough
    ],
)
def test_did_you_mean_allows_two_edits_only_in_long_words(search, query, suggestion):
    assert search(query)["suggestion"] == suggestion


@pytest.mark.parametrize(
    "typed, suggestion", [("fentanl", "fentanyl"), ("huachikol", "huachicol"), ("Corderro", "Cordero")]
)
def test_the_words_the_search_box_proposes_are_correctable_on_the_sample(sample_index, typed, suggestion, monkeypatch):
    """The search box proposes Sánchez Cordero, fentanyl, huachicol; on the bundled sample (351
    releases) a misspelling of each gets its suggestion although some occur in one release only."""
    from indexer.search import spelling

    with Engine(sample_index) as engine:
        assert engine.search(SearchRequest(query=typed)).suggestion == suggestion
        # past SMALL_INDEX releases a word must be in two releases: a one-off may be a typo itself
        monkeypatch.setattr(spelling, "SMALL_INDEX", 100)
        if typed == "fentanl":
            assert engine.search(SearchRequest(query=typed)).suggestion is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_example_in_the_search_box_finds_releases_in_the_sample(sample_index, lang):
    from webapp.i18n import translate

    examples = translate("query_placeholder", lang).split(" ", 2)[-1].split(", ")
    assert len(examples) == 3
    with Engine(sample_index) as engine:
        for example in examples:
            assert engine.search(SearchRequest(query=example)).total > 0, example


# Snippets


def test_snippet_marks_matches_in_their_original_form_and_escapes(search):
    hit = search("duran")["hits"][0]
    assert "<mark>Durán</mark>" in hit["snippet"]
    stemmed = search("indicted", per_page=50)["hits"]
    assert any("<mark>indictment</mark>" in h["snippet"] for h in stemmed)
    for h in search("", per_page=50)["hits"]:
        assert "<" not in h["snippet"].replace("<mark>", "").replace("</mark>", "")


# Facets


def test_two_facets_selected_against_hand_computed_lists(search):
    result = search("", agency=["Criminal Division", "Tax Division"], year=["2009"], facet_size=20)
    assert ids(result) == ["doj-opa-12499", "doj-opa-12525", "doj-opa-12592", "doj-opa-12595"]
    assert result["total"] == 4
    facets = {
        name: [(v["value"], v["count"], v["selected"]) for v in values] for name, values in result["facets"].items()
    }
    # agency ignores its own selection and applies year=2009: the six 2009 releases
    assert facets["agency"] == [
        ("U.S. Department of Justice", 6, False),
        ("U.S. District Courts", 5, False),  # the judges' courts
        ("Criminal Division", 3, True),
        ("Federal Bureau of Investigation (FBI)", 3, False),
        ("U.S. Attorneys (USAO)", 3, False),
        ("Civil Rights - Criminal Section", 2, False),  # implied: excessive force cases of the Civil Rights Division
        ("Civil Rights Division", 2, False),
        ("USAO - Oklahoma, Western", 2, False),
        ("Criminal - Child Exploitation and Obscenity Section", 1, False),
        ("Drug Enforcement Administration (DEA)", 1, False),
        ("Gobierno de México", 1, False),
        ("Internal Revenue Service", 1, False),
        ("Office of the Attorney General", 1, False),  # the (Acting) Attorney General speaks in a DOJ release
        ("Tax Division", 1, True),
        ("U.S. Marshals Service", 1, False),
        ("U.S. Postal Inspection Service", 1, False),
        ("USAO - Colorado", 1, False),
        ("USAO - Oklahoma, Northern", 1, False),
        ("USAO - Tennessee, Eastern", 1, False),
    ]
    # year ignores its own selection and applies the agencies: Criminal or Tax, any year; newest first
    assert facets["year"] == [("2016", 1, False), ("2012", 1, False), ("2009", 4, True)]
    assert facets["lang"] == [("en", 4, False)]
    assert facets["role"] == [
        ("Trial Attorney (U.S. Department of Justice)", 3, False),
        ("Assistant Attorney General (United States)", 2, False),
        ("Assistant United States Attorney", 2, False),
        ("United States Attorney", 2, False),
        ("United States District Judge", 2, False),
        ("Acting Attorney General (United States)", 1, False),
        ("DEA Administrator", 1, False),
        ("United States Magistrate Judge", 1, False),
    ]
    assert [v for v, _, _ in facets["official"]] == [
        "Rita M. Glavin",  # in two releases: "Acting Assistant Attorney General of the Criminal Division Rita M. Glavin"
        "Barak Cohen",
        "Clifford Shirley",
        "D. Gregory Weddle",
        "David E. O'Meilia",  # the crawl dropped the apostrophe; an O' surname gets it back
        "Gregory Frizzel",
        "James R. Dedrick",
        "John A. DiCicco",
        "Lori H. Hendrickson",
        "Michele M. Leonhart",
        "Robert L. Hunt",
        "Susan Morgan",
        "Thomas S. Dougherty",
        "Timothy J. Stockwell",
    ]
    # publisher: who issued them (agency: every agency they name)
    assert facets["publisher"] == [("U.S. Department of Justice", 4, False)]
    assert result["facets_truncated"] == {
        "agency": False,
        "publisher": False,
        "official": False,
        "role": False,
        "holder_of": False,
        "lang": False,
        "year": False,
    }


def test_selected_value_is_listed_even_at_zero(search):
    result = search("", agency=["Tax Division"], year=["2016"])
    assert result["total"] == 0
    tax = [v for v in result["facets"]["agency"] if v["value"] == "Tax Division"]
    assert tax == [{"value": "Tax Division", "label": "Tax Division", "count": 0, "selected": True}]


def test_facet_size_truncates_and_orders_by_count_then_value(search):
    result = search("", facet_size=3)
    agency = result["facets"]["agency"]
    assert len(agency) == 3 and result["facets_truncated"]["agency"] is True
    counts = [(-v["count"], v["value"]) for v in agency]
    assert counts == sorted(counts)


def export_rows(engine: Engine) -> list[dict]:
    return list(engine.iter_releases())


def test_disjunctive_counts_match_an_independent_count(engine, search):
    """For many filter combinations, recount every facet from the exported releases by hand."""
    rows = export_rows(engine)
    field = {"agency": "agencies", "role": "roles", "lang": "lang", "year": "date"}

    def values(row, name):
        v = row[field[name]]
        if name == "year":
            return [v[:4]] if v else []
        return v if isinstance(v, list) else [v]

    choices = {
        "agency": ["Criminal Division", "Civil Rights Division", "Secretaría de Marina"],
        "lang": ["es", "en"],
        "year": ["2009", "2019"],
    }
    combos = [
        dict(zip(choices, pick, strict=True))
        for pick in itertools.product(*[[[]] + [[c] for c in cs] + [cs[:2]] for cs in choices.values()])
    ]
    for combo in combos:
        result = search("", facet_size=1000, **combo)
        for facet in ("agency", "lang", "year", "role"):
            expected: dict[str, int] = {}
            for row in rows:
                if all(set(values(row, f)) & set(sel) for f, sel in combo.items() if sel and f != facet):
                    for v in values(row, facet):
                        expected[v] = expected.get(v, 0) + 1
            got = {v["value"]: v["count"] for v in result["facets"][facet] if v["count"]}
            assert got == expected, (combo, facet)
        matching = [r["id"] for r in rows if all(set(values(r, f)) & set(sel) for f, sel in combo.items() if sel)]
        assert result["total"] == len(matching), combo


@pytest.mark.parametrize(
    "params, expected_value",
    [
        ({"agency": ["SEDENA"]}, "Secretaría de la Defensa Nacional"),
        ({"agency": ["secretaria de la defensa nacional"]}, "Secretaría de la Defensa Nacional"),
        ({"agency": ["Ministry of National Defense"]}, "Secretaría de la Defensa Nacional"),
        ({"role": ["Secretary of Foreign Affairs"]}, "Secretario de Relaciones Exteriores"),
        ({"role": ["secretario de relaciones exteriores"]}, "Secretario de Relaciones Exteriores"),
        ({"official": ["Luis Crescencio Sandoval"]}, "Luis Cresencio Sandoval González"),
        ({"official": ["marcelo ebrard casaubon"]}, "Marcelo Ebrard Casaubón"),
        ({"lang": ["Spanish"]}, "es"),
    ],
)
def test_filters_accept_aliases_in_either_language(search, params, expected_value):
    result = search("", **params)
    name = next(iter(params))
    assert result["filters"][name] == [expected_value]
    selected = [v for v in result["facets"][name] if v["selected"]]
    assert [v["value"] for v in selected] == [expected_value] and selected[0]["count"] == result["total"] > 0


def test_unknown_filter_value_matches_nothing_and_says_so(search):
    result = search("", agency=["No Such Agency", "SEDENA"])
    assert result["total"] == 3  # the known value still filters
    assert result["warnings"] == [
        {"param": "agency", "value": "No Such Agency", "message": "no release has the agency 'No Such Agency'"}
    ]
    assert search("", agency=["SEDENA"])["warnings"] == []


def test_publisher_is_who_issued_the_release_not_who_it_names(search):
    publishers = {v["value"]: v["count"] for v in search("", facet_size=50)["facets"]["publisher"]}
    assert publishers == {
        "U.S. Department of Justice": 14,
        "Presidencia de la República": 3,
        "Orange County District Attorney's Office": 2,
        "Gobierno de México": 1,
    }
    agencies = {v["value"]: v["count"] for v in search("", facet_size=100)["facets"]["agency"]}
    assert agencies["Gobierno de México"] > publishers["Gobierno de México"]  # named in more than it issued
    by_alias = search("", publisher=["Office of the President of Mexico"])
    assert by_alias["total"] == 3 and by_alias["filters"]["publisher"] == ["Presidencia de la República"]


def test_years_are_listed_newest_first_and_facet_size_keeps_the_newest(search):
    years = [v["value"] for v in search("", facet_size=1000)["facets"]["year"]]
    assert years == sorted(years, reverse=True) and len(years) >= 3
    cut = search("", facet_size=2)
    assert [v["value"] for v in cut["facets"]["year"]] == years[:2] and cut["facets_truncated"]["year"]


def test_the_timeline_counts_matches_per_year_or_month(search):
    result = search("")
    dated = sum(1 for h in search("", per_page=100)["hits"] if h["date"])
    assert sum(p["count"] for p in result["timeline"]) == dated
    years = [p["period"] for p in result["timeline"]]
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]  # continuous, empty years too
    seed = search("Sanchez Cordero")  # two releases of January 2020: months
    assert seed["timeline"] == [{"period": "2020-01", "from": "2020-01-01", "to": "2020-01-31", "count": 2}]


def test_a_range_that_ends_before_it_starts_is_an_error(engine):
    with pytest.raises(SearchError) as e:
        engine.search(SearchRequest(date_from="2020-06", date_to="2019"))
    assert e.value.param == "from" and "after 'to'" in e.value.message


def test_labels_follow_the_interface_language(search):
    en = {v["value"]: v["label"] for v in search("", agency=["SEDENA"], ui_lang="en")["facets"]["agency"]}
    es = {v["value"]: v["label"] for v in search("", agency=["SEDENA"], ui_lang="es")["facets"]["agency"]}
    assert en["Secretaría de la Defensa Nacional"] == "Ministry of National Defense (SEDENA)"
    assert es["Secretaría de la Defensa Nacional"] == "Secretaría de la Defensa Nacional (SEDENA)"
    langs = {v["value"]: v["label"] for v in search("", ui_lang="es")["facets"]["lang"]}
    assert langs == {"en": "inglés", "es": "español"}


def test_date_range_is_inclusive_at_every_precision(search):
    assert ids(search("", date_from="2009-02-02", date_to="2009-02-06", sort="oldest")) == [
        "doj-opa-12613",
        "justice_gov_09-083",
        "doj-opa-12595",
    ]
    assert search("", date_from="2009", date_to="2009")["total"] == 6
    assert search("", date_from="2009-02", date_to="2009-02")["total"] == 5
    assert search("", date_from="2021")["total"] == 0


# Sorting and paging


def test_empty_query_lists_everything_newest_first_undated_last(search):
    result = search("", per_page=100)
    assert result["sort"] == "newest" and result["total"] == 22
    dates = [h["date"] for h in result["hits"]]
    assert dates[-1] is None and ids(result)[-1] == "kings_ny_waiter_sentenced"
    assert dates[:-1] == sorted(dates[:-1], reverse=True)
    # ties broken by id
    assert ids(result)[:2] == [SEED, "gobmx_seed_en"]
    oldest = search("", sort="oldest", per_page=100)
    assert [h["date"] for h in oldest["hits"]][-1] is None
    assert (
        ids(oldest)[0]
        == "orange_ca-press_ez-lube-pagara-5-milliones-como-penalizacion-por-estafar-a-clientes-en-cobrar-por-servicios-no-hechos-y-partes-inn"
    )


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_never_repeat(search, sort):
    seen: list[str] = []
    first = search("the", sort=sort, per_page=4)
    for page in range(1, first["pages"] + 1):
        seen += ids(search("the", sort=sort, per_page=4, page=page))
    assert len(seen) == len(set(seen)) == first["total"]


def test_page_past_the_end_is_empty(search):
    result = search("", page=99)
    assert result["hits"] == [] and result["total"] == 22 and result["pages"] == 3


@pytest.mark.parametrize(
    "params, param",
    [
        ({"page": 0}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"query": "x" * 501}, "q"),
        ({"sort": "random"}, "sort"),
        ({"date_from": "2019-13"}, "from"),
        ({"year": ["19"]}, "year"),
        ({"facet_size": 0}, "facet_size"),
    ],
)
def test_out_of_range_parameters(engine, params, param):
    with pytest.raises(SearchError) as err:
        engine.search(SearchRequest(**params))
    assert err.value.param == param


# The JSON contract


def test_json_contract_shape(search):
    result = search("Sánchez Cordero", per_page=1)
    assert list(result) == TOP_KEYS
    assert list(result["filters"]) == [
        "agency",
        "publisher",
        "official",
        "role",
        "holder_of",
        "lang",
        "year",
        "from",
        "to",
    ]
    assert (
        list(result["facets"])
        == list(result["facets_truncated"])
        == [
            "agency",
            "publisher",
            "official",
            "role",
            "holder_of",
            "lang",
            "year",
        ]
    )
    hit = result["hits"][0]
    assert list(hit) == HIT_KEYS
    assert all(list(o) == ["name", "rank", "role", "agency", "role_label"] for o in hit["officials"])
    assert all(
        list(v) == ["value", "label", "count", "selected"]
        for name, vs in result["facets"].items()
        if name != "official"
        for v in vs
    )
    # officials add their usual rank, post and agency
    assert all(list(v) == ["value", "label", "count", "selected", "detail"] for v in result["facets"]["official"])
    ojeda = next(v for v in result["facets"]["official"] if v["value"] == "José Rafael Ojeda Durán")
    assert ojeda["detail"] == {
        "rank": "Admiral",
        "rank_label": "Admiral",
        "role": "Secretario de Marina",
        "role_label": "Secretary of the Navy",
        "agency": "Secretaría de Marina",
        "agency_label": "Ministry of the Navy (SEMAR)",
    }
    assert all(isinstance(v["value"], str) for v in result["facets"]["year"])
    assert (result["page"], result["per_page"], result["pages"], result["sort"]) == (1, 1, 2, "relevance")
    json.dumps(result)  # plain JSON types only


def test_one_persons_name_variants_are_one_official_value(tmp_path):
    """doj-opa-11768 says "Thomas Perez", doj-opa-07553 "Thomas E. Perez": both Assistant Attorney
    General for Civil Rights, one facet value (the fuller name), and either name filters both."""
    from indexer.build import build_index

    releases = [
        {
            "id": "doj-opa-11768",
            "title": "Servicemembers",
            "date": "2009-10-21",
            "lang": "en",
            "agency": "U.S. Department of Justice",
            "body": '"Members of the military who put their lives on the line to protect our nation deserve to know they will not be '
            'penalized for their service and their bravery," said Thomas Perez, Assistant Attorney General for the Civil Rights Division.',
        },
        {
            "id": "doj-opa-07553",
            "title": "R-Tronics",
            "date": "2012-03-01",
            "lang": "en",
            "agency": "U.S. Department of Justice",
            "body": "Employers must give all eligible candidates the equal opportunity to compete for employment, said Thomas E. Perez, "
            "Assistant Attorney General for the Civil Rights Division.",
        },
    ]
    source = tmp_path / "perez.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in releases), encoding="utf-8")
    build_index([source], tmp_path / "index", workers=1)
    with Engine(tmp_path / "index") as engine:
        result = engine.search(SearchRequest(query="")).as_dict()
        assert [(v["value"], v["count"]) for v in result["facets"]["official"]] == [("Thomas E. Perez", 2)]
        for name in ("Thomas Perez", "Thomas E. Perez"):
            assert engine.search(SearchRequest(query="", official=[name])).as_dict()["total"] == 2


def test_a_selected_official_beyond_facet_size_keeps_its_detail(search):
    everyone = search("", facet_size=1000)["facets"]["official"]
    last = everyone[-1]
    assert len(everyone) > 2 and "detail" in last
    result = search("", official=[last["value"]], facet_size=1)
    listed = [v for v in result["facets"]["official"] if v["value"] == last["value"]]
    assert listed and listed[0]["selected"] and listed[0]["detail"] == last["detail"]
    unknown = search("", official=["Nadie Nunca"], facet_size=1)["facets"]["official"]
    assert [v["detail"]["role"] for v in unknown if v["value"] == "Nadie Nunca"] == [None]
