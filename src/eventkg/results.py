"""Query results -> bytes: the SPARQL results formats (JSON, XML, CSV, TSV), a text table for people,
and any RDF format for CONSTRUCT/DESCRIBE results."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from json.encoder import encode_basestring as _enc  # a JSON string, non-ASCII kept
from typing import Any, Iterator
from xml.sax.saxutils import escape as _escape

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .formats import ResultsFormat, rdf_format, results_format
from .namespaces import PREFIXES
from .store.base import Boolean, QueryResult, Rows, Triples
from .terms import memo_to_oxigraph


def serialize_rows(res: Rows | Boolean, fmt: ResultsFormat | str) -> bytes:
    """A SELECT or ASK result in a SPARQL results format."""
    f = results_format(fmt) if isinstance(fmt, str) else fmt
    return write_solutions(res, f.media_type, None)[1]


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


# -- The SPARQL results formats, written from Oxigraph's terms ----------------------------------------------
# One writer for the server's answers (straight from Oxigraph's solutions: no conversion to rdflib) and for
# the CLI's (rows converted back), so both give the same bytes for the same answer.

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FAST_FORMATS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")


class NotFlat(Exception):
    """A term the fast writers do not handle (an RDF-star triple term): use the general path."""


def _json_term(t: Any) -> str:
    """A term as its SPARQL JSON results object, written out (the layout json.dumps gives)."""
    tt = type(t)
    if tt is ox.NamedNode:
        return '{"type": "uri", "value": ' + _enc(t.value) + "}"
    if tt is ox.Literal:
        lang = t.language
        if lang:
            return '{"type": "literal", "value": ' + _enc(t.value) + ', "xml:lang": ' + _enc(lang) + "}"
        dt = t.datatype.value
        if dt == _XSD_STRING:
            return '{"type": "literal", "value": ' + _enc(t.value) + "}"
        return '{"type": "literal", "value": ' + _enc(t.value) + ', "datatype": ' + _enc(dt) + "}"
    if tt is ox.BlankNode:
        return '{"type": "bnode", "value": ' + _enc(t.value) + "}"
    raise NotFlat


class _Solutions:
    """``Rows`` as Oxigraph's solutions: ``variables`` and rows of Oxigraph terms."""

    def __init__(self, rows: Rows) -> None:
        self.variables = [ox.Variable(v) for v in rows.variables]
        conv = memo_to_oxigraph()
        self._rows = [[None if t is None else conv(t) for t in row] for row in rows.rows]

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self._rows)


def escape(text: str) -> str:
    """Text for XML content or an attribute value: a carriage return as a character reference, or an XML
    parser would read it as a line feed (XML 1.0, 2.11)."""
    return _escape(text, _XML_ENTITIES)


_XML_ENTITIES = {"\r": "&#xD;", '"': "&quot;"}


def _xml_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f'<literal xml:lang="{escape(t.language)}">{escape(t.value)}</literal>'
        dt = t.datatype.value
        if dt == _XSD_STRING:
            return f"<literal>{escape(t.value)}</literal>"
        return f'<literal datatype="{escape(dt)}">{escape(t.value)}</literal>'
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    raise NotFlat


def _csv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value  # type: ignore[no-any-return]
    raise NotFlat


def _tsv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return str(t)
    raise NotFlat


def write_solutions(res: Any, fmt: str, limit: int | None) -> tuple[dict[str, Any], bytes]:
    """A SELECT or ASK answer of Oxigraph (or ``Rows``/``Boolean``) in a SPARQL results format (a media
    type of FAST_FORMATS), at most ``limit`` rows. Raises NotFlat for a term only the general path writes."""
    if isinstance(res, Rows):
        res = _Solutions(res)
    if isinstance(res, (ox.QueryBoolean, Boolean)):
        value = res.value if isinstance(res, Boolean) else bool(res)
        meta = {"kind": "ask", "truncated": False, "count": 1, "format": fmt}
        if fmt == "application/sparql-results+json":
            return meta, json.dumps({"head": {}, "boolean": value}).encode()
        if fmt == "application/sparql-results+xml":
            return meta, (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_SRX}"><head/>'
                          f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
        return meta, (b"true" if value else b"false") + (b"\r\n" if fmt == "text/csv" else b"\n")
    names = [v.value for v in res.variables]
    n = len(names)
    truncated = False
    if fmt == "application/sparql-results+json":
        # written as strings straight from the terms (a third faster than dicts through json.dumps, same bytes)
        keys = [_enc(v) + ": " for v in names]
        out: list[str] = []
        for sol in res:
            if limit is not None and len(out) >= limit:
                truncated = True
                break
            parts = []
            for i in range(n):
                t = sol[i]
                if t is not None:
                    parts.append(keys[i] + _json_term(t))
            out.append("{" + ", ".join(parts) + "}")
        meta = {"kind": "select", "truncated": truncated, "count": len(out), "format": fmt}
        return meta, ('{"head": {"vars": [' + ", ".join(map(_enc, names)) + ']}, "results": {"bindings": ['
                      + ", ".join(out) + "]}}").encode("utf-8")
    rows: list[Any] = []
    for sol in res:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append(sol)
    meta = {"kind": "select", "truncated": truncated, "count": len(rows), "format": fmt}
    if fmt == "application/sparql-results+xml":
        out = [f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_SRX}"><head>']
        out += [f'<variable name="{escape(v)}"/>' for v in names]
        out.append("</head><results>")
        for sol in rows:
            out.append("<result>")
            for i in range(n):
                t = sol[i]
                if t is not None:
                    out.append(f'<binding name="{escape(names[i])}">{_xml_term(t)}</binding>')
            out.append("</result>")
        out.append("</results></sparql>\n")
        return meta, "".join(out).encode("utf-8")
    if fmt == "text/csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        for sol in rows:
            w.writerow([_csv_term(sol[i]) for i in range(n)])
        return meta, buf.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in names)]
    lines += ["\t".join(_tsv_term(sol[i]) for i in range(n)) for sol in rows]
    return meta, ("\n".join(lines) + "\n").encode("utf-8")


_SRX = "http://www.w3.org/2005/sparql-results#"


def serialize(res: QueryResult, fmt: str) -> bytes:
    """Any result in a format named by short name or media type: results formats for SELECT/ASK,
    RDF formats for CONSTRUCT/DESCRIBE. Raises UnknownFormatError."""
    if isinstance(res, Triples):
        from .export import serialize_graph

        return serialize_graph(res.graph, rdf_format(fmt))
    if fmt == "table":
        return (table(res) + "\n").encode("utf-8")
    return serialize_rows(res, fmt)


__all__ = ["serialize", "serialize_rows", "write_solutions", "FAST_FORMATS", "NotFlat", "table", "short"]
