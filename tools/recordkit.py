"""A small kit for writing eventkg records as tidy, deterministic Turtle.

Records are built in Python so that every quote position is computed from the source text
(``text.find``), never counted by hand, and so that each plain triple gets its assertion node
(``ekg:Assertion``) with its evidence in one call.

The kit has no dependency on the eventkg package: it needs only rdflib (for terms and for the
self-check that the Turtle it writes parses back to the triples it was given).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace

from eventkg.namespaces import BASE_IRI as BASE, DCAT, EKG, OA, ORG, RECORD, SCHEMA, SEM, WD

ID_BASE = BASE + "id/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

# Prefixes written at the top of every record (order kept); ids use @base instead of a prefix
# because their local parts contain '/', which a Turtle prefixed name cannot hold unescaped.
PREFIXES: list[tuple[str, str]] = [
    ("ekg", str(EKG)),
    ("record", str(RECORD)),
    ("schema", str(SCHEMA)),
    ("org", str(ORG)),
    ("prov", str(PROV)),
    ("oa", str(OA)),
    ("skos", str(SKOS)),
    ("foaf", str(FOAF)),
    ("dcterms", str(DCTERMS)),
    ("dcat", str(DCAT)),
    ("owl", str(OWL)),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("xsd", str(XSD)),
    ("wd", str(WD)),
]

BASIS_STATED = URIRef(ID_BASE + "basis/stated")
BASIS_INFERRED = URIRef(ID_BASE + "basis/inferred")
BASIS_INTERPRETED = URIRef(ID_BASE + "basis/interpreted")
BASIS_REFERENCE = URIRef(ID_BASE + "basis/reference")


def iri(kind: str, slug: str) -> URIRef:
    """The IRI the graph mints for a thing: ``https://w3id.org/eventkg/id/KIND/SLUG``."""
    return URIRef(f"{ID_BASE}{kind}/{slug}")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def nni(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


class QuoteError(ValueError):
    """A quote was not found in the source text, or not found exactly once."""


@dataclass
class Source:
    """A source document whose text is held in full, so that quotes can be located in it."""

    iri: URIRef
    slug: str
    text: str

    def locate(self, quote: str, within: str | None = None) -> tuple[int, int]:
        """0-based start and exclusive end of ``quote`` in the text (``text[start:end] == quote``).

        The quote must occur exactly once, or exactly once inside ``within`` (a longer passage
        that itself occurs exactly once): ambiguity is an error, not a guess.
        """
        offset, haystack = 0, self.text
        if within is not None:
            offset = self._unique(within, self.text, "passage")
            haystack = within
        start = offset + self._unique(quote, haystack, "quote")
        return start, start + len(quote)

    @staticmethod
    def _unique(needle: str, haystack: str, what: str) -> int:
        first = haystack.find(needle)
        if first < 0:
            raise QuoteError(f"{what} not found: {needle!r}")
        if haystack.find(needle, first + 1) >= 0:
            raise QuoteError(f"{what} occurs more than once, give a passage around it: {needle!r}")
        return first


@dataclass
class Builder:
    """Collects the triples of one record, section by section, and writes them as Turtle."""

    record_slug: str
    header: str = ""
    sections: dict[str, list[tuple[URIRef, URIRef, object]]] = field(default_factory=dict)
    section_notes: dict[str, str] = field(default_factory=dict)
    current: str = "main"
    _seen: set = field(default_factory=set)

    # -- collecting -------------------------------------------------------------------------
    def section(self, name: str, note: str = "") -> None:
        self.current = name
        self.sections.setdefault(name, [])
        if note:
            self.section_notes[name] = note

    def add(self, s: URIRef, p: URIRef, o, section: str | None = None) -> None:
        key = (s, p, o)
        if key in self._seen:
            return
        self._seen.add(key)
        self.sections.setdefault(section or self.current, []).append(key)

    def describe(self, s: URIRef, *pairs, section: str | None = None) -> URIRef:
        """Add ``(s, p, o)`` for each ``(p, o)``; a list ``o`` adds one triple per item."""
        for p, o in pairs:
            for item in (o if isinstance(o, (list, tuple)) else [o]):
                self.add(s, p, item, section)
        return s

    def triples(self):
        for triples in self.sections.values():
            yield from triples

    def graph(self) -> Graph:
        g = Graph()
        for t in self.triples():
            g.add(t)
        return g

    # -- evidence and assertions --------------------------------------------------------------
    def evidence(self, source: Source, quote: str, within: str | None = None, context: int = 24) -> URIRef:
        """An ``ekg:Evidence`` node selecting ``quote`` in ``source`` by quote and by position."""
        start, end = source.locate(quote, within)
        assert source.text[start:end] == quote
        node = iri("evidence", f"{source.slug}/{start}-{end}")
        quote_sel = URIRef(f"{node}/quote")
        pos_sel = URIRef(f"{node}/position")
        sec = "evidence"
        self.describe(node, (RDF.type, [EKG.Evidence, OA.SpecificResource]), (OA.hasSource, source.iri),
                      (OA.hasSelector, [quote_sel, pos_sel]), section=sec)
        prefix = source.text[max(0, start - context):start]
        suffix = source.text[end:end + context]
        self.describe(quote_sel, (RDF.type, OA.TextQuoteSelector), (OA.exact, Literal(quote)), section=sec)
        if prefix:
            self.add(quote_sel, OA.prefix, Literal(prefix), sec)
        if suffix:
            self.add(quote_sel, OA.suffix, Literal(suffix), sec)
        self.describe(pos_sel, (RDF.type, OA.TextPositionSelector), (OA.start, nni(start)), (OA.end, nni(end)),
                      section=sec)
        return node

    def fact(self, s: URIRef, p: URIRef, o, *evidence: URIRef, basis: URIRef = BASIS_STATED,
             note: str | None = None, interpretation: URIRef | None = None,
             derived_from: URIRef | None = None, locator: str | None = None) -> URIRef:
        """Add the plain triple ``s p o`` and an ``ekg:Assertion`` about it carrying its evidence.

        Text evidence goes in ``evidence``; a fact taken from a reference source whose text we do
        not hold names the source in ``derived_from`` (and where in it, in ``locator``).
        """
        if not evidence and derived_from is None:
            raise ValueError(f"a fact needs evidence or a reference source: {s} {p} {o}")
        self.add(s, p, o)
        key = f"{s} {p} {o.n3() if hasattr(o, 'n3') else o}" + (f" {derived_from}" if derived_from else "")
        digest = hashlib.sha1(key.encode()).hexdigest()[:12]
        node = iri("assertion", f"{self.record_slug}/{digest}")
        sec = "assertions"
        self.describe(node, (RDF.type, [EKG.Assertion, RDF.Statement]), (RDF.subject, s), (RDF.predicate, p),
                      (RDF.object, o), (EKG.basis, basis), (EKG.evidence, list(evidence)), section=sec)
        if note:
            self.add(node, EKG.inferenceNote, en(note), sec)
        if interpretation is not None:
            self.add(node, EKG.interpretation, interpretation, sec)
        if derived_from is not None:
            self.add(node, PROV.wasDerivedFrom, derived_from, sec)
        if locator:
            self.add(node, EKG.locator, Literal(locator), sec)
        return node

    # -- writing ----------------------------------------------------------------------------
    def turtle(self, order: list[str] | None = None) -> str:
        names = order or list(self.sections)
        names += [n for n in self.sections if n not in names]
        out = [self.header.rstrip() + "\n\n" if self.header else ""]
        out.append(f"@base <{ID_BASE}> .\n")
        out += [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES]
        for name in names:
            triples = self.sections.get(name)
            if not triples:
                continue
            out.append(f"\n# --- {name} " + "-" * max(3, 90 - len(name)) + "\n")
            if name in self.section_notes:
                out += [f"# {line}\n" for line in self.section_notes[name].splitlines()]
            if name == "evidence":  # in text order
                triples = sorted(triples, key=lambda t: [int(x) if x.isdigit() else x
                                                         for x in re.split(r"(\d+)", str(t[0]))])
            out.append(_subjects_block(triples))
        text = "".join(out)
        parsed = Graph().parse(data=text, format="turtle")
        if not isomorphic(parsed, self.graph()):
            raise AssertionError(f"record {self.record_slug}: written Turtle does not parse back to its triples")
        return text


def _subjects_block(triples) -> str:
    by_subject: dict[URIRef, list[tuple[URIRef, object]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, []).append((p, o))
    blocks = []
    for s, pos in by_subject.items():
        preds: dict[URIRef, list] = {}
        for p, o in pos:
            preds.setdefault(p, []).append(o)
        ordered = sorted(preds.items(), key=lambda kv: 0 if kv[0] == RDF.type else 1)
        lines = []
        for p, objs in ordered:
            pname = "a" if p == RDF.type else term(p)
            objs_txt = [term(o) for o in objs]
            if sum(len(x) for x in objs_txt) > 80 and len(objs_txt) > 1:
                joined = (",\n" + " " * 8).join(objs_txt)
                lines.append(f"    {pname}\n        {joined}")
            else:
                lines.append(f"    {pname} {', '.join(objs_txt)}")
        blocks.append(f"{term(s)}\n" + " ;\n".join(lines) + " .\n")
    return "\n".join(blocks)


_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def term(t) -> str:
    """The Turtle form of an rdflib term, using @base for minted ids and our prefixes elsewhere."""
    if isinstance(t, URIRef):
        s = str(t)
        if s.startswith(ID_BASE):
            return f"<{s[len(ID_BASE):]}>"
        for prefix, ns in sorted(PREFIXES, key=lambda pn: -len(pn[1])):
            if s.startswith(ns) and _LOCAL.fullmatch(s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(t, Literal):
        if t.language:
            return f"{_quote(str(t))}@{t.language}"
        if t.datatype is None or t.datatype == XSD.string:
            return _quote(str(t))
        if t.datatype == XSD.boolean:
            return "true" if t.toPython() else "false"
        return f"{_quote(str(t))}^^{term(t.datatype)}"
    raise TypeError(f"cannot write {t!r}")


def _quote(text: str) -> str:
    if "\n" in text:
        body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
        return f'"""{body}"""'
    body = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{body}"'


def write_outputs(outputs: "dict[Path, str]", argv: list[str], root: "Path", script: str) -> int:
    """Write each generated file, or with ``--check`` report those that differ (exit status 1)."""
    check = "--check" in argv
    stale = []
    for path, content in outputs.items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(root)}")
    for path in stale:
        print(f"out of date: {path.relative_to(root)} (run {script})")
    return 1 if stale else 0
