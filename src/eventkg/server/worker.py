"""A query worker: a child process that opens the on-disk store read-only and answers queries sent over
its standard input, so that the server can stop a query that runs past its time limit by killing the
process (Oxigraph cannot be interrupted in-process).

Frames on both pipes are a 4-byte big-endian length and a pickle. Requests are dicts (see ``execute``) or
``{"op": "reopen"}``; replies are ``("ok", meta, payload)`` or ``("error", class path, message, fields)``.
The process exits when its standard input closes, or when its parent dies.

Run as ``python -m eventkg.server.worker STORE_PATH [CONTEXT_PATH]``.
"""

from __future__ import annotations

import csv
import gc
import importlib
import io
import json
import os
import pickle
import struct
import sys
from json.encoder import encode_basestring as _enc  # a JSON string, non-ASCII kept
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import pyoxigraph as ox

from ..errors import EventKGError, QueryError, StoreError
from ..store.base import Boolean, QueryResult, Rows, Store, Triples
from ..store.oxigraph import evaluation_error

HEADER = struct.Struct(">I")


def write_frame(out: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def read_frame(inp: BinaryIO) -> Any:
    head = inp.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    (n,) = HEADER.unpack(head)
    data = inp.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)


def encode_error(e: BaseException) -> tuple[str, str, str, dict[str, Any]]:
    if not isinstance(e, EventKGError):
        e = StoreError(f"query worker: {type(e).__name__}: {e}")
    fields = {k: v for k, v in e.__dict__.items() if k != "report"}
    return ("error", f"{type(e).__module__}:{type(e).__qualname__}", e.message, fields)


def decode_error(reply: tuple[str, str, str, dict[str, Any]]) -> EventKGError:
    """The exception a worker reported, rebuilt with its fields (not by calling its constructor)."""
    _, path, message, fields = reply
    mod, _, name = path.partition(":")
    try:
        cls = getattr(importlib.import_module(mod), name)
        assert issubclass(cls, EventKGError)
    except (ImportError, AttributeError, AssertionError):
        cls = StoreError
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(fields)
    err.message = message
    return err


def result_meta(res: QueryResult) -> dict[str, Any]:
    if isinstance(res, Rows):
        return {"kind": "select", "truncated": res.truncated, "count": len(res.rows)}
    if isinstance(res, Triples):
        return {"kind": "construct", "truncated": res.truncated, "count": len(res.graph)}
    assert isinstance(res, Boolean)
    return {"kind": "ask", "truncated": False, "count": 1}


# -- SELECT and ASK written straight from Oxigraph's terms (no conversion to rdflib: the fast path) ------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
FAST_FORMATS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")


class _NotFlat(Exception):
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
    raise _NotFlat


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
    raise _NotFlat


def _csv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value  # type: ignore[no-any-return]
    raise _NotFlat


def _tsv_term(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return str(t)
    raise _NotFlat


def write_solutions(res: Any, fmt: str, limit: int | None) -> tuple[dict[str, Any], bytes]:
    """A SELECT or ASK answer of Oxigraph in a SPARQL results format, at most ``limit`` rows.
    Raises _NotFlat for a term only the general path writes."""
    if isinstance(res, ox.QueryBoolean):
        value = bool(res)
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


def execute(store: Store, job: dict[str, Any], context: dict[str, Any] | None) -> tuple[dict[str, Any], Any]:
    """Run one query job on ``store``: ``sparql``, ``bindings``, ``default_graphs``, ``named_graphs``, ``limit``
    and what to answer with: the result object itself (``formats`` empty), or bytes in the first format of
    ``formats`` that fits the result's kind (``{"select": media type, "ask": ..., "construct": ...}``).
    Raises EventKGError."""
    formats: dict[str, str] = job.get("formats") or {}
    native = getattr(store, "native_query", None)
    if native is not None and formats.get("select") in FAST_FORMATS and formats.get("ask") in FAST_FORMATS:
        try:
            raw = native(job["sparql"], bindings=job.get("bindings"), default_graphs=job.get("default_graphs"),
                         named_graphs=job.get("named_graphs"))
            if isinstance(raw, (ox.QuerySolutions, ox.QueryBoolean)):
                kind = "select" if isinstance(raw, ox.QuerySolutions) else "ask"
                return write_solutions(raw, formats[kind], job.get("limit"))
        except _NotFlat:
            pass
        except (OSError, RuntimeError, ValueError) as e:
            raise evaluation_error(e, job["sparql"]) from e
    res = store.query(job["sparql"], bindings=job.get("bindings"), default_graphs=job.get("default_graphs"),
                      named_graphs=job.get("named_graphs"), limit=job.get("limit"))
    meta = result_meta(res)
    fmt = formats.get(meta["kind"])
    if fmt is None or fmt == "text/html":
        return meta, res
    meta["format"] = fmt
    if isinstance(res, Triples):
        from ..export import serialize_graph
        from ..formats import rdf_format

        return meta, serialize_graph(res.graph, rdf_format(fmt), context=context)
    from ..results import serialize_rows

    return meta, serialize_rows(res, fmt)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent goes (a killed server leaves no query running)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def main(argv: list[str]) -> int:
    _die_with_parent()
    try:
        return _serve(argv)
    except (BrokenPipeError, EOFError):  # the server went away
        return 0


def _serve(argv: list[str]) -> int:
    from ..load import read_context
    from ..store.oxigraph import EmbeddedStore

    # Frames go to the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    path = argv[0]
    context = None
    if len(argv) > 1 and argv[1] and Path(argv[1]).is_file():
        try:
            context = read_context(Path(argv[1]))
        except EventKGError:
            context = None
    try:
        store = EmbeddedStore.read_only(path)
    except EventKGError as e:
        write_frame(out, encode_error(e))
        return 2
    write_frame(out, ("ready", os.getpid()))
    while True:
        try:
            job = read_frame(inp)
        except EOFError:
            return 0
        try:
            if job.get("op") == "reopen":
                # a read-only store cannot be flushed (close() would try): just let it go
                del store
                gc.collect()
                store = EmbeddedStore.read_only(path)
                write_frame(out, ("ok", {}, None))
                continue
            meta, payload = execute(store, job, context)
            write_frame(out, ("ok", meta, payload))
        except BaseException as e:  # noqa: BLE001 - every failure goes back to the server as an answer
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
            write_frame(out, encode_error(e))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
