"""Generations, update/prune/delete, the lock, killed builds, and the CLI's contracts and exit codes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from indexer import build as build_module
from indexer.build import FAULT_PAUSE_ENV, build_index, update_index
from indexer.entities.gazetteer import gazetteer
from indexer.search import Engine, SearchRequest
from indexer.store import IndexStore

from .conftest import DATA, REAL, ROOT, SOURCES, search_ids, write_jsonl

REPORT_KEYS = [
    "read",
    "indexed",
    "added",
    "updated",
    "unchanged",
    "deleted",
    "rejected",
    "reextracted",
    "truncated",
    "seconds",
]


# build


def test_build_report_counts_add_up_and_rejects_are_written(tmp_path, invoke):
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", REAL[:5])
    (src / "b.jsonl").write_text(json.dumps(REAL[5]) + "\n{broken\n" + json.dumps(REAL[0]) + "\n", encoding="utf-8")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02")
    result = invoke("build", src, "--index", tmp_path / "ix", "--json", "--workers", "2")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == REPORT_KEYS
    assert {k: report[k] for k in REPORT_KEYS[:-1]} == {
        "read": 9,
        "indexed": 6,
        "added": 6,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 3,
        "reextracted": 0,
        "truncated": 0,
    }
    assert report["read"] == report["indexed"] + report["rejected"]
    generation = IndexStore(tmp_path / "ix").current()
    rejects = [json.loads(line) for line in (generation / "rejects.jsonl").read_text().splitlines()]
    assert sorted((Path(r["path"]).name, r["line"]) for r in rejects) == [
        ("b.jsonl", 2),
        ("b.jsonl", 3),
        ("bin.txt", None),
    ]
    assert all(list(r) == ["path", "line", "reason"] for r in rejects)
    assert "rejected " in result.stderr and "bin.txt: binary file" in result.stderr


def test_workers_give_the_same_index(tmp_path):
    build_index(SOURCES, tmp_path / "one", workers=1)
    build_index(SOURCES, tmp_path / "two", workers=2)
    with Engine(tmp_path / "one") as one_engine, Engine(tmp_path / "two") as two_engine:
        one = [json.dumps(r, sort_keys=True) for r in one_engine.iter_releases()]
        two = [json.dumps(r, sort_keys=True) for r in two_engine.iter_releases()]
    assert one == two and len(one) == 22


def test_nothing_indexable_exits_4_and_keeps_the_old_index(tmp_path, invoke, index_copy):
    before = IndexStore(index_copy).current_name()
    (tmp_path / "junk.txt").write_bytes(b"\x00")
    result = invoke("build", tmp_path / "junk.txt", "--index", index_copy)
    assert result.exit_code == 4
    assert "no indexable release" in result.stderr
    assert IndexStore(index_copy).current_name() == before


def test_rebuild_switches_generation_and_readers_follow(tmp_path, index_copy):
    engine = Engine(index_copy)
    request_close = engine.close
    assert len(search_ids(index_copy)) == 22
    old = engine.generation()
    assert engine.search(SearchRequest()).total == 22
    build_index([DATA / "seed"], index_copy, workers=1)
    assert engine.search(SearchRequest()).total == 1  # same Engine, new generation
    assert engine.generation() != old
    assert (index_copy / (IndexStore(index_copy).path / "PREVIOUS").read_text().strip()).is_dir()
    request_close()


def test_old_generations_are_collected_after_the_grace_period(tmp_path):
    ix = tmp_path / "ix"
    for _ in range(3):
        build_index([DATA / "seed"], ix, workers=1)
    store = IndexStore(ix)
    assert len(list(ix.glob("gen-*"))) == 3  # all within the grace period
    assert store.collect_garbage(grace_seconds=0) != []
    assert {p.name for p in ix.glob("gen-*")} == {store.current_name(), (ix / "PREVIOUS").read_text().strip()}


# update, prune, delete


def test_update_adds_replaces_skips_and_prunes(tmp_path, invoke):
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "r.jsonl", REAL[:6])
    build_index([src], ix, workers=1)
    changed = dict(REAL[0], title="Corrected title about Wyko Tire espionage")
    write_jsonl(src, [changed] + REAL[1:5] + [REAL[6]])  # one changed, four same, one new, one gone
    result = invoke("update", src, "--index", ix, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("read", "added", "updated", "unchanged", "deleted", "rejected")} == {
        "read": 6,
        "added": 1,
        "updated": 1,
        "unchanged": 4,
        "deleted": 0,
        "rejected": 0,
    }
    assert report["read"] == report["added"] + report["updated"] + report["unchanged"] + report["rejected"]
    assert search_ids(ix, "Corrected title") == [REAL[0]["id"]]
    assert len(search_ids(ix)) == 7
    result = invoke("update", src, "--index", ix, "--prune", "--json")
    report = json.loads(result.stdout)
    assert (report["unchanged"], report["deleted"]) == (6, 1)
    assert REAL[5]["id"] not in search_ids(ix) and len(search_ids(ix)) == 6


def test_update_reextracts_when_the_tables_change(tmp_path, monkeypatch):
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "r.jsonl", REAL[:3])
    build_index([src, DATA / "seed"], ix, workers=1)
    monkeypatch.setattr(gazetteer(), "version", "tables-edited")  # as if a table were edited
    report = update_index([src], ix)
    # the three in the sources are re-extracted as updates; the seed (not in the sources) from the index
    assert (report.updated, report.unchanged, report.reextracted) == (3, 0, 1)
    with Engine(ix) as engine:
        assert {r["extractor"] for r in engine.iter_releases()} == {"tables-edited"}
    assert update_index([src], ix).unchanged == 3


def test_update_of_an_index_built_before_a_new_field(tmp_path, monkeypatch):
    """An index from an older Pressroom lacks fields the code now writes: update still works and
    says a rebuild adds them (here the code is made one field newer than the index)."""
    from whoosh.fields import KEYWORD

    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "r.jsonl", REAL[:2])
    build_index([src], ix, workers=1)
    newer_schema, newer_prepare = build_module.make_schema, build_module.prepare_or_reject

    def schema_with_a_new_field():
        schema = newer_schema()
        schema.add("future_field", KEYWORD())
        return schema

    monkeypatch.setattr(build_module, "make_schema", schema_with_a_new_field)
    monkeypatch.setattr(
        build_module, "prepare_or_reject", lambda *a, **k: {**newer_prepare(*a, **k), "future_field": "x"}
    )
    monkeypatch.setattr(gazetteer(), "version", "newer")
    report = update_index([write_jsonl(tmp_path / "r.jsonl", REAL[:3])], ix)
    assert (report.added, report.updated) == (1, 2)
    assert report.notes == ["this index predates the field(s) future_field; `pressroom build` rebuilds it with them"]
    assert len(search_ids(ix)) == 3


def test_update_of_an_index_built_before_ids_were_kept_as_given(tmp_path):
    """An index whose meta lacks the ids scheme was built when ids were rewritten: update says so."""
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "r.jsonl", REAL[:2])
    build_index([src], ix, workers=1)
    assert not any("ids" in note for note in update_index([src], ix).notes)
    store = IndexStore(ix)
    generation = store.current()
    meta = store.read_meta(generation)
    del meta["ids"]
    store.write_meta(generation, meta)
    notes = update_index([src], ix).notes
    assert any("before ids were kept as given" in note for note in notes), notes


def test_delete(tmp_path, invoke, index_copy):
    result = invoke("delete", "doj-opa-12613", "no-such-id", "--index", index_copy)
    assert result.exit_code == 0
    assert "not found: no-such-id" in result.stderr
    assert "doj-opa-12613" not in search_ids(index_copy)
    assert invoke("delete", "no-such-id", "--index", index_copy).exit_code == 1


# the lock and killed builds


def test_a_second_writer_gets_exit_3(tmp_path, invoke, index_copy):
    with IndexStore(index_copy).lock():
        for args in (["build", DATA / "seed"], ["update", DATA / "seed"], ["delete", "x"]):
            result = invoke(*args, "--index", index_copy)
            assert result.exit_code == 3, args
            assert "another build, update or delete is running" in result.stderr
    assert invoke("update", DATA / "seed", "--index", index_copy).exit_code == 0


def test_killed_build_leaves_the_old_generation_answering(tmp_path, index_copy):
    """Killed while indexing (held there by the fault-pause hook, so the kill always lands mid-build)."""
    queries = ["Sánchez Cordero", "indicted", "", "Peña"]
    before = {q: search_ids(index_copy, q) for q in queries}
    current = IndexStore(index_copy).current_name()
    big = write_jsonl(tmp_path / "big.jsonl", [dict(r, id=f"{r['id']}-copy{i}") for i in range(3) for r in REAL])
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "build", str(big), "--index", str(index_copy), "--workers", "1"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, FAULT_PAUSE_ENV: "indexing:60"},
    )
    stages = []
    while not stages or not stages[-1].startswith("indexing"):  # the first document reached the writer
        stages.append(proc.stderr.readline())
        assert stages[-1], stages
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert IndexStore(index_copy).current_name() == current
    assert {q: search_ids(index_copy, q) for q in queries} == before
    # the next build needs no cleanup: the lock died with the process
    build_index([DATA / "seed"], index_copy, workers=1)
    assert search_ids(index_copy) == ["000_5da1fa392d2f8c78"]


def test_update_after_delete_restores_the_release(tmp_path, invoke):
    ix = tmp_path / "ix"
    src = write_jsonl(tmp_path / "r.jsonl", REAL[:3])
    build_index([src], ix, workers=1)
    assert invoke("delete", REAL[1]["id"], "--index", ix).exit_code == 0
    result = invoke("update", src, "--index", ix)
    assert result.stdout.startswith("updated: read 3, indexed 1, added 1, unchanged 2, rejected 0 ")
    assert "done: read 3, added 1, updated 0, unchanged 2, rejected 0 " in result.stderr  # progress agrees
    assert sorted(search_ids(ix)) == sorted(r["id"] for r in REAL[:3])
