"""``pressroom serve``: the app under gunicorn (worker processes, so both cores answer queries)."""

from __future__ import annotations

import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from gunicorn.app.base import BaseApplication


def announce_when_answering(host: str, port: int, timeout: float = 60.0) -> None:
    """Print ``Pressroom: http://HOST:PORT/`` once the server answers a request (any status)."""
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{probe_host}:{port}/healthz", timeout=30).close()
        except urllib.error.HTTPError:
            pass  # it answered (503 before an index exists is an answer)
        except OSError:
            time.sleep(0.1)
            continue
        print(f"Pressroom: http://{shown}:{port}/", flush=True)
        return
    print(f"Pressroom: the server did not answer on {shown}:{port} within {timeout:.0f}s", file=sys.stderr, flush=True)


class PressroomServer(BaseApplication):
    """A gunicorn application serving ``create_app`` on the given index."""

    def __init__(self, index: str, options: dict[str, Any]) -> None:
        self.index = index
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self):
        from . import create_app

        return create_app({"INDEX_DIR": self.index})


def serve(index: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 2, threads: int = 2) -> None:
    """Run gunicorn in the foreground until interrupted."""

    def when_ready(server) -> None:
        threading.Thread(target=announce_when_answering, args=(host, port), daemon=True).start()

    def post_worker_init(worker) -> None:
        # Each worker opens the index and builds its arrays before it takes requests.
        worker.wsgi.extensions["pressroom.engine"].warm()

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 120,
        "limit_request_line": 8190,  # gunicorn's maximum: long searches fit; longer URLs get 414
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "when_ready": when_ready,
        "post_worker_init": post_worker_init,
        "proc_name": "pressroom",
    }
    PressroomServer(index, options).run()
