"""The Flask app through its test client: pages, API (validated against the OpenAPI document),
exports, feed, errors, escaping and both interface languages."""

from __future__ import annotations

import csv
import html as html_module
import io
import json
import re

import feedparser
import pytest
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

from indexer.build import build_index
from indexer.search import SearchRequest
from webapp.openapi import openapi_spec

from .conftest import DATA, REAL, write_jsonl

SEED = "000_5da1fa392d2f8c78"


class ValidatingClient(FlaskClient):
    """A test client that checks every API response it receives against /api/openapi.json
    (raising on any mismatch) and keeps a list of what it checked."""

    openapi = OpenAPI.from_dict(openapi_spec())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validated: list[str] = []

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        path = response.request.path
        if path.startswith("/api/") or path in ("/export.csv", "/export.json", "/feed.atom"):
            if path.startswith("/api/"):
                response.get_data()  # consume a streamed body before validation
            self.openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
            self.validated.append(f"{response.status_code} {path}")
        return response


@pytest.fixture(scope="module")
def app(built_index, make_app):
    app = make_app(built_index)
    app.test_client_class = ValidatingClient
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


# Search page


def test_search_page_shows_count_hits_snippets_and_facets(client):
    r = client.get("/?q=Sanchez+Cordero")
    html = text(r)
    assert r.status_code == 200
    assert "2 releases" in html
    assert f'href="/release/{SEED}?q=Sanchez%20Cordero#m1"' in html
    assert "<mark>Sánchez</mark> <mark>Cordero</mark>" in html
    for facet in ("Agency", "Official", "Post", "Language", "Year"):
        assert f">{facet}</h3>" in html
    assert 'href="/?official=Marcelo+Ebrard+Casaub%C3%B3n"' in html  # officials link to a filtered search


def test_two_agencies_selected_keep_other_counts_and_show_chips(client, engine):
    r = client.get("/?agency=Criminal+Division&agency=Tax+Division&year=2009")
    html = text(r)
    assert "4 releases" in html
    chips = re.findall(r'<a class="chip" href="([^"]+)"', html)
    assert len(chips) == 3
    # removing the Tax Division chip keeps Criminal Division and the year
    tax_chip = next(h for h in chips if "Tax" not in h.replace("&amp;", "&").split("?")[1])
    assert "agency=Criminal+Division" in tax_chip and "year=2009" in tax_chip
    assert 'class="chip clear" href="/"' in html
    # the agency facet still lists other agencies with their counts (the year filter applied)
    page = engine.search(SearchRequest(agency=["Criminal Division", "Tax Division"], year=["2009"]))
    civil = next(v for v in page.facets["agency"] if v.value == "Civil Rights Division")
    assert civil.count == 2 and not civil.selected
    assert re.search(r'Civil Rights Division</span>\s*<span class="count">2</span>', html)


def test_facet_toggle_links_add_and_remove_values(client):
    html = text(client.get("/?agency=Criminal+Division&facet_size=50"))
    hrefs = links(html)
    assert "/?agency=Criminal+Division&agency=Tax+Division&facet_size=50" in hrefs  # select another (OR)
    assert "/?facet_size=50" in hrefs  # unselect the only one


def test_sort_and_pagination_links(client):
    html = text(client.get("/?per_page=5&page=2"))
    hrefs = links(html)
    assert "/?per_page=5" in hrefs and "/?per_page=5&page=3" in hrefs  # previous, next
    assert "/?per_page=5&sort=oldest" in hrefs
    assert 'aria-current="page">2<' in html


def test_did_you_mean_links_the_corrected_query(client):
    html = text(client.get("/?q=goverment"))
    assert 'href="/?q=government"' in html


def test_facet_values_page_narrows_by_prefix(client):
    r = client.get("/facets/official?prefix=sanchez&q=security")
    html = text(r)
    assert r.status_code == 200
    assert "Olga Sánchez Cordero Dávila" in html and "Marcelo Ebrard" not in html
    assert 'href="/?q=security&amp;official=Olga+S%C3%A1nchez+Cordero+D%C3%A1vila"' in html


def test_help_page(client):
    assert "Query syntax" in text(client.get("/help"))
    assert "Sintaxis de búsqueda" in text(client.get("/help?ui=es"))


# Release page


def test_release_page_numbers_matches_and_links_officials(client):
    r = client.get(f"/release/{SEED}?q=Dur%C3%A1n+OR+Ebrard")
    html = text(r)
    assert r.status_code == 200
    assert '<mark id="m1">Ebrard</mark>' in html and '<mark id="m2">Durán</mark>' in html
    assert 'href="#m1"' in html and 'href="#m2"' in html
    assert 'href="/?official=Luis+Cresencio+Sandoval+Gonz%C3%A1lez"' in html
    assert 'href="/?role=Secretario+de+la+Defensa+Nacional"' in html
    assert '<span class="rank">General</span>' in html
    assert 'href="/release/gobmx_seed_en"' in html  # related: the same text as a saved page


@pytest.mark.parametrize(
    "query, title",
    [
        (
            "/?q=Sanchez+Cordero&agency=SEDENA",
            "Sanchez Cordero · Agency: Ministry of National Defense (SEDENA) — Pressroom",
        ),
        ("/?agency=SEDENA&ui=es", "Dependencia: Secretaría de la Defensa Nacional (SEDENA) — Pressroom"),
        ("/", "Pressroom"),
    ],
)
def test_page_titles_say_the_search(client, query, title):
    found = re.search(r"<title>(.*?)</title>", text(client.get(query))).group(1)
    assert html_module.unescape(found) == title


def test_errors_and_warnings_in_the_interface_language(client):
    r = client.get("/api/search?q=x&from=2020-06&to=2019&ui=es")
    assert r.status_code == 400
    assert r.get_json()["error"] == {
        "code": "bad_request",
        "message": "'from' (2020-06-01) es posterior a 'to' (2019-12-31)",
        "param": "from",
    }
    page = html_module.unescape(text(client.get("/?q=x&page=0&ui=es")))
    assert "Solicitud no válida" in page and "'page' debe ser 1 o más" in page
    assert "'page' must be 1 or more" in html_module.unescape(text(client.get("/?q=x&page=0")))
    warned = client.get("/api/search?agency=Nadie&ui=es").get_json()["warnings"]
    assert warned == [{"param": "agency", "value": "Nadie", "message": "ningún comunicado tiene dependencia 'Nadie'"}]
    assert "ningún comunicado tiene dependencia" in text(client.get("/?agency=Nadie&ui=es"))
    broad = client.get("/api/search?q=*ab&ui=es").get_json()["error"]
    assert broad["code"] == "query_too_broad" and "empieza con un comodín" in broad["message"]


def test_publisher_facet_page_and_api(client):
    page = text(client.get("/facets/publisher"))
    assert "U.S. Department of Justice" in page
    data = client.get("/api/facets/publisher").get_json()
    values = {v["value"]: v["count"] for v in data["values"]}
    assert data["facet"] == "publisher" and values["U.S. Department of Justice"] >= 10


def test_release_page_shows_what_a_reader_can_use(tmp_path, make_app):
    """Images as links where they can be (absolute, or relative to the release's own URL), the
    original URL, the language by name, the publisher as a filter, the id as published; never the
    file it was read from."""
    doj = next(r for r in REAL if r["id"] == "doj-opa-12613")
    records = [
        {**doj, "id": "Comunicado 12/2019", "images": ["https://www.justice.gov/a/seal.jpg", "img/chart.png"]},
        {**doj, "id": "no-url", "url": None, "images": ["/cms/uploads/photo%201.jpeg"]},
    ]
    build_index([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix", workers=1)
    client = make_app(tmp_path / "ix").test_client()
    html = text(client.get("/release/Comunicado~2012~2F2019?ui=es"))
    assert '<a href="https://www.justice.gov/a/seal.jpg" rel="noopener noreferrer">seal.jpg</a>' in html
    base = doj["url"].rsplit("/", 1)[0]
    assert f'<a href="{base}/img/chart.png" rel="noopener noreferrer">chart.png</a>' in html
    assert f'href="{doj["url"]}"' in html  # the original
    assert ">inglés<" in html and "<dd>en</dd>" not in html
    assert 'href="/?publisher=U.S.+Department+of+Justice' in html
    assert "<code>Comunicado 12/2019</code>" in html
    assert str(tmp_path) not in html and "r.jsonl" not in html and doj["source"] not in html
    html = text(client.get("/release/no-url"))
    assert "<li>photo 1.jpeg</li>" in html  # no address to resolve it against: the name, no link
    assert "Id as published" not in html  # its id is its URL id


def test_unknown_and_traversing_ids_are_404(client):
    assert client.get("/release/no-such-id").status_code == 404
    assert client.get("/release/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/static/..%2F..%2Findexer%2Fbuild.py").status_code == 404
    assert client.get("/api/releases/no-such-id").status_code == 404


# API


def test_api_search_is_the_engine_contract(client, engine):
    r = client.get("/api/search?q=Sanchez+Cordero&agency=SEDENA")
    assert r.status_code == 200
    assert r.get_json() == engine.search(SearchRequest(query="Sanchez Cordero", agency=["SEDENA"])).as_dict()


def test_api_release_has_body_images_extra_source_related(client):
    data = client.get(f"/api/releases/{SEED}").get_json()
    assert data["images"] == ["/cms/uploads/image/file/556990/WhatsApp_Image_2020-01-16_at_3.59.02_PM.jpeg"]
    assert data["date_inferred"] is True and len(data["officials"]) == 18
    assert data["related"][0] == {
        "id": "gobmx_seed_en",
        "title": "Meeting on security between Mexican and US authorities",
    }
    doj = client.get("/api/releases/doj-opa-12613").get_json()
    assert doj["extra"]["pr_number"] == "09-083" and doj["source"].startswith("lennymd/")


def test_api_facets(client):
    data = client.get("/api/facets/official?prefix=SANCHEZ").get_json()
    assert [v["value"] for v in data["values"]] == ["Olga Sánchez Cordero Dávila"]
    assert client.get("/api/facets/nonsense").status_code == 400


@pytest.mark.parametrize(
    "query, param",
    [
        ("page=0", "page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("q=" + "x" * 501, "q"),
        ("page=abc", "page"),
        ("from=2020-13", "from"),
        ("to=%C2%85", "to"),  # only spaces and tabs are trimmed, as the OpenAPI pattern says
        ("from=2020-06&to=2019", "from"),
        ("sort=best", "sort"),
    ],
)
def test_api_400_errors_name_the_parameter(client, query, param):
    r = client.get(f"/api/search?{query}")
    assert r.status_code == 400
    assert r.get_json()["error"]["param"] == param and r.get_json()["error"]["code"] == "bad_request"
    page = client.get(f"/?{query}")
    assert page.status_code == 400 and "<html" in text(page) and "Traceback" not in text(page)


def test_page_past_the_end_is_200_and_empty(client):
    data = client.get("/api/search?page=50").get_json()
    assert data["hits"] == [] and data["total"] == 22
    # the page's "previous" link goes back to the last page with results, not to page 49
    html = client.get("/?page=50&per_page=10").get_data(as_text=True)
    previous = re.search(r'<a[^>]*rel="prev"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*rel="prev"', html)
    assert previous is not None
    href = (previous.group(1) or previous.group(2)).replace("&amp;", "&")
    assert "page=3" in href and "page=49" not in href


def test_openapi_document_is_valid_and_describes_every_api_route(client, app):
    from openapi_spec_validator import validate

    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    routes = {
        re.sub(r"<\w+:", "<", r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith(("/api/", "/export", "/feed"))
    }
    documented = {re.sub(r"\{(\w+)\}", r"<\1>", p) for p in spec["paths"]}
    assert routes == documented


# Exports and feed


def test_csv_export_streams_with_bom_and_list_fields(client):
    r = client.get("/export.csv?agency=SEDENA")
    assert r.is_streamed and r.mimetype == "text/csv"
    body = r.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [row["id"] for row in rows] == [SEED, "gobmx_seed_en", "mx-presidencia-ve-2019-04-26"]
    assert "Secretaría de la Defensa Nacional; " in rows[0]["agencies"] or rows[0]["agencies"].endswith(
        "Secretaría de la Defensa Nacional"
    )
    assert r.headers["X-Pressroom-Truncated"] == "false"


def test_json_export_and_truncation_header(client, monkeypatch):
    import webapp.views as views

    data = json.loads(client.get("/export.json?q=indicted").get_data(as_text=True))
    assert len(data) == 6 and set(data[0]) == {
        "id",
        "title",
        "date",
        "url",
        "lang",
        "publisher",
        "agencies",
        "officials",
        "roles",
        "topics",
    }
    monkeypatch.setattr(views, "MAX_EXPORT", 2)
    r = client.get("/export.json?q=indicted")
    assert r.headers["X-Pressroom-Truncated"] == "true" and len(json.loads(r.get_data(as_text=True))) == 2


def test_formula_cells_are_neutralised(tmp_path, make_app):
    src = tmp_path / "f.jsonl"
    src.write_text(
        json.dumps(
            {
                "id": "formula",
                "title": '=HYPERLINK("http://x")',
                "body": "-2+3 is a body, not a formula.",
                "agency": "@SUM(A1)",
            }
        )
        + "\n"
    )
    build_index([src], tmp_path / "ix", workers=1)
    app = make_app(tmp_path / "ix")
    rows = list(csv.reader(io.StringIO(app.test_client().get("/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x")' and rows[1][5] == "'@SUM(A1)"


def test_atom_feed_of_a_search(client):
    r = client.get("/feed.atom?official=Olga+S%C3%A1nchez+Cordero+D%C3%A1vila")
    feed = feedparser.parse(r.get_data())
    assert feed.bozo == 0
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == [SEED, "gobmx_seed_en"]
    assert feed.feed.title == "Pressroom: Official: Olga Sánchez Cordero Dávila"  # no stray separator without a query
    # titled with the filter as it resolved (an alias typed, the post's label shown), as the page is
    feed = feedparser.parse(client.get("/feed.atom?holder_of=canciller&ui=es").get_data())
    assert feed.feed.title == "Pressroom: Titular de: Secretario de Relaciones Exteriores"
    html = text(client.get("/?q=Nieto"))
    assert 'type="application/atom+xml"' in html and 'href="/feed.atom?q=Nieto"' in html


# Errors, escaping, languages


def test_missing_index_is_503_with_the_command(tmp_path, make_app):
    app = make_app(tmp_path / "none")
    c = app.test_client()
    page = c.get("/")
    assert page.status_code == 503 and "pressroom build samples/ --index" in text(page)
    api = c.get("/api/search")
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "no_index"


def test_an_empty_index_is_503_too(tmp_path, make_app):
    build_index([DATA / "seed"], tmp_path / "ix", workers=1)
    from indexer.build import delete_releases

    delete_releases([SEED], tmp_path / "ix")
    c = make_app(tmp_path / "ix").test_client()
    page = c.get("/")
    assert page.status_code == 503 and "pressroom build samples/ --index" in text(page)
    assert c.get("/api/search?q=x").status_code == 503


def test_a_reflected_query_is_escaped(client):
    """The query is shown back in the search box, the title and the count: never as markup
    (stored hostile text is covered by tests/test_escaping.py)."""
    from .test_escaping import Elements

    html = text(client.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg+src%3Dx+onerror%3Dalert(2)%3E"))
    elements = Elements(html).found
    assert [tag for tag, _ in elements if tag in ("img", "script")] == ["script"]  # ours only
    assert "&lt;script&gt;alert(1)" in html


def test_errors_never_show_a_stack_trace(client, app, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(app.extensions["pressroom.engine"], "search", boom)
    r = client.get("/?q=x")
    assert r.status_code == 500 and "kaboom" not in text(r) and "Traceback" not in text(r)
    r = client.get("/api/search?q=x")
    assert r.status_code == 500 and r.get_json()["error"]["code"] == "internal_error"


def test_interface_language_from_accept_language_and_switch(client):
    es = text(client.get("/?q=Nieto", headers={"Accept-Language": "es-MX,es;q=0.9"}))
    assert '<html lang="es">' in es and "Dependencia" in es and "Ministry of National Defense" not in es
    assert 'href="/?q=Nieto&amp;ui=en"' in es  # the switch keeps the search
    en = text(client.get("/?q=Nieto&ui=en", headers={"Accept-Language": "es"}))
    assert '<html lang="en">' in en and ">Agency</h3>" in en
    labels = client.get("/api/search?agency=SEDENA", headers={"Accept-Language": "es"}).get_json()["facets"]["agency"]
    assert {v["value"]: v["label"] for v in labels}[
        "Secretaría de la Defensa Nacional"
    ] == "Secretaría de la Defensa Nacional (SEDENA)"


def test_rate_limit_answers_429_with_retry_after(built_index, make_app):
    app = make_app(built_index, RATE_LIMIT="5 per minute")
    app.test_client_class = ValidatingClient
    c = app.test_client()
    statuses = [c.get("/api/search?q=Nieto").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    r = c.get("/api/search?q=Nieto")
    assert r.get_json()["error"]["code"] == "too_many_requests" and int(r.headers["Retry-After"]) > 0
    assert c.get("/").status_code == 429 and "Traceback" not in text(c.get("/"))
    assert c.get("/healthz").status_code == 200  # health checks are never limited


def test_retry_after_is_only_on_429_and_timeouts(client):
    for path in ("/", "/api/search?q=fraud", "/release/no-such", "/api/search?page=0", "/help"):
        assert "Retry-After" not in client.get(path).headers, path


def test_default_rate_limit_is_one_no_single_user_reaches():
    from webapp import DEFAULT_RATE_LIMIT

    count, _, unit = DEFAULT_RATE_LIMIT.partition(" per ")
    assert unit == "minute" and int(count) >= 1200


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Referrer-Policy"] == "same-origin"
    html = text(r)
    assert "<script>" not in html and re.search(r'<script src="/static/pressroom.js" nonce="[^"]+" defer>', html)


def test_api_responses_of_every_kind_are_validated(client):
    """The client the tests use checks 200, 400 and 404 answers against the OpenAPI document."""
    client.get("/api/search?q=fraud")
    client.get("/api/search?page=0")
    client.get("/api/releases/no-such-release")
    client.get("/api/facets/official?prefix=sanchez")
    assert client.validated == [
        "200 /api/search",
        "400 /api/search",
        "404 /api/releases/no-such-release",
        "200 /api/facets/official",
    ]


def test_the_validating_client_rejects_a_response_outside_the_document(client, monkeypatch):
    """A response missing a required key fails the check, so a passing check means something."""
    from openapi_core.validation.response.exceptions import ResponseValidationError

    from indexer.search import SearchPage

    original = SearchPage.as_dict
    monkeypatch.setattr(SearchPage, "as_dict", lambda page: {k: v for k, v in original(page).items() if k != "total"})
    with pytest.raises(ResponseValidationError):
        client.get("/api/search?q=fraud")


def test_any_given_id_is_served_by_its_url_id_and_by_itself(tmp_path, make_app, invoke):
    from urllib.parse import quote

    from .test_sources import GIVEN_IDS

    src = tmp_path / "ids.jsonl"
    src.write_text(
        "".join(json.dumps({"id": g, "body": f"Release number {n}."}) + "\n" for n, g in enumerate(GIVEN_IDS))
    )
    build_index([src], tmp_path / "ix", workers=1)
    client = make_app(tmp_path / "ix").test_client()
    url_ids = {h["source_id"]: h["id"] for h in client.get("/api/search?per_page=100").get_json()["hits"]}
    assert set(url_ids) == set(GIVEN_IDS)
    for given, url_id in url_ids.items():
        by_url = client.get(f"/api/releases/{url_id}")
        assert by_url.status_code == 200 and by_url.get_json()["source_id"] == given
        assert client.get(f"/release/{url_id}").status_code == 200
        if "~" not in given:  # a given id that reads as another release's URL id names that release
            by_given = client.get("/api/releases/" + quote(given, safe=""))
            assert by_given.status_code == 200 and by_given.get_json()["source_id"] == given
    # the CLI deletes by either form too
    assert invoke("delete", "a/b", "--index", tmp_path / "ix").exit_code == 0
    assert invoke("delete", url_ids["a~2Fb"], "--index", tmp_path / "ix").exit_code == 0
    left = {h["source_id"] for h in client.get("/api/search?per_page=100").get_json()["hits"]}
    assert "a/b" not in left and "a~2Fb" not in left and "a-b" in left


def test_one_release_is_singular_in_the_timeline_and_month_bars():
    from webapp.i18n import translate

    assert translate("timeline_bar", "en", period="2010", n=1) == "2010: 1 release"
    assert translate("timeline_bar", "es", period="2010", n=1) == "2010: 1 comunicado"
    assert translate("timeline_bar", "en", period="2010", n=2) == "2010: 2 releases"
    assert translate("month_bar", "es", month="2019-01", n=1) == "2019-01: 1 comunicado"
