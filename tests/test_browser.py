"""A real browser (Debian's chromium driven by Playwright) against `pressroom serve` (gunicorn)
on a loopback port with the bundled sample index. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import urllib.request

import pytest

from .conftest import ROOT, running_server, server_errors

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI") == "true":
        pytest.fail(f"chromium is not installed at {CHROMIUM}; CI must install it (make browser)", pytrace=False)
    pytest.skip("chromium is not installed (run `make browser`)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(sample_index):
    """`pressroom serve` on the sample index; yields its base URL."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "serve.log"  # the server's own log, kept as a test artefact
    with running_server(sample_index, log) as url:
        yield url
    assert server_errors(log) == [], log.read_text()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert errors == []  # no script errors, no CSP violations


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_server_is_not_the_development_server(server):
    """Werkzeug's development server names itself; Pressroom's server names nothing."""
    with urllib.request.urlopen(server + "/healthz") as r:
        assert r.headers.get("Server") is None


def count(page) -> int:
    return int(re.sub(r"\D", "", page.locator("#result-count").inner_text()))


def facet_link(page, facet: str, value: str):
    return page.locator(f'a[data-facet="{facet}"][data-value="{value}"]')


def test_search_and_select_two_agencies(server, page):
    page.goto(server + "/")
    page.get_by_label("Search releases").fill("Sandoval")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("ol.hits li").first).to_be_visible()
    total = count(page)
    assert total > 1
    sedena = facet_link(page, "agency", "Secretaría de la Defensa Nacional")
    semar = facet_link(page, "agency", "Secretaría de Marina")
    semar_before = int(semar.locator(".count").inner_text())
    sedena.click()
    after_one = count(page)
    assert after_one <= total
    # the other agency is still listed with the same count (disjunctive facets)
    expect(semar.locator(".count")).to_have_text(str(semar_before))
    semar.click()
    after_two = count(page)
    assert after_two >= after_one
    assert (
        "agency=Secretar%C3%ADa+de+la+Defensa+Nacional" in page.url and "agency=Secretar%C3%ADa+de+Marina" in page.url
    )
    expect(page.locator(".chip")).to_have_count(3)  # two chips and "clear all"
    expect(facet_link(page, "agency", "Secretaría de Marina")).to_have_attribute("aria-current", "true")
    shot(page, "two-agencies")


def test_find_an_official_by_typing_part_of_the_name(server, page):
    page.goto(server + "/facets/official")
    page.get_by_label("Narrow the list").press_sequentially("sanchez", delay=20)
    item = page.locator("#facet-values a", has_text="Olga Sánchez Cordero")
    expect(item).to_be_visible()
    # the type-ahead list shows the official's post and agency under the name
    expect(item.locator(".detail")).to_have_text("Secretary of the Interior · Ministry of the Interior (SEGOB)")
    expect(page.locator("#facet-values a", has_text="Marcelo Ebrard")).to_have_count(0)
    shot(page, "facet-typeahead")
    item.click()
    expect(page.locator(".chip").first).to_contain_text("Olga Sánchez Cordero")
    assert count(page) >= 1


def test_open_a_release_walk_the_matches_and_follow_an_official(server, page):
    page.goto(server + "/?q=Ebrard")
    first = page.locator("ol.hits h3 a").first
    first.click()
    assert page.url.endswith("#m1")
    expect(page.locator("mark#m1")).to_be_visible()
    matches = page.locator("nav.matches a")
    if matches.count() > 1:
        matches.nth(1).click()
        expect(page).to_have_url(re.compile(r"#m2$"))
        page.keyboard.press("n")
        # the hash changes in the page at once; Playwright hears of it a moment later, so wait
        expect(page).to_have_url(re.compile(r"#m3$" if matches.count() > 2 else r"#m2$"))
    shot(page, "release")
    official = page.locator("section.officials a").first
    name = official.inner_text()
    official.click()
    expect(page.locator(".chip").first).to_contain_text(name)
    assert count(page) >= 1


def test_spanish_interface_and_phone_width(server, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="es-MX", extra_http_headers={"Accept-Language": "es-MX,es"}
    )
    page = context.new_page()
    page.goto(server + "/?q=secretario")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_label("Buscar comunicados")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling on a phone
    shot(page, "phone-es")
    context.close()


def _below_the_bar(page, mark: str) -> dict:
    """Where the match and the sticky matches bar are on screen."""
    return page.evaluate(
        """(sel) => {
            const m = document.querySelector(sel).getBoundingClientRect();
            const b = document.querySelector('nav.matches').getBoundingClientRect();
            const hit = document.elementFromPoint(m.left + m.width / 2, m.top + m.height / 2);
            return {mark_top: m.top, mark_bottom: m.bottom, bar_bottom: b.bottom, height: innerHeight,
                    scrolled: scrollY, on_top: hit && hit.closest('mark') !== null};
        }""",
        mark,
    )


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_match_you_followed_is_in_view_below_the_sticky_bar(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    # a word found deep in a long transcript, so the page must scroll to reach it
    page.goto(server + "/?q=huachicol&lang=es")
    page.locator("ol.hits h3 a").first.click()
    assert page.url.endswith("#m1")
    # the bar measured (pressroom.js sets --matches-bar on <html>); not wait_for_function, which polls
    # through eval and the page's Content-Security-Policy forbids eval
    expect(page.locator("html")).to_have_attribute("style", re.compile(r"--matches-bar:\s*\d"))
    where = _below_the_bar(page, "mark#m1")
    assert where["scrolled"] > 0, where  # the match is not near the top: the page scrolled to it
    assert where["bar_bottom"] <= where["mark_top"] < where["mark_bottom"] <= where["height"], where
    assert where["on_top"], where  # nothing covers it
    if page.locator("nav.matches a").count() > 1:
        page.keyboard.press("n")
        expect(page).to_have_url(re.compile(r"#m2$"))  # heard of a moment after the key
        where = _below_the_bar(page, "mark#m2")
        assert where["bar_bottom"] <= where["mark_top"] < where["mark_bottom"] <= where["height"], where
        assert where["on_top"], where
    shot(page, f"match-in-view-{width}")
    context.close()


def test_the_timeline_narrows_the_dates(server, page):
    page.goto(server + "/?q=seguridad")
    bars = page.locator("figure.timeline svg a")
    assert bars.count() >= 2
    expect(page.locator("figure.timeline figcaption")).to_be_visible()
    label = bars.first.get_attribute("aria-label")
    assert re.search(r"\d", label)
    bars.first.click()
    assert "from=" in page.url and "to=" in page.url
    expect(page.locator(".chip").first).to_be_visible()
    assert count(page) >= 1


def test_no_results_says_what_to_do(server, page):
    page.goto(server + "/?q=fentanl&agency=Secretar%C3%ADa+de+Marina")
    expect(page.locator(".no-results")).to_be_visible()
    # no empty facet headings: the one facet shown is the selected filter (at 0), to drop it there
    facets = page.locator("aside.facets section.facet:has(ul)")
    assert facets.count() == 1 and facets.first.locator("li").count() == 1
    expect(facets.first.locator("li.selected")).to_contain_text("Ministry of the Navy")
    assert page.locator("p.tools").count() == 0  # no export or feed of nothing
    drop = page.locator(".no-results li a")
    assert drop.count() == 1 and "Ministry of the Navy" in drop.first.inner_text()
    page.locator("p.suggestion a").click()
    assert "q=fentanyl" in page.url


def test_filters_link_on_a_phone_jumps_to_the_facets(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/?q=seguridad")
    link = page.locator("p.to-filters a")
    expect(link).to_be_in_viewport()
    link.click()
    expect(page.locator("aside.facets")).to_be_in_viewport()
    context.close()


def test_a_loading_cluster_shows_a_page_that_says_so_and_then_the_results(typesense_cluster, browser, tmp_path):
    """`pressroom serve --backend typesense` while the nodes hold part of the generation (as after a
    restart): the reader sees a 503 page that says the index is loading, with a way back to search
    and no trace of an error; once a node holds it all, the same URL shows the results."""
    from indexer.backends.typesense import Cluster, TypesenseBackend

    from .conftest import SOURCES, typesense_config, typesense_env

    config = typesense_config(typesense_cluster, "loadingpage")
    local = tmp_path / "index"
    TypesenseBackend(local, config).build(SOURCES, workers=1)
    log = tmp_path / "serve.log"
    with running_server(local, log, env=typesense_env(config)) as url, Cluster(config) as cluster:
        name = cluster.current()
        meta = cluster.read_meta(name)
        cluster.wait_meta(name, cluster.write_meta(name, {**meta, "documents": meta["documents"] + 5}))
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-MX")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Chromium logs the 503 of the page itself as a console error: that one is the point here,
        # so the page's other requests (style, script) are checked by their answers instead.
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "503" not in m.text else None)
        failed = []
        page.on(
            "response",
            lambda r: failed.append(r.url) if r.request.resource_type != "document" and r.status >= 400 else None,
        )
        try:
            page.wait_for_timeout(2100)  # a worker checks the nodes at most every 2 s
            response = page.goto(url + "/?q=seguridad")
            assert response.status == 503 and response.headers.get("retry-after")
            heading = page.locator("section.error h1")
            expect(heading).to_be_visible()
            expect(heading).to_have_text("El índice aún se está cargando")
            expect(page.locator("section.error a")).to_be_visible()
            assert "Traceback" not in page.content() and "127.0.0.1" not in page.content()  # nodes stay private
            shot(page, "loading-503-phone")
            cluster.wait_meta(name, cluster.write_meta(name, meta))  # every node holds it all again
            page.wait_for_timeout(2100)
            response = page.goto(url + "/?q=seguridad")
            assert response.status == 200
            expect(page.locator("section.error")).to_have_count(0)
            assert count(page) > 0
        finally:
            context.close()
    assert errors == [] and failed == [] and server_errors(log) == [], log.read_text()
