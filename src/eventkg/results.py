"""Query results -> bytes: the SPARQL results formats (JSON, XML, CSV, TSV), a text table for people,
and any RDF format for CONSTRUCT/DESCRIBE results."""

from __future__ import annotations

import io
import re
import shutil

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from .formats import ResultsFormat, rdf_format, results_format
from .namespaces import PREFIXES
from .store.base import Boolean, QueryResult, Rows, Triples


def _rdflib_result(res: Rows | Boolean) -> Result:
    if isinstance(res, Boolean):
        r = Result("ASK")
        r.askAnswer = res.value
        return r
    r = Result("SELECT")
    r.vars = [Variable(v) for v in res.variables]
    r.bindings = [{Variable(k): v for k, v in zip(res.variables, row) if v is not None}  # type: ignore[misc]
                  for row in res.rows]
    return r


def _tsv_term(t: Node | None) -> str:
    if t is None:
        return ""
    s = t.n3()
    return s.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_rows(res: Rows | Boolean, fmt: ResultsFormat | str) -> bytes:
    """A SELECT or ASK result in a SPARQL results format."""
    f = results_format(fmt) if isinstance(fmt, str) else fmt
    if f.name == "tsv":
        if isinstance(res, Boolean):
            return b"true\n" if res.value else b"false\n"
        lines = ["\t".join(f"?{v}" for v in res.variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in res.rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if f.name == "csv" and isinstance(res, Boolean):
        return b"true\r\n" if res.value else b"false\r\n"
    out = _rdflib_result(res).serialize(format=f.rdflib or f.name)
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


def short(t: Node | None) -> str:
    """A term as a person reads it: prefixed name, plain literal text, ``_:id``."""
    if t is None:
        return ""
    if isinstance(t, URIRef):
        s = str(t)
        best = ""
        for p, ns in PREFIXES.items():
            if s.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")) and re.fullmatch(r"[\w\-./]+", s[len(ns):]):
                best = p
        return f"{best}:{s[len(PREFIXES[best]):]}" if best else s
    if isinstance(t, BNode):
        return f"_:{t}"
    assert isinstance(t, Literal)
    return str(t)


def table(res: Rows | Boolean, width: int | None = None) -> str:
    """A plain-text table of a SELECT result (or the answer of an ASK)."""
    if isinstance(res, Boolean):
        return "yes" if res.value else "no"
    width = width or shutil.get_terminal_size((120, 20)).columns
    cells = [[short(t).replace("\n", " ") for t in row] for row in res.rows]
    heads = list(res.variables)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]
    room = max(width - 3 * (len(heads) - 1), 8 * len(heads))
    if sum(widths) > room:
        # One cap for the wide columns, as high as fits: short columns (dates, numbers) stay whole.
        cap = max(8, max(c for c in range(8, max(widths) + 1) if sum(min(w, c) for w in widths) <= room)
                  if sum(min(w, 8) for w in widths) <= room else 8)
        if cap < 20:
            return _vertical(heads, cells, res.truncated, width)
        widths = [min(w, cap) for w in widths]

    def fit(s: str, w: int) -> str:
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = [" | ".join(fit(h, w).ljust(w) for h, w in zip(heads, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(fit(c, w).ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    n = len(res.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''}{', truncated' if res.truncated else ''})")
    return "\n".join(lines)


def _vertical(heads: list[str], cells: list[list[str]], truncated: bool, width: int) -> str:
    """Rows too wide for the terminal, one ``name | value`` line per column (as psql's expanded display)."""
    w = max(len(h) for h in heads)
    out = []
    for n, row in enumerate(cells, 1):
        out.append(f"-[ row {n} ]" + "-" * max(0, min(width, 60) - 11 - len(str(n))))
        out += [f"{h.ljust(w)} | {c}".rstrip() for h, c in zip(heads, row)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''}{', truncated' if truncated else ''})")
    return "\n".join(out)


def serialize(res: QueryResult, fmt: str) -> bytes:
    """Any result in a format named by short name or media type: results formats for SELECT/ASK,
    RDF formats for CONSTRUCT/DESCRIBE. Raises UnknownFormatError."""
    if isinstance(res, Triples):
        from .export import serialize_graph

        return serialize_graph(res.graph, rdf_format(fmt))
    if fmt == "table":
        return (table(res) + "\n").encode("utf-8")
    return serialize_rows(res, fmt)


__all__ = ["serialize", "serialize_rows", "table", "short"]
