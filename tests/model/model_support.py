"""Paths, helpers and fixtures shared by the model tests.

Kept out of a conftest.py on purpose: the suites beside this one import their own ``conftest`` by name,
and a second module of that name would shadow theirs. Test modules import the fixtures they use from
here. These tests use rdflib, pySHACL, owlrl and pyoxigraph directly, not the eventkg package."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import rdflib.plugins.sparql.processor as sparql_processor
from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "ontology.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
RECORDS = ROOT / "data" / "records"
SOURCES = ROOT / "data" / "sources"
QUERIES = ROOT / "queries"
HERE = Path(__file__).resolve().parent
WORKSHOP_RECORD = RECORDS / "aichr-tip-workshop-2018.ttl"
SOURCE_TEXT_FILE = SOURCES / "aichr-tip-workshop-2018-06-26.txt"
DOC = URIRef("https://w3id.org/eventkg/id/document/aichr-tip-workshop-2018-06-26")
EVENT = URIRef("https://w3id.org/eventkg/id/event/aichr-tip-workshop-2018")
ONTOLOGY_IRI = URIRef("https://w3id.org/eventkg/ontology")



def copy_graph(*graphs: Graph) -> Graph:
    g = Graph()
    for src in graphs:
        for t in src:
            g.add(t)
    return g


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after '.', '!' or '?' + space, except after abbreviations
    like 'U.S.' (a capital letter and a dot before the break)."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?](?=\s+|$)", text):
        if re.search(r"(?:^|[\s.])[A-Z]\.[A-Z]?$", text[max(0, m.start() - 3):m.start() + 1]) and m.end() < len(text):
            continue
        end = m.end()
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        if chunk.strip():
            spans.append((start + lead, end))
        start = end
    if text[start:].strip():
        spans.append((start + len(text[start:]) - len(text[start:].lstrip()), len(text)))
    return spans


# rdflib logs a traceback for each ill-typed literal the invalid cases contain on purpose.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
_PARSED: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _reuse_parsed_sparql():
    """Parse each SPARQL text once.

    pySHACL re-parses a SPARQL-based constraint for every focus node, and rdflib's parser costs tens of
    milliseconds a time; caching the parsed algebra (which rdflib's own prepareQuery reuses the same way)
    keeps the several hundred validations of this suite fast. Semantics are unchanged, and the patch is
    undone after each module, so tests elsewhere see rdflib as it is.
    """
    original = sparql_processor.SPARQLProcessor.query
    cache = _PARSED

    def query(self, strOrQuery, initBindings={}, initNs=None, base=None, DEBUG=False):  # noqa: B006, N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in cache:
                cache[key] = sparql_processor.translateQuery(sparql_processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    sparql_processor.SPARQLProcessor.query = query
    yield
    sparql_processor.SPARQLProcessor.query = original


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE_TEXT_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="session")
def record_files() -> list[Path]:
    return sorted(RECORDS.glob("*.ttl"))


@pytest.fixture(scope="session")
def records(record_files) -> dict[str, Graph]:
    return {p.name: Graph().parse(p, format="turtle") for p in record_files}


@pytest.fixture(scope="session")
def workshop(records) -> Graph:
    return records[WORKSHOP_RECORD.name]


@pytest.fixture(scope="session")
def union(ontology, records) -> Graph:
    """Ontology plus every record, as one plain rdflib graph (how the shapes are run)."""
    return copy_graph(ontology, *records.values())
