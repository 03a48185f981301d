"""A plain (non-editable) install serves the whole site: templates, CSS and JavaScript ship inside.

The wheel built from pyproject.toml is installed into a fresh virtual environment, and its own
``pressroom`` builds an index and serves it from a folder outside the source tree, so nothing can
be found through the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.request
import venv
from pathlib import Path

from .conftest import DATA, ROOT, free_port


def run(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def project_copy(dest: Path) -> Path:
    """The project's files as git sees them (tracked or new, never ignored ones such as build/)."""
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


def test_a_wheel_install_serves_every_page_with_its_css_and_js(tmp_path):
    source = project_copy(tmp_path / "source")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", source, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("pressroom-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    where = run(bin_dir / "python", "-c", "import webapp, indexer; print(webapp.__file__)", cwd=tmp_path)
    assert where.startswith(str(tmp_path / "venv")), where  # the installed copy, not the checkout
    run(bin_dir / "pressroom", "build", DATA / "releases.jsonl", "--index", tmp_path / "ix", "-q", cwd=tmp_path)

    port = free_port()
    server = subprocess.Popen(
        [bin_dir / "pressroom", "serve", "--index", tmp_path / "ix", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == f"Pressroom: http://127.0.0.1:{port}/"
        base = f"http://127.0.0.1:{port}"

        def get(path: str) -> str:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                assert response.status == 200, path
                return response.read().decode("utf-8")

        for path in ("/", "/?q=fraud", "/help", "/facets/agency", "/release/doj-opa-12613?q=fraud", "/api/search"):
            page = get(path)
            assert path.startswith("/api/") or '<link rel="stylesheet" href="/static/pressroom.css">' in page
        assert get("/static/pressroom.css") == (ROOT / "webapp" / "static" / "pressroom.css").read_text()
        assert get("/static/pressroom.js") == (ROOT / "webapp" / "static" / "pressroom.js").read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
