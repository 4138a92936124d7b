"""Where the time of an uncached small SELECT goes. Beside `oxigraph serve`, in one run, the same request (the
small SELECT, each one different) goes to `eventkg serve` as `make serve` runs it (read-only: server
processes that run their queries in their event loops, a watchdog enforcing the time limit), with one server
process, and with `--allow-update` (queries sent to worker processes), and to two bench-only servers on the
same uvicorn, httptools and uvloop:

- eventkg's app with each query run in a thread of the server process (a thread could be abandoned at the time
  limit, not stopped; it shows what handing each query to a thread costs);
- a bare Starlette app answering every request with the same bytes (the query's JSON result, made once):
  the ceiling of the HTTP stack, with no query and no eventkg code.

Each bench-only server in one process, and in two processes sharing the port (SO_REUSEPORT).

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

def _thread_app(store_path: str) -> Any:
    """eventkg's app over the store opened read-only, each query run in a thread of the server process."""
    sys.path.insert(0, str(hb.ROOT / "src"))
    import asyncio
    import concurrent.futures as cf

    import eventkg.server.app as app_module
    from eventkg.config import load_settings
    from eventkg.project import Project
    from eventkg.server.pool import InlineRunner
    from eventkg.server.worker import execute
    from eventkg.store.oxigraph import EmbeddedStore

    pool = cf.ThreadPoolExecutor(4)

    class InThread(InlineRunner):
        async def run(self, job: dict[str, Any], timeout: float, scope: Any = None) -> Any:
            loop = asyncio.get_running_loop()
            fut = loop.run_in_executor(pool, execute, self.store, job, self.context)
            h = loop.call_later(timeout, fut.cancel)
            try:
                return await fut
            finally:
                h.cancel()

    settings = load_settings(hb.ROOT, env={})
    project = Project(settings, EmbeddedStore.read_only(store_path))
    app_module.make_runner = lambda store, path, ctx, *a: InThread(store, ctx)  # type: ignore[assignment]
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

    app = {"thread": _thread_app, "bare": _bare_app}[kind](store_path)
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

def tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return [pid] + [q for k in kids for q in tree(int(k))]


def usage(pids: list[int]) -> tuple[float, int]:
    """CPU seconds (user + system) and context switches (voluntary and not, every thread) of the processes."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu, switches = 0.0, 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{pid}/task").iterdir():
                for line in (task / "status").read_text().splitlines():
                    if "ctxt_switches:" in line:
                        switches += int(line.split()[-1])
        except OSError:
            continue
    return cpu, switches


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
        ]
        serve = [str(hb.BIN / "eventkg"), "--store", str(ours), "serve", "--port", "{port}"]
        for label, extra in (("`eventkg serve` (read-only: 1 server process and the standby, queries in the event "
                              "loop)", []),
                             ("`eventkg serve --workers 2` (read-only: 2 server processes and the standby)",
                              ["--workers", "2"]),
                             ("`eventkg serve --allow-update` (queries in 2 worker processes)",
                              ["--allow-update", "--token", "bench-token"])):
            servers.append((label, [serve + extra], "/sparql", "/sparql?query=ASK%7B%7D"))
        for n in (1, 2):
            label = "1 process" if n == 1 else f"{n} processes"
            servers.append((f"eventkg's app, query in a thread of the server, {label}",
                            [me + ["thread", "{port}", str(ours)]] * n, "/sparql", "/sparql?query=ASK%7B%7D"))
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
                pids = [q for p in procs for q in tree(p.pid)]
                cpu0, switches0 = usage(pids)
                r = hb.load(port, f"{path}?{distinct}", JSON, clients, seconds)
                cpu1, switches1 = usage(pids)
                n = r["rps"] * seconds
                r["cpu_us"] = (cpu1 - cpu0) / n * 1e6
                r["switches"] = (switches1 - switches0) / n
            finally:
                stop(procs)
            rows.append((label, r))
            print(f"{label:70} {r['rps']:8.0f} rps p50 {r['p50']:6.2f} ms p99 {r['p99']:6.2f} ms "
                  f"{r['cpu_us']:6.1f} µs CPU {r['switches']:5.2f} switches a request", flush=True)
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
             "Beside the rates, the server's own cost per request over the run (all its processes and threads, "
             "read from /proc): CPU time, and context switches (a process put to sleep and woken again).", "",
             "| server | rps | p50 ms | p99 ms | / oxigraph | server CPU µs / request | switches / request |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        # Oxigraph answers each connection in a thread of its own that ends with it, and a thread's switches
        # go with it: only its CPU time (kept by the process) can be read
        switches = "n/a" if label == rows[0][0] else f"{r['switches']:.2f}"
        lines.append(f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['rps'] / ox_rps:.2f} "
                     f"| {r['cpu_us']:.0f} | {switches} |")
    ratio = {label: r["rps"] / ox_rps for label, r in rows}
    bare = [v for k, v in ratio.items() if "bare" in k]
    thread = [v for k, v in ratio.items() if "thread" in k]
    served = [v for k, v in ratio.items() if k.startswith("`eventkg serve")]
    serve_rows = [r for k, r in rows if k.startswith("`eventkg serve")]
    ox = rows[0][1]
    lines += ["",
              f"The HTTP stack is not what holds eventkg back: a bare Starlette app answered "
              f"{min(bare):.2f}-{max(bare):.2f} of Oxigraph's rate, the eight Python clients being the limit. "
              f"`eventkg serve` (one server process and the standby, the default), two server processes and the "
              f"standby, and queries sent to "
              f"worker processes: {served[0]:.2f}, {served[1]:.2f} and {served[2]:.2f} of Oxigraph's rate. Handing "
              f"each query to a thread instead costs more than it saves ({thread[0]:.2f} and {thread[-1]:.2f}): "
              "the thread and the event loop pass Python's lock back and forth. The rest is eventkg's request "
              "handling (parameters, negotiation, the response cache's bookkeeping, the JSON written in Python) "
              "and Oxigraph's parse and evaluation (bench/query_path.py measures both without HTTP); the HTTP "
              "stack itself (uvicorn, httptools, uvloop, the kernel) costs what the bare app shows. "
              f"Per request, one server process (and the standby, which looks at the queue and the busy board "
              f"every 20 ms) spent {serve_rows[0]['cpu_us']:.0f} µs of CPU and "
              f"{serve_rows[0]['switches']:.2f} context switches, two server processes {serve_rows[1]['cpu_us']:.0f} "
              f"µs and {serve_rows[1]['switches']:.2f} (Oxigraph {ox['cpu_us']:.0f} µs of CPU): with the "
              "clients on the same two cores, a process that has fewer connections to serve runs out of work, "
              "sleeps and is woken for each request, where a single busy one answers request after request.", ""]
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
