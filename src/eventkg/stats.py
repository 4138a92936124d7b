"""What the store holds: triples, records, classes and properties in use."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from .results import short
from .store.base import Rows, Store

CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {} }} GROUP BY ?class ORDER BY DESC(?n) ?class"
PROPERTIES = ("SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {} }} }} "
              "GROUP BY ?p ORDER BY DESC(?n) ?p")
DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {} }} }}"


def _in_records(hidden: list[str], pattern: str) -> str:
    """``pattern`` over the records: the union of the named graphs, without the ``hidden`` ones, which are no
    records (a remote store's staging copies, which the union default graph holds too)."""
    if not hidden:
        return pattern
    return f"GRAPH ?g {{ {pattern} }} FILTER (?g NOT IN ({', '.join(URIRef(g).n3() for g in hidden)}))"


def distinct_triples(store: Store, hidden: list[str] | None = None) -> int:
    """The triples of the union of the records, a set: a triple two records state counts once (the store's
    own count is of its quads). ``hidden``: the store's ``hidden_graphs()``, where the caller has them."""
    res = store.query(DISTINCT.format(_in_records(store.hidden_graphs() if hidden is None else hidden, "?s ?p ?o")))
    assert isinstance(res, Rows)
    return int(str(res.rows[0][0]))


def collect(store: Store) -> dict[str, Any]:
    """A summary of the store, as plain data."""
    hidden = store.hidden_graphs()   # one request to a remote store, not one per count
    classes = store.query(CLASSES.format(_in_records(hidden, "?s a ?class")))
    props = store.query(PROPERTIES.format(_in_records(hidden, "?s ?p ?o")))   # each triple once, as the total
    assert isinstance(classes, Rows) and isinstance(props, Rows)
    return {
        "store": store.info.location,
        "triples": store.count(),   # every record's triples, summed: a triple two records state counts twice
        "distinct_triples": distinct_triples(store, hidden),
        "records": [{"iri": g, "triples": store.count(g)} for g in store.records()],
        "classes": [{"class": short(c), "iri": str(c), "instances": int(str(n))} for c, n in classes.rows],
        "properties": [{"property": short(pp), "iri": str(pp), "triples": int(str(n))} for pp, n in props.rows],
    }


__all__ = ["collect", "distinct_triples"]
