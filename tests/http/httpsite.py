"""Fixtures for the HTTP tests: the real server (uvicorn on a free loopback port, in a thread) over a store of
every backend (``BACKENDS`` of tests/conftest.py) loaded with data/, as `eventkg load` leaves it.

Imported by the test modules (a conftest.py here would shadow tests/conftest.py as module ``conftest``)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import uvicorn

from eventkg.config import load_settings
from eventkg.project import Project
from eventkg.records import rebuild
from eventkg.server.app import Options, create_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-5f1c"
BASE = "https://w3id.org/eventkg/"
WORKSHOP = BASE + "id/event/aichr-tip-workshop-2018"
RECORD = BASE + "record/aichr-tip-workshop-2018"
DOCUMENT = BASE + "id/document/aichr-tip-workshop-2018-06-26"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _backends() -> dict[str, Any]:
    """The backends of tests/conftest.py (built the same way: importing that module by name is ambiguous
    when other folders have a conftest.py too)."""
    from eventkg.store import EmbeddedStore

    out: dict[str, Any] = {"embedded": lambda tmp, request: EmbeddedStore(tmp / "store")}
    try:
        from backends import register  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover
        return out
    register(out)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    url: str
    project: Project
    app: Any
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kw)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def start(project: Project, **options: Any) -> Running:
    """The app over ``project`` served by uvicorn on a free loopback port, in a thread."""
    app = create_app(project, Options(**options))
    port = free_port()
    # The same HTTP protocol as `eventkg serve` (head and body of a response in one send).
    from eventkg.server.command import http_protocol

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                           http=http_protocol()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    return Running(f"http://127.0.0.1:{port}", project, app, server, thread)


FALLBACK_QUERY = """# title: Who supported an event?
# description: The organisations that supported the event (schema:sponsor), by name.
# param: event iri The event (default: id:event/aichr-tip-workshop-2018)
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?sponsor ?name WHERE {
  ?event schema:sponsor ?sponsor .
  OPTIONAL { ?sponsor schema:name|rdfs:label ?name }
} ORDER BY ?name
"""


def loaded_project(request: pytest.FixtureRequest, tmp: Path) -> Project:
    settings = load_settings(ROOT, env={}, store="memory")
    if not list(settings.path(settings.queries).glob("*.rq")):
        # the named queries have not landed yet: one of our own
        folder = tmp / "queries"
        folder.mkdir(exist_ok=True)
        (folder / "event-supporters.rq").write_text(FALLBACK_QUERY, encoding="utf-8")
        settings = settings.with_(queries=str(folder))
    store = _backends()[request.param](tmp, request)
    project = Project(settings, store)
    try:
        ctx = project.context
    except Exception:  # the JSON-LD context file is not there yet
        ctx = None
    s = settings
    rebuild(store, [s.path(d) for d in s.data], ontology=s.path(s.ontology), context=ctx)
    return project


def backend_params() -> list[str]:
    return sorted(_backends())


@pytest.fixture(scope="module", params=backend_params(), ids=lambda p: p)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The server over the workshop data, writes allowed with TOKEN, queries limited to 2 s."""
    project = loaded_project(request, tmp_path_factory.mktemp("site"))
    running = start(project, timeout=2.0, allow_update=True, token=TOKEN, workers=2, max_body=200_000)
    try:
        yield running
    finally:
        running.stop()
        project.close()


@pytest.fixture(scope="module")
def client(site: Running) -> Iterator[httpx.Client]:
    with site.client() as c:
        yield c
