"""The Store contract, on every backend that runs here: the embedded store, the Oxigraph server and, where
it is installed, Virtuoso. Each test names its own graphs and subjects, so a store's system graphs (Virtuoso
keeps a few) do not change the answers."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from eventkg.errors import QueryError, RecordError, RecordNotFound
from eventkg.formats import rdf_format
from eventkg.load import records_from_bytes, records_from_file
from eventkg.store import Boolean, Rows, Store, Triples

EX = "http://example.org/t/"


def rec(slug: str, extra: str = "", name: str = "Meeting") -> list:
    ttl = f"""
@prefix ekg: <https://w3id.org/eventkg/ontology#> .
@prefix ex: <{EX}> .
<{EX}record/{slug}> a ekg:Record .
ex:{slug} ex:name "{name}"@en ; ex:size 3 ; ex:note "plain" ; ex:when "2018-06-26"^^<http://www.w3.org/2001/XMLSchema#date> ;
    ex:part [ ex:label "a blank node" ] .
{extra}
"""
    return records_from_bytes(ttl.encode(), rdf_format("turtle"), f"{slug}.ttl")


def mine(store: Store) -> list[str]:
    return [g for g in store.records() if g.startswith(EX)]


def test_put_count_replace_remove(any_store: Store) -> None:
    s = any_store
    a, b = rec("a"), rec("b")
    s.put_records(a + b)
    assert mine(s) == [f"{EX}record/a", f"{EX}record/b"]
    assert s.count(f"{EX}record/a") == 7
    assert s.has_record(f"{EX}record/a") and not s.has_record(f"{EX}record/zzz")
    with pytest.raises(RecordError):
        s.put_records(rec("a"))
    s.put_records(rec("a", name="Renamed"), replace=True)
    res = s.query(f"SELECT ?n WHERE {{ <{EX}a> <{EX}name> ?n }}")
    assert isinstance(res, Rows) and res.rows == [(Literal("Renamed", lang="en"),)]
    s.remove_record(f"{EX}record/a")
    assert mine(s) == [f"{EX}record/b"]
    with pytest.raises(RecordNotFound):
        s.remove_record(f"{EX}record/a")


def test_terms_come_back_as_the_same_rdflib_terms(any_store: Store) -> None:
    any_store.put_records(rec("t"))
    res = any_store.query(f"SELECT ?p ?o WHERE {{ GRAPH <{EX}record/t> {{ <{EX}t> ?p ?o }} }} ORDER BY ?p")
    assert isinstance(res, Rows) and res.variables == ["p", "o"]
    got = dict(res.rows)
    assert got[URIRef(EX + "name")] == Literal("Meeting", lang="en")
    assert got[URIRef(EX + "size")] == Literal(3, datatype=XSD.integer)
    assert got[URIRef(EX + "note")] == Literal("plain") and got[URIRef(EX + "note")].datatype is None
    assert got[URIRef(EX + "when")] == Literal("2018-06-26", datatype=XSD.date)
    assert isinstance(got[URIRef(EX + "part")], BNode)
    ask = any_store.query(f"ASK {{ <{EX}t> <{EX}part> [ <{EX}label> ?l ] }}")
    assert isinstance(ask, Boolean) and ask.value is True
    g = any_store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}record/t> {{ ?s ?p ?o }} }}")
    assert isinstance(g, Triples) and len(g) == 7


def test_bindings_are_typed_terms_never_text(any_store: Store) -> None:
    any_store.put_records(rec("q"))
    q = f"SELECT ?s ?name WHERE {{ ?s <{EX}name> ?name }}"  # Oxigraph binds projected variables only
    hit = any_store.query(q, bindings={"name": Literal("Meeting", lang="en")})
    assert isinstance(hit, Rows) and hit.column("s") == [URIRef(EX + "q")]
    for evil in ['x"@en } } ; DROP ALL #', "Meeting\"@en . } INSERT DATA { <urn:x> <urn:y> 1 } #"]:
        res = any_store.query(q, bindings={"name": Literal(evil)})
        assert isinstance(res, Rows) and res.rows == []
    assert any_store.has_record(f"{EX}record/q")
    c = any_store.query(f"CONSTRUCT {{ ?x <{EX}name> ?n }} WHERE {{ ?x <{EX}name> ?n }}",
                        bindings={"x": URIRef(EX + "q")})
    assert isinstance(c, Triples) and len(c) == 1
    a = any_store.query(f"ASK {{ ?x <{EX}size> ?n }}", bindings={"n": Literal(4)})
    assert isinstance(a, Boolean) and not a


def test_limit_and_default_graphs(any_store: Store) -> None:
    any_store.put_records(rec("l1") + rec("l2"))
    q = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{EX}')) }}"
    res = any_store.query(q, limit=3)
    assert isinstance(res, Rows) and len(res) == 3 and res.truncated
    only = any_store.query(q, default_graphs=[f"{EX}record/l2"])
    assert isinstance(only, Rows) and {str(r[0]) for r in only} == {EX + "l2", EX + "record/l2"}


def test_syntax_error_is_a_query_error_with_the_servers_reason(any_store: Store) -> None:
    with pytest.raises(QueryError) as e:
        any_store.query("SELECT * WHERE { ?s ?p }")
    assert "query" in str(e.value) and len(e.value.reason) > 5


def test_dump_a_record_and_everything(any_store: Store) -> None:
    any_store.put_records(rec("d1") + rec("d2"))
    out = io.BytesIO()
    any_store.dump(out, rdf_format("nt"), graph=f"{EX}record/d1")
    assert len(out.getvalue().decode().strip().splitlines()) == 7
    out = io.BytesIO()
    any_store.dump(out, rdf_format("nq"))
    lines = [ln for ln in out.getvalue().decode().splitlines() if f"<{EX}record/" in ln]
    assert len(lines) == 14
    # RDF/XML, of a record and of the union, keeps a carriage return (an XML parser reads a bare one as a
    # line feed)
    any_store.put_records(rec("d3", extra=f'ex:d3 ex:text "a\\r\\nb" .'))
    for graph in (f"{EX}record/d3", None):
        out = io.BytesIO()
        any_store.dump(out, rdf_format("rdfxml"), graph=graph)
        # read by rdflib's parser, which normalises line ends as XML says (Oxigraph's keeps a bare one)
        texts = {str(o) for o in Graph().parse(data=out.getvalue(), format="xml").objects(None, URIRef(EX + "text"))}
        assert texts == {"a\r\nb"}, (graph, out.getvalue())


def test_rebuild_in_small_chunks_keeps_blank_nodes_and_replaces_everything(any_store: Store, tmp_path: Path) -> None:
    any_store.put_records(rec("old"))
    if hasattr(any_store, "chunk_triples"):
        any_store.chunk_triples = 4   # many requests, and records split across them
    f1 = tmp_path / "r1.ttl"
    f1.write_text(f"""@prefix ex: <{EX}> .
<{EX}record/r1> a <https://w3id.org/eventkg/ontology#Record> .
""" + "".join(f'ex:s{i} ex:p {i} ; ex:b [ ex:l "b{i}" ] .\n' for i in range(10)), encoding="utf-8")
    f2 = tmp_path / "two.nq"
    f2.write_text("".join(f'<{EX}x{i}> <{EX}p> "{i}" <{EX}record/q{i % 2}> .\n' for i in range(9)), encoding="utf-8")
    seen: list[int] = []
    any_store.rebuild([(str(f1), rdf_format("turtle"), f"{EX}record/r1"), (str(f2), rdf_format("nq"), None)],
                      progress=seen.append)
    assert mine(any_store) == [f"{EX}record/q0", f"{EX}record/q1", f"{EX}record/r1"]
    assert any_store.count(f"{EX}record/r1") == 31 and any_store.count(f"{EX}record/q0") == 5
    assert sum(seen) == f1.stat().st_size + f2.stat().st_size
    # each blank node still has its own label, all within the record
    res = any_store.query(f"SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ GRAPH <{EX}record/r1> {{ ?s <{EX}b> ?b . ?b <{EX}l> ?l }} }}")
    assert isinstance(res, Rows) and int(res.rows[0][0]) == 10  # type: ignore[arg-type]
    assert not [g for g in any_store.records() if "staging" in g]


def test_big_add_is_staged_and_leaves_no_staging_graph(any_store: Store) -> None:
    if not hasattr(any_store, "chunk_triples"):
        pytest.skip("the embedded store writes in one transaction")
    any_store.chunk_triples = 5
    any_store.put_records(rec("big1") + rec("big2"))
    any_store.put_records(rec("big1", name="Again"), replace=True)
    assert mine(any_store) == [f"{EX}record/big1", f"{EX}record/big2"]
    assert any_store.count(f"{EX}record/big1") == 7
    res = any_store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:eventkg:staging')) }")
    assert isinstance(res, Rows) and res.rows == []


def test_words_in_comments_do_not_change_the_form(any_store: Store) -> None:
    """SPARQLWrapper alone took this for an update (ADD), because of "address" in the comment."""
    any_store.put_records(rec("c"))
    q = f"""# title: who they address; insert nothing, drop nothing
SELECT ?n WHERE {{ <{EX}c> <{EX}name> ?n }}"""
    res = any_store.query(q)
    assert isinstance(res, Rows) and res.rows == [(Literal("Meeting", lang="en"),)]


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
    "Oxigraph 0.5's union default graph is a multiset: a triple two graphs hold matches twice "
    "(oxigraph/oxigraph#1919, fixed by #1920 after 0.5.13, not yet released; Virtuoso does the same by design); "
    "docs/cli.md says so. Strict: once a store merges them this passes, which fails the suite: change the docs."))
def test_a_triple_two_records_state_is_one_triple_of_the_default_graph(any_store: Store) -> None:
    s = any_store
    shared = 'ex:shared ex:name "Shared"@en .'
    s.put_records(rec("dup1", shared) + rec("dup2", shared))
    try:
        res = s.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}shared> <{EX}name> ?name }}")
        assert isinstance(res, Rows) and int(res.rows[0][0]) == 1  # type: ignore[arg-type]
    finally:
        s.remove_record(f"{EX}record/dup1")
        s.remove_record(f"{EX}record/dup2")


def test_the_default_graph_of_a_dataset_file_is_a_record_as_in_add(any_store: Store, tmp_path: Path) -> None:
    """Triples in the default graph of a TriG file make the record its ekg:Record node names, as `add` and
    `validate` read the same file; none is left outside the records, where export, remove and the records API
    could not reach it (the embedded store kept them in its own default graph: queried, counted, not
    exported). A default graph that would take the name of one of the file's named graphs is refused."""
    from eventkg.errors import LoadError
    from eventkg.load import records_from_file

    f = tmp_path / "mixed.trig"
    f.write_text(f"""@prefix ekg: <https://w3id.org/eventkg/ontology#> .
<{EX}record/outer> a ekg:Record .
<{EX}x> <{EX}p> "in the default graph" , [ <{EX}q> "a blank node" ] .
<{EX}record/inner> {{ <{EX}record/inner> a ekg:Record . <{EX}y> <{EX}p> "in a named graph" . }}
""", encoding="utf-8")
    any_store.rebuild([(str(f), rdf_format("trig"), None)])
    as_added = {r.iri: len(r) for r in records_from_file(f)}
    assert as_added == {f"{EX}record/outer": 4, f"{EX}record/inner": 2}
    assert {g: any_store.count(g) for g in mine(any_store)} == as_added
    out = io.BytesIO()
    any_store.dump(out, rdf_format("nq"))
    dumped = list(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert [q.graph_name for q in dumped if q.object == ox.Literal("in the default graph")] == [
        ox.NamedNode(f"{EX}record/outer")]
    assert not [q for q in dumped if not isinstance(q.graph_name, ox.NamedNode)]
    before = sorted(mine(any_store))
    clash = tmp_path / "clash.trig"
    clash.write_text(f"""<{EX}z> <{EX}p> "no record node: named after the file" .
<https://w3id.org/eventkg/record/clash> {{ <{EX}w> <{EX}p> "taken" . }}
""", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        any_store.rebuild([(str(clash), rdf_format("trig"), None)])
    assert "record <https://w3id.org/eventkg/record/clash> is declared twice" in str(e.value)
    assert str(clash) in str(e.value)
    assert sorted(mine(any_store)) == before   # nothing written


def test_a_record_made_of_a_default_graph_is_no_other_files_record_and_blank_graph_names_are_refused(
        any_store: Store, tmp_path: Path) -> None:
    """Two files whose default graphs take the same name, or a default graph and another file's record of
    the same name, are refused on every store, whatever the order (one store merged them, the other refused);
    so is a graph named by a blank node (one store kept its triples outside any record)."""
    from eventkg.errors import LoadError

    any_store.put_records(rec("kept"))
    before = sorted(mine(any_store))
    (tmp_path / "d1").mkdir()
    (tmp_path / "d2").mkdir()
    x1, x2 = tmp_path / "d1" / "x.trig", tmp_path / "d2" / "x.nq"
    x1.write_text(f'<{EX}a> <{EX}p> "one" .\n', encoding="utf-8")
    x2.write_text(f'<{EX}b> <{EX}p> "two" .\n', encoding="utf-8")
    ttl = tmp_path / "x.ttl"
    ttl.write_text(f'<{EX}c> <{EX}p> "three" .\n', encoding="utf-8")
    blank = tmp_path / "blank.trig"
    blank.write_text(f'_:g {{ <{EX}d> <{EX}p> "four" . }}\n', encoding="utf-8")
    name = "https://w3id.org/eventkg/record/x"
    cases = [[(str(x1), rdf_format("trig"), None), (str(x2), rdf_format("nq"), None)],
             [(str(x1), rdf_format("trig"), None), (str(ttl), rdf_format("turtle"), name)],
             [(str(ttl), rdf_format("turtle"), name), (str(x1), rdf_format("trig"), None)]]
    for files in cases:
        with pytest.raises(LoadError) as e:
            any_store.rebuild(files)
        assert f"record <{name}> is declared twice" in str(e.value), files
        assert all(path in str(e.value) for path, _, _ in files), (files, str(e.value))   # both files named
        assert sorted(mine(any_store)) == before
    with pytest.raises(LoadError) as e:
        any_store.rebuild([(str(blank), rdf_format("trig"), None)])
    assert "a graph named by a blank node" in str(e.value) and str(blank) in str(e.value)
    assert sorted(mine(any_store)) == before


def test_a_record_read_apart_that_a_bulk_loaded_file_holds_too_is_refused(any_store: Store, tmp_path: Path) -> None:
    """A JSON-LD record (parsed, not bulk-loaded) named like a TriG file's default-graph record or named
    graph: refused on every store, naming both files, nothing written (it was merged into one record)."""
    from eventkg.errors import LoadError

    any_store.put_records(rec("kept"))
    before = sorted(mine(any_store))
    name = "https://w3id.org/eventkg/record/x"
    default = tmp_path / "default.trig"
    default.write_text(f'<{name}> a <https://w3id.org/eventkg/ontology#Record> .\n<{EX}a> <{EX}p> "one" .\n',
                       encoding="utf-8")
    named = tmp_path / "named.trig"
    named.write_text(f'<{name}> {{ <{EX}a> <{EX}p> "one" . }}\n', encoding="utf-8")
    jsonld = tmp_path / "x.jsonld"
    jsonld.write_text(f'{{"@id": "{name}", "@type": "https://w3id.org/eventkg/ontology#Record", '
                      f'"{EX}p": "two"}}', encoding="utf-8")
    parsed = records_from_file(jsonld)
    for f in (default, named):
        with pytest.raises(LoadError) as e:
            any_store.rebuild([(str(f), rdf_format("trig"), None)], extra=parsed)
        assert f"record <{name}> is declared by more than one file" in str(e.value), f
        assert str(f) in str(e.value) and str(jsonld) in str(e.value)
        assert sorted(mine(any_store)) == before


def test_load_refuses_a_record_two_files_hold_naming_both(any_store: Store, tmp_path: Path) -> None:
    """`load` (records.rebuild): two TriG files holding one named graph, or a Turtle file's record held by a
    TriG file too, are refused naming both files, the store left as it was (a plain load merged them; a
    load with --validate refused them). One TriG file whose records the others do not hold loads."""
    from eventkg.errors import LoadError
    from eventkg.records import rebuild

    any_store.put_records(rec("kept"))
    before = sorted(mine(any_store))
    name = "https://w3id.org/eventkg/record/x"
    one, two = tmp_path / "one.trig", tmp_path / "two.trig"
    one.write_text(f'<{name}> {{ <{name}> a <https://w3id.org/eventkg/ontology#Record> . '
                   f'<{EX}a> <{EX}p> "one" . }}\n', encoding="utf-8")
    two.write_text(f'<{name}> {{ <{EX}a> <{EX}p> "two" . }}\n', encoding="utf-8")
    ttl = tmp_path / "x.ttl"
    ttl.write_text(f'<{name}> a <https://w3id.org/eventkg/ontology#Record> .\n<{EX}c> <{EX}p> "three" .\n',
                   encoding="utf-8")
    for paths in ([one, two], [ttl, one], [one, ttl]):
        with pytest.raises(LoadError) as e:
            rebuild(any_store, paths)
        assert f"record <{name}> is declared by more than one file" in str(e.value), paths
        assert all(str(p) in str(e.value) for p in paths), (paths, str(e.value))
        assert sorted(mine(any_store)) == before
    other = tmp_path / "other.trig"
    other.write_text(f'<{EX}record/other> {{ <{EX}b> <{EX}p> "four" . }}\n', encoding="utf-8")
    rebuild(any_store, [one, other])
    assert sorted(any_store.records()) == sorted([name, f"{EX}record/other"])   # a load replaces all
