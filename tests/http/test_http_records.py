"""The records API: POST /records, PUT and DELETE /records/{id}; validation, tokens, limits; and that a
write is seen at once by queries, documents and pages."""

from __future__ import annotations

import json
from typing import Iterator

import httpx
import pytest
from rdflib import Graph, URIRef

from httpsite import TOKEN, Running, backend_params, loaded_project, start

RECORD = "https://w3id.org/eventkg/record/http-test"
TOPIC = "https://w3id.org/eventkg/id/topic/http-test-topic"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TTL = {"Content-Type": "text/turtle", **AUTH}

GOOD = """@base <https://w3id.org/eventkg/id/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/eventkg/record/http-test> a ekg:Record ;
    dcterms:title "A record added over HTTP"@en ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    prov:wasDerivedFrom <document/aichr-tip-workshop-2018-06-26> ;
    dcterms:modified "2026-11-27"^^xsd:date .
<topic/http-test-topic> a skos:Concept ;
    skos:prefLabel "a topic added over HTTP"@en ;
    skos:definition "A topic that the HTTP tests add and remove."@en ;
    skos:inScheme <scheme/topics> ;
    skos:broader <topic/trafficking-in-persons> .
"""
BAD = GOOD.replace('dcterms:title "A record added over HTTP"@en ;', "").replace(
    'skos:prefLabel "a topic added over HTTP"@en ;', "")
RENAMED = GOOD.replace("a topic added over HTTP", "a topic renamed over HTTP")


@pytest.fixture(scope="module", params=backend_params(), ids=lambda p: p)
def writable(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    project = loaded_project(request, tmp_path_factory.mktemp("rw"))
    running = start(project, allow_update=True, token=TOKEN, workers=1, max_body=20_000)
    try:
        yield running
    finally:
        running.stop()
        project.close()


@pytest.fixture
def c(writable: Running) -> Iterator[httpx.Client]:
    with writable.client() as client:
        yield client
        client.delete("/records/http-test", headers=AUTH)


def _ask(c: httpx.Client, q: str) -> bool:
    return bool(c.get("/sparql", params={"query": q}).json()["boolean"])


def test_post_validates_and_adds(c: httpx.Client) -> None:
    assert c.get("/id/topic/http-test-topic").status_code == 404
    r = c.post("/records", content=GOOD, headers=TTL)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"{c.base_url}/record/http-test"
    body = r.json()
    assert body["records"][0]["iri"] == RECORD and body["conforms"] is True
    # seen at once by queries (in the workers), documents and pages
    assert _ask(c, f"ASK {{ <{TOPIC}> ?p ?o }}")
    assert c.get("/id/topic/http-test-topic", headers={"Accept": "text/turtle"}).status_code == 303
    assert "a topic added over HTTP" in c.get("/doc/id/topic/http-test-topic.html").text
    # the same record again is a conflict
    r = c.post("/records", content=GOOD, headers=TTL)
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"


def test_post_json_ld(c: httpx.Client) -> None:
    g = Graph().parse(data=GOOD, format="turtle")
    body = g.serialize(format="json-ld")
    r = c.post("/records", content=body, headers={"Content-Type": "application/ld+json", **AUTH})
    assert r.status_code == 201, r.text


def test_non_conforming_is_422_and_nothing_is_written(c: httpx.Client) -> None:
    r = c.post("/records", content=BAD, headers=TTL)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    p = r.json()
    assert p["status"] == 422 and "nothing was written" in p["detail"]
    found = {(v["focus_node"], v["path"]) for v in p["violations"]}
    assert ("record:http-test", "dcterms:title") in found
    assert ("id:topic/http-test-topic", "skos:prefLabel") in found
    assert all(v["message"] for v in p["violations"])
    assert "report" not in p
    assert not _ask(c, f"ASK {{ GRAPH <{RECORD}> {{ ?s ?p ?o }} }}")
    # the full sh:ValidationReport, on request
    full = c.post("/records?report=full", content=BAD, headers=TTL).json()
    rep = Graph().parse(data=full["report"], format="turtle")
    SH = "http://www.w3.org/ns/shacl#"
    assert (None, URIRef(SH + "conforms"), None) in rep
    r = c.post("/records", content=BAD, headers={**TTL, "Accept": "text/turtle"})
    assert r.status_code == 422 and r.headers["content-type"] == "text/turtle; charset=utf-8"
    rep = Graph().parse(data=r.text, format="turtle")
    assert len(list(rep.subjects(None, URIRef(SH + "ValidationResult")))) == 2


def test_put_replaces_and_delete_removes(c: httpx.Client) -> None:
    r = c.put("/records/http-test", content=GOOD, headers=TTL)
    assert r.status_code == 201, r.text
    r = c.put("/records/http-test", content=RENAMED, headers=TTL)
    assert r.status_code == 200, r.text
    assert _ask(c, f'ASK {{ <{TOPIC}> ?p "a topic renamed over HTTP"@en }}')
    assert not _ask(c, f'ASK {{ <{TOPIC}> ?p "a topic added over HTTP"@en }}')
    # a body holding another record than the URL names
    assert c.put("/records/other", content=GOOD, headers=TTL).status_code == 400
    # a failed replace keeps the old version
    assert c.put("/records/http-test", content=BAD, headers=TTL).status_code == 422
    assert _ask(c, f'ASK {{ <{TOPIC}> ?p "a topic renamed over HTTP"@en }}')
    r = c.delete("/records/http-test", headers=AUTH)
    assert r.status_code == 204
    assert not _ask(c, f"ASK {{ <{TOPIC}> ?p ?o }}")
    assert c.get("/id/topic/http-test-topic").status_code == 404
    r = c.delete("/records/http-test", headers=AUTH)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_tokens(c: httpx.Client, writable: Running) -> None:
    r = c.post("/records", content=GOOD, headers={"Content-Type": "text/turtle"})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = c.post("/records", content=GOOD, headers={"Content-Type": "text/turtle", "Authorization": "Bearer nope"})
    assert r.status_code == 401
    assert c.delete("/records/topics").status_code == 401
    assert c.delete("/records/topics", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    ro = start(writable.project, workers=0)
    try:
        r = httpx.post(ro.url + "/records", content=GOOD, headers=TTL)
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
        assert httpx.delete(ro.url + "/records/topics", headers=AUTH).status_code == 403
    finally:
        ro.stop()


def test_bad_bodies(c: httpx.Client) -> None:
    big = GOOD + "# " + "x" * 30_000 + "\n"
    r = c.post("/records", content=big, headers=TTL)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["limit"] == 20_000

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit still holds
        for _ in range(10):
            yield b"# " + b"y" * 4000 + b"\n"

    r = c.post("/records", content=chunks(), headers=TTL)
    assert r.status_code == 413
    r = c.post("/records", content=GOOD, headers={"Content-Type": "application/pdf", **AUTH})
    assert r.status_code == 415
    r = c.post("/records", content=b"", headers=TTL)
    assert r.status_code == 400 and "the request body is empty" in r.json()["detail"]
    # YAML under its common media types is read (as YAML-LD): this one is read, and refused as no record
    for mt in ("application/yaml", "text/yaml"):
        r = c.post("/records", content='"@context": https://w3id.org/eventkg/ontology/context.jsonld\n'
                                       '"@id": id:event/yaml-test\ntype: Event\n',
                   headers={"Content-Type": mt, **AUTH})
        assert r.status_code == 400 and "ekg:Record" in r.json()["detail"], (mt, r.status_code, r.text)
    r = c.post("/records", content="@prefix x: <urn:x> . x:a x:b", headers=TTL)
    assert r.status_code == 400
    assert "line" in r.json()["detail"]
    r = c.post("/sparql", content="SELECT * WHERE { ?s ?p ?o } #" + "z" * 30_000,
               headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    # graphs that are no records: 400 naming why, nothing written (a body without a record node, a graph
    # named outside record/, the ontology's graph)
    before = c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                   headers={"Accept": "text/csv"}).text
    no_node = GOOD.replace("<https://w3id.org/eventkg/record/http-test> a ekg:Record ;",
                           "<https://w3id.org/eventkg/record/http-test>")
    trig = {"Content-Type": "application/trig", **AUTH}
    for body, headers, words in (
            (no_node, TTL, "no node typed ekg:Record"),
            ("\n".join(GOOD.splitlines()[:6]) + "\n<http://example.org/elsewhere> {\n"
             + "\n".join(GOOD.split("\n<topic", 1)[0].splitlines()[6:]) + "\n}\n", trig, "no record's name"),
            ("<https://w3id.org/eventkg/ontology> { <https://w3id.org/eventkg/ontology> a "
             "<http://www.w3.org/2002/07/owl#Ontology> . }", trig, "no record's name")):
        r = c.post("/records", content=body, headers=headers)
        assert r.status_code == 400, (r.status_code, r.text)
        assert words in r.json()["detail"], r.json()
    assert c.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                 headers={"Accept": "text/csv"}).text == before


def test_a_put_that_takes_away_what_another_record_relies_on_is_refused(c: httpx.Client) -> None:
    """A second record files a topic under the first one's topic; a new version of the first without that
    topic is refused, naming the second record, in JSON and in the page."""
    assert c.put("/records/http-test", content=GOOD, headers=TTL).status_code == 201
    child = (GOOD.replace("record/http-test>", "record/http-test-child>")
             .replace("http-test-topic>", "http-test-child-topic>").replace("added over HTTP", "filed under it")
             .replace("skos:broader <topic/trafficking-in-persons>", "skos:broader <topic/http-test-topic>"))
    try:
        assert c.put("/records/http-test-child", content=child, headers=TTL).status_code == 201
        without = GOOD.split("<topic/http-test-topic>")[0]
        r = c.put("/records/http-test", content=without, headers=TTL)
        assert r.status_code == 422, r.text
        found = {(v["focus_node"], v["path"], v.get("record")) for v in r.json()["violations"]}
        assert found == {("id:topic/http-test-child-topic", "skos:broader", f"{RECORD}-child")}, found
        page = c.put("/records/http-test", content=without, headers={**TTL, "Accept": "text/html"}).text
        assert f"in record <code>{RECORD}-child</code>" in page
        assert _ask(c, f"ASK {{ GRAPH <{RECORD}> {{ <{TOPIC}> ?p ?o }} }}")
    finally:
        c.delete("/records/http-test-child", headers=AUTH)


def test_errors_render_as_pages_for_browsers(c: httpx.Client) -> None:
    r = c.post("/records", content=BAD, headers={**TTL, "Accept": "text/html"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "dcterms:title" in r.text and "id:topic/http-test-topic" in r.text
    data = json.loads(c.post("/records", content=BAD, headers={**TTL, "Accept": "application/json"}).text)
    assert data["status"] == 422


def test_allowed_methods_are_the_ones_that_work(c: httpx.Client) -> None:
    """OPTIONS names the methods a path answers, a 405 names the same ones, in one order every time."""
    for path, ok in (("/records", {"POST"}), ("/records/http-test", {"GET", "HEAD", "PUT", "DELETE"})):
        allow = {m.strip() for m in c.options(path).headers["allow"].split(",")} - {"OPTIONS"}
        assert allow == ok, (path, allow)
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            if method in ok:
                continue
            answers = {c.request(method, path, headers=AUTH).headers.get("allow") for _ in range(6)}
            assert len(answers) == 1, (path, method, answers)
            (one,) = answers
            assert one is not None and {m.strip() for m in one.split(",")} - {"OPTIONS"} == ok, (path, method, one)


def test_conditional_writes(c: httpx.Client) -> None:
    """If-None-Match: * creates only; If-Match: * writes only what exists; If-Match with an ETag one of the
    record's documents had writes only if the record has not changed since (lost updates are refused)."""
    doc = "/doc/record/http-test.ttl"
    r = c.put("/records/http-test", content=GOOD, headers={**TTL, "If-Match": "*"})
    assert r.status_code == 412 and r.headers["content-type"] == "application/problem+json"
    r = c.put("/records/http-test", content=GOOD, headers={**TTL, "If-None-Match": "*"})
    assert r.status_code == 201, r.text
    assert c.put("/records/http-test", content=GOOD, headers={**TTL, "If-None-Match": "*"}).status_code == 412
    seen = c.get(doc).headers["etag"]
    html_seen = c.get("/doc/record/http-test.html").headers["etag"]
    assert c.put("/records/http-test", content=RENAMED, headers={**TTL, "If-Match": '"nope"'}).status_code == 412
    assert not _ask(c, f'ASK {{ <{TOPIC}> ?p "a topic renamed over HTTP"@en }}')   # refused: unchanged
    r = c.put("/records/http-test", content=RENAMED, headers={**TTL, "If-Match": html_seen})
    assert r.status_code == 200, r.text
    # the ETag seen before the change no longer matches: a second writer from that version is refused
    assert c.put("/records/http-test", content=GOOD, headers={**TTL, "If-Match": seen}).status_code == 412
    assert c.delete("/records/http-test", headers={**AUTH, "If-Match": seen}).status_code == 412
    assert _ask(c, f'ASK {{ <{TOPIC}> ?p "a topic renamed over HTTP"@en }}')
    now = c.get(doc).headers["etag"]
    assert c.delete("/records/http-test", headers={**AUTH, "If-Match": f'"other", {now}'}).status_code == 204
    assert not _ask(c, f"ASK {{ <{TOPIC}> ?p ?o }}")
