"""Fixtures for the model tests: the source text, the ontology, the shapes and the records, parsed once.

These tests use rdflib, pySHACL, owlrl and pyoxigraph directly; they do not import the eventkg package.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import rdflib.plugins.sparql.processor as sparql_processor
from rdflib import Graph

from model_support import ONTOLOGY, RECORDS, SHAPES, SOURCE_TEXT_FILE, WORKSHOP_RECORD, copy_graph

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
