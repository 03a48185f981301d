"""Page chrome learned per publisher and site: what is cut, what never is, and where it is left out
(extraction, snippets, related-release words) while the page keeps it."""

from __future__ import annotations

import json

import pytest

from indexer.boilerplate import ChromeCounts, blank, group_of, is_generic, is_turn
from indexer.build import CHROME_COUNTS, CHROME_TABLE, build_index, delete_releases, update_index
from indexer.search import Engine, SearchRequest
from indexer.search.related import release_words_text
from indexer.sources import Release, read_releases
from indexer.store import IndexStore

from .conftest import ROOT, write_jsonl

PROSECUTORS = ROOT / "samples" / "us_county_prosecutors.sample.jsonl.gz"
ORANGE = "Orange County District Attorney's Office (California)"


@pytest.fixture(scope="module")
def prosecutors() -> list[Release]:
    return [r for r in read_releases([PROSECUTORS]) if isinstance(r, Release)]


@pytest.fixture(scope="module")
def table(prosecutors):
    counts = ChromeCounts()
    counts.add_all(prosecutors)
    return counts.table()


def cut_text(release: Release, table) -> str:
    cuts = table.cuts(release)
    return " ".join(release.body[a:b] for a, b in cuts.body)


def kept_text(release: Release, table) -> str:
    return blank(release.body, table.cuts(release).body)


def with_contact_block(prosecutors):
    return [r for r in prosecutors if r.body.lstrip().lower().startswith("for immediate release")]


def test_a_contact_block_repeated_by_the_office_is_chrome(prosecutors, table):
    releases = with_contact_block(prosecutors)
    assert len(releases) >= 20
    for r in releases:
        kept = kept_text(r, table)
        assert "For Immediate Release".lower() not in kept.lower()[:200], r.id
        assert "714-347-8408" not in kept, r.id  # the office's telephone
        assert len(kept) == len(r.body)  # offsets are kept
    # the headline and the story stay
    first = releases[0]
    story = kept_text(first, table)
    assert any(len(line.split()) > 12 for line in story.splitlines())


def test_press_officers_are_not_officials_of_the_release(prosecutors, table):
    from indexer.entities import extract_entities

    for r in with_contact_block(prosecutors)[:15]:
        cuts = table.cuts(r)
        found = extract_entities(blank(r.title, cuts.title), blank(r.body, cuts.body), "en", r.publisher).officials
        names = " ".join(o.name for o in found)
        assert "Schroeder" not in names and "Emami" not in names, (r.id, names)


def test_chrome_is_counted_per_publisher_and_site(prosecutors, table):
    groups = {group_of(r) for r in prosecutors}
    assert len(groups) == 2  # Orange County, Brooklyn: each collected from its own site
    orange = next(g for name, g in table.groups.items() if ORANGE in name)
    assert "for immediate release" in orange.as_dict()["lines"]
    brooklyn = next(g for name, g in table.groups.items() if "Kings" in name)
    assert "for immediate release" not in brooklyn.as_dict()["lines"]


def test_a_line_is_chrome_only_at_an_edge(table, prosecutors):
    orange = next(r for r in with_contact_block(prosecutors))
    # the office's contact line moved into the middle of the story is content there
    lines = orange.body.splitlines()
    middle = next(i for i, line in enumerate(lines) if len(line.split()) > 20) + 1  # after the first paragraph
    moved = "\n".join([*lines[:middle], "For Immediate Release", *lines[middle:]])
    release = Release(**{**orange.__dict__, "body": moved})
    cuts = table.cuts(release)
    at = moved.index("For Immediate Release", len("\n".join(lines[:middle])))
    assert not any(a <= at < b for a, b in cuts.body)


def test_a_speakers_turn_is_never_chrome():
    turn = "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR: Buenos días."
    assert is_turn(turn) and not is_turn("Contact: Susan Kang Schroeder")
    counts = ChromeCounts()
    releases = [
        Release(
            id=f"t{i}",
            title=f"Conferencia {i}",
            body=f"{turn}\nHoy hablamos de {topic}.",
            publisher="P",
        )
        for i, topic in enumerate(["salud", "agua", "obras", "presas", "trenes", "escuelas", "becas", "puertos"])
    ]
    counts.add_all(releases)
    assert counts.table().cuts(releases[0]).body == ()


def test_a_release_is_never_all_chrome():
    releases = [
        Release(id=f"r{i}", title="Aviso", body="For Immediate Release\nContact: 555-123-4567") for i in range(6)
    ]
    counts = ChromeCounts()
    counts.add_all(releases)
    assert counts.table().cuts(releases[0]).body == ()


@pytest.mark.parametrize(
    "line, generic",
    [
        ("For Immediate Release", True),
        ("PARA PUBLICACIÓN INMEDIATA", True),
        ("Contact: 714-347-8408", True),
        ("media@ocdapa.org", True),
        ("Date: March 3, 2017", True),
        ("###", True),
        ("Deputy District Attorney Troy Pino of the Gang Unit prosecuted this case.", False),
        ("Orange County District Attorney Todd Spitzer", False),
    ],
)
def test_edge_lines_of_any_press_release(line, generic):
    assert is_generic(line) is generic


def test_glued_site_words_are_cut_only_at_a_separator():
    # 10 releases of one site whose titles carry the site's name after a separator
    topics = ["roads", "bridges", "schools", "farms", "veterans", "taxes", "water", "energy", "health", "trade"]
    releases = [
        Release(id=f"s{i}", title=f"Senator backs {topic} bill - News Room - Senator Example", body=f"About {topic}.")
        for i, topic in enumerate(topics)
    ]
    counts = ChromeCounts()
    counts.add_all(releases)
    cuts = counts.table().cuts(releases[3])
    (a, b), *_ = cuts.title
    assert releases[3].title[a:b] == "- News Room - Senator Example"
    # a common sentence ending is not chrome however often it repeats
    endings = [
        Release(id=f"e{i}", title=f"T{i}", body=f"Case {i} facts.\nDeputy X{i} is prosecuting this case.")
        for i in range(10)
    ]
    counts = ChromeCounts()
    counts.add_all(endings)
    assert counts.table().cuts(endings[0]).body == ()


def test_counts_survive_a_save_and_a_load(tmp_path, prosecutors):
    counts = ChromeCounts()
    counts.add_all(prosecutors)
    counts.save(tmp_path / "chrome.npz")
    loaded = ChromeCounts.load(tmp_path / "chrome.npz")
    assert loaded is not None and loaded.table().as_dict() == counts.table().as_dict()
    for r in prosecutors:
        loaded.remove(r)
    assert loaded.table().groups == {}


# In the index: snippets, related words, the page, update


@pytest.fixture(scope="module")
def prosecutors_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("prosecutors")
    build_index([PROSECUTORS], path, workers=1)
    return path


def test_the_index_reads_around_the_chrome_for_officials(prosecutors_index):
    with Engine(prosecutors_index) as engine:
        page = engine.release("orange_ca-press_media-advisory-44")
        assert "Contact: Susan Schroeder, Deputy District Attorney" in page["body"]
        assert "Susan Schroeder" not in [o["name"] for o in page["officials"]]
        everyone = engine.search(SearchRequest(facet_size=500)).facets["official"]
        # The press contacts are named whole, with their post, never glued to the chrome around them.
        contacts = {v.value: v.detail["role"] for v in everyone if "Schroeder" in v.value or "Emami" in v.value}
        assert set(contacts) == {"Susan Kang Schroeder", "Farrah Emami"}


def test_a_contact_block_that_is_chrome_still_names_the_publishers_staff(prosecutors_index, prosecutors, table):
    """The block is in most Orange County releases, so it is chrome; its people are read from it."""
    rid = "orange_ca-press_man-faces-trial-for-attempted-murder-and-assaulting-police-officer-with-a-knife"
    (release,) = [r for r in prosecutors if r.id == rid]
    assert "Susan Kang Schroeder" in cut_text(release, table)
    with Engine(prosecutors_index) as engine:
        officials = {o["name"]: (o["role"], o["agency"]) for o in engine.release(rid)["officials"]}
    assert officials.get("Susan Kang Schroeder") == ("Chief of Staff", "Orange County District Attorney's Office")
    assert officials.get("Farrah Emami", ("",))[0] == "Spokesperson"


def test_browse_snippets_start_with_the_story(prosecutors_index):
    with Engine(prosecutors_index) as engine:
        hits = engine.search(SearchRequest(per_page=100, publisher=[ORANGE])).hits
        assert len(hits) >= 50
        for hit in hits:
            head = hit.snippet[:60].lower()
            assert not head.startswith(("for immediate release", "case #", "date:", "susan", "kimberly")), hit.snippet
            assert "714-" not in hit.snippet[:80], hit.snippet
        brooklyn = engine.search(
            SearchRequest(per_page=20, publisher=["Kings County (Brooklyn) District Attorney's Office (New York)"])
        ).hits
        for hit in brooklyn:  # the headline repeated over the text is not the snippet
            assert not hit.snippet.startswith(hit.title[:30]), (hit.title, hit.snippet)


def test_a_match_in_the_story_is_preferred_to_one_in_the_chrome(prosecutors_index):
    with Engine(prosecutors_index) as engine:
        hits = engine.search(SearchRequest(query="Schroeder", per_page=50)).hits
        assert hits
        # only the contact block names her in most: then the chrome is shown rather than nothing
        assert all("<mark>" in h.snippet for h in hits)
        story = list(engine.search(SearchRequest(query="Schroeder prosecuted", per_page=50)).hits)
        for hit in story:
            assert not hit.snippet.lstrip("…").lower().startswith("for immediate"), hit.snippet


def test_related_words_leave_the_chrome_out_and_the_page_keeps_it(prosecutors_index, prosecutors):
    release = with_contact_block(prosecutors)[0]
    with Engine(prosecutors_index) as engine:
        searcher, _arrays, _generation = engine.searchers.get()
        stored = searcher.document(id=release.id)
        text = release_words_text(stored)
        assert "Schroeder" not in text and "714" not in text
        assert release.title in text
        page = engine.release(release.id)
        assert "Schroeder" in page["body"]  # the page shows the release as published


def test_the_chrome_is_kept_with_the_generation_and_recounted_by_update(tmp_path, prosecutors):
    orange = [r for r in read_releases([PROSECUTORS]) if isinstance(r, Release) and r.publisher == ORANGE]
    records = [json.loads(line) for line in _jsonl_lines(PROSECUTORS) if ORANGE in line]
    assert len(records) == len(orange)
    ix = tmp_path / "ix"
    few = write_jsonl(tmp_path / "few.jsonl", records[:4])  # too few releases for any line to repeat enough
    build_index([few], ix, workers=1)
    generation = IndexStore(ix).current()
    assert (generation / CHROME_COUNTS).exists()
    assert (
        json.loads((generation / CHROME_TABLE).read_text())["groups"][f"publisher:{ORANGE}|site:text/orange_ca"][
            "lines"
        ]
        == []
    )
    # more releases of the office: its contact block becomes chrome, and the four already indexed
    # (not in this update's sources) are re-extracted with it
    more = write_jsonl(tmp_path / "more.jsonl", records[4:40])
    report = update_index([more], ix)
    assert report.added == 36 and report.reextracted == 4
    table = json.loads((IndexStore(ix).current() / CHROME_TABLE).read_text())
    assert table["groups"][f"publisher:{ORANGE}|site:text/orange_ca"]["lines"]
    assert update_index([more], ix).unchanged == 36  # nothing changed: nothing re-extracted
    # deleting releases takes them out of the counts
    deleted, _ = delete_releases([r["id"] for r in records[4:40]], ix)
    assert len(deleted) == 36
    counts = ChromeCounts.load(IndexStore(ix).current() / CHROME_COUNTS)
    assert counts is not None and sum(g.releases for g in counts.groups.values()) == 4


def _jsonl_lines(path):
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line for line in fh if line.strip()]
