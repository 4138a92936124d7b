"""A query worker: a child process that opens the on-disk store read-only and answers queries sent over
its standard input, so that the server can stop a query that runs past its time limit by killing the
process (Oxigraph cannot be interrupted in-process).

Frames on both pipes are a 4-byte big-endian length and a pickle. Requests are dicts (see ``execute``) or
``{"op": "reopen"}``; replies are ``("ok", meta, payload)`` or ``("error", class path, message, fields)``.
The process exits when its standard input closes, or when its parent dies.

Run as ``python -m eventkg.server.worker STORE_PATH [CONTEXT_PATH]``.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import struct
import sys
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from ..errors import EventKGError, QueryError, StoreError
from ..results import FAST_FORMATS, NotFlat, serialize_rows, write_solutions
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
        except NotFlat:
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
