"""Files and request bodies -> records: the triples of each named graph they hold.

A record is one named graph. Its name comes from the data itself:

- in a quad format (TriG, N-Quads, JSON-LD with named graphs) each named graph is a record;
- in a triple format, the IRI of the one node typed ``ekg:Record`` (else of the one ``owl:Ontology``,
  else ``record/`` + the file's stem).

Oxigraph parses every format it knows (it reports line and column); JSON-LD records may name our context
by URL, which is read from the local file (nothing is fetched); YAML-LD is read as JSON-LD.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox
import yaml

from . import terms
from .errors import LoadError
from .formats import RdfFormat, format_for_path, is_rdf_file, rdf_format
from .namespaces import BASE_IRI, EKG, OWL, RDF

RDF_TYPE = ox.NamedNode(str(RDF.type))
RECORD_CLASS = ox.NamedNode(str(EKG.Record))
ONTOLOGY_CLASS = ox.NamedNode(str(OWL.Ontology))
CONTEXT_NAMES = ("context.jsonld",)


@dataclass
class Record:
    """The triples of one record, ready to validate and store."""

    iri: str
    triples: list[ox.Triple]
    source: str

    def __len__(self) -> int:
        return len(self.triples)

    def quads(self) -> Iterator[ox.Quad]:
        g = ox.NamedNode(self.iri)
        return (ox.Quad(t.subject, t.predicate, t.object, g) for t in self.triples)

    def to_rdflib(self) -> "Any":
        return terms.graph_from_triples(self.triples, identifier=self.iri)


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """The RDF files named, or found in folders: recursively, through links, sorted, each once (a file reached
    twice, by two paths or a link, is read once). Hidden files and folders (a name starting with "."), files
    whose last extension is no RDF format's (``x.ttl.bak``) and what is no regular file (a pipe, a device)
    are passed over. Raises LoadError for a path that does not exist, a folder that cannot be read, or a
    link to nothing: a load must not quietly leave out records it was given."""
    out: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = _walk(p)
        elif p.is_file():
            found = [p]
        elif p.exists():
            raise LoadError(str(p), "not a file or a folder (a pipe or a device, say)")
        else:
            raise LoadError(str(p), "no such file or folder")
        for f in found:
            real = os.path.realpath(f)
            if real not in seen:
                seen.add(real)
                out.append(f)
    return out


def _walk(folder: Path) -> list[Path]:
    def refuse(e: OSError) -> None:
        raise LoadError(str(e.filename or folder), f"cannot read the folder ({e.strerror or e})")

    found: list[Path] = []
    seen: set[str] = set()
    for root, dirs, files in os.walk(folder, onerror=refuse, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:   # a link back to a folder already read
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            f = Path(root, name)
            if f.is_symlink() and not f.exists():   # (os.walk lists a link to no folder among the files)
                raise LoadError(str(f), f"a link to nothing ({os.readlink(f)})")
            if is_rdf_file(f) and f.is_file():
                found.append(f)
    return sorted(found)


def syntax_error(source: str, e: SyntaxError) -> LoadError:
    """A parser's SyntaxError as a LoadError naming the source, line and column."""
    line = e.lineno if isinstance(e.lineno, int) else None
    col = e.offset if isinstance(e.offset, int) else None
    msg = re.sub(r"^Parser error at line \d+(?: between columns \d+ and \d+| column \d+)?: ", "", e.msg or str(e))
    if "No scheme found" in msg:
        msg += " (a relative IRI such as <org/aichr> needs a base: write the IRI in full, or start the file with " \
               "@base <https://w3id.org/eventkg/id/> .)"
    return LoadError(source, msg, line, col)


def _jsonld_with_local_context(data: Any, context: dict[str, Any] | None, source: str = "",
                               base_iri: str = BASE_IRI) -> Any:
    """Replace references to our context (its URL under the base IRI, or a relative file name such as
    ``../ontology/context.jsonld``) with the context itself. Any other remote context is refused: nothing is
    fetched, and a context of the same file name elsewhere is not ours. Raises LoadError."""
    if context is None:
        return data
    ours = {f"{base_iri}ontology/context.jsonld", f"{base_iri}context.jsonld"}

    def fix(ctx: Any) -> Any:
        if isinstance(ctx, str):
            if ctx in ours or (":" not in ctx and ctx.rsplit("/", 1)[-1] in CONTEXT_NAMES):
                return context
            raise LoadError(source, f"the JSON-LD context <{ctx}> is not read: nothing is fetched. Name ours "
                                    f"(<{base_iri}ontology/context.jsonld>) or write the context into the record")
        if isinstance(ctx, list):
            return [fix(c) for c in ctx]
        return ctx

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (fix(v) if k == "@context" else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(data)


_KEEP_KEYWORDS = ("@context", "@value", "@language", "@direction", "@index", "@base", "@vocab", "@version")


def _check_jsonld_terms(doc: Any, source: str, text: str, yaml_text: bool) -> None:
    """Refuse what a JSON-LD processor would drop without a word: a key that is no term of the context (nor
    a compact or absolute IRI), and a relative IRI where an IRI is expected with no @base to resolve it.
    Call it with our context already inlined. Raises LoadError naming the key and its line."""
    terms: dict[str, Any] = {}
    has_base = has_vocab = False

    def learn(ctx: Any) -> None:
        nonlocal has_base, has_vocab
        if isinstance(ctx, list):
            for c in ctx:
                learn(c)
        elif isinstance(ctx, dict):
            has_base = has_base or "@base" in ctx
            has_vocab = has_vocab or ctx.get("@vocab") is not None   # then every key and type name expands
            terms.update({k: v for k, v in ctx.items() if not k.startswith("@")})

    def gather(node: Any) -> None:
        if isinstance(node, dict):
            if "@context" in node:
                learn(node["@context"])
            for k, v in node.items():
                if k != "@context":
                    gather(v)
        elif isinstance(node, list):
            for v in node:
                gather(v)

    gather(doc)

    def line_of(needle: str, value: str | None = None) -> int | None:
        """The line where the key is written (with that value, where one is given)."""
        pattern = f"{needle}:" if yaml_text else f'"{needle}"'
        lines = text.splitlines()
        for want_value in ([True] if value is not None else []) + [False]:
            for n, line in enumerate(lines, 1):
                if pattern in line and (not want_value or str(value) in line):
                    return n
        return None

    def known_iri(value: str) -> bool:
        if value.startswith("_:") or has_base:
            return True
        return ":" in value   # a compact IRI (prefix:name) or an absolute one (scheme:...)

    def iris(key: str, value: Any) -> None:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and not known_iri(v):
                raise LoadError(source, f"{key}: {v!r} is a relative IRI and the record gives no @base to resolve "
                                        f"it, so it would be dropped: write it in full, or as id:{v} with our "
                                        "context", line_of(key, v))

    def types(key: str, value: Any) -> None:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v not in terms and not known_iri(v) and not has_vocab:
                raise LoadError(source, f"{key}: {v!r} is no class the context knows, so the type would be "
                                        "dropped", line_of(key, v))

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for v in node:
                walk(v)
            return
        if not isinstance(node, dict) or "@value" in node:
            return
        for key, value in node.items():
            if key in _KEEP_KEYWORDS:
                continue
            definition = terms.get(key)
            if key == "@id":
                iris(key, value)
            elif key == "@type" or definition == "@type":
                types(key, value)
            elif key.startswith("@"):
                walk(value)
            elif definition is None and ":" not in key and not has_vocab:
                raise LoadError(source, f"{key!r} is no term of the JSON-LD context, so its value would be dropped "
                                        "(a misspelt property, or one the context lacks: write it as a compact "
                                        "IRI such as schema:name)", line_of(key))
            else:
                if isinstance(definition, dict) and definition.get("@type") in ("@id", "@vocab"):
                    iris(key, value)
                walk(value)

    walk(doc)


def read_context(path: Path) -> dict[str, Any]:
    """Our JSON-LD context's inner object, from ``path``. Raises LoadError."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise LoadError(str(path), f"cannot read the JSON-LD context: {e}") from e
    ctx = doc.get("@context", doc)
    return ctx if isinstance(ctx, dict) else {}


class _YamlLoader(yaml.SafeLoader):
    """YAML as JSON-LD reads it: dates stay the strings they are written as (the context types them; PyYAML
    would make ``2026-11-28`` a Python date, which is no JSON), and aliases are refused: a few hundred
    bytes of nested aliases expand to gigabytes (a "billion laughs"), and a record has no use for them."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not accepted in a record",
                                              event.start_mark)
        return super().compose_node(parent, index)


def _prepare(data: bytes, fmt: RdfFormat, source: str, context: dict[str, Any] | None,
             base_iri: str = BASE_IRI) -> tuple[bytes, RdfFormat]:
    """Bytes Oxigraph can parse: YAML and JSON-LD documents get our context inlined."""
    if fmt.name not in ("jsonld", "yamlld"):
        return data, fmt
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:   # where, as the parsers of the other formats say it
        line_start = data.rfind(b"\n", 0, e.start) + 1
        column = len(data[line_start:e.start].decode("utf-8", "replace")) + 1
        raise LoadError(source, f"not UTF-8 text: byte 0x{data[e.start]:02x} ({e.reason})",
                        data.count(b"\n", 0, e.start) + 1, column) from e
    if fmt.name == "yamlld":
        try:
            doc = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            raise LoadError(source, f"YAML: {getattr(e, 'problem', None) or e}",
                            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from e
    else:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise LoadError(source, f"JSON: {e.msg}", e.lineno, e.colno) from e
    if doc is None:
        raise LoadError(source, "the document is empty")
    doc = _jsonld_with_local_context(doc, context, source, base_iri)
    _check_jsonld_terms(doc, source, text, fmt.name == "yamlld")
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), rdf_format("jsonld")


def parse_quads(data: bytes, fmt: RdfFormat, source: str, *, context: dict[str, Any] | None = None,
                base_iri: str | None = None, context_base: str = BASE_IRI) -> list[ox.Quad]:
    """All quads of a document. Raises LoadError naming ``source``, and the line where the parser gives one."""
    data = data.removeprefix(codecs.BOM_UTF8)   # a byte order mark, which some editors write
    if not data.strip():
        raise LoadError(source, "the request body is empty" if source == "request body" else "the file is empty")
    data, fmt = _prepare(data, fmt, source, context, context_base)
    assert fmt.oxigraph is not None
    try:
        try:
            return list(ox.parse(data, format=fmt.oxigraph, base_iri=base_iri, rename_blank_nodes=True))
        except MemoryError:
            # a token over 16 MiB (a long text) is more than this parser buffers; the bulk loader's parser
            # reads it (blank nodes renamed as well), into a store of its own
            scratch = ox.Store()
            scratch.bulk_load(data, format=fmt.oxigraph, base_iri=base_iri)
            return list(scratch)
    except SyntaxError as e:
        raise syntax_error(source, e) from e
    except ValueError as e:
        raise LoadError(source, str(e)) from e


def _declared(triples: Iterable[ox.Triple | ox.Quad], cls: ox.NamedNode) -> list[str]:
    return sorted({t.subject.value for t in triples
                   if t.predicate == RDF_TYPE and t.object == cls and isinstance(t.subject, ox.NamedNode)})


def record_iri_for(triples: list[ox.Triple] | list[ox.Quad], source: str, base_iri: str = BASE_IRI) -> str:
    """The record IRI a triple document declares (see the module doc). Raises LoadError if it declares two."""
    for cls in (RECORD_CLASS, ONTOLOGY_CLASS):
        found = _declared(triples, cls)
        if len(found) > 1:
            raise LoadError(source, f"declares {len(found)} records ({', '.join(found)}); put one record per file "
                                    "or use a quad format (TriG, N-Quads) with one named graph each")
        if found:
            return found[0]
    return _fallback_iri(Path(source).name, base_iri)


def declarations(store: ox.Store, graph: ox.NamedNode) -> list[ox.Triple]:
    """The triples of ``graph`` that type a node ``ekg:Record`` or ``owl:Ontology``: what ``record_iri_for``
    reads, for a file bulk-loaded into that graph (whose name was read from the file's first declaration)."""
    return [q.triple for cls in (RECORD_CLASS, ONTOLOGY_CLASS)
            for q in store.quads_for_pattern(None, RDF_TYPE, cls, graph)]


def is_declaration(t: ox.Triple | ox.Quad) -> bool:
    return t.predicate == RDF_TYPE and (t.object == RECORD_CLASS or t.object == ONTOLOGY_CLASS)


def _fallback_iri(name: str, base_iri: str) -> str:
    """``record/`` + the file's stem, made a valid IRI (``My file.ttl``: ``record/My%20file``)."""
    return f"{base_iri}record/{quote(name.split('.')[0] or 'record', safe='')}"


def records_from_bytes(data: bytes, fmt: RdfFormat, source: str, *, context: dict[str, Any] | None = None,
                       base_iri: str = BASE_IRI) -> list[Record]:
    """The records in one document. Raises LoadError."""
    quads = parse_quads(data, fmt, source, context=context, context_base=base_iri)
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for q in quads:
        g = q.graph_name
        if isinstance(g, ox.BlankNode):
            raise graph_named_by_a_blank_node(source, g, base_iri)
        key = None if isinstance(g, ox.DefaultGraph) else g.value
        by_graph.setdefault(key, []).append(q.triple)
    if not quads:
        raise LoadError(source, "the document holds no triples")
    out = []
    if None in by_graph:
        triples = by_graph.pop(None)
        out.append(Record(record_iri_for(triples, source, base_iri), triples, source))
    out.extend(Record(g, t, source) for g, t in sorted(by_graph.items()) if g is not None)
    seen: set[str] = set()
    for r in out:
        if r.iri in seen:
            raise LoadError(source, f"record <{r.iri}> appears twice")
        seen.add(r.iri)
    return out


def records_from_file(path: str | Path, fmt: str | None = None, *, context: dict[str, Any] | None = None,
                      base_iri: str = BASE_IRI) -> list[Record]:
    """The records in a file, its format from ``fmt`` or its extension. Raises LoadError."""
    path = Path(path)
    f = format_for_path(path, fmt)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(str(path), e.strerror or str(e)) from e
    return records_from_bytes(data, f, str(path), context=context, base_iri=base_iri)


def scan_record_iri(path: Path, fmt: RdfFormat, base_iri: str = BASE_IRI) -> str | None:
    """For a big triple file: the record it declares, reading only until the declaration (None: dataset
    format, the graphs are in the file). Raises LoadError on a syntax error met on the way."""
    if fmt.datasets or fmt.oxigraph is None:
        return None
    ontology = None
    try:
        with open(path, "rb") as f:
            if f.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:   # a byte order mark is passed over
                f.seek(0)
            for t in ox.parse(f, format=fmt.oxigraph, lenient=True):
                if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode):
                    if t.object == RECORD_CLASS:
                        return t.subject.value
                    if t.object == ONTOLOGY_CLASS and ontology is None:
                        ontology = t.subject.value
    except SyntaxError as e:
        raise syntax_error(str(path), e) from e
    except OSError as e:
        raise LoadError(str(path), f"cannot read the file ({e.strerror or e})") from e
    if ontology:
        return ontology
    return _fallback_iri(path.name, base_iri)


def dataset_graph_names(path: Path | str, fmt: RdfFormat) -> set[str]:
    """The IRIs that name graphs in a TriG or N-Quads file, read as a stream (nothing is kept but the names).
    Raises LoadError on a syntax error."""
    assert fmt.oxigraph is not None
    names: set[str] = set()
    try:
        with open(path, "rb") as f:
            if f.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
                f.seek(0)
            last = None
            for q in ox.parse(f, format=fmt.oxigraph, lenient=True):
                g = q.graph_name   # type: ignore[union-attr]
                if g is not last:   # runs of one graph: one set insertion per run
                    last = g
                    if isinstance(g, ox.NamedNode):
                        names.add(g.value)
    except SyntaxError as e:
        raise syntax_error(str(path), e) from e
    return names


def declared_twice(source: str, name: str, *, by_this_default_graph: bool, other: str | None = None) -> LoadError:
    """A load naming one record twice, once by a dataset file's default graph (``default_graph_record``);
    ``other``: the other file, where known."""
    if by_this_default_graph:
        where = "this file" if other == source else other or "this file or of one read before it"
        how = f"by this file's default graph and by another graph of {where}"
    else:
        how = f"by the default graph of {other or 'another file'} and here"
    return LoadError(source, f"record <{name}> is declared twice: {how}")


def declared_by_two_files(source: str, name: str, other: str) -> LoadError:
    """A load whose files name one record twice (``other``: the other file)."""
    return LoadError(source, f"record <{name}> is declared by more than one file (also by {other})")


def graph_named_by_a_blank_node(source: str, graph: ox.BlankNode, base_iri: str = BASE_IRI) -> LoadError:
    return LoadError(source, f"a graph named by a blank node ({graph}): records are graphs named by an IRI "
                             f"({base_iri}record/NAME)")


def default_graph_record(store: ox.Store, source: str, base_iri: str = BASE_IRI,
                         holder: Callable[[str], str | None] | None = None) -> str | None:
    """After a dataset file was loaded into ``store``: the record its default graph makes, if it holds any
    triple, named as ``records_from_bytes`` names it; the triples are moved into that graph. Raises LoadError
    if a named graph already has that name, or a graph is named by a blank node."""
    for g in store.named_graphs():
        if isinstance(g, ox.BlankNode):
            raise graph_named_by_a_blank_node(source, g, base_iri)
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        return None
    typed = [q.triple for q in store.quads_for_pattern(None, RDF_TYPE, None, ox.DefaultGraph())]
    name = record_iri_for(typed, source, base_iri)
    if store.contains_named_graph(ox.NamedNode(name)):
        raise declared_twice(source, name, by_this_default_graph=True, other=holder(name) if holder else None)
    store.update(f"ADD DEFAULT TO {ox.NamedNode(name)} ; CLEAR DEFAULT")
    return name


def declared_records(triples: Iterable[ox.Triple | ox.Quad]) -> list[str]:
    """The IRIs of the nodes typed ``ekg:Record``."""
    return _declared(triples, RECORD_CLASS)


__all__ = [
    "Record", "syntax_error", "iter_files", "read_context", "parse_quads", "record_iri_for", "records_from_bytes",
    "records_from_file", "scan_record_iri", "declared_records", "default_graph_record", "declared_twice",
    "declared_by_two_files", "dataset_graph_names", "declarations", "is_declaration",
    "graph_named_by_a_blank_node",
]
