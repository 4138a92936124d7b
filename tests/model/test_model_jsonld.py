"""A record written as plain JSON with our context gives the same triples as in Turtle, and the shapes
accept it; every record survives a round trip through the context."""

from __future__ import annotations

import json

import pyshacl
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from model_support import CONTEXT, HERE, RECORDS, copy_graph
from model_support import (  # noqa: F401  (the fixtures these tests use, and what they depend on)
    _reuse_parsed_sparql, ontology, record_files, records, shapes, source_text, union, workshop,
)

CONTEXT_URL = "https://w3id.org/eventkg/ontology/context.jsonld"


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def parse_with_local_context(text: str, context: dict) -> Graph:
    doc = json.loads(text)
    assert doc["@context"] == CONTEXT_URL, "examples refer to the published context"
    doc["@context"] = context  # offline: the context file itself, not a fetch
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def test_context_file_is_plain_json_ld_1_0_compatible(context):
    assert "@vocab" not in context and "@version" not in context
    for key, value in context.items():
        if isinstance(value, dict) and value.get("@type") not in (None, "@id"):
            assert value["@type"].startswith("xsd:"), key


def test_min_event_json_equals_turtle(context):
    from_json = parse_with_local_context((HERE / "examples" / "min-event.jsonld").read_text(encoding="utf-8"), context)
    from_ttl = Graph().parse(HERE / "examples" / "min-event.ttl", format="turtle")
    _, only_json, only_ttl = graph_diff(from_json, from_ttl)
    assert isomorphic(from_json, from_ttl), f"only in JSON: {list(only_json)}\nonly in Turtle: {list(only_ttl)}"


def test_min_event_json_conforms(context, ontology, shapes):
    g = parse_with_local_context((HERE / "examples" / "min-event.jsonld").read_text(encoding="utf-8"), context)
    conforms, _, text = pyshacl.validate(copy_graph(ontology, g), shacl_graph=shapes, inference="none")
    assert conforms, text


def test_json_short_keys_give_typed_values(context):
    doc = {"@context": CONTEXT_URL, "@id": "id:event/x", "type": ["Meeting", "Event"], "name": "X",
           "startDate": "2020-01-01", "location": "id:place/y", "organizer": "id:org/z"}
    g = parse_with_local_context(json.dumps(doc), context)
    triples = {(str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1], o) for _, p, o in g}
    names = {o for p, o in triples if p == "name"}
    dates = {o for p, o in triples if p == "startDate"}
    assert [n.language for n in names] == ["en"]
    assert [str(d.datatype) for d in dates] == ["http://www.w3.org/2001/XMLSchema#date"]
    assert ("location", __import__("rdflib").URIRef("https://w3id.org/eventkg/id/place/y")) in triples


@pytest.mark.parametrize("name", ["aichr-tip-workshop-2018.ttl", "reference.ttl", "topics.ttl"])
def test_records_round_trip_through_the_context(context, records, name):
    g = records[name]
    compact = json.loads(g.serialize(format="json-ld", context=context))
    compact["@context"] = CONTEXT_URL
    back = parse_with_local_context(json.dumps(compact), context)
    assert isomorphic(g, back)
