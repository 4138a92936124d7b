"""Binding parameters as a VALUES block at the start of the WHERE group, on every store: a SPARQL 1.1 service
has no other way to take them, and Oxigraph plans its joins from a VALUES block but not from its own
``substitutions=`` (which also refuse a variable the query does not project)."""

from __future__ import annotations

import re
from typing import Iterator, Mapping

from rdflib.term import Node

from .. import terms
from ..errors import QueryError
from .base import query_form


_IRI_AT = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def _skip_spans(text: str) -> Iterator[tuple[int, str]]:
    """(index, char) of the characters of ``text`` outside comments, string literals and IRIs."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            if text.startswith(c * 3, i):
                j = i + 3
                while j < n and not text.startswith(c * 3, j):
                    j += 2 if text[j] == "\\" else 1
                i = j + 3
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "<":
            m = _IRI_AT.match(text, i)
            if m:
                i = m.end()
                continue
        yield i, c
        i += 1


def _close_of(text: str, open_at: int) -> int:
    depth = 0
    for i, c in _skip_spans(text):
        if i < open_at:
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("unbalanced braces")


def with_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``bindings`` as a VALUES block opening its WHERE group, so each variable is bound
    before anything else is evaluated. Terms are written by rdflib (``n3()``), never pasted as text; a
    variable the query does not mention is left out. Raises QueryError for a term that cannot be written."""
    used = {k: v for k, v in bindings.items() if re.search(r"[?$]" + re.escape(k) + r"(?![\w\u00b7])", sparql)}
    if not used:
        return sparql
    try:
        row = " ".join(terms.n3(v) for v in used.values())
    except Exception as e:  # rdflib refuses IRIs it cannot write safely
        raise QueryError(f"cannot bind a parameter: {e}") from e
    block = f" VALUES ({' '.join('?' + k for k in used)}) {{ ({row}) }} "
    form = query_form(sparql)
    braces = [i for i, c in _skip_spans(sparql) if c == "{"]
    if not braces:
        if form == "describe":
            return sparql.rstrip() + f"\nWHERE {{{block}}}"
        raise QueryError("the query has no WHERE group to bind parameters in")
    first = braces[0]
    if form == "construct":
        m = re.search(r"\bCONSTRUCT\b", sparql, re.IGNORECASE)
        between = sparql[m.end():first] if m else ""
        if re.search(r"\bWHERE\b", between, re.IGNORECASE):
            # CONSTRUCT WHERE { T }: the short form cannot hold VALUES; write it out in full.
            end = _close_of(sparql, first)
            pattern = sparql[first + 1:end]
            return (sparql[:m.start()] + "CONSTRUCT {" + pattern + "} WHERE {" + block + pattern + "}"  # type: ignore[union-attr]
                    + sparql[end + 1:])
        end = _close_of(sparql, first)
        later = [b for b in braces if b > end]
        if not later:
            raise QueryError("the query has no WHERE group to bind parameters in")
        first = later[0]
    return sparql[:first + 1] + block + sparql[first + 1:]


__all__ = ["with_values"]
