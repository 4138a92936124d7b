"""Validating new records in the store's context, with the project's shapes: every constraint of a shape
applies, nested ones (sh:or, sh:not members) included, whether the value is a literal, a node the new
record describes, or a node only the store describes. Records come from the benchmark's generator, a
new one of them made faulty by hand."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from eventkg.formats import rdf_format
from eventkg.load import records_from_bytes
from eventkg.store import EmbeddedStore
from eventkg.validate import Validator
from rdflib import Graph, Namespace

EKG = Namespace("https://w3id.org/eventkg/ontology#")

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/eventkg/id/"


@pytest.fixture(scope="module")
def setting() -> tuple[Any, Validator, EmbeddedStore, str]:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = gen
    spec.loader.exec_module(gen)
    validator = Validator.from_files(ROOT / "ontology" / "shapes.ttl", ROOT / "ontology" / "ontology.ttl")
    g = gen.Generator(0, 6)
    store = EmbeddedStore(None)
    for rec in (g.ref.record, g.record(0)[0], g.record(1)[0]):
        store.put_records(records_from_bytes(gen.turtle(rec).encode(), rdf_format("turtle"), f"{rec.slug}.ttl"))
    return gen, validator, store, gen.turtle(g.record(2)[0])


def check(setting: tuple[Any, Validator, EmbeddedStore, str], text: str) -> Any:
    _, validator, store, _ = setting
    return validator.validate(records_from_bytes(text.encode(), rdf_format("turtle"), "new.ttl"), store)


def test_the_new_record_as_generated_conforms(setting) -> None:  # type: ignore[no-untyped-def]
    report = check(setting, setting[3])
    assert report.conforms, report.text()


def test_a_date_that_is_no_date_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    text = setting[3]
    assert '"2026-11-27"^^xsd:date' in text
    report = check(setting, text.replace('"2026-11-27"^^xsd:date', '"yesterday"', 1))
    assert not report.conforms
    [result] = [r for r in report.violations if r.value == '"yesterday"']
    assert result.shape == "ekgsh:Dates-datatype" and result.focus_node == "record:synthetic-000002"
    assert result.path == "(schema:startDate|schema:endDate|schema:dateCreated|dcterms:modified)"


def test_a_supporter_the_store_describes_as_a_place_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    text, store = setting[3], setting[2]
    places = store.query("SELECT ?p WHERE { ?p a <https://schema.org/Place> }").rows  # type: ignore[union-attr]
    place = next(str(p)[len(ID):] for (p,) in places if str(p)[len(ID):] not in text)  # only the store's
    report = check(setting, text + f"\n<event/synthetic-000002> schema:sponsor <{place}> .\n")
    assert not report.conforms
    assert any(r.shape == "ekgsh:Event-sponsor" and r.value == f"id:{place}" for r in report.violations), \
        report.text()
    # the fact has no evidence either: a whole-graph check, reported on the node the record states it of
    [unproven] = [r for r in report.violations if r.shape == "ekgsh:WholeGraphShape"]
    assert unproven.focus_node == "id:event/synthetic-000002" and unproven.path == "schema:sponsor"


def test_a_participation_with_a_place_for_agent_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    text, store = setting[3], setting[2]
    places = store.query("SELECT ?p WHERE { ?p a <https://schema.org/Place> }").rows  # type: ignore[union-attr]
    place = next(str(p)[len(ID):] for (p,) in places if str(p)[len(ID):] not in text)
    part = next(line.split()[0] for line in text.splitlines() if line.startswith("<participation/"))
    assert f"\n{part}\n" in text
    report = check(setting, text + f"\n{part} ekg:agent <{place}> .\n")
    assert any(r.shape == "ekgsh:Participation-agent" and r.value == f"id:{place}" for r in report.violations), \
        report.text()


def test_blank_nodes_of_a_record_are_checked_too(setting) -> None:  # type: ignore[no-untyped-def]
    """A place written as a blank node: checked like any node the record describes, no crash."""
    text = setting[3]
    report = check(setting, text + '\n<event/synthetic-000002> schema:location [ a schema:Place ; '
                                   'schema:name "Somewhere" ; schema:containedInPlace "not a place" ] .\n')
    assert not report.conforms
    assert any(r.focus_node.startswith("_:") for r in report.violations), report.text()


def test_a_record_that_restates_a_stored_node_is_checked_with_all_the_store_says_of_it(  # type: ignore[no-untyped-def]
        setting) -> None:
    """A second start date for an event another record describes: the event then has two, which its shape
    refuses (the store's triples about a node the new record describes are part of the context)."""
    text = setting[3]
    report = check(setting, text + '\n<event/synthetic-000000> schema:startDate "2001-01-01"^^xsd:date .\n')
    assert any(r.focus_node == "id:event/synthetic-000000" and r.path == "schema:startDate"
               and r.shape != "ekgsh:WholeGraphShape" for r in report.violations), report.text()
    # restating what the store already says, literally, is no second value
    stored = setting[2].query("SELECT ?d WHERE { <https://w3id.org/eventkg/id/event/synthetic-000000> "
                              "<https://schema.org/startDate> ?d }").rows[0][0]  # type: ignore[union-attr]
    report = check(setting, text + f'\n<event/synthetic-000000> schema:startDate "{stored}"^^xsd:date .\n')
    assert not any(r.focus_node == "id:event/synthetic-000000" and r.shape != "ekgsh:WholeGraphShape"
                   for r in report.violations), report.text()


def test_replacing_a_record_in_a_store_of_many_records_reads_its_context_as_fast_as_adding_one(  # type: ignore[no-untyped-def]
        setting, tmp_path) -> None:
    """Leaving a replaced record's stored version out of the context used to name every other record as
    the query's dataset, which Oxigraph searches one graph at a time: with 1,698 records, replacing a record
    took 6 s before validation began (adding it, 0.08 s), and a 50,000-triple record over four minutes."""
    import time

    gen, validator, _, text = setting
    g = gen.Generator(0, 6)
    store = EmbeddedStore(tmp_path / "store")  # on disk, where each lookup is a read of the store's index
    for rec in (g.ref.record, g.record(0)[0], g.record(1)[0], g.record(2)[0]):
        store.put_records(records_from_bytes(gen.turtle(rec).encode(), rdf_format("turtle"), f"{rec.slug}.ttl"))
    others = " ".join(f"GRAPH <https://w3id.org/eventkg/record/other-{i}> {{ "
                      f"<https://w3id.org/eventkg/record/other-{i}> a <https://w3id.org/eventkg/ontology#Record> }}"
                      for i in range(1500))
    store.update(f"INSERT DATA {{ {others} }}")
    records = records_from_bytes(text.encode(), rdf_format("turtle"), "new.ttl")

    def timed(exclude: list[str]) -> tuple[float, int]:
        start = time.perf_counter()
        n = len(validator.context(records, store, exclude=exclude))
        return time.perf_counter() - start, n

    adding, n_adding = min(timed([]) for _ in range(3))
    replacing, n_replacing = min(timed([r.iri for r in records]) for _ in range(3))
    assert n_replacing == n_adding > 0  # the stored version restates the record, so the context is the same
    assert replacing < 3 * adding + 0.1, (adding, replacing)


def test_the_lines_of_many_results_in_a_big_file_are_found_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each result names the line where its node's statement starts (whether the file names it by prefixed
    name, relative or full IRI); a big record with many results gets them all quickly (each result used to
    search every line of the file: 36 s for 493 results in a 50,000-triple record)."""
    import time

    from rdflib import URIRef

    from eventkg.validate import _LineFinder

    n = 20_000
    head = [f"@base <{ID}> .", f"@prefix ekgid: <{ID}> .", "@prefix ekg: <https://w3id.org/eventkg/ontology#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", ""]
    lines, where = list(head), {}
    for i in range(n):
        node = f"{ID}participation/p{i}"
        name = [f"ekgid:participation/p{i}", f"<participation/p{i}>", f"<{node}>"][i % 3]
        # each node is named first as the object of the one before, then as the subject of its own statement
        where[node] = len(lines) + 1
        lines += [name, f"    ekg:next <participation/p{i + 1}> ;", f'    rdfs:label "p{i}" .', ""]
    f = tmp_path / "big.ttl"
    f.write_text("\n".join(lines), encoding="utf-8")
    finder = _LineFinder()
    start = time.perf_counter()
    found = {node: finder.find(str(f), URIRef(node)) for node in list(where)[::10]}
    took = time.perf_counter() - start
    assert found == {node: where[node] for node in found}
    assert took < 2.0, took
    # a prefix (or the base) whose namespace ends inside the IRI's last word
    g = tmp_path / "partial.ttl"
    g.write_text(f"@base <{ID}event/forum-> .\n@prefix ev: <{ID}event/forum-2018-> .\n\n"
                 "ev:day1 ev:next <2018-day2> .\n\n<2018-day2> ev:next ev:day1 .\n", encoding="utf-8")
    assert finder.find(str(g), URIRef(f"{ID}event/forum-2018-day1")) == 4
    assert finder.find(str(g), URIRef(f"{ID}event/forum-2018-day2")) == 6


def _stored(gen: Any, tmp_path: Path, texts: dict[str, str]) -> tuple[Any, EmbeddedStore]:
    """A store of the synthetic reference record and the given records (slug -> Turtle)."""
    g = gen.Generator(0, 6)
    store = EmbeddedStore(None)
    store.put_records(records_from_bytes(gen.turtle(g.ref.record).encode(), rdf_format("turtle"), "ref.ttl"))
    for slug, text in texts.items():
        path = tmp_path / f"{slug}.ttl"
        path.write_text(text)
        store.put_records(records_from_bytes(text.encode(), rdf_format("turtle"), str(path)))
    return g, store


def test_a_replacement_is_checked_against_the_records_that_rely_on_it(setting, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A new version of the reference record without one organisation: the stored records whose events it
    organises, or who take part in them, no longer conform, and the replacement is refused. The same
    version unchanged is taken: restating is no change."""
    gen, validator, _, _ = setting
    g, store = _stored(gen, tmp_path, {"r0": gen.turtle(gen.Generator(0, 6).record(0)[0])})
    ref = gen.turtle(g.ref.record)
    path = tmp_path / "ref.ttl"
    path.write_text(ref)
    same = validator.validate(records_from_bytes(ref.encode(), rdf_format("turtle"), str(path)), store,
                              replacing=True)
    assert same.conforms, same.text()
    used = store.query(f"SELECT DISTINCT ?o WHERE {{ GRAPH <https://w3id.org/eventkg/record/synthetic-000000> "
                       f"{{ ?s ?p ?o FILTER STRSTARTS(STR(?o), '{ID}org/') }} }} ORDER BY ?o").rows  # type: ignore[union-attr]
    blocks = ref.split("\n\n")

    def about(org: str) -> list[str]:   # the blocks that describe it, or assert something of it
        name = f"<{org.removeprefix(ID)}>"
        return [b for b in blocks if b.startswith(name) or f"rdf:subject {name}" in b]

    # an organisation r0 uses that nothing else of the reference record mentions: dropping it leaves the
    # reference record whole
    org = next(o for o in (str(row[0]) for row in used)
               if len(about(o)) == sum(f"<{o.removeprefix(ID)}>" in b for b in blocks))
    assert len(about(org)) >= 2
    path.write_text("\n\n".join(b for b in blocks if b not in about(org)))
    report = validator.validate(records_from_bytes(path.read_bytes(), rdf_format("turtle"), str(path)), store,
                                replacing=True)
    assert not report.conforms
    assert {r.record for r in report.violations} == {"https://w3id.org/eventkg/record/synthetic-000000"}, report.text()
    assert any(r.value_iri == org for r in report.violations), report.text()


def test_a_new_text_of_a_document_is_checked_against_quotes_other_records_take_from_it(  # type: ignore[no-untyped-def]
        setting, tmp_path) -> None:
    """Record r1 quotes record r0's document. A new version of r0 whose text no longer holds that quote (its
    own quotes still hold) is refused, the report naming r1's evidence."""
    gen, validator, _, _ = setting
    r0 = gen.turtle(gen.Generator(0, 6).record(0)[0])
    text = str(next(iter(Graph().parse(data=r0, format="turtle").objects(None, EKG.fullText))))
    quote = "with support from"
    start = text.index(quote)
    doc = f"{ID}document/synthetic-000000"
    ev = f"{ID}evidence/synthetic-000001/cites-{start}"
    r1 = gen.turtle(gen.Generator(0, 6).record(1)[0]) + textwrap.dedent(f"""
        <{ev}> a ekg:Evidence, oa:SpecificResource ; oa:hasSource <{doc}> ;
            oa:hasSelector <{ev}/quote>, <{ev}/position> .
        <{ev}/quote> a oa:TextQuoteSelector ; oa:exact "{quote}" .
        <{ev}/position> a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(quote)} .
        """)
    _, store = _stored(gen, tmp_path, {"r0": r0})
    path = tmp_path / "r1.ttl"
    path.write_text(r1)
    alone = validator.validate(records_from_bytes(r1.encode(), rdf_format("turtle"), str(path)), store)
    assert alone.conforms, alone.text()
    _, store = _stored(gen, tmp_path, {"r0": r0, "r1": r1})
    new = r0.replace(quote, "with backing from")   # the same length: r0's own positions still hold
    path = tmp_path / "r0-new.ttl"
    path.write_text(new)
    recs = records_from_bytes(new.encode(), rdf_format("turtle"), str(path))
    assert validator.validate(recs, _stored(gen, tmp_path, {})[1]).conforms   # on its own, it conforms
    report = validator.validate(recs, store, replacing=True)
    assert not report.conforms
    # the document's check names r1's evidence (the focus is the document, of the new version)
    assert {(r.focus_node_iri, r.value_iri, r.record) for r in report.violations} == {(doc, ev, None)}, report.text()
