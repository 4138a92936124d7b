"""Every quote is where its positions say, in a text that is the source file byte for byte, and every
sentence of the source supports at least one fact."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
import rdflib.namespace as ns

from model_support import DOC, SOURCE_TEXT_FILE, sentences
from model_support import (  # noqa: F401  (the fixtures these tests use, and what they depend on)
    _reuse_parsed_sparql, ontology, record_files, records, shapes, source_text, union, workshop,
)

EKG = "https://w3id.org/eventkg/ontology#"
OA = "http://www.w3.org/ns/oa#"


def evidence_spans(g, doc=DOC):
    """(evidence, exact, start, end, prefix, suffix) for every evidence node citing ``doc``."""
    out = []
    for ev in g.subjects(URIRef(OA + "hasSource"), doc):
        exact = start = end = prefix = suffix = None
        for sel in g.objects(ev, URIRef(OA + "hasSelector")):
            if (sel, RDF.type, URIRef(OA + "TextQuoteSelector")) in g:
                exact = g.value(sel, URIRef(OA + "exact"))
                prefix = g.value(sel, URIRef(OA + "prefix"))
                suffix = g.value(sel, URIRef(OA + "suffix"))
            if (sel, RDF.type, URIRef(OA + "TextPositionSelector")) in g:
                start, end = g.value(sel, URIRef(OA + "start")), g.value(sel, URIRef(OA + "end"))
        out.append((ev, exact, start, end, prefix, suffix))
    return out


def test_full_text_is_the_source_file_byte_for_byte(workshop):
    text = workshop.value(DOC, URIRef(EKG + "fullText"))
    assert isinstance(text, Literal) and text.datatype in (None, ns.XSD.string) and text.language is None
    assert str(text).encode("utf-8") == SOURCE_TEXT_FILE.read_bytes()


def test_every_quote_is_at_its_positions(workshop, source_text):
    spans = evidence_spans(workshop)
    assert len(spans) > 50
    for ev, exact, start, end, prefix, suffix in spans:
        assert exact is not None and start is not None and end is not None, ev
        assert start.datatype == ns.XSD.integer and end.datatype == ns.XSD.integer
        s, e = int(start), int(end)
        assert source_text[s:e] == str(exact), f"{ev}: text[{s}:{e}] != {exact!r}"
        assert exact.language is None and exact.datatype in (None, ns.XSD.string)
        if prefix is not None:
            assert source_text[:s].endswith(str(prefix)), f"{ev}: prefix does not precede the quote"
        if suffix is not None:
            assert source_text[e:].startswith(str(suffix)), f"{ev}: suffix does not follow the quote"
        assert str(ev).endswith(f"/{s}-{e}"), "evidence ids name their span"


def test_evidence_nodes_that_are_used_exist_and_all_evidence_is_used(workshop):
    ekg_evidence = URIRef(EKG + "evidence")
    used = set(workshop.objects(None, ekg_evidence))
    declared = set(workshop.subjects(RDF.type, URIRef(EKG + "Evidence")))
    assert used == declared


def _cited_spans(g):
    """Spans of evidence that some fact (assertion, participation, statement, interpretation) cites."""
    spans = {ev: (int(s), int(e)) for ev, _, s, e, _, _ in evidence_spans(g)}
    return [spans[ev] for ev in set(g.objects(None, URIRef(EKG + "evidence")))]


def test_every_sentence_supports_a_fact(workshop, source_text):
    cited = _cited_spans(workshop)
    found = sentences(source_text)
    assert len(found) == 10
    for start, end in found:
        assert any(s < end and e > start for s, e in cited), f"no fact cites: {source_text[start:end]!r}"


def test_most_of_the_text_is_cited(workshop, source_text):
    """Every sentence is used, and nearly every character: what no quote covers is only connective
    wording and punctuation."""
    covered = [False] * len(source_text)
    for s, e in _cited_spans(workshop):
        covered[s:e] = [True] * (e - s)
    uncovered = "".join(c if not cov else " " for c, cov in zip(source_text, covered)).split()
    letters = sum(len(w) for w in uncovered)
    assert letters / len(source_text.replace(" ", "")) < 0.05, uncovered


def test_reported_content_is_the_documents_words(workshop, source_text):
    contents = list(workshop.objects(None, URIRef(EKG + "reportedContent")))
    assert len(contents) == 10
    for c in contents:
        assert str(c) in source_text


@pytest.mark.parametrize("quote", [
    "HANOI, 26 June 2018",
    "21-22 June",
    "organised by AICHR-Viet Nam",
])
def test_key_passages_are_cited(workshop, source_text, quote):
    start = source_text.index(quote)
    cited = _cited_spans(workshop)
    assert any(s <= start and e >= start + len(quote) for s, e in cited), quote
