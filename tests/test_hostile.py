"""Hold under attack: queries that would read the whole index, records built to crash a build,
and hostile text in links, spreadsheets, feeds and terminals.

Each test here failed before the fix it guards (see the hardening issue): wildcards and ranges
expanded over every word, one record aborted a build, ``javascript:`` URLs were links, the 404
page linked off-site, control characters reached CSV cells and broke the Atom feed.
"""

from __future__ import annotations

import csv
import io
import json
import os
from xml.etree import ElementTree as ET

import pytest

import indexer.search.expansion as expansion
from indexer.build import build_index
from indexer.search import Engine, SearchRequest
from indexer.search.query import parse_query
from indexer.sources import Rejection, Release, read_releases

from .conftest import REAL, write_jsonl
from .test_escaping import Elements

# Queries ------------------------------------------------------------------------------------


@pytest.fixture()
def client(built_index, make_app):
    return make_app(built_index).test_client()


@pytest.mark.parametrize("query", ["*a*", "?ecurity", "body:*raud", "fraud *ud"])
def test_a_leading_wildcard_is_refused_as_too_broad(client, query):
    r = client.get("/api/search", query_string={"q": query})
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["code"] == "query_too_broad" and error["param"] == "q" and "wildcard" in error["message"]
    page = client.get("/", query_string={"q": query})
    assert page.status_code == 400 and "wildcard" in page.get_data(as_text=True)


def test_a_pattern_past_the_expansion_cap_is_refused(client, monkeypatch):
    monkeypatch.setattr(expansion, "MAX_EXPANSIONS", 40)
    assert client.get("/api/search?q=secret*").status_code == 200  # a few words: fine
    r = client.get("/api/search?q=s*")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "query_too_broad"
    assert "more than 40 words" in r.get_json()["error"]["message"]


def test_the_cli_refuses_a_broad_query_with_exit_2(invoke, built_index):
    result = invoke("search", "*a*", "--index", built_index)
    assert result.exit_code == 2 and "starts with a wildcard" in result.stderr


@pytest.mark.parametrize("query", ["[a TO z]", "content:[a TO zzzz]", "title:{a TO m]"])
def test_range_syntax_is_off_and_searched_as_words(query):
    q = parse_query(query)
    assert q is not None and not any("Range" in type(leaf).__name__ for leaf in q.leaves())


def test_a_query_over_its_time_budget_answers_503_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(expansion, "QUERY_BUDGET_SECONDS", 0.0)
    r = client.get("/api/search?q=fraud")
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert r.get_json()["error"]["code"] == "timeout"
    page = client.get("/?q=fraud")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert client.get("/api/search").status_code == 200  # browsing evaluates no words


# Records that used to abort a build -----------------------------------------------------------

#: Raw .jsonl lines: each is valid JSON text that used to crash the reader, the checksum, the
#: index writer or the hand-off to worker processes.
HOSTILE_LINES = [
    ("surrogate in an unknown field", '{"id": "s1", "body": "Fraud.", "note": "\\ud800"}', "lone surrogate"),
    ("surrogate in the body", '{"id": "s2", "body": "Fraud \\udfff case."}', "lone surrogate"),
    ("4,301-digit integer", '{"id": "big", "body": "Fraud.", "n": ' + "9" * 4301 + "}", "malformed JSON"),
    ("nesting 600 deep", '{"id": "deep", "body": "Fraud.", "x": ' + "[" * 600 + "]" * 600 + "}", "nested deeper"),
    ("nesting 990 deep", '{"id": "deeper", "body": "Fraud.", "x": ' + '{"a":' * 990 + "1" + "}" * 990 + "}", "nested"),
]


@pytest.mark.parametrize("workers", [1, 2])
def test_one_bad_record_is_rejected_and_every_other_is_indexed(tmp_path, workers):
    good = [json.dumps(dict(r, id=f"good-{i}"), ensure_ascii=False) for i, r in enumerate(REAL[:4])]
    lines = [good[0], *[line for _, line, _ in HOSTILE_LINES], good[1], '{"id": "nan", "body": "Fraud.", "v": NaN}']
    lines += good[2:]
    src = tmp_path / "hostile.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build_index([src], tmp_path / "ix", workers=workers)
    assert report.indexed == 5 and report.rejected == len(HOSTILE_LINES)
    by_line = {r.line: r.reason for r in report.rejects}
    for n, (_what, _line, reason) in enumerate(HOSTILE_LINES, start=2):
        assert reason in by_line[n], (n, by_line)
    with Engine(tmp_path / "ix") as engine:
        nan = engine.release("nan")
        assert nan["extra"] == {"v": None}  # NaN is not JSON: kept as null


def test_nan_and_infinity_never_reach_the_api_as_invalid_json(tmp_path, make_app):
    src = tmp_path / "nan.jsonl"
    src.write_text('{"id": "nan", "body": "Fraud.", "a": NaN, "b": [Infinity, -Infinity]}\n', encoding="utf-8")
    build_index([src], tmp_path / "ix", workers=1)
    client = make_app(tmp_path / "ix").test_client()
    for path in ("/api/releases/nan", "/export.json", "/api/search?q=fraud"):
        text = client.get(path).get_data(as_text=True)
        json.loads(text, parse_constant=lambda c, path=path: pytest.fail(f"{path} holds {c}"))


def test_a_record_that_crashes_extraction_is_rejected_not_the_build(tmp_path, monkeypatch):
    import indexer.documents as documents

    original = documents.extract_entities

    def fragile(title, body, *args, **kwargs):
        if "EXPLODE" in body:
            raise RuntimeError("boom")
        return original(title, body, *args, **kwargs)

    monkeypatch.setattr(documents, "extract_entities", fragile)
    src = write_jsonl(tmp_path / "r.jsonl", [dict(REAL[0], id="ok"), {"id": "bad", "body": "EXPLODE here."}])
    report = build_index([src], tmp_path / "ix", workers=1)
    assert (report.indexed, report.rejected) == (1, 1)
    assert report.rejects[0].line == 2 and "RuntimeError: boom" in report.rejects[0].reason


def test_fields_and_words_past_their_limits_are_cut_and_reported(tmp_path, invoke):
    from indexer.text import MAX_BODY_CHARS, MAX_WORD_CHARS

    long_word = "a" * 5000
    records = [
        {"id": "word", "title": "Long word", "body": f"Fraud {long_word} charges."},
        {"id": "body", "title": "Long body", "body": "Fraud charges. " * (MAX_BODY_CHARS // 15 + 1000)},
    ]
    src = write_jsonl(tmp_path / "long.jsonl", records)
    result = invoke("build", src, "--index", tmp_path / "ix", "--json", "--workers", "1")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["truncated"] == 2
    assert f"note: {src}:1: body: 1 word(s) cut at {MAX_WORD_CHARS} characters" in result.stderr
    assert f"note: {src}:2: body cut at {MAX_BODY_CHARS} characters" in result.stderr
    with Engine(tmp_path / "ix") as engine:
        assert "a" * MAX_WORD_CHARS + " charges" in engine.release("word")["body"]
        assert len(engine.release("body")["body"]) <= MAX_BODY_CHARS


def test_when_nothing_is_indexable_every_rejection_is_still_printed(tmp_path, invoke):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    result = invoke("build", src, "--index", tmp_path / "ix", "--json")
    assert result.exit_code == 4
    assert f"rejected {src}:1: missing body" in result.stderr
    assert f"rejected {src}:2: malformed JSON" in result.stderr
    assert json.loads(result.stdout.splitlines()[0])["rejected"] == 2


def test_symbolic_links_out_of_a_source_folder_are_not_read(tmp_path, invoke):
    outside = write_jsonl(tmp_path / "outside.jsonl", [dict(REAL[0], id="outside")])
    folder = tmp_path / "src"
    folder.mkdir()
    write_jsonl(folder / "inside.jsonl", [dict(REAL[1], id="inside")])
    (folder / "link.jsonl").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "linked-folder").symlink_to(tmp_path, target_is_directory=True)
    items = list(read_releases([folder]))
    assert [r.id for r in items if isinstance(r, Release)] == ["inside"]
    rejected = {os.path.basename(r.path): r.reason for r in items if isinstance(r, Rejection)}
    assert set(rejected) == {"link.jsonl", "passwd.txt", "linked-folder"}
    assert all("--follow-links" in reason for reason in rejected.values())
    followed = [r.id for r in read_releases([folder], follow_links=True) if isinstance(r, Release)]
    assert "outside" in followed


def test_direction_overrides_are_stripped_from_titles(tmp_path):
    src = write_jsonl(tmp_path / "r.jsonl", [{"id": "rlo", "title": "Invoice \u202efdp.exe", "body": "Fraud."}])
    (release,) = list(read_releases([src]))
    assert release.title == "Invoice fdp.exe"


# Pages, exports, feeds -------------------------------------------------------------------------

HOSTILE_RELEASES = [
    {"id": "js-1", "title": "Script link", "body": "Fraud case one.", "url": "javascript:alert(1)"},
    {"id": "js-2", "title": "Tab link", "body": "Fraud case two.", "url": " java\tscript:alert(2)"},
    {"id": "js-3", "title": "Data link", "body": "Fraud case three.", "url": "data:text/html,<script>x</script>"},
    {"id": "ok-1", "title": "Real link", "body": "Fraud case four.", "url": "https://www.justice.gov/opa/pr/x"},
    {
        "id": "ctl-1",
        "title": "Control \x01 title \ufffe",
        "body": "Fraud with \x02 control \uffff characters.",
        "agency": "\u0000=2+2",
        "topics": ["\u0000@SUM(A1)"],
        "url": "\x00=HYPERLINK(1)",
    },
]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory, make_app):
    root = tmp_path_factory.mktemp("hostile-pages")
    build_index([write_jsonl(root / "h.jsonl", HOSTILE_RELEASES)], root / "ix", workers=1)
    return make_app(root / "ix").test_client()


@pytest.mark.parametrize("release_id", ["js-1", "js-2", "js-3"])
def test_only_http_urls_become_links(hostile_client, release_id):
    html = hostile_client.get(f"/release/{release_id}").get_data(as_text=True)
    hrefs = [attrs.get("href", "") for tag, attrs in Elements(html).found if tag == "a"]
    assert not [h for h in hrefs if "script" in h.lower() or h.lower().startswith("data:")], hrefs
    assert "alert(" in html or "data:text" in html  # still shown, as text


def test_an_http_url_is_a_link(hostile_client):
    html = hostile_client.get("/release/ok-1").get_data(as_text=True)
    assert '<a href="https://www.justice.gov/opa/pr/x" rel="noopener noreferrer">' in html


def test_links_built_from_the_request_path_stay_on_the_site(hostile_client):
    r = hostile_client.get("/%5Cevil.example/login")
    assert r.status_code == 404
    hrefs = [attrs.get("href", "") for tag, attrs in Elements(r.get_data(as_text=True)).found if tag == "a"]
    assert hrefs and all(h.startswith(("/", "#")) and not h.startswith(("//", "/\\")) for h in hrefs), hrefs
    assert "/?ui=es" in hrefs  # the language switch, from url_for, not from the requested path


def test_every_csv_field_is_cleaned_then_neutralised(hostile_client):
    body = hostile_client.get("/export.csv?q=control").get_data(as_text=True).lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["publisher"] == "'=2+2" and row["topics"] == "'@SUM(A1)" and row["url"] == "'=HYPERLINK(1)"
    assert not any(ch in value for value in row.values() for ch in "\x00\x01\x02")


def test_the_csv_serializer_cleans_cells_whatever_the_index_holds():
    """An index built by an older Pressroom may hold control characters: the export cleans too."""
    from webapp.exports import csv_stream

    record = {"id": "x", "title": "\x00=1+1", "url": "\t=HYPERLINK(1)", "publisher": " @SUM(A1)", "topics": ["\r+1"]}
    (row,) = list(csv.DictReader(io.StringIO("".join(csv_stream([record])).lstrip("\ufeff"))))
    assert (row["title"], row["url"], row["publisher"], row["topics"]) == (
        "'=1+1",
        "'=HYPERLINK(1)",
        "' @SUM(A1)",
        "'+1",
    )


@pytest.mark.parametrize("query", ["", "q=%01", "q=control", "agency=%01%EF%BF%BE"])
def test_every_feed_is_well_formed_xml(hostile_client, query):
    r = hostile_client.get(f"/feed.atom?{query}")
    assert r.status_code == 200
    ET.fromstring(r.get_data())  # the standard library's parser refuses any character XML forbids


def test_feed_links_use_the_configured_base_url_not_the_host_header(built_index, make_app):
    app = make_app(built_index, BASE_URL="https://press.example.org")
    feed = app.test_client().get("/feed.atom?q=fraud", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in feed and "https://press.example.org/release/" in feed


@pytest.mark.parametrize("path", ["/facets//agency", "/release//doj-opa-12613", "/api//search"])
def test_no_redirect_is_built_from_a_spoofed_host(client, path):
    """Werkzeug redirected "//" paths to a Location on the Host header's host; now they are 404."""
    r = client.get("/", environ_overrides={"PATH_INFO": path}, headers={"Host": "evil.example"})
    assert r.status_code == 404 and "Location" not in r.headers


def test_a_huge_release_marks_at_most_the_first_thousand_matches(tmp_path):
    from indexer.search.engine import MAX_MARKS

    src = write_jsonl(tmp_path / "r.jsonl", [{"id": "huge", "title": "Huge", "body": "fraud " * 200_000}])
    build_index([src], tmp_path / "ix", workers=1)
    with Engine(tmp_path / "ix") as engine:
        record = engine.release("huge", "fraud")
        assert record["matches"] == MAX_MARKS and record["more_matches"] is True
        assert record["body_html"].count("<mark") == MAX_MARKS


def test_the_cli_never_prints_raw_control_characters(tmp_path, invoke):
    src = write_jsonl(tmp_path / "r.jsonl", [{"id": "esc", "title": "Title \x1b[2J wiped", "body": "Fraud \x1b]0;x"}])
    build_index([src], tmp_path / "ix", workers=1)
    # Stored text is cleaned on the way in; an index from elsewhere may still hold escapes.
    with Engine(tmp_path / "ix") as engine:
        assert "\x1b" not in engine.release("esc")["title"]
    out = invoke("search", "fraud", "--index", tmp_path / "ix").stdout
    assert "\x1b" not in out


def test_search_page_for_a_query_of_control_characters(client):
    assert client.get("/?q=%01%02%1b").status_code == 200
    assert client.get("/api/search", query_string={"q": "\x1b[2J"}).status_code == 200


@pytest.mark.parametrize("path", ["/officials/a%1bb%07c", "/posts/%00x", "/release/%1b%5B2J", "/api/officials/a%07b"])
def test_a_404_never_echoes_raw_control_characters(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert not any(c in text for c in "\x00\x07\x1b")
    assert "\\x" in text  # shown as an escape


def test_engine_search_accepts_any_query_text(engine):
    for text in ["\x00", "*" * 5, "a" * 500, "((((", '"""', "NOT", "AND OR NOT", "title:", ":"]:
        try:
            engine.search(SearchRequest(query=text))
        except expansion.QueryTooBroadError:
            pass
