"""Records + shapes (+ the part of the graph they reach) -> a ValidationReport value.

pySHACL runs on a plain rdflib graph holding exactly what it must see: the new records, the ontology, and
the context the records reach in the store (see ``Validator.context``), with the records' own nodes (and the
shapes' ``sh:targetNode`` nodes, such as the ontology IRI for the whole-graph checks) as focus nodes. So a
record may refer to an organisation already in the store, and a batch is checked in time that depends on
its size, not on the store's.

Two things keep that time linear (measured, docs/benchmarks.md): the focus nodes are handed to pySHACL as
a set (it tests membership once per targeted node), and SPARQL-based constraints run on Oxigraph over the
same triples: rdflib's engine evaluates our shapes' quote and whole-graph checks by nested loops (20 s for
the workshop record, hours for 1M triples), Oxigraph in milliseconds.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import pyoxigraph as ox
from pyshacl import Validator as _ShaclValidator
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import SH, NamespaceManager, split_uri
from rdflib.query import Result
from rdflib.term import Node

from . import terms
from .formats import rdf_format
from .load import Record
from .namespaces import PREFIXES, RDF
from .store.base import Rows, Store, Triples

_RDF_SUBJECT = str(RDF.subject)
_OA_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
_QUOTES_SHAPE = "https://w3id.org/eventkg/shapes#SourceDocumentQuotesShape"


def _merge_report(into: Graph, other: Graph, conforms: bool) -> None:
    """The results of ``other`` (a pySHACL report graph) added to the report in ``into``."""
    report = into.value(predicate=RDF.type, object=SH.ValidationReport)
    theirs = other.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report is not None and theirs is not None
    for t in other:
        if t[0] != theirs:
            into.add(t)
    for res in other.objects(theirs, SH.result):
        into.add((report, SH.result, res))
    into.set((report, SH.conforms, Literal(conforms)))

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def _incomparable_is_a_result(component: type) -> type:
    """pySHACL's ``sh:lessThan`` / ``sh:lessThanOrEquals`` compared with Python's ``<`` and ``<=``: it crashed
    (TypeError) on some pairs that cannot be compared, an ill-typed date (``"2018-06-31"^^xsd:date``) against a
    well-typed one, and compared others by chance. SHACL makes a pair that cannot be compared a validation
    result (SPARQL's ``<=`` is an error on an ill-typed literal); each pair is compared alone, so that such a
    pair gives its result and the others are compared as before."""
    name = "_compare_lt" if "_compare_lt" in vars(component) else "_compare_ltoe"
    compare = getattr(component, name)

    def each_pair(self: Any, value_node_set: Any, compare_values: Any, datagraph: Any, f: Any) -> Any:
        non_conformant, reports = False, []
        for value in value_node_set:
            for other in compare_values:
                try:
                    if getattr(value, "ill_typed", False) or getattr(other, "ill_typed", False):
                        raise TypeError("an ill-typed literal compares with nothing")  # as SPARQL's <= says
                    nc, found = compare(self, {value}, {other}, datagraph, f)
                except TypeError:
                    nc, found = True, [self.make_v_result(datagraph, f, value_node=value)]
                non_conformant = non_conformant or nc
                reports.extend(found)
        return non_conformant, reports

    return type(component.__name__, (component,), {name: each_pair})


def _patch_pyshacl() -> None:
    from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
    from pyshacl.constraints.core.property_pair_constraints import (
        LessThanConstraintComponent,
        LessThanOrEqualsConstraintComponent,
    )

    for component in (LessThanConstraintComponent, LessThanOrEqualsConstraintComponent):
        for parameter in component.constraint_parameters():
            if CONSTRAINT_PARAMETERS_MAP.get(parameter) is component:
                CONSTRAINT_PARAMETERS_MAP[parameter] = _incomparable_is_a_result(component)
    # Each evaluation of a shape (nested ones too: 89k for the benchmark's batch) tests each of the shape's
    # predicates for being a constraint parameter by `in` on pySHACL's list of them, comparing terms one by
    # one (8.5M comparisons, a fifth of the batch's time). The same list, looked up by hash; pySHACL reads it
    # from this module attribute when it is set.
    import pyshacl.shape

    pyshacl.shape.CONSTRAINT_PARAMS = (_Parameters(CONSTRAINT_PARAMETERS_MAP), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]
    # pySHACL writes a text description of every result it makes, those of nested evaluations it then drops
    # included (each failing member of an sh:or): 92k for the benchmark's batch, which reports 10. Our runs
    # use the report graph only, so there they are not written (other callers of pySHACL still get them).
    from pyshacl.constraints.constraint_component import ConstraintComponent

    describe = ConstraintComponent.make_v_result_description

    def make_v_result_description(self: Any, *args: Any, **kwargs: Any) -> str:
        return "" if getattr(_WITHOUT_TEXT, "on", False) else describe(self, *args, **kwargs)

    ConstraintComponent.make_v_result_description = make_v_result_description  # type: ignore[method-assign]


_WITHOUT_TEXT = threading.local()   # set while our validator runs


class _Parameters(list):  # type: ignore[type-arg]
    """A list whose ``in`` is a set's."""

    def __init__(self, items: Iterable[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


_patch_pyshacl()


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
    focus_node_iri: str | None = None   # the focus node in full (an IRI; None for a blank node), for machines
    value_iri: str | None = None        # the value in full, where it is an IRI
    # the stored record holding the focus node, where that is another record's node (one a replacement affects)
    record: str | None = None

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
            if r.record:
                lines.append(f"    in record:  <{r.record}>")
            if r.shape:
                lines.append(f"    shape:      {r.shape}")
            elif r.constraint:   # a shape without a name: the kind of check tells results apart
                lines.append(f"    constraint: {r.constraint}")
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
        if t.datatype is not None and not t.language:
            return f"{Literal(str(t)).n3()}^^{_short(URIRef(t.datatype))}"
        return t.n3()
    return f"_:{t}"


def _path_text(g: Graph, path: Node | None) -> str | None:
    """A SHACL property path in SPARQL's syntax (``^p``, ``p/q``, ``(p|q)``, ``p*``, ``p+``, ``p?``)."""
    if path is None:
        return None
    if isinstance(path, BNode):
        inv = g.value(path, SH.inversePath)
        if inv is not None:
            return f"^{_path_text(g, inv)}"
        alt = g.value(path, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(_path_text(g, i) or "?" for i in g.items(alt)) + ")"
        for pred, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = g.value(path, pred)
            if inner is not None:
                return f"{_path_text(g, inner)}{mark}"
        items = list(g.items(path)) if (path, RDF.first, None) in g else []
        if items:
            return "/".join(_path_text(g, i) or "?" for i in items)
        return "(complex path)"
    return _short(path)


class _Names(NamespaceManager):
    """Prefixed names for pySHACL's messages about the data graph. rdflib's ``normalizeUri`` also files each
    new namespace in a prefix trie, at a cost that grows with the trie; a batch's IRIs have thousands of
    namespaces (one per record and participation path), which made that filing quadratic. The names are
    the same: a bound namespace gives ``prefix:name``, any other IRI ``<iri>``."""

    def normalizeUri(self, rdfTerm: str) -> str:  # noqa: N802, N803 (rdflib's name)
        try:
            namespace, name = split_uri(rdfTerm)
        except ValueError:
            namespace = None
        prefix = self.store.prefix(URIRef(namespace)) if namespace is not None else None
        if prefix is None:
            return f"?{rdfTerm}" if isinstance(rdfTerm, Variable) else f"<{rdfTerm}>"
        return f"{prefix}:{name}"


class _DataGraph(Graph):
    """The graph pySHACL validates: a plain rdflib graph for its core constraints, whose SPARQL queries (the
    shapes' ``sh:sparql`` constraints) run on an Oxigraph copy of the same triples. A query Oxigraph cannot
    run (a custom function, say) falls back to rdflib's engine."""

    def __init__(self) -> None:
        super().__init__()
        self.namespace_manager = _Names(self)
        self.oxigraph = ox.Store()
        self.to_rdflib = terms.memo_to_rdflib()  # records repeat their terms; one conversion each

    def add_both(self, triples: Iterable[ox.Triple]) -> None:
        quads, add, conv = [], self.add, self.to_rdflib
        for t in triples:
            add((conv(t.subject), conv(t.predicate), conv(t.object)))  # type: ignore[arg-type]
            quads.append(ox.Quad(t.subject, t.predicate, t.object))
        self.oxigraph.extend(quads)

    def add_graph(self, g: Graph) -> None:
        self += g
        to_ox = terms.to_oxigraph
        self.oxigraph.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in g)  # type: ignore[arg-type]

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql", initNs: Any = None,
              initBindings: Any = None, use_store_provided: bool = True, **kwargs: Any) -> Result:  # noqa: N803
        if not isinstance(query_object, str):
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)
        try:
            subs = {ox.Variable(str(k)): terms.to_oxigraph(v) for k, v in (initBindings or {}).items()}
            res = self.oxigraph.query(query_object, substitutions=subs,  # type: ignore[arg-type]
                                      prefixes={str(k): str(v) for k, v in (initNs or {}).items()})
            return _result(res)
        except (SyntaxError, ValueError, TypeError, OSError, RuntimeError):
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def _result(res: Any) -> Result:
    if isinstance(res, ox.QueryBoolean):
        out = Result("ASK")
        out.askAnswer = bool(res)
        return out
    if isinstance(res, ox.QuerySolutions):
        out = Result("SELECT")
        names = [v.value for v in res.variables]
        out.vars = [Variable(n) for n in names]
        conv = terms.memo_to_rdflib()
        rows = []
        for sol in res:
            row = {}
            for i, n in enumerate(names):
                t = sol[i]
                if t is not None:
                    row[Variable(n)] = conv(t)
            rows.append(row)
        out.bindings = rows  # type: ignore[assignment]
        return out
    out = Result("CONSTRUCT")
    out.graph = terms.graph_from_triples(res)
    return out


def _warn_ill_typed(report: Graph, records: Sequence[Record], conv: Any) -> None:
    """A literal whose text is not of its datatype (``"two days"^^xsd:duration``) that no result names yet (no
    shape checks that property's datatype) is added to the report as a warning: it does not stop a record,
    but it is said (rdflib's own warning for it, with a traceback, is not shown)."""
    named = {(report.value(r, SH.focusNode), report.value(r, SH.value))
             for r in report.subjects(RDF.type, SH.ValidationResult)}
    top = report.value(None, RDF.type, SH.ValidationReport)
    seen = set()
    for rec in records:
        for t in rec.triples:
            if not isinstance(t.object, ox.Literal):
                continue
            s, p, o = conv(t.subject), conv(t.predicate), conv(t.object)
            if not getattr(o, "ill_typed", False) or (s, o) in named or (s, p, o) in seen:
                continue
            seen.add((s, p, o))
            res = BNode()
            for prop, value in ((RDF.type, SH.ValidationResult), (SH.focusNode, s), (SH.resultPath, p),
                                (SH.value, o), (SH.resultSeverity, SH.Warning),
                                (SH.sourceConstraintComponent, SH.DatatypeConstraintComponent),
                                (SH.resultMessage, Literal(f"This value is not a valid {_short(o.datatype)}: its text "
                                                           "is not of its datatype."))):
                report.add((res, prop, value))
            if top is not None:
                report.add((top, SH.result, res))


def _state_facts_of(nodes: dict[URIRef, str], context: Graph, stated_by: dict[tuple[Node, Node], list[Node]]) -> None:
    """File the context's facts about ``nodes`` (other records' nodes a replacement affects) in
    ``stated_by``, so that a whole-graph result naming such a fact names its node."""
    for s_, p_, o_ in context:
        if s_ in nodes:
            stated_by.setdefault((p_, o_), []).append(s_)


def _result_key(r: "ValidationResult") -> tuple[Any, ...]:
    """What tells a result apart from another, wherever it was found."""
    return (r.focus_node, r.path, r.value, r.severity, r.shape, r.constraint, r.message)


_XSD = "http://www.w3.org/2001/XMLSchema#"
# Datatypes whose values a store may give back as another of them (Oxigraph: "7"^^xsd:nonNegativeInteger as
# xsd:integer): compared as one
_INTEGERS = {f"{_XSD}{n}" for n in ("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                    "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
                                    "unsignedInt", "unsignedShort", "unsignedByte")}


def _value_key(t: Any) -> Any:
    """What a term is compared by when looking for changes: a literal by its datatype (the integer types
    as one, a plain string as xsd:string) and its value (numbers exactly, dates as instants, a language tag
    in any case), anything else by itself."""
    if not isinstance(t, Literal):
        return t
    dt = str(t.datatype) if t.datatype else (None if t.language else f"{_XSD}string")
    kind = "integer" if dt in _INTEGERS else dt
    lang = (t.language or "").lower()
    v = t.value
    if v is None or getattr(t, "ill_typed", False):
        return (kind, "text", str(t), lang)
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        try:
            return (kind, Fraction(v))   # exact: no rounding to a precision
        except (ArithmeticError, ValueError, OverflowError):   # NaN and the infinities, as written
            return (kind, "text", str(t))
    try:
        hash(v)
    except TypeError:
        return (kind, "text", str(t), lang)
    return (kind, v, lang)


def _comparable_lines(triples: Iterable[ox.Triple]) -> set[str]:
    """N-Triples lines of the triples, each blank node labelled by a hash of what it says (its properties and
    their values, blank ones by their own hashes; a blank node met again inside a cycle counts as
    ``_:cycle``): the same statements give the same lines, whatever labels the store or a parser gave the
    blank nodes. Labelled bottom-up without recursion (an RDF list is a chain of blank nodes)."""
    triples = list(triples)
    about: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            about.setdefault(t.subject, []).append(t)
    labels: dict[ox.BlankNode, str] = {}
    walking: set[ox.BlankNode] = set()

    def blank(b: ox.BlankNode) -> str:
        return labels.get(b) or ("_:cycle" if b in walking else "_:h0")   # _:h0: says nothing

    def blank_objects(b: ox.BlankNode) -> Iterator[ox.BlankNode]:
        return (t.object for t in about.get(b, ()) if isinstance(t.object, ox.BlankNode))

    for root in about:
        if root in labels:
            continue
        walking.add(root)
        stack = [(root, blank_objects(root))]
        while stack:
            b, todo = stack[-1]
            nxt = next((c for c in todo if c not in labels and c not in walking), None)
            if nxt is not None:
                walking.add(nxt)
                stack.append((nxt, blank_objects(nxt)))
                continue
            stack.pop()
            said = sorted(f"{t.predicate} {blank(t.object) if isinstance(t.object, ox.BlankNode) else t.object}"
                          for t in about.get(b, ()))
            labels[b] = "_:h" + hashlib.sha1("\n".join(said).encode("utf-8")).hexdigest()[:20]
            walking.discard(b)

    def term(x: Any) -> str:
        return blank(x) if isinstance(x, ox.BlankNode) else str(x)

    return {f"{term(t.subject)} {t.predicate} {term(t.object)} ." for t in triples}


def _same_value(a: Node, b: Node | None) -> bool:
    """The same term, or literals of the same value (``"19"^^xsd:integer`` and ``"19"^^xsd:nonNegativeInteger``)."""
    if a == b:
        return True
    if isinstance(a, Literal) and isinstance(b, Literal):
        try:
            return bool(a.eq(b))
        except TypeError:
            return False
    return False


class _FocusSetValidator(_ShaclValidator):
    """pySHACL's validator, checking only the ``keep`` nodes among those each shape targets.

    pySHACL's own ``focus_nodes`` option is not used: it filters every evaluation of a shape, nested ones
    too, so a member of an ``sh:or`` checked on a value that is no focus node (a literal, or a node only the
    store describes) was passed as conforming, and blank nodes were never checked at all. Here each shape's
    targets are filtered instead, once, and everything a shape then checks on them is checked. (The run is
    pySHACL's for a data graph validated in place, without inference, rules or SHACL-AF.)"""

    def __init__(self, *args: Any, keep: frozenset[Node], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keep = keep

    def run(self) -> tuple[bool, Graph]:
        _WITHOUT_TEXT.on = True
        try:
            return self._run()
        finally:
            _WITHOUT_TEXT.on = False

    def _run(self) -> tuple[bool, Graph]:
        g = self.data_graph
        use = self.options.get("use_shapes")
        shapes = self.shacl_graph.shapes_from_uris([URIRef(u) for u in use]) if use else self.shacl_graph.shapes
        executor = self.make_executor()
        conforms, reports = True, []
        for shape in shapes:
            targets = [n for n in shape.focus_nodes(g) if n in self._keep]
            if targets:
                ok, found = shape.validate(executor, g, focus=targets)
                conforms = conforms and ok
                reports.extend(found)
        report, _ = self.create_validation_report(self.shacl_graph, conforms, reports)
        return conforms, report


class Validator:
    """SHACL shapes and the ontology, parsed once; validates records against them."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.shapes = shapes
        self.ontology = ontology
        # Nodes the shapes always target (the whole-graph checks hang on the ontology IRI): focus nodes of
        # every validation, as they are of a validation of the whole graph.
        self.target_nodes = sorted({t for t in shapes.objects(None, SH.targetNode) if isinstance(t, URIRef)},
                                   key=str)

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

    def context(self, records: Sequence[Record], store: Store | None, exclude: Iterable[str] = (),
                also: Iterable[str] = ()) -> Graph:
        """The part of the store the shapes reach from the records:

        1. every triple about each IRI the records reference (the types and labels that ``sh:class`` and the
           like check), and about each IRI they describe: a record that restates another record's node (a
           second start date for an event already in the store) is checked against all the store says of it;
        2. the assertions about those IRIs (``rdf:subject``), which the whole-graph checks look for behind
           every fact in the data graph, these included.

        A stored triple that a record restates is taken as the record states it: the store gives literals
        back normalised (Oxigraph stores ``xsd:nonNegativeInteger`` as ``xsd:integer``), so its stored copy
        would be a second value beside the record's own. ``exclude``: records whose stored versions are left
        out (they are being replaced). ``also``: stored nodes to read as the records' own are (all the store
        says of them, and what that points to): the nodes of other records a replacement affects."""
        if store is None:
            return Graph()
        described: set[str] = set()
        referenced: set[str] = set()
        stated: dict[tuple[Node | None, Node | None], list[Node | None]] = {}
        conv = terms.memo_to_rdflib()
        for r in records:
            for t in r.triples:
                if isinstance(t.subject, ox.NamedNode):
                    described.add(t.subject.value)
                    stated.setdefault((conv(t.subject), conv(t.predicate)), []).append(conv(t.object))
                if isinstance(t.object, ox.NamedNode):
                    referenced.add(t.object.value)
        described.update(also)
        out = Graph()
        if not described and not referenced:
            return out
        skip = sorted(set(exclude) | set(store.hidden_graphs()))   # a staging copy of a record is no record
        for s_, p_, o_ in self._about(store, sorted(described), skip):
            if not any(_same_value(o_, mine) for mine in stated.get((s_, p_), ())):
                out.add((s_, p_, o_))
                if isinstance(o_, URIRef):
                    referenced.add(str(o_))   # what the store says of them points further
        out += self._about(store, sorted(referenced - described), skip)
        subjects = sorted({str(s) for s in out.subjects() if isinstance(s, URIRef)})
        out += self._about(store, subjects, skip, via=_RDF_SUBJECT)
        return out

    @staticmethod
    def _about(store: Store, iris: list[str], skip: list[str], via: str | None = None) -> Graph:
        """Every triple about the IRIs (with ``via``: about the nodes that point to them by ``via``) in the
        store's named graphs, but those in ``skip`` (triples outside any graph are no record's). The records are read as ``GRAPH ?g`` with a filter, not as a
        dataset listing every other record: Oxigraph looks each IRI up once per graph of such a list (with
        1,698 records, 6 s instead of 0.08 s for the context of one record being replaced)."""
        out = Graph()
        keep = f"FILTER (?g NOT IN ({', '.join(f'<{g}>' for g in skip)}))" if skip else ""
        for i in range(0, len(iris), 500):
            values = " ".join(f"<{iri}>" for iri in iris[i:i + 500])
            if via is None:
                q = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?x ?p ?o }} {keep} }}"
            else:
                q = (f"CONSTRUCT {{ ?a ?p ?o }} WHERE {{ VALUES ?x {{ {values} }} GRAPH ?h {{ ?a <{via}> ?x }} "
                     f"GRAPH ?g {{ ?a ?p ?o }} {keep} {keep.replace('?g', '?h')} }}")
            res = store.query(q)
            assert isinstance(res, Triples)
            out += res.graph
        return out

    def validate(self, records: Sequence[Record], store: Store | None = None,
                 replacing: bool = False) -> ValidationReport:
        """Check ``records`` against the shapes, in the context of ``store`` (if given). With ``replacing``,
        the records' current versions in the store are not part of the context."""
        data = _DataGraph()
        focus: set[Node] = set()
        origin: dict[Node, str] = {}
        conv = data.to_rdflib
        # stated_by: a whole-graph check (hung on the ontology's IRI) names a fact by its property and object;
        # the subject the records state it of is the node to report
        stated_by: dict[tuple[Node, Node], list[Node]] = {}
        for r in records:
            data.add_both(r.triples)
            for t in r.triples:
                s = conv(t.subject)
                if s not in origin:
                    focus.add(s)  # type: ignore[arg-type]
                    origin[s] = r.source  # type: ignore[index]
                stated_by.setdefault((conv(t.predicate), conv(t.object)), []).append(s)  # type: ignore[arg-type]
        if not focus:
            return ValidationReport(True, [], Graph(), 0)
        data.add_graph(self.ontology)
        affected = self.affected(records, store) if replacing and store is not None else {}
        affected = {x: g for x, g in affected.items() if x not in origin}
        context = self.context(records, store, exclude=[r.iri for r in records] if replacing else (),
                               also=[str(x) for x in affected])
        data.add_graph(context)
        _state_facts_of(affected, context, stated_by)
        focus.update(affected)
        focus.update(self.target_nodes)
        conforms, report_graph = self._run(data, sorted(focus, key=str))
        # Documents already in the store that the records quote: their quote checks, and nothing else of
        # theirs, run again with the records' evidence in the graph.
        cited = sorted({o for r in records for t in r.triples if t.predicate.value == _OA_HAS_SOURCE
                        for o in [conv(t.object)] if isinstance(o, URIRef) and o not in origin}, key=str)
        if cited:
            ok, more = self._run(data, cited, use_shapes=[_QUOTES_SHAPE])
            conforms = conforms and ok
            _merge_report(report_graph, more, conforms)
        _warn_ill_typed(report_graph, records, conv)
        # A replacement is refused for what it breaks, not for what the nodes of other records it affects
        # already failed (stored records that predate a change of the shapes, or were loaded unchecked).
        already = self._already(affected, store) if affected and store is not None else set()
        results = self._results(report_graph, origin, stated_by, affected, drop=already)
        if already and not conforms and not any(r.severity == "Violation" for r in results):
            conforms = True
            report_graph.set((report_graph.value(None, RDF.type, SH.ValidationReport), SH.conforms,  # type: ignore[arg-type]
                              Literal(True)))
        return ValidationReport(conforms, results, report_graph, len(focus) + len(cited))

    def _already(self, affected: dict[URIRef, str], store: Store) -> set[tuple[Any, ...]]:
        """The results the ``affected`` nodes of other records, and what the whole-graph checks find around
        them, have in the store as it is (before a replacement), as ``_result_key`` gives them."""
        data = _DataGraph()
        data.add_graph(self.ontology)
        context = self.context([], store, also=[str(x) for x in affected])
        data.add_graph(context)
        stated_by: dict[tuple[Node, Node], list[Node]] = {}
        _state_facts_of(affected, context, stated_by)
        _, report = self._run(data, sorted(set(affected) | set(self.target_nodes), key=str))
        return {_result_key(r) for r in self._results(report, {}, stated_by, affected)}

    @staticmethod
    def affected(records: Sequence[Record], store: Store) -> dict[URIRef, str]:
        """The nodes of other records that replacing ``records`` can make fail: a replacement that drops or
        changes what a record said of a node (an organisation's type, a document's text, an assertion) is
        checked against every other record that relies on it. Returns each such node (an IRI) with the
        record that holds it:

        - a node whose description changes, where another record describes it too;
        - a node of another record that points to such a node (an event whose organiser it is, evidence
          quoting it, an assertion about it);
        - a node of another record that a dropped triple pointed to (a fact that loses its assertion).

        A node counts as changed when the new versions of the records state of it a triple their stored
        versions did not, or the other way round: literals compared by value, blank nodes by what they say
        (so a record restated, in another syntax or form, changes nothing). Blank nodes of other records are
        not reached: the store cannot name them to a later query."""
        now = _comparable_lines(t for r in records for t in r.triples)
        was: set[str] = set()
        for r in records:
            if not store.has_record(r.iri):   # a replacement may add a record too
                continue
            buf = io.BytesIO()
            store.dump(buf, rdf_format("nt"), graph=r.iri)
            was |= _comparable_lines(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_TRIPLES))
        # Lines that differ are compared as terms: the store may give a literal back in another form of the
        # same value ("19"^^xsd:nonNegativeInteger as "19"^^xsd:integer), or a remote store spell it otherwise.
        conv = terms.memo_to_rdflib()

        def by_subject_property(data: set[str]) -> dict[tuple[Any, Any], tuple[set[Any], set[Any]]]:
            """(subject, property) -> (the objects, their values' keys)"""
            out: dict[tuple[Any, Any], tuple[set[Any], set[Any]]] = {}
            for q in ox.parse("\n".join(data).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
                o = conv(q.object)
                objects, keys = out.setdefault((conv(q.subject), conv(q.predicate)), (set(), set()))
                objects.add(o)
                keys.add(_value_key(o))
            return out

        gone, added = by_subject_property(was - now), by_subject_property(now - was)
        nothing: tuple[set[Any], set[Any]] = (set(), set())

        def kept(o: Any, others: tuple[set[Any], set[Any]]) -> bool:
            return o in others[0] or _value_key(o) in others[1]

        changed: set[str] = set()
        dropped_objects: set[str] = set()
        for (s_, p_), (values, _) in gone.items():
            for o_ in values:
                if not kept(o_, added.get((s_, p_), nothing)):
                    if isinstance(s_, URIRef):
                        changed.add(str(s_))
                    if isinstance(o_, URIRef):
                        dropped_objects.add(str(o_))
        for (s_, p_), (values, _) in added.items():
            if isinstance(s_, URIRef) and any(not kept(o_, gone.get((s_, p_), nothing)) for o_ in values):
                changed.add(str(s_))
        if not changed and not dropped_objects:
            return {}
        skip = sorted({r.iri for r in records} | set(store.hidden_graphs()))
        keep = f"FILTER (?g NOT IN ({', '.join(URIRef(g).n3() for g in skip)}))"
        out: dict[URIRef, str] = {}
        asks = [(sorted(changed | dropped_objects), "?x ?p ?o", "?x"),   # described elsewhere too
                (sorted(changed), "?a ?p ?x FILTER (isIRI(?a))", "?a")]  # pointing to a changed node
        for iris, pattern, node in asks:
            for i in range(0, len(iris), 500):
                listed = " ".join(URIRef(x).n3() for x in iris[i:i + 500])
                res = store.query(f"SELECT DISTINCT {node} ?g WHERE {{ VALUES ?x {{ {listed} }} "
                                  f"GRAPH ?g {{ {pattern} }} {keep} }}")
                assert isinstance(res, Rows)
                for x, g in res.rows:
                    if isinstance(x, URIRef) and (x not in out or str(g) < out[x]):
                        out[x] = str(g)
        return out

    def _run(self, data: Graph, focus: Sequence[Node], use_shapes: list[str] | None = None) -> tuple[bool, Graph]:
        """pySHACL on ``data`` for the ``focus`` nodes (and only ``use_shapes``, if given): (conforms, report)."""
        options: dict[str, Any] = {"inference": "none", "allow_warnings": True, "allow_infos": True,
                                   "inplace": True}
        if use_shapes:
            options["use_shapes"] = use_shapes
        conforms, report = _FocusSetValidator(DataGraph.from_rdflib(data), shacl_graph=self.shapes,
                                                 options=options, keep=frozenset(focus)).run()
        return bool(conforms), report

    def _results(self, g: Graph, origin: dict[Node, str],
                 stated_by: dict[tuple[Node, Node], list[Node]] | None = None,
                 affected: dict[URIRef, str] | None = None,
                 drop: set[tuple[Any, ...]] | None = None) -> list[ValidationResult]:
        """The report's results, as values. Those whose key is in ``drop`` and that are about no node of the
        records (focus node and value both other records') are taken out of the report."""
        affected = affected or {}
        out = []
        lines = _LineFinder()
        for res in list(g.subjects(RDF.type, SH.ValidationResult)):
            focus = g.value(res, SH.focusNode)
            value = g.value(res, SH.value)
            path = g.value(res, SH.resultPath)
            if focus not in origin and focus in self.target_nodes and isinstance(path, URIRef) and value is not None:
                subjects = sorted((x for x in (stated_by or {}).get((path, value), [])
                                   if x in origin or x in affected), key=str)
                if subjects:
                    focus = subjects[0]
            sev = g.value(res, SH.resultSeverity)
            msgs = sorted(str(m) for m in g.objects(res, SH.resultMessage))
            # A stored document's quote check names the record's evidence at fault as its value.
            node = focus if focus in origin else value
            src = origin.get(node) if node is not None else None
            result = ValidationResult(
                focus_node=_short(focus) or "?",
                path=_path_text(g, path),
                value=_short(value),
                message="; ".join(msgs) or "constraint not met",
                severity=_SEVERITY.get(sev, str(sev)) if isinstance(sev, URIRef) else str(sev),
                shape=_short(g.value(res, SH.sourceShape)) if not isinstance(g.value(res, SH.sourceShape), BNode) else None,
                constraint=_short(g.value(res, SH.sourceConstraintComponent)),
                source=src,
                line=lines.find(src, node) if src else None,
                focus_node_iri=str(focus) if isinstance(focus, URIRef) else None,
                value_iri=str(value) if isinstance(value, URIRef) else None,
                record=affected.get(focus) if isinstance(focus, URIRef) else None,
            )
            if drop and focus not in origin and value not in origin and _result_key(result) in drop:
                g.remove((res, None, None))
                g.remove((None, SH.result, res))
                continue
            out.append(result)
        order = {"Violation": 0, "Warning": 1, "Info": 2}
        out.sort(key=lambda r: (order.get(r.severity, 3), r.source or "", r.line or 0, r.focus_node, r.path or "",
                                r.message, r.value or "", r.shape or "", r.constraint or ""))
        return out


class _LineFinder:
    """Finds the line of a source file that describes a node: where it starts a statement, else where it
    is first named (by full IRI, an IRI relative to ``@base``/``BASE``, a prefixed name, or a JSON string).

    Each way of naming a node (a needle) ends with a word (run of letters, digits, ``_`` and ``-``) that is a
    whole word of the line that names it; a file's words are indexed once, and only the lines holding the
    needles' last words are searched (searching every line for each result took 36 s for 493 results in a
    50,000-triple record)."""

    _WORD = re.compile(r"[\w\-]+")

    def __init__(self) -> None:
        self._cache: dict[str, tuple[list[str], dict[str, str], list[str], dict[str, list[int]]]] = {}

    def _file(self, src: str) -> tuple[list[str], dict[str, str], list[str], dict[str, list[int]]]:
        if src not in self._cache:
            try:
                text = Path(src).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            prefixes = dict(re.findall(r"@?prefix\s+([\w\-]*):\s*<([^>]*)>", text, flags=re.I))
            bases = re.findall(r"@?base\s+<([^>]*)>", text, flags=re.I)
            lines = text.splitlines()
            words: dict[str, list[int]] = {}
            for i, line in enumerate(lines, 1):
                for w in set(self._WORD.findall(line)):
                    words.setdefault(w, []).append(i)
            self._cache[src] = (lines, prefixes, bases, words)
        return self._cache[src]

    def find(self, src: str, node: Node | None) -> int | None:
        if not isinstance(node, URIRef):
            return None
        lines, prefixes, bases, words = self._file(src)
        iri = str(node)
        needles = [f"<{iri}>", f'"{iri}"']
        needles += [f"<{iri[len(b):]}>" for b in bases if iri.startswith(b) and iri != b]
        needles += [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if iri.startswith(ns) and iri != ns]
        # JSON-LD and YAML records write compact IRIs with our context's prefixes.
        compact = [f"{p}:{iri[len(ns):]}" for p, ns in PREFIXES.items() if iri.startswith(ns) and iri != ns]
        needles += [f'"{c}"' for c in compact]
        needles += [f"{key}: {c}" for key in ("@id", '"@id"', "'@id'") for c in [*compact, iri]]

        def names(line: str, n: str) -> int:
            j = line.find(n)
            while j >= 0:
                after = line[j + len(n):j + len(n) + 1]
                if n[0] in "<\"" or not re.match(r"[\w\-/.:]", after) or (after == "." and not
                                                                          re.match(r"\.[\w\-]", line[j + len(n):])):
                    return j
                j = line.find(n, j + 1)
            return -1

        # each needle's own last word (a prefix's namespace or the base may end inside the IRI's last word)
        tails = [self._WORD.findall(n) for n in needles]
        if all(tails):
            candidates: Iterable[int] = sorted({i for t in tails for i in words.get(t[-1], ())})
        else:
            candidates = range(1, len(lines) + 1)
        first = None
        for i in candidates:
            line = lines[i - 1]
            for n in needles:
                j = names(line, n)
                if j < 0:
                    continue
                # A subject starts its line (Turtle, TriG, N-Triples); JSON-LD and YAML name it with @id.
                if j == 0 or n.startswith("@id:") or line[:j].rstrip().endswith(('"@id":', "'@id':")):
                    return i
                first = first or i
        return first


__all__ = ["Validator", "ValidationReport", "ValidationResult"]
