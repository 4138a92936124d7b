"""The side-by-side benchmark: eventkg (Oxigraph store, its validator and writers) against plain rdflib and
pySHACL doing the same work on the same files, in one run. See docs/benchmarks.md for the figures.

    python bench/run.py                      # 1m (the targets), data made by bench/generate.py if missing
    python bench/run.py --size 100k --rdflib-timeout 60 --full-validation none

Each figure comes from a fresh process (its own imports, caches and peak memory, read with ``wait4``).
Steps: load (pyoxigraph's own ``bulk_load``, ``eventkg load``, rdflib ``Dataset.parse``), every named query
(median of runs on the store ``eventkg load`` made; rdflib's SPARQL engine on the parsed dataset, one run
each, capped), export to Turtle and JSON-LD (eventkg's writers; rdflib's ``serialize``, capped), and
validating the batch of 100 new records (eventkg's validator in the context of the store; pySHACL over the
whole graph plus the batch). Results go to ``bench/out/results-SIZE.json`` and a Markdown summary to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ONTOLOGY = ROOT / "ontology" / "ontology.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
QUERIES = ROOT / "queries"


# -- the parent: runs each step in a child and collects -----------------------------------------------------

def child(step: str, timeout: float | None = None, cmd: list[str] | None = None, **args: Any) -> dict[str, Any]:
    """Run ``step`` (or the command ``cmd``) in a fresh process; its JSON answer plus wall time, CPU time and
    peak RSS (MB, from ``wait4``)."""
    cmd = cmd or [sys.executable, str(Path(__file__)), "--child", step, json.dumps(args)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"timeout": timeout, "wall": round(time.perf_counter() - t0, 2)}
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    res: dict[str, Any] = {"wall": round(wall, 2), "peak_mb": round(usage.ru_maxrss / 1024),
                           "cpu": round(usage.ru_utime + usage.ru_stime, 2)}
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0:
        res["error"] = (stderr or stdout)[-2000:]
    elif lines:
        res.update(json.loads(lines[-1]))
    else:
        res["output"] = stdout.strip()[-500:]
    return res


STEPS = ("load", "queries", "export", "validate")


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


def run(size: str, out_dir: Path, repeat: int, rdflib_timeout: float, full_validation: str,
        full_timeout: float, steps: tuple[str, ...] = STEPS) -> dict[str, Any]:
    data_dir = out_dir / size
    if not (data_dir / "data.trig").exists():
        sys.path.insert(0, str(HERE))
        from generate import generate  # noqa: E402

        generate(size, data_dir)
    summary = json.loads((data_dir / "params.json").read_text())
    trig = str(data_dir / "data.trig")
    work = Path(tempfile.mkdtemp(prefix=f"eventkg-bench-{size}-"))
    R: dict[str, Any] = {"size": size, "triples": summary["triples"], "records": summary["records"],
                         "batch_triples": summary["batch_triples"], "machine": machine(), "loadavg": {},
                         "steps": list(steps)}
    R["loadavg"]["start"] = loadavg()
    print(f"# {size}: {summary['triples']} triples in {summary['records']} records; load average {loadavg()}",
          file=sys.stderr)
    store = work / "store"

    # 1. load: pyoxigraph's bulk_load, eventkg load, rdflib (the store the other steps use is eventkg's) --
    runs: dict[str, list[dict[str, Any]]] = {"pyoxigraph": [], "eventkg": []}
    for i in range(repeat if "load" in steps else 1):
        if "load" in steps:
            runs["pyoxigraph"].append(child("load_pyoxigraph", path=trig, store=str(work / "ox")))
            shutil.rmtree(work / "ox", ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        runs["eventkg"].append(child("eventkg load", cmd=[str(Path(sys.executable).parent / "eventkg"),
                                                          "--store", str(store), "load", trig]))
        print(f"  load {i + 1}: pyoxigraph {runs['pyoxigraph'][-1].get('seconds') if runs['pyoxigraph'] else '-'} s, "
              f"eventkg {runs['eventkg'][-1].get('wall')} s ({runs['eventkg'][-1].get('peak_mb')} MB)",
              file=sys.stderr)
    if "load" in steps:
        runs["rdflib"] = [child("load_rdflib", path=trig, timeout=rdflib_timeout * 10)]
        R["load"] = runs
        R["loadavg"]["after load"] = loadavg()

    # 2. named queries ---------------------------------------------------------------------------------------
    if "queries" in steps:
        ek: dict[str, Any] = {}
        for q in _named_queries():
            ek[q.name] = child("query_eventkg", store=str(store), name=q.name, values=_values(q, summary["params"]),
                               repeat=5, budget=20, timeout=rdflib_timeout)
            if "timeout" in ek[q.name]:
                ek[q.name]["median"] = None
        R["queries"] = {
            "eventkg": {"queries": ek},
            "rdflib": child("queries_rdflib", path=trig, params=summary["params"], timeout_each=rdflib_timeout,
                            timeout=rdflib_timeout * 40 + 600),
        }
        R["loadavg"]["after queries"] = loadavg()
        print("  queries done", file=sys.stderr)

    # 3. export ----------------------------------------------------------------------------------------------
    if "export" in steps:
        R["export"] = {}
        for fmt in ("turtle", "jsonld"):
            R["export"][f"eventkg {fmt}"] = child("export_eventkg", store=str(store), fmt=fmt,
                                                  out=str(work / f"export.{fmt}"), timeout=1800)
            R["export"][f"rdflib {fmt}"] = child("export_rdflib", path=trig, fmt=fmt,
                                                 out=str(work / f"rdflib.{fmt}"), timeout=rdflib_timeout * 4 + 120)
        R["export"]["pyoxigraph N-Quads dump (the store's own writer, no formatting)"] = child(
            "export_floor", store=str(store), out=str(work / "floor.nq"), timeout=1800)
        R["export"]["eventkg turtle check"] = child("check_turtle", store=str(store), out=str(work / "export.turtle"),
                                                    again=str(work / "export2.turtle"))
        R["loadavg"]["after export"] = loadavg()
        print("  export done", file=sys.stderr)

    # 4. validation ------------------------------------------------------------------------------------------
    if "validate" in steps:
        batch = str(data_dir / "batch")
        R["validate"] = {"eventkg": child("validate_eventkg", store=str(store), batch=batch),
                         "pyshacl, the batch and the ontology alone (no store context)": child(
                             "validate_batch_alone", batch=batch, timeout=full_timeout)}
        if full_validation != "none":
            R["validate"]["pyshacl full, SPARQL on Oxigraph"] = child(
                "validate_full", path=trig, batch=batch, engine="oxigraph", timeout=full_timeout)
        if full_validation == "both":
            R["validate"]["pyshacl full, rdflib SPARQL"] = child(
                "validate_full", path=trig, batch=batch, engine="rdflib", timeout=full_timeout)
        ours = set(map(tuple, R["validate"]["eventkg"].get("results", [])))
        for k, v in R["validate"].items():
            if k != "eventkg" and "results" in v:
                v["same results as eventkg"] = set(map(tuple, v["results"])) == ours
    R["loadavg"]["end"] = loadavg()
    shutil.rmtree(work, ignore_errors=True)
    return R


def machine() -> dict[str, str]:
    import platform

    import pyoxigraph
    import pyshacl
    import rdflib

    mem = "?"
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"cpus": str(os.cpu_count()), "memory": mem, "python": platform.python_version(),
            "rdflib": rdflib.__version__, "pyshacl": pyshacl.__version__,
            "pyoxigraph": getattr(pyoxigraph, "__version__", "0.5"), "platform": platform.platform()}


# -- the children ------------------------------------------------------------------------------------------

def load_pyoxigraph(path: str, store: str) -> dict[str, Any]:
    import pyoxigraph as ox

    shutil.rmtree(store, ignore_errors=True)
    t = time.perf_counter()
    s = ox.Store(store)
    s.bulk_load(path=path)
    s.flush()
    seconds = time.perf_counter() - t
    return {"seconds": round(seconds, 2), "quads": len(s)}


def load_rdflib(path: str) -> dict[str, Any]:
    from rdflib import Dataset

    t = time.perf_counter()
    ds = Dataset()
    ds.parse(path, format="trig")
    ds.parse(str(ONTOLOGY), format="turtle", publicID="https://w3id.org/eventkg/ontology")
    return {"seconds": round(time.perf_counter() - t, 2), "quads": len(ds)}


def _named_queries() -> list[Any]:
    from eventkg import queries

    return list(queries.library(QUERIES).values())


def _values(q: Any, params: dict[str, str]) -> dict[str, str]:
    return {p.name: str(params[p.name]) for p in q.params if p.name in params}


def query_eventkg(store: str, name: str, values: dict[str, str], repeat: int, budget: float) -> dict[str, Any]:
    """One named query on the store: a first run, then up to ``repeat`` more within ``budget`` seconds."""
    from eventkg import queries
    from eventkg.store import EmbeddedStore

    s = EmbeddedStore(Path(store))
    q = queries.get(QUERIES, name)
    times = []
    start = time.perf_counter()
    for _ in range(repeat + 1):
        t = time.perf_counter()
        res = queries.run(s, q, values)
        rows = len(res.rows) if hasattr(res, "rows") else int(bool(res))
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    timed = times[1:] or times
    # the same text on Oxigraph alone: its answer iterated, no terms converted, no rows made
    native = []
    for _ in range(len(timed)):
        t = time.perf_counter()
        res = s.native_query(q.text, bindings=queries.bind(q, values))
        if not isinstance(res, bool):
            for _row in res:  # type: ignore[attr-defined]
                pass
        native.append(time.perf_counter() - t)
    return {"median": round(statistics.median(timed), 4), "runs": len(timed), "first": round(times[0], 4),
            "rows": rows, "oxigraph median": round(statistics.median(native), 4)}


def queries_rdflib(path: str, params: dict[str, str], timeout_each: float) -> dict[str, Any]:
    import signal

    from rdflib import Dataset

    from eventkg import queries

    ds = Dataset(default_union=True)
    t = time.perf_counter()
    ds.parse(path, format="trig")
    ds.parse(str(ONTOLOGY), format="turtle", publicID="https://w3id.org/eventkg/ontology")
    parse = time.perf_counter() - t

    def alarm(*_: Any) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    out: dict[str, Any] = {}
    for q in _named_queries():
        bindings = queries.bind(q, _values(q, params))
        signal.setitimer(signal.ITIMER_REAL, timeout_each)
        t = time.perf_counter()
        try:
            res = ds.query(q.text, initBindings=bindings)
            rows = len(list(res)) if res.type == "SELECT" else int(bool(res.askAnswer))
            out[q.name] = {"seconds": round(time.perf_counter() - t, 4), "rows": rows}
        except TimeoutError:
            out[q.name] = {"timeout": timeout_each}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"parse": round(parse, 2), "queries": out}


def export_eventkg(store: str, fmt: str, out: str) -> dict[str, Any]:
    from eventkg.export import write_export
    from eventkg.load import read_context
    from eventkg.store import EmbeddedStore

    s = EmbeddedStore(Path(store))
    ctx = read_context(ROOT / "ontology" / "context.jsonld")
    t = time.perf_counter()
    with open(out, "wb") as f:
        write_export(s, fmt, f, context=ctx)
    return {"seconds": round(time.perf_counter() - t, 2), "bytes": os.path.getsize(out)}


def export_floor(store: str, out: str) -> dict[str, Any]:
    """pyoxigraph's own dump of the on-disk store, N-Quads to a file: no sorting, no prefixes, no blank node
    labels made; the least any export of the store costs (each term read back from disk)."""
    import pyoxigraph as ox

    s = ox.Store.read_only(store)
    t = time.perf_counter()
    s.dump(out, format=ox.RdfFormat.N_QUADS)
    return {"seconds": round(time.perf_counter() - t, 2), "bytes": os.path.getsize(out)}


def export_rdflib(path: str, fmt: str, out: str) -> dict[str, Any]:
    import json as _json

    from rdflib import Dataset, Graph

    ds = Dataset(default_union=True)
    ds.parse(path, format="trig")
    ds.parse(str(ONTOLOGY), format="turtle", publicID="https://w3id.org/eventkg/ontology")
    g = Graph()
    for s, p, o, _ in ds.quads():
        g.add((s, p, o))
    for prefix, ns in __import__("eventkg.namespaces", fromlist=["PREFIXES"]).PREFIXES.items():
        g.bind(prefix, ns)
    t = time.perf_counter()
    if fmt == "turtle":
        g.serialize(out, format="turtle")
    else:
        ctx = _json.loads((ROOT / "ontology" / "context.jsonld").read_text())
        g.serialize(out, format="json-ld", context=ctx.get("@context", ctx))
    return {"seconds": round(time.perf_counter() - t, 2), "bytes": os.path.getsize(out)}


def check_turtle(store: str, out: str, again: str) -> dict[str, Any]:
    """eventkg's Turtle export re-parses to the store's union graph, and a second export has the same bytes."""
    import pyoxigraph as ox

    from eventkg.export import write_export
    from eventkg.store import EmbeddedStore

    s = EmbeddedStore(Path(store))
    with open(again, "wb") as f:
        write_export(s, "turtle", f)
    digest = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in (out, again)]
    exported = {str(t) for t in ox.parse(path=out, format=ox.RdfFormat.TURTLE)}
    res = s._store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    stored = {str(t) for t in res}

    def named(ts: set[str]) -> set[str]:  # blank nodes are relabelled by the export (canonically)
        return {t for t in ts if "_:" not in t}

    return {"deterministic": digest[0] == digest[1], "triples": len(stored),
            "same triples": named(exported) == named(stored),
            "same number with blank nodes": len(exported - named(exported)) == len(stored - named(stored))}


def _result_keys(report_graph: Any) -> list[tuple[str, ...]]:
    from rdflib import BNode
    from rdflib.namespace import RDF, SH

    g = report_graph
    out = []
    for r in g.subjects(RDF.type, SH.ValidationResult):
        def n(p: Any) -> str:
            v = g.value(r, p)
            return "" if v is None or isinstance(v, BNode) else v.n3()
        out.append((n(SH.focusNode), n(SH.resultPath), n(SH.value), n(SH.sourceConstraintComponent),
                    n(SH.sourceShape), n(SH.sourceConstraint)))
    return sorted(out)


def validate_eventkg(store: str, batch: str) -> dict[str, Any]:
    from eventkg.records import read_records
    from eventkg.store import EmbeddedStore
    from eventkg.validate import Validator

    s = EmbeddedStore(Path(store))
    t = time.perf_counter()
    v = Validator.from_files(SHAPES, ONTOLOGY)
    recs = read_records([Path(batch)])
    setup = time.perf_counter() - t
    t = time.perf_counter()
    ctx = v.context(recs, s)
    context = time.perf_counter() - t
    times = []
    for _ in range(2):
        t = time.perf_counter()
        rep = v.validate(recs, s)
        times.append(time.perf_counter() - t)
    return {"setup": round(setup, 2), "context": round(context, 2), "context triples": len(ctx),
            "first": round(times[0], 2), "second": round(times[1], 2), "records": len(recs),
            "triples": sum(len(r) for r in recs), "focus nodes": rep.focus_count, "conforms": rep.conforms,
            "results": _result_keys(rep.graph)}


def validate_batch_alone(batch: str) -> dict[str, Any]:
    """pySHACL over the batch and the ontology only, every node its shapes target: what pySHACL alone costs
    for the batch, without the store's context (so results the context decides differ)."""
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    data = Graph()
    for f in sorted(Path(batch).glob("*.ttl")):
        data.parse(f, format="turtle")
    data.parse(ONTOLOGY, format="turtle")
    shapes = Graph().parse(SHAPES)
    t = time.perf_counter()
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                         allow_infos=True, inplace=True)
    return {"seconds": round(time.perf_counter() - t, 2), "triples": len(data), "conforms": bool(conforms),
            "results": _result_keys(report)}


def validate_full(path: str, batch: str, engine: str) -> dict[str, Any]:
    """pySHACL over the whole graph plus the batch and the ontology, no focus nodes: every node it targets."""
    import pyoxigraph as ox
    from pyshacl import validate as shacl_validate
    from rdflib import Graph

    from eventkg import terms
    from eventkg.validate import _DataGraph

    t = time.perf_counter()
    data: Graph = _DataGraph() if engine == "oxigraph" else Graph()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=ox.RdfFormat.TRIG)]
    for f in sorted(Path(batch).glob("*.ttl")):
        triples.extend(ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))
    triples.extend(ox.parse(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE))
    if isinstance(data, _DataGraph):
        data.add_both(triples)
    else:
        conv = terms.to_rdflib
        for x in triples:
            data.add((conv(x.subject), conv(x.predicate), conv(x.object)))
    del triples
    build = time.perf_counter() - t
    shapes = Graph().parse(SHAPES)
    t = time.perf_counter()
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                         allow_infos=True, advanced=True, inplace=True)
    return {"build": round(build, 2), "seconds": round(time.perf_counter() - t, 2), "triples": len(data),
            "conforms": bool(conforms), "results": _result_keys(report)}


CHILDREN = {f.__name__: f for f in (load_pyoxigraph, load_rdflib, query_eventkg, queries_rdflib,
                                     export_eventkg, export_rdflib, export_floor, check_turtle, validate_eventkg,
                                     validate_batch_alone, validate_full)}


# -- report --------------------------------------------------------------------------------------------------

def _fmt(x: Any, unit: str = " s") -> str:
    return "—" if x is None else f"{x:,.2f}{unit}" if isinstance(x, float) else f"{x}{unit}"


def markdown(R: dict[str, Any]) -> str:
    n = R["triples"]
    lines = [f"### {R['size']}: {n:,} triples, {R['records']:,} records "
             f"(load average {R['loadavg'].get('start')} at the start, {R['loadavg'].get('end')} at the end)", ""]

    def med(rows: list[dict[str, Any]], key: str) -> float | None:
        vals = [r[key] for r in rows if key in r]
        return statistics.median(vals) if vals else None

    ld = R.get("load")
    if ld:
        ox_s, ek_s = med(ld["pyoxigraph"], "seconds"), med(ld["eventkg"], "wall")
        rd = ld["rdflib"][0]
        lines += ["| load (median of runs) | seconds | triples/s | peak MB | runs |", "|---|---:|---:|---:|---|"]
        for name, secs, rows, key in (("pyoxigraph `Store(path).bulk_load`", ox_s, ld["pyoxigraph"], "seconds"),
                                      ("`eventkg load` (whole command)", ek_s, ld["eventkg"], "wall"),
                                      ("rdflib `Dataset.parse` (TriG)", rd.get("seconds"), [rd], "seconds")):
            runs = ", ".join(str(r.get(key)) for r in rows)
            peak = med(rows, "peak_mb")
            rate = f"{round(n / secs):,}" if secs else "—"
            lines.append(f"| {name} | {_fmt(secs, '')} | {rate} | {_fmt(peak, '')} | {runs} |")
        if ox_s and ek_s and rd.get("seconds"):
            lines += ["", f"`eventkg load` / pyoxigraph `bulk_load`: {ek_s / ox_s:.2f}x; rdflib / `eventkg load`: "
                          f"{rd['seconds'] / ek_s:.1f}x. `eventkg load` is timed as a whole command (start-up, "
                          f"imports, the ontology, the folder swap); the other two from inside their process.", ""]
    if "queries" in R:
        qe, qr = R["queries"]["eventkg"].get("queries", {}), R["queries"]["rdflib"].get("queries", {})
        lines += ["| named query | eventkg median s | Oxigraph alone s | rows | rdflib s | rows | rdflib / eventkg |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for name, e in qe.items():
            r = qr.get(name, {})
            rs, em = r.get("seconds"), e.get("median")
            rtxt = rs if rs is not None else (f"> {r['timeout']} (cap)" if "timeout" in r else "—")
            if em is None:
                lines.append(f"| `{name}` | > {e.get('timeout')} (cap) | — | — | {rtxt} | {r.get('rows', '—')} | — |")
                continue
            ratio = (f"{rs / em:.1f}x" if rs and em else
                     (f"> {r['timeout'] / em:.0f}x" if "timeout" in r and em else "—"))
            om = e.get("oxigraph median")
            otxt = f"{om:.4f}" if om is not None else "—"
            lines.append(f"| `{name}` | {em:.4f} | {otxt} | {e.get('rows')} | {rtxt} | {r.get('rows', '—')} | {ratio} |")
        lines.append("")
    if "export" in R:
        ex = R["export"]
        lines += ["| export | seconds | MB written | peak MB |", "|---|---:|---:|---:|"]
        for k, v in ex.items():
            if k.endswith("check"):
                continue
            secs = v.get("seconds") if "seconds" in v else (f"> {v['timeout']} (cap)" if "timeout" in v else "error")
            mb = f"{v['bytes'] / 1e6:.1f}" if "bytes" in v else "—"
            lines.append(f"| {k} | {secs} | {mb} | {v.get('peak_mb', '—')} |")
        c = ex.get("eventkg turtle check", {})
        lines += ["", f"eventkg Turtle: the same bytes twice {c.get('deterministic')}; re-parsed, the same triples "
                      f"as the store {c.get('same triples')} ({c.get('triples')} triples; those with blank nodes, "
                      f"relabelled, as many {c.get('same number with blank nodes')}).", ""]
    if "validate" in R:
        va = R["validate"]
        e = va["eventkg"]
        lines += ["| validate the batch | seconds | data graph triples | results | same as eventkg |",
                  "|---|---:|---:|---:|---|",
                  f"| eventkg, in the store's context (context {e.get('context')} s, {e.get('context triples')} "
                  f"triples; first / second run) | {e.get('first')} / {e.get('second')} | {e.get('triples')} + "
                  f"context | {len(e.get('results', []))} | — |"]
        for k, v in va.items():
            if k == "eventkg":
                continue
            secs = v.get("seconds", f"> {v.get('timeout')} (cap)")
            nres = len(v["results"]) if "results" in v else "—"
            lines.append(f"| {k} | {secs} | {v.get('triples', '—')} | {nres} | {v.get('same results as eventkg', '—')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--size", default="1m", help="10k, 100k or 1m (default 1m)")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--repeat", type=int, default=2, help="load runs of each kind (default 2)")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0,
                    help="cap on each query, eventkg's and rdflib's (s, default 30)")
    ap.add_argument("--full-validation", choices=("none", "oxigraph", "both"), default="oxigraph",
                    help="pySHACL over the whole graph: not at all, with SPARQL on Oxigraph, or also on rdflib")
    ap.add_argument("--full-timeout", type=float, default=1500.0, help="cap on the full pySHACL run (s)")
    ap.add_argument("--steps", default=",".join(STEPS),
                    help="some of load,queries,export,validate (default all); the others' figures are kept from "
                         "the last results file of that size")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(CHILDREN[a.child](**json.loads(a.args or "{}"))))
        return 0
    steps = tuple(x for x in a.steps.split(",") if x)
    R = run(a.size, a.out, a.repeat, a.rdflib_timeout, a.full_validation, a.full_timeout, steps)
    path = a.out / f"results-{a.size}.json"
    if set(steps) != set(STEPS) and path.exists():
        old = json.loads(path.read_text())
        for key in ("load", "queries", "export", "validate"):
            if key in R:
                old[key] = R[key]
        old.setdefault("reruns", []).append({"steps": list(steps), "loadavg": R["loadavg"]})
        R = old
    path.write_text(json.dumps(R, indent=2) + "\n")
    print(markdown(R))
    print(f"(raw figures: {path})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
