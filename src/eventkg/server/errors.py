"""Errors of the HTTP layer. Like every EventKGError they carry their ``status`` and build their
``problem()``; some add response headers. One handler (``app.py``) renders them all."""

from __future__ import annotations

from typing import Any

from ..errors import EventKGError


class HTTPError(EventKGError):
    status = 400
    title = "Bad request"

    def __init__(self, message: str, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.headers = headers or {}
        self.extra = extra

    def problem(self) -> dict[str, Any]:
        out = super().problem()
        out.update(self.extra)
        return out


class BadRequest(HTTPError):
    status = 400
    title = "Bad request"


class Unauthorized(HTTPError):
    status = 401
    title = "Unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, {"WWW-Authenticate": 'Bearer realm="eventkg"'})


class Forbidden(HTTPError):
    status = 403
    title = "Forbidden"


class NotFound(HTTPError):
    status = 404
    title = "Not found"


class MethodNotAllowed(HTTPError):
    status = 405
    title = "Method not allowed"


class NotAcceptable(HTTPError):
    status = 406
    title = "Not acceptable"

    def __init__(self, accept: str, available: list[str], asked: str | None = None) -> None:
        """``asked``: what asked for the format, where it was no Accept header (``format=turtle``)."""
        super().__init__(f"nothing here matches {asked or 'Accept: ' + accept}; available: {', '.join(available)}",
                         available=available)


class Conflict(HTTPError):
    status = 409
    title = "Conflict"


class PreconditionFailed(HTTPError):
    status = 412
    title = "Precondition failed"


class HeaderTooLarge(HTTPError):
    status = 431
    title = "Request header fields too large"

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(f"the {name} header is longer than the limit of {limit} bytes", limit=limit)


class PayloadTooLarge(HTTPError):
    status = 413
    title = "Payload too large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is larger than the limit of {limit} bytes", limit=limit)


class UnsupportedMediaType(HTTPError):
    status = 415
    title = "Unsupported media type"


class ServiceBusy(HTTPError):
    status = 503
    title = "Service busy"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no query worker became free within {seconds:g} s; try again",
                         {"Retry-After": "1"})


__all__ = ["HTTPError", "BadRequest", "Unauthorized", "Forbidden", "NotFound", "MethodNotAllowed",
           "NotAcceptable", "Conflict", "PreconditionFailed", "PayloadTooLarge", "UnsupportedMediaType", "ServiceBusy"]
