"""The benchmark's synthetic records (bench/generate.py): seeded, deterministic, loadable, and conforming to
the shapes like the real records. The benchmarks themselves run with `make bench`, not here."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from eventkg.formats import rdf_format
from eventkg.load import records_from_bytes
from eventkg.records import rebuild
from eventkg.store import EmbeddedStore
from eventkg.validate import Validator

ROOT = Path(__file__).resolve().parents[1]
OA = "http://www.w3.org/ns/oa#"


@pytest.fixture(scope="module")
def gen():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes_other_seed_other_data(gen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = gen.generate(3000, tmp_path / "a", seed=1, batch=3)
    gen.generate(3000, tmp_path / "b", seed=1, batch=3)
    gen.generate(3000, tmp_path / "c", seed=2, batch=3)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert (tmp_path / "a" / "data.trig").read_bytes() != (tmp_path / "c" / "data.trig").read_bytes()
    assert 2500 < a["triples"] < 3500 and a["records"] >= 2
    assert len(list((tmp_path / "a" / "batch").glob("*.ttl"))) == 3
    # TriG and N-Quads hold the same quads
    trig = {str(q) for q in ox.parse(path=str(tmp_path / "a" / "data.trig"))}
    nq = {str(q) for q in ox.parse(path=str(tmp_path / "a" / "data.nq"))}
    assert trig == nq


def test_records_load_one_named_graph_each(gen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = gen.generate(3000, tmp_path / "d", seed=0, batch=2, defects=())
    store = EmbeddedStore(tmp_path / "store")
    rebuild(store, [tmp_path / "d" / "data.trig"], ontology=ROOT / "ontology" / "ontology.ttl")
    records = store.records()
    assert len(records) == s["records"] + 1  # and the ontology
    assert all(r.startswith("https://w3id.org/eventkg/") for r in records)
    for r in records[:-1] if records[-1].endswith("/ontology") else records:
        if r.endswith("/ontology"):
            continue
        ask = store.query(f"ASK {{ GRAPH <{r}> {{ <{r}> a <https://w3id.org/eventkg/ontology#Record> }} }}")
        assert ask, r
    store.close()


def test_evidence_positions_select_the_quotes(gen) -> None:  # type: ignore[no-untyped-def]
    g = gen.Generator(0, 40)
    for i in range(5):
        rec, text = g.record(i)
        values: dict[tuple[str, str], str] = {}
        for t in ox.parse(gen.turtle(rec).encode(), format=ox.RdfFormat.TURTLE):
            values[(t.subject.value, t.predicate.value)] = t.object.value
        positions = [s for (s, p) in values if p == OA + "start"]
        assert positions
        for node in positions:
            start, end = int(values[(node, OA + "start")]), int(values[(node, OA + "end")])
            assert text[start:end] == values[(node.replace("/position", "/quote"), OA + "exact")]


def test_records_conform_and_defects_are_found(gen) -> None:  # type: ignore[no-untyped-def]
    """A small store of synthetic records conforms; a new record validated in its context conforms, and one
    given a defect on purpose does not."""
    validator = Validator.from_files(ROOT / "ontology" / "shapes.ttl", ROOT / "ontology" / "ontology.ttl")
    g = gen.Generator(0, 6)
    store = EmbeddedStore(None)
    recs = [g.ref.record, g.record(0)[0], g.record(1)[0]]
    parsed = [r for rec in recs for r in records_from_bytes(gen.turtle(rec).encode(), rdf_format("turtle"),
                                                             f"{rec.slug}.ttl")]
    report = validator.validate(parsed)
    assert report.conforms, report.text()
    store.put_records(parsed)
    good = records_from_bytes(gen.turtle(g.record(2)[0]).encode(), rdf_format("turtle"), "good.ttl")
    assert validator.validate(good, store).conforms
    bad = records_from_bytes(gen.turtle(g.record(3, "organizer-is-a-person")[0]).encode(), rdf_format("turtle"),
                             "bad.ttl")
    report = validator.validate(bad, store)
    assert not report.conforms
    assert any(r.path == "schema:organizer" for r in report.violations), report.text()
