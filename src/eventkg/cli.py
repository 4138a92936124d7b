"""The ``eventkg`` command: a thin face over the library. Each command parses its input, calls one library
function and renders the answer; errors come back as EventKGError and leave with its message and exit code."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from . import export as export_mod
from . import queries as queries_mod
from . import records as records_mod
from .config import load_settings
from .errors import ConfigError, EventKGError, NotConformingError
from .formats import EXPORT_FORMATS, RESULTS_FORMATS, format_for_path, rdf_format
from .project import Project
from .results import serialize, table
from .store.base import Rows, Triples

F = TypeVar("F", bound=Callable[..., Any])
BIG_INPUT = 5_000_000  # bytes: show a progress bar above this


class CLIError(click.ClickException):
    """An EventKGError on its way out: its message on stderr, its exit code."""

    def __init__(self, err: EventKGError, message: str | None = None) -> None:
        super().__init__(message or err.message)
        setattr(self, "exit_code", err.exit_code)  # click reads it; declared on the class as a default

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def _run(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except EventKGError as e:
        raise CLIError(e) from e


def _project(ctx: click.Context) -> Project:
    return ctx.ensure_object(dict)["project"]  # type: ignore[no-any-return]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--store", "store", metavar="PATH|memory|URL", envvar="EVENTKG_STORE",
              help="Store: a folder (default .eventkg/store), 'memory', or a SPARQL query endpoint URL.")
@click.option("--update-url", metavar="URL", envvar="EVENTKG_UPDATE_URL", help="SPARQL Update endpoint of a remote store.")
@click.option("--gsp-url", metavar="URL", envvar="EVENTKG_GSP_URL", help="Graph Store Protocol endpoint of a remote store.")
@click.option("--user", "username", metavar="NAME", help="User for a remote store (or EVENTKG_USER).")
@click.option("--password", metavar="SECRET", help="Password for a remote store (better: EVENTKG_PASSWORD).")
@click.option("--token", metavar="SECRET", help="Bearer token for a remote store (better: EVENTKG_TOKEN).")
@click.option("--remote-timeout", type=float, metavar="SECONDS", envvar="EVENTKG_REMOTE_TIMEOUT",
              help="How long a remote store may take to answer one request (default 300).")
@click.option("--project", "root", type=click.Path(file_okay=False, path_type=Path), envvar="EVENTKG_PROJECT",
              help="Project folder (default: the nearest one with [tool.eventkg] in pyproject.toml, or an "
                   "eventkg.toml; or EVENTKG_PROJECT).")
@click.version_option(package_name="eventkg")
@click.pass_context
def cli(ctx: click.Context, store: str | None, update_url: str | None, gsp_url: str | None, username: str | None,
        password: str | None, token: str | None, remote_timeout: float | None, root: Path | None) -> None:
    """eventkg: the records of events of intergovernmental bodies as a knowledge graph, with the evidence
    for every fact."""
    settings = _run(lambda: load_settings(root, store=store, update_url=update_url, gsp_url=gsp_url,
                                               username=username, password=password, token=token,
                                               remote_timeout=remote_timeout))
    project = Project(settings)
    ctx.ensure_object(dict)["project"] = project
    ctx.call_on_close(project.close)


def _progress(total: int, label: str) -> tuple[Callable[[int], None] | None, Callable[[], None]]:
    if total < BIG_INPUT:
        return None, lambda: None
    bar = click.progressbar(length=total, label=label, file=sys.stderr)
    bar.__enter__()
    return bar.update, lambda: bar.__exit__(None, None, None)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", metavar="FORMAT", help="Format of every file (default: from each extension).")
@click.option("--validate/--no-validate", default=False, show_default=True,
              help="Check every record against the shapes before anything is written.")
@click.pass_context
def load(ctx: click.Context, paths: tuple[Path, ...], fmt: str | None, validate: bool) -> None:
    """Rebuild the store from files or folders (default: the project's data/).

    Each record becomes its own named graph, and the ontology one more. The old content stays until the new
    has loaded completely."""
    p = _project(ctx)
    s = p.settings
    targets = list(paths) or _run(lambda: [s.project_file(d) for d in s.data])

    def go() -> dict[str, int]:
        files = records_mod.iter_files(targets)
        total = sum(f.stat().st_size for f in files)
        update, done = _progress(total, "Loading")
        try:
            return records_mod.rebuild(p.store, targets, ontology=s.project_file(s.ontology), fmt=fmt, context=p.context,
                                       validator=p.validator if validate else None, progress=update,
                                       base_iri=s.base_iri)
        finally:
            done()

    # a load that fails leaves the store as it was: where there was none, none (not an empty one that later
    # commands would read as a store holding nothing)
    folder = None if s.store_is_memory or s.store_is_remote else s.path(s.store)
    fresh = folder is not None and not folder.exists()
    try:
        info = _run(go)
    except BaseException:
        if fresh and folder is not None:
            p.close()
            shutil.rmtree(folder, ignore_errors=True)
        raise
    store = p.store
    click.echo(f"Loaded {info['files']} file(s) into {store.info.location}: {len(store.records())} records, "
               f"{store.count()} triples.")


def _read(ctx: click.Context, files: tuple[Path, ...], fmt: str | None) -> list[Any]:
    p = _project(ctx)
    return _run(lambda: records_mod.read_records(files, fmt=fmt, context=p.context, base_iri=p.settings.base_iri))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--input-format", "fmt", metavar="FORMAT", help="Input format (default: from the extension).")
@click.option("--format", "--report", "report_format", type=click.Choice(["text", "json", "turtle"]),
              default="text", show_default=True,
              help="The report: readable text, JSON, or the sh:ValidationReport graph in Turtle.")
@click.option("--replace", is_flag=True, help="Check as a replacement of records of the same IRIs.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str | None, report_format: str, replace: bool) -> None:
    """Check records against the shapes, in the context of the graph in the store.

    Exit status: 0 conforms, 1 does not conform, 2 cannot read the input."""
    p = _project(ctx)
    recs = _read(ctx, files, fmt)
    report = _run(lambda: records_mod.check(recs, p.validator, p.reader, replace=replace,
                                                    base_iri=p.settings.base_iri))
    if report_format == "json":
        click.echo(report.to_json())
    elif report_format == "turtle":
        click.echo(report.to_turtle())
    else:
        click.echo(report.text())
    if not replace:   # what add would say about it, besides the shapes
        reader = p.reader
        for r in recs:
            if reader.has_record(r.iri):
                click.echo(f"Note: <{r.iri}> is already in the store: `eventkg add` refuses it without --replace",
                           err=True)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", metavar="FORMAT", help="Input format (default: from the extension).")
@click.option("--replace", is_flag=True, help="Replace records of the same IRIs.")
@click.pass_context
def add(ctx: click.Context, files: tuple[Path, ...], fmt: str | None, replace: bool) -> None:
    """Validate records and add each as its own named graph; all or nothing."""
    p = _project(ctx)
    recs = _read(ctx, files, fmt)
    try:
        res = records_mod.add(p.existing_store, recs, p.validator, replace=replace, base_iri=p.settings.base_iri)
    except NotConformingError as e:
        click.echo(e.report.text())   # the report once, on stdout; the error line says what happened
        raise CLIError(e, f"{e.source}: does not conform; nothing was written") from e
    except EventKGError as e:
        raise CLIError(e) from e
    for r in res.records:
        click.echo(f"{'Replaced' if replace else 'Added'} <{r.iri}> ({len(r)} triples) from {r.source}")
    warnings = [r for r in res.report.results if r.severity != "Violation"]
    if warnings:
        click.echo(f"{len(warnings)} warning(s):\n" + res.report.text(), err=True)


@cli.command()
@click.argument("iri")
@click.pass_context
def remove(ctx: click.Context, iri: str) -> None:
    """Remove one record (a named graph) by its IRI or prefixed name (record:SLUG)."""
    p = _project(ctx)
    try:
        full = queries_mod.expand_iri(iri)
    except EventKGError as e:
        raise CLIError(e, f"{iri!r} is not a record's IRI (give its IRI or record:SLUG)") from e
    dangling = _run(lambda: records_mod.remove(p.existing_store, full, p.settings.base_iri))
    click.echo(f"Removed <{full}>")
    for g, xs in dangling.items():
        more = f" and {len(xs) - 3} more" if len(xs) > 3 else ""
        click.echo(f"Note: <{g}> still points to {', '.join(f'<{x}>' for x in xs[:3])}{more}, which the store no "
                   f"longer describes; check it with eventkg validate", err=True)


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: want key=value", param_hint="--param")
        k, _, val = v.partition("=")
        k = k.strip()
        if k in out and out[k] != val:   # a parameter holds one value
            raise click.BadParameter(f"{k!r} given twice ({out[k]!r}, {val!r})", param_hint="--param")
        out[k] = val
    return out


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the named query.")
@click.option("--file", "qfile", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Run the query in this file.")
@click.option("--sparql", metavar="QUERY", help="Run this query text.")
@click.option("--format", "fmt", default=None, metavar="FORMAT",
              help="table|csv|tsv|json|xml for SELECT/ASK (default table); an RDF format for CONSTRUCT/DESCRIBE (default turtle).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
@click.pass_context
def query(ctx: click.Context, name: str | None, params: tuple[str, ...], qfile: Path | None, sparql: str | None,
          fmt: str | None, limit: int | None) -> None:
    """Run a named query, a query file, or query text over the union of all records."""
    p = _project(ctx)
    if sum(x is not None for x in (name, qfile, sparql)) != 1:
        raise click.UsageError("give exactly one of NAME, --file or --sparql")
    values = _params(params)

    def go() -> Any:
        if name is not None:
            nq = queries_mod.get(p.settings.project_file(p.settings.queries), name)
            return queries_mod.run(p.reader, nq, values, limit=limit)
        if qfile is not None:
            text = qfile.read_text(encoding="utf-8")
            header: queries_mod.NamedQuery | None
            try:
                header = queries_mod.parse_header(qfile.stem, text, qfile)
            except EventKGError:
                if values:   # parameters need a header that declares them
                    raise
                header = None    # a plain query without a header
            if header is not None and (values or header.params):   # given, else defaults, else an error
                return queries_mod.run(p.reader, header, values, limit=limit)
            try:
                return p.reader.query(text, limit=limit)
            except EventKGError as e:
                from .errors import QueryError

                if isinstance(e, QueryError) and e.source is None:
                    raise QueryError(e.reason, e.line, e.column, source=str(qfile)) from e
                raise
        if values:
            raise click.UsageError("--param goes with a named query or a --file with a header")
        return p.reader.query(sparql or "", limit=limit)

    res = _run(go)
    out_fmt = fmt or ("turtle" if isinstance(res, Triples) else "table")
    if out_fmt == "table" and not isinstance(res, Triples):
        click.echo(table(res))
        return
    data = _run(lambda: serialize(res, out_fmt))
    click.echo(data.decode("utf-8"), nl=not data.endswith(b"\n"))


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.pass_context
def queries_cmd(ctx: click.Context, fmt: str) -> None:
    """List the named queries: their question and parameters."""
    lib = _run(lambda: _project(ctx).queries)
    if fmt == "markdown":
        click.echo(queries_mod.markdown(lib), nl=False)
        return
    if fmt == "json":
        import json

        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "params": [p.__dict__ for p in q.params]} for q in lib.values()], indent=2))
        return
    for q in lib.values():
        click.echo(f"{q.name}\n    {q.title}")
        for prm in q.params:
            click.echo(f"    --param {prm.name}=<{prm.type}>  {prm.description}")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle", show_default=True)
@click.option("--record", metavar="IRI", help="Export one record (its IRI or record:SLUG).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here (default: stdout).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, record: str | None, output: Path | None) -> None:
    """Write the graph, or one record, in an RDF format; the same graph gives the same bytes."""
    p = _project(ctx)
    rec = _run(lambda: queries_mod.expand_iri(record)) if record else None

    def go() -> None:
        if output is None:
            export_mod.write_export(p.reader, fmt, sys.stdout.buffer, record=rec, context=p.context, workers=None)
            sys.stdout.buffer.flush()
            return
        tmp = output.with_name(output.name + ".part")
        try:
            with open(tmp, "wb") as fh:
                export_mod.write_export(p.reader, fmt, fh, record=rec, context=p.context, workers=None)
            tmp.replace(output)
        except OSError as e:
            raise ConfigError(f"{output}: cannot write it ({e.strerror or e})") from e
        finally:
            tmp.unlink(missing_ok=True)   # a failed export leaves no half file

    _run(go)




@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Triples, records, classes and properties in use."""
    from .stats import collect

    info = _run(lambda: collect(_project(ctx).reader))
    if fmt == "json":
        import json

        click.echo(json.dumps(info, indent=2))
        return
    click.echo(f"Store:   {info['store']}")
    click.echo(f"Triples: {info['triples']} in the records, {info['distinct_triples']} distinct (a triple two "
               "records state counts once)")
    click.echo(f"Records: {len(info['records'])}")
    for r in info["records"]:
        click.echo(f"    {r['iri']}  ({r['triples']} triples)")
    click.echo(f"Classes: {len(info['classes'])}")
    for c in info["classes"]:
        click.echo(f"    {c['instances']:>6}  {c['class']}")
    click.echo(f"Properties: {len(info['properties'])}")
    for pr in info["properties"]:
        click.echo(f"    {pr['triples']:>6}  {pr['property']}")


def _register() -> None:
    # Commands that live beside the modules they face; each stays a thin click command.
    from .publish import publish_command
    from .server.command import serve
    from .sync import pull_command, push_command

    for c in (serve, push_command, pull_command, publish_command):
        cli.add_command(c)


_register()


def main() -> None:
    cli(obj={})


__all__ = ["cli", "main"]
