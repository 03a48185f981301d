"""The Typesense backend when nodes die: a cluster of its own (3 real nodes), killed with SIGKILL.

- Searches keep answering while the leader is killed (at most ``MAX_FAILED`` failed searches;
  the client retries on the other nodes), and the killed node rejoins and catches up on a write
  it missed.
- A build while a follower is down completes; the follower catches up when it comes back.
- A build killed half-way leaves the alias on the previous generation.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from indexer.backends.cluster import health, kill_node, read_state, restart_node, start_cluster, stop_cluster
from indexer.backends.typesense import ClusterConfig, TypesenseBackend, TypesenseEngine, make_client
from indexer.search import SearchRequest
from indexer.store import IndexLoadingError
from tests.conftest import REAL, ROOT, SOURCES, SUMMARY, typesense_config, typesense_env, write_jsonl

#: Failed searches allowed while the leader dies (the README states the same figure).
MAX_FAILED = 3
#: Seconds the search loop runs after the kill.
LOOP_AFTER_KILL = 6.0


@pytest.fixture()
def cluster(tmp_path):
    data = tmp_path / "cluster"
    state = start_cluster(data, 3)
    try:
        yield data, ClusterConfig(state["urls"], state["api_key"], "failover")
    finally:
        stop_cluster(data)


def raft_state(url: str, key: str) -> int | None:
    """1 for the leader, 4 for a follower (Typesense's /debug), None when the node does not answer."""
    request = urllib.request.Request(url + "/debug", headers={"X-TYPESENSE-API-KEY": key})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return json.loads(response.read()).get("state")
    except OSError:
        return None


def leader(config: ClusterConfig, timeout: float = 30.0) -> int:
    """Index of the node that leads (waits for an election)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for i, url in enumerate(config.urls):
            if raft_state(url, config.api_key) == 1:
                return i
        time.sleep(0.2)
    raise AssertionError("no leader elected")


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not health(url):
        assert time.monotonic() < deadline, f"{url} did not come back"
        time.sleep(0.3)


def node_count(config: ClusterConfig, url: str, query: str) -> int:
    """Matches of a query counted by one node alone (no retry on another node)."""
    client = make_client(config, [url], retries=0)
    try:
        name = client.aliases[config.alias].retrieve()["collection_name"]
        params = {"q": query, "query_by": "tx_title,tx_content", "prefix": "false", "num_typos": 0}
        return client.collections[name].documents.search(params)["found"]
    finally:
        client.api_call.close()


def test_searches_survive_killing_the_leader_and_the_node_catches_up(cluster, tmp_path):
    data, config = cluster
    backend = TypesenseBackend(tmp_path / "local", config)
    backend.build(SOURCES, workers=1)
    req = SearchRequest(query="seguridad", agency=["SEDENA"])
    outcome = {"ok": 0, "failed": 0, "wrong": 0}
    errors: list[str] = []
    with TypesenseEngine(config) as engine:
        expected = engine.search(req).as_dict()
        stop = threading.Event()

        def loop() -> None:
            for _ in range(10_000):  # bounded; stops when told
                if stop.is_set():
                    return
                try:
                    got = engine.search(req).as_dict()
                    outcome["ok" if got == expected else "wrong"] += 1
                except Exception as e:
                    outcome["failed"] += 1
                    errors.append(f"{type(e).__name__}: {e}")

        thread = threading.Thread(target=loop)
        thread.start()
        time.sleep(1.0)
        killed = leader(config)
        before = outcome["ok"]
        kill_node(data, killed)
        time.sleep(LOOP_AFTER_KILL)
        stop.set()
        thread.join(timeout=30)
    SUMMARY["typesense failover"] = (
        f"{outcome['ok']} searches answered ({outcome['ok'] - before} after SIGKILL of the leader), "
        f"{outcome['failed']} failed, {outcome['wrong']} wrong"
    )
    assert outcome["wrong"] == 0
    assert outcome["failed"] <= MAX_FAILED, errors
    assert outcome["ok"] - before >= 10, outcome  # it kept answering after the kill

    # A write while the node is down (a new leader takes it), then the node rejoins and catches up.
    leader(config)
    added = write_jsonl(tmp_path / "new.jsonl", [{**REAL[0], "id": "written-while-down", "body": "Quetzalcoatl."}])
    assert backend.update([added]).added == 1
    down_url = config.urls[killed]
    restart_node(data, killed)
    wait_healthy(down_url)
    deadline = time.monotonic() + 30
    while node_count(config, down_url, "quetzalcoatl") != 1:
        assert time.monotonic() < deadline, "the node that was killed never caught up"
        time.sleep(0.3)
    others = [u for u in config.urls if u != down_url]
    assert node_count(config, down_url, "seguridad") == node_count(config, others[0], "seguridad") > 0


def test_a_build_completes_while_a_follower_is_down(cluster, tmp_path):
    data, config = cluster
    follower = next(i for i in range(3) if i != leader(config))
    kill_node(data, follower)
    report = TypesenseBackend(tmp_path / "local", config).build(SOURCES, workers=1)
    assert report.indexed == 22
    with TypesenseEngine(config) as engine:
        assert engine.search(SearchRequest()).total == 22
    restart_node(data, follower)
    url = config.urls[follower]
    wait_healthy(url)
    deadline = time.monotonic() + 30
    while True:
        try:
            if node_count(config, url, "seguridad") > 0:
                break
        except Exception:
            pass
        assert time.monotonic() < deadline, "the follower never caught up with the build"
        time.sleep(0.3)
    assert read_state(data)["nodes"][follower]["pid"]


def test_a_killed_build_leaves_the_alias_on_the_previous_generation(typesense_cluster, tmp_path):
    config = typesense_config(typesense_cluster, "killed")
    local = tmp_path / "local"
    TypesenseBackend(local, config).build(SOURCES[:1], workers=1)
    with TypesenseEngine(config) as engine:
        before = engine.search(SearchRequest(per_page=100)).as_dict()
        generation = engine.status()["generation"]
    env = {**os.environ, **typesense_env(config), "PRESSROOM_FAULT_PAUSE": "indexing:60"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "build", *map(str, SOURCES), "--index", str(local), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while "indexing" not in line:  # held at the first document written to the new collection
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "the build ended before indexing"
        time.sleep(0.5)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    with TypesenseEngine(config) as engine:
        assert engine.status()["generation"] == generation
        assert engine.search(SearchRequest(per_page=100)).as_dict() == before
    # The next build needs no cleanup (the lock died with the process) and switches.
    report = TypesenseBackend(local, config).build(SOURCES, workers=1)
    with TypesenseEngine(config) as engine:
        assert engine.status() == {"generation": report.generation, "releases": 22}


def test_a_node_that_exits_while_the_cluster_forms_is_started_again(tmp_path, monkeypatch):
    """Seen once in CI on a loaded machine: a new node exited at once, with an empty log. The
    cluster is started again on other ports (a dead process stands in for that node here)."""
    from indexer.backends import cluster as cluster_module

    launch = cluster_module._launch
    calls = []

    def dying_once(node, api_key, nodes_file):
        calls.append(node.api_port)
        if len(calls) == 3:  # the third node of the first attempt
            gone = subprocess.Popen(["true"])
            gone.wait()
            return gone.pid
        return launch(node, api_key, nodes_file)

    monkeypatch.setattr(cluster_module, "_launch", dying_once)
    data = tmp_path / "cluster"
    state = start_cluster(data, 3)
    try:
        assert len(calls) == 6 and set(calls[:3]).isdisjoint(calls[3:])  # new ports the second time
        assert all(health(url) for url in state["urls"])
    finally:
        stop_cluster(data)


def test_a_node_just_started_is_alive_before_its_command_line_shows_it(tmp_path):
    """Right after the fork, /proc shows Python's command line, not the server's: a node checked
    then was taken for dead, its cluster stopped, and the wait for it never ended (one
    `cluster start` hung 10 minutes on a loaded machine). A child this process started is alive
    while it has not exited."""
    from indexer.backends import cluster as cluster_module

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    cluster_module._CHILDREN[proc.pid] = proc
    try:
        assert cluster_module.alive(proc.pid, str(tmp_path))  # no --data-dir on its command line
        proc.terminate()
        proc.wait()
        assert not cluster_module.alive(proc.pid, str(tmp_path))
    finally:
        cluster_module._CHILDREN.pop(proc.pid, None)
        proc.kill()


def test_collecting_a_node_that_ignores_sigterm_does_not_wait_forever(monkeypatch):
    from indexer.backends import cluster as cluster_module

    monkeypatch.setattr(cluster_module, "STOP_TIMEOUT", 0.5)
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1, flush=True); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    proc.stdout.readline()  # the handler is in place
    proc.stdout.close()
    cluster_module._CHILDREN[proc.pid] = proc
    started = time.monotonic()
    cluster_module._reap(proc.pid)
    assert proc.poll() is not None and time.monotonic() - started < 10


def test_a_stopped_cluster_starts_again_from_its_snapshot(tmp_path, monkeypatch, invoke):
    """Typesense snapshots every hour by default: a cluster stopped within the hour replayed its
    whole log when started again, every import and update since its collections were made (about
    4 minutes for the full corpus, slow for minutes after). Nodes now snapshot a minute after
    writes (here 2 s), so a restart loads the snapshot; `cluster start` on a folder it started
    before waits as long as loading takes, not the 90 s a new cluster gets."""
    from indexer.backends import cluster as cluster_module

    monkeypatch.setattr(cluster_module, "SNAPSHOT_SECONDS", 2)
    data = tmp_path / "cluster"
    state = start_cluster(data, 3)
    try:
        config = ClusterConfig(state["urls"], state["api_key"], "restart")
        TypesenseBackend(tmp_path / "local", config).build(SOURCES, workers=1)
        logs = [tmp_path / "cluster" / f"node-{i}.log" for i in (1, 2, 3)]
        deadline = time.monotonic() + 60
        while not all("snapshot_save_done" in log.read_text(errors="replace") for log in logs):
            assert time.monotonic() < deadline, "no node snapshotted within 60 s of the build"
            time.sleep(0.5)
    finally:
        stop_cluster(data)
    sizes = [len(log.read_bytes()) for log in logs]
    waited = []
    wait_healthy = cluster_module.wait_healthy
    monkeypatch.setattr(
        cluster_module,
        "wait_healthy",
        lambda members, timeout: (waited.append(timeout), wait_healthy(members, timeout)),
    )
    result = invoke("cluster", "start", "--nodes", "3", "--data", data)
    try:
        assert result.exit_code == 0, result.output
        assert "loads its data" in result.output and waited == [cluster_module.RESTART_TIMEOUT]
        for log, size in zip(logs, sizes, strict=True):
            restart = log.read_bytes()[size:].decode(errors="replace")
            assert "snapshot_load_done" in restart and "Snapshot does not exist" not in restart, log
        with TypesenseEngine(config) as engine:
            deadline = time.monotonic() + 60
            while True:
                try:
                    assert engine.search(SearchRequest()).total == 22
                    break
                except IndexLoadingError:
                    assert time.monotonic() < deadline
                    time.sleep(0.5)
    finally:
        stop_cluster(data)
