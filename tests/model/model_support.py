"""Paths and helpers shared by the model tests (a module name of its own, so that it cannot clash with
another conftest)."""

from __future__ import annotations

import re
from pathlib import Path

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
