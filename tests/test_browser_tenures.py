"""Profiles and post holders in a real browser (Debian's chromium through Playwright) against
`pressroom serve` on the bundled sample index, with JavaScript off: the timeline and the chart are
drawn, every link leads where it says, in both interface languages and on a phone."""

from __future__ import annotations

import re

import pytest

from .test_browser import ARTIFACTS, browser, count, server, shot  # noqa: F401 (fixtures)

pytest.importorskip("playwright")
from playwright.sync_api import expect  # noqa: E402


@pytest.fixture()
def no_js(browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def test_a_post_page_without_javascript_links_holders_to_profiles_and_releases(server, no_js):  # noqa: F811
    page = no_js
    page.goto(server + "/posts/Attorney%20General")  # an alias: redirected to the canonical post
    assert page.url.endswith("/posts/Attorney%20General%20(United%20States)")
    expect(page.locator("h1")).to_have_text("Attorney General (United States)")
    bars = page.locator("figure.terms svg rect.term")
    assert bars.count() >= 2  # the holders on a timeline
    rows = page.locator("table.terms-table tbody tr")
    assert rows.count() == bars.count()
    shot(page, "post-holders")
    # the releases that name a holder in that post: a search filtered to them
    first = rows.first
    name = first.locator("a.holder").inner_text()
    releases = int(first.locator("a.releases").inner_text().replace(",", ""))
    first.locator("a.releases").click()
    assert count(page) == releases
    expect(page.locator(".chip").first).to_contain_text(name)
    page.go_back()
    # the holder's profile
    page.locator("table.terms-table a.holder").first.click()
    expect(page.locator("h1")).to_have_text(name)
    assert page.locator("figure.terms svg rect.term").count() >= 1  # posts held, on a timeline
    assert page.locator("figure.months svg rect.month").count() >= 1  # releases per month, a chart
    expect(page.locator("a.feed")).to_have_attribute("href", re.compile(r"^/feed\.atom\?official="))
    shot(page, "profile")


def test_a_profile_in_spanish_and_its_month_bars_lead_to_that_months_releases(server, browser):  # noqa: F811
    context = browser.new_context(
        java_script_enabled=False, locale="es-MX", extra_http_headers={"Accept-Language": "es-MX,es"}
    )
    page = context.new_page()
    page.goto(server + "/officials/Marcelo%20Ebrard")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Marcelo Ebrard Casaubón")
    expect(page.locator("#posts-h")).to_have_text("Cargos ocupados")
    expect(page.locator("#months-h")).to_have_text("Comunicados por mes")
    bar = page.locator("figure.months svg a").filter(has=page.locator("rect.month[height]:not([height='0.0'])")).first
    label = bar.get_attribute("aria-label")  # "2019-06: 3 comunicados"
    month, n = re.match(r"(\d{4}-\d{2}): (\d+)", label).groups()
    bar.click()
    assert count(page) == int(n)
    assert f"from={month}" in page.url and f"to={month}" in page.url
    context.close()


def test_from_a_hit_to_the_profile_and_no_horizontal_scroll_on_a_phone(server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + "/?q=Ebrard")
    link = page.locator("ol.hits .people a.profile-link").first
    expected = link.get_attribute("aria-label").removeprefix("Profile of ")
    link.click()
    expect(page.locator("h1")).to_have_text(expected)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    shot(page, "profile-phone")
    # the profile and post pages with the longest tables of the sample fit the phone too
    for path in ("/officials/Marcelo%20Ebrard%20Casaub%C3%B3n", "/posts/canciller"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        box = page.locator(".terms-table a.releases").last.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, path
    # the profile link is drawn, not a glyph a phone's fonts may lack
    page.goto(server + "/?q=Ebrard")
    icon = page.locator("ol.hits a.profile-link svg.info").first.bounding_box()
    assert icon is not None and icon["width"] >= 10 and icon["height"] >= 10
    context.close()
