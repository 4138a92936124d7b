"""The embedded store: Oxigraph, on disk or in memory.

Every write is one Oxigraph transaction (``extend``/``update``), so a failure or a killed process leaves the
store as it was. A rebuild loads into a fresh folder beside the store with ``bulk_load`` (fast, not
transactional) and swaps it in only when everything has loaded.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import traceback
from pathlib import Path
from typing import BinaryIO, Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib.term import Node

from .. import terms
from ..errors import ConfigError, LoadError, QueryError, RecordError, RecordNotFound, StoreError
from ..formats import RdfFormat, written
from ..load import (Record, dataset_graph_names, declarations, declared_by_two_files, declared_twice,
                    default_graph_record, record_iri_for, syntax_error)
from ..namespaces import BASE_IRI
from .bind import with_values
from .base import (Boolean, Progress, QueryResult, Rows, Store, StoreInfo, Triples, has_dataset_clause,
                   looks_like_update, take, take_distinct, tidy_syntax_message, uses_service)
from .bulk import bulk_load_file

_POS = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)


def query_syntax_error(e: SyntaxError, source: str | None = None, text: str | None = None) -> QueryError:
    """The parser's error as a QueryError with its line and column, in one line (``tidy_syntax_message``)."""
    m = _POS.match(str(e))
    line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    message = tidy_syntax_message((m.group(3) if m else "") or str(e), text, line, col)
    if line is not None:
        return QueryError(message, line, col, source)
    return QueryError(message, source=source)


def evaluation_error(e: Exception, sparql: str) -> QueryError | StoreError:
    """An error Oxigraph raised while evaluating: a federated query's failed call to another endpoint is that
    endpoint's failure (StoreError, 502 over HTTP), anything else the query's (QueryError, 400)."""
    if isinstance(e, OSError) and uses_service(sparql):
        return StoreError(f"a SERVICE endpoint failed: {e}")
    return QueryError(str(e))


_LOCKED = re.compile(r"\block\b", re.IGNORECASE)  # RocksDB: "While lock file: …/LOCK: …", "lock hold by …"


def _open_read_only(path: Path, where: str = "") -> ox.Store:
    """The on-disk store at ``path`` opened read-only (as it is now: later writes are not seen)."""
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise ConfigError(f"store {path}: cannot open it read-only{where}: {e}") from e


def _holding(files: Sequence[tuple[str, RdfFormat, str | None]], name: str, made_by: dict[str, str]) -> str:
    """The file of a load that holds the graph ``name`` (read again: only when a load is refused for it)."""
    if name in made_by:
        return made_by[name]
    for path, fmt, graph in files:
        if graph == name or (graph is None and name in dataset_graph_names(path, fmt)):
            return path
    return "another file of this load"


class EmbeddedStore(Store):
    """``share``: for a process that only reads. If another process holds the on-disk store open (a running
    ``eventkg serve``), open it read-only beside that process, as the server's query workers do: it shows
    the store as it was when opened. Without ``share`` that case is a ConfigError saying so."""

    # Oxigraph reads without the GIL: records dumped from two threads take 3.9 s instead of 6.5 s at 1M triples
    read_threads = max(1, min(4, os.cpu_count() or 1))

    def __init__(self, path: str | Path | None = None, *, share: bool = False, existing: bool = False) -> None:
        """``existing``: the on-disk store must be there already (a command that writes to a store or serves
        it, but does not build one, refuses a path where there is none instead of making an empty store)."""
        self.path = Path(path) if path is not None else None
        self.info = StoreInfo("oxigraph-memory" if path is None else "oxigraph-disk",
                              "memory" if path is None else str(path))
        self._store = self._open(share, existing)

    @classmethod
    def read_only(cls, path: str | Path) -> "EmbeddedStore":
        """An on-disk store opened read-only, beside the process that has it open for writing: it sees the
        store as it was when opened (reopen to see later writes). The server's query workers use it.
        Raises ConfigError."""
        self = cls.__new__(cls)
        self.path = Path(path)
        self.info = StoreInfo("oxigraph-disk", str(path), writable=False)
        self._store = _open_read_only(self.path)
        return self

    # -- opening ---------------------------------------------------------------------------------------
    def _open(self, share: bool = False, existing: bool = False) -> ox.Store:
        if self.path is None:
            return ox.Store()
        self._recover()
        if (share or existing) and not (self.path / "CURRENT").is_file():
            # only `load` builds a store: another command does not make an empty one where there is none (a
            # mistyped --store, or stats before load, would report an empty graph and leave a folder behind)
            raise ConfigError(f"store {self.path}: there is no store here yet; build it with `eventkg load`, or "
                              "name another with --store PATH")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not os.access(self.path.parent, os.W_OK) or (self.path.exists() and not os.access(self.path, os.W_OK)):
                raise PermissionError(13, "Permission denied")
            store = ox.Store(str(self.path))
            self._clear_leftovers()
            return store
        except PermissionError as e:
            if share and (self.path / "CURRENT").is_file() and os.access(self.path, os.R_OK):
                # a store on read-only media (or another user's): the reading commands read it as it is
                store = _open_read_only(self.path, " (it is not writable)")
                self.info = StoreInfo(self.info.kind, self.info.location, writable=False)
                return store
            raise ConfigError(f"store {self.path}: not writable ({e.strerror or e}); pick another with "
                              "--store PATH or EVENTKG_STORE") from e
        except OSError as e:
            if not (self.path.exists() and _LOCKED.search(str(e))):
                raise ConfigError(f"store {self.path}: cannot open it: {e}") from e
            if not share:
                raise ConfigError(f"store {self.path}: another process has it open for writing (a running "
                                  "eventkg serve?); stop it first (a server started with --allow-update --token "
                                  "takes records through its records API), or pick another store with --store "
                                  "PATH") from e
            store = _open_read_only(self.path, " beside the process that has it open")
            self.info = StoreInfo(self.info.kind, self.info.location, writable=False)
            return store

    def _sibling(self, tag: str) -> Path:
        assert self.path is not None
        return self.path.with_name(f"{self.path.name}.{tag}")

    def _recover(self) -> None:
        """Finish a swap that a killed process left half done: the old store back in place."""
        old = self._sibling("old")
        if not self.path.exists() and old.exists():  # type: ignore[union-attr]
            old.rename(self.path)  # type: ignore[arg-type]

    def _clear_leftovers(self) -> None:
        """Remove the folders a killed rebuild left. Only once this process holds the store: before that, a
        rebuild running in another process may be writing them."""
        shutil.rmtree(self._sibling("new"), ignore_errors=True)
        shutil.rmtree(self._sibling("old"), ignore_errors=True)

    # -- reading ---------------------------------------------------------------------------------------
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              limit: int | None = None, timeout: float | None = None) -> QueryResult:
        # ``timeout`` cannot interrupt Oxigraph in-process; the server runs queries in worker processes
        # that it can stop (see server/), so it is accepted here for interface parity only.
        try:
            res = self.native_query(sparql, bindings=bindings, default_graphs=default_graphs,
                                    named_graphs=named_graphs)
            return self._convert(res, limit)
        except (OSError, RuntimeError, ValueError) as e:
            raise evaluation_error(e, sparql) from e

    def native_query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
                     default_graphs: Sequence[str] | None = None,
                     named_graphs: Sequence[str] | None = None) -> object:
        """Oxigraph's own (lazy) answer: QuerySolutions, QueryBoolean or QueryTriples, for callers that write
        it out without converting terms (the server's query workers). Raises QueryError for a syntax error;
        evaluation errors may surface while iterating (OSError, RuntimeError, ValueError)."""
        # The dataset: the protocol's graphs if it names any (named graphs alone: an empty default graph;
        # default graphs alone: no named graphs; SPARQL 1.1 Protocol 2.1.4, Query 13.2), else the query's
        # own FROM / FROM NAMED, else all records as the default graph. Oxigraph's union flag would
        # override a FROM clause, so it is set only when there is none.
        kwargs: dict[str, object] = {}
        if default_graphs or named_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif not has_dataset_clause(sparql):
            kwargs["use_default_graph_as_union"] = True
        # Parameters go in as a VALUES block opening the WHERE group, not as ``substitutions=``: Oxigraph 0.5
        # orders its joins around the VALUES rows but not around substituted terms (at 1M triples
        # statements-at-event 0.6 s -> 0.002 s, agent-involvement 0.1 s -> 0.008 s; docs/benchmarks.md).
        text = with_values(sparql, bindings) if bindings else sparql
        try:
            return self._store.query(text, **kwargs)  # type: ignore[arg-type]
        except SyntaxError as e:
            if looks_like_update(sparql):
                raise QueryError("this is an update, not a query: queries read the graph; records change with "
                                 "add, remove and load (or the server's update endpoint)") from e
            raise query_syntax_error(e, text=text) from e

    @staticmethod
    def _convert(res: object, limit: int | None) -> QueryResult:
        if isinstance(res, ox.QueryBoolean):
            return Boolean(bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            conv = terms.memo_to_rdflib()
            solutions, truncated = take(res, limit)
            try:
                return Rows(names, [tuple(conv(sol[i]) for i in range(len(names))) for sol in solutions], truncated)
            except TypeError as e:   # an RDF-star triple term (<<( s p o )>>): none in eventkg's records
                raise QueryError("quoted triples in results are not supported") from e
        assert isinstance(res, ox.QueryTriples)
        triples, truncated = take_distinct(res, limit)
        return Triples(terms.graph_from_triples(triples), truncated)

    def records(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def has_record(self, iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(iri))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        res = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
        assert isinstance(res, ox.QuerySolutions)
        return int(next(iter(res))[0].value)  # type: ignore[union-attr]

    def dump(self, out: BinaryIO, fmt: RdfFormat, graph: str | None = None) -> None:
        if fmt.oxigraph is None:
            raise StoreError(f"Oxigraph cannot write {fmt.label}")
        if graph is not None and fmt.name == "rdfxml":
            out.write(written(fmt, self._store.dump(format=fmt.oxigraph, from_graph=ox.NamedNode(graph)) or b""))
        elif graph is not None:
            self._store.dump(out, format=fmt.oxigraph, from_graph=ox.NamedNode(graph))
        elif fmt.datasets:
            self._store.dump(out, format=fmt.oxigraph)
        else:
            triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            if fmt.name == "rdfxml":
                out.write(written(fmt, ox.serialize(triples, format=fmt.oxigraph) or b""))  # type: ignore[arg-type]
            else:
                ox.serialize(triples, out, format=fmt.oxigraph)  # type: ignore[arg-type]

    # -- writing ---------------------------------------------------------------------------------------
    def put_records(self, records: Sequence[Record], *, replace: bool = False) -> None:
        names = [r.iri for r in records]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise RecordError(f"record <{sorted(dupes)[0]}> is given twice")
        if not replace:
            there = [n for n in names if self.has_record(n)]
            if there:
                raise RecordError(f"record <{there[0]}> is already in the store; use --replace to replace it")
            try:
                self._store.extend(q for r in records for q in r.quads())
            except OSError as e:
                raise StoreError(f"store {self.info.location}: {e}") from e
            return
        # Drop and insert in one update, which Oxigraph runs as one transaction.
        parts = [f"DROP SILENT GRAPH {ox.NamedNode(n)}" for n in names]
        body = "\n".join(f"GRAPH {ox.NamedNode(r.iri)} {{\n" + "\n".join(f"{t} ." for t in r.triples) + "\n}"
                         for r in records)
        parts.append("INSERT DATA {\n" + body + "\n}")
        try:
            self._store.update(" ;\n".join(parts))
        except (OSError, SyntaxError) as e:
            raise StoreError(f"store {self.info.location}: {e}") from e

    def remove_record(self, iri: str) -> None:
        if not self.has_record(iri):
            raise RecordNotFound(iri)
        self._store.remove_graph(ox.NamedNode(iri))

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise query_syntax_error(e, "update") from e
        except OSError as e:
            if uses_service(sparql):   # a SERVICE or LOAD that failed: that endpoint's failure, not the store's
                raise StoreError(f"an endpoint the update calls failed: {e}") from e
            raise StoreError(f"store {self.info.location}: {e}") from e
        except (RuntimeError, ValueError) as e:   # an operation that cannot be done ("CLEAR GRAPH" of none)
            raise QueryError(" ".join(str(e).split()) or type(e).__name__, source="update") from e

    def rebuild(self, files: Iterable[tuple[str, RdfFormat, str | None]], progress: Progress | None = None,
                extra: Sequence[Record] = (), skip: frozenset[str] = frozenset(), base_iri: str = BASE_IRI) -> None:
        target = ox.Store() if self.path is None else None
        new = None
        if self.path is not None:
            new = self._sibling("new")
            shutil.rmtree(new, ignore_errors=True)
            target = ox.Store(str(new))
        assert target is not None
        made: dict[str, int] = {}   # records made of default graphs: their sizes, to see another file add to one
        made_by: dict[str, str] = {}
        files = list(files)
        try:
            for k, (path, fmt, graph) in enumerate(files):
                assert fmt.oxigraph is not None
                try:
                    bulk_load_file(target, path, fmt, ox.NamedNode(graph) if graph else None, progress)
                    if graph is not None:   # named after the file's first declaration: it must have one
                        record_iri_for(declarations(target, ox.NamedNode(graph)), path, base_iri)
                    for name, size in made.items():
                        if sum(1 for _ in target.quads_for_pattern(None, None, None, ox.NamedNode(name))) != size:
                            raise declared_twice(path, name, by_this_default_graph=False, other=made_by[name])
                    if graph is None:
                        read = files[:k + 1]

                        def holder(n: str, read: list[tuple[str, RdfFormat, str | None]] = read) -> str:
                            return _holding(read, n, made_by)

                        made_now = default_graph_record(target, path, base_iri, holder)
                        if made_now is not None:
                            made_by[made_now] = path
                            made[made_now] = sum(1 for _ in target.quads_for_pattern(None, None, None,
                                                                                 ox.NamedNode(made_now)))
                except SyntaxError as e:
                    raise syntax_error(path, e) from e
                except (OSError, ValueError) as e:
                    raise LoadError(path, str(e)) from e
            for g in sorted(skip):
                target.clear_graph(ox.NamedNode(g))
            for r in extra:   # a record parsed apart (JSON-LD, say) that a bulk-loaded file holds too
                if r.iri not in skip and next(iter(target.quads_for_pattern(None, None, None, ox.NamedNode(r.iri))),
                                              None) is not None:
                    raise declared_by_two_files(r.source, r.iri, _holding(files, r.iri, made_by))
            if extra:
                target.bulk_extend(q for r in extra for q in r.quads())
            target.flush()
        except BaseException as e:
            # The new store must be closed (its folder locked till then) before the error goes up: the frames
            # of the error's tracebacks hold it too, and a caller may keep the error (and retry the load).
            seen: set[int] = set()
            err: BaseException | None = e
            while err is not None and id(err) not in seen:
                seen.add(id(err))
                traceback.clear_frames(err.__traceback__)
                err = err.__cause__ or err.__context__
            del target
            gc.collect()
            if new is not None:
                shutil.rmtree(new, ignore_errors=True)
            raise
        if self.path is None:
            self._store = target
            return
        # Swap folders: the old store stays whole until the new one is in place.
        target.optimize()
        del target
        self._store = None  # type: ignore[assignment]
        gc.collect()
        old = self._sibling("old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        assert new is not None
        new.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)
        self._store = ox.Store(str(self.path))

    def close(self) -> None:
        if getattr(self, "_store", None) is not None:
            try:
                self._store.flush()
            except (OSError, RuntimeError, ValueError):  # a read-only store has nothing to flush
                pass
            self._store = None  # type: ignore[assignment]
            gc.collect()


__all__ = ["EmbeddedStore", "query_syntax_error"]
