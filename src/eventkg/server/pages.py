"""Pages and documents, rendered without a running server (the static site calls the same functions).

    render_resource_html(project, iri, base_url)        the HTML page about a resource
    render_document(project, path, variant, base_url)   any document: ``id/...``, ``record/...``,
                                                        ``ontology``, ``shapes``, ``dataset``, in any variant
    render_index_html / render_search_html / render_query_html / render_error_html
    dataset_graph, service_description, sitemap_xml

Each raises NotFound (server/errors.py) for a resource the graph does not name.
"""

from __future__ import annotations

import html
import re
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from ..export import canonical_ntriples, nquads_from_graphs, serialize_graph, trig_from_graphs
from ..formats import RESULTS_FORMATS, rdf_format
from ..namespaces import DCAT, DCTERMS, EKG, FOAF, OA, OWL, PREFIXES, RDF, RDFS, SCHEMA, SKOS, VOID, XSD
from ..project import Project
from ..results import short
from ..stats import distinct_triples
from ..store.base import Boolean, QueryResult, Rows, Triples
from . import describe
from .conneg import DOC_VARIANTS, HTML_VARIANT, RDF_VARIANTS, Site, Variant
from .errors import NotFound

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
SNIPPET = 140
DUMPS = (("turtle", "eventkg.ttl"), ("nq", "eventkg.nq"), ("jsonld", "eventkg.jsonld"), ("trig", "eventkg.trig"),
         ("nt", "eventkg.nt"))
ASSERTION_LINKS = (RDF.subject, RDF.object, RDF.predicate)
EVIDENCE_LINKS = (OA.hasSource,)

_env = Environment(loader=PackageLoader("eventkg.server", "templates"), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)

_cache: "weakref.WeakKeyDictionary[Project, dict[str, Any]]" = weakref.WeakKeyDictionary()
_cache_lock = threading.RLock()


def _memo(project: Project, key: str, make: Any) -> Any:
    with _cache_lock:
        d = _cache.setdefault(project, {})
        if key not in d:
            d[key] = make()
        return d[key]


def version_iri(project: Project) -> str | None:
    """The ontology's owl:versionIRI, if it has one."""
    g = _file_graph(project, "ontology")
    v = next((o for o in g.objects(None, OWL.versionIRI) if isinstance(o, URIRef)), None)
    return str(v) if v is not None else None


def _file_graph(project: Project, which: str) -> Graph:
    path = project.settings.path(getattr(project.settings, which))

    def make() -> Graph:
        g = Graph()
        try:
            g.parse(path, format=rdf_format(path.suffix.lstrip(".") or "ttl").rdflib)
        except FileNotFoundError as e:
            raise NotFound(f"no {which} file ({path})") from e
        # blank nodes labelled from the graph itself (a parser's labels are random): every server process,
        # and every start, shows the same page, so one ETag means one page
        out = Graph()
        for prefix, ns in g.namespaces():
            out.bind(prefix, ns)
        for t in to_canonical_graph(g):
            out.add(t)
        return out

    return _memo(project, f"graph:{which}:{_mtime(path)}", make)  # type: ignore[no-any-return]


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


# -- terms as HTML --------------------------------------------------------------------------------------

_WEB = re.compile(r"https?://", re.IGNORECASE)


def web_page(site: Site, iri: str) -> str | None:
    """``site.page(iri)``, or None where it is no web address: a page links http(s) URLs only, as a
    ``javascript:`` or ``data:`` IRI in a query's results or a record would run in this site's origin when
    clicked."""
    url = site.page(iri)
    return url if _WEB.match(url) else None


def _anchor(cls: str, href: str | None, title: str, text: str) -> Markup:
    """A link, or the same text unlinked where there is no address to link."""
    if href is None:
        return Markup('<span class="{}" title="{}">{}</span>').format(cls, title, text)
    return Markup('<a class="{}" href="{}" title="{}">{}</a>').format(cls, href, title, text)


class Terms:
    """Renders RDF terms as HTML: links to local pages with labels, literals with their language or type."""

    def __init__(self, site: Site, labels: Mapping[Node, str]) -> None:
        self.site = site
        self.labels = labels

    def name(self, t: Node) -> str:
        if t in self.labels:
            return self.labels[t]
        if isinstance(t, URIRef):
            return describe.humanize(str(t))
        return str(t)

    def prop(self, p: Node) -> Markup:
        return _anchor("prop", self.href(p), short(p), self.name(p))

    def href(self, t: Node) -> str | None:
        """The link to a resource (``web_page``: None where its IRI is no web address)."""
        return web_page(self.site, str(t))

    def link(self, t: Node) -> Markup:
        if isinstance(t, URIRef):
            return _anchor("res" if self.site.is_ours(str(t)) else "res ext", self.href(t), str(t), self.name(t))
        if isinstance(t, BNode):
            return Markup('<span class="bnode">_:{}</span>').format(str(t))
        return self.literal(t)  # type: ignore[arg-type]

    def literal(self, t: Literal | None) -> Markup:
        if t is None:
            return Markup("")
        text = str(t)
        extra = Markup("")
        if t.language:
            extra = Markup(' <span class="lang">@{}</span>').format(t.language)
        elif t.datatype is not None and t.datatype != XSD.string:
            extra = Markup(' <span class="dt">{}</span>').format(short(t.datatype))
        if len(text) > 400:
            body = Markup('<details class="long"><summary>{}…</summary><div class="text">{}</div></details>').format(
                text[:200], text)
        else:
            body = Markup('<span class="lit">{}</span>').format(text)
        return body + extra

    def cell(self, t: Node | None) -> Markup:
        return Markup("") if t is None else self.link(t)


def snippet(text: str, start: int, end: int, around: int = SNIPPET) -> Markup:
    """The quote ``text[start:end]`` marked, with some of the text around it."""
    a = max(0, start - around)
    b = min(len(text), end + around)
    if a > 0:
        sp = text.find(" ", a, start)
        a = sp + 1 if sp >= 0 else a
    if b < len(text):
        sp = text.rfind(" ", end, b)
        b = sp if sp >= 0 else b
    return Markup("{}{}<mark class=\"quote\">{}</mark>{}{}").format(
        "…" if a > 0 else "", text[a:start], text[start:end], text[end:b], "…" if b < len(text) else "")


def marked_text(text: str, spans: Sequence[tuple[int, int, Node]], highlight: tuple[int, int] | None) -> Markup:
    """The whole text with every evidence span marked (overlaps deepen the mark) and ``highlight`` singled out."""
    cuts = {0, len(text)}
    for s, e, _ in spans:
        if 0 <= s <= e <= len(text):
            cuts.update((s, e))
    if highlight and 0 <= highlight[0] <= highlight[1] <= len(text):
        cuts.update(highlight)
    points = sorted(cuts)
    starts: dict[int, list[str]] = {}
    for s, e, _ in spans:
        starts.setdefault(s, []).append(f"ev-{s}-{e}")
    out = []
    for a, b in zip(points, points[1:]):
        anchors = "".join(f'<span id="{i}"></span>' for i in sorted(set(starts.get(a, []))))
        depth = sum(1 for s, e, _ in spans if s <= a and b <= e)
        seg = html.escape(text[a:b])
        target = highlight is not None and highlight[0] <= a and b <= highlight[1]
        if target:
            ident = ' id="hl"' if a == highlight[0] else ""  # type: ignore[index]
            seg = f'<mark class="target"{ident}>{seg}</mark>'
        elif depth:
            seg = f'<mark class="ev d{min(depth, 3)}">{seg}</mark>'
        out.append(anchors + seg)
    return Markup("".join(out))


# -- resource pages -------------------------------------------------------------------------------------

@dataclass
class Value:
    html: Markup
    support: list[dict[str, Any]] = field(default_factory=list)
    nested: list["PropGroup"] | None = None


@dataclass
class PropGroup:
    prop: Markup
    values: list[Value]
    inverse: bool = False


def _prop_order(p: Node, label: str) -> tuple[int, str]:
    if p == RDF.type:
        return (0, "")
    if p in describe.LABEL_PROPS:
        return (1, label)
    if p in describe.TEXT_PROPS:
        return (9, label)
    return (5, label.lower())


def _support_view(sups: list[describe.Support], terms: Terms, texts: Mapping[Node, str]) -> list[dict[str, Any]]:
    out = []
    for sup in sups:
        evs = []
        for ev in sup.evidence:
            text = texts.get(ev.source) if ev.source is not None else None
            pos = describe.locate(ev, text)
            if pos is not None and text is not None:
                quote = snippet(text, *pos)
            else:
                quote = Markup("{}<mark class=\"quote\">{}</mark>{}").format(ev.prefix or "", ev.exact or "", ev.suffix or "")
            url = None
            if ev.source is not None:
                url = terms.href(ev.source)
                if url is not None and pos is not None and terms.site.is_ours(str(ev.source)):
                    url = terms.site.quote_url(url, pos[0], pos[1])
            evs.append({"quote": quote, "source": terms.link(ev.source) if ev.source is not None else None,
                        "url": url, "pos": pos, "node": terms.href(ev.node) if ev.node is not None else None})
        out.append({
            "assertion": terms.href(sup.assertion),
            "basis": terms.name(sup.basis) if sup.basis is not None else None,
            "notes": sup.notes,
            "evidence": evs,
            "derived": [terms.link(d) for d in sup.derived_from],
            "locator": sup.locator,
        })
    return out


def _groups(subject: Node, quads: Sequence[describe.Quad], terms: Terms,
            sups: Mapping[tuple[Node, Node, Node], list[describe.Support]], texts: Mapping[Node, str],
            skip: Iterable[Node] = (), depth: int = 0) -> list[PropGroup]:
    by_prop: dict[Node, list[Node]] = {}
    for _, qs, qp, qo in quads:
        if qs == subject and qp not in skip and qo not in by_prop.setdefault(qp, []):
            by_prop[qp].append(qo)
    groups = []
    for p in sorted(by_prop, key=lambda p: _prop_order(p, terms.name(p))):
        values = []
        for o in sorted(by_prop[p], key=lambda o: (terms.name(o).lower(), str(o))):
            nested = None
            if isinstance(o, BNode) and depth < 4:
                nested = _groups(o, quads, terms, sups, texts, depth=depth + 1)
            values.append(Value(terms.link(o), _support_view(sups.get((subject, p, o), []), terms, texts), nested))
        groups.append(PropGroup(terms.prop(p), values))
    return groups


def _incoming_groups(iri: URIRef, quads: Sequence[describe.Quad], terms: Terms,
                     sups: Mapping[tuple[Node, Node, Node], list[describe.Support]],
                     texts: Mapping[Node, str]) -> tuple[list[PropGroup], dict[str, int]]:
    by_prop: dict[Node, list[Node]] = {}
    counts = {"assertions": 0, "evidence": 0}
    for _, s, p, o in quads:
        if o != iri:
            continue
        if p in ASSERTION_LINKS:
            counts["assertions"] += 1
            continue
        if p in EVIDENCE_LINKS:
            counts["evidence"] += 1
            continue
        if s not in by_prop.setdefault(p, []):
            by_prop[p].append(s)
    groups = []
    for prop in sorted(by_prop, key=lambda n: terms.name(n).lower()):
        vals = [Value(terms.link(subj), _support_view(sups.get((subj, prop, iri), []), terms, texts))
                for subj in sorted(by_prop[prop], key=lambda n: (terms.name(n).lower(), str(n)))]
        groups.append(PropGroup(terms.prop(prop), vals, inverse=True))
    return groups, counts


def _variants(site: Site, iri: str) -> list[dict[str, str]]:
    return [{"label": v.label, "ext": v.ext, "type": v.media_type, "url": site.doc_url(iri, v) or ""}
            for v in DOC_VARIANTS]


def render_resource_html(project: Project, iri: str, base_url: str, *, highlight: tuple[int, int] | None = None) -> str:
    """The page about a resource of the graph. Raises NotFound."""
    store = project.store
    site = Site(project.settings.base_iri, base_url)
    out_q = describe.outgoing(store, iri)
    in_q = describe.incoming(store, iri)
    is_record = store.has_record(iri)
    if not out_q and not in_q and not is_record:
        raise NotFound(f"the graph does not name <{iri}>")
    x = URIRef(iri)
    sups = describe.supports(store, iri)
    own = describe.own_evidence(store, iri)
    docs = {e.source for ss in sups.values() for s in ss for e in s.evidence if e.source is not None}
    if own is not None and own.source is not None:
        docs.add(own.source)
    docs.add(x)
    texts = describe.texts(store, docs)
    members = describe.subjects_in(store, iri) if is_record else []
    nodes: set[Node] = {x, *members}
    for g, s, p, o in out_q + in_q:
        nodes.update((g, s, p, o))
    for sup_list in sups.values():
        for sup in sup_list:
            nodes.update(e.source for e in sup.evidence if e.source is not None)
            nodes.update(sup.derived_from)
            if sup.basis is not None:
                nodes.add(sup.basis)
    labels = describe.labels(store, nodes)
    terms = Terms(site, labels)
    skip = [RDF.type, *describe.TEXT_PROPS] if iri in texts else [RDF.type]
    groups = _groups(x, out_q, terms, sups, texts, skip=skip)
    inc, counts = _incoming_groups(x, in_q, terms, sups, texts)
    text = None
    if iri in {str(k) for k in texts}:
        spans = describe.spans_in(store, iri)
        text = marked_text(texts[x], spans, highlight)
    own_view = None
    if own is not None:
        t = texts.get(own.source) if own.source is not None else None
        pos = describe.locate(own, t)
        if pos is not None and t is not None:
            href = terms.href(own.source)  # type: ignore[arg-type]
            own_view = {"quote": snippet(t, *pos), "source": terms.link(own.source),  # type: ignore[arg-type]
                        "url": terms.site.quote_url(href, pos[0], pos[1]) if href is not None else None,
                        "pos": pos}
    graphs = sorted({g for g, s, _, _ in out_q if s == x}, key=str)
    title = labels.get(x) or describe.humanize(iri)
    return _env.get_template("resource.html").render(
        site=site, title=title, iri=iri, types=[terms.link(t) for t in describe.types_of(out_q, iri)],
        groups=groups, incoming=inc, counts=counts, text=text, own=own_view,
        records=[terms.link(g) for g in graphs if str(g) != iri],
        members=[terms.link(m) for m in members], is_record=is_record,
        variants=_variants(site, iri), highlight=highlight,
    )


def _graph_page(project: Project, site: Site, g: Graph, title: str, iri: str, intro: str = "") -> str:
    """A page for a graph not in the store (dataset description, shapes): one section per subject."""
    quads: list[describe.Quad] = [(URIRef("urn:x"), s, p, o) for s, p, o in g]  # type: ignore[misc]
    subjects = sorted({s for s in g.subjects() if isinstance(s, URIRef)},
                      key=lambda s: (0 if str(s) == iri else 1, str(s)))
    nodes = {t for q in quads for t in q[1:]}
    labels = describe.labels(project.store, nodes, extra=g)
    terms = Terms(site, labels)
    sections = []
    # a subject's fragment is its section's id (shapes#Shape lands on it), unless two subjects share it
    # (the dumps' #distribution): ids are unique on a page
    fragments = [str(s).rsplit("#", 1)[-1] for s in subjects if "#" in str(s)]
    for s in subjects:
        fragment = str(s).rsplit("#", 1)[-1] if "#" in str(s) else ""
        sections.append({"id": fragment if fragments.count(fragment) == 1 else "",
                         "title": terms.name(s), "iri": str(s),
                         "types": [terms.link(t) for t in sorted(g.objects(s, RDF.type), key=str)],
                         "groups": _groups(s, quads, terms, {}, {}, skip=[RDF.type])})
    return _env.get_template("graph.html").render(site=site, title=title, iri=iri, intro=intro, sections=sections,
                                                  variants=_variants(site, iri))


# -- the ontology, the shapes, the dataset ----------------------------------------------------------------

def ontology_html(project: Project, base_url: str) -> str:
    """The ontology's documentation: pyLODE's, each term's section with its local name as id so that
    ``ontology#Term`` lands on it; our own page where pyLODE is missing or fails."""
    site = Site(project.settings.base_iri, base_url)
    path = project.settings.path(project.settings.ontology)

    def make() -> str | None:
        try:
            import logging

            from pylode import OntPub  # type: ignore[import-untyped]

            logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
            # pyLODE takes every skos:ConceptScheme for an ontology of its own and merges their titles;
            # the schemes in our file are documented as part of the ontology. It is given the graph as
            # parsed from the file: from a copy of it, its page changed from one process to the next (the
            # order of terms, even which terms), and every server process must give the same bytes.
            g = Graph().parse(path, format=rdf_format(path.suffix.lstrip(".") or "ttl").rdflib)
            g.remove((None, RDF.type, SKOS.ConceptScheme))
            return str(OntPub(ontology=g).make_html())
        except Exception:  # noqa: BLE001 - pyLODE is optional and raises many kinds
            return None

    doc = _memo(project, f"pylode:{_mtime(path)}", make)
    if doc is None:
        return _graph_page(project, site, _file_graph(project, "ontology"), "Ontology", project.settings.base_iri + "ontology")
    ns = project.settings.base_iri + "ontology#"

    # pyLODE's ids are lower-cased and numbered on clashes (Evidence -> "evidence", evidence -> "evidence1");
    # each of our terms' sections takes its local name as id instead, and pyLODE's own links follow.
    ents = re.findall(r'<div class="[^"]*entity[^"]*" id="([^"]*)">(?:(?!<div class="[^"]*entity).)*?<code>'
                      + re.escape(ns) + r'([^<]+)</code>', doc, flags=re.S)
    others = set(re.findall(r'\bid="([^"]+)"', doc)) - {pid for pid, _ in ents}
    renamed = {pid: local for pid, local in ents if pid != local and local not in others}
    if renamed:
        doc = re.sub(r'\b(id="|href="#)([^"]+)"',
                     lambda m: f'{m.group(1)}{html.escape(renamed.get(m.group(2)) or str(m.group(2)))}"', doc)
    # links to our terms and documents go to this site
    doc = doc.replace(f'href="{project.settings.base_iri}', f'href="{site.base_url}')
    banner = (f'<div style="padding:.5em 1em;background:#eef;font:14px sans-serif">'
              f'<a href="{site.base_url}">eventkg</a> · this ontology as '
              + " · ".join(f'<a href="{site.doc_url(ns[:-1], v)}">{v.label}</a>' for v in RDF_VARIANTS)
              + "</div>")
    # pyLODE names neither the page's language nor its encoding (the Content-Type does, but not a saved copy)
    doc = re.sub(r"<html>", '<html lang="en">', doc, count=1)
    if "<meta charset" not in doc:
        doc = doc.replace("<head>", '<head>\n    <meta charset="utf-8">', 1)
    return doc.replace("<body>", "<body>" + banner, 1)


def shapes_html(project: Project, base_url: str) -> str:
    site = Site(project.settings.base_iri, base_url)
    return _graph_page(project, site, _file_graph(project, "shapes"), "SHACL shapes", project.settings.base_iri + "shapes",
                       "The shapes every record is checked against before it is written.")


def _dump_url(site: Site, name: str) -> str:
    return site.url(f"dumps/{name}")


def dataset_graph(project: Project, base_url: str, *, allow_update: bool = False) -> Graph:
    """VoID and DCAT: the dataset, its SPARQL endpoint, dumps, example resources and vocabularies."""
    s = project.settings
    site = Site(s.base_iri, base_url)
    store = project.store
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    ds = URIRef(s.base_iri + "dataset")
    endpoint = URIRef(site.url("sparql"))
    service = URIRef(site.url("sparql") + "#service")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal("eventkg: events of intergovernmental bodies, with evidence", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Records of events of intergovernmental bodies as a knowledge graph: who convened, organised, supported "
        "and spoke, what was said, and for every fact the quote of the source document it rests on.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((ds, FOAF.homepage, URIRef(site.base_url)))
    g.add((ds, DCAT.landingPage, URIRef(site.base_url)))
    if not site.static:   # a static site has no endpoint
        g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((ds, VOID.uriSpace, Literal(s.base_iri + "id/")))
    g.add((ds, VOID.triples, Literal(distinct_triples(store), datatype=XSD.integer)))
    g.add((ds, VOID.vocabulary, URIRef(s.base_iri + "ontology")))
    used = describe._select(store, "SELECT DISTINCT ?p WHERE { { ?s ?p ?o } UNION { ?s a ?p } } LIMIT 2000")
    vocabs = set()
    for (used_iri,) in used.rows:
        for ns in PREFIXES.values():
            if str(used_iri).startswith(ns) and ns not in (s.base_iri + "id/", s.base_iri + "record/"):
                vocabs.add(ns)
    for ns in sorted(vocabs):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for row in describe.events(store, limit=5).rows:
        g.add((ds, VOID.exampleResource, row[0]))  # type: ignore[arg-type]
    for name, file in DUMPS:
        f = rdf_format(name)
        url = URIRef(_dump_url(site, file))
        # the distribution is part of the dataset's description (its IRI dereferences to it), the dump's URL
        # its download URL
        dist = URIRef(f"{s.base_iri}dataset#distribution-{f.name}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"The whole graph in {f.label}", lang="en")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{f.media_type}")))
    if not site.static:
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCTERMS.title, Literal("SPARQL 1.1 endpoint", lang="en")))
        g.add((service, DCAT.endpointURL, endpoint))
        g.add((service, DCAT.endpointDescription, endpoint))
        g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
        g.add((service, DCAT.servesDataset, ds))
        g.add((ds, DCAT.accessService, service))
    for rec in store.records()[:500]:
        sub = URIRef(rec)
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(store.count(rec), datatype=XSD.integer)))
    return g


def service_description(project: Project, base_url: str, *, allow_update: bool = False,
                        allow_service: bool = False) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    site = Site(project.settings.base_iri, base_url)
    sd = lambda t: URIRef(SD + t)  # noqa: E731
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", str(VOID))
    g.bind("formats", FORMATS_NS)
    svc = URIRef(site.url("sparql") + "#service")
    endpoint = URIRef(site.url("sparql"))
    g.add((svc, RDF.type, sd("Service")))
    g.add((svc, sd("endpoint"), endpoint))
    g.add((svc, sd("supportedLanguage"), sd("SPARQL11Query")))
    if allow_update:
        g.add((svc, sd("supportedLanguage"), sd("SPARQL11Update")))
    g.add((svc, sd("feature"), sd("UnionDefaultGraph")))
    if allow_service:
        g.add((svc, sd("feature"), sd("BasicFederatedQuery")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "N-Quads", "TriG", "RDF_XML"):
        g.add((svc, sd("resultFormat"), URIRef(FORMATS_NS + name)))
    dataset = URIRef(project.settings.base_iri + "dataset")
    dd = BNode("defaultDataset")
    dg = BNode("defaultGraph")
    g.add((svc, sd("defaultDataset"), dd))
    g.add((dd, RDF.type, sd("Dataset")))
    g.add((dd, sd("defaultGraph"), dg))
    g.add((dg, RDF.type, sd("Graph")))
    g.add((dg, VOID.triples, Literal(distinct_triples(project.store), datatype=XSD.integer)))
    g.add((dg, RDFS.comment, Literal("The default graph is the union of all named graphs (the records).", lang="en")))
    for i, rec in enumerate(project.store.records()[:500]):
        ng = BNode(f"ng{i}")
        g.add((dd, sd("namedGraph"), ng))
        g.add((ng, RDF.type, sd("NamedGraph")))
        g.add((ng, sd("name"), URIRef(rec)))
    g.add((svc, RDFS.seeAlso, dataset))
    return g


# -- documents --------------------------------------------------------------------------------------------

def _rdf_bytes(quads: Sequence[describe.Quad], variant: Variant, context: dict[str, Any] | None,
               record: str | None = None, first: str | None = None) -> bytes:
    assert variant.fmt is not None
    if variant.fmt.name == "trig" or variant.fmt.name == "nq":
        # each graph's blank nodes labelled apart from the others' (labels are scoped to the document)
        parts = sorted((name, canonical_ntriples(serialize_graph(g, rdf_format("nt")), scope=name))
                       for name, g in describe.by_graph(quads).items())
        if variant.fmt.name == "trig":
            return trig_from_graphs(parts, first=first)
        return nquads_from_graphs(parts)
    return serialize_graph(describe.to_graph(quads), variant.fmt, context=context, first=first)


def _graph_bytes(g: Graph, variant: Variant, context: dict[str, Any] | None, name: str | None = None) -> bytes:
    assert variant.fmt is not None
    # ``name`` puts the triples in a named graph in TriG and N-Quads only: in JSON-LD a top-level @id beside
    # @graph would do the same, and a reader of the document's default graph (as of Turtle's) would get none.
    named = name if variant.fmt.name in ("trig", "nq") else None
    return serialize_graph(g, variant.fmt, context=context, name=named)


def render_document(project: Project, path: str, variant: Variant, base_url: str, *,
                    highlight: tuple[int, int] | None = None, allow_update: bool = False) -> bytes:
    """The document about the thing at ``path`` (relative to the base: ``id/...``, ``record/...``,
    ``ontology``, ``shapes``, ``dataset``) in one variant. Raises NotFound."""
    s = project.settings
    iri = s.base_iri + path
    ctx = _context(project)
    if path == "ontology":
        if variant.fmt is None:
            return ontology_html(project, base_url).encode("utf-8")
        return _graph_bytes(_file_graph(project, "ontology"), variant, ctx, name=iri)
    if path == "shapes":
        if variant.fmt is None:
            return shapes_html(project, base_url).encode("utf-8")
        return _graph_bytes(_file_graph(project, "shapes"), variant, ctx, name=iri)
    if path == "dataset":
        g = dataset_graph(project, base_url, allow_update=allow_update)
        if variant.fmt is None:
            site = Site(s.base_iri, base_url)
            return _graph_page(project, site, g, "Dataset description (VoID and DCAT)", iri,
                               "What this dataset holds, where to query it and where to download it.").encode("utf-8")
        return _graph_bytes(g, variant, ctx)
    if not path.startswith(("id/", "record/")):
        raise NotFound(f"no document for {path!r}")
    if variant.fmt is None:
        return render_resource_html(project, iri, base_url, highlight=highlight).encode("utf-8")
    quads = describe.document_quads(project.store, iri)
    if not quads:
        raise NotFound(f"the graph does not name <{iri}>")
    return _rdf_bytes(quads, variant, ctx, first=iri)


def _context(project: Project) -> dict[str, Any] | None:
    try:
        return project.context
    except Exception:  # noqa: BLE001 - no context file: JSON-LD falls back to the packaged one
        return None


# -- index, search, query pages ------------------------------------------------------------------------

def render_index_html(project: Project, base_url: str) -> str:
    store = project.store
    site = Site(project.settings.base_iri, base_url)
    evs = describe.events(store)
    labels = describe.labels(store, [r[4] for r in evs.rows if r[4] is not None])
    terms = Terms(site, labels)
    events = [{"url": web_page(site, str(e)), "name": str(n) if n else describe.humanize(str(e)),
               "start": str(sd) if sd else "", "end": str(ed) if ed else "",
               "place": terms.link(pl) if pl is not None else ""} for e, n, sd, ed, pl in evs.rows]
    records = store.records()
    rec_labels = describe.labels(store, [URIRef(r) for r in records])
    recs = [{"url": web_page(site, r), "name": rec_labels.get(URIRef(r)) or describe.humanize(r), "iri": r} for r in records]
    return _env.get_template("index.html").render(
        site=site, title=None, events=events, records=recs, triples=distinct_triples(store),   # as VoID counts
        dumps=[{"label": rdf_format(n).label, "url": _dump_url(site, f)} for n, f in DUMPS],
        queries=sorted(_queries(project).values(), key=lambda q: q.name))


def _queries(project: Project) -> dict[str, Any]:
    try:
        return project.queries
    except Exception:  # noqa: BLE001 - a bad header in one file must not take the pages down
        return {}


def render_search_html(project: Project, base_url: str, q: str) -> str:
    site = Site(project.settings.base_iri, base_url)
    hits = describe.search(project.store, q).dicts() if q.strip() else []
    names = describe.labels(project.store, [h["x"] for h in hits])
    items = []
    for h in hits:
        name, matched = names.get(h["x"], ""), str(h.get("label", ""))
        label = name if q.lower() in name.lower() or not name else f"{name} ({matched})" if matched else name
        items.append({"url": web_page(site, str(h["x"])), "label": label, "iri": str(h["x"])})
    return _env.get_template("search.html").render(site=site, title=f"Search: {q}", q=q, hits=items)


def result_downloads(kind: str, url_for: Any) -> list[dict[str, str]]:
    if kind == "construct":
        return [{"label": v.label, "url": url_for(v.ext)} for v in RDF_VARIANTS]
    return [{"label": f.name.upper(), "url": url_for(f.name)} for f in RESULTS_FORMATS]


def render_query_html(project: Project, base_url: str, *, query: str = "", result: QueryResult | None = None,
                      meta: Mapping[str, Any] | None = None, named: Any = None, values: Mapping[str, str] | None = None,
                      downloads: list[dict[str, str]] | None = None, error: str | None = None,
                      row_limit: int | None = None, elapsed: float | None = None) -> str:
    site = Site(project.settings.base_iri, base_url)
    table = None
    if result is not None:
        nodes: set[Node] = set()
        if isinstance(result, Rows):
            for row in result.rows:
                nodes.update(t for t in row if t is not None)
        elif isinstance(result, Triples):
            for t in result.graph:
                nodes.update(t)
        terms = Terms(site, describe.labels(project.store, nodes))
        if isinstance(result, Rows):
            table = {"heads": result.variables, "rows": [[terms.cell(t) for t in row] for row in result.rows]}
        elif isinstance(result, Triples):
            trs = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
            table = {"heads": ["subject", "predicate", "object"],
                     "rows": [[terms.cell(s), terms.prop(p), terms.cell(o)] for s, p, o in trs]}
        elif isinstance(result, Boolean):
            table = {"heads": ["answer"], "rows": [[Markup("yes" if result.value else "no")]]}
    return _env.get_template("query.html").render(
        site=site, title=named.title if named is not None else "Query", query=query, table=table, meta=meta or {},
        named=named, values=values or {}, queries=sorted(_queries(project).values(), key=lambda q: q.name),
        downloads=downloads or [], error=error, row_limit=row_limit, elapsed=elapsed,
        example=_example_query(project))


def _example_query(project: Project) -> str:
    return ("PREFIX schema: <https://schema.org/>\n\n"
            "SELECT ?event ?name ?start WHERE {\n  ?event a schema:Event ; schema:name ?name .\n"
            "  OPTIONAL { ?event schema:startDate ?start }\n} ORDER BY ?start LIMIT 20")


def render_error_html(base_url: str, status: int, title: str, detail: str, extra: Mapping[str, Any] | None = None) -> str:
    site = Site("", base_url)
    return _env.get_template("error.html").render(site=site, title=f"{status} {title}", status=status,
                                                  heading=title, detail=detail, extra=extra or {})


# -- sitemap ---------------------------------------------------------------------------------------------

def sitemap_xml(project: Project, base_url: str, limit: int = 50_000) -> bytes:
    """Every HTML page: the index, the query page, the vocabulary and one page per resource of ours."""
    s = project.settings
    site = Site(s.base_iri, base_url)
    urls = [site.base_url, *([] if site.static else [site.url("sparql")]),
            site.doc_url(s.base_iri + "ontology", HTML_VARIANT),
            site.doc_url(s.base_iri + "shapes", HTML_VARIANT), site.doc_url(s.base_iri + "dataset", HTML_VARIANT)]
    rows = describe._select(project.store, f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{s.base_iri}") && (STRSTARTS(STR(?s), "{s.base_iri}id/")
               || STRSTARTS(STR(?s), "{s.base_iri}record/"))) }} ORDER BY ?s LIMIT {int(limit)}""")
    # (a static site has no page for an IRI no file can be named after)
    urls += [site.page(str(r[0])) for r in rows.rows if site.has_page(str(r[0]))]
    # each URL once: two IRIs may share one (id/topic/€ and id/topic/%E2%82%AC, RFC 3987)
    body = "".join(f"  <url><loc>{html.escape(u or '')}</loc></url>\n" for u in list(dict.fromkeys(urls))[:limit])
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + body + "</urlset>\n").encode("utf-8")


__all__ = ["render_resource_html", "render_document", "render_index_html", "render_search_html",
           "render_query_html", "render_error_html", "ontology_html", "shapes_html", "dataset_graph",
           "service_description", "sitemap_xml", "snippet", "marked_text", "Terms", "DUMPS", "result_downloads"]
