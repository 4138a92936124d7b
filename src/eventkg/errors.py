"""The errors eventkg raises, one class per kind of failure.

    EventKGError                 base; ``exit_code`` is what the CLI exits with, ``status`` the HTTP status
    ├── ConfigError              bad settings, unusable store location            (exit 2, 500)
    ├── LoadError                a file or body cannot be read as RDF             (exit 2, 400)
    │   └── UnknownFormatError   no RDF format matches the name or extension       (exit 2, 415)
    ├── RecordError              a record cannot be named, found or written        (exit 2, 400)
    │   ├── RecordNotFound       no record with that IRI                           (exit 2, 404)
    │   └── NotConformingError   the record does not conform to the shapes         (exit 1, 422)
    ├── QueryError               a query does not parse, or a named query or parameter is wrong
    │   │                                                                           (exit 2, 400)
    │   └── QueryTimeout         the query ran past its time limit                 (exit 2, 503)
    └── StoreError               the store (embedded or remote) failed            (exit 2, 502)
        └── ReadOnlyStoreError   a write to a store that has no way to write       (exit 2, 403)

Each error builds its message from its fields, so the CLI and the HTTP layer show the same words.
Non-conformance found by ``validate`` is a result, not an exception: ``NotConformingError`` is raised only
by writes that refuse a record, and carries the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .validate import ValidationReport


class EventKGError(Exception):
    exit_code = 2
    status = 500
    title = "eventkg error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def problem(self) -> dict[str, Any]:
        """An RFC 9457 problem object for HTTP answers."""
        return {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.message}


class ConfigError(EventKGError):
    title = "Configuration error"


class LoadError(EventKGError):
    status = 400
    title = "Cannot read RDF"

    def __init__(self, source: str, reason: str, line: int | None = None, column: int | None = None) -> None:
        # one line, whatever the parser's message holds (rdflib's RDF/XML parser quotes the text it met,
        # line breaks and all): the line breaks a parser quotes are shown as \n
        reason = reason.replace("\r", "\\r").replace("\n", "\\n")
        self.source, self.reason, self.line, self.column = source, reason, line, column
        where = source
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {reason}")


class UnknownFormatError(LoadError):
    status = 415
    title = "Unknown RDF format"

    def __init__(self, source: str, fmt: str | None, known: list[str]) -> None:
        what = f"unknown RDF format {fmt!r}" if fmt else "cannot tell the RDF format from the file name"
        super().__init__(source, f"{what}; use one of: {', '.join(known)}")


class RecordError(EventKGError):
    status = 400
    title = "Record error"


class RecordNotFound(RecordError):
    status = 404
    title = "No such record"

    def __init__(self, iri: str) -> None:
        self.iri = iri
        super().__init__(f"no record <{iri}> in the store")


class NotConformingError(RecordError):
    exit_code = 1
    status = 422
    title = "Record does not conform to the shapes"

    def __init__(self, source: str, report: "ValidationReport") -> None:
        self.source, self.report = source, report
        super().__init__(f"{source}: does not conform; nothing was written\n{report.text()}")

    def problem(self) -> dict[str, Any]:
        out = super().problem()
        out["detail"] = f"{self.source}: does not conform; nothing was written"
        out["violations"] = [r.as_dict() for r in self.report.results]
        return out


class QueryError(EventKGError):
    status = 400
    title = "Bad query"

    def __init__(self, reason: str, line: int | None = None, column: int | None = None, source: str | None = None) -> None:
        self.reason, self.line, self.column, self.source = reason, line, column, source
        where = source or "query"
        if line is not None:
            where += f", line {line}" + (f", column {column}" if column is not None else "")
        super().__init__(f"{where}: {reason}")


class QueryTimeout(QueryError):
    status = 503
    title = "Query timed out"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        EventKGError.__init__(self, f"the query ran longer than its time limit of {seconds:g} s and was stopped (the "
                                     "server's --timeout, or the timeout setting)")


class StoreError(EventKGError):
    status = 502
    title = "Store error"


class ReadOnlyStoreError(StoreError):
    status = 403
    title = "Store is read-only"


__all__ = [
    "EventKGError", "ConfigError", "LoadError", "UnknownFormatError", "RecordError", "RecordNotFound",
    "NotConformingError", "QueryError", "QueryTimeout", "StoreError", "ReadOnlyStoreError",
]
