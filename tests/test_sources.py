"""Every input format, and every kind of bad input: indexed or rejected with path, line and reason."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from indexer.ids import given_id, url_id
from indexer.sources import Rejection, Release, derive_title, normalize_date, read_releases

from .conftest import DATA, REAL, write_jsonl


def read(*paths) -> tuple[list[Release], list[Rejection]]:
    items = list(read_releases(paths))
    return [i for i in items if isinstance(i, Release)], [i for i in items if isinstance(i, Rejection)]


def test_jsonl_keeps_corpus_fields_and_extra(tmp_path):
    releases, rejects = read(DATA / "releases.jsonl")
    assert (len(releases), rejects) == (len(REAL), [])
    doj = next(r for r in releases if r.id == "doj-opa-12613")
    assert doj.title.startswith("Two Oklahoma County Corrections Officers")
    assert (doj.date, doj.lang, doj.publisher) == ("2009-02-02", "en", "U.S. Department of Justice")
    assert doj.components == ["Civil Rights Division"]
    assert doj.extra == {"issuing_office": "Office of Public Affairs", "subtitle": None, "pr_number": "09-083"}
    assert doj.source.startswith("lennymd/news21-pressReleasesDOJ@")
    assert (doj.path, doj.line) == (str(DATA / "releases.jsonl"), [r["id"] for r in REAL].index("doj-opa-12613") + 1)


def test_jsonl_gz_and_json_single_and_list(tmp_path):
    write_jsonl(tmp_path / "a.jsonl.gz", REAL[:3], compress=True)
    (tmp_path / "one.json").write_text(json.dumps(REAL[3]), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps(REAL[4:6]), encoding="utf-8")
    releases, rejects = read(tmp_path)
    assert rejects == []
    assert sorted(r.id for r in releases) == sorted(r["id"] for r in REAL[:6])


def test_missing_ids_come_from_the_file(tmp_path):
    records = [{k: v for k, v in r.items() if k != "id"} for r in REAL[:2]]
    write_jsonl(tmp_path / "no ids!.jsonl", records)
    (tmp_path / "single release.json").write_text(json.dumps(records[0]), encoding="utf-8")
    releases, _ = read(tmp_path)
    assert sorted(r.source_id for r in releases) == ["no ids!-1", "no ids!-2", "single release"]
    assert sorted(r.id for r in releases) == ["no~20ids~21-1", "no~20ids~21-2", "single~20release"]


def test_seed_txt_exactly():
    (seed,), rejects = read(DATA / "seed")
    assert rejects == []
    assert seed.id == "000_5da1fa392d2f8c78"
    assert seed.title == (
        "US Attorney General Barr was in Mexico today for a meeting on security between Mexican "
        "and United States authorities…"
    )
    assert (seed.date, seed.date_inferred) == ("2020-01-16", True)  # not the December 5, 2019 visit
    assert seed.images == ["/cms/uploads/image/file/556990/WhatsApp_Image_2020-01-16_at_3.59.02_PM.jpeg"]
    assert "cms" not in seed.body and "WhatsApp" not in seed.body
    assert seed.body.endswith("can only be successfully resolved jointly.")


def test_txt_with_title_line_and_dateline(tmp_path):
    body = REAL[0]["body"]
    (tmp_path / "release.txt").write_text(f"A Title Line\n\nWASHINGTON, January 5, 2017 - {body}", encoding="utf-8")
    (r,), _ = read(tmp_path)
    assert (r.title, r.date, r.date_inferred) == ("A Title Line", "2017-01-05", False)


def test_html_pages_from_gob_mx_and_justice_gov():
    releases, rejects = read(DATA / "html")
    assert rejects == []
    by_id = {r.id: r for r in releases}
    gob = by_id["gobmx_seed_en"]
    assert gob.title == "Meeting on security between Mexican and US authorities"
    assert gob.date == "2020-01-16"  # article:published_time
    assert "Marcelo Ebrard" in gob.body
    for boilerplate in ("Trámites", "Compartir", "portal único", "Plataforma Nacional"):
        assert boilerplate not in gob.body
    doj = by_id["justice_gov_09-083"]
    assert doj.title.startswith("Two Oklahoma County Corrections Officers Indicted")
    assert doj.date == "2009-02-02"  # <time datetime>
    assert doj.body.startswith("WASHINGTON A federal grand jury indictment")
    for boilerplate in ("Careers", "FOIA", "Privacy Policy", "950 Pennsylvania"):
        assert boilerplate not in doj.body


def test_every_kind_of_bad_input_is_reported_and_counts_add_up(tmp_path):
    good = REAL[:2]
    lines = [
        json.dumps(good[0]),
        "{not json",
        json.dumps({"id": "x", "title": "t"}),
        json.dumps(good[1]),
        json.dumps(good[0]),
        "[1, 2]",
        json.dumps({"id": "y", "body": 5}),
        json.dumps({"id": "z", "body": "  "}),
    ]
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a gzip file cut in the middle: the lines before the cut are kept
    full = gzip.compress("".join(json.dumps(r) + "\n" for r in REAL[2:8]).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(full[: len(full) // 2])
    (tmp_path / "latin1.txt").write_bytes("Declaración del fiscal sobre la pena capital".encode("latin-1"))
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"id": "a", "body": ', encoding="utf-8")
    releases, rejects = read(tmp_path, tmp_path / "missing.jsonl")
    reasons = {(Path(r.path).name, r.line): r.reason for r in rejects}
    assert reasons[("mixed.jsonl", 2)].startswith("malformed JSON")
    assert reasons[("mixed.jsonl", 3)] == "missing body"
    assert reasons[("mixed.jsonl", 5)].startswith(f"duplicate id '{good[0]['id']}'")
    assert reasons[("mixed.jsonl", 6)] == "expected a JSON object, got list"
    assert reasons[("mixed.jsonl", 7)] == "field 'body' must be a string, not int"
    assert reasons[("mixed.jsonl", 8)] == "missing body"
    assert [k for k in reasons if k[0] == "cut.jsonl.gz"][0][1] >= 1
    assert next(v for k, v in reasons.items() if k[0] == "cut.jsonl.gz").startswith(("truncated gzip", "corrupt gzip"))
    assert reasons[("latin1.txt", None)].startswith("bad encoding")
    assert reasons[("image.txt", None)].startswith("binary file")
    assert reasons[("notes.docx", None)].startswith("unsupported file type")
    assert reasons[("empty.txt", None)] == "missing body"
    assert reasons[("broken.json", None)].startswith("malformed JSON")
    assert reasons[("missing.jsonl", None)] == "no such file or folder"
    read_ids = {r.id for r in releases}
    assert {good[0]["id"], good[1]["id"]} <= read_ids
    gz_kept = read_ids - {good[0]["id"], good[1]["id"]}
    assert gz_kept and gz_kept <= {r["id"] for r in REAL[2:8]}
    # counts add up: every record of every file is either a release or a rejection
    assert len(releases) + len([r for r in rejects if r.path.endswith("mixed.jsonl")]) - len(gz_kept) == len(lines)


def test_hidden_files_and_the_index_itself_are_not_inputs(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", REAL[:1])
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "CURRENT").write_text("gen-x\n")
    items = list(read_releases([tmp_path], exclude=[tmp_path / "index"]))
    assert [type(i).__name__ for i in items] == ["Release"]


def test_wrong_types_are_rejected_with_the_field_named(tmp_path):
    base = {"id": "w", "body": "Texto real de un comunicado."}
    cases = [{**base, "title": ["x"]}, {**base, "id": {"a": 1}}, {**base, "components": [1, 2]}, {**base, "url": 7}]
    write_jsonl(tmp_path / "types.jsonl", cases)
    releases, rejects = read(tmp_path)
    assert releases == []
    assert [r.reason for r in rejects] == [
        "field 'title' must be a string, not list",
        "field 'id' must be a string, not dict",
        "field 'components' must be a string or a list of strings",
        "field 'url' must be a string, not int",
    ]


def test_unparseable_date_is_kept_in_extra_not_lost(tmp_path):
    write_jsonl(tmp_path / "d.jsonl", [{**REAL[0], "date": "sometime in spring"}])
    (r,), _ = read(tmp_path)
    assert r.date is None and r.extra["date_unparsed"] == "sometime in spring"


GIVEN_IDS = [
    "kings_ny-2016_11_29_brooklyn-man-convicted-of-murder-for-firing-",  # a trailing dash, kept
    "a/b",
    "a-b",
    "a b",
    "50%",
    "#hash",
    "what?",
    "~tilde",
    "a~2Fb",  # looks like an escape; still a different release from "a/b"
    "Declaración/2019",
    "..",
    ".",
    ".hidden",
    "end.",
    "x" * 512,
]


@pytest.mark.parametrize("given", GIVEN_IDS)
def test_ids_are_kept_as_given_with_a_reversible_url_id(given):
    url = url_id(given)
    assert re.fullmatch(r"[A-Za-z0-9_.~-]+", url) and url not in (".", "..")
    assert given_id(url) == given
    if re.fullmatch(r"[A-Za-z0-9_.-]+", given) and given not in (".", ".."):
        assert url == given  # kept exactly


def test_different_given_ids_never_share_a_url_id(tmp_path):
    records = [{"id": given, "body": f"Release {n}."} for n, given in enumerate(GIVEN_IDS)]
    releases, rejects = read(write_jsonl(tmp_path / "ids.jsonl", records))
    assert rejects == [] and len({r.id for r in releases}) == len(GIVEN_IDS)
    assert [r.source_id for r in releases] == GIVEN_IDS


@pytest.mark.parametrize(
    "given, reason",
    [
        ("", "empty id"),
        ("   ", "only white space"),
        ("x" * 513, "id longer than 512 characters"),
        ("a\x00b", "has control characters"),
    ],
)
def test_unusable_ids_are_rejected_with_a_reason(tmp_path, given, reason):
    _, (rejection,) = read(write_jsonl(tmp_path / "bad.jsonl", [{"id": given, "body": "A release."}]))
    assert reason in rejection.reason


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2019-12-05", "2019-12-05"),
        ("2019-12-05T10:00:00-06:00", "2019-12-05"),
        ("December 5, 2019", "2019-12-05"),
        ("5 de diciembre de 2019", "2019-12-05"),
        ("Dec. 5, 2019", "2019-12-05"),
        ("2019-02-30", None),
        ("soon", None),
    ],
)
def test_dates_in_the_formats_releases_use(raw, expected):
    assert normalize_date(raw) == expected


def test_derived_title_cuts_on_a_word_boundary():
    body = REAL[0]["body"]
    title = derive_title(body)
    assert len(title) <= 121 and title.endswith("…") and body.startswith(title[:-1].rstrip())


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_lines_keep_their_numbers_across_chunk_boundaries(tmp_path, monkeypatch, chunk):
    import indexer.sources as sources

    monkeypatch.setattr(sources, "READ_CHUNK", chunk)
    monkeypatch.setattr(sources, "MAX_RECORD_BYTES", 300)
    records = [json.dumps({"id": f"r{i}", "body": f"Body {i} " * (i % 5 + 1)}) for i in range(6)]
    lines = ["", records[0], "   ", "\t", records[1], "", "", records[2], "x" * 400, records[3], " ", records[4]]
    lines.append(records[5])  # the last line has no newline
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_releases([path]))
    got = [(i.id, i.line) if isinstance(i, Release) else ("rejected", i.line) for i in items]
    expected = [(f"r{json.loads(line)['id'][1:]}", n) for n, line in enumerate(lines, 1) if line.startswith("{")]
    expected.insert(3, ("rejected", 9))  # the 400-byte line is over the (lowered) limit
    assert got == expected


def test_a_gzip_of_blank_lines_holds_no_record(tmp_path):
    path = tmp_path / "blank.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(b"\n" * 2_000_000 + json.dumps({"id": "last", "body": "Fraud."}).encode())
    (release,) = list(read_releases([path]))
    assert (release.id, release.line) == ("last", 2_000_001)
