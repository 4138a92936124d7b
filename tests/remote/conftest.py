"""Fixtures for the remote store tests: every backend (Virtuoso too, where it is installed), a private
Oxigraph server a test may stop, and a small reverse proxy that checks credentials or injects faults."""

from __future__ import annotations

import http.server
import socketserver
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

from backends import (OxigraphServer, oxigraph_binary, register, virtuoso_available,  # type: ignore[import-not-found]
                      virtuoso_store)
from eventkg.store import EmbeddedStore, Store

ALL: dict[str, Any] = {"embedded": lambda tmp, request: EmbeddedStore(tmp / "store")}
register(ALL)
if virtuoso_available():
    ALL["virtuoso"] = virtuoso_store


@pytest.fixture(params=sorted(ALL), ids=lambda p: p)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A clean store of every backend that can run here, Virtuoso included."""
    s = ALL[request.param](tmp_path, request)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def own_server() -> Iterator[OxigraphServer]:
    """An Oxigraph server of this test's own, which it may stop, kill and restart."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed")
    server = OxigraphServer(binary).start()
    try:
        yield server
    finally:
        server.cleanup()


class Proxy:
    """A reverse proxy on a free loopback port. ``check(handler, body)`` may answer the request itself by
    returning (status, headers, body); otherwise it is forwarded to ``upstream``."""

    def __init__(self, upstream: str, check: Callable[[Any, bytes], tuple[int, dict[str, str], bytes] | None]) -> None:
        self.upstream = upstream.rstrip("/")
        self.check = check
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                proxy.requests.append((self.command, self.path, dict(self.headers), body))
                answer = proxy.check(self, body)
                if answer is None:
                    headers = {k: v for k, v in self.headers.items()
                               if k.lower() not in ("host", "authorization", "content-length", "connection")}
                    try:
                        r = httpx.request(self.command, proxy.upstream + self.path, headers=headers, content=body,
                                          timeout=120)
                    except httpx.HTTPError:
                        self.close_connection = True
                        return
                    answer = (r.status_code, {"Content-Type": r.headers.get("content-type", "text/plain")},
                              r.content)
                status, hdrs, data = answer
                if status == 0:   # drop the connection without an answer
                    self.close_connection = True
                    return
                self.send_response(status)
                for k, v in hdrs.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy() -> Iterator[Callable[..., Proxy]]:
    made: list[Proxy] = []

    def make(upstream: str, check: Callable[[Any, bytes], Any]) -> Proxy:
        p = Proxy(upstream, check)
        made.append(p)
        return p

    yield make
    for p in made:
        p.close()
