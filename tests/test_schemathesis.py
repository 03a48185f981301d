"""Schemathesis against /api/openapi.json on the real server (gunicorn): every documented route,
generated valid and invalid requests, every check; no failures allowed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from .conftest import ROOT

SCHEMATHESIS = shutil.which("schemathesis", path=os.path.dirname(sys.executable)) or shutil.which("schemathesis")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is a test dependency; run `make install-test`")
def test_schemathesis_finds_no_failures(built_index, tmp_path):
    port = free_port()
    env = {**os.environ, "PRESSROOM_RATE_LIMIT": "1000000 per minute"}  # the limit is tested elsewhere
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--index", str(built_index), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=log, text=True, cwd=ROOT, env=env)
    try:
        assert server.stdout.readline().startswith("Pressroom: ")
        run = subprocess.run(
            [SCHEMATHESIS, "run", f"http://127.0.0.1:{port}/api/openapi.json", "--checks", "all",
             "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "150"), "--workers", "2", "--seed", "20261128"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        log.close()
    summary = [line for line in run.stdout.splitlines() if "generated" in line]
    print("\nschemathesis:", summary[-1].strip() if summary else run.stdout[-500:])
    assert run.returncode == 0, run.stdout[-6000:]
    assert "[ERROR]" not in (tmp_path / "serve.log").read_text()
