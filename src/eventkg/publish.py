"""`eventkg publish`: the whole site as static files, with content-negotiation rules for nginx and Apache.

Every page and document is rendered by the same functions the server uses (``server/pages.py``), and the
rules below give the same answers as ``eventkg serve``:

    /id/PATH, /record/PATH, /ontology, /shapes, /dataset   303 See Other to /doc/PATH.EXT, EXT chosen by
                                                            Accept (HTML by default), Vary: Accept
    /doc/PATH                                               the variant chosen by Accept, Content-Location
    /doc/PATH.EXT                                           that variant, with its media type
    /.well-known/void                                       the dataset description (Turtle by default)
    /, /ontology/context.jsonld, /dumps/*, /sitemap.xml, /robots.txt, /static/*

What a web server's rules can do is pick by the first media type of the Accept header that we offer (then
by any), not weigh q-values; clients that list their favourite first (browsers, curl, RDF libraries) get
what the live server gives them. There is no SPARQL endpoint on a static site.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import click

from .errors import EventKGError
from .formats import rdf_format
from .project import Project
from .server.conneg import THING_ROOTS, VOCABULARIES
from .store.base import Rows

DOC = "doc/"


def _variants() -> list[tuple[str, str, list[str]]]:
    """(extension, Content-Type, media types a client may ask for) of every document variant, in the
    server's order (HTML first)."""
    from .server.conneg import DOC_VARIANTS

    out = []
    for v in DOC_VARIANTS:
        types = [v.media_type] + ([m for m in v.fmt.media_types if m != v.media_type] if v.fmt else [])
        out.append((v.ext, v.content_type, types))
    return out


def accept_rules(default: str) -> list[tuple[str, str]]:
    """(regular expression on the Accept header, extension) in the order a web server must try them: a
    variant listed first in the header, then one listed anywhere, then wildcards (the default), and any
    other non-empty header is not acceptable ("406"). A range of one type (``application/*``) gets the first
    variant of that type, as on the live server, and goes before ``*/*``, which gets ``default``."""
    first, anywhere = [], []
    kinds: dict[str, str] = {}
    for ext, _, types in _variants():
        alt = "|".join(re.escape(t) for t in types)
        first.append((rf"^\s*({alt})\s*(;|,|$)", ext))
        anywhere.append((rf"(^|,)\s*({alt})\s*(;|,|$)", ext))
        kinds.setdefault(types[0].split("/")[0], ext)
    wild = [(rf"(^|,)\s*{re.escape(kind)}/\*", ext) for kind, ext in kinds.items()]
    return first + anywhere + wild + [(r"(^|,)\s*\*/\*", default), (r".", "406")]


@dataclass
class Published:
    out: Path
    resources: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)


def resources(project: Project) -> list[str]:
    """The site paths (``id/...``, ``record/...``) of every IRI of ours the graph names."""
    base = project.settings.base_iri
    q = f"""SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }}
        FILTER(isIRI(?x) && (STRSTARTS(STR(?x), "{base}id/") || STRSTARTS(STR(?x), "{base}record/"))) }}"""
    res = project.store.query(q)
    assert isinstance(res, Rows)
    iris = {str(r[0]) for r in res.rows} | {g for g in project.store.records() if g.startswith(base)}
    paths = {i[len(base):].split("#", 1)[0] for i in iris}
    return sorted(p for p in paths if p.startswith(THING_ROOTS))


MARKER = ".eventkg-site"   # in every site publish writes: a folder that has it may be replaced by the next


def _check_out(project: Project, out: Path, force: bool) -> None:
    """Refuse an ``--out`` whose replacement would lose what is not a site: a file, a folder holding the
    project or its store, or (without ``force``) a non-empty folder that is no earlier site. Raises
    ConfigError."""
    from .errors import ConfigError

    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: not a folder")
    store = project.settings.path(project.settings.store) if not (project.settings.store_is_memory or
                                                                   project.settings.store_is_remote) else None
    for kept, what in ((project.settings.root.resolve(), "the project"), (store.resolve() if store else None,
                                                                          "the store")):
        if kept is not None and (kept == out or out in kept.parents):
            raise ConfigError(f"--out {out}: it holds {what} ({kept}), which publishing would replace; "
                              "give a folder of its own")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() and not force:
        raise ConfigError(f"--out {out}: a folder with other files in it, not a site eventkg published (it has "
                          f"no {MARKER}); publishing replaces the whole folder. Give a new or empty folder, or "
                          "--force to replace it")


def publish(project: Project, out: Path, base_url: str, *, progress: Callable[[int], None] | None = None,
            force: bool = False, workers: int | None = 1) -> Published:
    """Write the site into ``out`` (replaced as a whole once everything is written). ``workers``: as
    ``export.write_export`` takes it, for the dumps. Raises EventKGError (ConfigError for an ``out`` it must
    not or cannot write, see ``_check_out``)."""
    from .errors import ConfigError

    out = out.resolve()
    _check_out(project, out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot write there ({e.strerror or e})") from e
    from .server.conneg import STATIC

    token = STATIC.set(True)   # pages without the endpoint, search and query pages a static site lacks
    try:
        return _publish_into(project, out, tmp, base_url, progress, workers)
    except OSError as e:
        raise ConfigError(f"--out {out}: cannot write the site ({e.strerror or e})") from e
    finally:
        STATIC.reset(token)


def _publish_into(project: Project, out: Path, tmp: Path, base_url: str,
                  progress: Callable[[int], None] | None, workers: int | None = 1) -> Published:
    from .export import write_export
    from .server import pages
    from .server.conneg import DOC_VARIANTS, Site, is_file_path
    from .server.errors import NotFound

    base_url = base_url if base_url.endswith("/") else base_url + "/"
    result = Published(out)

    def write(rel: str, body: bytes) -> None:
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(body)
        result.files += 1

    try:
        site = Site(project.settings.base_iri, base_url)
        paths = resources(project)
        for path in [*VOCABULARIES, *paths]:
            if not is_file_path(path):
                result.skipped.append(path)
                continue
            try:
                for v in DOC_VARIANTS:
                    write(f"{DOC}{path}.{v.ext}", pages.render_document(project, path, v, base_url))
            except NotFound:
                result.skipped.append(path)
                continue
            result.resources += 1
            if progress:
                progress(1)
        write("index.html", pages.render_index_html(project, base_url).encode("utf-8"))
        write("sitemap.xml", pages.sitemap_xml(project, base_url))
        write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site.url('sitemap.xml')}\n".encode("utf-8"))
        ctx_file = project.settings.path(project.settings.context)
        if ctx_file.is_file():
            write("ontology/context.jsonld", ctx_file.read_bytes())
        ctx = pages._context(project)
        for fmt_name, name in pages.DUMPS:
            target = tmp / "dumps" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                write_export(project.store, rdf_format(fmt_name), fh, context=ctx, workers=workers)
            result.files += 1
        static = Path(pages.__file__).parent / "static"
        if static.is_dir():
            shutil.copytree(static, tmp / "static")
        version = pages.version_iri(project)
        base = project.settings.base_iri
        aliases = [(version[len(base):], "ontology")] if version and version.startswith(base) else []
        write("nginx.conf", nginx_conf(base_url, aliases).encode("utf-8"))
        write(".htaccess", htaccess(base_url, aliases).encode("utf-8"))
        write(MARKER, b"A site written by eventkg publish; the next publish into this folder replaces it.\n")
        os.chmod(tmp, 0o755)
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def _types() -> dict[str, str]:
    """Extension -> Content-Type for every file the site holds."""
    t = {ext: ctype for ext, ctype, _ in _variants()}
    t.update({"xml": "application/xml", "txt": "text/plain; charset=utf-8", "css": "text/css; charset=utf-8",
              "js": "text/javascript; charset=utf-8"})
    return t


def nginx_conf(base_url: str, aliases: Sequence[tuple[str, str]] = ()) -> str:
    """An nginx ``server`` block for the site (set ``listen`` and ``root`` for your host: the published folder
    must be at ``root`` + the path of the base URL). ``aliases``: (path, thing path) pairs of IRIs that answer
    as another thing does (the ontology's version IRI)."""
    from urllib.parse import urlsplit

    exts = "|".join(ext for ext, _, _ in _variants())
    pre = urlsplit(base_url).path or "/"
    rpre = re.escape(pre)
    types = _types()

    def amap(name: str, default: str) -> str:
        rows = "\n".join(f'    "~*{rx}" {ext};' for rx, ext in accept_rules(default))
        return f"map $http_accept {name} {{\n    default {default};\n{rows}\n}}\n"

    type_lines = "\n".join(f"        {ct.split(';')[0]} {ext};" for ext, ct in sorted(types.items())
                           if ext not in ("txt", "css", "js"))
    charset_types = " ".join(sorted({ct.split(";")[0] for ct in types.values() if "charset" in ct} - {"text/html"}))
    cors = 'add_header Access-Control-Allow-Origin "*" always;'
    alias_rules = "".join(f"""    location = {pre}{path} {{
        if ($eventkg_ext = 406) {{ add_header Vary Accept always; {cors} return 406; }}
        add_header Vary Accept always;
        {cors}
        return 303 {base_url}doc/{thing}.$eventkg_ext;
    }}
""" for path, thing in aliases)
    return f"""# eventkg static site: content negotiation as `eventkg serve` does it (written by `eventkg publish`).
# Include this file in nginx's http block; set `listen` and `root` (the published folder) for your host.
{amap("$eventkg_ext", "html")}{amap("$eventkg_void_ext", "ttl")}
server {{
    listen 80;
    root /srv/eventkg;
    index index.html;
    charset utf-8;
    charset_types {charset_types};
    types {{
{type_lines}
        text/plain txt;
        text/css css;
        text/javascript js;
    }}
    default_type application/octet-stream;
    {cors}   # reads, from any origin, as `eventkg serve` allows them (a location that adds a header repeats it)
    location ~ (^|/)(nginx\\.conf|\\.htaccess|{re.escape(MARKER)})$ {{ return 404; }}

    # things: 303 See Other to the document chosen by Accept
{alias_rules}
    location ~ ^{rpre}((id|record)/.+|ontology|shapes|dataset)$ {{
        set $thing $1;
        if (!-f $document_root{pre}doc/$thing.html) {{ return 404; }}
        if ($eventkg_ext = 406) {{ add_header Vary Accept always; {cors} return 406; }}
        add_header Vary Accept always;
        {cors}
        return 303 {base_url}doc/$thing.$eventkg_ext;
    }}
    location = {pre}ontology/context.jsonld {{ types {{ }} default_type application/ld+json; }}
    # one variant of a document
    location ~ ^{rpre}doc/(.+)\\.({exts})$ {{
        add_header Vary Accept always;
        add_header Content-Location {base_url}doc/$1.$2 always;
        {cors}
    }}
    # a document, negotiated
    location ~ ^{rpre}doc/(.+)$ {{
        set $doc $1;
        if ($eventkg_ext = 406) {{ add_header Vary Accept always; {cors} return 406; }}
        if (!-f $document_root{pre}doc/$doc.html) {{ return 404; }}
        rewrite ^ {pre}doc/$doc.$eventkg_ext last;
    }}
    location = {pre}.well-known/void {{
        if ($eventkg_void_ext = 406) {{ add_header Vary Accept always; {cors} return 406; }}
        rewrite ^ {pre}doc/dataset.$eventkg_void_ext last;
    }}
}}
"""


def htaccess(base_url: str, aliases: Sequence[tuple[str, str]] = ()) -> str:
    """Apache rules (mod_rewrite, mod_headers, mod_mime, mod_dir) for the site's folder (served at the base
    URL); ``aliases`` as for ``nginx_conf``."""
    from urllib.parse import urlsplit

    exts = "|".join(ext for ext, _, _ in _variants())
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    types = _types()

    def conds(target: str, default: str, pattern: str, check: str) -> str:
        blocks = []
        for rx, ext in accept_rules(default):
            if ext == "406":
                blocks.append(f"RewriteCond %{{HTTP_ACCEPT}} .\n{check}RewriteRule {pattern} - [R=406,L]")
                continue
            blocks.append(f'RewriteCond %{{HTTP_ACCEPT}} "{rx}" [NC]\n{check}RewriteRule {pattern} '
                          f"{target.replace('EXT', ext)}")
        blocks.append(f"{check}RewriteRule {pattern} {target.replace('EXT', default)}")
        return "\n".join(blocks)

    # the folder is served at DOCUMENT_ROOT + the base URL's path (as for nginx)
    thing_check = f"RewriteCond %{{DOCUMENT_ROOT}}{parts.path or '/'}doc/$1.html -f\n"
    add_types = "\n".join(f"AddType \"{ct}\" .{ext}" for ext, ct in sorted(types.items()))
    thing_rules = conds(f"{base_url}doc/$1.EXT [R=303,L,E=VARY_ACCEPT:1]", "html",
                        "^((?:id|record)/.+|ontology|shapes|dataset)$", thing_check)
    doc_rules = conds("doc/$1.EXT [L,E=VARY_ACCEPT:1]", "html", f"^doc/((?!.*\\.(?:{exts})$).+)$", thing_check)
    void_rules = conds("doc/dataset.EXT [L,E=VARY_ACCEPT:1]", "ttl", r"^\.well-known/void$", "")
    alias_rules = "\n".join(conds(f"{base_url}doc/{thing}.EXT [R=303,L,E=VARY_ACCEPT:1]", "html",
                                  f"^{re.escape(path)}$", "") for path, thing in aliases)
    doc_path = re.escape((parts.path or "/") + "doc/")
    return f"""# eventkg static site: content negotiation as `eventkg serve` does it (written by `eventkg publish`).
# Needs mod_rewrite, mod_headers, mod_mime and mod_dir, and AllowOverride FileInfo Indexes for this folder;
# MultiViews must be off for it (Apache's default).
DirectoryIndex index.html
# doc/X is a document and doc/X/ a folder of the documents below it: no redirect to the folder
DirectorySlash Off
AddDefaultCharset off
{add_types}
AddType "application/ld+json" .jsonld
<Files "context.jsonld">
    ForceType application/ld+json
</Files>

RewriteEngine On
RewriteBase {parts.path or "/"}
RewriteRule (^|/)(nginx\\.conf|\\.htaccess|{re.escape(MARKER)})$ - [R=404,L]
# IRIs that answer as another thing does (the ontology's version IRI)
{alias_rules}
# things: 303 See Other to the document chosen by Accept
{thing_rules}
# a document, negotiated
{doc_rules}
# the dataset description
{void_rules}

Header always set Access-Control-Allow-Origin "*"
Header always set Vary "Accept" env=VARY_ACCEPT
Header always set Vary "Accept" env=REDIRECT_VARY_ACCEPT
<If "%{{REQUEST_URI}} =~ m#^{doc_path}.+\\.({exts})$#">
    Header always set Vary "Accept"
    Header always set Content-Location "expr={origin}%{{REQUEST_URI}}"
</If>
"""


@click.command("publish")
@click.option("--out", required=True, metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the site into (replaced when the new site is complete).")
@click.option("--base-url", metavar="URL",
              help="Where the site will be served (default: the base IRI, so the IRIs themselves resolve).")
@click.option("--force", is_flag=True,
              help="Replace --out even if it is a folder with other files in it and no earlier site.")
@click.pass_context
def publish_command(ctx: click.Context, out: Path, base_url: str | None, force: bool) -> None:
    """Write the site as static files: every resource as .html, .ttl, .jsonld, .nt (and .nq, .trig, .rdf),
    the index, the ontology documentation, the dumps, VoID/DCAT, a sitemap, and nginx and Apache rules."""
    from .cli import CLIError, _project

    project = _project(ctx)
    try:
        project.reader   # it only reads: beside a running server, the store is opened read-only
        res = publish(project, out, base_url or project.settings.base_iri, force=force, workers=None)
    except EventKGError as e:
        raise CLIError(e) from e
    click.echo(f"Published {res.resources} documents ({res.files} files) to {res.out}; "
               f"rules for nginx: {res.out / 'nginx.conf'}, Apache: {res.out / '.htaccess'}")
    if res.skipped:
        more = f" and {len(res.skipped) - 5} more" if len(res.skipped) > 5 else ""
        click.echo(f"Skipped {len(res.skipped)} IRIs that cannot be file names (the pages link to the IRIs "
                   f"themselves): {', '.join(res.skipped[:5])}{more}", err=True)


__all__ = ["publish", "publish_command", "nginx_conf", "htaccess", "accept_rules", "resources", "Published"]
