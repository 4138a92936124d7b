"""The graph, or one record, -> bytes in every RDF format; the same graph always gives the same bytes.

Oxigraph writes N-Triples/N-Quads fast; we turn its lines into tidy Turtle and TriG ourselves (prefixed
names, subjects grouped, ``a`` first), because rdflib's Turtle writer is quadratic on IRIs like ours and
Oxigraph's escapes slashes in prefixed names. JSON-LD is compacted with our context, a record nested into
one object; RDF/XML is written by Oxigraph from sorted triples.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph

from . import terms
from .formats import RdfFormat, rdf_format, written
from .namespaces import BASE_IRI, PREFIXES, XSD
from .store.base import Store

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*")
_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
SORT_LIMIT = 300_000   # above this many lines, keep Oxigraph's index order (grouped, and as deterministic)


class _Shortener:
    def __init__(self, prefixes: dict[str, str], base: str | None) -> None:
        self.cache: dict[str, str] = {}
        self.used: set[str] = set()
        self.order = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.base = base

    def iri(self, token: str) -> str:
        """``<iri>`` -> prefixed name, relative IRI against our id/ base, or itself."""
        out = self.cache.get(token)
        if out is not None:
            return out
        iri = token[1:-1]
        out = token
        for p, ns in self.order:
            if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                out = f"{p}:{iri[len(ns):]}"
                self.used.add(p)
                break
        else:
            if self.base and iri.startswith(self.base) and len(iri) > len(self.base):
                out = f"<{iri[len(self.base):]}>"
        self.cache[token] = out
        return out

    def term(self, token: str) -> str:
        if token[0] == "<":
            return self.iri(token)
        if token[0] == '"':
            i = token.rfind('"^^<')
            if i > 0:
                return token[: i + 3] + self.iri(token[i + 3:])
        return token


def _split(line: str) -> tuple[str, str, str]:
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2] if rest.endswith(" .") else rest


def _turtle_block(lines: list[str], sh: _Shortener, indent: str = "") -> Iterator[str]:
    """Turtle statements for N-Triples lines grouped by subject (lines must be grouped)."""
    cache, term = sh.cache, sh.term   # IRIs already shortened, looked up without a call (1M lines: -1.2 s)
    subj = pred = None
    pad, pad2 = f"{indent}    ", f"{indent}        "
    for line in lines:
        s, p, o = line.split(" ", 2)
        if o.endswith(" ."):
            o = o[:-2]
        ot = cache.get(o) or term(o)
        if s != subj:
            if subj is not None:
                yield " .\n\n"
            subj, pred = s, p
            pt = "a" if p == RDF_TYPE else cache.get(p) or term(p)
            yield f"{indent}{cache.get(s) or term(s)}\n{pad}{pt} {ot}"
        elif p != pred:
            pred = p
            pt = "a" if p == RDF_TYPE else cache.get(p) or term(p)
            yield f" ;\n{pad}{pt} {ot}"
        else:
            yield f" ,\n{pad2}{ot}"
    if subj is not None:
        yield " .\n"


def _ntriples_lines(data: bytes, first: str | None = None) -> list[str]:
    """The lines sorted: subjects in order (``first``, the thing a document is about, before the others),
    ``rdf:type`` first within a subject."""
    text = data.decode("utf-8")
    lines = [ln for ln in text.split("\n") if ln]
    if len(lines) <= SORT_LIMIT:
        top = f"<{first}>" if first else None

        def key(line: str) -> tuple[int, str, int, str]:
            s, p, o = _split(line)
            return (0 if s == top else 1, s, 0 if p == RDF_TYPE else 1, p + " " + o)

        lines = sorted(set(lines), key=key)
    return lines


def _header(sh: _Shortener, base: str | None) -> str:
    head = "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(sh.used))
    if base:
        head = f"@base <{base}> .\n" + head
    return head + "\n"


def turtle_from_ntriples(data: bytes, base: str | None = BASE_IRI + "id/", first: str | None = None) -> bytes:
    sh = _Shortener(PREFIXES, base)
    body = "".join(_turtle_block(_ntriples_lines(data, first), sh))
    return (_header(sh, base) + body).encode("utf-8")


def trig_from_graphs(graphs: list[tuple[str, bytes]], base: str | None = BASE_IRI + "id/",
                     first: str | None = None) -> bytes:
    sh = _Shortener(PREFIXES, base)
    parts = []
    for name, data in sorted(graphs):
        lines = _ntriples_lines(data, first)
        if not lines:
            continue
        block = "".join(_turtle_block(lines, sh, "    "))
        parts.append(f"<{name}> {{\n{block}}}\n")
    return (_header(sh, base) + "\n".join(parts)).encode("utf-8")


def _sorted_lines(data: bytes) -> list[str]:
    """The distinct lines of N-Triples or N-Quads, sorted."""
    return sorted({ln for ln in data.decode("utf-8").split("\n") if ln})


def _ntriples_sorted(data: bytes) -> bytes:
    return "".join(ln + "\n" for ln in _sorted_lines(data)).encode("utf-8")


def nquads_from_graphs(graphs: list[tuple[str, bytes]]) -> bytes:
    """N-Quads from (graph name, N-Triples) pairs: each graph's lines sorted, the graphs in the given order."""
    return "".join(f"{ln[:-1]}<{name}> .\n" for name, data in graphs for ln in _sorted_lines(data)).encode("utf-8")


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return triples
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    # A Dataset iterates in no fixed order: sort, so that big exports (written in index order, not sorted)
    # are the same bytes each time too.
    return sorted((q.triple for q in ds), key=str)


def canonical_ntriples(data: bytes, scope: str | None = None) -> bytes:
    """N-Triples with blank nodes relabelled canonically (the same graph, the same labels). With ``scope``
    (a record's IRI) the labels carry a tag of it, so that the records of one export, whose labels would
    otherwise all start at ``c14n0``, keep their blank nodes apart: blank node labels are scoped to the
    whole document in N-Quads, TriG, Turtle and JSON-LD. (A blank node shared by two records would be
    split in two; records are read one graph at a time, so the loader makes none.)"""
    if b"_:" not in data:
        return data
    triples = _canonical([q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)])
    if scope:
        tag = "r" + hashlib.sha1(scope.encode("utf-8")).hexdigest()[:12]

        def label(x: Any) -> Any:
            return ox.BlankNode(f"{tag}{x.value}") if isinstance(x, ox.BlankNode) else x

        triples = [ox.Triple(label(t.subject), t.predicate, label(t.object)) for t in triples]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _nt_of(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples of triples already canonicalised (see ``_canonical``)."""
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


# -- JSON-LD -----------------------------------------------------------------------------------------------

def load_context(path: Path | None = None) -> dict[str, Any]:
    p = path or Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except OSError:
        return {}
    ctx = doc.get("@context", doc)
    return ctx if isinstance(ctx, dict) else {}


_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def _native_integer(text: str) -> int | None:
    return int(text) if _CANONICAL_INTEGER.fullmatch(text) and abs(int(text)) < 2 ** 53 else None


# JSON numbers and booleans for the literals they give back exactly (JSON-LD's "native types", which rdflib
# applies to xsd:double as well: "1"^^xsd:double came back as "1.0E0", and NaN or INF made the file no JSON)
_NATIVE: dict[str, Callable[[str], Any]] = {
    str(XSD.integer): _native_integer,
    str(XSD.boolean): {"true": True, "false": False}.get,
}


def _sorted_json(value: Any, ordered: bool = False) -> Any:
    """Expanded JSON-LD with its keys and its value sets in one order (the same graph, the same bytes); the
    items of an ``@list`` (an RDF list) keep theirs, which is the list's meaning."""
    if isinstance(value, dict):
        out = {k: _sorted_json(v, k == "@list") for k, v in sorted(value.items())}
        if isinstance(out.get("@value"), str) and out.get("@type") in _NATIVE:
            native = _NATIVE[out["@type"]](out["@value"])
            if native is not None:
                out["@value"] = native
        return out
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        if ordered or len(items) < 2:  # most values of expanded JSON-LD: no key to make
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, str) and type(value) is not str:   # rdflib's terms, as the JSON strings they are
        return str(value)
    return value


NEST_DEPTH = 50   # nodes nested deeper than this stay at the top (JSON-LD processors recurse per level)


def _nest(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expanded JSON-LD node objects -> the same graph with each node that is referenced exactly once (and
    is not part of a cycle of such references) embedded where it is referenced, at most ``NEST_DEPTH``
    levels deep: a longer chain of such nodes goes on from a node at the top."""
    by_id = {n["@id"]: n for n in nodes if "@id" in n}
    refs: dict[str, int] = {}

    def count(v: Any) -> None:
        if isinstance(v, dict):
            if set(v) == {"@id"}:
                refs[v["@id"]] = refs.get(v["@id"], 0) + 1
            for k, x in v.items():
                if k not in ("@id", "@type"):
                    count(x)
        elif isinstance(v, list):
            for x in v:
                count(x)

    for n in nodes:
        count(n)
    embedded: set[str] = set()

    def embed(v: Any, path: frozenset[str]) -> Any:
        if isinstance(v, dict):
            i = str(v.get("@id", ""))
            if (set(v) == {"@id"} and i in by_id and refs.get(i) == 1 and i not in path and i not in embedded
                    and len(path) < NEST_DEPTH):
                embedded.add(i)
                return embed(by_id[i], path | {i})
            return {k: (x if k in ("@id", "@type") else embed(x, path)) for k, x in v.items()}
        if isinstance(v, list):
            return [embed(x, path) for x in v]
        return v

    roots = [n for n in nodes if refs.get(n.get("@id", ""), 0) != 1]
    out = [embed(n, frozenset({n.get("@id", "")})) for n in roots]
    # Nodes reachable only through a cycle of single references, or too deep, stay at the top, in order.
    for n in nodes:
        if refs.get(n.get("@id", ""), 0) == 1 and n["@id"] not in embedded:
            embedded.add(n["@id"])
            out.append(embed(n, frozenset({n["@id"]})))
    return out


class _Compactor:
    """pyld's JSON-LD processor, compacting IRIs that carry no value once each: pyld tries every term of the
    context as a prefix for every IRI it meets, and a record names each of its nodes several times."""

    def __init__(self) -> None:
        from pyld.jsonld import JsonLdProcessor

        memo: dict[tuple[Any, ...], Any] = {}

        class Processor(JsonLdProcessor):  # type: ignore[misc]
            def _compact_iri(self, active_ctx: dict[str, Any], iri: Any, value: Any = None, vocab: bool = False,
                             base: Any = None, reverse: bool = False) -> Any:
                if value is not None:
                    return super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
                key = (active_ctx.get("_uuid"), iri, vocab, base, reverse)
                out = memo.get(key)
                if out is None:
                    out = memo[key] = super()._compact_iri(active_ctx, iri, value, vocab, base, reverse)
                return out

        self._processor = Processor()

    def compact(self, expanded: dict[str, Any], context: dict[str, Any]) -> Any:
        return self._processor.compact(expanded, {"@context": context},
                                       {"compactArrays": True, "skipExpansion": True})


def jsonld_from_graph(g: Graph, context: dict[str, Any], name: str | None = None,
                      compactor: _Compactor | None = None) -> bytes:
    """Compacted JSON-LD with our context (inline): one object whose ``@graph`` lists the nodes, sorted,
    with each node referenced once nested where it is referenced. pyld compacts rdflib's expanded form
    (pyld's own from_rdf is quadratic); ``compactor`` may be shared by the records of one export."""
    return (json.dumps(_jsonld_object(g, context, name, compactor), indent=2, ensure_ascii=False)
            + "\n").encode("utf-8")


def _jsonld_object(g: Graph, context: dict[str, Any], name: str | None,
                   compactor: _Compactor | None) -> dict[str, Any]:
    # rdflib's JSON-LD from RDF, without writing JSON text to read it back
    from rdflib.plugins.serializers.jsonld import from_rdf

    expanded = from_rdf(g, use_native_types=False)   # numbers and booleans: see _NATIVE
    # in the order of their ids before nesting too: which node of a cycle of single references stays at the
    # top must not depend on the order rdflib gives them in (it varies with Python's hash seed)
    by_id = sorted((_sorted_json(n) for n in expanded), key=lambda n: str(n.get("@id", "")))
    nodes = sorted(_nest(by_id), key=lambda n: str(n.get("@id", "")))
    doc: dict[str, Any] = {"@graph": nodes}
    if name:
        doc["@id"] = name
    compacted = (compactor or _Compactor()).compact(doc, context)
    body = {k: v for k, v in compacted.items() if k != "@context"}
    if "@graph" not in body:  # pyld drops @graph around a single node
        body = {k: v for k, v in body.items() if k == "@id" and name} | {"@graph": [
            {k: v for k, v in body.items() if not (k == "@id" and name)}]}
    return {"@context": context, **{k: body[k] for k in ("@id",) if k in body}, "@graph": body["@graph"]}


PARALLEL_JSONLD_BYTES = 4 << 20   # N-Triples of an export worth starting processes for (1M triples: 200 MB)
JSONLD_RUN_BYTES = 1 << 20        # records handed to a process at a time, so that the processes end together


def _jsonld_texts(graphs: list[tuple[str, bytes]], context: dict[str, Any]) -> list[str]:
    """Each record (name, canonical N-Triples) as the JSON text of its object in a dataset's ``@graph``:
    without the context, indented as that list's items are."""
    compactor = _Compactor()
    out = []
    for name, data in graphs:
        doc = _jsonld_object(terms.graph_from_triples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)), context,
                             name, compactor)
        text = json.dumps({k: v for k, v in doc.items() if k != "@context"}, indent=2, ensure_ascii=False)
        out.append(text.replace("\n", "\n    "))   # JSON text holds no raw line break but between tokens
    return out


def _jsonld_dataset(graphs: list[tuple[str, bytes]], context: dict[str, Any], workers: int | None) -> bytes:
    """The records as one JSON-LD document, ``{"@context": ..., "@graph": [record, ...]}``, in the bytes
    ``json.dumps(indent=2)`` gives it. Compacting is pure Python, about 75 µs a triple: a big export's
    records are written by ``workers`` processes (spawned, not forked: the parent holds the store's threads)
    in contiguous runs, and joined in order."""
    import os

    n = min(workers if workers is not None else (os.cpu_count() or 1), len(graphs))
    size = sum(len(d) for _, d in graphs)
    if n > 1 and size >= PARALLEL_JSONLD_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        runs, run, filled = [], [], 0
        for item in graphs:
            run.append(item)
            filled += len(item[1])
            if filled >= JSONLD_RUN_BYTES:
                runs.append(run)
                run, filled = [], 0
        runs += [run] if run else []
        with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn")) as pool:
            texts = [t for part in pool.map(_jsonld_texts, runs, [context] * len(runs)) for t in part]
    else:
        texts = _jsonld_texts(graphs, context)
    head = json.dumps(context, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    body = ",\n".join("    " + t for t in texts)
    return (f'{{\n  "@context": {head},\n  "@graph": ' + (f"[\n{body}\n  ]" if texts else "[]")
            + "\n}\n").encode("utf-8")


def _canonical_graph(g: Graph) -> Graph:
    """``g``, its blank nodes relabelled canonically (so the same graph gives the same bytes)."""
    if any(isinstance(x, BNode) for t in g for x in t):
        return terms.graph_from_triples(_canonical(terms.triples_from_graph(g)))
    return g


# -- entry points ------------------------------------------------------------------------------------------

def serialize_graph(g: Graph, fmt: RdfFormat, *, name: str | None = None,
                    context: dict[str, Any] | None = None, first: str | None = None) -> bytes:
    """One graph in ``fmt``, deterministically. ``name`` makes dataset formats put it in that named graph;
    ``first`` puts that subject's statements first in Turtle and TriG (the thing a document is about)."""
    if fmt.name == "jsonld":
        return jsonld_from_graph(_canonical_graph(g), context if context is not None else load_context(), name)
    triples = _canonical(terms.triples_from_graph(g))
    nt = _nt_of(triples)
    if fmt.name == "turtle":
        return turtle_from_ntriples(nt, first=first)
    if fmt.name == "trig":
        return trig_from_graphs([(name, nt)], first=first) if name else turtle_from_ntriples(nt, first=first)
    if fmt.name == "nq" and name:
        return nquads_from_graphs([(name, nt)])
    if fmt.name in ("nt", "nq"):
        return _ntriples_sorted(nt)
    if fmt.oxigraph is not None:
        ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        return written(fmt, ox.serialize(ordered, format=fmt.oxigraph, prefixes=PREFIXES) or b"")
    raise ValueError(f"cannot write {fmt.label}")


def record_graph(store: Store, iri: str) -> Graph:
    from .store.base import Triples

    res = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert isinstance(res, Triples)
    return res.graph


def write_export(store: Store, fmt: RdfFormat | str, out: BinaryIO, *, record: str | None = None,
                 context: dict[str, Any] | None = None, workers: int | None = 1) -> None:
    """Write the whole store, or one record, to ``out``. ``workers``: processes that write a big JSON-LD
    export's records (None: one per core; the bytes are the same). Other processes are spawned, and a
    spawned process imports the program's main module again: a script calling this with ``workers`` other
    than 1 needs an ``if __name__ == "__main__":`` guard. Raises RecordNotFound, UnknownFormatError."""
    from .errors import RecordNotFound

    f = rdf_format(fmt) if isinstance(fmt, str) else fmt
    if record is not None:
        if not store.has_record(record):
            raise RecordNotFound(record)
        out.write(serialize_graph(record_graph(store, record), f, name=record, context=context))
        return
    if f.name in ("turtle", "trig", "nt", "nq", "jsonld"):
        def read(g: str) -> tuple[str, bytes]:
            buf = io.BytesIO()
            store.dump(buf, rdf_format("nt"), graph=g)
            return g, canonical_ntriples(buf.getvalue(), scope=g)

        names = store.records()
        if store.read_threads > 1 and len(names) > 1:
            with ThreadPoolExecutor(store.read_threads) as pool:
                graphs = list(pool.map(read, names))
        else:
            graphs = [read(g) for g in names]
        if f.name == "jsonld":
            out.write(_jsonld_dataset(graphs, context if context is not None else load_context(), workers))
        elif f.name == "trig":
            out.write(trig_from_graphs(graphs))
        elif f.name == "turtle":
            out.write(turtle_from_ntriples(b"".join(d for _, d in graphs)))
        elif f.name == "nt":
            out.write(_ntriples_sorted(b"\n".join(d for _, d in graphs)))
        else:
            out.write(nquads_from_graphs(graphs))
        return
    merged = Graph()
    for g in store.records():
        merged += record_graph(store, g)
    out.write(serialize_graph(merged, f, context=context))


__all__ = ["write_export", "serialize_graph", "record_graph", "turtle_from_ntriples", "trig_from_graphs",
           "nquads_from_graphs", "canonical_ntriples", "jsonld_from_graph", "load_context"]
