"""Who held which post, through every interface: ``pressroom holders`` and ``pressroom official``
(JSON contracts, aliases, errors), the ``holder_of`` filter (CLI, URL, feed), the profile and post
pages and their JSON (redirects, 404s, both languages, links), and the Popolo export validated by
the committed schema. The index is built from releases written for the purpose: each sentence is
in a form extraction reads (real releases' own forms), with dates chosen to hold each case."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import quote

import feedparser
import pytest

from indexer.build import build_index

from .conftest import write_jsonl
from .popolo_schema import popolo_errors
from .test_web import ValidatingClient

AG = "Attorney General (United States)"
SRE = "Secretario de Relaciones Exteriores"
EBRARD = "Marcelo Ebrard Casaubón"


def rel(rid: str, day: str | None, lang: str, body: str) -> dict:
    return {"id": rid, "title": body.split(".")[0][:80], "date": day, "lang": lang, "body": body}


RELEASES = [
    # Attorney General: Lynch, an acting Yates between, Sessions; Holder named only as a former holder
    rel(
        "ag-1",
        "2015-06-01",
        "en",
        "WASHINGTON - Attorney General Loretta E. Lynch announced today a new initiative against fraud.",
    ),
    rel("ag-2", "2016-03-01", "en", "Attorney General Loretta E. Lynch spoke at the conference on Monday."),
    rel("ag-6", "2016-09-01", "en", "The program was started by then-Attorney General Eric Holder in 2014."),
    rel("ag-5", "2017-01-25", "en", "Acting Attorney General Sally Q. Yates today announced the guidance."),
    rel("ag-3", "2017-03-01", "en", "Attorney General Jeff Sessions announced new charging guidance today."),
    rel("ag-7", "2017-04-01", "en", "JEFF SESSIONS: Thank you all for coming.\n\nWe will enforce the law."),
    rel("ag-4", "2017-06-01", "en", "Attorney General Jeff Sessions met with the police chiefs."),
    # Secretary of Foreign Affairs: two releases write the post; the others only name him (speaker labels)
    rel(
        "sre-1",
        "2019-03-01",
        "es",
        "Ciudad de México. El secretario de Relaciones Exteriores, Marcelo Ebrard, se reunió con el secretario de la Defensa Nacional, Luis Cresencio Sandoval, para revisar la seguridad.",
    ),
    rel("sre-3", "2019-04-15", "es", "MARCELO EBRARD CASAUBÓN: Buenos días a todos.\n\nGracias por venir."),
    rel(
        "sre-2",
        "2019-06-01",
        "es",
        "Marcelo Ebrard, secretario de Relaciones Exteriores, dijo que la reunión fue un éxito.",
    ),
    rel("sre-5", "2021-09-01", "es", "MARCELO EBRARD CASAUBÓN: Muchas gracias.\n\nHasta luego."),
    rel("sre-9", None, "es", "MARCELO EBRARD CASAUBÓN: Gracias.\n\nEs todo."),
    # a multi-seat post held twice, three years apart
    *[
        rel(
            f"ausa-{i}",
            day,
            "en",
            f"The case {i} is being prosecuted by Assistant U.S. Attorney John T. Smith of the Southern District of Florida.",
        )
        for i, day in enumerate(["2010-01-10", "2010-02-10", "2013-05-10", "2013-06-10"], start=1)
    ],
    # one person's name variants in one post: one official
    rel(
        "aag-1",
        "2010-01-05",
        "en",
        "Assistant Attorney General Thomas E. Perez of the Civil Rights Division announced the settlement.",
    ),
    rel(
        "aag-2",
        "2010-03-05",
        "en",
        "The agreement was announced by Assistant Attorney General Thomas Perez of the Civil Rights Division.",
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("holders")
    build_index([write_jsonl(path / "releases.jsonl", RELEASES)], path / "index", workers=1)
    return path / "index"


@pytest.fixture(scope="module")
def client(index, make_app):
    app = make_app(index)
    app.test_client_class = ValidatingClient
    return app.test_client()


def cli_json(invoke, *args):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def holder(name, first, last, releases, acting=False):
    return {"name": name, "first_seen": first, "last_seen": last, "releases": releases, "acting": acting}


AG_HOLDERS = {
    "post": AG,
    "label": AG,
    "seats": "single",
    "holders": [
        holder("Loretta E. Lynch", "2015-06-01", "2016-03-01", 2),
        holder("Sally Q. Yates", "2017-01-25", "2017-01-25", 1, acting=True),
        holder("Jeff Sessions", "2017-03-01", "2017-06-01", 2),
    ],
}


# pressroom holders


@pytest.mark.parametrize(
    "alias",
    [
        AG,
        "Attorney General",
        "attorney general of the united states",
        "Fiscal General de Estados Unidos",
        "Acting Attorney General",
    ],
)
def test_holders_json_for_any_alias_in_either_language(invoke, index, alias):
    assert cli_json(invoke, "holders", alias, "--index", index, "--json") == AG_HOLDERS


def test_holders_labels_follow_the_interface_language_and_text_output(invoke, index):
    spanish = cli_json(invoke, "holders", "canciller", "--index", index, "--json", "--ui-lang", "es")
    assert spanish == {
        "post": SRE,
        "label": SRE,
        "seats": "single",
        "holders": [holder(EBRARD, "2019-03-01", "2019-06-01", 2)],
    }
    english = cli_json(invoke, "holders", "Secretary of Foreign Affairs", "--index", index, "--json")
    assert english["label"] == "Secretary of Foreign Affairs" and english["holders"] == spanish["holders"]
    text = invoke("holders", "Attorney General", "--index", index).stdout
    assert text.splitlines() == [
        f"{AG} (one holder at a time)",
        "  2015-06-01 to 2016-03-01  Loretta E. Lynch  (2 releases)",
        "  2017-01-25 to 2017-01-25  Sally Q. Yates  (acting, 1 release)",
        "  2017-03-01 to 2017-06-01  Jeff Sessions  (2 releases)",
    ]
    text = invoke("holders", "Attorney General", "--index", index, "--ui-lang", "es").stdout
    assert text.splitlines()[1:3] == [
        "  2015-06-01 a 2016-03-01  Loretta E. Lynch  (2 comunicados)",
        "  2017-01-25 a 2017-01-25  Sally Q. Yates  (interino, 1 comunicado)",
    ]
    assert "(un titular a la vez)" in text.splitlines()[0]
    unknown = invoke("holders", "Ministro de Magia", "--index", index, "--ui-lang", "es")
    assert unknown.exit_code == 1 and "ningún cargo se llama Ministro de Magia" in unknown.stderr


def test_a_post_held_twice_more_than_a_year_apart_has_a_row_per_term(invoke, index):
    data = cli_json(invoke, "holders", "Assistant U.S. Attorney", "--index", index, "--json")
    assert data["seats"] == "multi"
    assert data["holders"] == [
        holder("John T. Smith", "2010-01-10", "2010-02-10", 2),
        holder("John T. Smith", "2013-05-10", "2013-06-10", 2),
    ]


@pytest.mark.parametrize(
    ("command", "what", "message"),
    [
        ("holders", "Minister of Magic", "Error: no post named Minister of Magic"),
        ("official", "Nobody Atall", "Error: no official named Nobody Atall"),
    ],
)
def test_unknown_post_or_official_is_one_line_and_exit_1(invoke, index, command, what, message):
    result = invoke(command, what, "--index", index, "--json")
    assert result.exit_code == 1
    assert result.stdout == "" and result.stderr.strip() == message


# pressroom official


def months(first: str, last: str, counts: dict[str, int]) -> list[dict]:
    out, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out.append({"month": f"{y:04d}-{m:02d}", "count": counts.get(f"{y:04d}-{m:02d}", 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


EBRARD_PROFILE = {
    "name": EBRARD,
    "aliases": [],
    "posts": [
        {
            "role": SRE,
            "agency": "Secretaría de Relaciones Exteriores",
            "first_seen": "2019-03-01",
            "last_seen": "2019-06-01",
            "releases": 2,
        }
    ],
    "releases": 5,  # the undated one too
    "first_seen": "2019-03-01",
    "last_seen": "2021-09-01",
    "by_month": months("2019-03", "2021-09", {"2019-03": 1, "2019-04": 1, "2019-06": 1, "2021-09": 1}),
    "appears_with": [{"name": "Luis Cresencio Sandoval González", "count": 1}],
    "agencies": [
        {"value": "Secretaría de Relaciones Exteriores", "count": 2},
        {"value": "Secretaría de la Defensa Nacional", "count": 1},
    ],
}


def test_official_profile_json(invoke, index):
    assert cli_json(invoke, "official", "marcelo ebrard", "--index", index, "--json") == EBRARD_PROFILE
    perez = cli_json(invoke, "official", "Thomas Perez", "--index", index, "--json")
    assert (perez["name"], perez["aliases"]) == ("Thomas E. Perez", ["Thomas Perez"])
    assert perez["posts"] == [
        {
            "role": "Assistant Attorney General (United States)",
            "agency": "Civil Rights Division",
            "first_seen": "2010-01-05",
            "last_seen": "2010-03-05",
            "releases": 2,
        }
    ]


# the holder_of filter


def search_ids(invoke, index, *args) -> list[str]:
    data = cli_json(invoke, "search", "--index", index, "--json", "--per-page", "100", "--sort", "oldest", *args)
    return [h["id"] for h in data["hits"]]


def test_holder_of_finds_releases_naming_the_holder_of_their_date_even_without_the_post(invoke, index):
    # role: the post is written; holder_of: the holder of the release's date is named
    assert search_ids(invoke, index, "--role", "canciller") == ["sre-1", "sre-2"]
    assert search_ids(invoke, index, "--holder-of", "canciller") == ["sre-1", "sre-3", "sre-2"]
    # Ebrard in 2021 is past his last release in the post; the undated release never matches
    assert "sre-5" not in search_ids(invoke, index, "--holder-of", SRE) and "sre-9" not in search_ids(
        invoke, index, "--holder-of", SRE
    )
    assert search_ids(invoke, index, "--holder-of", "Attorney General", "--from", "2017") == [
        "ag-5",
        "ag-3",
        "ag-7",
        "ag-4",
    ]
    # Holder, named as a former holder in 2016, held nothing then
    assert "ag-6" not in search_ids(invoke, index, "--holder-of", "Attorney General")


def test_holder_of_is_echoed_counted_and_repeatable(invoke, index):
    data = cli_json(
        invoke,
        "search",
        "--index",
        index,
        "--json",
        "--holder-of",
        "canciller",
        "--holder-of",
        "Fiscal General de Estados Unidos",
    )
    assert data["filters"]["holder_of"] == [SRE, AG]
    assert data["total"] == 3 + 6  # values of one filter are OR'ed
    counts = {v["value"]: v["count"] for v in data["facets"]["holder_of"]}
    assert (counts[SRE], counts[AG]) == (3, 6)


def test_holder_of_as_a_url_parameter_and_in_the_feed(client):
    page = client.get("/api/search?holder_of=canciller&sort=oldest").get_json()
    assert [h["id"] for h in page["hits"]] == ["sre-1", "sre-3", "sre-2"] and page["filters"]["holder_of"] == [SRE]
    feed = feedparser.parse(client.get("/feed.atom?holder_of=canciller").data)
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == ["sre-2", "sre-3", "sre-1"]  # newest first


# pages and JSON


def test_aliases_and_spellings_redirect_to_the_canonical_url(client):
    cases = [
        ("/officials/marcelo%20ebrard?ui=es", f"/officials/{quote(EBRARD)}?ui=es"),
        ("/officials/Thomas%20Perez", "/officials/Thomas%20E.%20Perez"),
        ("/posts/canciller", f"/posts/{quote(SRE)}"),
        ("/posts/Acting%20Attorney%20General", f"/posts/{quote(AG, safe='()')}"),
        ("/api/officials/MARCELO%20EBRARD%20CASAUBON", f"/api/officials/{quote(EBRARD)}"),
        ("/api/posts/Secretary%20of%20Foreign%20Affairs", f"/api/posts/{quote(SRE)}"),
    ]
    for path, location in cases:
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (302, location), path
        if path.startswith("/api/"):  # an API client that does not follow redirects still reads JSON
            assert response.get_json() == {"location": location}, path


def test_json_routes_answer_what_the_cli_prints(client, invoke, index):
    assert client.get(f"/api/officials/{quote(EBRARD)}").get_json() == EBRARD_PROFILE
    assert client.get(f"/api/posts/{quote(AG, safe='()')}").get_json() == AG_HOLDERS
    assert client.get(f"/api/posts/{quote(SRE)}?ui=es").get_json() == cli_json(
        invoke, "holders", SRE, "--index", index, "--json", "--ui-lang", "es"
    )
    assert {"/api/officials/{name}", "/api/posts/{post}", "/export.popolo.json"} <= set(
        client.get("/api/openapi.json").get_json()["paths"]
    )
    assert f"200 /api/officials/{EBRARD}" in client.validated  # checked against the OpenAPI document


@pytest.mark.parametrize(
    "path",
    [
        "/officials/Nobody%20Atall",
        "/posts/Minister%20of%20Magic",
        "/api/officials/Nobody%20Atall",
        "/api/posts/Minister%20of%20Magic",
    ],
)
def test_unknown_names_and_posts_are_404_in_pressrooms_words(client, path):
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "not_found"
        assert re.fullmatch(
            r"Pressroom (has no official named|knows no holder of a post named) '.+'\.",
            response.get_json()["error"]["message"],
        )
    else:
        html = response.get_data(as_text=True)
        assert "Not found" in html and "Traceback" not in html


def test_profile_page_in_both_languages(client):
    for ui, heading, feed in [
        ("en", "Posts held", "Atom feed of their releases"),
        ("es", "Cargos ocupados", "Canal Atom de sus comunicados"),
    ]:
        html = client.get(f"/officials/{quote(EBRARD)}?ui={ui}").get_data(as_text=True)
        assert f'<html lang="{ui}">' in html and f">{heading}</h2>" in html and feed in html
        assert html.count('<rect class="term"') == 1 and html.count('<rect class="month"') == 31  # timeline and chart
        assert f'href="/posts/{quote(SRE)}?ui={ui}"' in html
        assert 'href="/feed.atom?official=Marcelo+Ebrard+Casaub%C3%B3n"' in html
        assert f'href="/officials/{quote("Luis Cresencio Sandoval González")}?ui={ui}"' in html  # named with


def test_post_page_links_holders_to_profiles_and_to_their_releases_in_the_post(client):
    html = client.get(f"/posts/{quote(AG, safe='()')}?ui=es").get_data(as_text=True)
    assert '<html lang="es">' in html and "Un titular a la vez" in html and "interino" in html
    assert html.count('<rect class="term"') == 3
    assert f'href="/officials/{quote("Sally Q. Yates")}?ui=es"' in html
    sessions = "/?ui=es&amp;official=Jeff+Sessions&amp;role=Attorney+General+%28United+States%29&amp;from=2017-03-01&amp;to=2017-06-01"
    assert f'href="{sessions}"' in html
    assert 'href="/feed.atom?holder_of=Attorney+General+%28United+States%29"' in html


def test_official_names_link_to_the_profile_from_hits_facets_and_release_pages(client):
    profile = f'href="/officials/{quote(EBRARD)}"'
    search = client.get("/?q=reuni%C3%B3n").get_data(as_text=True)
    assert search.count(profile) >= 2  # a hit's officials and the official facet
    assert profile in client.get("/release/sre-1").get_data(as_text=True)


# Popolo


def test_popolo_export_is_valid_and_the_same_from_cli_and_web(invoke, index, client):
    doc = cli_json(invoke, "export", "--index", index, "--popolo")
    assert popolo_errors(doc) == []
    assert client.get("/export.popolo.json").get_json() == doc
    sessions = next(p for p in doc["persons"] if p["name"] == "Jeff Sessions")
    ag_post = next(p for p in doc["posts"] if p["label"] == AG)
    mine = [m for m in doc["memberships"] if m["person_id"] == sessions["id"]]
    assert mine == [
        {
            "id": mine[0]["id"],
            "person_id": sessions["id"],
            "organization_id": ag_post["organization_id"],
            "post_id": ag_post["id"],
            "role": AG,
            "start_date": "2017-03-01",
            "end_date": "2017-06-01",
        }
    ]
    yates = next(m for m in doc["memberships"] if m["start_date"] == "2017-01-25")
    assert yates["role"] == f"Acting {AG}"
    perez = next(p for p in doc["persons"] if p["name"] == "Thomas E. Perez")
    assert perez["other_names"] == [{"name": "Thomas Perez"}]


def test_popolo_ids_are_stable_across_builds(index, tmp_path, invoke):
    again = tmp_path / "again"
    shutil.copytree(index.parent, again, ignore=shutil.ignore_patterns("index"))
    build_index([again / "releases.jsonl"], again / "index", workers=1)
    assert cli_json(invoke, "export", "--index", again / "index", "--popolo") == cli_json(
        invoke, "export", "--index", index, "--popolo"
    )


def test_a_long_list_of_holders_is_paged(client, monkeypatch):
    import webapp.tenure_views as views

    monkeypatch.setattr(views, "HOLDERS_PER_PAGE", 1)
    post = f"/posts/{quote(AG, safe='()')}"
    second = client.get(f"{post}?page=2").get_data(as_text=True)
    assert re.findall(r'class="holder"[^>]*>([^<]+)<', second) == ["Sally Q. Yates"]
    assert "Holders 2–2 of 3, oldest first" in second and f'href="{post}?page=3"' in second
    assert client.get(f"{post}?page=4").status_code == 404
    assert client.get(f"{post}?page=0").status_code == 400


def test_an_alias_of_two_governments_posts_filters_echoes_and_labels_one_post(sample_index):
    """``Attorney General`` names the US post and Mexico's Fiscal General de la República: the
    filter takes the one with the most releases, as /posts/ and ``holders`` do, so the echo, the
    chip's label and the selected facet value say the post whose releases are listed."""
    from indexer.search import Engine, SearchRequest

    with Engine(sample_index) as engine:
        for name in ("role", "holder_of"):
            page = engine.search(SearchRequest(**{name: ["Attorney General"]}, facet_size=100))
            assert page.filters[name] == ["Attorney General (United States)"]
            selected = [v.value for v in page.facets[name] if v.selected]
            assert selected == ["Attorney General (United States)"]
            us = engine.search(SearchRequest(**{name: ["Attorney General (United States)"]}))
            assert page.total == us.total and [h.id for h in page.hits] == [h.id for h in us.hits]
