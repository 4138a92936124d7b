"""HTTP benchmark: `eventkg serve` beside `oxigraph serve` on the same data, in the same run.

For each request kind, 8 client processes (one keep-alive connection each) send requests back to back for a
fixed time on loopback; we report requests per second and the p50/p99 latency. Kinds: a small SELECT, a named
query, a resource's document in Turtle and in HTML (Oxigraph: the same SELECT, the named query's text with its
parameter inlined, and DESCRIBE for the Turtle document; it has no HTML pages).

    .venv/bin/python bench/http_bench.py [--seconds 5] [--clients 8] [--no-write] [--only TEXT]

Writes its table into docs/benchmarks.md under its own heading (other sections are left alone).
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKSHOP = "https://w3id.org/eventkg/id/event/aichr-tip-workshop-2018"
SMALL_SELECT = f"SELECT ?name WHERE {{ <{WORKSHOP}> <https://schema.org/name> ?name }}"
HEADING = "## HTTP server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            if c.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer on port {port}")


def client(port: int, path: str, headers: dict[str, str], seconds: float, start: float, out: "mp.Queue[list[float]]") -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat: list[float] = []
    while time.time() < start:
        time.sleep(0.001)
    end = start + seconds
    distinct = "{n}" in path
    i = 0
    while True:
        t0 = time.perf_counter()
        if time.time() >= end:
            break
        i += 1
        conn.request("GET", path.replace("{n}", f"{os.getpid()}-{i}") if distinct else path, headers=headers)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status}")
        lat.append(time.perf_counter() - t0)
    out.put(lat)


def load(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, float]:
    # warm up (caches, workers, connections)
    for k in range(20):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path.replace("{n}", f"warm-{k}"), headers=headers)
        r = c.getresponse()
        r.read()
        assert r.status == 200, (path, r.status, r.read()[:300])
    q: "mp.Queue[list[float]]" = mp.Queue()
    start = time.time() + 0.5
    procs = [mp.Process(target=client, args=(port, path, headers, seconds, start, q)) for _ in range(clients)]
    for p in procs:
        p.start()
    lats = [x for _ in procs for x in q.get()]
    for p in procs:
        p.join()
    lats.sort()
    return {"rps": len(lats) / seconds, "p50": statistics.median(lats) * 1000,
            "p99": lats[min(len(lats) - 1, int(len(lats) * 0.99))] * 1000, "n": len(lats)}


def prepare(tmp: Path) -> tuple[Path, Path, str, str]:
    """Our store (as `eventkg load` leaves it) and an Oxigraph server store with the same quads."""
    sys.path.insert(0, str(ROOT / "src"))
    from eventkg.config import load_settings
    from eventkg.export import write_export
    from eventkg.project import Project
    from eventkg.queries import bind, library
    from eventkg.records import rebuild
    from eventkg.store import EmbeddedStore

    settings = load_settings(ROOT, env={})
    ours = tmp / "eventkg-store"
    store = EmbeddedStore(ours)
    p = Project(settings, store)
    try:
        ctx = p.context
    except Exception:  # noqa: BLE001
        ctx = None
    rebuild(store, [settings.path(d) for d in settings.data], ontology=settings.path(settings.ontology), context=ctx)
    dump = tmp / "all.nq"
    with open(dump, "wb") as fh:
        write_export(store, "nq", fh)
    lib = library(settings.path(settings.queries))
    name, text = "", SMALL_SELECT
    if lib:
        nq = lib[sorted(lib)[0]]
        name = nq.name
        b = bind(nq, {})
        text = nq.text
        if b:  # the same query with its parameters inlined, for Oxigraph
            values = " ".join(f"?{k}" for k in b)
            row = " ".join(v.n3() for v in b.values())
            text = re.sub(r"\}\s*((ORDER|GROUP|LIMIT|OFFSET)\b[^}]*)?$",
                          lambda m: f"VALUES ({values}) {{ ({row}) }} }} {m.group(1) or ''}", text.rstrip(), count=1)
    store.close()
    theirs = tmp / "oxigraph-store"
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(theirs), "--file", str(dump)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return ours, theirs, name, text


Row = tuple[str, str, list[dict[str, float]], "dict[str, float] | None"]


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's median over the rounds."""
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def run(seconds: float, clients: int, only: str | None = None, workers: tuple[int, ...] = (1, 2),
        repeat: int = 3) -> tuple[list[Row], str]:
    """Each request kind sent to `eventkg serve` with each ``workers`` count and to `oxigraph serve`, in turn,
    ``repeat`` rounds; each server's medians."""
    tmp = Path(tempfile.mkdtemp(prefix="eventkg-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        ours, theirs, qname, qtext = prepare(tmp)
        ports = []
        for i, n in enumerate(workers):
            port = free_port()
            copy = tmp / f"eventkg-store-{i}"   # each server holds its store
            shutil.copytree(ours, copy)
            procs.append(subprocess.Popen([str(BIN / "eventkg"), "--store", str(copy), "serve", "--port", str(port),
                                           "--workers", str(n)],
                                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            ports.append(port)
        p_ox = free_port()
        procs.append(subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(theirs), "--bind",
                                       f"127.0.0.1:{p_ox}", "--union-default-graph"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            wait(port, "/sparql?query=ASK%7B%7D")
        wait(p_ox, "/query?query=ASK%7B%7D")
        json_h = {"Accept": "application/sparql-results+json"}
        distinct = urlencode({"query": SMALL_SELECT + " #"}) + "{n}"
        kinds = [
            ("small SELECT, repeated", (f"/sparql?{urlencode({'query': SMALL_SELECT})}", json_h),
             (f"/query?{urlencode({'query': SMALL_SELECT})}", json_h)),
            ("small SELECT, each one different", (f"/sparql?{distinct}", json_h), (f"/query?{distinct}", json_h)),
            (f"named query `{qname}`" if qname else "named query (none: small SELECT)",
             (f"/queries/{qname}" if qname else f"/sparql?{urlencode({'query': qtext})}", json_h),
             (f"/query?{urlencode({'query': qtext})}", json_h)),
            ("resource document, Turtle", ("/doc/id/event/aichr-tip-workshop-2018.ttl", {"Accept": "text/turtle"}),
             (f"/query?{urlencode({'query': f'DESCRIBE <{WORKSHOP}>'})}", {"Accept": "text/turtle"})),
            ("resource page, HTML", ("/doc/id/event/aichr-tip-workshop-2018.html", {"Accept": "text/html"}), None),
        ]
        rows: list[Row] = []
        for label, mine, other in kinds:
            if only and only not in label:
                continue
            ours_runs: list[list[dict[str, float]]] = [[] for _ in ports]
            ox_runs: list[dict[str, float]] = []
            for _ in range(repeat):   # the servers in turn, round after round: the machine's drift hits all
                for i, port in enumerate(ports):
                    ours_runs[i].append(load(port, mine[0], mine[1], clients, seconds))
                if other:
                    ox_runs.append(load(p_ox, other[0], other[1], clients, seconds))
            ours_r = [median_run(r) for r in ours_runs]
            b = median_run(ox_runs) if other else None
            rows.append((label, mine[0].split("?")[0], ours_r, b))
            print(f"{label:40} " + " ".join(f"eventkg/{n} {a['rps']:7.0f} rps p99 {a['p99']:6.2f} ms"
                                            for n, a in zip(workers, ours_r)) + "   "
                  + (f"oxigraph {b['rps']:7.0f} rps p99 {b['p99']:6.2f} ms" if b else "oxigraph n/a"), flush=True)
        return rows, qname
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def section(rows: list[Row], seconds: float, clients: int, workers: tuple[int, ...], repeat: int) -> str:
    cpu = os.cpu_count()
    names = [f"`--workers {n}`" for n in workers]
    lines = [HEADING, "",
             f"`.venv/bin/python bench/http_bench.py --seconds {seconds:g} --clients {clients} --workers "
             f"{','.join(map(str, workers))} --repeat {repeat}` "
             f"({time.strftime('%Y-%m-%d %H:%M')} UTC, {cpu} cores, Python {platform.python_version()}). "
             f"{clients} client processes, one keep-alive connection each, requests back to back for {seconds:g} s "
             "on loopback, on the same machine as the servers; `eventkg serve` (read-only, as `make serve` runs "
             "it: `--workers` server processes, 1 by default, and a standby that takes connections only while they are "
             "all busy) with each `--workers` count, and `oxigraph serve "
             "--union-default-graph` on the same quads, in the same run: for each request the servers in turn, "
             f"{repeat} rounds, each figure the median of its server's rounds (figures on this shared machine drift "
             "by a quarter from one 5-second window to the next).",
             "",
             "| request | " + " | ".join(f"eventkg {n} rps | p50 ms | p99 ms" for n in names)
             + " | oxigraph rps | p50 ms | p99 ms | " + " | ".join(f"{n} / oxigraph" for n in names) + " |",
             "|---|" + "---:|" * (3 * len(names) + 3 + len(names))]
    for label, _, ours_r, b in rows:
        mine = " | ".join(f"{a['rps']:.0f} | {a['p50']:.2f} | {a['p99']:.2f}" for a in ours_r)
        theirs = f"{b['rps']:.0f} | {b['p50']:.2f} | {b['p99']:.2f}" if b else "n/a | | "
        ratios = " | ".join(f"{a['rps'] / b['rps']:.2f}" if b else "n/a" for a in ours_r)
        lines.append(f"| {label} | {mine} | {theirs} | {ratios} |")
    lines += ["",
              "Oxigraph's side: the same SELECT; the named query's text with its parameter inlined as VALUES; "
              "`DESCRIBE` for the Turtle document (it has no HTML pages). \"Repeated\" sends the same request "
              "each time: eventkg answers it from its response cache (whole responses to reads, kept until the "
              "next write through the server; see docs/server.md), Oxigraph runs it again. \"Each one different\" "
              "adds a distinct comment to every query, so eventkg runs each (in the server process that took the "
              "request, under the time limit its watchdog enforces) and Oxigraph parses and runs each. The named "
              "query and the documents are repeated requests too. Target: the small SELECT at least half "
              "Oxigraph's throughput, p99 under 50 ms.", ""]
    verdict = []
    for label, _, ours_r, b in rows[:2]:
        if b is None:
            continue
        for n, a in zip(names, ours_r):
            ok = a["rps"] >= 0.5 * b["rps"] and a["p99"] < 50
            verdict.append(f"{label}, {n}: {a['rps'] / b['rps']:.2f} of Oxigraph's throughput, p99 "
                           f"{a['p99']:.1f} ms ({'met' if ok else 'not met'})")
    if verdict:
        lines += ["Against the target: " + "; ".join(verdict) + ".", ""]
    return "\n".join(lines)


def write_section(text: str, heading: str = HEADING) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |^<!-- section|\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda m: text + "\n", old)
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--only", metavar="TEXT", help="only the request kinds whose label has TEXT (implies --no-write)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds per request kind (medians reported)")
    ap.add_argument("--workers", default="1,2", metavar="N,N",
                    help="the `eventkg serve --workers` counts to measure, each a server of its own (default 1,2)")
    args = ap.parse_args()
    workers = tuple(int(n) for n in args.workers.split(","))
    rows, _ = run(args.seconds, args.clients, args.only, workers, args.repeat)
    if args.only:
        args.no_write = True
    text = section(rows, args.seconds, args.clients, workers, args.repeat)
    print()
    print(text)
    if not args.no_write:
        write_section(text)


if __name__ == "__main__":
    mp.set_start_method("fork")
    main()
