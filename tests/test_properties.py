"""Property-based tests (Hypothesis): hostile release files and hostile queries.

Profiles: ``ci`` (the default under CI=true) runs at least 200 examples per property; ``dev``
runs 50. Each property prints how many inputs it generated.
"""

from __future__ import annotations

import gzip
import json
import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.build import build_index
from indexer.sources import Rejection, Release, read_releases

from .conftest import REAL, SUMMARY

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "dev",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev"))

GENERATED: dict[str, int] = {}

# Text with the odd characters scraped releases carry.
odd_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("\x00\x01\x1b\u202e\u200f\u05d0\u0627\U0001f600\ufeff\r\n\t")),
    ),
    max_size=200,
)
any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(odd_text, children, max_size=4),
    max_leaves=12,
)
odd_dates = st.one_of(
    st.none(),
    st.just(""),
    st.dates().map(str),
    st.just("2019-02-30"),
    st.just("31/12/2019"),
    st.just("December 5, 2019"),
    st.just("5 de diciembre de 2019"),
    st.just("yesterday"),
    st.integers(),
    odd_text,
)


@st.composite
def records(draw):
    """A JSON record: a real release with fields replaced by hostile values, or anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(any_json)
    base = dict(draw(st.sampled_from(REAL)))
    for field in draw(
        st.sets(
            st.sampled_from(["id", "title", "date", "url", "lang", "body", "agency", "components", "topics"]),
            max_size=4,
        )
    ):
        choice = draw(st.integers(0, 3))
        if field == "date":
            base[field] = draw(odd_dates)
        elif choice == 0:
            base.pop(field, None)
        elif choice == 1:
            base[field] = draw(any_json)
        elif choice == 2:
            base[field] = draw(st.sampled_from(["", "   ", "\n\t"]))
        else:
            base[field] = draw(odd_text)
    if draw(st.booleans()):
        base["id"] = draw(st.sampled_from(["dup-1", "dup-2", base.get("id", "x")]))
    return base


@st.composite
def release_files(draw):
    """(file name, bytes): JSONL (maybe gzipped, maybe truncated), JSON, text, HTML or junk."""
    kind = draw(st.sampled_from(["jsonl", "jsonl.gz", "json", "txt", "html", "bin"]))
    recs = draw(st.lists(records(), min_size=0, max_size=6))
    if kind in ("jsonl", "jsonl.gz"):
        lines = []
        for r in recs:
            try:
                lines.append(json.dumps(r, ensure_ascii=draw(st.booleans())).encode("utf-8"))
            except (TypeError, ValueError):
                lines.append(b"{bad")
        if draw(st.booleans()):
            lines.insert(draw(st.integers(0, len(lines))), draw(st.binary(max_size=40)))  # garbage line
        if draw(st.booleans()) and lines:
            lines.append("Año señal".encode("latin-1"))  # mixed encodings
        data = b"\n".join(lines) + b"\n"
        if kind == "jsonl.gz":
            data = gzip.compress(data)
            if draw(st.booleans()):
                data = data[: draw(st.integers(0, len(data)))]  # truncated gzip
        return kind, data
    if kind == "json":
        payload = recs if draw(st.booleans()) else (recs[0] if recs else {})
        try:
            return kind, json.dumps(payload).encode("utf-8")
        except (TypeError, ValueError):
            return kind, b"[{"
    if kind == "txt":
        return kind, draw(
            st.one_of(odd_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200))
        )
    if kind == "html":
        body = draw(odd_text)
        return kind, f"<html><head><title>{draw(odd_text)}</title></head><body><p>{body}</p></body></html>".encode(
            "utf-8", "surrogatepass"
        )
    return kind, draw(st.binary(max_size=200))


def expected_records(kind: str, data: bytes) -> int | None:
    """How many records a well-formed file holds (None where the file is one unit)."""
    if kind != "jsonl":
        return None
    return sum(1 for line in data.split(b"\n") if line.strip())


@given(files=st.lists(release_files(), min_size=1, max_size=4))
def test_every_input_is_indexed_or_rejected_with_location_and_reason(tmp_path_factory, files):
    GENERATED["files"] = GENERATED.get("files", 0) + len(files)
    folder = tmp_path_factory.mktemp("hostile")
    jsonl_lines = 0
    for n, (kind, data) in enumerate(files):
        (folder / f"f{n}.{kind}").write_bytes(data)
        jsonl_lines += expected_records(kind, data) or 0
    items = list(read_releases([folder]))
    releases = [i for i in items if isinstance(i, Release)]
    rejects = [i for i in items if isinstance(i, Rejection)]
    for r in rejects:
        assert r.path.startswith(str(folder)) and r.reason
    for r in releases:
        assert r.id and all(c.isalnum() or c in "_.~-" for c in r.id) and r.body.strip()
    assert len({r.id for r in releases}) == len(releases)  # duplicates were rejected
    # every line of a plain .jsonl file is accounted for
    for n, (kind, data) in enumerate(files):
        if kind == "jsonl":
            path = str(folder / f"f{n}.{kind}")
            accounted = sum(1 for i in items if (i.path == path))
            assert accounted == expected_records(kind, data)
    # and the build never crashes: the counts add up
    if releases:
        report = build_index([folder], folder / "index", workers=1)
        assert report.read == report.indexed + report.rejected == len(items)


def test_a_50_mb_json_line_is_indexed(tmp_path):
    body = ("Real text of a release, repeated. " * 1_600_000)[: 50 * 2**20]
    path = tmp_path / "huge.jsonl"
    path.write_text(
        json.dumps({"id": "huge", "title": "A very long release", "body": body}) + "\n" + json.dumps(REAL[0]) + "\n"
    )
    items = list(read_releases([path]))
    assert [type(i).__name__ for i in items] == ["Release", "Release"]


def test_deeply_nested_json_is_rejected_not_crashed(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps(REAL[0]) + "\n")
    items = list(read_releases([path]))
    assert isinstance(items[0], Rejection) and items[0].line == 1 and "JSON" in items[0].reason
    assert isinstance(items[1], Release)


# Queries: every route, random strings and parameters, never a 500.


@pytest.fixture(scope="module")
def client(built_index, make_app):
    app = make_app(built_index)
    return app.test_client()


ROUTES = ["/", "/api/search", "/facets/official", "/api/facets/agency", "/export.csv", "/export.json", "/feed.atom"]
query_text = st.one_of(
    odd_text,
    st.text(alphabet=string.printable + "áéíóúñ“”«»", max_size=60),
    st.lists(
        st.sampled_from(
            [
                "AND",
                "OR",
                "NOT",
                '"',
                "(",
                ")",
                "*",
                "title:",
                "body:",
                "agency:",
                "nofield:",
                "Sánchez",
                "y",
                "o",
                ":",
                "^2",
                "~",
                "[a TO b]",
            ]
        ),
        max_size=8,
    ).map(" ".join),
    st.text(min_size=400, max_size=700),
)
param_value = st.one_of(st.integers(-(10**12), 10**12).map(str), odd_text, st.just(""), st.just("2019-13-45"))


@given(
    route=st.sampled_from(ROUTES),
    q=query_text,
    params=st.dictionaries(
        st.sampled_from(
            [
                "page",
                "per_page",
                "facet_size",
                "sort",
                "from",
                "to",
                "agency",
                "official",
                "role",
                "lang",
                "year",
                "prefix",
                "ui",
            ]
        ),
        param_value,
        max_size=4,
    ),
)
def test_random_queries_never_500(client, route, q, params):
    GENERATED["queries"] = GENERATED.get("queries", 0) + 1
    r = client.get(route, query_string={"q": q, **params})
    assert r.status_code in (200, 400), (route, q, params, r.status_code)
    if route.startswith("/api/") and r.status_code == 400:
        err = r.get_json()["error"]
        assert err["message"] and err["param"]
    body = r.get_data(as_text=True)
    assert "Traceback" not in body


@given(release_id=st.one_of(odd_text, st.sampled_from(["..", "../etc/passwd", "%2e%2e", "a/../../b", "x" * 5000])))
def test_random_release_ids_are_404_or_found(client, release_id):
    GENERATED["ids"] = GENERATED.get("ids", 0) + 1
    from urllib.parse import quote

    for prefix in ("/release/", "/api/releases/"):
        r = client.get(prefix + quote(release_id, safe=""))
        if r.status_code == 308:  # "/release//x" is first normalised to "/release/x"
            r = client.get(r.headers["Location"])
        assert r.status_code in (200, 404), (release_id, r.status_code)


def test_report_generated_counts():
    """Runs last in this module: report how many inputs the properties generated."""
    SUMMARY["hypothesis"] = (
        f"{GENERATED.get('files', 0)} release files, {GENERATED.get('queries', 0)} random requests, "
        f"{GENERATED.get('ids', 0)} release ids generated (profile {settings.default.max_examples} examples a property)"
    )
    assert GENERATED.get("files", 0) >= 1 and GENERATED.get("queries", 0) >= 1
