"""How fast can a Python server on this stack answer an uncached small SELECT at all? Beside `oxigraph serve`
and `eventkg serve`, in one run, the same request (the small SELECT, each one different) goes to two
bench-only servers on the same uvicorn, httptools and uvloop as `eventkg serve`:

- eventkg's own app with the query run in the server process, in the event loop: no round trip to a query
  worker, and so no time limit that can stop a query (not something to deploy: it shows the app's ceiling);
- a bare Starlette app answering every request with the same bytes (the query's JSON result, made once):
  the ceiling of the HTTP stack, with no query and no eventkg code.

Each in one process, and in two processes sharing the port (SO_REUSEPORT).

    .venv/bin/python bench/http_ceiling.py [--seconds 5] [--clients 8] [--no-write]

Writes its table into docs/benchmarks.md under its own heading.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import http_bench as hb  # noqa: E402

HEADING = "## HTTP server: what the Python stack allows"
JSON = {"Accept": "application/sparql-results+json"}


# -- the bench-only servers (child processes) ----------------------------------------------------------------

def _inline_app(store_path: str) -> Any:
    """eventkg's app over the store opened read-only, each query run in the event loop."""
    sys.path.insert(0, str(hb.ROOT / "src"))
    import eventkg.server.app as app_module
    from eventkg.config import load_settings
    from eventkg.project import Project
    from eventkg.server.pool import InlineRunner
    from eventkg.server.worker import execute
    from eventkg.store.oxigraph import EmbeddedStore

    class InLoop(InlineRunner):
        async def run(self, job: dict[str, Any], timeout: float) -> Any:
            return execute(self.store, job, self.context)

    settings = load_settings(hb.ROOT, env={})
    project = Project(settings, EmbeddedStore.read_only(store_path))
    app_module.make_runner = lambda store, path, ctx, workers: InLoop(store, ctx)  # type: ignore[assignment]
    return app_module.create_app(project, app_module.Options())


def _bare_app(store_path: str) -> Any:
    """A Starlette app that answers every GET /sparql with the small SELECT's JSON result, made once."""
    import pyoxigraph as ox
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    sys.path.insert(0, str(hb.ROOT / "src"))
    from eventkg.server.worker import write_solutions

    store = ox.Store.read_only(store_path)
    _, body = write_solutions(store.query(hb.SMALL_SELECT, use_default_graph_as_union=True),
                              JSON["Accept"], None)
    del store

    async def sparql(request: Any) -> Response:
        return Response(body, media_type=JSON["Accept"])

    return Starlette(routes=[Route("/sparql", sparql)])


def serve_child(kind: str, port: int, store_path: str) -> None:
    import uvicorn

    sys.path.insert(0, str(hb.ROOT / "src"))
    from eventkg.server.command import http_protocol

    app = _inline_app(store_path) if kind == "inline" else _bare_app(store_path)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(2048)
    sock.set_inheritable(True)
    config = uvicorn.Config(app, fd=sock.fileno(), log_level="warning", access_log=False, http=http_protocol(),
                            loop="uvloop")
    uvicorn.Server(config).run()  # with the loop the config names (uvloop), as uvicorn.run does


# -- the run -------------------------------------------------------------------------------------------------

def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def run(seconds: float, clients: int) -> list[tuple[str, dict[str, float]]]:
    tmp = Path(tempfile.mkdtemp(prefix="eventkg-ceiling-"))
    distinct = urlencode({"query": hb.SMALL_SELECT + " #"}) + "{n}"
    rows: list[tuple[str, dict[str, float]]] = []
    try:
        ours, theirs, _, _ = hb.prepare(tmp)
        me = [sys.executable, str(Path(__file__).resolve()), "--child"]
        servers: list[tuple[str, list[list[str]], str, str]] = [
            ("`oxigraph serve`", [[str(hb.BIN / "oxigraph"), "serve", "--location", str(theirs), "--bind",
                                   "127.0.0.1:{port}", "--union-default-graph"]], "/query", "/query?query=ASK%7B%7D"),
            ("`eventkg serve` (2 query workers)", [[str(hb.BIN / "eventkg"), "--store", str(ours), "serve",
                                                    "--port", "{port}"]], "/sparql", "/sparql?query=ASK%7B%7D"),
        ]
        for n in (1, 2):
            label = "1 process" if n == 1 else f"{n} processes"
            servers.append((f"eventkg's app, query in the event loop, no time limit, {label}",
                            [me + ["inline", "{port}", str(ours)]] * n, "/sparql", "/sparql?query=ASK%7B%7D"))
        for n in (1, 2):
            label = "1 process" if n == 1 else f"{n} processes"
            servers.append((f"bare Starlette, the same answer every time, {label}",
                            [me + ["bare", "{port}", str(ours)]] * n, "/sparql", "/sparql"))
        for label, cmds, path, probe in servers:
            port = hb.free_port()
            procs: list[subprocess.Popen[bytes]] = []
            try:
                for cmd in cmds:
                    procs.append(subprocess.Popen([c.replace("{port}", str(port)) for c in cmd], cwd=hb.ROOT,
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                hb.wait(port, probe)
                time.sleep(0.5)  # every process of the group listening
                r = hb.load(port, f"{path}?{distinct}", JSON, clients, seconds)
            finally:
                stop(procs)
            rows.append((label, r))
            print(f"{label:70} {r['rps']:8.0f} rps p50 {r['p50']:6.2f} ms p99 {r['p99']:6.2f} ms", flush=True)
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def section(rows: list[tuple[str, dict[str, float]]], seconds: float, clients: int) -> str:
    ox_rps = rows[0][1]["rps"]
    lines = [HEADING, "",
             f"`.venv/bin/python bench/http_ceiling.py --seconds {seconds:g} --clients {clients}` "
             f"({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {platform.python_version()}). "
             "The small SELECT, each one different (not cached), as in the table above, from the same "
             f"{clients} client processes; every server on the same quads, one after another in the same run. "
             "The two bench-only servers (see the file's docstring) run on the same uvicorn, httptools and "
             "uvloop as `eventkg serve`; two processes share the port with SO_REUSEPORT.", "",
             "| server | rps | p50 ms | p99 ms | / oxigraph |", "|---|---:|---:|---:|---:|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['rps'] / ox_rps:.2f} |")
    ratio = {label: r["rps"] / ox_rps for label, r in rows}
    inloop = [v for k, v in ratio.items() if "event loop" in k]
    bare = [v for k, v in ratio.items() if "bare" in k]
    served = [v for k, v in ratio.items() if "eventkg serve" in k]
    lines += ["",
              f"The HTTP stack is not what holds `eventkg serve` back: a bare Starlette app answered "
              f"{min(bare):.2f}-{max(bare):.2f} of Oxigraph's rate, the eight Python clients being the limit. "
              f"eventkg's app with the query run in the server process reached {inloop[0]:.2f} with one process "
              f"and {inloop[-1]:.2f} with two; `eventkg serve` {served[0]:.2f}. What separates `eventkg serve` "
              "from the app in one process is the round trip to a query worker process, which is what lets the server stop a query at "
              "its time limit: Oxigraph does not look for interrupts while it evaluates (a signal raised one "
              "second into a 16-second query was handled when the query ended), so a query run in the server's "
              "own process could not be stopped, only abandoned. The rest is eventkg's request handling "
              "(parameters, negotiation, the response cache's bookkeeping, the JSON written in Python) and "
              "Oxigraph's parse and evaluation: the app in one process against the bare one.", ""]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        serve_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    mp.set_start_method("fork")
    rows = run(args.seconds, args.clients)
    text = section(rows, args.seconds, args.clients)
    print()
    print(text)
    if not args.no_write:
        hb.write_section(text, HEADING)


if __name__ == "__main__":
    main()
