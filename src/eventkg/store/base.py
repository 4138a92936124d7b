"""The Store interface and the backend-neutral results every store returns.

Whatever the backend (embedded Oxigraph, a remote SPARQL 1.1 service), a query answers with one of:
``Rows`` (SELECT: variable names and rows of rdflib terms), ``Boolean`` (ASK) or ``Triples`` (CONSTRUCT and
DESCRIBE: an rdflib Graph). Callers never branch on the backend.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar, Union

from rdflib import Graph
from rdflib.term import Node

from ..namespaces import BASE_IRI
from ..formats import RdfFormat
from ..load import Record


@dataclass
class Rows:
    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    truncated: bool = False
    kind = "select"

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Node]]:
        """Each row as a dict of its bound variables."""
        return [{v: t for v, t in zip(self.variables, r) if t is not None} for r in self.rows]

    def column(self, name: str) -> list[Node | None]:
        i = self.variables.index(name)
        return [r[i] for r in self.rows]


@dataclass
class Boolean:
    value: bool
    kind = "ask"

    def __bool__(self) -> bool:
        return self.value


@dataclass
class Triples:
    graph: Graph
    truncated: bool = False
    kind = "construct"

    def __len__(self) -> int:
        return len(self.graph)


QueryResult = Union[Rows, Boolean, Triples]

T = TypeVar("T")


def take_distinct(items: Iterable[T], limit: int | None) -> tuple[list[T], bool]:
    """At most ``limit`` distinct items (all if None) in first-seen order, and whether there were more
    distinct ones: a graph's triples, where a CONSTRUCT template may give one triple many times."""
    seen: set[T] = set()
    out: list[T] = []
    for item in items:
        if item in seen:
            continue
        if limit is not None and len(out) >= limit:
            return out, True
        seen.add(item)
        out.append(item)
    return out, False


def take(items: Iterable[T], limit: int | None) -> tuple[list[T], bool]:
    """At most ``limit`` items (all if None), and whether there were more."""
    if limit is None:
        return list(items), False
    out: list[T] = []
    for item in items:
        if len(out) >= limit:
            return out, True
        out.append(item)
    return out, False

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b", re.IGNORECASE)


# The parts of a query that may hold text looking like a keyword, a comment or a quote, read in one pass from
# left to right as SPARQL's grammar reads them (the leftmost part wins: a "#" in an IRI or a string starts no
# comment, and quotes in a comment start no string): IRIs (with \u escapes), long and short strings (with
# their escapes), comments, blank node labels, variables, language tags, and words: a prefixed name (whose
# local name may escape a quote or "#": ex:it\'s) is dropped, any other word (a keyword) kept. A word is
# read whole, so that no match starts inside one (each letter of a long word would start a new attempt).
_PN_CHARS = "\\w\u00b7\u00c0-\U000effff"
_LOCAL = rf"(?:[{_PN_CHARS}.\-:%]|\\.)*"
_LEXEMES = re.compile(
    r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    # a string with no end runs to the end of its line (short) or of the text (long): a match, so that no
    # other attempt starts inside it (each quote of '"\\"\\"\\...' would rescan the rest: quadratic)
    r"|'{3}(?:[^'\\]|\\.|'(?!''))*(?:'{3}|\\?\Z)|\"{3}(?:[^\"\\]|\\.|\"(?!\"\"))*(?:\"{3}|\\?\Z)"
    r"|'(?:[^'\\\n\r]|\\.)*'?|\"(?:[^\"\\\n\r]|\\.)*\"?"
    r"|#[^\n\r]*"
    rf"|_:[{_PN_CHARS}.\-]+|[?$][{_PN_CHARS}]+|@[A-Za-z]+(?:-[A-Za-z0-9]+)*"
    rf"|(?P<word>[A-Za-z\u00c0-\U000effff][{_PN_CHARS}.\-]*(?P<pname>:{_LOCAL})?|:{_LOCAL})", re.DOTALL)


_CALLING = {"service", "load"}   # keywords a parser reads before a glued name: SERVICE:x is SERVICE :x


def _lexeme(m: re.Match[str]) -> str:
    word = m.group("word")
    if word is None or word.startswith(":"):
        return " "
    if m.group("pname") is None:
        return word
    prefix = word[:word.index(":")]
    return f" {prefix} " if prefix.lower() in _CALLING else " "


def _strip(query: str) -> str:
    """The query without its IRIs, strings, comments, prefixed names, variables, blank node labels and
    language tags (to find its form and clauses by keyword): one pass, as a parser reads them."""
    return _LEXEMES.sub(_lexeme, query)


def query_form(query: str) -> str | None:
    """'select', 'ask', 'construct' or 'describe': the form of a SPARQL query (None if none is found)."""
    m = _FORM.search(_strip(query))
    return m.group(1).lower() if m else None


_FROM = re.compile(r"(?<![\w?$:])FROM(?![\w:-])", re.IGNORECASE)
_PNAME = re.compile(r"([A-Za-z][\w.-]*)?:")


def tidy_syntax_message(message: str, text: str | None = None, line: int | None = None,
                        column: int | None = None) -> str:
    """A SPARQL parser's message in one line: a prefix the query does not declare is named as such (Oxigraph
    lists every character it could have read instead), and a long list of alternatives is cut."""
    message = " ".join(message.split())
    if "Prefix not found" in message:
        name = None
        if text is not None and line is not None and column is not None:
            lines = text.splitlines()
            if 0 < line <= len(lines):
                found = list(_PNAME.finditer(lines[line - 1][:column]))
                name = found[-1].group(0) if found else None
        return (f"unknown prefix {name!r}" if name else "unknown prefix") + ": declare it with PREFIX"
    return message if len(message) <= 200 else message[:199] + "…"


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` or ``FROM NAMED``)."""
    return "from" in query.lower() and _FROM.search(_strip(query)) is not None


# (a digit before the keyword counts as no letter: "1e0SERVICE" is a number, then SERVICE)
_CALLS_OUT = re.compile(r"(?<![^\W\d_]|[_?$:])(?:SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)
_PARSED_MAX = 2048   # longer texts are not given to rdflib's parser: it takes seconds on some (0.85 s for 4 KB, 40 s for 150 KB)
_CALL_WORDS = re.compile(r"service|load", re.IGNORECASE)
_PARSED_CALLS = {"ServiceGraphPattern", "Load"}


def might_call_out(query: str) -> bool:
    """Whether the text holds the letters of SERVICE or LOAD at all (``uses_service`` is False where not)."""
    return _CALL_WORDS.search(query) is not None


def uses_service(query: str) -> bool:
    """Whether the query or update may call another endpoint: ``SERVICE`` (SPARQL 1.1 Federated Query) or
    ``LOAD``. Read twice where the text holds either word at all: by ``_strip`` (fast, but it reads a ``<``
    without the parser's context: ``FILTER(?n<2)#x>`` is a comparison and a comment, not an IRI), then by
    rdflib's SPARQL parser, which reads as a parser does. A text rdflib cannot parse, or is not given (over
    2 KB, or holding a ``\\u`` escape), counts as calling out: a public endpoint must not be made to send
    requests by a text nobody here can read as Oxigraph does."""
    if not might_call_out(query):
        return False
    if _CALLS_OUT.search(_strip(query)):
        return True
    # rdflib reads a comment to a line feed only, where Oxigraph also stops at a carriage return, and it
    # expands \u escapes everywhere, where Oxigraph does in IRIs and strings only: a text with an escape is
    # not given to it, nor a long one (its parser is slow, in the server's event loop)
    if len(query) > _PARSED_MAX or "\\u" in query or "\\U" in query:
        return True
    return _parser_finds_calls(query.replace("\r", "\n")) is not False


def _parser_finds_calls(text: str) -> bool | None:
    """Whether rdflib's parse of the query or update holds a SERVICE or LOAD; None if it cannot parse it."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    def calls(x: Any) -> bool:
        stack = [x]
        while stack:
            y = stack.pop()
            if isinstance(y, CompValue):
                if y.name in _PARSED_CALLS:
                    return True
                stack.extend(y.values())
            elif isinstance(y, (list, tuple, ParseResults)):
                stack.extend(y)
            elif isinstance(y, dict):
                stack.extend(y.values())
        return False

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(text)
        except Exception:  # noqa: BLE001 - pyparsing's errors, and its recursion on very long texts
            continue
        return calls(tree)
    return None


def looks_like_update(text: str) -> bool:
    return query_form(text) is None and bool(_UPDATE.search(_strip(text)))


Progress = Callable[[int], None]


@dataclass
class StoreInfo:
    kind: str
    location: str
    writable: bool = True
    extra: dict[str, str] = field(default_factory=dict)


class Store(ABC):
    """A quad store whose named graphs are records; queries see the union of all graphs by default."""

    info: StoreInfo
    read_threads = 1   # how many threads may usefully read it at once (an export dumps records side by side)

    # -- reading -------------------------------------------------------------------------------------
    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              limit: int | None = None, timeout: float | None = None) -> QueryResult:
        """Run a SPARQL query. ``bindings`` are typed RDF terms bound to variables by a VALUES block
        (never text pasted into the query). ``limit`` caps rows/triples (the result says if it was truncated).
        Raises QueryError (with line and column where known), QueryTimeout, StoreError."""

    @abstractmethod
    def records(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def hidden_graphs(self) -> list[str]:
        """Named graphs that are no records (a remote store's staging graphs, an engine's system graphs)."""
        return []

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Triples in one named graph, or quads in the whole store."""

    @abstractmethod
    def dump(self, out: BinaryIO, fmt: RdfFormat, graph: str | None = None) -> None:
        """Write the store (a dataset format) or one graph / the union (any format) to ``out``."""

    def has_record(self, iri: str) -> bool:
        return iri in set(self.records())

    # -- writing (each call all or nothing) ------------------------------------------------------------
    @abstractmethod
    def put_records(self, records: Sequence[Record], *, replace: bool = False) -> None:
        """Add records, each as its named graph, in one transaction. ``replace`` drops a graph of the same
        name first; without it, an existing name raises RecordError and nothing is written."""

    @abstractmethod
    def remove_record(self, iri: str) -> None:
        """Drop one named graph. Raises RecordNotFound."""

    @abstractmethod
    def rebuild(self, files: Iterable[tuple[str, RdfFormat, str | None]], progress: Progress | None = None,
                extra: Sequence[Record] = (), skip: frozenset[str] = frozenset(), base_iri: str = BASE_IRI) -> None:
        """Replace everything with the given files ((path, format, graph name or None for datasets)) and
        records, leaving out the files' graphs named in ``skip`` (``extra`` brings them); if anything fails,
        the store is left as it was. The default graph of a dataset file is a record too, named as a triple
        file's would be (``load.record_iri_for``): no triple is left outside the records."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update in one transaction."""

    def close(self) -> None:
        pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Rows", "Boolean", "Triples", "QueryResult", "take", "take_distinct", "Store", "StoreInfo", "query_form",
           "looks_like_update", "has_dataset_clause", "uses_service", "might_call_out", "tidy_syntax_message"]
