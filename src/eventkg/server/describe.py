"""What the graph says about one resource: its triples (both ways), the labels of everything they name, and
the evidence of each fact, gathered with a few queries through the Store interface (so it works on every
backend). Used by the pages, the RDF documents and the static site; nothing here knows about HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import DCTERMS, EKG, FOAF, OA, PROV, RDF, RDFS, SCHEMA, SKOS
from ..store.base import Rows, Store, Triples

LABEL_PROPS = (RDFS.label, SKOS.prefLabel, SCHEMA.name, FOAF.name, DCTERMS.title)
TEXT_PROPS = (EKG.fullText, SCHEMA.text)
SEARCH_PROPS = LABEL_PROPS + (SCHEMA.alternateName, SKOS.altLabel)   # an acronym finds what it names
INCOMING_LIMIT = 1000
_BATCH = 400


def _select(store: Store, sparql: str, **bindings: Node) -> Rows:
    res = store.query(sparql, bindings=bindings or None)
    assert isinstance(res, Rows)
    return res


def _values(iris: Iterable[Node]) -> str:
    return " ".join(t.n3() for t in iris)


def exists(store: Store, iri: str) -> bool:
    """Is the IRI named in the graph (as subject, object or record)?"""
    res = store.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", bindings={"x": URIRef(iri)})
    return bool(res) or store.has_record(iri)


# -- triples ---------------------------------------------------------------------------------------------

Quad = tuple[URIRef, Node, URIRef, Node]   # graph, subject, predicate, object


def outgoing(store: Store, iri: str) -> list[Quad]:
    """Triples about the IRI, with the blank nodes they lead to (closed over), and their graphs."""
    x = URIRef(iri)
    rows = _select(store, "SELECT ?x ?g ?p ?o WHERE { GRAPH ?g { ?x ?p ?o } }", x=x)
    out: list[Quad] = [(g, x, p, o) for _, g, p, o in rows.rows]  # type: ignore[misc]
    if any(isinstance(o, BNode) for _, _, _, o in out):
        closure = _select(store, """SELECT ?x ?g ?s ?p ?o WHERE { GRAPH ?g {
            ?x ?p0 ?b . FILTER(isBlank(?b))
            ?b (<urn:eventkg:none>|!<urn:eventkg:none>)* ?s . FILTER(isBlank(?s))
            ?s ?p ?o } }""", x=x)
        out += [tuple(r[1:]) for r in closure.rows]  # type: ignore[misc]
    return out


def incoming(store: Store, iri: str, limit: int = INCOMING_LIMIT) -> list[Quad]:
    x = URIRef(iri)
    rows = _select(store, f"SELECT ?x ?g ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p ?x }} }} LIMIT {int(limit)}", x=x)
    return [(g, s, p, x) for _, g, s, p in rows.rows]  # type: ignore[misc]


def record_quads(store: Store, iri: str) -> list[Quad]:
    """Every triple of a record (a named graph)."""
    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(iri)})
    assert isinstance(res, Triples)
    g = URIRef(iri)
    return [(g, s, p, o) for s, p, o in res.graph]  # type: ignore[misc]


def document_quads(store: Store, iri: str) -> list[Quad]:
    """What the document about ``iri`` holds: for a record, the record's whole graph; for anything else,
    its triples both ways (the symmetric concise bounded description)."""
    quads = outgoing(store, iri) + incoming(store, iri)
    if store.has_record(iri):
        quads += record_quads(store, iri)
    return sorted(set(quads), key=lambda q: tuple(str(t) for t in q))


def to_graph(quads: Iterable[Quad]) -> Graph:
    g = Graph()
    for _, s, p, o in quads:
        g.add((s, p, o))
    return g


def by_graph(quads: Iterable[Quad]) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for name, s, p, o in quads:
        out.setdefault(str(name), Graph()).add((s, p, o))
    return out


# -- labels ----------------------------------------------------------------------------------------------

def _label_rank(p: Node, lit: Node) -> tuple[int, int]:
    lang = lit.language if isinstance(lit, Literal) else None
    return (LABEL_PROPS.index(p) if p in LABEL_PROPS else 99,  # type: ignore[arg-type]
            0 if lang in ("en", None) else 1 if lang and lang.startswith("en") else 2)


def labels(store: Store, nodes: Iterable[Node], extra: Graph | None = None, compose: bool = True) -> dict[Node, str]:
    """The best label of each IRI (rdfs:label, skos:prefLabel, schema:name, foaf:name, dcterms:title;
    English first) found in the store or in ``extra``; an unnamed participation is named by its agent and
    role (``compose``)."""
    iris = sorted({n for n in nodes if isinstance(n, URIRef)}, key=str)
    best: dict[Node, tuple[tuple[int, int], str]] = {}

    def offer(x: Node, p: Node, lit: Node) -> None:
        if not isinstance(lit, Literal):
            return
        rank = _label_rank(p, lit)
        if x not in best or rank < best[x][0]:
            best[x] = (rank, str(lit))

    props = _values(LABEL_PROPS)
    for i in range(0, len(iris), _BATCH):
        chunk = iris[i:i + _BATCH]
        rows = _select(store, f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {_values(chunk)} }} "
                              f"VALUES ?p {{ {props} }} ?x ?p ?l }}")
        for x, p, lit in rows.rows:
            offer(x, p, lit)  # type: ignore[arg-type]
    if extra is not None:
        for x in iris:
            for p in LABEL_PROPS:
                for lit in extra.objects(x, p):
                    offer(x, p, lit)
    out = {x: v[1] for x, v in best.items()}
    if compose:
        out.update(_role_labels(store, [x for x in iris if x not in out]))
    return out


def _role_labels(store: Store, iris: list[URIRef]) -> dict[Node, str]:
    """Names for unnamed participations (an agent in a role at an event): "AICHR Viet Nam, organiser", from
    the agent's and the role's own names."""
    found: dict[Node, tuple[Node, Node | None]] = {}
    for i in range(0, len(iris), _BATCH):
        rows = _select(store, f"SELECT ?x ?a ?r WHERE {{ VALUES ?x {{ {_values(iris[i:i + _BATCH])} }} "
                              f"?x {EKG.agent.n3()} ?a OPTIONAL {{ ?x {EKG.role.n3()} ?r }} }} ORDER BY ?x ?a ?r")
        for x, a, r in rows.rows:
            found.setdefault(x, (a, r))  # type: ignore[arg-type]
    if not found:
        return {}
    names = labels(store, [n for pair in found.values() for n in pair if n is not None], compose=False)
    out: dict[Node, str] = {}
    for x, (a, r) in found.items():
        agent = names.get(a) or humanize(str(a))
        out[x] = f"{agent}, {names.get(r) or humanize(str(r))}" if r is not None else agent
    return out


def humanize(iri: str) -> str:
    """A readable name from an IRI's last segment: ``startDate`` -> ``start date``."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", tail).replace("_", " ").replace("-", " ")
    return words.lower() if not words.isupper() else words


# -- evidence --------------------------------------------------------------------------------------------

@dataclass
class Evidence:
    node: Node | None
    source: URIRef | None
    exact: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Support:
    """Why the graph says a fact: the assertion about it, its basis and its evidence."""
    assertion: Node
    basis: Node | None = None
    notes: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    derived_from: list[Node] = field(default_factory=list)
    locator: str | None = None


_EVIDENCE_Q = """
SELECT ?x ?a ?s ?p ?o ?basis ?note ?ref ?locator ?ev ?doc ?exact ?prefix ?suffix ?start ?end WHERE {
  %s
  OPTIONAL { ?a <%s> ?basis }
  OPTIONAL { ?a <%s> ?note }
  OPTIONAL { ?a <%s> ?ref }
  OPTIONAL { ?a <%s> ?locator }
  OPTIONAL {
    ?a ?link ?ev . ?ev <%s> ?doc .
    OPTIONAL { ?ev <%s> ?qs . ?qs <%s> ?exact .
               OPTIONAL { ?qs <%s> ?prefix } OPTIONAL { ?qs <%s> ?suffix } }
    OPTIONAL { ?ev <%s> ?ps . ?ps <%s> ?start ; <%s> ?end }
  }
}"""


def _evidence_query(pattern: str) -> str:
    return _EVIDENCE_Q % (pattern, EKG.basis, EKG.inferenceNote, PROV.wasDerivedFrom, EKG.locator, OA.hasSource,
                          OA.hasSelector, OA.exact, OA.prefix, OA.suffix, OA.hasSelector, OA.start, OA.end)


# ?x is the resource: in the first query ?s stays unbound (it is ?x), in the second ?o does.
_AS_SUBJECT = _evidence_query(f"?a <{RDF.subject}> ?x ; <{RDF.predicate}> ?p ; <{RDF.object}> ?o .")
_AS_OBJECT = _evidence_query(f"?a <{RDF.object}> ?x ; <{RDF.subject}> ?s ; <{RDF.predicate}> ?p .")


def _int(t: Node | None) -> int | None:
    try:
        return int(str(t)) if t is not None else None
    except ValueError:
        return None


def supports(store: Store, iri: str) -> dict[tuple[Node, Node, Node], list[Support]]:
    """The assertions (``rdf:Statement`` nodes with ``rdf:subject/predicate/object``) about every fact the
    IRI is the subject or object of, keyed by the fact's triple, with their evidence."""
    x = URIRef(iri)
    out: dict[tuple[Node, Node, Node], dict[Node, Support]] = {}
    for q in (_AS_SUBJECT, _AS_OBJECT):
        rows = _select(store, q, x=x)
        for d in rows.dicts():
            s = d.get("s", x)
            o = d.get("o", x)
            key = (s, d["p"], o)
            sup = out.setdefault(key, {}).setdefault(d["a"], Support(d["a"]))
            if "basis" in d:
                sup.basis = d["basis"]
            if "note" in d and str(d["note"]) not in sup.notes:
                sup.notes.append(str(d["note"]))
            if "ref" in d and d["ref"] not in sup.derived_from:
                sup.derived_from.append(d["ref"])
            if "locator" in d:
                sup.locator = str(d["locator"])
            if "ev" in d:
                ev = next((e for e in sup.evidence if e.node == d["ev"]), None)
                if ev is None:
                    ev = Evidence(d["ev"], d.get("doc"))  # type: ignore[arg-type]
                    sup.evidence.append(ev)
                for k in ("exact", "prefix", "suffix"):
                    if k in d:
                        setattr(ev, k, str(d[k]))
                if "start" in d and "end" in d:
                    ev.start, ev.end = _int(d["start"]), _int(d["end"])
    for sups in out.values():
        for sup in sups.values():
            sup.evidence.sort(key=lambda e: (e.start if e.start is not None else 1 << 30, str(e.node)))
    return {k: sorted(v.values(), key=lambda s: str(s.assertion)) for k, v in out.items()}


def own_evidence(store: Store, iri: str) -> Evidence | None:
    """If the IRI is itself an evidence node (``oa:hasSource`` and selectors), what it selects."""
    rows = _select(store, f"""SELECT ?x ?doc ?exact ?prefix ?suffix ?start ?end WHERE {{
        ?x <{OA.hasSource}> ?doc .
        OPTIONAL {{ ?x <{OA.hasSelector}> ?qs . ?qs <{OA.exact}> ?exact .
                    OPTIONAL {{ ?qs <{OA.prefix}> ?prefix }} OPTIONAL {{ ?qs <{OA.suffix}> ?suffix }} }}
        OPTIONAL {{ ?x <{OA.hasSelector}> ?ps . ?ps <{OA.start}> ?start ; <{OA.end}> ?end }} }} LIMIT 1""",
                   x=URIRef(iri))
    if not rows.rows:
        return None
    d = rows.dicts()[0]
    def text(k: str) -> str | None:
        return str(d[k]) if k in d else None

    return Evidence(URIRef(iri), d.get("doc"), text("exact"), text("prefix"), text("suffix"),  # type: ignore[arg-type]
                    _int(d.get("start")), _int(d.get("end")))


def texts(store: Store, docs: Iterable[Node]) -> dict[Node, str]:
    """The full text of each source document (``ekg:fullText`` or ``schema:text``)."""
    docs = sorted({d for d in docs if isinstance(d, URIRef)}, key=str)
    if not docs:
        return {}
    rows = _select(store, f"SELECT ?d ?p ?t WHERE {{ VALUES ?d {{ {_values(docs)} }} "
                          f"VALUES ?p {{ {_values(TEXT_PROPS)} }} ?d ?p ?t FILTER(isLiteral(?t)) }}")
    out: dict[Node, str] = {}
    for d, p, t in rows.rows:
        if d not in out or p == EKG.fullText:
            out[d] = str(t)  # type: ignore[index]
    return out


def spans_in(store: Store, doc: str) -> list[tuple[int, int, Node]]:
    """Every evidence span selected in a document by position: (start, end, evidence node)."""
    rows = _select(store, f"""SELECT DISTINCT ?x ?ev ?start ?end WHERE {{
        ?ev <{OA.hasSource}> ?x ; <{OA.hasSelector}> ?ps . ?ps <{OA.start}> ?start ; <{OA.end}> ?end }}""",
                   x=URIRef(doc))
    out = []
    for _, ev, s, e in rows.rows:
        si, ei = _int(s), _int(e)
        if si is not None and ei is not None:
            out.append((si, ei, ev))
    return sorted(out, key=lambda t: (t[0], -t[1], str(t[2])))  # type: ignore[arg-type]


def locate(ev: Evidence, text: str | None) -> tuple[int, int] | None:
    """Where the evidence's quote is in the text: its position if it holds the quote, else the one place
    the quote (with its prefix and suffix) occurs."""
    if text is None:
        return None
    if ev.start is not None and ev.end is not None and 0 <= ev.start <= ev.end <= len(text):
        if ev.exact is None or text[ev.start:ev.end] == ev.exact:
            return ev.start, ev.end
    if ev.exact:
        probe = (ev.prefix or "") + ev.exact + (ev.suffix or "")
        i = text.find(probe)
        if i >= 0:
            i += len(ev.prefix or "")
            return i, i + len(ev.exact)
        i = text.find(ev.exact)
        if i >= 0 and text.find(ev.exact, i + 1) < 0:
            return i, i + len(ev.exact)
    return None


def events(store: Store, limit: int = 500) -> Rows:
    """The events in the graph (instances of schema:Event or of its subclasses), newest first."""
    return _select(store, f"""PREFIX schema: <{SCHEMA}> PREFIX rdfs: <{RDFS}>
        SELECT ?e (SAMPLE(?n) AS ?name) (MIN(?sd) AS ?start) (MAX(?ed) AS ?end) (SAMPLE(?pl) AS ?place) WHERE {{
          ?e a ?t . ?t rdfs:subClassOf* schema:Event .
          FILTER NOT EXISTS {{ ?e schema:superEvent ?parent }}
          OPTIONAL {{ ?e schema:name ?n }} OPTIONAL {{ ?e schema:startDate ?sd }}
          OPTIONAL {{ ?e schema:endDate ?ed }} OPTIONAL {{ ?e schema:location ?pl }}
        }} GROUP BY ?e ORDER BY DESC(MIN(?sd)) ?e LIMIT {int(limit)}""")


def search(store: Store, text: str, limit: int = 100) -> Rows:
    """Resources whose label or other name (schema:alternateName, skos:altLabel) contains ``text``
    (case-insensitive), the closest matches (shortest matching name) first; the text is bound, never pasted.
    ``?label`` is the shortest name that matched."""
    return _select(store, f"""SELECT ?q ?x (MIN(STRLEN(STR(?l))) AS ?n) (SAMPLE(?l) AS ?label) WHERE {{
        VALUES ?p {{ {_values(SEARCH_PROPS)} }} ?x ?p ?l .
        FILTER(isIRI(?x) && CONTAINS(LCASE(STR(?l)), LCASE(STR(?q)))) }}
        GROUP BY ?q ?x ORDER BY ?n ?x LIMIT {int(limit)}""", q=Literal(text))


def subjects_in(store: Store, record: str, limit: int = 2000) -> list[Node]:
    rows = _select(store, f"SELECT DISTINCT ?g ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }} "
                          f"ORDER BY ?s LIMIT {int(limit)}", g=URIRef(record))
    return [r[1] for r in rows.rows if r[1] is not None]


def types_of(quads: Sequence[Quad], iri: str) -> list[Node]:
    x = URIRef(iri)
    return sorted({o for _, s, p, o in quads if s == x and p == RDF.type}, key=str)


__all__ = ["exists", "outgoing", "incoming", "record_quads", "document_quads", "to_graph", "by_graph", "labels",
           "humanize", "Evidence", "Support", "supports", "own_evidence", "texts", "spans_in", "locate",
           "events", "search", "subjects_in", "types_of", "LABEL_PROPS", "TEXT_PROPS"]
