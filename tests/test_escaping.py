"""Hostile release text never becomes markup: snippets, the marked body and every page escape it.

The releases below carry script tags and event handlers in their title, body and publisher. Queries
that match inside the tags put a ``<mark>`` in the middle of them, so a check for the literal
``<script>alert`` would pass even without escaping; these tests look for any tag that is not ours.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from indexer.build import build_index
from indexer.search import Engine, SearchRequest

from .conftest import write_jsonl

HOSTILE = [
    {
        "id": "hostile-1",
        "title": "<script>alert('title')</script> Fraud charges",
        "body": "The <script>alert(1)</script> defendant pleaded guilty to fraud. <img src=x onerror=alert(2)> "
        "Attorney General Eric Holder said the <b>fraud</b> scheme cost millions.",
        "agency": "<svg onload=alert(3)>",
        "lang": "en",
        "date": "2015-01-01",
    },
    {
        "id": "hostile-2",
        "title": "Plain title",
        "body": "Nothing to see <scr<script>ipt>alert('nested')</script> here; fraud again. </mark><script>x</script>",
        "lang": "en",
        "date": "2015-01-02",
    },
]
QUERIES = ["script", "alert", "fraud", "onerror", "img", "mark", ""]
#: The only tags a snippet may contain.
OWN_SNIPPET_TAGS = re.compile(r"</?mark>")


class Elements(HTMLParser):
    """Every element a browser would build from a page: (tag, attributes)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def foreign_tags(html: str) -> list[str]:
    """Tags in an HTML fragment that are not <mark> or </mark>."""
    return re.findall(r"<[^>]*>", OWN_SNIPPET_TAGS.sub("", html))


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile")
    build_index([write_jsonl(path / "hostile.jsonl", HOSTILE)], path / "index", workers=1)
    return path / "index"


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_hold_no_tag_but_mark(hostile_index, query):
    with Engine(hostile_index) as engine:
        page = engine.search(SearchRequest(query=query))
        assert page.hits
        for hit in page.hits:
            assert foreign_tags(hit.snippet) == [], (query, hit.snippet)
        for release_id in ("hostile-1", "hostile-2"):
            body_html = engine.release(release_id, query)["body_html"]
            assert re.findall(r"<[^>]*>", re.sub(r'<mark id="m\d+">|</mark>', "", body_html)) == [], body_html


@pytest.mark.parametrize(
    "path",
    [
        "/?q=script",
        "/?q=alert",
        "/?q=fraud",
        "/?q=",
        "/release/hostile-1?q=script",
        "/release/hostile-2?q=alert",
        "/facets/agency?prefix=svg",
        "/?agency=%3Csvg+onload%3Dalert(3)%3E",
    ],
)
def test_pages_never_carry_a_foreign_script_or_handler(hostile_index, path, make_app):
    app = make_app(hostile_index)
    elements = Elements(app.test_client().get(path).get_data(as_text=True)).found
    scripts = [attrs for tag, attrs in elements if tag == "script"]
    assert scripts == [{"src": "/static/pressroom.js", "nonce": scripts[0]["nonce"], "defer": None}]
    ours = {"info"}  # the drawn profile-link icon (templates/_profile_link.html)
    assert not [tag for tag, a in elements if tag in ("img", "svg", "b", "iframe") and a.get("class") not in ours]
    assert not [(tag, a) for tag, attrs in elements for a in attrs if a.startswith("on")]
