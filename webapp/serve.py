"""``pressroom serve``: gunicorn worker processes, each reading requests with asyncio (uvicorn) and
running the Flask app in a thread pool (a2wsgi).

Why this stack: with gunicorn's threaded workers a client that sends half a request holds a
thread until it gives up, so eight slow clients stopped a 2 x 2 server. Here a connection costs a
coroutine until its request is complete; only complete requests reach the app's threads, a client
gets ``HEADER_TIMEOUT`` seconds to send its headers, and gunicorn still supervises the worker
processes (so both cores answer queries).
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from a2wsgi import WSGIMiddleware
from gunicorn.app.base import BaseApplication
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

#: Seconds a client has to send a request's line and headers, from its first byte (or from
#: connecting); past it the connection is closed with 408 (``PRESSROOM_HEADER_TIMEOUT``).
HEADER_TIMEOUT = float(os.environ.get("PRESSROOM_HEADER_TIMEOUT", "10"))
#: Open connections one worker keeps; past it new ones get 503 at once.
MAX_CONNECTIONS = 2000
#: Seconds an idle keep-alive connection stays open.
KEEPALIVE = 5
#: Headers of every answer the server writes itself (malformed requests, timeouts); the app's
#: own answers carry these and its Content-Security-Policy (``webapp.create_app``).
SERVER_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


class GuardedHTTP(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for request headers and Pressroom's security
    headers on the answers the server writes itself."""

    _header_timer: Any = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(HEADER_TIMEOUT, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:  # not inside an answered request
            self._write_error(408, b"Request Timeout", "The request's headers did not arrive in time.")

    def send_400_response(self, msg: str) -> None:
        self._write_error(400, b"Bad Request", msg)

    def _write_error(self, status: int, reason: bytes, message: str) -> None:
        body = message.encode("utf-8")
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        for name, value in [*SERVER_HEADERS, (b"content-type", b"text/plain; charset=utf-8")]:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
        if not self.transport.is_closing():
            self.transport.write(b"".join(head) + body)
            self.transport.close()


class PressroomWorker(UvicornWorker):
    """A gunicorn worker serving the app with ``GuardedHTTP`` (no lifespan: the app is WSGI)."""

    CONFIG_KWARGS = {
        "loop": "asyncio",
        "http": GuardedHTTP,
        "lifespan": "off",
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_keep_alive": KEEPALIVE,
        "access_log": False,
        "server_header": False,
    }


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


class PortInUseError(OSError):
    """The address to serve on is taken; the message suggests another port."""


def check_port(host: str, port: int) -> None:
    """Raise ``PortInUseError`` when ``host:port`` cannot be bound (before gunicorn starts)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise PortInUseError(errno.EADDRINUSE, f"port {port} is in use; try --port {port + 1}") from None
            raise


class PressroomServer(BaseApplication):
    """A gunicorn application serving ``create_app`` on the given index."""

    def __init__(self, index: str, threads: int, options: dict[str, Any], backend: str | None = None) -> None:
        self.index = index
        self.backend = backend
        self.threads = threads
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> WSGIMiddleware:
        from . import create_app

        app = create_app({"INDEX_DIR": self.index, **({"BACKEND": self.backend} if self.backend else {})})
        # Each worker opens the index and builds its arrays before it takes requests.
        app.extensions["pressroom.engine"].warm()
        return WSGIMiddleware(app, workers=self.threads)


def serve(
    index: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 2,
    threads: int = 4,
    backend: str | None = None,
) -> None:
    """Run the server in the foreground until interrupted."""
    check_port(host, port)

    def when_ready(server) -> None:
        threading.Thread(target=announce_when_answering, args=(host, port), daemon=True).start()

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": f"{__name__}.PressroomWorker",
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": KEEPALIVE,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "when_ready": when_ready,
        "proc_name": "pressroom",
    }
    PressroomServer(index, threads, options, backend).run()
