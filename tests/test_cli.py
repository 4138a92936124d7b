"""The CLI over the workshop data, on every store backend: load, stats, queries, query, export, validate,
add, remove, and the errors a user sees."""

from __future__ import annotations

import csv
import io
import json
import re
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic

from conftest import ROOT

WORKSHOP = "https://w3id.org/eventkg/id/event/aichr-tip-workshop-2018"
RECORD = "https://w3id.org/eventkg/record/aichr-tip-workshop-2018"
RECORD_FILES = sorted((ROOT / "data" / "records").glob("*.ttl"))


@pytest.fixture
def loaded_cli(run_cli):  # type: ignore[no-untyped-def]
    r = run_cli("load")
    assert r.exit_code == 0, r.output
    return run_cli


def expected_dataset() -> Dataset:
    ds = Dataset()
    for f in RECORD_FILES:
        g = Graph().parse(f, format="turtle")
        rec = next(iter(g.subjects(predicate=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                   object=URIRef("https://w3id.org/eventkg/ontology#Record"))))
        ds.graph(rec).__iadd__(g)
    return ds


def test_load_reports_records_and_triples(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("load")
    assert r.exit_code == 0, r.output
    n_triples = sum(len(Graph().parse(f)) for f in RECORD_FILES) + len(Graph().parse(ROOT / "ontology/ontology.ttl"))
    assert f"{len(RECORD_FILES) + 1} records, {n_triples} triples" in r.output


def test_stats_counts_what_was_loaded(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("stats", "--format", "json")
    info = json.loads(r.output)
    assert {x["iri"] for x in info["records"]} >= {RECORD, "https://w3id.org/eventkg/ontology"}
    assert info["triples"] == sum(x["triples"] for x in info["records"])
    classes = {c["class"] for c in info["classes"]}
    assert "schema:Event" in classes and "ekg:Record" in classes
    # the properties count each triple once, as the distinct total does (two records state some of the same)
    assert sum(x["triples"] for x in info["properties"]) == info["distinct_triples"] < info["triples"]


def test_queries_lists_every_rq_file_with_its_question(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("queries", "--format", "json")
    listed = {q["name"]: q for q in json.loads(r.output)}
    assert set(listed) == {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert all(q["title"] for q in listed.values())
    text = loaded_cli("queries").output
    for name in listed:
        assert name in text


def test_named_query_with_a_parameter_in_every_results_format(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    # Any named query that takes an event parameter, run on the workshop.
    lib = json.loads(loaded_cli("queries", "--format", "json").output)
    q = next(q for q in lib if [p["name"] for p in q["params"]] == ["event"])
    js = json.loads(loaded_cli("query", q["name"], "--param", f"event={WORKSHOP}", "--format", "json").output)
    assert js["results"]["bindings"], q["name"]
    n = len(js["results"]["bindings"])
    xml = ET.fromstring(loaded_cli("query", q["name"], "-p", f"event={WORKSHOP}", "--format", "xml").output)
    assert len(xml.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == n
    rows = list(csv.reader(io.StringIO(loaded_cli("query", q["name"], "-p", f"event={WORKSHOP}", "--format", "csv").output)))
    assert len(rows) == n + 1 and rows[0] == js["head"]["vars"]
    tsv = loaded_cli("query", q["name"], "-p", f"event={WORKSHOP}", "--format", "tsv").output.splitlines()
    assert len(tsv) == n + 1 and tsv[0].split("\t") == [f"?{v}" for v in js["head"]["vars"]]
    table = loaded_cli("query", q["name"], "-p", "event=id:event/aichr-tip-workshop-2018").output
    assert f"({n} row" in table


def test_table_lines_do_not_end_in_spaces(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    # the last header is padded to its column's widest value: "basis" above "interpreted"
    table = loaded_cli("query", "event-organisers").output
    lines = table.splitlines()
    assert " | " in lines[0] and set(lines[1]) <= {"-", "+"}, table
    assert all(line == line.rstrip() for line in lines), table


def test_query_text_and_file(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("query", "--sparql", f"ASK {{ <{WORKSHOP}> a <https://schema.org/Event> }}", "--format", "json")
    assert json.loads(r.output)["boolean"] is True
    f = tmp_path / "c.rq"
    f.write_text(f"CONSTRUCT {{ <{WORKSHOP}> ?p ?o }} WHERE {{ <{WORKSHOP}> ?p ?o }}")
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")):
        r = loaded_cli("query", "--file", str(f), "--format", fmt)
        assert r.exit_code == 0, r.output
        g = Graph().parse(data=r.output, format=parser)
        assert (URIRef(WORKSHOP), URIRef("https://schema.org/startDate"), None) in g


def test_query_syntax_error_shows_line_and_column(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bad.rq"
    f.write_text("SELECT ?s\nWHERE {\n  ?s ?p \n}\n")
    r = loaded_cli("query", "--file", str(f))
    assert r.exit_code == 2
    assert f"{f}, line 4, column" in r.stderr
    r = loaded_cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o ")
    assert r.exit_code == 2 and "line 1, column" in r.stderr


INJECTIONS = ['"> } ; DROP ALL #', "x\" } } ; DROP ALL ; SELECT * { \"", "<urn:x> } DROP ALL {", "'; DROP ALL --"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameter_values_cannot_break_out_of_the_query(loaded_cli, tmp_path: Path, value: str) -> None:  # type: ignore[no-untyped-def]
    before = json.loads(loaded_cli("stats", "--format", "json").output)["triples"]
    f = tmp_path / "p.rq"
    f.write_text("# title: Echo a string\n# param: text string Any text\nSELECT ?text ?n WHERE {\n"
                 "  BIND(STRLEN(?text) AS ?n)\n}\n")
    r = loaded_cli("query", "--file", str(f), "--param", f"text={value}", "--format", "json")
    assert r.exit_code == 0, r.output
    [row] = json.loads(r.output)["results"]["bindings"]
    assert row["text"] == {"type": "literal", "value": value}
    assert int(row["n"]["value"]) == len(value)
    # As an IRI parameter, the same text is refused, not pasted.
    lib = json.loads(loaded_cli("queries", "--format", "json").output)
    q = next(q for q in lib if [p["type"] for p in q["params"]][:1] == ["iri"])
    r = loaded_cli("query", q["name"], "--param", f"{q['params'][0]['name']}={value}")
    assert r.exit_code == 2 and "is not an IRI" in r.stderr
    assert json.loads(loaded_cli("stats", "--format", "json").output)["triples"] == before


def test_unknown_named_query_and_parameter(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("query", "no-such-query")
    assert r.exit_code == 2 and "no named query 'no-such-query'" in r.stderr
    lib = json.loads(loaded_cli("queries", "--format", "json").output)
    r = loaded_cli("query", lib[0]["name"], "--param", "nosuch=1")
    assert r.exit_code == 2 and "has no parameter 'nosuch'" in r.stderr
    # a misspelt prefix is no IRI scheme: refused, not read as an IRI that matches nothing
    r = loaded_cli("query", "fact-evidence", "--param", "predicate=shema:startDate")
    assert r.exit_code == 2 and "'shema' is no prefix of ours" in r.stderr
    r = loaded_cli("query", "fact-evidence", "--param", "predicate=schema:startDate", "--format", "csv")
    assert r.exit_code == 0 and "2018-06-21" in r.output
    r = loaded_cli("query", "events-between", "--param", "from=2018-01-01", "--param", "from=2019-01-01")
    assert r.exit_code == 2 and "'from' given twice" in r.stderr, r.output
    # a date in xsd:date's form only: other ISO 8601 forms would be bound as dates that match nothing
    for bad in ("20180101", "2018-W01-1", "2018-02-30", "2018-6-1", "2018-01-01T00:00"):
        r = loaded_cli("query", "events-between", "--param", f"from={bad}")
        assert r.exit_code == 2 and f"'{bad}' is not a valid date" in r.stderr, (bad, r.output)
    for good in ("2018-01-01", "2018-01-01Z", "2018-01-01+07:00"):
        r = loaded_cli("query", "events-between", "--param", f"from={good}", "--format", "csv")
        assert r.exit_code == 0 and WORKSHOP in r.output, (good, r.output)


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"),
                                        ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_export_reparses_isomorphic_and_is_deterministic(loaded_cli, tmp_path: Path, fmt: str, parser: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"all.{fmt}"
    r = loaded_cli("export", "--format", fmt, "--output", str(out))
    assert r.exit_code == 0, r.output
    first = out.read_bytes()
    expected = expected_dataset()
    ontology = Graph().parse(ROOT / "ontology/ontology.ttl")
    if fmt in ("nq", "trig", "jsonld"):
        got = Dataset()
        got.parse(data=first, format=parser)
        for g in expected.graphs():
            if len(g):
                assert isomorphic(got.graph(g.identifier), g), g.identifier
    else:
        union = Graph()
        for g in expected.graphs():
            union += g
        union += ontology
        assert isomorphic(Graph().parse(data=first, format=parser), union)
    # Same bytes again, and after a fresh load.
    loaded_cli("export", "--format", fmt, "--output", str(out))
    assert out.read_bytes() == first
    loaded_cli("load")
    loaded_cli("export", "--format", fmt, "--output", str(out))
    assert out.read_bytes() == first


def test_export_one_record_as_one_jsonld_object(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("export", "--format", "jsonld", "--record", "record:aichr-tip-workshop-2018")
    doc = json.loads(r.output)
    assert doc["@id"] in (RECORD, "record:aichr-tip-workshop-2018") and isinstance(doc["@context"], dict)
    ids = [n.get("@id") for n in doc["@graph"]]
    assert "id:event/aichr-tip-workshop-2018" in ids  # compact IRIs from our context
    # Nodes referenced once are nested, not listed flat: fewer top-level nodes than subjects.
    g = Graph().parse(ROOT / "data/records/aichr-tip-workshop-2018.ttl")
    assert len(ids) < len(set(g.subjects()))
    ds = Dataset()
    ds.parse(data=r.output, format="json-ld")
    assert isomorphic(ds.graph(URIRef(RECORD)), g)
    assert "schema:" in r.output or '"name"' in r.output  # compacted with our context, not expanded IRIs only


def test_export_turtle_uses_our_prefixes(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    out = loaded_cli("export", "--record", RECORD).output
    assert "@prefix schema: <https://schema.org/> ." in out
    assert "@prefix ekg: <https://w3id.org/eventkg/ontology#> ." in out
    assert "<https://schema.org/" not in out.split("\n\n", 1)[1]


def test_validate_exit_codes_and_report_formats(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = ROOT / "data" / "records" / "aichr-tip-workshop-2018.ttl"
    r = loaded_cli("validate", str(good), "--replace")
    assert r.exit_code == 0, r.output
    bad = tmp_path / "bad-event.ttl"
    bad.write_text(good.read_text(encoding="utf-8").replace('"2018-06-22"^^xsd:date', '"2018-06-19"^^xsd:date', 1))
    assert bad.read_text() != good.read_text()
    r = loaded_cli("validate", str(bad), "--replace")
    assert r.exit_code == 1
    assert "focus node:" in r.output and f"{bad}:" in r.output
    js = json.loads(loaded_cli("validate", str(bad), "--replace", "--format", "json").output)
    assert js["conforms"] is False and js["results"][0]["message"]
    ttl = loaded_cli("validate", str(bad), "--replace", "--format", "turtle").output
    rg = Graph().parse(data=ttl, format="turtle")
    assert (None, None, URIRef("http://www.w3.org/ns/shacl#ValidationReport")) in rg
    unreadable = tmp_path / "broken.ttl"
    unreadable.write_text("<urn:a> <urn:b> .\n")
    r = loaded_cli("validate", str(unreadable))
    assert r.exit_code == 2 and f"{unreadable}, line 1" in r.stderr


def test_add_refuses_non_conforming_and_remove(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = loaded_cli("export", "--format", "nq").output
    good = ROOT / "data" / "records" / "aichr-tip-workshop-2018.ttl"
    bad = tmp_path / "bad-event.ttl"
    bad.write_text(good.read_text(encoding="utf-8").replace('"2018-06-22"^^xsd:date', '"2018-06-19"^^xsd:date', 1))
    r = loaded_cli("add", "--replace", str(bad))
    assert r.exit_code == 1 and "nothing was written" in r.stderr
    assert loaded_cli("export", "--format", "nq").output == before
    r = loaded_cli("add", str(good))
    assert r.exit_code == 2 and "already in the store" in r.stderr
    r = loaded_cli("remove", "record:aichr-tip-workshop-2018")
    assert r.exit_code == 0
    assert RECORD not in loaded_cli("export", "--format", "nq").output
    r = loaded_cli("add", str(good))
    assert r.exit_code == 0, r.output
    assert loaded_cli("export", "--format", "nq").output == before
    r = loaded_cli("remove", "record:never-added")
    assert r.exit_code == 2 and "no record" in r.stderr


def test_help_on_every_command(run_cli) -> None:  # type: ignore[no-untyped-def]
    from eventkg.cli import cli

    for name in cli.commands:
        r = run_cli(name, "--help")
        assert r.exit_code == 0 and "Usage:" in r.output, name


def test_parameter_not_in_the_select_list(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A parameter the query uses but does not return is bound too (Oxigraph's own substitution only takes
    projected variables; eventkg binds the others with a VALUES block of the typed term)."""
    f = tmp_path / "names.rq"
    f.write_text("# title: Names of a thing\n# param: thing iri The thing\n"
                 "PREFIX schema: <https://schema.org/>\nSELECT DISTINCT ?name WHERE { ?thing schema:name ?name }\n")
    r = loaded_cli("query", "--file", str(f), "--param", "thing=id:place/hanoi", "--format", "json")
    assert r.exit_code == 0, r.output
    names = [b["name"]["value"] for b in json.loads(r.output)["results"]["bindings"]]
    assert names == ["Hanoi"]


def test_jsonld_and_yaml_records_with_our_context_load_like_turtle(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A record written as plain JSON (or YAML) with ontology/context.jsonld is validated and added like
    the same record in Turtle."""
    import yaml

    examples = ROOT / "tests" / "model" / "examples"
    jsonld = examples / "min-event.jsonld"
    as_yaml = tmp_path / "min-event.yaml"
    as_yaml.write_text(yaml.safe_dump(json.loads(jsonld.read_text(encoding="utf-8")), allow_unicode=True))
    turtle = Graph().parse(examples / "min-event.ttl")
    for f in (jsonld, as_yaml):
        r = loaded_cli("validate", str(f))
        assert r.exit_code == 0, r.output
        r = loaded_cli("add", "--replace", str(f))
        assert r.exit_code == 0, r.output
        rec = r.output.split("<", 1)[1].split(">", 1)[0]
        got = Graph().parse(data=loaded_cli("export", "--format", "nt", "--record", rec).output, format="nt")
        assert isomorphic(got, turtle), f


def test_malformed_record_is_refused_with_its_line_and_nothing_changes(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = loaded_cli("export", "--format", "nq").output
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{\n  "@context": "https://w3id.org/eventkg/ontology/context.jsonld",\n  "@id": "id:x",\n  "name": \n}\n')
    r = loaded_cli("add", str(bad))
    assert r.exit_code == 2 and f"{bad}, line 5" in r.stderr
    bad_ttl = tmp_path / "bad.ttl"
    bad_ttl.write_text("@prefix schema: <https://schema.org/> .\n<urn:a> schema:name \"x\" ;\n  schema:name .\n")
    r = loaded_cli("add", str(bad_ttl))
    assert r.exit_code == 2 and f"{bad_ttl}, line 3" in r.stderr
    assert loaded_cli("export", "--format", "nq").output == before


def test_reading_commands_work_beside_a_process_that_holds_the_store(tmp_path: Path) -> None:
    """A running ``eventkg serve`` holds the on-disk store: the reading commands open it read-only beside it;
    the writing ones are refused with a message that says why, and the store is left as it was."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from eventkg.cli import cli

    store = tmp_path / "store"

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["--project", str(ROOT), "--store", str(store), *args], obj={},
                                  catch_exceptions=False)

    assert run("load").exit_code == 0
    before = json.loads(run("stats", "--format", "json").output)["triples"]
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        r = run("stats", "--format", "json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.output)["triples"] == before
        r = run("query", "event-when-where", "--format", "csv")
        assert r.exit_code == 0, r.output
        assert "Hanoi" in r.output
        r = run("export", "--format", "nt")
        assert r.exit_code == 0 and len(Graph().parse(data=r.output, format="nt")) > 0
        for args in (("load",), ("remove", RECORD)):
            r = run(*args)
            assert r.exit_code != 0
            assert "another process has it open" in r.output, r.output
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert json.loads(run("stats", "--format", "json").output)["triples"] == before


def test_loading_an_empty_file_is_refused_and_changes_nothing(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An empty file given to `load` by mistake must not rebuild the store out of nothing."""
    before = loaded_cli("export", "--format", "nq").output
    for name, body in (("empty.ttl", ""), ("blank.nq", "  \n\n")):
        f = tmp_path / name
        f.write_text(body)
        r = loaded_cli("load", str(f))
        assert r.exit_code == 2 and "empty" in r.output and str(f) in r.output, r.output
    assert loaded_cli("export", "--format", "nq").output == before


def test_a_failed_export_says_why_and_leaves_no_half_file(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("export", "--output", str(tmp_path / "missing" / "x.ttl"))
    assert r.exit_code == 2 and "cannot write" in r.output and "Traceback" not in r.output, r.output
    out = tmp_path / "nope.ttl"
    r = loaded_cli("export", "--record", "record:nope", "--output", str(out))
    assert r.exit_code == 2
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


@pytest.mark.parametrize("fmt,ext", [("nq", "nq"), ("trig", "trig"), ("jsonld", "jsonld")])
def test_an_export_loads_back_to_the_same_store(loaded_cli, tmp_path: Path, fmt: str, ext: str) -> None:  # type: ignore[no-untyped-def]
    """A whole-store export is a backup: `load` of it gives the store it came from (its ontology graph gives
    way to the project's, the same one, instead of merging with it or clashing)."""
    before = loaded_cli("export", "--format", "nq").output
    dump = tmp_path / f"all.{ext}"
    assert loaded_cli("export", "--format", fmt, "--output", str(dump)).exit_code == 0
    r = loaded_cli("load", str(dump))
    assert r.exit_code == 0, r.output
    assert loaded_cli("export", "--format", "nq").output == before


def test_stats_counts_the_union_as_a_set(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    """A triple two records state is two triples of the records and one of the graph."""
    info = json.loads(loaded_cli("stats", "--format", "json").output)
    union = Graph()
    for f in RECORD_FILES:
        union.parse(f, format="turtle")
    union.parse(ROOT / "ontology/ontology.ttl", format="turtle")
    assert info["distinct_triples"] == len(union) < info["triples"]


def test_reading_commands_read_a_store_that_cannot_be_written(tmp_path: Path) -> None:
    """A store on read-only media: stats, query and export read it; load is refused and changes nothing."""
    import shutil
    import subprocess
    import sys

    eventkg = str(Path(sys.executable).parent / "eventkg")
    store = tmp_path / "store"
    assert subprocess.run([eventkg, "--project", str(ROOT), "--store", str(store), "load"], capture_output=True,
                          timeout=300).returncode == 0
    for p in [store, *store.rglob("*")]:
        p.chmod(p.stat().st_mode & ~0o222)
    prefix: list[str] = []
    if os.geteuid() == 0:  # root writes anywhere: drop that power for the commands below
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a store cannot be made unwritable here")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search",
                  "--inh-caps=-dac_override,-dac_read_search"]
    try:
        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([*prefix, eventkg, "--project", str(ROOT), "--store", str(store), *args],
                                  capture_output=True, text=True, timeout=300)

        r = run("stats", "--format", "json")
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["triples"] > 0
        assert run("query", "event-when-where", "--format", "csv").stdout.count("Hanoi") >= 1
        before = run("export", "--format", "nq").stdout
        assert before
        r = run("load")
        assert r.returncode == 2 and "not writable" in r.stderr
        assert run("export", "--format", "nq").stdout == before
    finally:
        for p in [store, *store.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)


def test_messages_say_what_went_wrong_once(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a refused record: its report once (stdout), and one line saying nothing was written (stderr)
    src = (ROOT / "data" / "records" / "aichr-tip-workshop-2018.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "notitle.ttl"
    bad.write_text(re.sub(r"\n\s*dcterms:title [^;.]*;", "\n", src, count=1), encoding="utf-8")
    r = loaded_cli("add", "--replace", str(bad))
    assert r.exit_code == 1
    assert "nothing was written" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stdout.strip()
    # an update given to query
    r = loaded_cli("query", "--sparql", "DROP ALL")
    assert r.exit_code == 2 and "this is an update, not a query" in r.stderr
    # remove with something that is not an IRI
    r = loaded_cli("remove", "not an iri")
    assert r.exit_code == 2 and "is not a record's IRI" in r.stderr and "query:" not in r.stderr


def test_query_files_and_options_are_checked(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A query file's header parameters work as a named query's (no value, no default: an error, not an
    unbound variable matching everything); --limit takes a positive number; an undeclared prefix is named."""
    q = tmp_path / "typed.rq"
    q.write_text("# title: Things of a type\n# param: t iri The type\nSELECT ?x WHERE { ?x a ?t }\n")
    r = loaded_cli("query", "--file", str(q))
    assert r.exit_code == 2 and "needs the parameter 't'" in r.stderr
    with_t = loaded_cli("query", "--file", str(q), "--param", "t=skos:Concept", "--format", "csv").stdout
    every = loaded_cli("query", "--sparql", "SELECT ?x WHERE { ?x a ?t }", "--format", "csv").stdout
    assert 1 < len(with_t.splitlines()) < len(every.splitlines())
    for bad in ("0", "-1"):
        assert loaded_cli("query", "--sparql", "ASK {}", "--limit", bad).exit_code == 2
    r = loaded_cli("query", "--sparql", "SELECT * WHERE {\n  ?s foo:bar ?o }")
    assert r.exit_code == 2
    assert "line 2" in r.stderr and "unknown prefix 'foo:'" in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def test_validate_says_when_a_record_is_already_in_the_store(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    f = str(RECORD_FILES[0])
    r = loaded_cli("validate", f)
    assert r.exit_code == 0 and "already in the store" in r.stderr and "--replace" in r.stderr
    r = loaded_cli("validate", "--replace", f)
    assert r.exit_code == 0 and "already in the store" not in r.stderr


def test_remove_names_records_left_pointing_at_what_it_took_away(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    """Removing a record can leave others pointing at IRIs nothing describes any more: remove says which."""
    r = loaded_cli("remove", "record:reference")
    assert r.exit_code == 0
    r = loaded_cli("remove", "record:aichr-tip-workshop-2018")
    assert r.exit_code == 0
    notes = [line for line in r.stderr.splitlines() if line.startswith("Note:")]
    assert notes, r.stderr
    for line in notes:
        record, first = re.findall(r"<([^>]+)>", line)[:2]
        assert record in loaded_cli("stats", "--format", "json").output
        ask = loaded_cli("query", "--sparql", f"ASK {{ <{first}> ?p ?o }}", "--format", "json").output
        assert json.loads(ask)["boolean"] is False
        ask = loaded_cli("query", "--sparql", f"ASK {{ GRAPH <{record}> {{ ?s ?p <{first}> }} }}",
                         "--format", "json").output
        assert json.loads(ask)["boolean"] is True


def test_machine_output_gives_full_iris(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """JSON is for programs: beside the short names people read, every IRI in full."""
    info = json.loads(loaded_cli("stats", "--format", "json").output)
    event = next(c for c in info["classes"] if c["class"] == "schema:Event")
    assert event["iri"] == "https://schema.org/Event"
    assert all(p["iri"].startswith(("http://", "https://")) for p in info["properties"])
    src = (ROOT / "data" / "records" / "aichr-tip-workshop-2018.ttl").read_text(encoding="utf-8")
    bad = tmp_path / "notitle.ttl"
    bad.write_text(re.sub(r"\n\s*dcterms:title [^;.]*;", "\n", src, count=1), encoding="utf-8")
    r = loaded_cli("validate", "--replace", "--format", "json", str(bad))
    results = json.loads(r.stdout)["results"]
    assert results and all(x["focus_node_iri"].startswith("https://w3id.org/eventkg/") for x in results
                           if not x["focus_node"].startswith("_:"))


def test_outside_a_project_the_error_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder that is no project: commands that need its files say there is no project and how
    to name one; EVENTKG_PROJECT names it."""
    from click.testing import CliRunner

    from eventkg.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVENTKG_PROJECT", raising=False)
    record = tmp_path / "record.ttl"
    record.write_bytes(RECORD_FILES[0].read_bytes())
    for args in (["validate", "record.ttl"], ["queries"], ["load"]):
        r = CliRunner().invoke(cli, ["--store", "memory", *args], obj={})
        assert r.exit_code == 2, (args, r.output)
        assert "no eventkg project here" in r.output and "--project DIR" in r.output, r.output
        assert "Traceback" not in r.output
    assert list(tmp_path.iterdir()) == [record]  # nothing made here
    r = CliRunner().invoke(cli, ["--store", "memory", "validate", "record.ttl"], obj={},
                           env={"EVENTKG_PROJECT": str(ROOT)})
    assert r.exit_code == 0, r.output


def test_graphs_that_are_no_records_are_refused(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """validate and add take records only: a file without a record node (its name has spaces), a graph named
    outside record/, the ontology's graph; remove does not take the ontology either. Nothing changes."""
    before = loaded_cli("export", "--format", "nq").output
    text = RECORD_FILES[0].read_text(encoding="utf-8")
    no_node = tmp_path / "My File (draft).ttl"
    no_node.write_text(re.sub(r"\s+a ekg:Record\s*;", " ", text, count=1), encoding="utf-8")
    onto = tmp_path / "onto.trig"
    onto.write_text("<https://w3id.org/eventkg/ontology> { <https://w3id.org/eventkg/ontology> a "
                    "<http://www.w3.org/2002/07/owl#Ontology> . }\n", encoding="utf-8")
    for f, words in ((no_node, "no node typed ekg:Record"), (onto, "no record's name")):
        for cmd in (["validate"], ["add", "--replace"]):
            r = loaded_cli(*cmd, str(f))
            assert r.exit_code == 2, (cmd, f, r.output)
            assert words in r.output and "Traceback" not in r.output, r.output
    r = loaded_cli("remove", "https://w3id.org/eventkg/ontology")
    assert r.exit_code != 0 and "no record" in r.output, r.output
    assert loaded_cli("export", "--format", "nq").output == before


def test_reading_a_store_that_does_not_exist_says_so_and_makes_none(tmp_path: Path) -> None:
    """A mistyped --store, or stats before load: exit 2 saying so, and no empty store left behind."""
    from click.testing import CliRunner

    from eventkg.cli import cli

    missing = tmp_path / "no-store-here"
    for args in (["stats"], ["query", "records"], ["export", "--format", "nq"]):
        r = CliRunner().invoke(cli, ["--project", str(ROOT), "--store", str(missing), *args], obj={})
        assert r.exit_code == 2, (args, r.output)
        assert "no store here yet" in r.output and "eventkg load" in r.output
        assert not missing.exists()
    # nor does a load that fails (a record that does not conform, a file that does not parse)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:r> a <https://w3id.org/eventkg/ontology#Record> .\n"
                   "<https://w3id.org/eventkg/id/event/x> a <https://schema.org/Event> .\n", encoding="utf-8")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:r> a <https://w3id.org/eventkg/ontology#Record>\n", encoding="utf-8")
    for args in (["load", "--validate", str(bad)], ["load", str(broken)]):
        r = CliRunner().invoke(cli, ["--project", str(ROOT), "--store", str(missing), *args], obj={})
        assert r.exit_code in (1, 2), (args, r.output)
        assert not missing.exists(), args


def test_writing_to_or_serving_a_store_that_does_not_exist_says_so_and_makes_none(tmp_path: Path) -> None:
    """Only `load` builds a store: `add`, `remove` and `serve` on a mistyped --store stop with exit 2 and a
    line saying so. They made an empty store there: `serve` published an empty site, `add` a store holding
    one record and no ontology."""
    from click.testing import CliRunner

    from eventkg.cli import cli

    missing = tmp_path / "no-store-here"
    record = ROOT / "data" / "records" / "topics.ttl"
    for args in (["add", str(record)], ["remove", "record:topics"], ["serve", "--port", "1"]):
        r = CliRunner().invoke(cli, ["--project", str(ROOT), "--store", str(missing), *args], obj={})
        assert r.exit_code == 2, (args, r.output)
        assert "no store here yet" in r.output and "eventkg load" in r.output, (args, r.output)
        assert not missing.exists(), args


def test_serve_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    """A port another process holds, and writes allowed without a token: one line on stderr, exit 2 (an
    error that is no validation result), not exit 1 or a traceback."""
    import socket
    import subprocess
    import sys

    eventkg = str(Path(sys.executable).parent / "eventkg")
    store = tmp_path / "store"
    assert subprocess.run([eventkg, "--project", str(ROOT), "--store", str(store), "load"], capture_output=True,
                          timeout=300).returncode == 0
    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        r = subprocess.run([eventkg, "--project", str(ROOT), "--store", str(store), "serve", "--port", str(port)],
                           capture_output=True, text=True, timeout=60, env={**os.environ, "EVENTKG_SERVER_TOKEN": ""})
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    r = subprocess.run([eventkg, "--project", str(ROOT), "--store", str(store), "serve", "--allow-update"],
                       capture_output=True, text=True, timeout=60, env={**os.environ, "EVENTKG_SERVER_TOKEN": ""})
    assert r.returncode == 2 and "token" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_value_that_is_not_of_its_datatype_is_reported_once_without_library_noise(tmp_path: Path) -> None:
    """An ill-typed date or position is a violation in the report, and so is its comparison with the other
    end (SHACL: a pair that cannot be compared is a result; pySHACL crashed on some such pairs and passed
    others by chance); rdflib's own warning with a traceback for each such literal (17 lines each, thousands
    of lines for a big record) is not printed beside it."""
    import re
    import subprocess
    import sys

    eventkg = str(Path(sys.executable).parent / "eventkg")
    src = (ROOT / "data" / "records" / "aichr-tip-workshop-2018.ttl").read_text(encoding="utf-8")
    end = re.search(r'oa:end "(\d+)"\^\^xsd:integer', src)
    assert end and '"2018-06-21"^^xsd:date' in src and '"2018-06-22"^^xsd:date' in src
    cases = {  # name: (text, the value reported, the datatype shape, the comparison shape)
        "start-june-31": (src.replace('"2018-06-21"^^xsd:date', '"2018-06-31"^^xsd:date'),
                          '"2018-06-31"^^xsd:date', "ekgsh:Dates-datatype", "ekgsh:Event-dateOrder"),
        "start-feb-30": (src.replace('"2018-06-21"^^xsd:date', '"2018-02-30"^^xsd:date'),
                         '"2018-02-30"^^xsd:date', "ekgsh:Dates-datatype", "ekgsh:Event-dateOrder"),
        "end-june-31": (src.replace('"2018-06-22"^^xsd:date', '"2018-06-31"^^xsd:date'),
                        '"2018-06-31"^^xsd:date', "ekgsh:Dates-datatype", "ekgsh:Event-dateOrder"),
        "end-five": (src.replace(end.group(0), 'oa:end "five"^^xsd:integer', 1),
                     '"five"^^xsd:integer', "ekgsh:PositionSelector-end", "ekgsh:PositionSelector-start"),
    }
    for name, (text, value, datatype_shape, order_shape) in cases.items():
        bad = tmp_path / f"{name}.ttl"
        bad.write_text(text, encoding="utf-8")
        r = subprocess.run([eventkg, "--project", str(ROOT), "--store", "memory", "validate", str(bad)],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 1, (name, r.stderr)
        assert value in r.stdout, (name, r.stdout)
        assert f"shape:      {datatype_shape}" in r.stdout and f"shape:      {order_shape}" in r.stdout, (name, r.stdout)
        assert "Traceback" not in r.stderr and "Failed to convert" not in r.stderr, (name, r.stderr[:2000])
    # a property no shape checks the datatype of: the record conforms, and the report says so as a warning
    bad = tmp_path / "extent-many.ttl"
    bad.write_text(src + '\nrecord:aichr-tip-workshop-2018 dcterms:extent "many"^^xsd:integer .\n', encoding="utf-8")
    r = subprocess.run([eventkg, "--project", str(ROOT), "--store", "memory", "validate", str(bad), "--format", "json"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    [warning] = json.loads(r.stdout)["results"]
    assert warning["severity"] == "Warning" and warning["value"] == '"many"^^xsd:integer'
    assert warning["path"] == "dcterms:extent" and "not a valid xsd:integer" in warning["message"]
    assert "Traceback" not in r.stderr and "Failed to convert" not in r.stderr, r.stderr[:2000]


def test_a_store_url_of_another_scheme_is_refused_not_taken_for_a_folder(tmp_path: Path) -> None:
    """`--store ftp://host/x` was read as a relative folder `ftp:/host/x` ("no store here yet; build it with
    eventkg load", and load would have made that folder)."""
    from click.testing import CliRunner

    from eventkg.cli import cli

    for args in (["stats"], ["load"]):
        r = CliRunner().invoke(cli, ["--project", str(ROOT), "--store", "ftp://example.org/x", *args], obj={})
        assert r.exit_code == 2, r.output
        assert "neither a folder, 'memory', nor an http(s)" in r.output and "build it" not in r.output
    assert not (ROOT / "ftp:").exists()


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
# Values a results writer can lose: falsy ones, line breaks, a carriage return, and lexical forms that are not
# the canonical ones (another RDF term than the stored one if rewritten).
TRICKY = [("zero", "0", XSD_NS + "integer"), ("no", "false", XSD_NS + "boolean"), ("crlf", "a\r\nb", None),
          ("lines", "x\ny\tz", None), ("double", "1", XSD_NS + "double"),
          ("when", "2018-06-21T10:00:00Z", XSD_NS + "dateTime"), ("nan", "NaN", XSD_NS + "double"),
          ("inf", "-INF", XSD_NS + "double"), ("day", "2018-06-21+07:00", XSD_NS + "date"),
          ("yes", "true", XSD_NS + "boolean"), ("big", "12345678901234567890", XSD_NS + "integer")]


def _tricky_record(tmp_path: Path) -> Path:
    lits = " ; ".join(f"<urn:p:{name}> {Literal(text, datatype=URIRef(dt) if dt else None, normalize=False).n3()}"
                      for name, text, dt in TRICKY)
    f = tmp_path / "tricky.ttl"
    f.write_text("<urn:rec:tricky> a <https://w3id.org/eventkg/ontology#Record> .\n"
                 f"<urn:x:tricky> {lits} .\n", encoding="utf-8")
    return f


def test_results_formats_give_back_every_value_as_stored(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    assert run_cli("load", "data", str(_tricky_record(tmp_path))).exit_code == 0
    q = "SELECT * WHERE { <urn:x:tricky> " + " ; ".join(f"<urn:p:{n}> ?{n}" for n, _, _ in TRICKY) + " }"
    for fmt in ("json", "xml", "tsv", "csv"):
        r = run_cli("query", "--sparql", q, "--format", fmt)
        assert r.exit_code == 0, r.output
        if fmt == "csv":   # CSV keeps the text only
            rows = list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8"), newline="")))
            assert [{n: rows[0][n] for n, _, _ in TRICKY}] == [{n: text for n, text, _ in TRICKY}], r.output
            continue
        # read by Oxigraph's parsers, which keep a literal's text as written
        sols = list(ox.parse_query_results(r.stdout_bytes, getattr(ox.QueryResultsFormat, fmt.upper())))
        assert len(sols) == 1, (fmt, r.output)
        for name, text, dt in TRICKY:
            got = sols[0][name]
            assert (got.value, got.datatype.value) == (text, dt or XSD_NS + "string"), (fmt, name, got)


def test_rdfxml_keeps_a_carriage_return(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # an XML parser reads a bare carriage return as a line feed: a document's text, and its quotes'
    # positions, would change on the way back
    assert run_cli("load", "data", str(_tricky_record(tmp_path))).exit_code == 0
    crlf = Literal("a\r\nb")
    outputs = {"export": run_cli("export", "--format", "rdfxml").stdout_bytes,
               "record": run_cli("export", "--format", "rdfxml", "--record", "urn:rec:tricky").stdout_bytes,
               "construct": run_cli("query", "--sparql", "CONSTRUCT WHERE { <urn:x:tricky> ?p ?o }",
                                    "--format", "rdfxml").stdout_bytes}
    for what, data in outputs.items():
        g = Graph().parse(data=data, format="xml")
        assert (URIRef("urn:x:tricky"), URIRef("urn:p:crlf"), crlf) in g, (what, data)


def test_a_triple_file_of_several_records_is_refused_by_every_load(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the whole store exported as Turtle declares every record: no load may file it all under the first
    before = loaded_cli("export", "--format", "nq").stdout_bytes
    out = tmp_path / "all.ttl"
    assert loaded_cli("export", "--format", "turtle", "--output", str(out)).exit_code == 0
    for extra in ([], ["--validate"]):
        r = loaded_cli("load", *extra, str(out))
        assert r.exit_code == 2 and "declares" in r.stderr and "records" in r.stderr and str(out) in r.stderr, \
            (extra, r.output)
        assert loaded_cli("export", "--format", "nq").stdout_bytes == before


def test_a_record_given_twice_is_refused_by_validate_as_by_add(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    examples = ROOT / "tests" / "model" / "examples"
    files = [str(examples / "min-event.ttl"), str(examples / "min-event.jsonld")]
    for command in ("validate", "add"):
        r = loaded_cli(command, *files)
        assert r.exit_code == 2 and "is given twice" in r.stderr, (command, r.output)
        assert files[0] in r.stderr and files[1] in r.stderr, (command, r.stderr)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nq", "trig", "jsonld", "rdfxml"])
def test_exports_give_back_every_value_as_stored(run_cli, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    assert run_cli("load", "data", str(_tricky_record(tmp_path))).exit_code == 0
    want = {(f"urn:p:{n}", text, dt or XSD_NS + "string") for n, text, dt in TRICKY}
    oxfmt = {"turtle": "TURTLE", "nt": "N_TRIPLES", "nq": "N_QUADS", "trig": "TRIG", "jsonld": "JSON_LD",
             "rdfxml": "RDF_XML"}[fmt]
    for args in ([], ["--record", "urn:rec:tricky"]):
        r = run_cli("export", "--format", fmt, *args)
        assert r.exit_code == 0, r.output
        # read by Oxigraph's parsers, which keep a literal's text as written
        got = {(t.predicate.value, t.object.value, t.object.datatype.value)
               for t in ox.parse(r.stdout_bytes, format=getattr(ox.RdfFormat, oxfmt))
               if t.subject == ox.NamedNode("urn:x:tricky")}
        assert got == want, (args, got ^ want)


def test_a_date_parameter_is_bound_as_written(loaded_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    q = tmp_path / "day.rq"
    q.write_text("# title: The day given\n# param: day date A day\nSELECT ?day WHERE {}\n", encoding="utf-8")
    for day in ("2018-06-21", "2018-06-21Z", "2018-06-21+07:00", "-0044-03-15"):
        r = loaded_cli("query", "--file", str(q), "--param", f"day={day}", "--format", "tsv")
        assert r.exit_code == 0 and f'"{day}"^^<{XSD_NS}date>' in r.output, (day, r.output)


def test_a_triple_term_in_a_result_is_refused_with_a_message(loaded_cli) -> None:  # type: ignore[no-untyped-def]
    r = loaded_cli("query", "--sparql", "SELECT ?t WHERE { BIND(<<( <urn:a> <urn:b> <urn:c> )>> AS ?t) }")
    assert r.exit_code == 2 and "quoted triples in results are not supported" in r.stderr, r.output
