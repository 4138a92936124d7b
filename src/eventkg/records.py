"""Adding, replacing, removing records, and rebuilding the store: the one path every write takes, from the
CLI and from HTTP. A write is all or nothing: records are parsed, then validated in the context of the
graph already stored, then written in one transaction; any failure leaves the store as it was."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from rdflib import URIRef

from .errors import LoadError, NotConformingError, RecordNotFound
from .formats import RdfFormat, format_for_path
from .load import (Record, dataset_graph_names, declared_by_two_files, declared_records, iter_files,
                   records_from_bytes, records_from_file, scan_record_iri)
from .namespaces import BASE_IRI
from .store.base import Boolean, Rows, Store
from .validate import ValidationReport, Validator


@dataclass
class WriteResult:
    records: list[Record]
    report: ValidationReport

    @property
    def triples(self) -> int:
        return sum(len(r) for r in self.records)


def read_records(paths: Sequence[str | Path], *, fmt: str | None = None, context: dict[str, Any] | None = None,
                 base_iri: str = BASE_IRI) -> list[Record]:
    """All records in the files (folders are searched). Raises LoadError for the first unreadable one."""
    out: list[Record] = []
    for p in iter_files(paths):
        out.extend(records_from_file(p, fmt, context=context, base_iri=base_iri))
    if not out:
        raise LoadError(", ".join(map(str, paths)) or "(no paths)", "no RDF files found")
    return out


def named_as_records(records: Sequence[Record], base_iri: str = BASE_IRI) -> None:
    """What makes a graph a record, before any shape: it is named ``{base_iri}record/NAME`` (the ontology and
    any other graph come from the project, not from intake), it holds the one ``ekg:Record`` node of that
    name, which carries the record's title, licence and source, and no other file gives that record too.
    Raises LoadError naming the file."""
    prefix = f"{base_iri}record/"
    first: dict[str, str] = {}
    for r in records:
        if r.iri in first:   # validated apart, the two versions would each conform; written, one would win
            raise LoadError(r.source, f"the record <{r.iri}> is given twice (also by {first[r.iri]}): give one "
                                      "version of a record")
        first[r.iri] = r.source
        if not r.iri.startswith(prefix) or r.iri == prefix:
            raise LoadError(r.source, f"<{r.iri}> is no record's name: records are named {prefix}NAME (the graph "
                                      "name in TriG or N-Quads, else the node typed ekg:Record)")
        declared = declared_records(r.triples)
        if not declared:
            raise LoadError(r.source, f"the record <{r.iri}> has no node typed ekg:Record: a record names itself "
                                      f"(<{r.iri}> a ekg:Record) and gives its title, licence and source")
        if declared != [r.iri]:
            raise LoadError(r.source, f"the graph <{r.iri}> holds the record node(s) "
                                      f"{', '.join('<' + d + '>' for d in declared)}: a record's graph is named "
                                      "by its one ekg:Record node")


def check(records: Sequence[Record], validator: Validator, store: Store | None, *,
          replace: bool = False, base_iri: str = BASE_IRI) -> ValidationReport:
    """Validate records in the context of ``store``: the report, a value. Raises LoadError for a graph that
    is not named as a record (``named_as_records``)."""
    named_as_records(records, base_iri)
    return validator.validate(records, store, replacing=replace)


def add(store: Store, records: Sequence[Record], validator: Validator, *, replace: bool = False,
        base_iri: str = BASE_IRI) -> WriteResult:
    """Validate and write records, each as its own named graph, all or none.
    Raises LoadError (not named as a record), NotConformingError (with the report), RecordError (exists and
    not ``replace``), StoreError."""
    report = check(records, validator, store, replace=replace, base_iri=base_iri)
    if not report.conforms:
        raise NotConformingError(", ".join(sorted({r.source for r in records})), report)
    store.put_records(records, replace=replace)
    return WriteResult(list(records), report)


def remove(store: Store, iri: str, base_iri: str = BASE_IRI) -> dict[str, list[str]]:
    """Remove one record. Returns what other records still point to that the store no longer describes
    (record IRI -> those IRIs): they may no longer conform. Raises RecordNotFound, RecordError (a graph that
    is no record, such as the ontology's: it comes from the project)."""
    if not iri.startswith(f"{base_iri}record/"):
        from .errors import RecordError

        raise RecordError(f"<{iri}> is no record (records are named {base_iri}record/NAME); the ontology's graph "
                          "comes from the project's file and changes with `eventkg load`")
    if not store.has_record(iri):
        raise RecordNotFound(iri)
    rec = URIRef(iri)
    described = store.query("SELECT DISTINCT ?g ?x WHERE { GRAPH ?g { ?x ?p ?o } FILTER(isIRI(?x)) }",
                            bindings={"g": rec})
    subjects = [str(r[1]) for r in described.rows] if isinstance(described, Rows) else []
    pointing: dict[str, set[str]] = {}
    for i in range(0, len(subjects), 200):
        values = " ".join(URIRef(x).n3() for x in subjects[i:i + 200])
        res = store.query(f"SELECT DISTINCT ?g ?x WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?s ?p ?x }} "
                          "FILTER(?g != ?removed) }", bindings={"removed": rec})
        for g, x in res.rows if isinstance(res, Rows) else []:
            pointing.setdefault(str(x), set()).add(str(g))
    store.remove_record(iri)
    dangling: dict[str, list[str]] = {}
    for target, graphs in sorted(pointing.items()):
        still = store.query("ASK { ?x ?p ?o }", bindings={"x": URIRef(target)})
        if isinstance(still, Boolean) and not still.value:
            for graph in graphs:
                dangling.setdefault(graph, []).append(target)
    return {g: sorted(xs) for g, xs in sorted(dangling.items())}


def _blank(path: Path) -> bool:
    """Empty, or nothing but white space (read only when small). Raises LoadError if it cannot be read."""
    try:
        size = path.stat().st_size
        if size > 1 << 16:
            path.open("rb").close()   # read later: a file that cannot be is named now
            return False
        return not path.read_bytes().strip()
    except OSError as e:
        raise LoadError(str(path), f"cannot read the file ({e.strerror or e})") from e


def rebuild(store: Store, paths: Sequence[str | Path], *, ontology: Path | None = None, fmt: str | None = None,
            context: dict[str, Any] | None = None, validator: Validator | None = None,
            progress: Callable[[int], None] | None = None, base_iri: str = BASE_IRI) -> dict[str, int]:
    """Replace the store's content with the records in ``paths`` (and the ontology as its own graph).

    Formats Oxigraph reads natively are bulk-loaded; JSON-LD and YAML records (which may name our context)
    are parsed first. With a ``validator``, every record is checked before anything is written and a
    non-conforming set raises NotConformingError. Returns {"files": n, "bytes": n}."""
    files = iter_files(paths)
    if not files:
        raise LoadError(", ".join(map(str, paths)), "no RDF files found")
    bulk: list[tuple[str, RdfFormat, str | None]] = []
    parsed: list[Record] = []
    for f in files:
        rf = format_for_path(f, fmt)
        if _blank(f):   # as the parsers say for every other command; loaded, it would empty the store
            raise LoadError(str(f), "the file is empty")
        if validator is not None or rf.oxigraph is None or rf.name == "jsonld":
            parsed.extend(records_from_file(f, fmt, context=context, base_iri=base_iri))
        else:
            bulk.append((str(f), rf, scan_record_iri(f, rf, base_iri)))
    skip: frozenset[str] = frozenset()
    if ontology is not None:
        # The store's ontology is the project's: an ontology graph among the inputs (a dump of a store,
        # read back) gives way to it instead of merging with it or clashing
        onto = records_from_file(ontology, base_iri=base_iri)
        skip = frozenset(r.iri for r in onto)
        parsed = [r for r in parsed if r.iri not in skip]
        bulk = [(p, f, g) for p, f, g in bulk if g not in skip]
        parsed.extend(onto)
    # A record two files declare is refused, not merged. The graphs of a TriG or N-Quads file are read
    # from it first where another file could clash with them (a load of one dataset file reads it once).
    declared: dict[str, str] = {}
    named = [(r.iri, r.source) for r in parsed if r.iri not in skip] + [(g, p) for p, _, g in bulk if g]
    datasets = [(p, f) for p, f, g in bulk if g is None]
    if datasets and len(datasets) + len(named) > 1:
        named += [(g, p) for p, f in datasets for g in sorted(dataset_graph_names(p, f)) if g not in skip]
    for name, source in named:
        if name in declared and declared[name] != source:
            raise declared_by_two_files(source, name, declared[name])
        declared[name] = source
    if validator is not None:
        report = validator.validate([r for r in parsed if ontology is None or r.source != str(ontology)])
        if not report.conforms:
            raise NotConformingError(", ".join(map(str, paths)), report)
    store.rebuild(bulk, progress=progress, extra=parsed, skip=skip, base_iri=base_iri)
    return {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}


__all__ = ["WriteResult", "read_records", "check", "add", "named_as_records", "remove", "rebuild"]
