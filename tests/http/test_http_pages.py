"""The HTML pages, read as HTML: index, resource pages with labels and evidence, the document text with the
cited passage marked, search, the query page with named queries and results, error pages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import httpx
from rdflib import Graph, URIRef

from httpsite import DOCUMENT, WORKSHOP, Running, client, site  # noqa: F401

PAGE = "/doc/id/event/aichr-tip-workshop-2018.html"
HTML = "text/html; charset=utf-8"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.marks: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


def parse(text: str) -> Links:
    p = Links()
    p.feed(text)
    return p


def test_index(client: httpx.Client) -> None:
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"] == HTML
    links = parse(r.text).hrefs
    assert f"{client.base_url}{PAGE}" in links
    assert f"{client.base_url}/sparql" in links
    assert f"{client.base_url}/.well-known/void" in links
    assert f"{client.base_url}/dumps/eventkg.ttl" in links
    assert 'name="q"' in r.text   # the search box
    assert "Regional Workshop on Prevention Strategies" in r.text
    assert "<title>eventkg</title>" in r.text   # the site's name once, not "eventkg · eventkg"
    # the size it gives is the dataset description's: each triple once, though two records state it
    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text,
                         format="turtle")
    triples = {int(o) for o in void.objects(None, URIRef("http://rdfs.org/ns/void#triples"))}
    m = re.search(r"A knowledge graph of (\d+) triples", r.text)
    assert m and int(m.group(1)) == max(triples)   # the whole dataset's (its parts have their own)


def test_resource_page(client: httpx.Client, site: Running) -> None:
    r = client.get(PAGE)
    assert r.status_code == 200
    t = r.text
    assert "<h1>Regional Workshop on Prevention Strategies" in t
    assert WORKSHOP in t
    # types and properties by label, not raw IRIs
    assert ">workshop</a>" in t
    assert ">sponsor</a>" in t and ">organizer</a>" in t
    assert ">Embassy of Turkey in Hanoi</a>" in t
    assert ">Hanoi</a>" in t
    # evidence: the supporters' quote, marked in the source text, with a link into the document
    marks = parse(t).marks
    assert any("Embassy of Turkey in Hanoi" in m for m in marks)
    hrefs = parse(t).hrefs
    doc_links = [h for h in hrefs if "/doc/id/document/aichr-tip-workshop-2018-06-26.html?hl=" in h]
    assert doc_links
    # links to the formats and incoming links
    assert f"{client.base_url}/doc/id/event/aichr-tip-workshop-2018.ttl" in hrefs
    assert "Links to this resource" in t


def test_document_page_marks_the_cited_passage(client: httpx.Client, source_text: str = "") -> None:
    page = client.get(PAGE).text
    link = next(h for h in parse(page).hrefs if "hl=" in h and "aichr-tip-workshop-2018-06-26" in h)
    r = client.get(link)
    assert r.status_code == 200
    a, b = map(int, re.search(r"hl=(\d+)-(\d+)", link).groups())  # type: ignore[union-attr]
    target = re.search(r'<mark class="target" id="hl">(.*?)</mark>', r.text, re.S)
    assert target is not None
    assert "HANOI, 26 June 2018" in r.text  # the full text is shown
    assert b > a


def test_search(client: httpx.Client) -> None:
    r = client.get("/search", params={"q": "hanoi"})
    assert r.status_code == 200
    assert f"{client.base_url}/doc/id/place/hanoi.html" in parse(r.text).hrefs
    r = client.get("/search", params={"q": '"> } DROP ALL'})
    assert r.status_code == 200 and "0 resource(s)" in r.text


def test_search_finds_a_name_by_its_acronym(client: httpx.Client, site: Running) -> None:
    """An organisation is found by its other names (schema:alternateName) too, closest match first, shown by
    its name with the one that matched."""
    rows = site.project.store.query("SELECT ?x ?name ?alt WHERE { ?x <https://schema.org/alternateName> ?alt ; "
                                    "<https://schema.org/name> ?name } ORDER BY ?x LIMIT 1")
    x, name, alt = rows.rows[0]  # type: ignore[union-attr]
    r = client.get("/search", params={"q": str(alt)})
    hrefs = [h for h in parse(r.text).hrefs if "/doc/id/" in h]
    assert hrefs and hrefs[0] == f"{client.base_url}/doc/{str(x).split('/eventkg/', 1)[1]}.html", hrefs[:3]
    assert str(name) in r.text


def test_query_page_lists_named_queries_and_shows_results(client: httpx.Client, site: Running) -> None:
    lib = site.project.queries
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    for q in lib.values():
        assert q.title.replace("'", "&#39;") in page or q.title in page
    name = sorted(lib)[0]
    r = client.get(f"/queries/{name}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"] == HTML
    assert '<table class="results">' in r.text
    assert "row(s)" in r.text
    downloads = [h for h in parse(r.text).hrefs if "format=" in h]
    assert any("format=csv" in h for h in downloads)
    got = client.get(next(h for h in downloads if "format=csv" in h))
    assert got.status_code == 200 and got.headers["content-type"] == "text/csv; charset=utf-8"
    # a query typed into the page
    r = client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s a <https://schema.org/Event> }"},
                    headers={"Accept": "text/html"})
    assert r.status_code == 200 and '<table class="results">' in r.text
    r = client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s"}, headers={"Accept": "text/html"})
    assert r.status_code == 400 and "error-box" in r.text


def test_error_pages_for_people(client: httpx.Client) -> None:
    r = client.get("/doc/id/event/nothing-here.html", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"] == HTML
    assert "<h1>Not found</h1>" in r.text
    r = client.get("/doc/id/event/nothing-here.html", headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/problem+json"


def test_every_negotiated_answer_varies_on_accept(client: httpx.Client, site: Running) -> None:
    """Where the answer depends on Accept, it says so (a shared cache must not give a browser's page to a
    machine or the other way round), whichever variant was chosen."""
    name = sorted(site.project.queries)[0]
    paths = ["/", "/queries", f"/queries/{name}", "/.well-known/void", "/sparql", "/dataset",
             "/id/event/aichr-tip-workshop-2018", "/doc/id/event/aichr-tip-workshop-2018"]
    checked = set()
    for path in paths:
        for accept in ("text/html", "application/json", "application/ld+json", "text/turtle", "*/*"):
            r = client.get(path, headers={"Accept": accept}, follow_redirects=False)
            if r.status_code in (200, 303):
                assert "accept" in r.headers.get("vary", "").lower(), (path, accept, r.status_code)
                checked.add(path)
    assert checked == set(paths)   # every path answered something to check


def test_participations_are_named_by_agent_and_role(client: httpx.Client, site: Running) -> None:
    """The event's page lists who took part in which role, not the word "participant" over and over."""
    rows = site.project.store.query(
        "SELECT ?x ?roleName WHERE { ?x a <https://w3id.org/eventkg/ontology#Participation> ; "
        f"<https://w3id.org/eventkg/ontology#inEvent> <{WORKSHOP}> ; <https://w3id.org/eventkg/ontology#role> ?r . "
        "?r <http://www.w3.org/2004/02/skos/core#prefLabel> ?roleName }")
    assert len(rows.rows) >= 3  # type: ignore[union-attr]
    page = client.get("/doc/id/event/aichr-tip-workshop-2018.html").text
    texts = dict(re.findall(r'<a[^>]*title="([^"]+)"[^>]*>([^<]*)</a>', page))
    for x, role in rows.rows:  # type: ignore[union-attr]
        shown = html.unescape(texts[str(x)])
        assert shown.endswith(f", {role}") and len(shown) > len(f", {role}"), (str(x), shown)


def test_ids_are_unique_on_every_kind_of_page(client: httpx.Client) -> None:
    """A fragment names one place: no page repeats an element id (the dataset page gave each dump's
    #distribution the same one)."""
    for url in ("/", PAGE, "/doc/dataset.html", "/doc/shapes.html", "/doc/ontology.html", "/sparql?query="
                "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%203", DOCUMENT.replace(
                    "https://w3id.org/eventkg/", "/doc/") + ".html", "/search?q=ASEAN"):
        r = client.get(url, headers={"Accept": "text/html"})
        assert r.status_code == 200, url
        ids = re.findall(r'\bid="([^"]+)"', r.text)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
