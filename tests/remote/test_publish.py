"""`eventkg publish`: the static site, served by nginx with the rules it writes, negotiates like the live
server (`eventkg serve`'s app, in process, over the same project and base URL)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from click.testing import CliRunner

from backends import _die_with_parent, free_port, wait_http  # type: ignore[import-not-found]
from eventkg.cli import cli
from eventkg.config import load_settings
from eventkg.project import Project
from rdflib import Graph, URIRef

from eventkg.publish import accept_rules, htaccess
from eventkg.store import EmbeddedStore

BASE = "https://w3id.org/eventkg/"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

ACCEPTS = [
    None, "", "*/*", "text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "text/turtle", "application/x-turtle", "application/ld+json", "application/n-triples", "application/n-quads",
    "application/trig", "application/rdf+xml", "text/turtle, application/ld+json;q=0.5",
    "application/ld+json, text/turtle;q=0.9, */*;q=0.1", "image/png", "application/*", "text/*",
    "application/xhtml+xml",
]
PATHS = ["id/event/e1", "id/org/o1", "record/e1", "ontology", "shapes", "dataset", "doc/id/event/e1",
         "doc/record/e1", "doc/ontology", ".well-known/void", "id/event/nothing", "doc/id/event/nothing"]


def _record(slug: str) -> str:
    return f"""@prefix ekg: <{BASE}ontology#> .
@prefix schema: <https://schema.org/> .
<{BASE}record/{slug}> a ekg:Record .
<{BASE}id/event/{slug}> a schema:Event ; schema:name "Workshop {slug}"@en ;
    schema:organizer <{BASE}id/org/o1> ; schema:startDate "2018-06-26"^^<http://www.w3.org/2001/XMLSchema#date> .
<{BASE}id/org/o1> a schema:Organization ; schema:name "Organisation one"@en .
"""


@pytest.fixture(scope="module")
def proj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pubproj")
    (root / "data").mkdir()
    for slug in ("e1", "e2"):
        (root / "data" / f"{slug}.ttl").write_text(_record(slug), encoding="utf-8")
    (root / "ontology.ttl").write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}ontology> a owl:Ontology ; rdfs:label "eventkg test ontology"@en ; owl:versionIRI <{BASE}ontology/0.1.0> .
<{BASE}ontology#Record> a owl:Class ; rdfs:label "Record"@en .
""", encoding="utf-8")
    (root / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    (root / "context.jsonld").write_text('{"@context": {"schema": "https://schema.org/"}}', encoding="utf-8")
    (root / "queries").mkdir()
    (root / "eventkg.toml").write_text(
        'store = "store"\ndata = ["data"]\nontology = "ontology.ttl"\nshapes = "shapes.ttl"\n'
        'context = "context.jsonld"\nqueries = "queries"\n', encoding="utf-8")
    r = CliRunner().invoke(cli, ["--project", str(root), "load"], obj={}, env={"EVENTKG_STORE": ""})
    assert r.exit_code == 0, r.output
    return root


@pytest.fixture(scope="module")
def nginx_site(proj: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian nginx-light; `make system-deps`)")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("site") / "www"
    r = CliRunner().invoke(cli, ["--project", str(proj), "publish", "--out", str(out), "--base-url", base_url],
                           obj={}, env={"EVENTKG_STORE": ""})
    assert r.exit_code == 0, r.output
    run = tmp_path_factory.mktemp("nginx")
    site_conf = (out / "nginx.conf").read_text(encoding="utf-8")
    site_conf = site_conf.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /srv/eventkg;",
                                                                                      f"root {out};")
    (run / "site.conf").write_text(site_conf, encoding="utf-8")
    temps = "".join(f"    {k}_temp_path {run}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (run / "main.conf").write_text(f"""daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
{"user root;" if _root() else ""}
events {{ worker_connections 64; }}
http {{
    access_log off;
{temps}    include {run}/site.conf;
}}
""", encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-c", str(run / "main.conf"), "-p", str(run)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([NGINX, "-c", str(run / "main.conf"), "-p", str(run)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    try:
        wait_http(base_url, 10, proc)  # type: ignore[arg-type]
        yield base_url, out
    finally:
        proc.terminate()
        proc.wait(10)


def _root() -> bool:
    import os

    return os.geteuid() == 0


@pytest.fixture(scope="module")
def live(proj: Path, nginx_site: tuple[str, Path]) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from eventkg.server.app import create_app

    base_url, _ = nginx_site
    settings = load_settings(proj, env={})
    project = Project(settings, EmbeddedStore(proj / "store"))
    app = create_app(project, base_url=base_url, workers=0)
    with TestClient(app, base_url=base_url.rstrip("/")) as client:
        yield client
    project.close()


def _headers(accept: str | None) -> dict[str, str]:
    return {} if accept is None else {"Accept": accept}


def test_the_site_holds_every_document_and_file(nginx_site: tuple[str, Path]) -> None:
    _, out = nginx_site
    for path in ("id/event/e1", "id/event/e2", "id/org/o1", "record/e1", "ontology", "shapes", "dataset"):
        for ext in ("html", "ttl", "jsonld", "nt", "nq", "trig", "rdf"):
            assert (out / "doc" / f"{path}.{ext}").is_file(), f"{path}.{ext}"
    for f in ("index.html", "sitemap.xml", "robots.txt", "ontology/context.jsonld", "nginx.conf", ".htaccess",
              "dumps/eventkg.ttl", "dumps/eventkg.nq", "dumps/eventkg.jsonld", "dumps/eventkg.trig",
              "dumps/eventkg.nt"):
        assert (out / f).is_file(), f
    assert "Workshop e1" in (out / "doc/id/event/e1.html").read_text(encoding="utf-8")
    assert "void" in (out / "doc/dataset.ttl").read_text(encoding="utf-8").lower()


@pytest.mark.parametrize("path", PATHS)
def test_iris_negotiate_as_the_live_server_does(nginx_site: tuple[str, Path], live: Any, path: str) -> None:
    base_url, _ = nginx_site
    with httpx.Client(follow_redirects=False, timeout=10) as static:
        for accept in ACCEPTS:
            want = live.get("/" + path, headers=_headers(accept), follow_redirects=False)
            got = static.get(base_url + path, headers=_headers(accept))
            if accept and "q=0.5" in accept and want.status_code == 303:
                # a web server's rules go by the order of the Accept header, not by its q-values
                continue
            case = f"{path} Accept={accept!r}"
            assert got.status_code == want.status_code, case
            if want.status_code == 303:
                assert got.headers["location"] == want.headers["location"], case
                assert "Accept" in got.headers.get("vary", ""), case
            if want.status_code == 200:
                assert got.headers["content-type"] == want.headers["content-type"], case
                assert got.headers.get("content-location") == want.headers.get("content-location"), case
                if _same_bytes(path, got.headers["content-type"]):
                    assert got.content == want.content, case


def test_documents_have_the_same_media_types_and_bytes(nginx_site: tuple[str, Path], live: Any) -> None:
    base_url, _ = nginx_site
    with httpx.Client(timeout=10) as static:
        for path in ("doc/id/event/e1", "doc/record/e2", "doc/ontology", "doc/dataset"):
            for ext in ("html", "ttl", "jsonld", "nt", "nq", "trig", "rdf"):
                want = live.get(f"/{path}.{ext}")
                got = static.get(f"{base_url}{path}.{ext}")
                assert (got.status_code, got.headers["content-type"]) == (want.status_code, want.headers["content-type"])
                if _same_bytes(path, got.headers["content-type"]):
                    assert got.content == want.content, f"{path}.{ext}"
        for path in ("dumps/eventkg.ttl", "dumps/eventkg.nq", "dumps/eventkg.jsonld", "sitemap.xml",
                     "robots.txt", "ontology/context.jsonld"):
            want = live.get("/" + path)
            got = static.get(base_url + path)
            assert got.status_code == want.status_code == 200, path
            assert got.headers["content-type"] == want.headers["content-type"], path
            if path == "sitemap.xml":   # the static site's lists no query page
                assert got.content == want.content.replace(f"  <url><loc>{base_url}sparql</loc></url>\n".encode(), b"")
            else:
                assert got.content == want.content, path
        assert static.get(base_url).status_code == 200


def _same_bytes(path: str, content_type: str) -> bool:
    """The static site's documents are the server's, but for what a static site lacks: its pages have no
    query page, search or endpoint, and its dataset description names no endpoint."""
    return not content_type.startswith("text/html") and "dataset" not in path and "void" not in path


def test_the_static_site_links_only_to_what_it_has(nginx_site: tuple[str, Path]) -> None:
    """Every link of every page resolves on the static site; none goes to an endpoint, search or query page;
    a quote links to its anchor in the document; the dataset names no endpoint; the ontology's version IRI
    answers like the ontology's; reads carry CORS; the rules files are not served."""
    import re
    from urllib.parse import urljoin

    base_url, out = nginx_site
    pages = sorted(out.rglob("*.html"))
    assert pages
    with httpx.Client(timeout=10) as c:
        seen: set[str] = set()
        for page in pages:
            text = page.read_text(encoding="utf-8")
            for href in re.findall(r'(?:href|action)="([^"]+)"', text):
                url = urljoin(base_url + str(page.relative_to(out)), href.replace("&amp;", "&"))
                if not url.startswith(base_url):
                    continue
                rest = url[len(base_url):]
                assert not rest.startswith(("sparql", "search", "queries")), (page, href)
                url, _, fragment = url.partition("#")
                if url not in seen:
                    seen.add(url)
                    r = c.get(url, headers={"Accept": "text/html"}, follow_redirects=True)
                    assert r.status_code == 200, (page, href, r.status_code)
                if fragment.startswith("ev-"):
                    assert f'id="{fragment}"' in c.get(url).text, (page, href)
        dataset = Graph().parse(data=c.get(base_url + "doc/dataset.ttl").content, format="turtle")
        assert not list(dataset.objects(None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint")))
        r = c.get(base_url + "ontology/0.1.0", headers={"Accept": "text/turtle"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == base_url + "doc/ontology.ttl"
        assert c.get(base_url + "doc/id/event/e1.ttl").headers["access-control-allow-origin"] == "*"
        assert c.get(base_url + "id/event/e1", follow_redirects=False).headers["access-control-allow-origin"] == "*"
        for private in ("nginx.conf", ".htaccess", ".eventkg-site"):
            assert c.get(base_url + private).status_code == 404, private


def test_apache_rules_carry_the_same_choices() -> None:
    text = htaccess("https://example.org/site/")
    assert "RewriteBase /site/" in text
    for rx, ext in accept_rules("html"):
        if ext != "406":
            assert rx in text and f"doc/$1.{ext} [R=303" in text
    assert "[R=406,L]" in text and 'AddType "text/turtle; charset=utf-8" .ttl' in text


def test_publish_replaces_only_what_it_wrote(proj: Path, tmp_path: Path) -> None:
    """publish replaces --out as a whole: it refuses a folder holding other files (unless --force), the project
    itself or a folder above it, and a path it cannot write, each with one line; it replaces its own site."""
    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--project", str(proj), "publish", *args], obj={}, env={"EVENTKG_STORE": ""})

    other = tmp_path / "photos"
    other.mkdir()
    (other / "a.txt").write_text("keep me")
    r = run("--out", str(other))
    assert r.exit_code == 2 and "not a site eventkg published" in r.output, r.output
    assert (other / "a.txt").read_text() == "keep me"
    for out in (proj, proj.parent):
        r = run("--out", str(out))
        assert r.exit_code == 2 and "holds the project" in r.output, r.output
    assert (proj / "eventkg.toml").is_file()
    r = run("--out", "/proc/no-such/site")
    assert r.exit_code == 2 and r.output.startswith("Error: --out") and "Traceback" not in r.output, r.output
    site = tmp_path / "site"
    assert run("--out", str(site)).exit_code == 0
    assert run("--out", str(site)).exit_code == 0          # its own site: replaced
    assert run("--out", str(other), "--force").exit_code == 0
    assert not (other / "a.txt").exists() and (other / "index.html").is_file()


def test_publish_reads_beside_a_running_server(proj: Path, tmp_path: Path) -> None:
    """publish only reads: beside a process that holds the store for writing, it opens it read-only."""
    from eventkg.errors import ConfigError

    try:
        held: EmbeddedStore | None = EmbeddedStore(proj / "store")
    except ConfigError:   # this module's live server holds it already
        held = None
    try:
        r = CliRunner().invoke(cli, ["--project", str(proj), "publish", "--out", str(tmp_path / "s")], obj={},
                               env={"EVENTKG_STORE": ""})
        assert r.exit_code == 0, r.output
    finally:
        if held is not None:
            held.close()


APACHE = shutil.which("apache2") or ("/usr/sbin/apache2" if Path("/usr/sbin/apache2").exists() else None)
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def test_apache_serves_the_site_on_a_sub_path(proj: Path, tmp_path: Path) -> None:
    """The .htaccess rules, run by Apache with the override the docs name (FileInfo Indexes), on a sub-path:
    things 303 by Accept, a document with documents below it negotiated (no redirect to its folder), the
    ontology's version IRI, CORS on reads, the rules files not served."""
    if APACHE is None or not APACHE_MODULES.is_dir():
        pytest.skip("Apache is not installed (Debian apache2; `make system-deps`)")
    port = free_port()
    base = f"http://127.0.0.1:{port}/kg/"
    www = tmp_path / "www"
    r = CliRunner().invoke(cli, ["--project", str(proj), "publish", "--out", str(www / "kg"), "--base-url", base],
                           obj={}, env={"EVENTKG_STORE": ""})
    assert r.exit_code == 0, r.output
    # a document with documents below it: doc/id/event/e1.html beside the folder doc/id/event/e1/
    (www / "kg" / "doc" / "id" / "event" / "e1").mkdir(exist_ok=True)
    mods = "\n".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so"
                     for m in ("mpm_event", "authz_core", "rewrite", "headers", "mime", "dir"))
    conf = tmp_path / "httpd.conf"
    conf.write_text(f"""ServerRoot {tmp_path}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {tmp_path}/httpd.pid
ErrorLog {tmp_path}/error.log
{mods}
TypesConfig /dev/null
DocumentRoot {www}
<Directory {www}>
    AllowOverride FileInfo Indexes
    Require all granted
</Directory>
""", encoding="utf-8")
    proc = subprocess.Popen([APACHE, "-f", str(conf), "-DFOREGROUND"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_http(base, 10, proc)  # type: ignore[arg-type]
        with httpx.Client(timeout=10, follow_redirects=False) as c:
            r = c.get(base + "id/event/e1", headers={"Accept": "text/turtle"})
            assert r.status_code == 303 and r.headers["location"] == base + "doc/id/event/e1.ttl"
            assert r.headers["vary"] == "Accept" and r.headers["access-control-allow-origin"] == "*"
            r = c.get(base + "doc/id/event/e1", headers={"Accept": "text/turtle"})
            assert r.status_code == 200 and r.headers["content-type"] == "text/turtle; charset=utf-8"
            assert r.headers["content-location"] == base + "doc/id/event/e1.ttl"
            r = c.get(base + "doc/id/event/e1.jsonld")
            assert r.headers["content-location"] == base + "doc/id/event/e1.jsonld" and "Accept" in r.headers["vary"]
            r = c.get(base + "ontology/0.1.0", headers={"Accept": "text/html"})
            assert r.status_code == 303 and r.headers["location"] == base + "doc/ontology.html"
            for private in ("nginx.conf", ".htaccess", ".eventkg-site"):
                assert c.get(base + private).status_code == 404, private
    finally:
        proc.terminate()
        proc.wait(10)


def test_iris_no_file_can_be_named_after_are_listed_and_not_linked(proj: Path, tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(proj, root, ignore=shutil.ignore_patterns("store"))
    slugs = ["a%2Fb", "a%20b", "h%C3%A0", "x?y", "p%25q", "s%3Bt", "ok"]
    (root / "data" / "odd.ttl").write_text(
        f"@prefix ekg: <{BASE}ontology#> .\n<{BASE}record/odd> a ekg:Record .\n"
        + "".join(f'<{BASE}id/org/{s}> a <https://schema.org/Organization> ; <https://schema.org/name> "{s}" ;'
                  f' <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{BASE}id/org/next> .\n' for s in slugs)
        + f"<{BASE}id/org/next> <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
        + ", ".join(f"<{BASE}id/org/{s}>" for s in slugs) + " .\n", encoding="utf-8")

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--project", str(root), *args], obj={}, env={"EVENTKG_STORE": ""})

    assert run("load").exit_code == 0
    out, base_url = tmp_path / "www", "http://127.0.0.1:8999/"
    r = run("publish", "--out", str(out), "--base-url", base_url)
    assert r.exit_code == 0, r.output
    skipped = [s for s in slugs if s != "ok"]
    assert f"Skipped {len(skipped)} IRIs" in r.stderr and f"and {len(skipped) - 5} more" in r.stderr, r.stderr
    assert (out / "doc/id/org/ok.html").is_file()
    pages = [(out / "doc/id/org/next.html").read_text(encoding="utf-8"), (out / "sitemap.xml").read_text()]
    for s in skipped:
        for text in pages:
            assert f"{base_url}doc/id/org/{s}" not in text and f"doc/id/org/{s}.html" not in text, s
    assert f"{base_url}doc/id/org/ok.html" in pages[0] and f"{base_url}doc/id/org/ok.html" in pages[1]
    # published for the base IRI itself, where the IRIs are the site's own URLs: the sitemap lists no page
    # the site does not have
    out2 = tmp_path / "www2"
    assert run("publish", "--out", str(out2)).exit_code == 0
    sitemap = (out2 / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{BASE}doc/id/org/ok.html" in sitemap
    for s in skipped:
        assert f"id/org/{s}" not in sitemap, s
