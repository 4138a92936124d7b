"""The CLI against a remote store: push and pull with their count checks, read-only stores, credentials.
Each test uses a small project of its own (its data, ontology, shapes and context), on the session's
Oxigraph server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backends import oxigraph_server  # type: ignore[import-not-found]
from eventkg.cli import cli
from eventkg.store import EmbeddedStore
from eventkg.store.remote import RemoteStore

EX = "http://example.org/c/"


def record(slug: str, n: int = 3, blank: bool = True) -> str:
    lines = ["@prefix ekg: <https://w3id.org/eventkg/ontology#> .", f"@prefix ex: <{EX}> .",
             f"<{EX}record/{slug}> a ekg:Record ."]
    part = '[ ex:k "{i}" ]' if blank else "ex:{slug}-part-{i}"
    lines += [f'ex:{slug}-{i} ex:label "{slug} {i}"@en ; ex:n {i} ; ex:part {part.format(i=i, slug=slug)} .'
              for i in range(n)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    for slug in ("alpha", "beta", "gamma"):
        (tmp_path / "data" / f"{slug}.ttl").write_text(record(slug), encoding="utf-8")
    (tmp_path / "ontology.ttl").write_text(
        "<https://w3id.org/eventkg/ontology> a <http://www.w3.org/2002/07/owl#Ontology> .\n", encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    (tmp_path / "context.jsonld").write_text('{"@context": {}}', encoding="utf-8")
    (tmp_path / "queries").mkdir()
    (tmp_path / "eventkg.toml").write_text(
        f'base_iri = "{EX}"\nstore = "store"\ndata = ["data"]\nontology = "ontology.ttl"\nshapes = "shapes.ttl"\n'
        'context = "context.jsonld"\nqueries = "queries"\n', encoding="utf-8")
    return tmp_path


@pytest.fixture
def remote(request: Any) -> dict[str, str]:
    server = oxigraph_server(request)
    server.clear()
    return server.urls


def run(proj: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, ["--project", str(proj), *args], obj={}, catch_exceptions=False,
                              env={"EVENTKG_STORE": "", "EVENTKG_UPDATE_URL": "", "EVENTKG_GSP_URL": "",
                                   "EVENTKG_USER": "", "EVENTKG_PASSWORD": "", "EVENTKG_TOKEN": "", **(env or {})})


def test_push_then_pull_round_trip_with_count_checks(proj: Path, remote: dict[str, str]) -> None:
    assert run(proj, "load").exit_code == 0
    r = run(proj, "push", "--to", remote["query"], "--update-url", remote["update"], "--gsp-url", remote["gsp"])
    assert r.exit_code == 0, r.output
    assert "Pushed 4 records" in r.output and "counts match" in r.output
    rs = RemoteStore(remote["query"])
    assert [g for g in rs.records() if g.startswith(EX)] == [f"{EX}record/{s}" for s in ("alpha", "beta", "gamma")]
    assert rs.count(f"{EX}record/alpha") == 1 + 3 * 4
    # the remote changes; pull brings it back (--mirror: exactly the remote's records)
    rs2 = RemoteStore(remote["query"], remote["update"])
    rs2.remove_record(f"{EX}record/beta")
    r = run(proj, "pull", "--from", remote["query"], "--mirror")
    assert r.exit_code == 0, r.output
    assert "Pulled 3 records" in r.output
    with EmbeddedStore(proj / "store") as local:
        assert [g for g in local.records() if g.startswith(EX)] == [f"{EX}record/alpha", f"{EX}record/gamma"]


def test_push_without_update_url_says_so(proj: Path, remote: dict[str, str]) -> None:
    assert run(proj, "load").exit_code == 0
    r = run(proj, "push", "--to", remote["query"])
    assert r.exit_code == 2 and "eventkg push --to URL --update-url URL" in r.output


def test_push_reads_the_local_store_beside_a_running_server(proj: Path, remote: dict[str, str]) -> None:
    """push only reads the local store: beside a process that holds it for writing, it opens it read-only."""
    assert run(proj, "load").exit_code == 0
    held = EmbeddedStore(proj / "store")
    try:
        r = run(proj, "push", "--to", remote["query"], "--update-url", remote["update"], "--gsp-url", remote["gsp"])
        assert r.exit_code == 0, r.output
        assert "counts match" in r.output
    finally:
        held.close()


def test_remote_store_commands(proj: Path, remote: dict[str, str]) -> None:
    opts = ["--store", remote["query"], "--update-url", remote["update"], "--gsp-url", remote["gsp"]]
    r = run(proj, *opts, "load")
    assert r.exit_code == 0, r.output
    assert "4 records" in r.output
    extra = proj / "delta.ttl"
    # no blank-node subjects: the validator hands every subject to pySHACL as a focus node, which refuses them
    extra.write_text(record("delta", blank=False), encoding="utf-8")
    r = run(proj, *opts, "validate", str(extra))
    assert r.exit_code == 0 and "Conforms: yes" in r.output
    assert run(proj, *opts, "add", str(extra)).exit_code == 0
    r = run(proj, *opts, "validate", "--replace", str(extra))   # in the context of the other records only
    assert r.exit_code == 0, r.output
    r = run(proj, *opts, "add", str(extra))
    assert r.exit_code == 2 and "already" in r.output
    r = run(proj, *opts, "query", "--sparql", f"SELECT ?l WHERE {{ <{EX}delta-1> <{EX}label> ?l }}", "--format", "csv")
    assert r.exit_code == 0 and "delta 1" in r.output
    r = run(proj, *opts, "export", "--format", "nt", "--record", f"{EX}record/delta")
    assert r.exit_code == 0 and len(r.output.strip().splitlines()) == 10
    r = run(proj, *opts, "stats", "--format", "json")
    assert r.exit_code == 0 and '"triples": 50' in r.output
    assert run(proj, *opts, "remove", f"{EX}record/delta").exit_code == 0
    # read-only: no update URL
    r = run(proj, "--store", remote["query"], "add", str(extra))
    assert r.exit_code == 2 and "no update endpoint" in r.output and "--update-url" in r.output
    r = run(proj, "--store", remote["query"], "query", "--sparql", "ASK { ?s ?p ?o }")
    assert r.exit_code == 0 and "yes" in r.output


def test_credentials_from_options_or_environment_are_never_printed(proj: Path) -> None:
    r = run(proj, "--store", "http://127.0.0.1:9/query", "--update-url", "http://127.0.0.1:9/update",
            "--user", "ana", "--password", "pw-do-not-print", "stats")
    assert r.exit_code == 2 and "cannot connect" in r.output and "pw-do-not-print" not in r.output
    r = run(proj, "--store", "http://ana:pw-in-url@127.0.0.1:9/query", "stats",
            env={"EVENTKG_TOKEN": "token-do-not-print"})
    assert r.exit_code == 2 and "pw-in-url" not in r.output and "token-do-not-print" not in r.output
    assert "127.0.0.1:9/query" in r.output


def test_push_says_when_the_remote_holds_staging_graphs_an_interrupted_write_left(proj: Path,
                                                                                 remote: dict[str, str]) -> None:
    """A staging graph left by an interrupted write is seen by queries over the union default graph: a push
    whose per-record counts match says so too, instead of reporting only "counts match"."""
    assert run(proj, "load").exit_code == 0
    push = ["push", "--to", remote["query"], "--update-url", remote["update"]]
    r = run(proj, *push)
    assert r.exit_code == 0 and "staging" not in r.output, r.output
    left = "urn:eventkg:staging:1700000000-abcdef123456:0"
    rs = RemoteStore(remote["query"], remote["update"])
    rs.update(f'INSERT DATA {{ GRAPH <{left}> {{ <{EX}left> <{EX}p> "half-written" }} }}')
    try:
        r = run(proj, *push)
        assert r.exit_code == 0 and "counts match" in r.output, r.output
        assert "1 staging graph(s) left by an interrupted write" in r.output, r.output
        r = run(proj, *push, "--mirror")
        assert r.exit_code == 0 and "staging" not in r.output, r.output
    finally:
        rs.update(f"DROP SILENT GRAPH <{left}>")
