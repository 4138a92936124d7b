"""The one table of RDF and SPARQL-results formats: names, media types, extensions, engines.

Everything that needs a media type, a file extension or a parser name looks it up here; nothing else
spells them out. Oxigraph parses and writes what it can (fast, streaming); rdflib covers the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from .errors import UnknownFormatError


@dataclass(frozen=True)
class RdfFormat:
    name: str                    # our short name, used by --format
    label: str
    media_types: tuple[str, ...]  # the first is the one we send
    extensions: tuple[str, ...]   # the first is the one we write
    datasets: bool                # can hold named graphs
    oxigraph: ox.RdfFormat | None  # None: parsed/written with rdflib
    rdflib: str | None           # rdflib parser/serializer name
    aliases: tuple[str, ...] = field(default=())

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0]


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", "Turtle", ("text/turtle", "application/x-turtle"), ("ttl",), False, ox.RdfFormat.TURTLE,
              "turtle", ("ttl",)),
    RdfFormat("jsonld", "JSON-LD", ("application/ld+json",), ("jsonld", "json"), True, ox.RdfFormat.JSON_LD,
              "json-ld", ("json-ld",)),
    RdfFormat("nt", "N-Triples", ("application/n-triples",), ("nt",), False, ox.RdfFormat.N_TRIPLES, "nt",
              ("ntriples", "n-triples")),
    RdfFormat("nq", "N-Quads", ("application/n-quads",), ("nq",), True, ox.RdfFormat.N_QUADS, "nquads",
              ("nquads", "n-quads")),
    RdfFormat("trig", "TriG", ("application/trig",), ("trig",), True, ox.RdfFormat.TRIG, "trig"),
    RdfFormat("rdfxml", "RDF/XML", ("application/rdf+xml",), ("rdf", "owl", "xml"), False, ox.RdfFormat.RDF_XML,
              "xml", ("xml", "rdf", "rdf-xml")),
    RdfFormat("n3", "N3", ("text/n3",), ("n3",), False, ox.RdfFormat.N3, "n3"),
    # YAML-LD: JSON-LD written as YAML (a record with our context reads like plain YAML).
    RdfFormat("yamlld", "YAML-LD", ("application/ld+yaml", "application/yaml", "text/yaml", "application/x-yaml"),
              ("yamlld", "yaml", "yml"), True, None, None,
              ("yaml", "yaml-ld")),
)

EXPORT_FORMATS = ("turtle", "jsonld", "nt", "nq", "trig", "rdfxml")


@dataclass(frozen=True)
class ResultsFormat:
    name: str
    media_type: str
    extension: str
    rdflib: str | None   # rdflib result serializer, None: ours


RESULTS_FORMATS: tuple[ResultsFormat, ...] = (
    ResultsFormat("json", "application/sparql-results+json", "srj", "json"),
    ResultsFormat("xml", "application/sparql-results+xml", "srx", "xml"),
    ResultsFormat("csv", "text/csv", "csv", "csv"),
    ResultsFormat("tsv", "text/tab-separated-values", "tsv", None),
)


def written(fmt: RdfFormat, data: bytes) -> bytes:
    """What Oxigraph wrote in ``fmt``, made exact: its RDF/XML writer leaves a carriage return in a literal
    as it is, which an XML parser reads back as a line feed (XML 1.0, 2.11); it becomes a character
    reference. (The writer puts no carriage return anywhere else.)"""
    return data.replace(b"\r", b"&#xD;") if fmt.name == "rdfxml" else data


def _known() -> list[str]:
    return [f.name for f in RDF_FORMATS]


def rdf_format(name: str, source: str = "--format") -> RdfFormat:
    """The format called ``name`` (a short name, alias, extension or media type). Raises UnknownFormatError."""
    key = name.strip().lower().lstrip(".")
    for f in RDF_FORMATS:
        if key == f.name or key in f.aliases or key in f.extensions or key in f.media_types:
            return f
    raise UnknownFormatError(source, name, _known())


def format_for_path(path: str | Path, explicit: str | None = None) -> RdfFormat:
    """The format of a file: ``explicit`` if given, else from its extension. Raises UnknownFormatError."""
    if explicit:
        return rdf_format(explicit, str(path))
    e = Path(path).suffix.lstrip(".").lower()   # the last extension only: x.ttl.bak is no Turtle file
    for f in RDF_FORMATS:
        if e and e in f.extensions:
            return f
    raise UnknownFormatError(str(path), None, _known())


def is_rdf_file(path: Path) -> bool:
    try:
        format_for_path(path)
        return True
    except UnknownFormatError:
        return False


def results_format(name: str) -> ResultsFormat:
    key = name.lower()
    for f in RESULTS_FORMATS:
        if key in (f.name, f.media_type, f.extension):
            return f
    raise UnknownFormatError("--format", name, [f.name for f in RESULTS_FORMATS])


def _ranges(accept: str) -> MIMEAccept:
    """The Accept header's media ranges and their q-values, other parameters set aside: what we offer has
    none to match (``text/turtle; charset=utf-8`` asks for the Turtle we write; a JSON-LD ``profile`` is a
    hint), and werkzeug would match a range with parameters only to an offer with the same ones. A range
    given more than once keeps its highest q."""
    q: dict[str, float] = {}
    for value, quality in parse_accept_header(accept, MIMEAccept):
        mt = value.split(";", 1)[0].strip().lower()
        q[mt] = max(q.get(mt, 0.0), quality)
    return MIMEAccept(list(q.items()))


# Other names of a media type we send under its first name (application/x-turtle: text/turtle). One is
# matched only when the Accept header names it: a range such as application/* must not choose text/turtle.
_OTHER_NAMES = frozenset(t for f in RDF_FORMATS for t in f.media_types[1:])


def best_match(accept: str | None, offered: Iterable[str], default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values and specificity honoured).

    A missing or empty Accept header means anything goes and gets ``default``; ``None`` means nothing
    acceptable is offered (HTTP 406).
    """
    offered = list(offered)
    if not accept or not accept.strip():
        return default
    parsed = _ranges(accept)
    named = {value for value, _ in parsed}
    offered = [o for o in offered if o not in _OTHER_NAMES or o in named]
    if parsed.best == "*/*" and parsed["*/*"] >= max((parsed[o] for o in offered), default=0):
        # "*/*" alone or preferred over everything offered: our default, not the first in the list.
        if parsed[default]:
            return default
    return parsed.best_match(offered)


__all__ = [
    "RdfFormat", "RDF_FORMATS", "EXPORT_FORMATS", "ResultsFormat", "RESULTS_FORMATS", "rdf_format",
    "format_for_path", "is_rdf_file", "results_format", "best_match", "written",
]
