"""`eventkg serve`: the graph as a linked-data site and SPARQL service (see docs/server.md)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import click

from ..errors import ConfigError, EventKGError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--base-url", metavar="URL",
              help="The site's public address, where the base IRI is mapped (default: from each request).")
@click.option("--timeout", type=float, metavar="S", help="Seconds a query may run (default 10, or the settings').")
@click.option("--row-limit", type=int, metavar="N", help="Rows a query may return (default 10000, or the settings').")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates and the records API (needs --token).")
@click.option("--token", metavar="T", envvar="EVENTKG_SERVER_TOKEN",
              help="Bearer token that writes must carry (or EVENTKG_SERVER_TOKEN).")
@click.option("--allow-service", is_flag=True,
              help="Let queries call other SPARQL endpoints (SERVICE); off, the server sends no request a client names.")
@click.option("--workers", type=int, metavar="N",
              help="Processes that run queries, each one at a time, so that a query can be stopped at the time "
                   "limit. A read-only server over an on-disk store: N server processes take connections "
                   "(default 1), and one more, a standby, takes them only while those are all busy. Otherwise: "
                   "N query workers beside the server (default 2).")
@click.option("--max-body", type=int, default=5 * 1024 * 1024, show_default=True, metavar="BYTES",
              help="Largest request body accepted.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, base_url: str | None, timeout: float | None,
          row_limit: int | None, allow_update: bool, token: str | None, allow_service: bool, workers: int | None,
          max_body: int) -> None:
    """Serve the graph over HTTP: SPARQL 1.1 at /sparql, every IRI dereferenceable, HTML pages, records API."""
    import uvicorn

    from ..cli import CLIError
    from .app import Options, create_app

    project = ctx.ensure_object(dict)["project"]
    s = project.settings
    processes = not allow_update and not s.store_is_memory and not s.store_is_remote
    if workers is None:
        workers = 1 if processes else 2
    processes = processes and workers > 0
    opts = Options(base_url=base_url, timeout=timeout if timeout is not None else s.timeout,
                   row_limit=row_limit if row_limit is not None else s.row_limit, allow_update=allow_update,
                   token=token, workers=workers, max_body=max_body, allow_service=allow_service)
    try:
        # opened here (a store that is not there yet is an error, not an empty site), and held while serving
        location = project.existing_store.info.location
        app = None if processes else create_app(project, opts)
    except EventKGError as e:
        raise CLIError(e) from e
    try:   # a port another process holds: one line and exit 2, not a traceback
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        socket.create_server((host, port), family=family).close()
    except OSError as e:
        raise CLIError(ConfigError(f"cannot listen on {host}:{port}: {e.strerror or e}")) from e
    click.echo(f"eventkg: serving {location} at http://{host}:{port}/ "
               f"(base IRI {s.base_iri} -> {base_url or 'this address'}; "
               f"{'read-write' if allow_update else 'read-only'}; query limit {opts.timeout:g} s, "
               f"{opts.row_limit} rows" + (f"; {workers} server process{'es' if workers > 1 else ''} and a standby" if processes else "") + ")", err=True)
    if processes:
        from .processes import supervise

        ctx.exit(supervise(s, opts, host, port, workers))
    assert app is not None
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, http=http_protocol())


def http_protocol() -> Any:
    """uvicorn's httptools protocol, writing each response's head and body in one send where they are ready in
    the same turn of the event loop (uvicorn writes the head as soon as it is given: two sends, and often two
    wake-ups of the client, for every small answer). "auto" where httptools is missing."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is a dependency
        return "auto"

    class OneWriteTransport:
        """Writes made in one turn of the loop leave together at the end of it; the rest goes to the transport."""

        def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
            self._transport = transport
            self._loop = loop
            self._pending: list[bytes] | None = None

        def write(self, data: bytes) -> None:
            if self._pending is None:
                self._pending = [data]
                self._loop.call_soon(self.flush)
            else:
                self._pending.append(data)

        def flush(self) -> None:
            pending, self._pending = self._pending, None
            if pending and not self._transport.is_closing():
                self._transport.write(pending[0] if len(pending) == 1 else b"".join(pending))

        def pending(self) -> bool:
            return bool(self._pending)

        def close(self) -> None:
            self.flush()
            self._transport.close()

        def __getattr__(self, name: str) -> Any:
            return getattr(self._transport, name)

    class OneWriteHttpTools(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(OneWriteTransport(transport, self.loop))  # type: ignore[arg-type]

        def on_headers_complete(self) -> None:
            # the connection, for an answer written while the event loop is stuck (pool.InProcessRunner)
            self.scope["eventkg.transport"] = self.transport  # type: ignore[typeddict-unknown-key]
            super().on_headers_complete()

    return OneWriteHttpTools
