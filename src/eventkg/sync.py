"""`eventkg push` / `eventkg pull`: copy every record between the local store and a remote one, then check
that the target holds as many triples in those records as the source.

By default each record replaces the target's record of the same name and the target's other records stay;
with ``--mirror`` the target is rebuilt to hold exactly the source's records (all or nothing, as a load is).
The records travel as one N-Quads file, written by the source and loaded by the target in bounded chunks.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any, Callable

import click

from .errors import StoreError
from .formats import rdf_format
from .load import Record
from .store.base import Rows, Store

_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass
class CopyResult:
    records: int
    triples: int
    target_triples: int
    staging: int = 0    # staging graphs an interrupted write left on the target (seen by union queries)


def graph_counts(store: Store, names: set[str] | None = None) -> dict[str, int]:
    """Triples per record (of ``names``, or of all records), in one query."""
    wanted = set(store.records()) if names is None else names
    res = store.query(_PER_GRAPH)
    assert isinstance(res, Rows)
    return {str(g): int(str(n)) for g, n in res.rows if g is not None and str(g) in wanted}


Bar = Callable[[int], "tuple[Callable[[int], None] | None, Callable[[], None]]"]


def copy_records(source: Store, target: Store, *, mirror: bool = False, bar: Bar | None = None) -> CopyResult:
    """Copy every record of ``source`` into ``target`` and verify the triple counts. ``bar(total_bytes)``
    may give a progress callback and a closer for the upload.
    Raises StoreError (also when the counts differ afterwards), ReadOnlyStoreError."""
    names = source.records()
    before = graph_counts(source, set(names))
    expected = sum(before.values())
    fd, tmp = tempfile.mkstemp(prefix="eventkg-copy-", suffix=".nq")
    try:
        with os.fdopen(fd, "wb") as fh:
            source.dump(fh, rdf_format("nq"))
        progress, done = bar(os.path.getsize(tmp)) if bar else (None, lambda: None)
        try:
            if mirror:
                target.rebuild([(tmp, rdf_format("nq"), None)], progress=progress)
            else:
                _merge(tmp, names, source, target)
                if progress:
                    progress(os.path.getsize(tmp))
        finally:
            done()
    finally:
        os.unlink(tmp)
    after = graph_counts(target, set(names))
    got = sum(after.values())
    if got != expected:
        off = sorted(g for g in names if before.get(g, 0) != after.get(g, 0))
        raise StoreError(f"copied {len(names)} records ({expected} triples) to {target.info.location}, but it "
                         f"holds {got} triples in them afterwards; differing: {', '.join(off[:5]) or '(none)'}")
    if mirror and sorted(target.records()) != sorted(names):
        raise StoreError(f"{target.info.location} does not hold exactly the copied records afterwards")
    return CopyResult(len(names), expected, got, len(_staging(target)))


def _staging(store: Store) -> list[str]:
    """Staging graphs on a remote store: left by a write that was interrupted (or is running now)."""
    from .store.remote import STAGING

    return [g for g in store.hidden_graphs() if g.startswith(STAGING)]


def _merge(path: str, names: list[str], source: Store, target: Store) -> None:
    """Write each record of the N-Quads file to ``target``, replacing those of the same name, at once."""
    import pyoxigraph as ox

    by_graph: dict[str, list[ox.Triple]] = {}
    for q in ox.parse(path=path, format=ox.RdfFormat.N_QUADS, rename_blank_nodes=True):
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    records = [Record(g, by_graph[g], source.info.location) for g in names if g in by_graph]
    if records:
        target.put_records(records, replace=True)


def _remote(settings: Any, url: str, update_url: str | None, gsp_url: str | None) -> Store:
    from dataclasses import replace

    from .store.remote import RemoteStore

    # Exactly these endpoints: an update URL given for --store must not be taken for another store.
    return RemoteStore.from_settings(replace(settings, store=url, update_url=update_url, gsp_url=gsp_url))


def _run_copy(ctx: click.Context, make_source: Callable[[Any], Store], make_target: Callable[[Any], Store],
              mirror: bool, verb: str) -> None:
    from .cli import CLIError, _progress, _project
    from .errors import EventKGError

    project = _project(ctx)
    try:
        source, target = make_source(project), make_target(project)
        doing = {"Pushed": "Pushing", "Pulled": "Pulling"}.get(verb, verb)
        res = copy_records(source, target, mirror=mirror, bar=lambda total: _progress(total, doing))
    except EventKGError as e:
        raise CLIError(e) from e
    where = f"{source.info.location} -> {target.info.location}"
    click.echo(f"{verb} {res.records} records ({res.triples} triples), {where}; the target holds "
               f"{res.target_triples} triples in them: counts match.")
    if res.staging:
        click.echo(f"Note: {target.info.location} also holds {res.staging} staging graph(s) left by an interrupted "
                   "write (or one running now). Queries over its default graph see their triples until they are "
                   "dropped: by the next write once they are an hour old, or now by `eventkg push --mirror`.",
                   err=True)


@click.command("push")
@click.option("--to", "to", required=True, metavar="URL", help="The remote store's SPARQL query endpoint.")
@click.option("--update-url", "update_url", metavar="URL", help="Its SPARQL Update endpoint (needed to write).")
@click.option("--gsp-url", "gsp_url", metavar="URL", help="Its Graph Store Protocol endpoint (optional).")
@click.option("--mirror", is_flag=True, help="Make the remote hold exactly the local records (others are dropped).")
@click.pass_context
def push_command(ctx: click.Context, to: str, update_url: str | None, gsp_url: str | None, mirror: bool) -> None:
    """Copy the local graph (all records) to a remote store, then check the triple counts.

    Credentials come from --user/--password/--token (or EVENTKG_USER/EVENTKG_PASSWORD/EVENTKG_TOKEN)."""
    # the local store is only read: beside a running server it is opened read-only
    _run_copy(ctx, lambda p: p.reader, lambda p: _remote(p.settings, to, update_url, gsp_url), mirror, "Pushed")


@click.command("pull")
@click.option("--from", "from_", required=True, metavar="URL", help="The remote store's SPARQL query endpoint.")
@click.option("--gsp-url", "gsp_url", metavar="URL", help="Its Graph Store Protocol endpoint (optional, faster).")
@click.option("--mirror", is_flag=True, help="Make the local store hold exactly the remote records.")
@click.pass_context
def pull_command(ctx: click.Context, from_: str, gsp_url: str | None, mirror: bool) -> None:
    """Copy a remote store's records into the local store, then check the triple counts."""
    _run_copy(ctx, lambda p: _remote(p.settings, from_, None, gsp_url), lambda p: p.store, mirror, "Pulled")


__all__ = ["copy_records", "graph_counts", "CopyResult", "push_command", "pull_command"]
