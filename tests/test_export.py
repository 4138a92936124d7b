"""Whole-store exports and multi-graph documents keep each record's blank nodes its own."""

from __future__ import annotations

import io

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from eventkg.export import write_export
from eventkg.formats import rdf_format
from eventkg.load import records_from_bytes
from eventkg.server.conneg import Variant
from eventkg.server.pages import _rdf_bytes
from eventkg.store import Store

SCHEMA = "https://schema.org/"


def record(slug: str) -> bytes:
    # the same shape in every record, so that each record's blank node gets the same canonical label
    return f"""
@prefix schema: <https://schema.org/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> .
<https://w3id.org/eventkg/record/{slug}> a ekg:Record .
<https://w3id.org/eventkg/id/event/{slug}> a schema:Event ;
    schema:location [ a schema:Place ; schema:name "Place of {slug}"@en ] .
""".encode()


@pytest.fixture
def two_records(store: Store) -> Store:
    recs = [r for slug in ("one", "two") for r in records_from_bytes(record(slug), rdf_format("turtle"), f"{slug}.ttl")]
    store.put_records(recs)
    return store


def store_dataset(store: Store) -> Dataset:
    ds = Dataset()
    res = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    for g, s, p, o in res.rows:  # type: ignore[union-attr]
        ds.graph(g).add((s, p, o))
    return ds


@pytest.mark.parametrize("fmt,parser", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"),
                                        ("turtle", "turtle"), ("nt", "nt")])
def test_whole_store_export_keeps_each_records_blank_nodes_apart(two_records: Store, fmt: str, parser: str) -> None:
    buf = io.BytesIO()
    write_export(two_records, fmt, buf)
    expected = store_dataset(two_records)
    if fmt in ("nq", "trig", "jsonld"):
        got = Dataset()
        got.parse(data=buf.getvalue(), format=parser)
        names = {str(g.identifier) for g in expected.graphs() if len(g)}
        assert {str(g.identifier) for g in got.graphs() if len(g)} >= names
        for name in names:
            assert isomorphic(got.graph(URIRef(name)), expected.graph(URIRef(name))), (fmt, name)
    else:
        got_g = Graph().parse(data=buf.getvalue(), format=parser)
        union = Graph()
        for g in expected.graphs():
            union += g
        assert isomorphic(got_g, union), fmt
    places = {o for o in Graph().parse(data=_union_nt(buf.getvalue(), parser), format="nt").objects(
        None, URIRef(SCHEMA + "location"))}
    assert len(places) == 2 and all(isinstance(p, BNode) for p in places)


def _union_nt(data: bytes, parser: str) -> str:
    ds = Dataset()
    ds.parse(data=data, format=parser)
    out = Graph()
    for g in ds.graphs():
        out += g
    return out.serialize(format="nt")


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_a_document_drawn_from_two_records_keeps_their_blank_nodes_apart(fmt: str) -> None:
    # one thing described in two records, each giving it a place as a blank node of the same shape
    thing = URIRef("https://w3id.org/eventkg/id/org/example")
    quads = []
    for slug in ("one", "two"):
        graph, place = URIRef(f"https://w3id.org/eventkg/record/{slug}"), BNode()
        quads += [(graph, thing, URIRef(SCHEMA + "location"), place),
                  (graph, place, URIRef(SCHEMA + "name"), Literal("A place", lang="en"))]
    f = rdf_format(fmt)
    data = _rdf_bytes(quads, Variant(f.extensions[0], f.media_type, f.label, f), None)
    ds = Dataset()
    ds.parse(data=data, format="trig" if fmt == "trig" else "nquads")
    places = {o for g in ds.graphs() for o in g.objects(thing, URIRef(SCHEMA + "location"))}
    assert len(places) == 2, data.decode()


LIST_RECORD = b"""
@prefix schema: <https://schema.org/> .
@prefix ekg: <https://w3id.org/eventkg/ontology#> .
<https://w3id.org/eventkg/record/listed> a ekg:Record .
<https://w3id.org/eventkg/id/event/listed> a schema:Event ;
    schema:keywords ( "zulu" "alpha" "mike" [ schema:name "kilo" ] "bravo" ) .
"""


@pytest.mark.parametrize("fmt,parser", [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"),
                                        ("turtle", "turtle"), ("nt", "nt"), ("rdfxml", "xml")])
def test_an_rdf_list_keeps_its_order_in_every_format(store: Store, fmt: str, parser: str) -> None:
    """An RDF list's order is its meaning: no export may sort it (JSON-LD's @list once came out sorted)."""
    store.put_records(records_from_bytes(LIST_RECORD, rdf_format("turtle"), "listed.ttl"))
    out = io.BytesIO()
    write_export(store, fmt, out)
    back = Graph()
    if fmt in ("nq", "trig") or (fmt == "jsonld"):
        ds = Dataset()
        ds.parse(data=out.getvalue(), format=parser)
        for g in ds.graphs():
            back += g
    else:
        back.parse(data=out.getvalue(), format=parser)
    expected = Graph().parse(data=LIST_RECORD, format="turtle")
    assert isomorphic(back, expected)
    head = back.value(URIRef("https://w3id.org/eventkg/id/event/listed"), URIRef(SCHEMA + "keywords"))
    items = list(back.items(head))
    assert [str(i) for i in items if isinstance(i, Literal)] == ["zulu", "alpha", "mike", "bravo"]


def test_json_ld_is_the_same_bytes_whatever_the_hash_seed() -> None:
    """Nodes that reference each other once (a dataset and its service) nest the same way in every process:
    the order rdflib hands them out in varies with Python's hash seed."""
    import subprocess
    import sys

    script = """
from rdflib import Graph
from eventkg.export import jsonld_from_graph
g = Graph().parse(data='''
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<https://w3id.org/eventkg/dataset> dcat:accessService <https://example.org/sparql#service> ;
    dcat:distribution <https://w3id.org/eventkg/dataset#d1> .
<https://example.org/sparql#service> dcat:servesDataset <https://w3id.org/eventkg/dataset> .
<https://w3id.org/eventkg/dataset#d1> dcat:downloadURL <https://example.org/d1.ttl> .
''', format='turtle')
import sys; sys.stdout.buffer.write(jsonld_from_graph(g, {"dcat": "http://www.w3.org/ns/dcat#"}))
"""
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(1, 9)}
    assert len(outs) == 1, [o[:200] for o in outs]


def test_a_big_json_ld_export_written_by_several_processes_is_the_same_bytes(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are compacted by processes when an export is big; the document is the same, in the same
    bytes as ``json.dumps(indent=2)`` writes it, whatever the number of processes. (Here every export is
    "big" and every record its own run of work.)"""
    import json
    from pathlib import Path

    from eventkg import export
    from eventkg.load import records_from_file

    empty = io.BytesIO()
    write_export(store, "jsonld", empty, workers=1)
    assert json.loads(empty.getvalue())["@graph"] == []
    for path in sorted((Path(__file__).resolve().parents[1] / "data" / "records").glob("*.ttl")):
        store.put_records(records_from_file(path))
    store.put_records(records_from_bytes(LIST_RECORD, rdf_format("turtle"), "listed.ttl"))
    store.put_records([r for slug in ("one", "two") for r in records_from_bytes(record(slug), rdf_format("turtle"),
                                                                                   f"{slug}.ttl")])
    monkeypatch.setattr(export, "PARALLEL_JSONLD_BYTES", 0)
    monkeypatch.setattr(export, "JSONLD_RUN_BYTES", 1)
    outs = []
    for workers in (1, 2, 3):
        buf = io.BytesIO()
        write_export(store, "jsonld", buf, workers=workers)
        outs.append(buf.getvalue())
    assert outs[0] == outs[1] == outs[2]
    doc = json.loads(outs[0])
    assert outs[0] == (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert [d["@id"].replace("record:", "https://w3id.org/eventkg/record/") for d in doc["@graph"]] == store.records()
    back = Dataset()
    back.parse(data=outs[1], format="json-ld")
    expected = store_dataset(store)
    for name in store.records():
        assert isomorphic(back.graph(URIRef(name)), expected.graph(URIRef(name))), name


def test_a_long_chain_of_nodes_referenced_once_is_written_as_json_ld() -> None:
    """Each node of a chain is referenced once, so each would nest in the one before: 1,200 levels made
    the writer (and any JSON-LD reader) run out of recursion. Nesting stops at a fixed depth; the chain goes
    on from nodes at the top, the same graph, the same bytes each time."""
    import json

    from eventkg.export import NEST_DEPTH, jsonld_from_graph, load_context

    g = Graph()
    for i in range(1200):
        g.add((URIRef(f"https://example.org/n{i}"), URIRef(SCHEMA + "about"), URIRef(f"https://example.org/n{i + 1}")))
    g.add((URIRef("https://example.org/n1200"), URIRef(SCHEMA + "name"), Literal("end")))
    out = jsonld_from_graph(g, load_context())
    assert out == jsonld_from_graph(g, load_context())
    assert isomorphic(Graph().parse(data=out, format="json-ld"), g)

    def depth(v: object) -> int:
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        if isinstance(v, list):
            return max((depth(x) for x in v), default=0)
        return 0

    assert max(depth(n) for n in json.loads(out)["@graph"]) <= 2 * NEST_DEPTH + 2
