"""Dereferencing (Cool URIs, Best Practice Recipes): 303 by Accept, documents per format with exact headers,
validators, HEAD, 404/406; the ontology, shapes, context, dataset description, dumps and sitemap."""

from __future__ import annotations

import re
import json
from typing import Any

import httpx
import pytest
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDFS
from rdflib import Dataset, Graph, URIRef

from httpsite import DOCUMENT, RECORD, ROOT, WORKSHOP, Running, client, site  # noqa: F401

THING = "/id/event/aichr-tip-workshop-2018"
DOC = "/doc/id/event/aichr-tip-workshop-2018"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
TYPES = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "rdf": "application/rdf+xml",
}
PARSERS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}


@pytest.mark.parametrize("accept,ext", [
    (BROWSER, "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/trig", "trig"),
    ("application/x-turtle", "ttl"),
    ("*/*", "html"),
    ("", "html"),
    ("text/turtle;q=0.4, application/ld+json;q=0.8", "jsonld"),
    ("application/ld+json;q=0.1, text/turtle", "ttl"),
    ("text/*", "ttl" if False else "html"),
    ("application/*", "jsonld"),   # not text/turtle under its other name, application/x-turtle
])
def test_thing_303_by_accept(client: httpx.Client, accept: str, ext: str) -> None:
    r = client.get(THING, headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == f"{client.base_url}{DOC}.{ext}"
    assert r.headers["vary"] == "Accept"


@pytest.mark.parametrize("ext", sorted(TYPES))
def test_document_variants(client: httpx.Client, ext: str) -> None:
    url = f"{DOC}.{ext}"
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"] == TYPES[ext]
    assert r.headers["vary"] == "Accept"
    assert r.headers["content-location"] == f"{client.base_url}{url}"
    tag = r.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    links = r.headers["link"]
    for other in TYPES:
        if other != ext:
            assert f'<{client.base_url}{DOC}.{other}>; rel="alternate"; type="{TYPES[other].split(";")[0]}"' in links
    assert f"{DOC}.{ext}>" not in links
    # validators: If-None-Match -> 304 with the same headers and no body
    r2 = client.get(url, headers={"If-None-Match": tag})
    assert r2.status_code == 304 and r2.content == b"" and r2.headers["etag"] == tag
    r3 = client.get(url, headers={"If-None-Match": '"other", ' + tag})
    assert r3.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # HEAD matches GET without the body
    h = client.head(url)
    assert h.status_code == 200 and h.content == b""
    for k in ("content-type", "etag", "content-length", "link", "content-location", "vary"):
        assert h.headers[k] == r.headers[k]
    if ext in PARSERS:
        g = Graph().parse(data=r.content, format=PARSERS[ext])
        assert (URIRef(WORKSHOP), URIRef("https://schema.org/name"), None) in g
    elif ext in ("trig", "nq"):
        ds = Dataset().parse(data=r.content, format="trig" if ext == "trig" else "nquads")
        assert URIRef(RECORD) in {c.identifier for c in ds.graphs()}


def test_format_parameter_names_a_document_variant(client: httpx.Client) -> None:
    """``?format=`` picks a variant as the extension does (by extension or format name), whatever Accept says;
    a format that does not exist is a 400, not a silent HTML page."""
    for fmt, ext in (("ttl", "ttl"), ("turtle", "ttl"), ("jsonld", "jsonld"), ("nt", "nt"), ("html", "html")):
        r = client.get(DOC, params={"format": fmt}, headers={"Accept": "text/html" if ext != "html" else "text/turtle"})
        assert r.status_code == 200 and r.headers["content-type"] == TYPES[ext], (fmt, r.headers["content-type"])
        assert r.headers["content-location"] == f"{client.base_url}{DOC}.{ext}"
        assert r.content == client.get(f"{DOC}.{ext}").content
    r = client.get(DOC, params={"format": "bogus"})
    assert r.status_code == 400 and "bogus" in r.text


def test_etags_differ_per_variant(client: httpx.Client) -> None:
    tags = {client.get(f"{DOC}.{ext}").headers["etag"] for ext in TYPES}
    assert len(tags) == len(TYPES)
    assert client.get(f"{DOC}.ttl").headers["etag"] == client.get(f"{DOC}.ttl").headers["etag"]


def test_generic_document_is_negotiated(client: httpx.Client) -> None:
    r = client.get(DOC, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/n-triples"
    assert r.headers["content-location"] == f"{client.base_url}{DOC}.nt"
    assert r.headers["vary"] == "Accept"
    assert client.get(DOC, headers={"Accept": BROWSER}).headers["content-type"] == TYPES["html"]


def test_406_only_when_nothing_fits(client: httpx.Client) -> None:
    for url in (THING, DOC):
        r = client.get(url, headers={"Accept": "image/png, application/pdf"})
        assert r.status_code == 406
        assert r.headers["content-type"] == "application/problem+json"
        assert "text/turtle" in r.json()["available"]
    assert client.get(THING, headers={"Accept": "image/png, */*;q=0.1"}).status_code == 303


def test_media_type_parameters_in_accept_do_not_refuse_a_match(client: httpx.Client) -> None:
    """``text/turtle; charset=utf-8`` asks for the Turtle we send; a JSON-LD profile is a hint; neither is a
    reason for 406."""
    for accept, ctype in (("text/turtle;charset=utf-8", TYPES["ttl"]),
                          ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', TYPES["jsonld"]),
                          ("text/html;level=1", TYPES["html"]),
                          ("text/turtle;charset=utf-8;q=0.2, application/n-triples;q=0.9", TYPES["nt"])):
        r = client.get(DOC, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"] == ctype, (accept, r.status_code)
        assert client.get(THING, headers={"Accept": accept}).status_code == 303, accept


def test_negotiated_errors_vary_on_accept(client: httpx.Client) -> None:
    """An error is a page for browsers and a problem document for machines: it varies on Accept too."""
    for accept in (BROWSER, "text/turtle"):
        for url in ("/id/event/no-such-event", "/doc/id/event/no-such-event"):
            r = client.get(url, headers={"Accept": accept})
            assert r.status_code == 404 and "accept" in r.headers.get("vary", "").lower(), (url, accept)
    r = client.get(DOC, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "accept" in r.headers.get("vary", "").lower()


def test_unknown_iri_is_404(client: httpx.Client) -> None:
    for url in ("/id/event/no-such-event", "/doc/id/event/no-such-event.ttl", "/doc/id/event/no-such-event",
                "/record/nothing", "/nowhere"):
        r = client.get(url, headers={"Accept": "text/turtle"})
        assert r.status_code == 404, url
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["status"] == 404
    r = client.get("/id/event/no-such-event", headers={"Accept": BROWSER})
    assert r.status_code == 404 and r.headers["content-type"] == TYPES["html"]
    assert "Not found" in r.text
    assert client.head("/id/event/no-such-event").status_code == 404


def test_record_document_holds_the_whole_record(client: httpx.Client, site: Running) -> None:
    r = client.get("/record/aichr-tip-workshop-2018", headers={"Accept": "application/trig"})
    assert r.status_code == 303
    doc = client.get(r.headers["location"])
    ds = Dataset().parse(data=doc.content, format="trig")
    g = ds.graph(URIRef(RECORD))
    assert len(g) == site.project.store.count(RECORD)


def test_minted_iris_answer_locally(client: httpx.Client) -> None:
    r = client.get(f"{DOC}.ttl")
    g = Graph().parse(data=r.content, format="turtle")
    ours = {str(t) for t in g.all_nodes() if str(t).startswith("https://w3id.org/eventkg/id/")}
    assert len(ours) > 10
    for iri in sorted(ours)[:15]:
        local = iri.replace("https://w3id.org/eventkg/", "/")
        assert client.get(local, headers={"Accept": "text/turtle"}).status_code == 303, iri


def test_ontology(client: httpx.Client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"].endswith("/doc/ontology.ttl")
    g = Graph().parse(data=client.get(r.headers["location"]).content, format="turtle")
    assert (URIRef("https://w3id.org/eventkg/ontology"), None, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in g
    r = client.get("/ontology", headers={"Accept": BROWSER})
    assert r.headers["location"].endswith("/doc/ontology.html")
    page = client.get(r.headers["location"])
    assert page.headers["content-type"] == TYPES["html"]
    assert 'id="Workshop"' in page.text          # ontology#Workshop lands on its term
    assert '<html lang="en">' in page.text and '<meta charset="utf-8">' in page.text
    # every term of ours lands on its own section (ekg:Evidence and ekg:evidence apart), ids are unique, and
    # the page's own #links land somewhere
    ids = re.findall(r'\bid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for term in g.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/eventkg/ontology")):
        local = str(term).split("#", 1)[1]
        section = page.text.split(f'id="{local}"', 1)[1].split('class="entity', 1)[0]
        assert f"<code>{term}</code>" in section, local
    assert set(re.findall(r'href="#([^"]+)"', page.text)) <= set(ids)
    assert "workshop" in page.text.lower()
    # its owl:versionIRI answers like its IRI; another version, or another path under it, does not exist
    version = next(g.objects(URIRef("https://w3id.org/eventkg/ontology"), OWL.versionIRI))
    r = client.get(str(version).replace("https://w3id.org/eventkg/", "/"), headers={"Accept": "text/turtle"})
    assert r.status_code == 303 and r.headers["location"].endswith("/doc/ontology.ttl")
    assert r.headers["vary"] == "Accept"
    assert client.get("/ontology/9.9.9", headers={"Accept": "text/turtle"}).status_code == 404
    for doc in ("ontology", "shapes"):
        turtle = Graph().parse(data=client.get(f"/doc/{doc}.ttl").content, format="turtle")
        for ext in ("jsonld", "nt", "rdf"):
            r = client.get(f"/doc/{doc}.{ext}")
            assert r.status_code == 200
            # the same triples in the document's default graph (JSON-LD: not a named graph)
            assert isomorphic(Graph().parse(data=r.content, format=PARSERS[ext]), turtle), (doc, ext)


def test_shapes_and_context(client: httpx.Client, site: Running) -> None:
    r = client.get("/shapes", headers={"Accept": "text/turtle"})
    assert r.status_code == 303
    g = Graph().parse(data=client.get(r.headers["location"]).content, format="turtle")
    assert (None, None, URIRef("http://www.w3.org/ns/shacl#NodeShape")) in g
    assert client.get("/doc/shapes.html").headers["content-type"] == TYPES["html"]
    ctx = site.project.settings.path(site.project.settings.context)
    r = client.get("/ontology/context.jsonld")
    if not ctx.is_file():
        assert r.status_code == 404
        return
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/ld+json"
    assert "@context" in r.json()
    assert r.headers["access-control-allow-origin"] == "*"
    assert "vary" not in r.headers   # one representation, whatever the Accept
    assert client.get("/ontology/context.jsonld", headers={"Accept": "text/html"}).content == r.content


def test_void_and_dcat(client: httpx.Client) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200
    assert r.headers["content-type"] == TYPES["ttl"]
    assert r.headers["content-location"].endswith("/doc/dataset.ttl")
    g = Graph().parse(data=r.content, format="turtle")
    VOID = "http://rdfs.org/ns/void#"
    DCAT = "http://www.w3.org/ns/dcat#"
    ds = URIRef("https://w3id.org/eventkg/dataset")
    assert (ds, URIRef(VOID + "sparqlEndpoint"), URIRef(f"{client.base_url}/sparql")) in g
    dumps = {str(o) for o in g.objects(ds, URIRef(VOID + "dataDump"))}
    assert {f"{client.base_url}/dumps/eventkg.{e}" for e in ("ttl", "nq", "jsonld")} <= dumps
    assert (ds, URIRef(VOID + "exampleResource"), URIRef(WORKSHOP)) in g
    assert (ds, URIRef(VOID + "vocabulary"), URIRef("https://w3id.org/eventkg/ontology")) in g
    assert (ds, URIRef(VOID + "vocabulary"), URIRef("https://schema.org/")) in g
    dists = list(g.objects(ds, URIRef(DCAT + "distribution")))
    assert len(dists) >= 3
    for d in dists:  # described where its IRI leads (the dataset's document), its dump its download URL
        assert str(d).startswith("https://w3id.org/eventkg/dataset#"), d
        assert str(g.value(d, URIRef(DCAT + "downloadURL"))) in dumps
        assert str(g.value(d, URIRef(DCAT + "mediaType"))).startswith("https://www.iana.org/assignments/media-types/")
    assert (None, URIRef(DCAT + "endpointURL"), URIRef(f"{client.base_url}/sparql")) in g
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).headers["content-type"] == \
        "application/ld+json"
    assert client.get("/dataset", headers={"Accept": "text/turtle"}).headers["location"].endswith("/doc/dataset.ttl")
    # the dataset's triples: as many as its Turtle dump holds (a triple two records state counts once)
    dump = Graph().parse(data=client.get("/dumps/eventkg.ttl").content, format="turtle")
    assert int(g.value(ds, URIRef(VOID + "triples"))) == len(dump)  # type: ignore[arg-type]


@pytest.mark.parametrize("name,ctype,fmt", [("eventkg.ttl", TYPES["ttl"], "turtle"),
                                            ("eventkg.nq", TYPES["nq"], "nquads"),
                                            ("eventkg.jsonld", TYPES["jsonld"], "json-ld")])
def test_dumps(client: httpx.Client, site: Running, name: str, ctype: str, fmt: str) -> None:
    r = client.get(f"/dumps/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"] == ctype
    tag = r.headers["etag"]
    assert client.get(f"/dumps/{name}", headers={"If-None-Match": tag}).status_code == 304
    if fmt == "nquads":
        ds = Dataset().parse(data=r.content, format="nquads")
        assert sum(len(g) for g in ds.graphs()) == site.project.store.count()
    elif fmt == "turtle":
        assert len(Graph().parse(data=r.content, format="turtle")) > 1000
    else:
        assert "@context" in json.loads(r.content)
    assert client.get("/dumps/eventkg.zip").status_code == 404


def test_a_remote_store_written_by_others_gets_fresh_dumps(client: httpx.Client, site: Running) -> None:
    """Over a remote store (which other clients write too), a dump is the store as it is now, and a client's
    old ETag is not answered 304 once the store has changed."""
    from eventkg.formats import rdf_format as fmt
    from eventkg.load import records_from_bytes

    store = site.project.store
    if store.info.kind.startswith("oxigraph"):
        pytest.skip("an embedded store is written through the server alone")
    before = client.get("/dumps/eventkg.nq")
    rec = records_from_bytes(b"<https://w3id.org/eventkg/record/dump-test> a "
                             b"<https://w3id.org/eventkg/ontology#Record> .\n", fmt("turtle"), "dump-test.ttl")
    store.put_records(rec)   # another client's write, not through this server
    try:
        r = client.get("/dumps/eventkg.nq", headers={"If-None-Match": before.headers["etag"]})
        assert r.status_code == 200 and b"record/dump-test" in r.content and b"record/dump-test" not in before.content
        assert r.headers["etag"] != before.headers["etag"]
    finally:
        store.remove_record("https://w3id.org/eventkg/record/dump-test")


def test_sitemap_and_robots(client: httpx.Client) -> None:
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.headers["content-type"] == "application/xml"
    assert "vary" not in r.headers   # one representation: nothing to vary on
    assert f"<loc>{client.base_url}{DOC}.html</loc>" in r.text
    for page in ("ontology", "shapes", "dataset"):   # the vocabulary's pages too
        assert f"<loc>{client.base_url}/doc/{page}.html</loc>" in r.text
    assert f"Sitemap: {client.base_url}/sitemap.xml" in client.get("/robots.txt").text


def test_head_on_a_thing(client: httpx.Client) -> None:
    g = client.get(THING, headers={"Accept": "text/turtle"})
    h = client.head(THING, headers={"Accept": "text/turtle"})
    assert h.status_code == 303 and h.headers["location"] == g.headers["location"] and h.content == b""


def _serve_with(tmp_path: Any, record: str) -> Any:
    """A server (in this process) over the workshop data and one more record, given as Turtle."""
    from eventkg.config import load_settings
    from eventkg.project import Project
    from eventkg.records import rebuild
    from eventkg.store import EmbeddedStore
    from httpsite import start

    extra = tmp_path / "extra.ttl"
    extra.write_text(record, encoding="utf-8")
    settings = load_settings(ROOT, env={}, store="memory")
    project = Project(settings, EmbeddedStore(tmp_path / "store"))
    rebuild(project.store, [*(settings.path(d) for d in settings.data), extra], ontology=settings.path(settings.ontology))
    return start(project, workers=0)


ODD_RECORD = """@base <https://w3id.org/eventkg/id/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/eventkg/record/odd> a ekg:Record .
<topic/hà-nội> a skos:Concept ; skos:prefLabel "unicode"@en ; skos:inScheme <scheme/topics> .
<topic/a%20b> a skos:Concept ; skos:prefLabel "escaped space"@en ; skos:inScheme <scheme/topics> .
<topic/a%2Fb> a skos:Concept ; skos:prefLabel "escaped slash"@en ; skos:inScheme <scheme/topics> .
<topic/a> a skos:Concept ; skos:prefLabel "plain"@en ; skos:inScheme <scheme/topics> .
<topic/caf%C3%A9> a skos:Concept ; skos:prefLabel "escaped letter"@en ; skos:inScheme <scheme/topics> .
<topic/€> a skos:Concept ; skos:prefLabel "euro"@en ; skos:inScheme <scheme/topics> .
<topic/%E2%82%AC> a skos:Concept ; skos:prefLabel "escaped euro"@en ; skos:inScheme <scheme/topics> .
"""


def test_iris_outside_ascii_or_with_escapes_answer_at_their_uris(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # An IRI's URI (RFC 3987): its characters outside ASCII percent-encoded as UTF-8; "%2F" in an IRI is not
    # a "/". Each thing answers at its URI, and every link and header names it by that URI.
    running = _serve_with(tmp_path, ODD_RECORD)
    try:
        with running.client() as c:
            for path, label in (("id/topic/h%C3%A0-n%E1%BB%99i", "unicode"), ("id/topic/a%20b", "escaped space"),
                                ("id/topic/a%2Fb", "escaped slash"), ("id/topic/caf%C3%A9", "escaped letter")):
                r = c.get(f"/{path}", headers={"Accept": "text/turtle"})
                assert r.status_code == 303, (path, r.text)
                assert r.headers["location"] == f"{c.base_url}/doc/{path}.ttl"
                r = c.get(r.headers["location"])
                assert r.status_code == 200, (path, r.text)
                assert r.headers["content-location"] == f"{c.base_url}/doc/{path}.ttl"
                assert f"{c.base_url}/doc/{path}.jsonld" in r.headers["link"]
                g = Graph().parse(data=r.text, format="turtle")
                assert label in {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
                assert c.get(f"/doc/{path}", headers={"Accept": "text/html"}).status_code == 200
            # the same path, unescaped, is another IRI (none here)
            assert c.get("/id/topic/a/b").status_code == 404
            # a path no IRI can end with names nothing (it is no malformed query)
            for path in ("/id/topic/x[1]", "/id/topic/%", "/id/topic/x%zz", "/doc/id/topic/x[1].ttl"):
                assert c.get(path).status_code == 404, path
            # an escape's hex digits in either case (RFC 3986, 6.2.2.1)
            assert c.get("/id/topic/a%2fb", headers={"Accept": "text/turtle"}).headers["location"] == \
                f"{c.base_url}/doc/id/topic/a%2Fb.ttl"
            # an unreserved character sent escaped is the same character (RFC 3986, 6.2.2.2)
            assert c.get("/id/topic/%61", headers={"Accept": "text/turtle"}).headers["location"] == \
                f"{c.base_url}/doc/id/topic/a.ttl"
            # the pages and the sitemap link to those URIs
            page = c.get("/doc/id/scheme/topics.html").text
            sitemap = c.get("/sitemap.xml").text
            for path in ("id/topic/h%C3%A0-n%E1%BB%99i", "id/topic/a%20b", "id/topic/a%2Fb"):
                assert f"/doc/{path}.html" in page, path
                assert f"/doc/{path}.html" in sitemap, path
            # two IRIs of one URL (RFC 3987 maps both to it): it answers for the one holding the letter, and
            # the sitemap lists it once
            r = c.get(c.get("/id/topic/%E2%82%AC", headers={"Accept": "text/turtle"}).headers["location"])
            assert "euro" in r.text and "escaped euro" not in r.text
            locs = re.findall(r"<loc>([^<]*)</loc>", sitemap)
            assert len(locs) == len(set(locs)) and f"{c.base_url}/doc/id/topic/%E2%82%AC.html" in locs
    finally:
        running.stop()
        running.project.close()


SLASHES_RECORD = """@base <https://w3id.org/eventkg/id/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/eventkg/record/slashes> a ekg:Record .
<topic/a%2Fb> a skos:Concept ; skos:prefLabel "escaped slash"@en ; skos:inScheme <scheme/topics> .
<topic/a/b> a skos:Concept ; skos:prefLabel "plain slash"@en ; skos:inScheme <scheme/topics> .
"""


def test_the_response_cache_keeps_apart_what_differs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A cached answer is given only to a request it answers: the path as sent (``a%2Fb`` and ``a/b`` are two
    IRIs), the scheme a proxy names (links are absolute), and Accept read as one field however many times it
    is sent (RFC 9110, 5.3): a request cannot pin a wrong answer on the next one. An Accept header too long to
    weigh is refused (431)."""
    running = _serve_with(tmp_path, SLASHES_RECORD)
    try:
        with running.client() as c:
            for first, second, label in (("a%2Fb", "a/b", "plain slash"), ("a/b", "a%2Fb", "escaped slash")):
                c.get(f"/doc/id/topic/{first}.nt")
                r = c.get(f"/doc/id/topic/{second}.nt")
                assert r.status_code == 200 and f'"{label}"@en' in r.text, (second, r.text)
            # a proxy saying https: its links are https; the next plain request's are not
            doc = "/doc/id/topic/a%2Fb.ttl"
            r = c.get(doc, headers={"X-Forwarded-Proto": "https"})
            assert r.headers["content-location"].startswith("https://")
            r = c.get(doc)
            assert r.headers["content-location"] == f"{c.base_url}{doc}"
            # two Accept fields are one list; the request that follows with one of them gets its own answer
            q = {"query": "SELECT (1 AS ?one) WHERE {}"}
            r = c.get("/sparql", params=q, headers=[("Accept", "application/sparql-results+json"),
                                                    ("Accept", "text/csv;q=0.5")])
            assert r.headers["content-type"].startswith("application/sparql-results+json")
            r = c.get("/sparql", params=q, headers={"Accept": "text/csv;q=0.5"})
            assert r.headers["content-type"].startswith("text/csv"), r.headers["content-type"]
            r = c.get("/sparql", params=q, headers=[("Accept", "text/csv;q=0.5"),
                                                    ("Accept", "application/sparql-results+json")])
            assert r.headers["content-type"].startswith("application/sparql-results+json")
            r = c.get("/sparql", params=q, headers={"Accept": "text/csv;q=0.5"})
            assert r.headers["content-type"].startswith("text/csv")
            r = c.get("/sparql", params=q, headers={"Accept": "text/csv;x=" + "a" * 5000})
            assert r.status_code == 431 and r.headers["content-type"] == "application/problem+json"
            assert "Accept" in r.json()["detail"]
    finally:
        running.stop()


URN_SOURCE_RECORD = """@base <https://w3id.org/eventkg/id/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> . @prefix oa: <http://www.w3.org/ns/oa#> .
<https://w3id.org/eventkg/record/urnsrc> a ekg:Record .
<urn:isbn:0000000000> ekg:fullText "Hanoi hosted the workshop." .
<evidence/urnsrc/0-5> a ekg:Evidence, oa:SpecificResource ; oa:hasSource <urn:isbn:0000000000> ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Hanoi" ], [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 5 ] .
"""


def test_a_source_that_is_no_web_address_is_shown_unlinked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Evidence quoting a source named by a urn: (a book's ISBN) gets its page, the quote shown and the source
    named, with no link to it (a page links http(s) addresses only); it was a 500."""
    running = _serve_with(tmp_path, URN_SOURCE_RECORD)
    try:
        with running.client() as c:
            r = c.get("/doc/id/evidence/urnsrc/0-5.html")
            assert r.status_code == 200, r.text
            assert "Hanoi" in r.text and "urn:isbn:0000000000" in r.text and 'href="urn:' not in r.text
    finally:
        running.stop()
