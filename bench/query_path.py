"""What one uncached small SELECT costs inside a server process, without HTTP: CPU time per query of
Oxigraph's parse and evaluation alone, of eventkg's ``execute`` (the same, written as SPARQL JSON), and of the
whole app called as ASGI (``GET /sparql?query=...`` through eventkg's handler, cache lookup and headers), each
query different (a distinct comment), on the workshop store of bench/http_bench.py.

    .venv/bin/python bench/query_path.py [--queries 5000] [--rounds 7] [--no-write]

Prints the fastest and the median round of each, and writes them into docs/benchmarks.md under its own
heading.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import http_bench as hb  # noqa: E402

JSON = "application/sparql-results+json"
HEADING = "## HTTP server: one uncached query, without HTTP"


def rounds(fn: Callable[[int], float], n: int) -> tuple[float, float]:
    times = sorted(fn(r) for r in range(n))
    return times[0], statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = ap.parse_args()
    sys.path.insert(0, str(hb.ROOT / "src"))
    from eventkg.config import load_settings
    from eventkg.project import Project
    from eventkg.server.app import Options, create_app
    from eventkg.server.worker import execute
    from eventkg.store.oxigraph import EmbeddedStore

    tmp = Path(tempfile.mkdtemp(prefix="eventkg-query-path-"))
    try:
        ours, _, _, _ = hb.prepare(tmp)
        store = EmbeddedStore.read_only(str(ours))
        raw = store._store
        n = args.queries
        text = hb.SMALL_SELECT + " #"

        def oxigraph(r: int) -> float:
            t0 = time.process_time()
            for i in range(n):
                list(raw.query(f"{text}{r}-{i}", use_default_graph_as_union=True))
            return (time.process_time() - t0) / n

        formats = {"select": JSON, "ask": JSON}

        def job(r: int) -> float:
            t0 = time.process_time()
            for i in range(n):
                execute(store, {"sparql": f"{text}{r}-{i}", "formats": formats, "limit": 10_000}, None)
            return (time.process_time() - t0) / n

        app = create_app(Project(load_settings(hb.ROOT, env={}), store), Options(in_process=True))
        sent: list[Any] = []

        async def send(message: Any) -> None:
            sent.append(message)

        async def receive() -> Any:
            return {"type": "http.request", "body": b"", "more_body": False}

        def scope(q: str) -> dict[str, Any]:
            return {"type": "http", "method": "GET", "path": "/sparql", "raw_path": b"/sparql", "root_path": "",
                    "query_string": urlencode({"query": q}).encode(), "scheme": "http", "http_version": "1.1",
                    "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", JSON.encode())],
                    "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000), "asgi": {"version": "3.0"}}

        def whole(r: int) -> float:
            scopes = [scope(f"{text}{r}-{i}") for i in range(n)]

            async def go() -> float:
                sent.clear()
                t0 = time.process_time()
                for s in scopes:
                    await app(s, receive, send)
                took = time.process_time() - t0
                assert sent[0]["status"] == 200, sent[0]
                return took / n

            return asyncio.run(go())

        print(f"{n} queries a round, {args.rounds} rounds; CPU µs per query (fastest round, median round)")
        table = ["| what runs | µs, fastest round | µs, median round |", "|---|---:|---:|"]
        for label, fn in (("Oxigraph: parse, evaluate, iterate (pyoxigraph)", oxigraph),
                          ("eventkg `execute`: the same, written as SPARQL JSON", job),
                          ("eventkg's app called as ASGI: handler, cache lookup, headers, `execute`", whole)):
            best, median = rounds(fn, args.rounds)
            print(f"{label:72} {best * 1e6:6.1f} {median * 1e6:6.1f}", flush=True)
            table.append(f"| {label} | {best * 1e6:.1f} | {median * 1e6:.1f} |")
        text = "\n".join([
            HEADING, "",
            f"`.venv/bin/python bench/query_path.py --queries {n} --rounds {args.rounds}` "
            f"({time.strftime('%Y-%m-%d %H:%M')} UTC, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}): CPU time per uncached small SELECT (each one different) inside one "
            "process, no HTTP, on the workshop store.", "", *table, "",
            "What a server process of `eventkg serve` spends per query beyond this is the HTTP stack "
            "(uvicorn, httptools, uvloop, the kernel), which the bare Starlette app of the table above also "
            "pays.", ""])
        if not args.no_write:
            hb.write_section(text, HEADING)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
