"""Conversions between Oxigraph's terms and rdflib's, the neutral types eventkg hands out."""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import XSD

_XSD_STRING = str(XSD.string)
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class _IllTypedLiteralNoise(logging.Filter):
    """rdflib logs a warning with a traceback (17 lines) for each literal whose text is not of its datatype
    (``"2018-06-31"^^xsd:date``). eventkg reports such a value itself, as a validation result naming its file,
    line, node and property, so that warning is dropped; rdflib's other messages pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form to value")


logging.getLogger("rdflib.term").addFilter(_IllTypedLiteralNoise())


def to_rdflib(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple | None) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        # the literal as the store holds it: rdflib would otherwise rewrite its text ("1"^^xsd:double as
        # "1.0", "...T10:00:00Z" as "...+00:00"), another RDF term than the one stored
        return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt), normalize=False)
    raise TypeError(f"cannot convert {t!r}")


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[object, Any] = {}

    def conv(t: object) -> Any:
        if t is None:
            return None
        try:
            return seen[t]
        except KeyError:
            out = seen[t] = convert(t)
            return out

    return conv


def memo_to_rdflib() -> Callable[[object], Node | None]:
    """``to_rdflib`` remembering what it converted, for one result: a result repeats its terms (a report of
    15k rows at 1M triples holds 16k distinct terms in 75k cells), and building rdflib terms is the slow part
    of handing rows out (0.32 s -> 0.09 s for that report)."""
    return _memo(to_rdflib)


def memo_to_oxigraph() -> Callable[[Node | None], ox.NamedNode | ox.BlankNode | ox.Literal | None]:
    """``to_oxigraph`` remembering what it converted, for one result (as ``memo_to_rdflib``)."""
    return _memo(to_oxigraph)


def to_oxigraph(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype is not None and str(t.datatype) != _RDF_LANG:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(f"cannot convert {t!r}")


def graph_from_triples(triples: Iterable[ox.Triple | ox.Quad], identifier: str | None = None) -> Graph:
    g = Graph(identifier=URIRef(identifier) if identifier else None)
    add, conv = g.add, memo_to_rdflib()
    for t in triples:
        add((conv(t.subject), conv(t.predicate), conv(t.object)))  # type: ignore[arg-type]
    return g


def triples_from_graph(g: Graph) -> list[ox.Triple]:
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in g]  # type: ignore[arg-type]


def n3(t: Node | None) -> str:
    """A term in N-Triples / SPARQL syntax (safe to put in a VALUES block)."""
    if t is None:
        return "UNDEF"
    return t.n3()


__all__ = ["to_rdflib", "memo_to_rdflib", "to_oxigraph", "memo_to_oxigraph", "graph_from_triples", "triples_from_graph", "n3"]
