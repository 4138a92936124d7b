"""Loading: every RDF format, record naming, and bad input that must leave the store as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from eventkg.errors import ConfigError, LoadError, UnknownFormatError
from eventkg.export import serialize_graph
from eventkg.formats import RDF_FORMATS, format_for_path, rdf_format
from eventkg.load import records_from_bytes, records_from_file
from eventkg.records import rebuild
from eventkg.store import EmbeddedStore
from eventkg.terms import graph_from_triples

EKG = Namespace("https://w3id.org/eventkg/ontology#")
SCHEMA = Namespace("https://schema.org/")
REC = URIRef("https://w3id.org/eventkg/record/sample")
EV = URIRef("https://w3id.org/eventkg/id/event/sample")


def sample_graph() -> Graph:
    g = Graph()
    g.add((REC, RDF.type, EKG.Record))
    g.add((EV, RDF.type, SCHEMA.Event))
    g.add((EV, SCHEMA.name, Literal('A "sample" meeting, with\ttabs and\nlines', lang="en")))
    g.add((EV, SCHEMA.startDate, Literal("2019-03-04", datatype=XSD.date)))
    g.add((EV, SCHEMA.location, URIRef("https://w3id.org/eventkg/id/place/jakarta")))
    return g


@pytest.mark.parametrize("fmt", [f.name for f in RDF_FORMATS if f.name not in ("yamlld", "n3")])
def test_every_format_loads_the_same_record(fmt: str, tmp_path: Path) -> None:
    f = rdf_format(fmt)
    data = serialize_graph(sample_graph(), f, name=str(REC))
    path = tmp_path / f"sample.{f.extension}"
    path.write_bytes(data)
    [rec] = records_from_file(path)
    assert rec.iri == str(REC)
    assert isomorphic(rec.to_rdflib(), sample_graph())


def test_yaml_ld_record_loads_like_json_ld(tmp_path: Path) -> None:
    ctx = {"schema": "https://schema.org/", "ekg": str(EKG), "name": {"@id": "schema:name", "@language": "en"},
           "startDate": {"@id": "schema:startDate", "@type": str(XSD.date)}}
    yml = f"""\
"@context": https://w3id.org/eventkg/ontology/context.jsonld
"@graph":
  - "@id": {REC}
    "@type": ekg:Record
  - "@id": {EV}
    "@type": schema:Event
    name: Jakarta meeting
    startDate: "2019-03-04"
"""
    path = tmp_path / "r.yaml"
    path.write_text(yml)
    [rec] = records_from_file(path, context=ctx)
    g = rec.to_rdflib()
    assert rec.iri == str(REC)
    assert (EV, SCHEMA.name, Literal("Jakarta meeting", lang="en")) in g
    assert (EV, SCHEMA.startDate, Literal("2019-03-04", datatype=XSD.date)) in g
    # a date written plainly, as YAML allows, is the same date (not a Python date JSON cannot hold)
    path.write_text(yml.replace('startDate: "2019-03-04"', "startDate: 2019-03-04"))
    [rec] = records_from_file(path, context=ctx)
    assert (EV, SCHEMA.startDate, Literal("2019-03-04", datatype=XSD.date)) in rec.to_rdflib()


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    """A "billion laughs": each level of nine aliases multiplies the expanded size by nine (six here, to keep
    a failure of this test small; the attack uses more)."""
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 6)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + '\n"@id": https://w3id.org/eventkg/record/bomb\ntitle: *a5\n')
    with pytest.raises(LoadError) as e:
        records_from_file(path, context={})
    assert "aliases" in str(e.value) and e.value.line == 2


def test_quad_file_gives_one_record_per_named_graph(tmp_path: Path) -> None:
    ds = Dataset()
    for i in (1, 2):
        ds.graph(URIRef(f"https://w3id.org/eventkg/record/r{i}")).add((EV, SCHEMA.name, Literal(f"n{i}")))
    path = tmp_path / "two.trig"
    path.write_text(ds.serialize(format="trig"))
    recs = records_from_file(path)
    assert [r.iri for r in recs] == ["https://w3id.org/eventkg/record/r1", "https://w3id.org/eventkg/record/r2"]


def test_record_named_after_file_without_declaration(tmp_path: Path) -> None:
    path = tmp_path / "meeting-x.ttl"
    path.write_text(f"<{EV}> <{SCHEMA.name}> \"x\" .\n")
    [rec] = records_from_file(path)
    assert rec.iri == "https://w3id.org/eventkg/record/meeting-x"


def test_two_declared_records_in_a_triple_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "two.ttl"
    path.write_text(f"<urn:a> a <{EKG.Record}> . <urn:b> a <{EKG.Record}> .\n")
    with pytest.raises(LoadError, match="declares 2 records"):
        records_from_file(path)


@pytest.mark.parametrize("name,body,line", [
    ("bad.ttl", b'@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open string .\n', 3),
    ("bad.jsonld", b'{\n  "@id": "http://example.org/a",\n  "http://example.org/b": [1, 2,\n}\n', 4),
    ("bad.nt", b'<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n<a> <b> <c> .\n', 2),
    ("bad.yaml", b'"@id": http://example.org/a\n  bad: [indent\n', 2),
])
def test_malformed_input_names_file_and_line(name: str, body: bytes, line: int, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(LoadError) as e:
        records_from_file(path)
    assert e.value.source == str(path)
    assert e.value.line == line
    assert "Parser error at line" not in str(e.value)   # the position once, not twice
    assert f"{path}, line {line}" in str(e.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.ttl"
    path.write_text("  \n")
    with pytest.raises(LoadError, match="empty"):
        records_from_file(path)


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "record.docx"
    path.write_text("x")
    with pytest.raises(UnknownFormatError, match="cannot tell the RDF format"):
        format_for_path(path)
    with pytest.raises(UnknownFormatError, match="unknown RDF format 'klingon'"):
        records_from_file(tmp_path / "a.ttl", "klingon")


def test_failed_rebuild_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "g.ttl").write_bytes(serialize_graph(sample_graph(), rdf_format("turtle")))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.ttl").write_bytes(serialize_graph(sample_graph(), rdf_format("turtle")).replace(b"sample", b"other"))
    (bad / "b.ttl").write_text("<urn:x> <urn:y> .\n")
    store = EmbeddedStore(tmp_path / "store")
    rebuild(store, [good])
    before = sorted(map(str, store._store))
    with pytest.raises(LoadError) as e:
        rebuild(store, [bad])
    assert e.value.source.endswith("b.ttl") and e.value.line == 1
    assert sorted(map(str, store._store)) == before
    store.close()
    reopened = EmbeddedStore(tmp_path / "store")
    assert sorted(map(str, reopened._store)) == before
    assert not (tmp_path / "store.new").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_store_path_not_writable_as_user(tmp_path: Path) -> None:  # pragma: no cover - CI runs as root
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    with pytest.raises(ConfigError, match="not writable"):
        EmbeddedStore(ro / "store")


def test_store_path_not_writable(tmp_path: Path) -> None:
    # A regular file where the store's folder should be: no process, root or not, can create the store.
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError) as e:
        EmbeddedStore(blocker / "store")
    assert str(blocker / "store") in str(e.value)


def test_opening_beside_a_running_rebuild_leaves_its_folder_alone(tmp_path: Path) -> None:
    # A rebuild writes into "store.new" while it holds the store; a reader opening the store then (a query
    # beside a running load) must not take that folder for a killed rebuild's leftover.
    holder = EmbeddedStore(tmp_path / "store")
    building = tmp_path / "store.new"
    building.mkdir()
    (building / "part").write_text("being written")
    reader = EmbeddedStore(tmp_path / "store", share=True)
    assert not reader.info.writable
    assert (building / "part").exists()
    reader.close()
    holder.close()
    # Once nobody holds the store, the leftover of a killed rebuild is cleared by the next opener.
    EmbeddedStore(tmp_path / "store").close()
    assert not building.exists()


def test_a_literal_over_16_mib_is_read(tmp_path: Path) -> None:
    """A text longer than the parser's 16 MiB buffer (a whole report as ekg:fullText) reads as any other."""
    text = "word " * (17 * 1024 * 1024 // 5)
    path = tmp_path / "long.ttl"
    path.write_text(f'<{REC}> a <{EKG}Record> ; <{EKG}fullText> "{text}" .\n', encoding="utf-8")
    [rec] = records_from_file(path)
    assert rec.iri == str(REC)
    assert (REC, EKG.fullText, Literal(text)) in rec.to_rdflib()


JSONLD_CTX = {"schema": "https://schema.org/", "ekg": str(EKG), "id": "https://w3id.org/eventkg/id/",
              "type": "@type", "Event": "schema:Event", "Record": "ekg:Record",
              "name": {"@id": "schema:name", "@language": "en"},
              "sponsor": {"@id": "schema:sponsor", "@type": "@id"}}


@pytest.mark.parametrize("body,words,line", [
    # a key the context lacks (misspelt): JSON-LD drops it without a word
    ('  "@id": "id:event/sample",\n  "type": "Event",\n  "nmae": "Jakarta meeting"\n', "'nmae' is no term", 5),
    # a relative IRI with no @base to resolve it: dropped as well
    ('  "@id": "id:event/sample",\n  "type": "Event",\n  "sponsor": "org/aichr"\n', "relative IRI", 5),
    # a class name the context lacks
    ('  "@id": "id:event/sample",\n  "type": "Evnet"\n', "no class the context knows", 4),
])
def test_json_ld_that_would_lose_data_is_refused(body: str, words: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "r.jsonld"
    path.write_text('{\n  "@context": "https://w3id.org/eventkg/ontology/context.jsonld",\n' + body + "}\n")
    with pytest.raises(LoadError) as e:
        records_from_file(path, context=JSONLD_CTX)
    assert words in str(e.value) and e.value.line == line, (str(e.value), e.value.line)
    # the same document with what it meant reads
    good = body.replace("nmae", "name").replace('"org/aichr"', '"id:org/aichr"').replace("Evnet", "Event")
    path.write_text('{\n  "@context": "https://w3id.org/eventkg/ontology/context.jsonld",\n' + good + "}\n")
    assert records_from_file(path, context=JSONLD_CTX)


def test_yaml_with_a_key_the_context_lacks_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text('"@context": https://w3id.org/eventkg/ontology/context.jsonld\n"@id": id:event/sample\n'
                    "type: Event\nparticipant: id:org/aichr\n")
    with pytest.raises(LoadError) as e:
        records_from_file(path, context=JSONLD_CTX)
    assert "'participant' is no term" in str(e.value) and e.value.line == 4


def test_a_context_elsewhere_is_not_taken_for_ours(tmp_path: Path) -> None:
    """Only our own context's URL (or a file name) is read as ours; another context is not fetched."""
    path = tmp_path / "r.jsonld"
    path.write_text('{"@context": "http://other.example/x/context.jsonld", "@id": "id:event/sample"}\n')
    with pytest.raises(LoadError) as e:
        records_from_file(path, context=JSONLD_CTX)
    assert "not read" in str(e.value) and "other.example" in str(e.value)


@pytest.mark.parametrize("ext", ["ttl", "nt", "jsonld"])
def test_a_byte_order_mark_is_passed_over(ext: str, tmp_path: Path) -> None:
    """Some editors start UTF-8 files with a byte order mark: the record reads, and loads, as without it."""
    f = rdf_format(ext)
    path = tmp_path / f"sample.{f.extension}"
    path.write_bytes(b"\xef\xbb\xbf" + serialize_graph(sample_graph(), f))
    [rec] = records_from_file(path)
    assert isomorphic(rec.to_rdflib(), sample_graph())
    if f.oxigraph is not None and ext != "jsonld":
        store = EmbeddedStore(tmp_path / "store")
        rebuild(store, [path])
        assert str(REC) in store.records() and store.count(str(REC)) == len(sample_graph())
        store.close()


def test_a_relative_iri_without_a_base_says_how_to_give_one(tmp_path: Path) -> None:
    path = tmp_path / "r.ttl"
    path.write_text(f"<{REC}> a <{EKG}Record> .\n<event/x> a <https://schema.org/Event> .\n")
    with pytest.raises(LoadError) as e:
        records_from_file(path)
    assert e.value.line == 2 and "@base" in str(e.value)


def test_json_ld_with_a_vocabulary_keeps_every_key(tmp_path: Path) -> None:
    """With @vocab every key and type name expands to an IRI (nothing is dropped), so none is refused."""
    path = tmp_path / "r.jsonld"
    path.write_text(json.dumps({"@context": {"@vocab": "https://schema.org/"}, "@id": str(EV), "@type": "Event",
                                "organizer": {"@id": "https://w3id.org/eventkg/id/org/aichr"}}))
    [rec] = records_from_file(path, context=JSONLD_CTX)
    assert (EV, SCHEMA.organizer, URIRef("https://w3id.org/eventkg/id/org/aichr")) in rec.to_rdflib()


def _big_record(tmp_path: Path, middle: str, fillers: int = 3000, bom: bool = False) -> Path:
    """A Turtle record of many statements with ``middle`` among them (cut in pieces below)."""
    head = (f"@prefix schema: <https://schema.org/> .\n@prefix ekg: <{EKG}> .\n"
            f"<{REC}> a ekg:Record .\n")
    fill = "".join(f'<{EV}-{i}> schema:name "filler {i} with some words to take up room" .\n'
                   for i in range(fillers))
    path = tmp_path / "big.ttl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (head + fill + middle + fill.replace("filler", "after"))
                     .encode("utf-8"))
    return path


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of a few hundred kilobytes are cut as files of 16 MiB are (the same code, smaller numbers)."""
    from eventkg.store import bulk

    monkeypatch.setattr(bulk, "PARALLEL_BYTES", 64 << 10)
    monkeypatch.setitem(bulk.PIECE_BYTES, "turtle", 32 << 10)


@pytest.mark.parametrize("middle", [
    # a long string holding lines that look like a directive and like a statement's end
    f'<{EV}> schema:description """An example query:\nPREFIX schema: <http://schema.org/>\n'
    'SELECT ?e WHERE { ?e schema:about ?t } .\n<http://evil.example/s> <http://evil.example/p> '
    '<http://evil.example/o> . # the end"""@en .\n',
    # a blank node named in two statements far apart
    '_:b1 schema:name "one" .\n' + "".join(f'<{EV}-x{i}> schema:alternateName "padding {i} to push the next '
                                           'statement into another piece" .\n' for i in range(2000))
    + '_:b1 schema:alternateName "the same node" .\n',
])
def test_a_big_file_loads_as_it_parses(middle: str, tmp_path: Path, small_pieces: None) -> None:
    path = _big_record(tmp_path, middle)
    store = EmbeddedStore(tmp_path / "store")
    rebuild(store, [path])
    got = graph_from_triples(q.triple for q in store._store.quads_for_pattern(None, None, None, None))
    want = Graph().parse(path, format="turtle")
    assert len(got) == len(want) and isomorphic(got, want)


def test_a_syntax_error_in_a_big_file_with_a_byte_order_mark_names_its_line(tmp_path: Path,
                                                                             small_pieces: None) -> None:
    path = _big_record(tmp_path, '<urn:a> <urn:b> "open string .\n', bom=True)
    line = 3 + 3000 + 1
    store = EmbeddedStore(tmp_path / "store")
    with pytest.raises(LoadError, match=f"line {line}\\b"):
        rebuild(store, [path])
    # and the same file, corrected, loads in pieces though it starts with a byte order mark
    path.write_bytes(path.read_bytes().replace(b'"open string .', b'"closed string" .'))
    rebuild(store, [path])
    assert store.count() == len(Graph().parse(data=path.read_bytes()[3:], format="turtle"))


def test_folders_are_read_through_links_and_what_is_no_record_file_is_passed_over(tmp_path: Path) -> None:
    from eventkg.load import iter_files

    src = Path(__file__).resolve().parents[1] / "data" / "records"
    top, elsewhere = tmp_path / "records", tmp_path / "elsewhere"
    (top / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (top / "topics.ttl").write_bytes((src / "topics.ttl").read_bytes())
    (elsewhere / "reference.ttl").write_bytes((src / "reference.ttl").read_bytes())
    (top / "sub" / "more").symlink_to(elsewhere, target_is_directory=True)   # a linked folder is read
    (top / "sub" / "loop").symlink_to(top, target_is_directory=True)         # once
    for other in ("topics.ttl.bak", "topics.ttl.disabled", ".topics.ttl.swp", ".hidden.ttl", "notes.txt"):
        (top / other).write_bytes((src / "topics.ttl").read_bytes())
    (top / ".git").mkdir()
    (top / ".git" / "x.ttl").write_text("not read", encoding="utf-8")
    assert [p.name for p in iter_files([top])] == ["reference.ttl", "topics.ttl"]
    store = EmbeddedStore(tmp_path / "store")
    rebuild(store, [top])
    assert sorted(store.records()) == ["https://w3id.org/eventkg/record/reference",
                                       "https://w3id.org/eventkg/record/topics"]
    # a file reached twice (named, and in its folder) is read once
    assert [p.name for p in iter_files([top, top / "topics.ttl", elsewhere])] == ["reference.ttl", "topics.ttl"]
    # what is no regular file is passed over in a folder, and refused by name
    os.mkfifo(top / "pipe.ttl")
    assert [p.name for p in iter_files([top])] == ["reference.ttl", "topics.ttl"]
    with pytest.raises(LoadError, match="not a file or a folder"):
        iter_files([top / "pipe.ttl"])
    # a link to nothing, to a file or to a folder, is an error, not records quietly left out of the store
    for name, target in (("gone.ttl", "nowhere.ttl"), ("gone-folder", "nowhere")):
        (top / name).symlink_to(tmp_path / target)
        with pytest.raises(LoadError, match="a link to nothing") as e:
            iter_files([top])
        assert name in str(e.value)
        (top / name).unlink()


SETPRIV = "/usr/bin/setpriv"


@pytest.mark.skipif(os.geteuid() != 0 or not Path(SETPRIV).exists(), reason="needs root and setpriv")
def test_a_folder_or_file_that_cannot_be_read_is_named_and_nothing_changes(tmp_path: Path) -> None:
    """As a user for whom permissions hold (root without its capabilities)."""
    import subprocess
    import sys

    eventkg = str(Path(sys.executable).parent / "eventkg")
    root = Path(__file__).resolve().parents[1]
    src = root / "data" / "records"
    store = tmp_path / "store"
    assert subprocess.run([eventkg, "--project", str(root), "--store", str(store), "load"],
                          capture_output=True).returncode == 0
    def content() -> list[str]:
        s = EmbeddedStore(store)
        try:
            return sorted(map(str, s._store))
        finally:
            s.close()

    before = content()
    cases = {}
    for name, big in (("dir", False), ("small", False), ("large", True)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "topics.ttl").write_bytes((src / "topics.ttl").read_bytes())
        hidden = folder / "sub" if name == "dir" else folder / "reference.ttl"
        if name == "dir":
            hidden.mkdir()
            (hidden / "reference.ttl").write_bytes((src / "reference.ttl").read_bytes())
        else:
            body = (src / "reference.ttl").read_bytes()
            hidden.write_bytes(body + (b"# " + b"x" * 100 + b"\n") * 1000 if big else body)
        hidden.chmod(0)
        cases[name] = (folder, hidden)
    for name, (folder, hidden) in cases.items():
        for extra in ([], ["--validate"]):
            r = subprocess.run([SETPRIV, "--inh-caps=-all", "--bounding-set=-all", "--", eventkg, "--project",
                                str(root), "--store", str(store), "load", *extra, str(folder)],
                               capture_output=True, text=True)
            assert r.returncode == 2, (name, extra, r.stderr)
            assert str(hidden) in r.stderr and "cannot read" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert content() == before


def test_a_graph_named_by_a_blank_node_is_called_so(tmp_path: Path) -> None:
    path = tmp_path / "blank.trig"
    path.write_text("_:g { <urn:a> <urn:b> <urn:c> . }\n", encoding="utf-8")
    with pytest.raises(LoadError, match="a graph named by a blank node"):
        records_from_file(path)


def test_a_parser_message_stays_on_one_line(tmp_path: Path) -> None:
    # rdflib's RDF/XML parser quotes the text it met, line breaks and all; an error is one line on stderr
    path = tmp_path / "bad.rdf"
    path.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                    '<rdf:Description rdf:about="urn:x">\n\t\t<rdf:type rdf:resource="urn:t"/>\n\t\tloose text\n'
                    '\t\t</rdf:Description>\n</rdf:RDF>\n', encoding="utf-8")
    with pytest.raises(LoadError) as e:
        records_from_file(path)
    assert "\n" not in str(e.value), str(e.value)


@pytest.mark.parametrize("name,body", [
    ("latin1.jsonld", b'{\n  "@id": "https://w3id.org/eventkg/record/x",\n  "http://schema.org/name": "caf\xe9"\n}\n'),
    ("latin1.yaml", b'"@id": https://w3id.org/eventkg/record/x\nname: caf\xe9\n'),
])
def test_bytes_that_are_no_utf_8_are_named_by_line_and_column(name: str, body: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(LoadError) as e:
        records_from_file(path)
    bad = body.index(b"\xe9")
    line = body.count(b"\n", 0, bad) + 1
    column = bad - (body.rfind(b"\n", 0, bad) + 1) + 1
    assert (e.value.line, e.value.column) == (line, column) and "not UTF-8" in str(e.value), str(e.value)
