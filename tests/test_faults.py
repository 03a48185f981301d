"""Faults: builds and updates killed at every stage, reads during rebuilds, a read-only index and a
full disk. The index must keep answering as before (or as after, if the switch completed) and the
next run must need no cleanup."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from indexer.build import FAULT_PAUSE_ENV, build_index, update_index
from indexer.search import Engine, SearchRequest
from indexer.store import IndexStore

from .conftest import DATA, REAL, ROOT, SUMMARY, ids, running_server, server_errors, write_jsonl

QUERIES = ["", "Sánchez Cordero", "indicted", "Peña", "secretario", "fraud OR tax"]
STAGES = ["reading", "indexing", "commit", "switch"]


def answers(index: Path) -> dict[str, tuple[int, list[str]]]:
    with Engine(index) as engine:
        out = {}
        for q in QUERIES:
            page = engine.search(SearchRequest(query=q, per_page=20)).as_dict()
            out[q] = (page["total"], ids(page))
        return out


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Two different real source sets: A (the old index) and B (what the killed runs write)."""
    root = tmp_path_factory.mktemp("faults")
    a = write_jsonl(root / "a.jsonl", [dict(r, id=f"{r['id']}-a{i}") for i in range(20) for r in REAL[:9]])
    b = write_jsonl(root / "b.jsonl", [dict(r, id=f"{r['id']}-b{i}") for i in range(20) for r in REAL[9:]])
    return root, a, b


def run_and_kill(args: list[str], stage: str, delay: float, env: dict) -> str | None:
    """Start `pressroom ARGS`, SIGKILL it ``delay`` s after it announces ``stage``; return the last stage seen."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", *args],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    last = None
    try:
        for line in proc.stderr:
            seen = line.split(":", 1)[0]
            if seen in STAGES + ["done"]:
                last = seen
            if seen == stage:
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    finally:
        proc.stderr.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return last


def test_killed_builds_and_updates_leave_a_working_index(corpora, tmp_path):
    root, a, b = corpora
    index = tmp_path / "index"
    build_index([a], index, workers=1)
    before = answers(index)
    reference = tmp_path / "reference"
    build_index([b], reference, workers=1)
    after_build = answers(reference)
    update_ref = tmp_path / "update-ref"
    shutil.copytree(index, update_ref)
    update_index([b], update_ref)
    after_update = answers(update_ref)
    assert before != after_build

    env = {**os.environ, FAULT_PAUSE_ENV: "reading:0.3,indexing:0.3,commit:0.3,switch:0.3"}
    rng = random.Random(20261128)
    hit: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    plans = [
        (cmd, stage)
        for cmd in ("build", "update")
        for stage in STAGES
        if not (cmd == "update" and stage in ("indexing", "switch"))
    ]
    runs = attempts = 0
    while runs < 24 and attempts < 60:
        attempts += 1
        cmd, stage = plans[runs % len(plans)]
        delay = rng.choice([0.0, 0.1, 0.25, 0.45])
        args = (
            [cmd, str(b), "--index", str(index), "--workers", "1"]
            if cmd == "build"
            else [cmd, str(b), "--index", str(index)]
        )
        current_before = IndexStore(index).current_name()
        last = run_and_kill(args, stage, delay, env)
        if last == "done":
            continue  # the run finished before the kill: not a fault, try again
        runs += 1
        hit[f"{cmd}@{last}"] += 1
        now = answers(index)
        if cmd == "build":
            switched = IndexStore(index).current_name() != current_before
            assert now == (after_build if switched else before), (cmd, stage, delay)
            outcomes["build switched" if switched else "build kept old"] += 1
        else:
            assert now in (before, after_update), (cmd, stage, delay)
            outcomes["update committed" if now == after_update else "update kept old"] += 1
        # back to the old index for the next round: a normal build, which must need no cleanup
        build_index([a], index, workers=1)
        assert answers(index) == before
    SUMMARY["killed runs"] = (
        f"{runs} builds and updates killed; stage reached: {dict(sorted(hit.items()))}; outcomes: {dict(outcomes)}"
    )
    assert runs >= 20
    assert {k.split("@")[1] for k in hit} >= {"reading", "indexing", "commit", "switch"}  # every stage was hit


def test_reads_during_rebuild_and_update_never_fail(corpora, tmp_path):
    root, a, b = corpora
    index = tmp_path / "index"
    build_index([a], index, workers=1)
    log = tmp_path / "serve.log"
    stop = threading.Event()
    failures: list[str] = []
    totals: list[int] = []
    threads: list[threading.Thread] = []
    # Three clients in a loop pass 1,200 requests a minute; the rate limit is tested elsewhere.
    with running_server(index, log, env={"PRESSROOM_RATE_LIMIT": "1000000 per minute"}) as url:

        def client() -> None:
            n = 0
            while not stop.is_set() and n < 20000:
                q = QUERIES[n % len(QUERIES)]
                n += 1
                try:
                    with urllib.request.urlopen(f"{url}/api/search?q={urllib.parse.quote(q)}", timeout=30) as r:
                        data = json.loads(r.read())
                        if q == "":
                            totals.append(data["total"])
                except urllib.error.HTTPError as e:
                    failures.append(f"{e.code} for {q!r}")
                except OSError as e:
                    failures.append(f"{e} for {q!r}")

        threads = [threading.Thread(target=client) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            time.sleep(1.0)
            build = subprocess.run(
                [sys.executable, "-m", "indexer.cli", "build", str(b), "--index", str(index), "--workers", "2", "-q"],
                cwd=ROOT,
            )
            assert build.returncode == 0
            time.sleep(1.0)
            extra = write_jsonl(tmp_path / "extra.jsonl", [dict(r, id=f"{r['id']}-extra") for r in REAL[:3]])
            update = subprocess.run(
                [sys.executable, "-m", "indexer.cli", "update", str(extra), "--index", str(index), "-q"], cwd=ROOT
            )
            assert update.returncode == 0
            time.sleep(1.5)
        finally:
            stop.set()
            for t in threads:
                t.join()
    SUMMARY["reads during rebuild"] = (
        f"about {len(totals) * len(QUERIES)} searches during a build and an update, {len(failures)} failed"
    )
    assert failures == []
    a_count, b_count = 9 * 20, 9 * 20
    # results moved from the old generation to the new one, then to the updated one
    assert totals[0] == a_count and b_count in totals and totals[-1] == b_count + 3
    assert server_errors(log) == []


# Disk problems: these need root to mount; CI runs as root.

needs_root = pytest.mark.skipif(os.geteuid() != 0 and os.environ.get("CI") != "true", reason="mounting needs root")


@pytest.fixture()
def mounts():
    done: list[Path] = []
    yield done
    for path in reversed(done):
        subprocess.run(["umount", "-l", str(path)], check=False)


@needs_root
def test_read_only_index_gives_a_clear_message_and_keeps_the_old_index(corpora, tmp_path, mounts, invoke):
    root, a, b = corpora
    index = tmp_path / "ro-index"
    build_index([a], index, workers=1)
    before = answers(index)
    subprocess.run(["mount", "--bind", str(index), str(index)], check=True)
    mounts.append(index)
    subprocess.run(["mount", "-o", "remount,ro,bind", str(index)], check=True)
    for args in (["build", b, "--workers", "1"], ["update", b], ["delete", REAL[0]["id"] + "-a0"]):
        result = invoke(*args, "--index", index)
        assert result.exit_code == 1, args
        assert "Read-only file system" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert answers(index) == before


@needs_root
def test_full_disk_during_build_gives_a_clear_message_and_keeps_the_old_index(corpora, tmp_path, mounts):
    root, a, b = corpora
    disk = tmp_path / "small-disk"
    disk.mkdir()
    staging = tmp_path / "staging"
    build_index([DATA / "seed"], staging, workers=1)
    used = sum(f.stat().st_size for f in staging.rglob("*") if f.is_file())
    size_kb = used // 1024 + 400  # the old index fits; a new generation of 180 releases does not
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(disk)], check=True)
    mounts.append(disk)
    index = disk / "index"
    shutil.copytree(staging, index)
    before = answers(index)
    generations = sorted(p.name for p in index.glob("gen-*"))
    # the real command, in its own process (as a user runs it)
    result = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "build", str(b), "--index", str(index), "--workers", "1", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "No space left on device" in result.stderr and "previous index is unchanged" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert answers(index) == before
    assert sorted(p.name for p in index.glob("gen-*")) == generations  # the partial generation is gone
    # once there is room, the next build works without cleanup
    subprocess.run(["umount", "-l", str(disk)], check=True)  # lazily: the failed writer may still hold a file
    mounts.remove(disk)
    assert not index.exists()  # the tmpfs (and its copy of the index) is gone; build afresh
    assert build_index([b], tmp_path / "fresh", workers=1).indexed == 180
