"""What the store holds: triples, records, classes and properties in use."""

from __future__ import annotations

from typing import Any

from .results import short
from .store.base import Rows, Store

CLASSES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
DISTINCT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def distinct_triples(store: Store) -> int:
    """The triples of the union of the records, a set: a triple two records state counts once (the store's
    own count is of its quads)."""
    res = store.query(DISTINCT)
    assert isinstance(res, Rows)
    return int(str(res.rows[0][0]))


def collect(store: Store) -> dict[str, Any]:
    """A summary of the store, as plain data."""
    classes = store.query(CLASSES)
    props = store.query(PROPERTIES)
    assert isinstance(classes, Rows) and isinstance(props, Rows)
    return {
        "store": store.info.location,
        "triples": store.count(),   # every record's triples, summed: a triple two records state counts twice
        "distinct_triples": distinct_triples(store),
        "records": [{"iri": g, "triples": store.count(g)} for g in store.records()],
        "classes": [{"class": short(c), "iri": str(c), "instances": int(str(n))} for c, n in classes.rows],
        "properties": [{"property": short(pp), "iri": str(pp), "triples": int(str(n))} for pp, n in props.rows],
    }


__all__ = ["collect", "distinct_triples"]
