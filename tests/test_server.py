"""The running server: every write the CLI makes is served at once by every worker and thread, and
slow or malformed clients never stop it from answering others.

Both run against a real ``pressroom serve`` (gunicorn, 2 workers x 2 threads) on loopback.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from indexer.build import build_index

from .conftest import DATA, REAL, ROOT, SOURCES, running_server, server_errors, write_jsonl

#: Requests per check, sent 8 at a time so that every worker and thread answers some.
ROUNDS = 24


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def every_answer(url: str) -> list[tuple[int, dict]]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(get, [url] * ROUNDS))


def pressroom(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "indexer.cli", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def served_ids(base: str) -> list[list[str]]:
    """The ids of every release, as each of ROUNDS requests sees them (hits in id order)."""
    answers = every_answer(f"{base}/api/search?per_page=100&sort=oldest")
    assert {status for status, _ in answers} == {200}
    return [sorted(h["id"] for h in data["hits"]) for _, data in answers]


def test_every_write_of_the_cli_is_served_by_every_worker_at_once(tmp_path):
    index = tmp_path / "index"
    build_index(SOURCES, index, workers=1)
    log = tmp_path / "serve.log"
    gone, changed = "doj-opa-12613", REAL[1]
    with running_server(index, log, env={"PRESSROOM_RATE_LIMIT": "1000000 per minute"}) as base:
        before = served_ids(base)
        assert all(ids == before[0] for ids in before) and gone in before[0] and len(before[0]) == 22

        pressroom("delete", gone, "--index", str(index))
        after_delete = served_ids(base)
        assert all(ids == sorted(set(before[0]) - {gone}) for ids in after_delete)
        assert {status for status, _ in every_answer(f"{base}/api/releases/{gone}")} == {404}

        edited = dict(changed, title="A title changed by update")
        pressroom("update", str(write_jsonl(tmp_path / "edited.jsonl", [edited])), "--index", str(index))
        after_update = served_ids(base)
        assert all(ids == after_delete[0] for ids in after_update)  # the same releases, none twice
        titles = {data["title"] for _, data in every_answer(f"{base}/api/releases/{changed['id']}")}
        assert titles == {"A title changed by update"}

        keep = write_jsonl(tmp_path / "keep.jsonl", REAL[:5])
        pressroom("update", str(keep), "--index", str(index), "--prune")
        after_prune = served_ids(base)
        assert all(ids == sorted(r["id"] for r in REAL[:5]) for ids in after_prune)

        pressroom("build", str(DATA / "seed"), "--index", str(index), "--workers", "1")
        assert all(ids == ["000_5da1fa392d2f8c78"] for ids in served_ids(base))
    assert server_errors(log) == []


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory, built_index):
    log = tmp_path_factory.mktemp("slow") / "serve.log"
    env = {"PRESSROOM_HEADER_TIMEOUT": "2", "PRESSROOM_RATE_LIMIT": "1000000 per minute"}
    with running_server(built_index, log, env=env) as base:
        yield base


def half_requests(base: str, n: int) -> list[socket.socket]:
    """``n`` connections that send a request line and one header, then nothing."""
    host, port = base.removeprefix("http://").split(":")
    sockets = []
    for _ in range(n):
        s = socket.create_connection((host, int(port)), timeout=10)
        s.sendall(b"GET /api/search?q=fraud HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    return sockets


def test_fifty_slow_clients_do_not_stop_a_normal_request(slow_server):
    sockets = half_requests(slow_server, 50)
    try:
        for path in ("/healthz", "/api/search?q=fraud", "/?q=fraud"):
            # Answered within a second although every app thread could have been held by them.
            with urllib.request.urlopen(slow_server + path, timeout=1.0) as r:
                assert r.status == 200
    finally:
        for s in sockets:
            s.close()


def test_a_client_that_never_finishes_its_headers_gets_408_and_is_closed(slow_server):
    (s,) = half_requests(slow_server, 1)
    with s:
        s.settimeout(10)
        answer = b""
        while chunk := s.recv(4096):  # returns b"" once the server closes the connection
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"x-content-type-options: nosniff" in answer.lower()


@pytest.mark.parametrize("request_bytes", [b"GARBAGE\r\n\r\n", b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n"])
def test_the_servers_own_error_answers_carry_the_security_headers(slow_server, request_bytes):
    host, port = slow_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request_bytes)
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    head = answer.split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 400 ")
    for header in (b"x-content-type-options: nosniff", b"x-frame-options: deny", b"content-security-policy:"):
        assert header in head


def test_a_url_past_the_limit_is_414_with_the_error_json(slow_server):
    status, data = get(slow_server + "/api/search?q=" + "a" * 9000)
    assert status == 414 and data["error"]["code"] == "request_uri_too_long"


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path, built_index):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "webapp.cli", "serve", "--index", str(built_index), "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: port {port} is in use; try --port {port + 1}"
