"""Tenures: which mentions are evidence (real excerpts), the rule on made-up evidence (strays,
overlaps, hand-overs, acting holders, a second term), and the tenures a build and an update store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.build import build_index, delete_releases, update_index
from indexer.store import IndexStore
from indexer.tenures.evidence import ACTING, FORMER, official_mark, surnames
from indexer.tenures.rule import MAX_GAP_DAYS, Evidence, post_tenures, single_seat_spans
from indexer.tenures.table import TENURES_FILE, base_post, seats_of, seats_table

from .conftest import write_jsonl

REFERENCE = json.loads((Path(__file__).parent / "data" / "tenure_reference.json").read_text(encoding="utf-8"))

# Evidence: real excerpts (DOJ and Presidencia development files), whole, and what they say


@pytest.mark.parametrize(
    ("text", "name", "mark"),
    [
        ("WASHINGTON  Attorney General Eric Holder announced today", "Eric Holder", None),
        (
            "In addition to the statistical data former Attorney General Holder pledged to disclose, I have asked",
            "Eric Holder",
            FORMER,
        ),
        (
            "The Department today released its first annual report following former Attorney General Eric Holders pledge in February 2014 to",
            "Eric Holder",
            FORMER,
        ),
        (
            "In 1997, Rill was appointed by then-Attorney General Janet Reno and then-Assistant Attorney General Joel Klein to serve as Co-Chair",
            "Janet Reno",
            FORMER,
        ),
        (
            "In 1997, Rill was appointed by then-Attorney General Janet Reno and then-Assistant Attorney General Joel Klein to serve as Co-Chair",
            "Joel Klein",
            FORMER,
        ),
        (
            "the New York Times and the Associated Press.\n\nU.S. Attorney Hart and Attorney General nominee Loretta E. Lynch.",
            "Loretta E. Lynch",
            FORMER,
        ),
        (
            "Acting Attorney General Sally Q. Yates today announced that Joaquin Archivaldo Guzman Loera, known",
            "Sally Q. Yates",
            ACTING,
        ),
        (
            "I hereby rescind former Acting Attorney General Sally Q. Yates January 30, 2017, guidance and direct the men and women of",
            "Sally Q. Yates",
            FORMER,
        ),
        (
            'and to maintain control over sensitive U.S. technology," said Acting Deputy Attorney General Gary G. Grindler.',
            "Gary G. Grindler",
            ACTING,
        ),
        (
            "After the panel, former Attorney General Nicholas Katzenbach, who served as Deputy Attorney General under Attorney General Kennedy",
            "Nicholas Katzenbach",
            FORMER,
        ),
        (
            "anunció también el congelamiento de cuentas a la exsecretaria de Desarrollo Social y de la Sedatu, Rosario Robles",
            "Rosario Robles",
            FORMER,
        ),
        (
            "estamos aquí con el gobernador interino, Guillermo Pacheco Pulido, que va a estar gobernando",
            "Guillermo Pacheco Pulido",
            ACTING,
        ),
        (
            "decidí desde el sábado por la mañana que quedara como encargado del despacho Ricardo Mejía, subsecretario de Seguridad Pública",
            "Ricardo Mejía Berdeja",
            ACTING,
        ),
        (
            "La guerra contra el narcotráfico del expresidente Calderón dejó también lastimadas a muchas familias",
            "Felipe Calderón",
            FORMER,
        ),
    ],
)
def test_a_mention_says_former_acting_or_neither(text, name, mark):
    assert official_mark(text, name) == mark


def test_a_person_named_once_as_former_and_once_as_holder_is_evidence():
    text = "Former Attorney General John Ashcroft spoke. Attorney General John Ashcroft had signed the order."
    assert official_mark(text, "John Ashcroft") is None
    assert official_mark("the account holder was charged; Attorney General Holder said", "Eric Holder") is None


def test_surnames_skip_given_names_initials_and_suffixes():
    assert surnames("Eric H. Holder Jr.") == ["Holder"]
    assert surnames("Andrés Manuel López Obrador") == ["Manuel", "López", "Obrador"]


# The rule, on evidence made up to hold each difficulty


def ev(person: str, day: str, post: str = "AG", acting: bool = False) -> Evidence:
    return Evidence(person, post, day, f"{person}-{day}", "DOJ", acting)


def rows(terms) -> list[tuple]:
    return [(t.person, t.first_seen, t.last_seen, t.releases, t.acting) for t in terms]


MONTHLY_HOLDER = [ev("Holder", f"{y}-{m:02d}-10") for y in (2013, 2014) for m in range(1, 13)]
MONTHLY_LYNCH = [ev("Lynch", f"2015-{m:02d}-15") for m in range(5, 13)]


def test_a_stray_attribution_inside_another_term_does_not_make_or_stretch_a_tenure():
    # one release in 2014 calls Lynch the Attorney General; one in late 2015 calls Holder so
    stray = [ev("Lynch", "2014-06-20"), ev("Holder", "2015-09-01")]
    terms = post_tenures(MONTHLY_HOLDER + MONTHLY_LYNCH + stray, "AG", single=True)
    assert rows(terms) == [
        ("Holder", "2013-01-10", "2014-12-10", 24, False),
        ("Lynch", "2015-05-15", "2015-12-15", 8, False),
    ]


def test_single_seat_terms_never_overlap_even_when_releases_interleave_at_the_hand_over():
    handover = [
        ev("Holder", "2015-01-05"),
        ev("Lynch", "2015-01-20"),
        ev("Holder", "2015-02-01"),
        ev("Lynch", "2015-03-01"),
    ]
    terms = post_tenures(MONTHLY_HOLDER + handover + MONTHLY_LYNCH, "AG", single=True)
    assert [t.person for t in terms] == ["Holder", "Lynch"]
    assert terms[0].last_seen < terms[1].first_seen


def test_a_single_seat_holder_needs_two_releases_at_an_end_and_four_inside():
    assert [t.person for t in post_tenures([*MONTHLY_HOLDER, ev("Lynch", "2015-05-01")], "AG", True)] == ["Holder"]
    two = [ev("Lynch", "2015-05-01"), ev("Lynch", "2015-05-02")]
    assert [t.person for t in post_tenures([*MONTHLY_HOLDER, *two], "AG", True)] == ["Holder", "Lynch"]
    inside = [ev("Yates", f"2013-06-{d:02d}") for d in (11, 12, 13)]
    assert [t.person for t in post_tenures(MONTHLY_HOLDER + inside, "AG", True)] == ["Holder"]
    inside.append(ev("Yates", "2013-06-14"))
    assert [t.person for t in post_tenures(MONTHLY_HOLDER + inside, "AG", True)] == ["Holder", "Yates", "Holder"]


def test_a_post_held_twice_gets_a_row_per_term():
    # multi-seat: time alone separates terms (more than a year apart)
    first = [ev("Smith", "2010-01-01", "AUSA"), ev("Smith", "2010-06-01", "AUSA")]
    second = [ev("Smith", "2012-03-01", "AUSA"), ev("Smith", "2012-04-01", "AUSA")]
    assert rows(post_tenures(first + second, "AUSA", single=False)) == [
        ("Smith", "2010-01-01", "2010-06-01", 2, False),
        ("Smith", "2012-03-01", "2012-04-01", 2, False),
    ]
    # a gap of exactly the limit stays one term
    close = [ev("Smith", "2010-01-01", "AUSA"), ev("Smith", "2010-12-31", "AUSA")]
    assert MAX_GAP_DAYS == 364 + 1 and len(post_tenures(close, "AUSA", single=False)) == 1


def test_a_lone_release_years_from_a_persons_term_is_dropped_in_a_multi_seat_post():
    items = [ev("Smith", "2010-01-01", "AUSA"), ev("Smith", "2010-02-01", "AUSA"), ev("Smith", "2016-01-01", "AUSA")]
    assert rows(post_tenures(items, "AUSA", single=False)) == [("Smith", "2010-01-01", "2010-02-01", 2, False)]
    # a person with a single release keeps it: nothing contradicts it
    assert rows(post_tenures([ev("Jones", "2011-01-01", "AUSA")], "AUSA", single=False)) == [
        ("Jones", "2011-01-01", "2011-01-01", 1, False)
    ]


def test_acting_holders_are_marked_and_only_fill_a_vacancy():
    lynch = [ev("Lynch", f"2016-{m:02d}-01") for m in range(1, 13)] + [ev("Lynch", "2017-01-19")]
    sessions = [ev("Sessions", f"2017-{m:02d}-20") for m in range(2, 13)]
    yates = [ev("Yates", "2017-01-23", acting=True), ev("Yates", "2017-01-27", acting=True)]
    # an acting attribution inside a confirmed holder's term: an assistant attorney general the
    # crawl made "Acting Attorney General John Gore"
    gore = [ev("Gore", "2017-11-01", acting=True), ev("Gore", "2017-12-05", acting=True)]
    terms = post_tenures(lynch + sessions + yates + gore, "AG", single=True)
    assert rows(terms) == [
        ("Lynch", "2016-01-01", "2017-01-19", 13, False),
        ("Yates", "2017-01-23", "2017-01-27", 2, True),
        ("Sessions", "2017-02-20", "2017-12-20", 11, False),
    ]


def test_a_publisher_that_rarely_names_a_single_seat_post_is_no_source_for_it():
    doj = [
        Evidence("Sessions", "AG", f"{y}-{m:02d}-{d}", f"{y}{m}{d}", publisher="DOJ")
        for y in (2017, 2018)
        for m in range(1, 13)
        for d in (10, 20)
    ]  # 48 releases: the county's two are 4% of the post's 50
    # a county prosecutor calls California's attorney general "Attorney General Xavier Becerra"
    county = [Evidence("Becerra", "AG", day, f"b{day}", publisher="OCDA") for day in ("2020-07-24", "2020-09-30")]
    assert [t.person for t in post_tenures(doj + county, "AG", single=True)] == ["Sessions"]
    # where that publisher is a usual source of the post, the same releases make a term
    assert [t.person for t in post_tenures(doj[:10] + county, "AG", single=True)] == ["Sessions", "Becerra"]


def test_the_least_cost_spans_are_exact_on_small_cases():
    def spans(people: str) -> list[str]:
        items = [ev(p, f"2010-01-{i + 1:02d}") for i, p in enumerate(people)]
        return ["".join(e.person for e in span) for span in single_seat_spans(items)]

    # A A A | B B costs 1 (the B of Jan 2) + 1.5 for the hand-over; all A costs 2, all B costs 3
    assert spans("ABAABB") == ["AAA", "BB"]
    # all B costs 2, less than A A | B B B (1 + 1.5)
    assert spans("ABABB") == ["BBB"]
    assert spans("") == [] and spans("A") == ["A"]


def test_after_a_year_without_releases_one_release_may_name_a_new_holder():
    sessions = [ev("Sessions", f"2017-{m:02d}-20") for m in range(2, 13)]
    # the seed release: "US Attorney General Barr", two years after the last release on the post
    barr = ev("Barr", "2020-01-16")
    assert rows(post_tenures([*sessions, barr], "AG", single=True))[-1] == (
        "Barr",
        "2020-01-16",
        "2020-01-16",
        1,
        False,
    )
    # the same release a month after Sessions's last one is a stray
    assert [t.person for t in post_tenures([*sessions, ev("Barr", "2018-01-16")], "AG", single=True)] == ["Sessions"]


def test_seats_come_from_the_posts_table():
    table = seats_table()
    assert set(table.values()) == {"single", "multi"}
    assert seats_of("Attorney General (United States)") == "single"
    assert seats_of("United States Senator") == "multi"
    assert seats_of("presidente municipal de Zongolica") == "multi"  # posts outside the tables
    assert base_post("Acting Attorney General (United States)") == ("Attorney General (United States)", True)
    for ref in REFERENCE["holders"]:
        assert seats_of(ref["post"]) == "single", ref["post"]


# Stored with the generation, recomputed by update and delete


def release(rid: str, day: str, body: str) -> dict:
    return {"id": rid, "title": body[:60], "date": day, "lang": "en", "body": body}


AG_RELEASES = [
    release("ag-1", "2016-03-01", "WASHINGTON - Attorney General Loretta E. Lynch announced today a new initiative."),
    release("ag-2", "2016-04-01", "Attorney General Loretta E. Lynch spoke at the conference on Monday."),
    release("ag-4", "2017-03-01", "Attorney General Jeff Sessions announced new charging guidance today."),
    release("ag-5", "2017-04-01", "Attorney General Jeff Sessions met with the police chiefs."),
    # extraction takes these for the post; the words around the name say it was held before
    release("ag-3", "2017-05-01", "The program was started by then-Attorney General Eric Holder in 2014."),
    release("ag-7", "2017-06-01", "Eric H. Holder Jr., then Attorney General, signed the first grants."),
]


def stored(index: Path) -> dict:
    return json.loads((IndexStore(index).current() / TENURES_FILE).read_text(encoding="utf-8"))


def test_build_stores_tenures_and_update_and_delete_recompute_them(tmp_path):
    src = write_jsonl(tmp_path / "ag.jsonl", AG_RELEASES)
    index = tmp_path / "index"
    build_index([src], index, workers=1)
    ag = stored(index)["posts"]["Attorney General (United States)"]
    assert ag["seats"] == "single"
    assert [(h["name"], h["first_seen"], h["last_seen"], h["releases"], h["evidence"]) for h in ag["holders"]] == [
        ("Loretta E. Lynch", "2016-03-01", "2016-04-01", 2, ["ag-1", "ag-2"]),
        ("Jeff Sessions", "2017-03-01", "2017-04-01", 2, ["ag-4", "ag-5"]),
    ]
    assert stored(index)["left_out"]["former"] == 2  # Holder, named as a former holder
    more = write_jsonl(
        tmp_path / "more.jsonl", [release("ag-6", "2017-07-01", "Attorney General Jeff Sessions said so.")]
    )
    update_index([more], index)
    holders = stored(index)["posts"]["Attorney General (United States)"]["holders"]
    assert holders[-1]["last_seen"] == "2017-07-01" and holders[-1]["releases"] == 3
    delete_releases(["ag-4"], index)
    holders = stored(index)["posts"]["Attorney General (United States)"]["holders"]
    assert holders[-1]["first_seen"] == "2017-04-01" and holders[-1]["releases"] == 2
