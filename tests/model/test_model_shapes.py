"""Each SHACL constraint rejects at least one invalid case and the valid cases pass.

A case is a SPARQL Update file applied to ontology + shapes_cases/base.ttl (a valid record that uses every
class the shapes know). Headers of an invalid case say what must be reported:

    # expect: ekgsh:PROPERTY-SHAPE sh:COMPONENT      (or ekgsh:SPARQL-CONSTRAINT)
    # message: a fragment of the message
    # severity: Violation | Warning
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from model_support import HERE, ONTOLOGY_IRI, copy_graph
from model_support import (  # noqa: F401  (the fixtures these tests use, and what they depend on)
    _reuse_parsed_sparql, ontology, record_files, records, shapes, source_text, union, workshop,
)

CASES = HERE / "shapes_cases"
EKGSH = "https://w3id.org/eventkg/shapes#"
UPDATE_PROLOGUE = """\
BASE <https://w3id.org/eventkg/id/>
PREFIX ekg: <https://w3id.org/eventkg/ontology#>
PREFIX record: <https://w3id.org/eventkg/record/>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
PARAMETERS = {  # shape parameter -> the constraint component it triggers
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class", SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind", SH.pattern: "Pattern", SH["or"]: "Or", SH.hasValue: "HasValue",
    SH.lessThanOrEquals: "LessThanOrEquals", SH.lessThan: "LessThan", SH.minLength: "MinLength",
    SH.uniqueLang: "UniqueLang", SH.qualifiedMinCount: "QualifiedMinCount",
    SH.qualifiedMaxCount: "QualifiedMaxCount", SH["not"]: "Not", SH["in"]: "In",
}


def headers(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if m:
            out[m.group(1)] = m.group(2).strip()
    return out


def expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef({"ekgsh": EKGSH, "sh": str(SH)}[prefix] + local)


def apply_case(ontology: Graph, base: Graph, path: Path) -> Graph:
    g = copy_graph(ontology, base)
    before = set(g)
    g.update(UPDATE_PROLOGUE + path.read_text(encoding="utf-8"))
    assert set(g) != before, f"{path.name}: the update changed nothing (its WHERE matched nothing)"
    return g


def results(report: Graph) -> list[dict]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        out.append({k: report.value(r, getattr(SH, k)) for k in
                    ("sourceShape", "sourceConstraint", "sourceConstraintComponent", "resultMessage",
                     "resultSeverity", "focusNode", "resultPath", "value")})
    return out


@pytest.fixture(scope="module")
def base() -> Graph:
    return Graph().parse(CASES / "base.ttl", format="turtle")


TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_pruned: dict[URIRef, Graph] = {}


def shapes_for(shapes: Graph, only: URIRef) -> Graph:
    """The shapes graph with every node shape but the one(s) holding ``only`` untargeted, so that an
    invalid case, which is about one constraint, runs just that shape (the valid cases run them all)."""
    if only not in _pruned:
        keep = {only} if (only, RDF.type, SH.NodeShape) in shapes else \
            set(shapes.subjects(SH.property, only)) | set(shapes.subjects(SH.sparql, only))
        assert keep, f"{only} belongs to no node shape"
        pruned = copy_graph(shapes)
        for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) - keep:
            for target in TARGETS:
                pruned.remove((shape, target, None))
        _pruned[only] = pruned
    return _pruned[only]


def validate(g: Graph, shapes: Graph):
    conforms, report, text = pyshacl.validate(g, shacl_graph=shapes, inference="none", inplace=True)
    return conforms, results(report), text


INVALID = sorted((CASES / "invalid").glob("*.ru"))
VALID = sorted((CASES / "valid").glob("*.ru"))


def test_base_conforms(ontology, shapes, base):
    conforms, _, text = validate(copy_graph(ontology, base), shapes)
    assert conforms, text


@pytest.mark.parametrize("case", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_case_is_rejected_by_its_constraint(case, ontology, shapes, base):
    h = headers(case)
    expect = h["expect"].split()
    target = expand(expect[0])
    component = expand(expect[1].replace("sh:", "sh:")) if len(expect) > 1 else SH.SPARQLConstraintComponent
    severity = getattr(SH, h.get("severity", "Violation"))
    conforms, found, text = validate(apply_case(ontology, base, case), shapes_for(shapes, target))
    assert not conforms
    matching = [r for r in found
                if target in (r["sourceShape"], r["sourceConstraint"])
                and r["sourceConstraintComponent"] == component
                and r["resultSeverity"] == severity
                and h["message"].lower() in str(r["resultMessage"]).lower()]
    assert matching, f"{case.name}: no {severity.n3()} from {expect} with message ~ {h['message']!r}:\n{text}"


@pytest.mark.parametrize("case", VALID, ids=[p.stem for p in VALID])
def test_valid_case_is_accepted(case, ontology, shapes, base):
    conforms, _, text = validate(apply_case(ontology, base, case), shapes)
    assert conforms, text


def constraints(shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """Every (shape, component) and every (shape, SPARQL constraint) the shapes file declares."""
    out = set()
    for s in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if not isinstance(s, URIRef):
            continue
        for param, name in PARAMETERS.items():
            if (s, param, None) in shapes:
                out.add((s, SH[name + "ConstraintComponent"]))
        for c in shapes.objects(s, SH.sparql):
            out.add((c, SH.SPARQLConstraintComponent))
    return out


def test_every_constraint_has_an_invalid_case(shapes):
    covered = set()
    for case in INVALID:
        expect = headers(case)["expect"].split()
        covered.add((expand(expect[0]), expand(expect[1]) if len(expect) > 1 else SH.SPARQLConstraintComponent))
    missing = constraints(shapes) - covered
    assert not missing, "constraints without an invalid case: " + ", ".join(
        f"{s.removeprefix(EKGSH)}/{c.removeprefix(str(SH))}" for s, c in sorted(missing))


def test_every_constraint_is_exercised_by_valid_data(ontology, shapes, base):
    """Each shape has focus nodes in the valid base, and each property shape finds values there, so the
    base (which conforms) shows every constraint accepting real data."""
    g = copy_graph(ontology, base)
    idle = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        focus = set()
        for c in shapes.objects(shape, SH.targetClass):
            focus |= set(g.transitive_subjects(RDF.type, c)) | {
                s for sub in g.transitive_subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), c)
                for s in g.subjects(RDF.type, sub)}
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            focus |= set(g.subjects(p, None))
        focus |= set(shapes.objects(shape, SH.targetNode))
        if not focus:
            idle.append(str(shape))
            continue
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef) and not any(g.value(f, path) is not None for f in focus):
                idle.append(f"{prop} (no value of {path})")
    assert ONTOLOGY_IRI in set(shapes.objects(None, SH.targetNode))
    assert not idle, "shapes the valid base never exercises: " + ", ".join(sorted(idle))


def test_valid_cases_name_real_shapes(shapes):
    known = {str(s) for s in shapes.subjects()} | {str(c) for c in shapes.objects(None, SH.sparql)}
    for case in VALID:
        for curie in headers(case)["exercises"].split():
            assert str(expand(curie)) in known, f"{case.name}: {curie} is not in shapes.ttl"
