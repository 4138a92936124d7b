"""Remote store beside the embedded store, same run: load, query and add at 100k and 1M triples.

For each size, the data made by bench/generate.py (``OUT/SIZE/data.nq`` and ``batch/*.ttl``, made here if
missing) is loaded into an embedded Oxigraph store on disk and into an Oxigraph server (started here on a
free loopback port, with ``--union-default-graph``, its data in a temporary folder) through eventkg's
RemoteStore, which stages bounded chunks and swaps them in with one update. Then the same queries run on
both (median of 5, after one warm-up), and the batch records are added (one record per write, and the 100 in
one write) and removed again. Store calls only: validation is measured by bench/run.py.

Usage::

    python bench/remote_bench.py                     # 100k and 1m
    python bench/remote_bench.py --size 100k --out bench/out
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from eventkg.formats import rdf_format  # noqa: E402
from eventkg.load import records_from_file  # noqa: E402
from eventkg.store import EmbeddedStore, Store  # noqa: E402
from eventkg.store.remote import RemoteStore  # noqa: E402

QUERIES = {
    "count by class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "point (one event)": "SELECT ?event ?p ?o WHERE { ?event ?p ?o }",
    "join (events, organisers, names)": (
        "PREFIX schema: <https://schema.org/> SELECT ?e ?name WHERE { ?e a schema:Event ; schema:organizer ?o . "
        "?o schema:name ?name }"),
    "date filter": (
        "PREFIX schema: <https://schema.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        "SELECT ?e ?d WHERE { ?e schema:startDate ?d FILTER(?d >= \"2015-01-01\"^^xsd:date && "
        "?d <= \"2016-12-31\"^^xsd:date) }"),
    "aggregate (participations per role)": (
        "PREFIX ekg: <https://w3id.org/eventkg/ontology#> SELECT ?role (COUNT(*) AS ?n) WHERE "
        "{ ?x ekg:role ?role ; ekg:agent ?a } GROUP BY ?role"),
    "records()": None,
    "count()": None,
}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_of(fn: Callable[[], Any], n: int = 5) -> float:
    fn()
    return statistics.median(timed(fn)[0] for _ in range(n))


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    from backends import _die_with_parent, free_port, oxigraph_binary, wait_http  # type: ignore[import-not-found]

    port = free_port()
    binary = oxigraph_binary()
    if binary is None:
        raise SystemExit("the oxigraph server is not installed: pip install oxigraph")
    proc = subprocess.Popen([binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent)
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/query?query=ASK%7B%7D", 30, proc)
    return proc, base


def run_size(size: str, data_dir: Path) -> dict[str, Any]:
    d = data_dir / size
    if not (d / "data.nq").exists():
        from generate import generate  # type: ignore[import-not-found]

        generate(size, d)
    params = json.loads((d / "params.json").read_text(encoding="utf-8"))
    nq = d / "data.nq"
    batch = [r for f in sorted((d / "batch").glob("*.ttl")) for r in records_from_file(f)]
    tmp = Path(tempfile.mkdtemp(prefix="eventkg-remote-bench-"))
    proc, base = start_server(tmp / "server")
    stores: dict[str, Store] = {
        "embedded": EmbeddedStore(tmp / "embedded"),
        "oxigraph-server": RemoteStore(f"{base}/query", f"{base}/update", f"{base}/store"),
    }
    out: dict[str, Any] = {"size": size, "triples": params["triples"], "records": params["records"],
                           "batch_records": len(batch), "batch_triples": sum(len(r) for r in batch),
                           "stores": {}}
    try:
        for name, store in stores.items():
            res: dict[str, Any] = {}
            res["load_s"], _ = timed(lambda: store.rebuild([(str(nq), rdf_format("nq"), None)]))
            res["count"] = store.count()
            res["triples_per_s"] = round(res["count"] / res["load_s"])
            q: dict[str, float] = {}
            for label, text in QUERIES.items():
                if label == "records()":
                    q[label] = median_of(store.records)
                elif label == "count()":
                    q[label] = median_of(store.count)
                else:
                    from rdflib import URIRef

                    b = {"event": URIRef(params["params"]["event"])} if "?event" in text else None
                    q[label] = median_of(lambda: store.query(text, bindings=b))  # type: ignore[arg-type]
            res["query_s"] = q
            singles = []
            for r in batch[:20]:
                t, _ = timed(lambda: store.put_records([r]))
                singles.append(t)
            for r in batch[:20]:
                store.remove_record(r.iri)
            res["add_one_record_median_s"] = statistics.median(singles)
            res["add_batch_s"], _ = timed(lambda: store.put_records(batch))
            res["add_batch_replace_s"], _ = timed(lambda: store.put_records(batch, replace=True))
            res["remove_one_s"], _ = timed(lambda: store.remove_record(batch[0].iri))
            out["stores"][name] = res
            print(f"{size} {name}: load {res['load_s']:.2f} s ({res['count']} triples), add one "
                  f"{res['add_one_record_median_s'] * 1000:.1f} ms, batch {res['add_batch_s']:.2f} s", file=sys.stderr)
        counts = {n: r["count"] for n, r in out["stores"].items()}
        assert len(set(counts.values())) == 1, f"the stores disagree: {counts}"
    finally:
        for s in stores.values():
            s.close()
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| size | store | load s (triples/s) | add 1 record ms | add 100 records s | replace 100 s | "
             + " | ".join(QUERIES) + " |",
             "|---|---|---|---|---|---|" + "---|" * len(QUERIES)]
    for r in results:
        for name, s in r["stores"].items():
            qs = " | ".join(f"{s['query_s'][k] * 1000:.1f} ms" for k in QUERIES)
            lines.append(f"| {r['size']} ({r['triples']:,}) | {name} | {s['load_s']:.2f} ({s['triples_per_s']:,}) | "
                         f"{s['add_one_record_median_s'] * 1000:.1f} | {s['add_batch_s']:.2f} | "
                         f"{s['add_batch_replace_s']:.2f} | {qs} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--size", action="append", help="100k, 1m (repeatable; default both)")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    args = ap.parse_args(argv)
    results = [run_size(s, args.out) for s in (args.size or ["100k", "1m"])]
    meta = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}
    (args.out / "remote.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n",
                                          encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
