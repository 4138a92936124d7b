"""Bulk-loading one big file into an Oxigraph store on every core.

Oxigraph's ``bulk_load`` parses a file into batches of a million quads and writes each batch from one
thread, so a file of a million quads or fewer is parsed, then written, on one core, holding the whole
batch in memory. Measured here (2 cores, 1M triples in named graphs, docs/benchmarks.md): one call takes
about twice as long, and twice the memory, as the same file cut into pieces of a few megabytes loaded by
two threads (pyoxigraph releases the GIL while loading, and Oxigraph's bulk loader is built for several
writers at once).

A piece ends where a statement does: at a newline for N-Triples and N-Quads, after a line ``}`` for TriG
and after ``␠.`` at the end of a line for Turtle. The prefix and base directives met before a piece are
repeated at its top. That holds only where no statement spans lines inside a literal and no blank node is
named, so a file is cut only if it holds no long string (three quotes in a row, double or single: a line
inside one may look like a statement's end or a directive) and no blank node label (``_:``: each call
names its blank nodes apart, so a label used in two pieces would become two nodes). Other files, and a
file whose piece fails to parse (a real syntax error), are loaded in one call, which reports the error
with its true line; what the pieces loaded is cleared first.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import pyoxigraph as ox

from ..formats import RdfFormat

PARALLEL_BYTES = 16 << 20  # smaller files are loaded in one call
# Piece sizes that loaded fastest here: about 100k quads, whatever the syntax.
PIECE_BYTES = {"nt": 16 << 20, "nq": 16 << 20, "turtle": 4 << 20, "trig": 4 << 20}
_CUT = {"nt": b"\n", "nq": b"\n", "turtle": b" .\n", "trig": b"\n}\n"}
_WINDOW = 1 << 20
_DIRECTIVE = re.compile(
    rb"(?m)^[ \t]*(?:@prefix[ \t]+[^\s:<>]*:[ \t]*<[^>\n]*>[ \t]*\.|@base[ \t]+<[^>\n]*>[ \t]*\."
    rb"|(?i:prefix)[ \t]+[^\s:<>]*:[ \t]*<[^>\n]*>|(?i:base)[ \t]+<[^>\n]*>)")


def pieces(path: str, fmt: str, size: int) -> list[tuple[int, int]]:
    """Byte ranges of ``path`` that each end where a statement ends (see the module doc)."""
    step, cut = PIECE_BYTES[fmt], _CUT[fmt]
    bounds = [0]
    with open(path, "rb") as f:
        pos = step
        while pos < size:
            f.seek(pos)
            i = f.read(_WINDOW).find(cut)
            if i < 0:
                pos += _WINDOW
                continue
            end = pos + i + len(cut)
            if end >= size:
                break
            bounds.append(end)
            pos = end + step
    bounds.append(size)
    return list(zip(bounds, bounds[1:]))


def directives(path: str) -> list[tuple[int, bytes]]:
    """The prefix and base directives of a Turtle or TriG file, with their offsets, read line by line."""
    found: list[tuple[int, bytes]] = []
    base = 0
    carry = b""
    with open(path, "rb") as f:
        while True:
            block = f.read(8 << 20)
            data = carry + block
            end = len(data) if not block else data.rfind(b"\n") + 1
            for m in _DIRECTIVE.finditer(data, 0, end):
                found.append((base + m.start(), m.group() + b"\n"))
            if not block:
                return found
            carry = data[end:]
            base += end


BOM = codecs.BOM_UTF8
_UNCUTTABLE = (b'"' * 3, b"'" * 3, b"_:")


def cuttable(path: str) -> bool:
    """Whether the file holds none of what a cut could break (see the module doc): a plain scan for the
    bytes (0.1 s for 50 MB), so a match inside a literal or an IRI only costs the file its pieces."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return all(data.find(m) < 0 for m in _UNCUTTABLE)


def _load_whole(store: ox.Store, path: str, fmt: RdfFormat, graph: ox.NamedNode | None, bom: bool) -> None:
    assert fmt.oxigraph is not None
    if bom:
        with open(path, "rb") as f:
            store.bulk_load(f.read()[len(BOM):], format=fmt.oxigraph, to_graph=graph)
    else:
        store.bulk_load(path=path, format=fmt.oxigraph, to_graph=graph)


def bulk_load_file(store: ox.Store, path: str, fmt: RdfFormat, graph: ox.NamedNode | None,
                   progress: Callable[[int], None] | None = None, workers: int | None = None) -> None:
    """Load one file into ``store`` with ``bulk_load``, in pieces on every core when it is big.
    Raises what ``bulk_load`` raises (SyntaxError with the file's own line, OSError, ValueError)."""
    assert fmt.oxigraph is not None
    size = os.path.getsize(path)
    workers = workers or min(os.cpu_count() or 1, 4)
    with open(path, "rb") as f:
        bom = f.read(len(BOM)) == BOM   # a UTF-8 byte order mark, which some editors write: passed over
    big = size >= PARALLEL_BYTES and fmt.name in _CUT and workers > 1
    parts = pieces(path, fmt.name, size) if big and cuttable(path) else []
    if len(parts) < 2:
        _load_whole(store, path, fmt, graph, bom)
        if progress:
            progress(size)
        return
    if bom:
        parts[0] = (len(BOM), parts[0][1])
    heads = directives(path) if fmt.name in ("turtle", "trig") else []
    before = set(store.named_graphs())

    def load(part: tuple[int, int]) -> int:
        start, end = part
        head = b"".join(d for at, d in heads if at < start)
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(end - start)
        store.bulk_load(head + data if head else data, format=fmt.oxigraph, to_graph=graph)
        return end - start

    failed = False
    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(load, p) for p in parts]
        for fut in futures:
            try:
                done = fut.result()
            except (SyntaxError, ValueError, OSError):
                failed = True
                for other in futures:
                    other.cancel()
                break
            if progress:
                progress(done)
    if failed:   # what the other pieces loaded goes, and the file is read in one call
        for g in set(store.named_graphs()) - before:
            store.remove_graph(g)
        store.clear_graph(graph if graph is not None else ox.DefaultGraph())
        _load_whole(store, path, fmt, graph, bom)


__all__ = ["bulk_load_file", "pieces", "directives", "cuttable", "PARALLEL_BYTES"]
