"""The server over a remote store that fails: the public answer (502) says what went wrong without naming
the store's own endpoints, hosts behind the server that its users need not know."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventkg.config import load_settings
from eventkg.project import Project
from eventkg.records import rebuild
from eventkg.store.remote import RemoteStore
from httpsite import start

ROOT = Path(__file__).resolve().parents[2]


def test_a_failing_remote_store_is_a_502_that_does_not_name_its_endpoints(tmp_path: Path) -> None:
    from backends import OxigraphServer, oxigraph_binary  # type: ignore[import-not-found]

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed")
    server = OxigraphServer(binary).start()
    try:
        u = server.urls
        store = RemoteStore(u["query"], u["update"], u["gsp"], retries=0, backoff=0.01)
        settings = load_settings(ROOT, env={}, store=u["query"], update_url=u["update"], gsp_url=u["gsp"])
        project = Project(settings, store)
        rebuild(store, [settings.path(d) for d in settings.data], ontology=settings.path(settings.ontology),
                context=project.context)
        running = start(project, workers=0)
        try:
            with running.client() as c:
                assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
                server.stop()
                r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
                assert r.status_code == 502, r.text
                detail = r.json()["detail"]
                assert "the store" in detail and "cannot connect" in detail, detail
                assert server.base not in detail and f":{server.port}" not in detail, detail
                page = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/html"})
                assert page.status_code == 502 and f":{server.port}" not in page.text
        finally:
            running.stop()
            project.close()
    finally:
        server.cleanup()
