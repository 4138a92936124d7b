"""Records + shapes (+ the part of the graph they reach) -> a ValidationReport value.

pySHACL runs on a plain rdflib graph holding exactly what it must see: the new records, the ontology, and
the context the records point into (every triple about each IRI they reference but do not describe), with
the records' own nodes as focus nodes. So a record may refer to an organisation already in the store, and
a batch is checked in time that depends on its size, not on the store's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .load import Record
from .namespaces import PREFIXES, RDF
from .store.base import Store, Triples

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class ValidationResult:
    focus_node: str
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None
    constraint: str | None
    source: str | None = None   # the file the focus node comes from
    line: int | None = None     # the line of that file where it is first named

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def where(self) -> str:
        if self.source and self.line:
            return f"{self.source}:{self.line}"
        return self.source or ""


@dataclass
class ValidationReport:
    conforms: bool
    results: list[ValidationResult]
    graph: Graph = field(repr=False)
    focus_count: int = 0

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    def text(self) -> str:
        if not self.results:
            return "Conforms: yes (no results)."
        lines = [f"Conforms: {'yes' if self.conforms else 'no'} "
                 f"({len(self.violations)} violation(s), {len(self.results) - len(self.violations)} other)"]
        for r in self.results:
            lines.append(f"- {r.severity}: {r.message}")
            lines.append(f"    focus node: {r.focus_node}")
            if r.path:
                lines.append(f"    path:       {r.path}")
            if r.value is not None:
                lines.append(f"    value:      {r.value}")
            if r.where():
                lines.append(f"    at:         {r.where()}")
            if r.shape:
                lines.append(f"    shape:      {r.shape}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "results": [r.as_dict() for r in self.results]},
                          indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        g = self.graph
        for p, ns in PREFIXES.items():
            g.bind(p, ns, override=True)
        return g.serialize(format="turtle")


def _short(t: Node | None) -> str | None:
    if t is None:
        return None
    if isinstance(t, URIRef):
        s = str(t)
        for p, ns in PREFIXES.items():
            if s.startswith(ns) and re.fullmatch(r"[\w\-./]*", s[len(ns):]):
                return f"{p}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(t, Literal):
        return t.n3()
    return f"_:{t}"


def _path_text(g: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, BNode):
        inv = g.value(path, SH.inversePath)
        if inv is not None:
            return f"^{_short(inv)}"
        items = list(g.items(path)) if (path, RDF.first, None) in g else []
        if items:
            return "/".join(_path_text(g, i) or "?" for i in items)
        return "(complex path)"
    return _short(path)


class Validator:
    """SHACL shapes and the ontology, parsed once; validates records against them."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology

    @classmethod
    def from_files(cls, shapes_path: Path, ontology_path: Path) -> "Validator":
        from .errors import LoadError

        graphs = []
        for p in (shapes_path, ontology_path):
            g = Graph()
            try:
                g.parse(p, format="turtle")
            except FileNotFoundError as e:
                raise LoadError(str(p), "no such file") from e
            except Exception as e:  # rdflib's parsers raise many kinds
                raise LoadError(str(p), str(e)) from e
            graphs.append(g)
        return cls(*graphs)

    def context(self, records: Sequence[Record], store: Store | None, exclude: Iterable[str] = ()) -> Graph:
        """Every triple of the store about the IRIs the records reference but do not describe."""
        if store is None:
            return Graph()
        described: set[str] = set()
        referenced: set[str] = set()
        for r in records:
            for t in r.triples:
                if isinstance(t.subject, ox.NamedNode):
                    described.add(t.subject.value)
                if isinstance(t.object, ox.NamedNode):
                    referenced.add(t.object.value)
        wanted = sorted(referenced - described)
        if not wanted:
            return Graph()
        out = Graph()
        skip = set(exclude)
        graphs = [g for g in store.records() if g not in skip] if skip else None
        for i in range(0, len(wanted), 500):
            values = " ".join(f"<{iri}>" for iri in wanted[i:i + 500])
            q = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o }}"
            res = store.query(q, default_graphs=graphs) if graphs else store.query(q)
            assert isinstance(res, Triples)
            out += res.graph
        return out

    def validate(self, records: Sequence[Record], store: Store | None = None,
                 replacing: bool = False) -> ValidationReport:
        """Check ``records`` against the shapes, in the context of ``store`` (if given). With ``replacing``,
        the records' current versions in the store are not part of the context."""
        data = Graph()
        focus: set[Node] = set()
        origin: dict[Node, str] = {}
        for r in records:
            g = r.to_rdflib()
            data += g
            for s in set(g.subjects()):
                focus.add(s)
                origin.setdefault(s, r.source)
        data += self.ontology
        data += self.context(records, store, exclude=[r.iri for r in records] if replacing else ())
        if not focus:
            return ValidationReport(True, [], Graph(), 0)
        conforms, report_graph, _ = shacl_validate(
            data, shacl_graph=self.shapes, inference="none", allow_warnings=True, allow_infos=True,
            focus_nodes=sorted(focus, key=str), advanced=True,
        )
        results = self._results(report_graph, origin)
        return ValidationReport(bool(conforms), results, report_graph, len(focus))

    def _results(self, g: Graph, origin: dict[Node, str]) -> list[ValidationResult]:
        out = []
        lines = _LineFinder()
        for res in g.subjects(RDF.type, SH.ValidationResult):
            focus = g.value(res, SH.focusNode)
            value = g.value(res, SH.value)
            sev = g.value(res, SH.resultSeverity)
            msgs = sorted(str(m) for m in g.objects(res, SH.resultMessage))
            src = origin.get(focus) if focus is not None else None
            out.append(ValidationResult(
                focus_node=_short(focus) or "?",
                path=_path_text(g, g.value(res, SH.resultPath)),
                value=_short(value),
                message="; ".join(msgs) or "constraint not met",
                severity=_SEVERITY.get(sev, str(sev)),  # type: ignore[arg-type]
                shape=_short(g.value(res, SH.sourceShape)) if not isinstance(g.value(res, SH.sourceShape), BNode) else None,
                constraint=_short(g.value(res, SH.sourceConstraintComponent)),
                source=src,
                line=lines.find(src, focus) if src else None,
            ))
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        out.sort(key=lambda r: (order.get(r.severity, 3), r.source or "", r.line or 0, r.focus_node, r.path or "",
                                r.message))
        return out


class _LineFinder:
    """Finds the first line of a source file that names a node (by full IRI or a declared prefix)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[list[str], dict[str, str]]] = {}

    def _file(self, src: str) -> tuple[list[str], dict[str, str]]:
        if src not in self._cache:
            try:
                text = Path(src).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            prefixes = dict(re.findall(r"@?prefix\s+([\w\-]*):\s*<([^>]*)>", text, flags=re.I))
            self._cache[src] = (text.splitlines(), prefixes)
        return self._cache[src]

    def find(self, src: str, node: Node | None) -> int | None:
        if not isinstance(node, URIRef):
            return None
        lines, prefixes = self._file(src)
        iri = str(node)
        needles = [f"<{iri}>", f'"{iri}"']
        for p, ns in prefixes.items():
            if iri.startswith(ns) and iri != ns:
                needles.append(f"{p}:{iri[len(ns):]}")
        for i, line in enumerate(lines, 1):
            for n in needles:
                j = line.find(n)
                if j >= 0 and (n[0] in "<\"" or not line[j + len(n):j + len(n) + 1].strip("-_/.") or
                               not re.match(r"[\w\-/]", line[j + len(n):j + len(n) + 1])):
                    return i
        return None


__all__ = ["Validator", "ValidationReport", "ValidationResult"]
