"""The named-query library: SPARQL files in ``queries/``, each with a header comment

    # title: Who organised, convened and supported an event
    # description: What it answers.
    # param: event iri The event (default: id:event/aichr-tip-workshop-2018)

Parameters are variables of the query, bound to typed RDF terms (an IRI, a string, an ``xsd:date``, an
``xsd:integer``) that the store binds in a VALUES block; user text never becomes query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .errors import QueryError, QueryTimeout
from .namespaces import PREFIXES
from .store.base import QueryResult, Store

PARAM_TYPES = ("iri", "string", "date", "integer")
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = field(default=None, compare=False)

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]


def parse_header(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """A NamedQuery from the text of a ``.rq`` file. Raises QueryError for a malformed header."""
    title = description = ""
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith("#"):
            break
        m = re.match(r"#\s*(title|description|param):\s*(.*)", s)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description = f"{description} {value}".strip()
        else:
            pm = re.match(r"(\w+)\s+(\w+)\s*(.*)", value)
            if not pm or pm.group(2) not in PARAM_TYPES:
                raise QueryError(f"bad parameter line {value!r}: want 'NAME TYPE DESCRIPTION', TYPE one of "
                                 f"{', '.join(PARAM_TYPES)}", source=str(path or name))
            desc = pm.group(3)
            dm = re.search(r"\(default:\s*([^)]*)\)", desc)
            params.append(Param(pm.group(1), pm.group(2), desc, dm.group(1).strip() if dm else None))
    if not title:
        raise QueryError("the header has no '# title:' line", source=str(path or name))
    return NamedQuery(name, title, description, tuple(params), text, path)


def library(folder: Path) -> dict[str, NamedQuery]:
    """Every named query in ``folder``, by name (the file stem). Raises QueryError for a bad header."""
    if not folder.is_dir():
        return {}
    return {p.stem: parse_header(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(folder.glob("*.rq"))}


def get(folder: Path, name: str) -> NamedQuery:
    lib = library(folder)
    if name not in lib:
        raise QueryError(f"no named query {name!r}; known: {', '.join(lib) or '(none)'}")
    return lib[name]


def markdown(lib: dict[str, NamedQuery]) -> str:
    """The library as a Markdown reference (docs/queries.md is this text)."""
    out = ["# Named queries", "",
           "The questions eventkg answers by name: `eventkg query NAME [--param KEY=VALUE ...]`, or",
           "`/queries/NAME` (with the parameters in the query string) and the query page of the server. Each is a file `queries/NAME.rq`; its header",
           "comment gives the question and the parameters. Parameters are bound as typed RDF terms.", ""]
    for q in lib.values():
        out += [f"## `{q.name}`", "", q.title + (f". {q.description}" if q.description else ""), ""]
        if q.params:
            out += ["| parameter | type | meaning |", "|---|---|---|"]
            out += [f"| `{p.name}` | {p.type} | {p.description.replace('|', '/')} |" for p in q.params]
            out.append("")
        example = " ".join(f"--param {p.name}={p.default}" for p in q.params if p.default)
        out += ["```sh", f"eventkg query {q.name}{' ' + example if example else ''}", "```", ""]
    return "\n".join(out)


def expand_iri(value: str) -> str:
    """A full IRI from a full IRI, ``<IRI>`` or a prefixed name of ours. Raises QueryError."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    m = re.match(r"^([A-Za-z][\w\-]*):(.*)$", v)
    if m and m.group(1) in PREFIXES and not v.startswith(("http:", "https:", "urn:")):
        v = PREFIXES[m.group(1)] + m.group(2)
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", v) or _IRI_BAD.search(v):
        raise QueryError(f"{value!r} is not an IRI (nor a prefixed name with a known prefix)")
    scheme = v.split(":", 1)[0].lower()
    if m and scheme not in _SCHEMES and not v.startswith("<") and not value.strip().startswith("<"):
        # shema:startDate reads as an IRI of the scheme "shema" and would match nothing: a misspelt prefix
        raise QueryError(f"{value!r}: {m.group(1)!r} is no prefix of ours ({', '.join(sorted(PREFIXES))}) nor a "
                         "usual IRI scheme; write the IRI in full, or as <IRI> for an unusual scheme")
    return v


# IRI schemes a value may use as it is (an unknown "prefix:" is taken for a misspelt prefix instead)
_SCHEMES = frozenset({"http", "https", "urn", "tag", "mailto", "file", "ftp", "did", "data", "doi", "info",
                      "geo", "tel", "ark", "isbn", "uuid", "ni", "ws", "wss"})


# xsd:date's lexical form: YYYY-MM-DD (a year of four digits or more, maybe negative), maybe a timezone
_XSD_DATE = re.compile(r"(-?(?:[1-9][0-9]{3,}|0[0-9]{3}))-([0-9]{2})-([0-9]{2})"
                       r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?")


def _check_date(value: str) -> None:
    """Raises ValueError unless ``value`` is an xsd:date (Python's ``fromisoformat`` also takes forms xsd:date
    has not, such as 20180101 or 2018-W01-1, which would be bound as a date that matches nothing)."""
    m = _XSD_DATE.fullmatch(value)
    if not m:
        raise ValueError(value)
    year, month, day = (int(g) for g in m.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    if not (1 <= month <= 12 and 1 <= day <= days[month - 1]):
        raise ValueError(value)


def to_term(param: Param, value: str) -> Node:
    """The typed RDF term for a parameter value given as text. Raises QueryError."""
    try:
        if param.type == "iri":
            return URIRef(expand_iri(value))
        if param.type == "date":
            _check_date(value)
            return Literal(value, datatype=XSD.date, normalize=False)   # as written: a timezone is kept
        if param.type == "integer":
            return Literal(int(value), datatype=XSD.integer)
        return Literal(value)
    except ValueError as e:
        raise QueryError(f"parameter {param.name}: {value!r} is not a valid {param.type}") from e


def bind(query: NamedQuery, values: Mapping[str, str]) -> dict[str, Node]:
    """Typed terms for the parameters: given values, else defaults. Raises QueryError for an unknown or
    missing parameter, or a value of the wrong type."""
    unknown = set(values) - set(query.param_names)
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {sorted(unknown)[0]!r}; "
                         f"its parameters: {', '.join(query.param_names) or '(none)'}")
    out: dict[str, Node] = {}
    for p in query.params:
        if p.name in values:
            out[p.name] = to_term(p, values[p.name])
        elif p.default is not None:
            out[p.name] = to_term(p, p.default)
        else:
            raise QueryError(f"query {query.name!r} needs the parameter {p.name!r} ({p.description})")
    return out


def run(store: Store, query: NamedQuery, values: Mapping[str, str] | None = None, *,
        limit: int | None = None, timeout: float | None = None) -> QueryResult:
    """Run a named query with its parameters bound. Raises QueryError."""
    bindings = bind(query, values or {})
    try:
        return store.query(query.text, bindings=bindings, limit=limit, timeout=timeout)
    except QueryTimeout:
        raise
    except QueryError as e:
        if e.source is not None:
            raise
        raise QueryError(e.reason, e.line, e.column, source=str(query.path or query.name)) from e

__all__ = ["NamedQuery", "Param", "PARAM_TYPES", "parse_header", "library", "get", "bind", "to_term",
           "expand_iri", "run", "markdown"]
