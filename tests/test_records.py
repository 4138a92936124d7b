"""Adding, replacing and removing records: all or nothing, on every store backend."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Callable

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from eventkg.errors import NotConformingError, RecordError, RecordNotFound
from eventkg.load import records_from_bytes
from eventkg.formats import rdf_format
from eventkg.records import add, remove
from eventkg.store import EmbeddedStore, Store
from eventkg.validate import Validator

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
<urn:shape:event> a sh:NodeShape ; sh:targetClass schema:Event ;
  sh:property [ sh:path schema:name ; sh:minCount 1 ; sh:message "An event needs a name." ] ;
  sh:property [ sh:path schema:organizer ; sh:class schema:Organization ;
                sh:message "The organiser must be an organisation." ] .
"""


def record(slug: str, name: str | None = "Meeting", organizer: str | None = None, extra: str = "") -> bytes:
    lines = [
        "@prefix schema: <https://schema.org/> .",
        "@prefix ekg: <https://w3id.org/eventkg/ontology#> .",
        f"<https://w3id.org/eventkg/record/{slug}> a ekg:Record .",
        f"<https://w3id.org/eventkg/id/event/{slug}> a schema:Event .",
    ]
    if name:
        lines.append(f'<https://w3id.org/eventkg/id/event/{slug}> schema:name "{name}"@en .')
    if organizer:
        lines.append(f"<https://w3id.org/eventkg/id/event/{slug}> schema:organizer <{organizer}> .")
    return ("\n".join(lines) + "\n" + extra).encode()


def parse(data: bytes, source: str = "test.ttl") -> list:
    return records_from_bytes(data, rdf_format("turtle"), source)


@pytest.fixture
def validator() -> Validator:
    return Validator(Graph().parse(data=SHAPES, format="turtle"), Graph())


def quads(store: Store) -> list[str]:
    res = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(" ".join(t.n3() for t in row) for row in res.rows)  # type: ignore[union-attr]


def test_add_then_replace_then_remove(store: Store, validator: Validator) -> None:
    add(store, parse(record("a", "First")), validator)
    assert store.records() == ["https://w3id.org/eventkg/record/a"]
    with pytest.raises(RecordError, match="already in the store"):
        add(store, parse(record("a", "Second")), validator)
    assert any('"First"@en' in q for q in quads(store))
    add(store, parse(record("a", "Second")), validator, replace=True)
    names = [q for q in quads(store) if "schema.org/name" in q]
    assert len(names) == 1 and '"Second"@en' in names[0]
    remove(store, "https://w3id.org/eventkg/record/a")
    assert store.records() == [] and quads(store) == []
    with pytest.raises(RecordNotFound):
        remove(store, "https://w3id.org/eventkg/record/a")


def test_non_conforming_record_writes_nothing(store: Store, validator: Validator) -> None:
    add(store, parse(record("a")), validator)
    before = quads(store)
    batch = parse(record("b")) + parse(record("c", name=None), "c.ttl")
    with pytest.raises(NotConformingError) as e:
        add(store, batch, validator)
    [v] = e.value.report.violations
    assert v.focus_node == "id:event/c" and v.path == "schema:name" and v.message == "An event needs a name."
    # a shape without a name: the report says which kind of check it was
    assert "constraint: sh:MinCountConstraintComponent" in e.value.report.text()
    assert quads(store) == before


def test_reference_to_an_organisation_already_in_the_store(store: Store, validator: Validator) -> None:
    org = b"""@prefix schema: <https://schema.org/> .
<https://w3id.org/eventkg/record/orgs> a <https://w3id.org/eventkg/ontology#Record> .
<https://w3id.org/eventkg/id/org/aichr> a schema:Organization ; schema:name "AICHR" .
"""
    add(store, parse(org), validator)
    add(store, parse(record("a", organizer="https://w3id.org/eventkg/id/org/aichr")), validator)
    # A reference to an entity nobody describes is refused.
    with pytest.raises(NotConformingError) as e:
        add(store, parse(record("b", organizer="https://w3id.org/eventkg/id/org/missing")), validator)
    assert e.value.report.violations[0].value == "id:org/missing"
    assert "https://w3id.org/eventkg/record/b" not in store.records()


ORGS = """@prefix schema: <https://schema.org/> .
<https://w3id.org/eventkg/record/orgs> a <https://w3id.org/eventkg/ontology#Record> .
<https://w3id.org/eventkg/id/org/aichr> a {types} ; schema:name "AICHR" .
<https://w3id.org/eventkg/id/org/asean> a schema:Organization ; schema:name "ASEAN" .
"""


def test_a_replacement_that_takes_away_what_another_record_relies_on_is_refused(
        store: Store, validator: Validator) -> None:
    """Record a's event is organised by an organisation the record orgs describes. A new version of orgs
    that no longer types it an organisation would leave a not conforming: refused, the report naming a's
    event and record, and nothing written (it used to be taken). A version that changes something else
    of it is taken."""
    aichr = "https://w3id.org/eventkg/id/org/aichr"
    add(store, parse(ORGS.format(types="schema:Organization").encode()), validator)
    add(store, parse(record("a", organizer=aichr)), validator)
    before = quads(store)
    with pytest.raises(NotConformingError) as e:
        add(store, parse(ORGS.format(types="schema:Place").encode(), "orgs.ttl"), validator, replace=True)
    [v] = e.value.report.violations
    assert (v.focus_node, v.path, v.value_iri) == ("id:event/a", "schema:organizer", aichr)
    # where: the record it fails in, and the new version that describes the value
    assert (v.record, v.source) == ("https://w3id.org/eventkg/record/a", "orgs.ttl")
    assert "in record:  <https://w3id.org/eventkg/record/a>" in e.value.report.text()
    assert quads(store) == before
    renamed = ORGS.format(types="schema:Organization").replace('"AICHR"', '"The AICHR"').encode()
    res = add(store, parse(renamed), validator, replace=True)
    assert res.report.conforms and any('"The AICHR"' in q for q in quads(store))


def test_a_replacement_is_checked_against_every_record_that_relies_on_it(
        store: Store, validator: Validator) -> None:
    """Two records rely on the organisation; a third names only ASEAN. The report names both that fail."""
    aichr = "https://w3id.org/eventkg/id/org/aichr"
    add(store, parse(ORGS.format(types="schema:Organization").encode()), validator)
    for slug in ("a", "b"):
        add(store, parse(record(slug, organizer=aichr)), validator)
    add(store, parse(record("c", organizer="https://w3id.org/eventkg/id/org/asean")), validator)
    dropped = "\n".join(line for line in ORGS.format(types="x").splitlines() if "org/aichr" not in line)
    with pytest.raises(NotConformingError) as e:
        add(store, parse(dropped.encode()), validator, replace=True)
    assert sorted((v.focus_node, v.record) for v in e.value.report.violations) == [
        ("id:event/a", "https://w3id.org/eventkg/record/a"), ("id:event/b", "https://w3id.org/eventkg/record/b")]


@pytest.mark.parametrize("assertion", ["<https://w3id.org/eventkg/id/assertion/1>", "[]"])
def test_a_replacement_that_drops_what_points_to_another_records_node_is_refused(store: Store, assertion: str) -> None:
    """A shape that needs something to point to the node (an event must be the subject of an assertion):
    dropping the assertion from the record that holds it leaves the other record's event without one. So
    with an assertion that is a blank node (it was taken: blank subjects were not compared)."""
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> .
    <urn:shape:asserted> a sh:NodeShape ; sh:targetClass <https://schema.org/Event> ;
      sh:property [ sh:path [ sh:inversePath <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ] ;
                    sh:minCount 1 ; sh:message "Something must be asserted of an event." ] ."""
    validator = Validator(Graph().parse(data=shapes, format="turtle"), Graph())
    claims = "<https://w3id.org/eventkg/record/claims> a <https://w3id.org/eventkg/ontology#Record> .\n"
    about_a = (f"{assertion} a <https://w3id.org/eventkg/ontology#Assertion> ; "
               "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://w3id.org/eventkg/id/event/a> .\n")
    add(store, parse(record("a"), "a.ttl") + parse((claims + about_a).encode(), "claims.ttl"), validator)
    with pytest.raises(NotConformingError) as e:
        add(store, parse(claims.encode()), validator, replace=True)
    assert [(v.focus_node, v.record) for v in e.value.report.violations] == [
        ("id:event/a", "https://w3id.org/eventkg/record/a")]


def test_failed_replace_keeps_the_old_version(store: Store, validator: Validator) -> None:
    add(store, parse(record("a", "Old")), validator)
    before = quads(store)
    with pytest.raises(NotConformingError):
        add(store, parse(record("a", name=None)), validator, replace=True)
    assert quads(store) == before


WRITER = textwrap.dedent("""
    import sys
    from eventkg.store import EmbeddedStore
    from eventkg.load import records_from_bytes
    from eventkg.formats import rdf_format
    store = EmbeddedStore(sys.argv[1])
    body = "\\n".join(f'<urn:s{i}> <urn:p> "{i}" .' for i in range(20000))
    i = 0
    while True:
        rec = records_from_bytes(body.encode(), rdf_format("nt"), f"r{i}.nt")[0]
        rec.iri = f"urn:record:{i}"
        store.put_records([rec], replace=(i % 2 == 1))
        print(i, flush=True)
        i += 1
""")


def test_killed_process_leaves_no_half_written_record(tmp_path: Path) -> None:
    """kill -9 a process in the middle of adding records: each record is then wholly there or absent."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "store")], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for _ in range(3):  # let it commit a few records, then kill it mid-write
        proc.stdout.readline()
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = EmbeddedStore(tmp_path / "store")
    counts = {g: store.count(g) for g in store.records()}
    assert len(counts) >= 3
    assert set(counts.values()) == {20000}
    store.close()


def _citing_the_stored_release(exact_of: Callable[[str], tuple[str, int, int]]) -> bytes:
    """The smallest valid example record, its own document dropped and its evidence re-pointed at the press
    release already in the store, each quote replaced by what ``exact_of(text)`` gives (quote, start, end)."""
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    from conftest import ROOT, SOURCE

    oa = Namespace("http://www.w3.org/ns/oa#")
    stored = URIRef("https://w3id.org/eventkg/id/document/aichr-tip-workshop-2018-06-26")
    g = Graph().parse(ROOT / "tests/model/examples/min-event.ttl")
    own = next(g.subjects(RDF.type, URIRef("https://w3id.org/eventkg/ontology#SourceDocument")))
    for t in list(g.triples((own, None, None))):
        g.remove(t)
    for s, p, o in list(g):
        if o == own:
            g.remove((s, p, o))
            g.add((s, p, stored))
    exact, start, end = exact_of(SOURCE.read_text(encoding="utf-8"))
    for sel in list(g.subjects(oa.exact, None)):
        g.remove((sel, oa.prefix, None))
        g.remove((sel, oa.suffix, None))
        g.set((sel, oa.exact, Literal(exact)))
    for sel in list(g.subjects(oa.start, None)):
        g.set((sel, oa.start, Literal(start, datatype=XSD.integer)))
        g.set((sel, oa.end, Literal(end, datatype=XSD.integer)))
    return g.serialize(format="turtle").encode()


def test_quotes_from_a_document_already_in_the_store_are_checked(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def dateline(text: str) -> tuple[str, int, int]:
        return text[0:19], 0, 19

    good = parse(_citing_the_stored_release(dateline), "cites-the-release.ttl")
    report = loaded.validator.validate(good, loaded.store)
    assert report.conforms, report.text()

    def misquote(text: str) -> tuple[str, int, int]:
        return "HANOI, 27 June 2018", 0, 19

    path = tmp_path / "misquotes-the-release.ttl"
    path.write_bytes(_citing_the_stored_release(misquote))
    bad = parse(path.read_bytes(), str(path))
    report = loaded.validator.validate(bad, loaded.store)
    assert not report.conforms
    found = {(r.shape, r.source) for r in report.violations}
    assert ("ekgsh:SourceDocumentQuotesShape", str(path)) in found, report.text()
    assert any("does not occur in the full text" in r.message and r.line for r in report.violations), report.text()
    with pytest.raises(NotConformingError):
        add(loaded.store, bad, loaded.validator)


def test_validation_messages_name_iris_as_rdflib_does() -> None:
    """The data graph's prefixed names (used in pySHACL's messages) are rdflib's, without its prefix trie."""
    from rdflib import URIRef
    from rdflib.namespace import NamespaceManager

    from eventkg.validate import _DataGraph

    data = _DataGraph()
    reference = NamespaceManager(Graph())
    for prefix, ns in (("ekg", "https://w3id.org/eventkg/ontology#"), ("id", "https://w3id.org/eventkg/id/")):
        data.bind(prefix, ns, override=True)
        reference.bind(prefix, ns, override=True)
    iris = ["https://w3id.org/eventkg/ontology#Assertion", "https://w3id.org/eventkg/id/workshop",
            "https://w3id.org/eventkg/id/assertion/r1/a1", "http://schema.org/name", "urn:x:1",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://example.org/a/b#", "tag:x"]
    assert [data.namespace_manager.normalizeUri(URIRef(i)) for i in iris] == \
        [reference.normalizeUri(URIRef(i)) for i in iris]


ORG_WITH_ADDRESS = """@prefix schema: <https://schema.org/> .
<https://w3id.org/eventkg/record/orgs> a <https://w3id.org/eventkg/ontology#Record> .
<https://w3id.org/eventkg/id/org/x> a schema:Organization ; schema:name "{name}"@en ;
    schema:address [ schema:streetAddress "1 Road" ; schema:addressCountry [ schema:name "Viet Nam" ] ] ;
    schema:keywords ( "one" "two" ) ;
    schema:numberOfEmployees {employees} .
"""
X = "https://w3id.org/eventkg/id/org/x"
B = "https://w3id.org/eventkg/record/b"


def test_a_record_restated_changes_nothing_even_with_blank_nodes_lists_and_other_literal_forms(
        store: Store) -> None:
    """Restating a record (its blank nodes relabelled, a number written in another datatype of the same
    value, in JSON-LD) affects no other record: before, every node with a blank node or a list counted as
    changed, and each of its referrers was checked again. A new name does."""
    from rdflib import URIRef

    store.put_records(parse(ORG_WITH_ADDRESS.format(name="X", employees=7).encode()))
    store.put_records(parse(record("b", organizer=X)))
    again = ORG_WITH_ADDRESS.format(name="X", employees='"7"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>')
    assert Validator.affected(parse(again.encode()), store) == {}
    as_jsonld = Graph().parse(data=again, format="turtle").serialize(format="json-ld")
    assert Validator.affected(records_from_bytes(as_jsonld.encode(), rdf_format("jsonld"), "orgs.jsonld"), store) == {}
    renamed = ORG_WITH_ADDRESS.format(name="X Org", employees=7)
    assert Validator.affected(parse(renamed.encode()), store) == {
        URIRef("https://w3id.org/eventkg/id/event/b"): B}


def test_what_another_record_already_failed_does_not_stop_a_replacement(store: Store, validator: Validator) -> None:
    """Record b, stored unchecked (as a load without --validate stores it), has an event without a name. A
    new version of orgs that renames the organisation is taken; one that makes it no organisation is
    refused for that alone, the name b lacked all along not reported."""
    store.put_records(parse(ORG_WITH_ADDRESS.format(name="X", employees=7).encode()))
    store.put_records(parse(record("b", name=None, organizer=X)))
    res = add(store, parse(ORG_WITH_ADDRESS.format(name="X Org", employees=7).encode()), validator, replace=True)
    assert res.report.conforms and res.report.results == []
    assert (None, SH_CONFORMS, Literal(True)) in res.report.graph
    broken = ORG_WITH_ADDRESS.format(name="X", employees=7).replace("a schema:Organization ;", "a schema:Place ;")
    with pytest.raises(NotConformingError) as e:
        add(store, parse(broken.encode()), validator, replace=True)
    assert [(v.focus_node, v.path, v.record) for v in e.value.report.results] == [
        ("id:event/b", "schema:organizer", B)]
    assert len(list(e.value.report.graph.subjects(RDF_TYPE, SH_RESULT))) == 1


def test_many_values_given_back_in_another_form_are_compared_at_once(store: Store) -> None:
    """The store gives "i"^^xsd:nonNegativeInteger back as xsd:integer: every line of such a record differs
    from its new version. Comparing them value by value with each other value was quadratic (3,000
    values: 21 s for a validation that took 0.08 s)."""
    import time

    head = "<https://w3id.org/eventkg/record/many> a <https://w3id.org/eventkg/ontology#Record> .\n"

    def many(dt: str) -> list:
        return parse((head + "".join(f'<urn:x> <urn:v> "{i}"^^<http://www.w3.org/2001/XMLSchema#{dt}> .\n'
                                     for i in range(3000))).encode())

    store.put_records(many("nonNegativeInteger"))
    took = {}
    for dt in ("integer", "nonNegativeInteger"):
        start = time.perf_counter()
        assert Validator.affected(many(dt), store) == {}
        took[dt] = time.perf_counter() - start
    assert took["nonNegativeInteger"] < 5 * took["integer"] + 0.5, took


def test_a_result_on_a_node_of_the_new_version_names_no_other_record(store: Store, validator: Validator) -> None:
    """The new version of orgs keeps its own event but drops the organisation that organises it, which the
    record c describes too: the event's result is the new version's, not c's."""
    own = """<https://w3id.org/eventkg/id/event/own> a <https://schema.org/Event> ;
    <https://schema.org/name> "Own"@en ; <https://schema.org/organizer> <https://w3id.org/eventkg/id/org/y> .\n"""
    y = ('<https://w3id.org/eventkg/id/org/y> a <https://schema.org/Organization> ; '
         '<https://schema.org/name> "Y" .\n')
    orgs = "<https://w3id.org/eventkg/record/orgs> a <https://w3id.org/eventkg/ontology#Record> .\n"
    c = ("<https://w3id.org/eventkg/record/c> a <https://w3id.org/eventkg/ontology#Record> .\n"
         '<https://w3id.org/eventkg/id/org/y> <https://schema.org/alternateName> "Why" .\n')
    add(store, parse((orgs + own + y).encode(), "orgs.ttl") + parse(c.encode(), "c.ttl"), validator)
    with pytest.raises(NotConformingError) as e:
        add(store, parse((orgs + own).encode(), "orgs-new.ttl"), validator, replace=True)
    [v] = e.value.report.violations
    assert (v.focus_node, v.source, v.record) == ("id:event/own", "orgs-new.ttl", None)


SH_CONFORMS, SH_RESULT, RDF_TYPE = SH.conforms, SH.ValidationResult, RDF.type


def test_a_record_with_a_long_list_is_replaced(store: Store, validator: Validator) -> None:
    """An RDF list is a chain of blank nodes: labelling them for the comparison recursed once per item and
    crashed at about 500 items."""
    items = " ".join(f'"k{i}"@en' for i in range(1500))
    text = ("<https://w3id.org/eventkg/record/kw> a <https://w3id.org/eventkg/ontology#Record> .\n"
            f"<https://w3id.org/eventkg/id/concept/kw> <https://schema.org/keywords> ( {items} ) .\n")
    add(store, parse(text.encode()), validator)
    assert Validator.affected(parse(text.encode()), store) == {}
    assert add(store, parse(text.encode()), validator, replace=True).report.conforms


@pytest.mark.parametrize("old,new", [
    ("100000000000000000000000000000", "100000000000000000000000000001"),   # beyond 28 digits
    ("7", '"7.0"^^<http://www.w3.org/2001/XMLSchema#double>'),             # the same number, another type
    ("7", '"7"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    ('"a"', '"a"^^<http://www.w3.org/2001/XMLSchema#anyURI>'),
    ('"a"@en', '"a"@fr'),
])
def test_a_value_changed_in_a_way_shapes_tell_apart_is_a_change(store: Store, old: str, new: str) -> None:
    """sh:datatype, sh:in, sh:hasValue and the comparisons tell these apart, so the records relying on the
    node are checked again (a number past 28 digits, or of another datatype, counted as unchanged)."""
    from rdflib import URIRef

    def orgs(value: str) -> list:
        return parse(("<https://w3id.org/eventkg/record/orgs> a <https://w3id.org/eventkg/ontology#Record> .\n"
                      f"<{X}> a <https://schema.org/Organization> ; <https://schema.org/name> {value} .\n").encode())

    store.put_records(orgs(old))
    store.put_records(parse(record("b", organizer=X)))
    assert Validator.affected(orgs(old), store) == {}
    assert Validator.affected(orgs(new), store) == {URIRef("https://w3id.org/eventkg/id/event/b"): B}


def test_a_whole_graph_finding_another_record_already_had_does_not_stop_a_replacement(store: Store) -> None:
    """A whole-graph check (on a target node, no result path) that finds an orphan assertion of record b
    before and after a rename of b's organiser: not reported, the rename taken. A new finding is."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    shapes = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
    <urn:shape:event> a sh:NodeShape ; sh:targetClass <https://schema.org/Event> ;
      sh:property [ sh:path <https://schema.org/organizer> ; sh:class <https://schema.org/Organization> ] .
    <urn:shape:whole> a sh:NodeShape ; sh:targetNode <urn:whole> ; sh:sparql [
      sh:message "The assertion states a triple the graph does not hold." ;
      sh:select \"\"\"SELECT $this ?value WHERE {{ ?value <{rdf}subject> ?s ; <{rdf}predicate> ?p ; <{rdf}object> ?o .
                         FILTER NOT EXISTS {{ ?s ?p ?o }} }}\"\"\" ] ."""
    validator = Validator(Graph().parse(data=shapes, format="turtle"), Graph())
    store.put_records(parse(ORG_WITH_ADDRESS.format(name="X", employees=7).encode()))
    orphan = (f"<https://w3id.org/eventkg/id/claim/1> <{rdf}subject> <https://w3id.org/eventkg/id/event/b> ; "
              f'<{rdf}predicate> <https://schema.org/name> ; <{rdf}object> "never stated" .\n')
    store.put_records(parse(record("b", organizer=X, extra=orphan)))
    res = add(store, parse(ORG_WITH_ADDRESS.format(name="X Org", employees=7).encode()), validator, replace=True)
    assert res.report.conforms and res.report.results == [], res.report.text()
    # b also asserts the organisation's name as it now is: renaming it back leaves that assertion stating
    # what the graph no longer holds, a finding of this replacement
    named = (f"<https://w3id.org/eventkg/id/claim/2> <{rdf}subject> <{X}> ; "
             f'<{rdf}predicate> <https://schema.org/name> ; <{rdf}object> "X Org"@en .\n')
    store.put_records(parse(record("b", organizer=X, extra=orphan + named)), replace=True)
    with pytest.raises(NotConformingError) as e:
        add(store, parse(ORG_WITH_ADDRESS.format(name="X", employees=7).encode()), validator, replace=True)
    assert [v.value for v in e.value.report.violations] == ["id:claim/2"], e.value.report.text()
