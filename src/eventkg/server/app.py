"""The web app: ``create_app(project, ...)`` -> a Starlette app serving the SPARQL 1.1 protocol, the
dereferenceable IRIs of the graph, HTML pages, the dataset description and dumps, and the records API.

The routes parse the request, call one library function (in a thread when it touches the store) and render
its answer; the URL scheme and the content negotiation rules live in ``conneg.py``, the pages in
``pages.py``, the query time limit in ``pool.py``. Every error is an EventKGError rendered by one handler.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import functools
import itertools
import hmac
import logging
import os
import tempfile
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Iterable
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import queries as queries_mod
from .. import records as records_mod
from ..errors import EventKGError, NotConformingError, QueryError, QueryTimeout, StoreError
from ..formats import RESULTS_FORMATS, best_match, rdf_format, results_format
from ..load import records_from_bytes
from ..project import Project
from ..store.base import might_call_out, query_form, uses_service
from . import describe, pages
from .conneg import (DOC_VARIANTS, HTML, HTML_VARIANT, PROBLEM, RDF_VARIANTS, Site, Variant, content_type, etag,
                     etag_matches, has_document, iri_paths, negotiate, split_ext, variant_for_ext)
from .errors import (BadRequest, Conflict, Forbidden, HeaderTooLarge, HTTPError, NotAcceptable, NotFound, PayloadTooLarge,
                     PreconditionFailed,
                     Unauthorized, UnsupportedMediaType)
from .pool import InlineRunner, InProcessRunner, WorkerPool, make_runner

log = logging.getLogger("eventkg.server")

TRUNCATED = "X-Eventkg-Truncated"
ROW_LIMIT = "X-Eventkg-Row-Limit"
EXPOSED = "ETag, Link, Location, Content-Location, Retry-After, " + TRUNCATED + ", " + ROW_LIMIT
# the CORS headers of every read (CORSForReads; the query handler and the time-limit answer that skip it)
READ_CORS = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", EXPOSED.encode())]
READ_METHODS = "GET, HEAD, POST, OPTIONS"
SAFE_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type, If-None-Match"
CACHE_CONTROL = "public, no-cache"

# Results offered for SELECT/ASK: media type -> the format we write (aliases get the same bytes).
RESULT_TYPES: dict[str, str] = {f.media_type: f.media_type for f in RESULTS_FORMATS}
RESULT_TYPES["application/json"] = "application/sparql-results+json"
RESULT_TYPES["application/xml"] = "application/sparql-results+xml"
RDF_TYPES: dict[str, str] = {mt: v.media_type for v in RDF_VARIANTS for mt in v.fmt.media_types}  # type: ignore[union-attr]


@dataclass
class Options:
    base_url: str | None = None      # the site's public address; default: taken from each request
    timeout: float = 10.0            # seconds a query may run
    row_limit: int = 10_000          # rows (or triples) a query may return
    allow_update: bool = False
    token: str | None = None
    workers: int = 2                 # query worker processes (on-disk embedded store)
    max_body: int = 5 * 1024 * 1024  # bytes a request body may have
    cache: bool | None = None        # cache rendered documents (default: yes unless the store is remote)
    in_process: bool = False         # run queries in this process (a process of a read-only server, see processes.py)
    allow_service: bool = False      # let queries call other endpoints (SERVICE)


@dataclass
class State:
    project: Project
    options: Options
    runner: WorkerPool | InlineRunner | InProcessRunner
    generation: int = 0
    cache: "OrderedDict[tuple[Any, ...], tuple[bytes, str]]" = field(default_factory=OrderedDict)
    answers: "Answers" = field(default_factory=lambda: Answers())
    write_lock: asyncio.Lock | None = None
    dump_dir: Path | None = None
    dumps: dict[tuple[int, str], tuple[Path, str]] = field(default_factory=dict)

    @property
    def caching(self) -> bool:
        if self.options.cache is not None:
            return self.options.cache
        # only an embedded store is written through this server alone (it holds the store's lock)
        return self.project.store.info.kind.startswith("oxigraph")

    def written(self) -> None:
        """The store changed: drop cached documents and make the query workers reopen it."""
        self.generation += 1
        self.cache.clear()
        self.answers.clear(self.generation)
        self.runner.invalidate()


def _state(request: Request) -> State:
    return request.app.state.ekg  # type: ignore[no-any-return]


def _site(request: Request) -> Site:
    st = _state(request)
    base = st.options.base_url or str(request.base_url)
    return Site(st.project.settings.base_iri, base)


# -- errors ---------------------------------------------------------------------------------------------

def _wants_html(request: Request) -> bool:
    return best_match(request.headers.get("accept"), [PROBLEM, "application/json", HTML], PROBLEM) == HTML


def error_response(request: Request, exc: EventKGError, extra: dict[str, Any] | None = None) -> Response:
    """The one rendering of every error: application/problem+json, or an HTML page for browsers."""
    problem = exc.problem()
    problem.setdefault("instance", request.url.path)
    if isinstance(exc, StoreError):
        problem["detail"] = _without_store_urls(str(problem.get("detail", "")), _state(request).project)
    if extra:
        problem.update(extra)
    headers = dict(getattr(exc, "headers", {}) or {})
    # a page for browsers, a problem document for machines: negotiated, so it varies on Accept
    vary = headers.get("Vary")
    headers["Vary"] = "Accept" if not vary else vary if "accept" in vary.lower() else vary + ", Accept"
    if exc.status >= 500 and not isinstance(exc, HTTPError) and exc.status != 503:
        log.error("%s %s: %s", request.method, request.url.path, exc)
    if _wants_html(request):
        base = _state(request).options.base_url or str(request.base_url)
        body = pages.render_error_html(base, exc.status, exc.title, str(problem.get("detail", exc.message)), problem)
        return HTMLResponse(body, exc.status, headers=headers)
    return JSONResponse(problem, exc.status, headers=headers, media_type=PROBLEM)


def _without_store_urls(message: str, project: Project) -> str:
    """A remote store's failure as the public is told it: its endpoints' URLs (hosts behind the server) are
    named "the store"; the server's log keeps the full message."""
    try:
        info = project.store.info
    except EventKGError:
        return message
    if info.kind != "sparql":
        return message
    urls = [info.location, *(v for k, v in info.extra.items() if k in ("update", "gsp"))]
    for url in sorted({u for u in urls if u and u.startswith(("http://", "https://"))}, key=len, reverse=True):
        message = message.replace(url, "the store")
    return message


async def _on_eventkg_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EventKGError)
    return error_response(request, exc)


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if "Allow" in headers:   # Starlette lists a route's methods from a set: in one order, ours; and OPTIONS,
        # which the CORS layer answers on every path
        headers["Allow"] = _allow([*(m.strip() for m in headers["Allow"].split(",")), "OPTIONS"])
    err = HTTPError(exc.detail if exc.detail and exc.detail != HTTPStatus(exc.status_code).phrase
                    else _default_detail(request, exc.status_code), headers)
    err.status = exc.status_code
    err.title = HTTPStatus(exc.status_code).phrase
    return error_response(request, err)


_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS")


def _allow(methods: Iterable[str]) -> str:
    """An Allow header's methods in one fixed order."""
    ms = {m.upper() for m in methods if m}
    return ", ".join(sorted(ms, key=lambda m: (_METHOD_ORDER.index(m) if m in _METHOD_ORDER else 99, m)))


def _default_detail(request: Request, status: int) -> str:
    if status == 404:
        return f"nothing at {request.url.path}"
    if status == 405:
        return f"{request.method} is not allowed on {request.url.path}"
    return HTTPStatus(status).description


async def _on_crash(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ClientDisconnect):   # the client left while sending its body: nobody to answer, no fault
        log.info("%s %s: the client disconnected before its request was read", request.method, request.url.path)
        return Response(status_code=400)
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    err = EventKGError(f"internal error: {type(exc).__name__}")
    return error_response(request, err)


# -- helpers --------------------------------------------------------------------------------------------

async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 past the size limit (announced or actual)."""
    limit = _state(request).options.max_body
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks, n = [], 0
    async for chunk in request.stream():
        n += len(chunk)
        if n > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def check_write(request: Request) -> None:
    """Writes need --allow-update (else 403) and the bearer token (else 401)."""
    opts = _state(request).options
    if not opts.allow_update or not opts.token:
        raise Forbidden("this server is read-only; start it with --allow-update --token TOKEN to accept writes")
    scheme, _, cred = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not cred.strip():
        raise Unauthorized("this needs the update token: send 'Authorization: Bearer TOKEN'")
    if not hmac.compare_digest(cred.strip().encode(), opts.token.encode()):
        raise Unauthorized("the bearer token is wrong")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def document_response(request: Request, body: bytes, variant: Variant, *, location: str | None,
                      tag: str | None = None, link: str | None = None, status: int = 200,
                      negotiated: bool = True) -> Response:
    """A document with its validators: strong ETag, If-None-Match -> 304, Content-Location, Link, and
    ``Vary: Accept`` where the variant was chosen by Accept (``negotiated``)."""
    tag = tag or etag(body, variant.ext)
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    if negotiated:
        headers["Vary"] = "Accept"
    if location:
        headers["Content-Location"] = location
    if link:
        headers["Link"] = link
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, status, headers=headers, media_type=variant.content_type)


async def _cached(request: Request, key: tuple[Any, ...], make: Callable[[], bytes]) -> tuple[bytes, str]:
    st = _state(request)
    full = (st.generation, *key)
    if st.caching:
        hit = st.cache.get(full)
        if hit is not None:
            st.cache.move_to_end(full)
            return hit
    body = await run_in_threadpool(make)
    out = (body, etag(body, str(key[-1])))
    if st.caching:
        st.cache[full] = out
        while len(st.cache) > 512:
            st.cache.popitem(last=False)
    return out


def _negotiated(request: Request, variants: tuple[Variant, ...] = DOC_VARIANTS,
                default: Variant = HTML_VARIANT) -> Variant:
    accept = request.headers.get("accept")
    v = negotiate(accept, variants, default)
    if v is None:
        raise NotAcceptable(accept or "", [x.media_type for x in variants])
    return v


# -- things and documents -------------------------------------------------------------------------------

async def thing(request: Request) -> Response:
    """A thing's IRI: 303 See Other to the document chosen by Accept."""
    st = _state(request)
    site = _site(request)
    rel, exists = await _existing(request, _site_paths(request), site)
    iri = site.iri(rel)
    if rel.startswith(("id/", "record/")):
        if exists is None:
            exists = await run_in_threadpool(describe.exists, st.project.store, iri)
        if not exists:
            raise NotFound(f"the graph does not name <{iri}>")
    return _see_document(request, site, iri)


def _see_document(request: Request, site: Site, iri: str) -> Response:
    """303 See Other to the document about ``iri`` in the variant Accept chooses."""
    target = site.doc_url(iri, _negotiated(request))
    assert target is not None
    return Response(f"See {target}\n", 303,
                    headers={"Location": target, "Vary": "Accept"}, media_type=content_type("text/plain"))


async def ontology_version(request: Request) -> Response:
    """The ontology's owl:versionIRI: 303 See Other to the ontology's document, as its IRI does (the
    version served is the current one; any other path under /ontology/ is 404)."""
    st = _state(request)
    site = _site(request)
    version = pages.version_iri(st.project)
    if version is None or site.iri(f"ontology/{request.path_params['version']}") != version:
        raise NotFound(f"no version of the ontology at {request.url.path}")
    return _see_document(request, site, site.iri("ontology"))


def _root(request: Request) -> str:
    return request.scope.get("root_path", "").strip("/")


def _site_paths(request: Request, under: str = "") -> list[str]:
    """The request's path below the site's root (and below ``under``), in the forms the graph's IRIs may take,
    the likeliest first (see ``conneg.iri_paths``): read from the path as sent, since the decoded one loses
    the difference between ``a%2Fb`` and ``a/b``. NotFound if no IRI can end so (``x[1]``, a stray ``%``)."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    root = _root(request)
    base = _state(request).project.settings.base_iri
    out, reason = [], ""
    for path in iri_paths(raw):
        path = path.lstrip("/")
        if root and path.startswith(root + "/"):
            path = path[len(root) + 1:]
        path = path[len(under):] if under and path.startswith(under) else path
        try:
            ox.NamedNode(base + path)
        except ValueError as e:
            reason = str(e)
            continue
        out.append(path)
    if not out:
        raise NotFound(f"nothing at {request.url.path}: no IRI ends so ({reason})")
    return out


def _site_path(request: Request, under: str = "") -> str:
    return _site_paths(request, under)[0]


async def _existing(request: Request, paths: list[str], site: Site,
                    document: bool = False) -> tuple[str, bool | None]:
    """Of the paths a request may stand for (of a document, with its extension), the first whose IRI the
    graph names, else the first; and whether the graph names it (None: one path, not asked)."""
    if len(paths) == 1:
        return paths[0], None
    store = _state(request).project.store
    for path in paths:
        if await run_in_threadpool(describe.exists, store, site.iri(split_ext(path)[0] if document else path)):
            return path, True
    return paths[0], False


def _highlight(request: Request) -> tuple[int, int] | None:
    hl = request.query_params.get("hl", "")
    a, _, b = hl.partition("-")
    if a.isdigit() and b.isdigit() and int(a) <= int(b):
        return int(a), int(b)
    return None


def _variant_named(name: str) -> Variant:
    """The document variant a ``format=`` value names, by extension or format name; BadRequest if none."""
    v = variant_for_ext(name.lower())
    if v is not None:
        return v
    try:
        fmt = rdf_format(name)
    except EventKGError:
        fmt = None
    if fmt is not None:
        for v in DOC_VARIANTS:
            if v.fmt is not None and v.fmt.name == fmt.name:
                return v
    raise BadRequest(f"unknown format {name!r}; documents come as " + ", ".join(v.ext for v in DOC_VARIANTS))


async def document(request: Request) -> Response:
    """``/doc/PATH`` (negotiated) and ``/doc/PATH.EXT`` (one variant)."""
    st = _state(request)
    site = _site(request)
    found, _ = await _existing(request, _site_paths(request, under="doc/"), site, document=True)
    path, variant = split_ext(found)
    fmt = request.query_params.get("format")
    if variant is None and fmt:   # ?format=ttl (or turtle, jsonld, html, ...): the variant, as .EXT names it
        variant = _variant_named(fmt)
    if variant is None:
        variant = _negotiated(request)
    if not has_document(path):
        raise NotFound(f"no document at {request.url.path}")
    iri = site.iri(path)
    hl = _highlight(request) if variant.fmt is None else None
    opts = st.options
    body, tag = await _cached(request, (site.base_url, path, hl, variant.ext), lambda: pages.render_document(
        st.project, path, variant, site.base_url, highlight=hl, allow_update=opts.allow_update))  # type: ignore[arg-type]
    # Content-Location names the variant sent (for /doc/PATH it tells which one negotiation chose)
    return document_response(request, body, variant, tag=tag, location=site.doc_url(iri, variant),
                             link=site.alternates(iri, exclude=variant))


async def void(request: Request) -> Response:
    """``/.well-known/void``: the dataset description (VoID and DCAT), negotiated."""
    st = _state(request)
    site = _site(request)
    variant = _negotiated(request, default=RDF_VARIANTS[0])
    iri = site.iri("dataset")
    body, tag = await _cached(request, (site.base_url, "dataset", None, variant.ext), lambda: pages.render_document(
        st.project, "dataset", variant, site.base_url, allow_update=st.options.allow_update))
    return document_response(request, body, variant, tag=tag, location=site.doc_url(iri, variant),
                             link=site.alternates(iri, exclude=variant))


async def context(request: Request) -> Response:
    st = _state(request)
    p = st.project.settings.path(st.project.settings.context)
    try:
        body = await run_in_threadpool(p.read_bytes)
    except OSError as e:
        raise NotFound("the JSON-LD context is not available") from e
    v = Variant("jsonld", "application/ld+json", "JSON-LD", rdf_format("jsonld"))
    return document_response(request, body, v, location=None, negotiated=False)  # one representation


async def sitemap(request: Request) -> Response:
    st = _state(request)
    site = _site(request)
    body, tag = await _cached(request, (site.base_url, "sitemap.xml"),
                              lambda: pages.sitemap_xml(st.project, site.base_url))
    return document_response(request, body, Variant("xml", "application/xml", "XML", None), location=None, tag=tag,
                             negotiated=False)


async def robots(request: Request) -> Response:
    site = _site(request)
    return Response(f"User-agent: *\nAllow: /\nSitemap: {site.url('sitemap.xml')}\n",
                    media_type=content_type("text/plain"))


def _store_written(st: "State") -> float | None:
    """When the on-disk store was last written (its newest file), as every process that opens it sees it."""
    path = getattr(st.project.store, "path", None)
    if path is None or not Path(path).is_dir():
        return None
    times = [e.stat().st_mtime for e in os.scandir(path) if e.is_file()]
    return max(times) if times else None


def _not_modified_since(request: Request, path: Path) -> bool:
    """``If-Modified-Since`` at or after the file's time (whole seconds, as Last-Modified gives them)."""
    from email.utils import parsedate_to_datetime

    ims = request.headers.get("if-modified-since")
    if not ims:
        return False
    try:
        since = parsedate_to_datetime(ims).timestamp()
    except (TypeError, ValueError, IndexError):
        return False
    return int(path.stat().st_mtime) <= since


_LIVE_DUMPS = itertools.count(1)


async def dump(request: Request) -> Response:
    """``/dumps/eventkg.EXT``: the whole graph, written once per version of the store."""
    st = _state(request)
    name = request.path_params["name"]
    fmt_name = dict((f, n) for n, f in pages.DUMPS).get(name)
    if fmt_name is None:
        raise NotFound(f"no dump {name!r}; there are: {', '.join(f for _, f in pages.DUMPS)}")
    fmt = rdf_format(fmt_name)
    # a store others write too (a remote one): written again for each request, never an old copy
    key = (st.generation, name) if st.caching else (-next(_LIVE_DUMPS), name)
    if key not in st.dumps:
        from ..export import write_export

        assert st.dump_dir is not None
        target = st.dump_dir / f"{key[0]}-{name}"
        if not st.caching:
            for old in [k for k in st.dumps if k[1] == name and k[0] < 0]:
                st.dumps.pop(old)[0].unlink(missing_ok=True)   # the previous copy (a reader still has it open)

        def make() -> str:
            import hashlib

            tmp = target.with_suffix(".part")
            with open(tmp, "wb") as fh:
                write_export(st.project.store, fmt, fh, context=pages._context(st.project), workers=None)
            written = _store_written(st)
            if written is not None:   # Last-Modified: when the store was written, the same in every process
                os.utime(tmp, (written, written))
            tmp.replace(target)
            h = hashlib.blake2b(digest_size=12)
            with open(target, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            return f'"{h.hexdigest()}-{fmt.extension}"'

        st.dumps[key] = (target, await run_in_threadpool(make))
    path, tag = st.dumps[key]
    headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
    inm = request.headers.get("if-none-match")
    if etag_matches(inm, tag) or (inm is None and _not_modified_since(request, path)):
        return Response(status_code=304, headers=headers)
    resp = FileResponse(path, media_type=content_type(fmt.media_type), headers=headers, filename=name,
                        content_disposition_type="inline")
    return resp


# -- pages ----------------------------------------------------------------------------------------------

async def index(request: Request) -> Response:
    st = _state(request)
    site = _site(request)
    v = _negotiated(request, (HTML_VARIANT,))
    body, tag = await _cached(request, (site.base_url, "index", "html"),
                              lambda: pages.render_index_html(st.project, site.base_url).encode("utf-8"))
    return document_response(request, body, v, location=None, tag=tag,
                             link=f'<{site.url(".well-known/void")}>; rel="describedby"; type="text/turtle"')


async def search(request: Request) -> Response:
    _check_utf8(request)
    st = _state(request)
    site = _site(request)
    q = request.query_params.get("q", "")[:200]
    body = await run_in_threadpool(pages.render_search_html, st.project, site.base_url, q)
    return HTMLResponse(body)


# -- SPARQL protocol ------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _accepted(accept: str | None) -> tuple[str | None, str | None]:
    """What an Accept header takes for row results and for graph results (clients send few distinct ones)."""
    return (best_match(accept, [*RESULT_TYPES, HTML], "application/sparql-results+json"),
            best_match(accept, [*RDF_TYPES, HTML], "text/turtle"))


def _format_named(f: str) -> tuple[str | None, str | None]:
    """The media types a ``format=`` value names for row results and for graph results (None: not one)."""
    if f == "html":
        return HTML, HTML
    res_mt = rdf_mt = None
    with contextlib.suppress(EventKGError):
        res_mt = results_format(f).media_type
    with contextlib.suppress(EventKGError):
        rdf_mt = rdf_format(f).media_type if f != "xml" else rdf_format("rdfxml").media_type
    return res_mt, rdf_mt


def _choose(request: Request, form: str | None, posted: list[str] = []) -> tuple[dict[str, str], str | None, str | None]:  # noqa: B006
    """From ``format=`` (in the URL, or ``posted`` in a form) or Accept: the format to write for each result
    kind, and the Content-Type to send for row results and for graph results (None where nothing acceptable
    is offered)."""
    # format= may be given more than once, or as a list (SPARQLWrapper sends "format=json-ld&format=
    # application/ld+json,application/x-json+ld"): the first value we know decides.
    given = [v.strip() for raw in [*request.query_params.getlist("format"), *posted] for v in raw.split(",")
             if v.strip()]
    fmt = given[0] if given else None
    accept = request.headers.get("accept")
    res_mt: str | None = None
    rdf_mt: str | None = None
    if given:
        for f in (v.lower() for v in given):
            res_mt, rdf_mt = _format_named(f)
            if res_mt or rdf_mt:
                break
        else:
            raise BadRequest(f"unknown format {fmt!r}")
    else:
        res_mt, rdf_mt = _accepted(accept)
    formats: dict[str, str] = {}
    if res_mt:
        formats["select"] = formats["ask"] = RESULT_TYPES.get(res_mt, res_mt)
    if rdf_mt:
        formats["construct"] = formats["describe"] = RDF_TYPES.get(rdf_mt, rdf_mt)
    if form in ("select", "ask") and not res_mt or form in ("construct", "describe") and not rdf_mt:
        offered = list(RESULT_TYPES) if form in ("select", "ask") else list(RDF_TYPES)
        raise NotAcceptable(accept or "", offered + [HTML],
                            asked=f"format={fmt} for a {form.upper()} query" if given else None)  # type: ignore[union-attr]
    return formats, res_mt, rdf_mt


async def _refuse_calls_out(opts: Options, text: str) -> None:
    """Forbidden where the query or update may call another endpoint (SERVICE, LOAD) and the server does not
    allow it: a public endpoint must not be made to send requests wherever a client names, its own network
    included. The check's second reading (rdflib's parser, up to 2 KB: over a second on some texts) runs off
    the event loop, so that other requests are answered meanwhile."""
    if opts.allow_service or not might_call_out(text):
        return
    if await run_in_threadpool(uses_service, text):
        raise Forbidden("this endpoint does not call other endpoints: SERVICE and LOAD are off (eventkg serve "
                        "--allow-service turns them on)")


def _query_job(opts: Options, text: str, formats: dict[str, str], default_graphs: list[str],
               named_graphs: list[str], bindings: dict[str, Any] | None) -> dict[str, Any]:
    """The job for a runner; refuses a federated query unless the server allows them (Forbidden): a public
    endpoint must not be made to send requests wherever a client names, its own network included."""
    for name, graphs in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for g in graphs:
            try:
                ox.NamedNode(g)
            except ValueError as e:   # named as the parameter it is, not as a fault of the query
                raise BadRequest(f"{name} {g!r} is not an absolute IRI: {e}") from e
    return {"sparql": text, "bindings": bindings, "default_graphs": _once(default_graphs) or None,
            "named_graphs": _once(named_graphs) or None, "limit": opts.row_limit, "formats": formats}


def _is_html_page(form: str | None, res_mt: str | None, rdf_mt: str | None) -> bool:
    return (form in ("select", "ask") and res_mt == HTML) or (form in ("construct", "describe") and rdf_mt == HTML) \
        or (form is None and res_mt == HTML)


@functools.lru_cache(maxsize=64)
def _content_type_bytes(media_type: str) -> bytes:
    return content_type(media_type).encode("latin-1")


def _results_head(opts: Options, meta: dict[str, Any], payload: Any, res_mt: str | None, rdf_mt: str | None,
                  describedby: Callable[[], str]) -> list[tuple[bytes, bytes]]:
    """The headers of a query's answer (not the HTML page): Vary, the truncation headers, Content-Length and
    Content-Type, in the order Starlette's Response writes them."""
    if not isinstance(payload, bytes):
        raise QueryError("the query gave no result in the format asked for")
    kind = meta["kind"]
    sent = res_mt if kind in ("select", "ask") else rdf_mt
    if sent == HTML or sent is None:   # form unknown before the run and HTML asked for the other kind
        sent = meta.get("format")
    elif kind not in ("select", "ask"):   # RDF asked for by an old alias (application/x-turtle) is sent as
        sent = RDF_TYPES.get(sent, sent)   # what it is; results asked for as application/json stay that
    head = [(b"vary", b"Accept")]
    if meta.get("truncated"):
        head += [(TRUNCATED.lower().encode(), b"true"), (ROW_LIMIT.lower().encode(), str(opts.row_limit).encode()),
                 (b"link", f'<{describedby()}>; rel="describedby"'.encode("latin-1"))]
    head += [(b"content-length", str(len(payload)).encode()),
             (b"content-type", _content_type_bytes(sent or "application/octet-stream"))]
    return head


def _results_response(opts: Options, meta: dict[str, Any], payload: Any, res_mt: str | None, rdf_mt: str | None,
                      describedby: Callable[[], str]) -> Response:
    """A query's answer (not the HTML page) with its headers (``_results_head``)."""
    head = _results_head(opts, meta, payload, res_mt, rdf_mt, describedby)
    response = Response(payload)
    response.raw_headers = head
    return response


async def run_query(request: Request, text: str, *, default_graphs: list[str], named_graphs: list[str],
                    bindings: dict[str, Any] | None = None, named: Any = None,
                    values: dict[str, str] | None = None, given_formats: list[str] | None = None) -> Response:
    """``given_formats``: ``format=`` values of a POSTed form (those of the URL are read here)."""
    st = _state(request)
    opts = st.options
    form = query_form(text)
    formats, res_mt, rdf_mt = _choose(request, form, given_formats or [])
    await _refuse_calls_out(opts, text)
    job = _query_job(opts, text, formats, default_graphs, named_graphs, bindings)
    started = time.perf_counter()
    site = _site(request)
    if _is_html_page(form, res_mt, rdf_mt):
        try:
            meta, payload = await st.runner.run(job, opts.timeout, request.scope)
        except QueryError as e:
            if e.status == 503:
                raise
            body = await run_in_threadpool(pages.render_query_html, st.project, site.base_url, query=text, named=named,
                                           values=values, error=e.message)
            return HTMLResponse(body, e.status)
        elapsed = time.perf_counter() - started

        def url_for(fmt: str) -> str:
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
            if named is None and not any(k == "query" for k, _ in params):
                params.append(("query", text))
            params.append(("format", fmt))
            path = f"queries/{named.name}" if named is not None else "sparql"
            return site.url(path) + "?" + urlencode(params)

        body = await run_in_threadpool(
            pages.render_query_html, st.project, site.base_url, query=text, result=payload, meta=meta, named=named,
            values=values, downloads=pages.result_downloads(meta["kind"], url_for), row_limit=opts.row_limit,
            elapsed=elapsed)
        headers = {"Vary": "Accept"}
        if meta.get("truncated"):
            headers.update({TRUNCATED: "true", ROW_LIMIT: str(opts.row_limit),
                            "Link": f'<{site.url("doc/dataset.html")}>; rel="describedby"'})
        return HTMLResponse(body, headers=headers)
    meta, payload = await st.runner.run(job, opts.timeout, request.scope)
    return _results_response(opts, meta, payload, res_mt, rdf_mt, lambda: site.url("doc/dataset.html"))


def _unquote(part: bytes) -> str:
    """Raises UnicodeDecodeError where the escapes are no UTF-8."""
    part = part.replace(b"+", b" ")
    if b"%" not in part:
        return part.decode("ascii")
    try:  # %XX -> \\xXX, decoded in C (the input has no backslash); malformed escapes: as unquote does
        raw = codecs.escape_decode(part.replace(b"%", b"\\x"))[0]  # type: ignore[attr-defined]
    except ValueError:
        return unquote(part.decode("ascii"), errors="strict")
    return raw.decode("utf-8")  # type: ignore[no-any-return]


def query_pairs(qs: bytes) -> list[tuple[str, str]]:
    """``parse_qsl(qs.decode("latin-1"), keep_blank_values=True)`` (what Starlette's query_params hold, but
    escapes that are no UTF-8 raise UnicodeDecodeError instead of becoming U+FFFD), three times faster for the
    usual all-ASCII query string."""
    if not qs.isascii() or b"\\" in qs:
        return parse_qsl(qs.decode("latin-1"), keep_blank_values=True, errors="strict")
    out = []
    for field in qs.split(b"&"):
        if field:
            k, _, v = field.partition(b"=")
            out.append((_unquote(k), _unquote(v)))
    return out


class QueryGet:
    """``GET /sparql?query=...`` answered in a results or RDF format before the middleware stack, router,
    Request and handler layers: the same job to the same runner (time limit, row cap), the same headers as
    ``run_query`` and the CORS layer give, the same cache as ``ResponseCache``; errors rendered by
    ``error_response``. Everything else (HTML pages, ``format=``, updates, a request the ordinary path would
    refuse before running anything) goes the ordinary way: ``__call__`` returns False without sending."""

    UNCACHED = (b"if-none-match", b"authorization", b"if-modified-since", b"range")

    def __init__(self, state: "State") -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> bool:
        if scope.get("root_path"):
            return False
        text: str | None = None
        dg: list[str] = []
        ng: list[str] = []
        try:
            pairs = query_pairs(scope["query_string"])
        except UnicodeDecodeError:
            return False   # the ordinary path refuses it
        for k, v in pairs:
            if k == "query":
                if text is not None:
                    return False
                text = v
            elif k == "default-graph-uri":
                dg.append(v)
            elif k == "named-graph-uri":
                ng.append(v)
            elif k in ("format", "update"):
                return False
        if text is None:
            return False
        key = cache_key(scope)
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"")   # one: see _App
        accept_text = accept.decode("latin-1") if accept else None
        form = query_form(text)
        res_mt, rdf_mt = _accepted(accept_text)
        if _is_html_page(form, res_mt, rdf_mt) or (form in ("select", "ask") and not res_mt) \
                or (form in ("construct", "describe") and not rdf_mt):
            return False
        st = self.state
        answers = st.answers if key is not None and st.caching else None
        if answers is not None and key is not None:
            hit = answers.get(key, st.generation)
            if hit is not None:
                await send(hit[0])
                await send({"type": "http.response.body", "body": hit[1]})
                return True
        formats: dict[str, str] = {}
        if res_mt:
            formats["select"] = formats["ask"] = RESULT_TYPES.get(res_mt, res_mt)
        if rdf_mt:
            formats["construct"] = formats["describe"] = RDF_TYPES.get(rdf_mt, rdf_mt)
        opts = st.options
        generation = st.generation
        try:
            await _refuse_calls_out(opts, text)
            meta, payload = await st.runner.run(_query_job(opts, text, formats, dg, ng, None), opts.timeout, scope)
            head = _results_head(opts, meta, payload, res_mt, rdf_mt,
                                 lambda: _site(Request(scope)).url("doc/dataset.html"))
            status, body = 200, payload
        except Exception as e:  # noqa: BLE001 - rendered as the app's handlers would
            response = error_response(Request(scope, receive), e) if isinstance(e, EventKGError) \
                else await _on_crash(Request(scope, receive), e)
            status, head, body = response.status_code, response.raw_headers, bytes(response.body)
        start = {"type": "http.response.start", "status": status, "headers": head + READ_CORS}
        await send(start)
        await send({"type": "http.response.body", "body": body})
        if answers is not None and key is not None and status == 200 and generation == st.generation:
            answers.put(key, start, body, generation)
        return True


def _check_utf8(request: Request) -> None:
    """Parameters whose escapes are no UTF-8 are refused (Starlette would read them with U+FFFD in place)."""
    try:
        query_pairs(request.scope.get("query_string", b""))
    except UnicodeDecodeError as e:
        raise BadRequest(f"the query string is not UTF-8: {e}") from e


def _once(values: list[str]) -> list[str]:
    """Graph IRIs given more than once, once: the default graph is their merge (SPARQL 1.1, 13.2), and a graph
    named twice made every solution count twice."""
    return list(dict.fromkeys(values))


async def sparql(request: Request) -> Response:
    st = _state(request)
    _check_utf8(request)
    params = request.query_params
    dg = params.getlist("default-graph-uri")
    ng = params.getlist("named-graph-uri")
    if request.method not in ("GET", "HEAD") and ("query" in params or "update" in params):
        raise BadRequest("a POST carries its query or update in the body, not in the URL (SPARQL 1.1 Protocol, 2.1)")
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise BadRequest("SPARQL updates must be sent with POST")
        qs = params.getlist("query")
        if not qs:
            return await service(request)
        if len(qs) > 1:
            raise BadRequest("give one 'query' parameter")
        return await run_query(request, qs[0], default_graphs=dg, named_graphs=ng)
    mt = _media_type(request)
    body = await read_body(request)
    if mt == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, errors="strict")
        except UnicodeDecodeError as e:
            raise BadRequest(f"the form is not UTF-8: {e}") from e
        qs, us = form.get("query", []), form.get("update", [])
        dg += form.get("default-graph-uri", [])
        ng += form.get("named-graph-uri", [])
        if len(qs) + len(us) != 1:
            raise BadRequest("give exactly one 'query' or 'update' parameter")
        if us:
            return await update(request, us[0])
        return await run_query(request, qs[0], default_graphs=dg, named_graphs=ng,
                               given_formats=form.get("format", []))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadRequest(f"the body is not UTF-8: {e}") from e
    if mt == "application/sparql-query":
        return await run_query(request, text, default_graphs=dg, named_graphs=ng)
    if mt == "application/sparql-update":
        return await update(request, text)
    raise UnsupportedMediaType(f"POST a query as application/sparql-query or application/x-www-form-urlencoded, "
                               f"an update as application/sparql-update (not {mt or 'no Content-Type'})")


async def update(request: Request, text: str) -> Response:
    request.scope["eventkg.write"] = True   # a write, even when sent as a form: no CORS headers on its answer
    check_write(request)
    st = _state(request)
    await _refuse_calls_out(st.options, text)   # SERVICE in a WHERE, or LOAD <url>
    assert st.write_lock is not None
    async with st.write_lock:
        try:
            await run_in_threadpool(st.project.store.update, text)
        finally:
            st.written()
    return Response(status_code=204)


async def service(request: Request) -> Response:
    """GET /sparql without a query: the query page for browsers, a service description for machines."""
    st = _state(request)
    site = _site(request)
    variant = _negotiated(request, DOC_VARIANTS, default=RDF_VARIANTS[0])
    if variant.fmt is None:
        page = await run_in_threadpool(pages.render_query_html, st.project, site.base_url)
        return HTMLResponse(page, headers={"Vary": "Accept"})
    from ..export import serialize_graph

    body, tag = await _cached(request, (site.base_url, "sd", st.options.allow_update, variant.ext), lambda: serialize_graph(
        pages.service_description(st.project, site.base_url, allow_update=st.options.allow_update,
                                  allow_service=st.options.allow_service), variant.fmt))  # type: ignore[arg-type]
    return document_response(request, body, variant, location=None, tag=tag)


async def named_query(request: Request) -> Response:
    _check_utf8(request)
    st = _state(request)
    name = request.path_params["name"]
    lib = pages._queries(st.project)
    if name not in lib:
        raise NotFound(f"no named query {name!r}; known: {', '.join(sorted(lib)) or '(none)'}")
    nq = lib[name]
    values: dict[str, str] = {}
    for k, v in request.query_params.multi_items():
        if k in ("format", "run"):
            continue
        if k in values and values[k] != v:   # a parameter holds one value
            raise BadRequest(f"parameter {k!r} given twice ({values[k]!r}, {v!r})")
        values[k] = v
    bindings = queries_mod.bind(nq, values)
    return await run_query(request, nq.text, default_graphs=[], named_graphs=[], bindings=bindings, named=nq,
                           values=values)


async def query_list(request: Request) -> Response:
    st = _state(request)
    site = _site(request)
    v = best_match(request.headers.get("accept"), ["application/json", HTML], "application/json")
    if v == HTML:
        return await service(request)
    if v is None:
        raise NotAcceptable(request.headers.get("accept", ""), ["application/json", HTML])
    lib = pages._queries(st.project)
    return JSONResponse([{"name": q.name, "title": q.title, "description": q.description,
                          "params": [p.__dict__ for p in q.params], "url": site.url(f"queries/{q.name}")}
                         for q in sorted(lib.values(), key=lambda q: q.name)], headers={"Vary": "Accept"})


# -- records API ----------------------------------------------------------------------------------------

def _body_format(request: Request) -> Any:
    mt = _media_type(request)
    if not mt:
        raise UnsupportedMediaType("send the record with a Content-Type (text/turtle, application/ld+json, ...)")
    return rdf_format(mt, "Content-Type")


def _not_conforming(request: Request, e: NotConformingError) -> Response:
    accept = request.headers.get("accept")
    want = best_match(accept, [PROBLEM, "application/json", HTML, *RDF_TYPES], PROBLEM)
    if want in RDF_TYPES:
        from ..export import serialize_graph

        fmt = rdf_format(RDF_TYPES[want])
        return Response(serialize_graph(e.report.graph, fmt), 422, media_type=content_type(fmt.media_type))
    extra = {"report": e.report.to_turtle()} if request.query_params.get("report") == "full" else None
    return error_response(request, e, extra)


async def _write(request: Request, iri: str | None, replace: bool) -> Response:
    check_write(request)
    st = _state(request)
    fmt = _body_format(request)
    body = await read_body(request)
    p = st.project
    site = _site(request)
    ctx = pages._context(p)
    recs = await run_in_threadpool(records_from_bytes, body, fmt, "request body", context=ctx,
                                   base_iri=p.settings.base_iri)
    records_mod.named_as_records(recs, p.settings.base_iri)
    if iri is not None and [r.iri for r in recs] != [iri]:
        raise BadRequest(f"the body holds {', '.join('<' + r.iri + '>' for r in recs)}, not the record <{iri}> "
                         "named by the URL")
    assert st.write_lock is not None
    async with st.write_lock:
        existed = [r.iri for r in recs if p.store.has_record(r.iri)]
        if iri is not None:
            await _preconditions(request, iri, bool(existed))
        if existed and not replace:
            raise Conflict(f"record <{existed[0]}> is already in the store; PUT /records/ID replaces it",
                           record=existed[0])
        try:
            result = await run_in_threadpool(records_mod.add, p.store, recs, p.validator, replace=replace,
                                                  base_iri=p.settings.base_iri)
        except NotConformingError as e:
            return _not_conforming(request, e)
        finally:
            st.written()
    out = {"records": [{"iri": r.iri, "url": site.local(r.iri), "triples": len(r)} for r in result.records],
           "triples": result.triples, "conforms": result.report.conforms,
           "results": [r.as_dict() for r in result.report.results]}
    created = not existed
    headers = {"Location": site.local(recs[0].iri)} if len(recs) == 1 else {}
    return JSONResponse(out, 201 if created else 200, headers=headers)


async def _preconditions(request: Request, iri: str, exists: bool) -> None:
    """RFC 9110's preconditions on a write to /records/ID, against the record as it is now: ``If-None-Match:
    *`` (create only), ``If-Match: *`` (only if it exists), ``If-Match: "tag"`` (only if it is unchanged: the
    tag is the ETag of one of the record's documents, as GET /doc/record/ID.EXT gave it; strong comparison).
    Raises PreconditionFailed (412)."""
    if_none = request.headers.get("if-none-match")
    if_match = request.headers.get("if-match")
    if if_none is not None and if_none.strip() == "*" and exists:
        raise PreconditionFailed(f"<{iri}> exists, and the request asked to write only if it did not (If-None-Match: *)")
    if if_match is None:
        return
    if not exists:
        raise PreconditionFailed(f"<{iri}> does not exist, and the request asked to write only if it did (If-Match)")
    if if_match.strip() == "*":
        return
    given = {t.strip() for t in if_match.split(",") if not t.strip().startswith("W/")}
    st = _state(request)
    site = _site(request)
    path = iri[len(st.project.settings.base_iri):]

    def current() -> set[str]:
        return {etag(pages.render_document(st.project, path, v, site.base_url, allow_update=st.options.allow_update),
                     v.ext) for v in DOC_VARIANTS}

    if not given & await run_in_threadpool(current):
        raise PreconditionFailed(f"<{iri}> has changed: no document of it has the ETag the request gave (If-Match)")


async def post_records(request: Request) -> Response:
    return await _write(request, None, replace=False)


async def record_item(request: Request) -> Response:
    st = _state(request)
    iri = st.project.settings.base_iri + "record/" + _site_path(request, under="records/")
    if request.method == "PUT":
        return await _write(request, iri, replace=True)
    if request.method == "DELETE":
        check_write(request)
        assert st.write_lock is not None
        async with st.write_lock:
            await _preconditions(request, iri, st.project.store.has_record(iri))
            try:
                await run_in_threadpool(records_mod.remove, st.project.store, iri, st.project.settings.base_iri)
            finally:
                st.written()
        return Response(status_code=204)
    return RedirectResponse(_site(request).local(iri), 303)


# -- CORS -----------------------------------------------------------------------------------------------

class CORSForReads:
    """``Access-Control-Allow-Origin: *`` (never with credentials) on reads: GET, HEAD, and POSTed queries;
    preflight allowed for those only. Writes get no CORS headers and no preflight, so a page elsewhere cannot
    send the update token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        headers = {k.lower(): v for k, v in scope["headers"]}
        if method == "OPTIONS":
            await self._options(path, headers, send)
            return
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        read = method in ("GET", "HEAD") or (method == "POST" and path.endswith("/sparql")
                                              and ctype != b"application/sparql-update")
        if not read:
            await self.app(scope, receive, send)
            return

        async def send_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and not scope.get("eventkg.write"):
                message["headers"] = list(message.get("headers", [])) + READ_CORS
            await send(message)

        await self.app(scope, receive, send_cors)

    @staticmethod
    async def _options(path: str, headers: dict[bytes, bytes], send: Send) -> None:
        writes = path == "/records" or path.startswith("/records/")
        allow = ("POST, OPTIONS" if path == "/records" else "GET, HEAD, PUT, DELETE, OPTIONS") if writes else (
            READ_METHODS if path.endswith("/sparql") else "GET, HEAD, OPTIONS")
        out = [(b"allow", allow.encode()), (b"content-length", b"0")]
        requested = headers.get(b"access-control-request-method")
        if requested is not None and not writes:
            want = requested.decode("latin-1").upper()
            if want in ("GET", "HEAD") or (want == "POST" and path.endswith("/sparql")):
                out += [(b"access-control-allow-origin", b"*"),
                        (b"access-control-allow-methods", b"GET, HEAD, POST" if path.endswith("/sparql") else b"GET, HEAD"),
                        (b"access-control-allow-headers", SAFE_HEADERS.encode()),
                        (b"access-control-max-age", b"86400")]
        await send({"type": "http.response.start", "status": 204, "headers": out})
        await send({"type": "http.response.body", "body": b""})


# -- response cache -------------------------------------------------------------------------------------

def cache_key(scope: Scope) -> tuple[Any, ...] | None:
    """What a cached answer to a GET depends on, or None for a request whose answer is never kept (one with
    a header in ``QueryGet.UNCACHED``): the path as sent (``/id/a%2Fb`` and ``/id/a/b`` are two resources),
    the query string, Accept (one header: ``_App`` joins repeated ones), Host, the scheme (links in the
    answer are absolute, and a proxy may say https) and the root path."""
    accept = host = b""
    for k, v in scope["headers"]:
        if k == b"accept":
            accept = v
        elif k == b"host":
            host = v
        elif k in QueryGet.UNCACHED:
            return None
    return (scope.get("raw_path") or scope["path"].encode("utf-8"), scope.get("query_string", b""), accept, host,
            scope.get("scheme", "http"), scope.get("root_path", ""))


def _key_size(key: tuple[Any, ...]) -> int:
    return sum(len(part) for part in key if isinstance(part, (bytes, str)))


def _entry_size(key: tuple[Any, ...], start: Message, body: bytes) -> int:
    """An entry's bytes as the limit counts them: body, key, the start message's headers, and about 600
    bytes of Python objects around them (measured: an answer of 109 bytes took 675)."""
    return len(body) + _key_size(key) + sum(len(k) + len(v) for k, v in start.get("headers", ())) + 600


class Answers:
    """The response cache's store: whole answers (start message and body) by request key, least recently used
    dropped past ``max_bytes`` (``_entry_size``: bodies, keys and headers), all dropped when the store's generation moves on
    (a write)."""

    def __init__(self, max_bytes: int = 64 << 20, max_entry: int = 1 << 20) -> None:
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.entries: "OrderedDict[tuple[Any, ...], tuple[Message, bytes]]" = OrderedDict()
        self.size = 0
        self.generation = -1
        self.hits = 0

    def clear(self, generation: int) -> None:
        """Drop every answer: the store is at ``generation`` now."""
        self.entries.clear()
        self.size = 0
        self.generation = generation

    def get(self, key: tuple[Any, ...], generation: int) -> tuple[Message, bytes] | None:
        if self.generation != generation:
            self.clear(generation)
            return None
        hit = self.entries.get(key)
        if hit is not None:
            self.hits += 1
            self.entries.move_to_end(key)
        return hit

    def put(self, key: tuple[Any, ...], start: Message, body: bytes, generation: int) -> None:
        """Keep an answer of the store's current ``generation`` (not one made before a write that came
        meanwhile: the caller checks), unless it is too large."""
        if len(body) > self.max_entry:
            return
        if self.generation != generation:
            self.clear(generation)
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= _entry_size(key, *old)
        self.entries[key] = (start, body)
        self.size += _entry_size(key, start, body)
        while self.size > self.max_bytes and self.entries:
            dropped_key, dropped = self.entries.popitem(last=False)
            self.size -= _entry_size(dropped_key, *dropped)


class ResponseCache:
    """Whole responses to repeated reads, kept until the next write through this server.

    A GET of a query, a document or a page whose answer was 200 is kept under everything the answer depends
    on (``cache_key``: the path as sent, query string, Accept, Host, scheme); the next identical request is
    answered from here without routing, parsing or querying. Requests with If-None-Match or Authorization, HEAD, errors, HTML query results, and
    answers over ``max_entry`` bytes are never kept. Off for remote stores (others may write to them).
    ``QueryGet`` answers its queries from the same store (``State.answers``)."""

    CACHEABLE = ("/sparql", "/doc/", "/.well-known/void", "/queries/", "/sitemap.xml")

    def __init__(self, app: ASGIApp, state: "State") -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.state.caching:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if not (path == "/" or path.startswith(self.CACHEABLE)):
            await self.app(scope, receive, send)
            return
        key = cache_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        answers = self.state.answers
        generation = self.state.generation
        hit = answers.get(key, generation)
        if hit is not None:
            await send(hit[0])
            await send({"type": "http.response.body", "body": hit[1]})
            return
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True
        size = 0

        async def capture(message: Message) -> None:
            nonlocal start, keep, size
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200 and not (path.startswith(("/sparql", "/queries/")) and any(
                    k == b"content-type" and v.startswith(b"text/html") for k, v in message.get("headers", [])))
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                chunks.append(body)
                size += len(body)
                if size > answers.max_entry:
                    keep = False
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start is not None and generation == self.state.generation:
            answers.put(key, start, b"".join(chunks), generation)


def _timeout_answer(scope: Scope, seconds: float) -> bytes:
    """The whole HTTP message answering a query stopped at its time limit, as ``error_response`` and the CORS
    layer would give it, closing the connection: written by the in-process runner's watchdog thread while the
    event loop is stuck in the query (see pool.InProcessRunner)."""
    response = error_response(Request(scope), QueryTimeout(seconds))
    head = [b"HTTP/1.1 503 Service Unavailable"]
    head += [k + b": " + v for k, v in response.raw_headers]
    head += [k + b": " + v for k, v in READ_CORS] + [b"connection: close"]
    body = b"" if scope.get("method") == "HEAD" else response.body
    return b"\r\n".join(head) + b"\r\n\r\n" + body


# -- the app --------------------------------------------------------------------------------------------

MAX_ACCEPT = 4096   # bytes of Accept: browsers send under 300; each range costs time to weigh


class _App(Starlette):
    """Starlette, with ``GET /sparql?query=`` tried by ``QueryGet`` before the middleware stack."""

    query_get: QueryGet

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            accepts = [v for k, v in scope["headers"] if k == b"accept"]
            bad: HTTPError | None = None
            if sum(map(len, accepts)) > MAX_ACCEPT:
                bad = HeaderTooLarge("Accept", MAX_ACCEPT)
            elif sum(1 for k, _ in scope["headers"] if k == b"host") > 1:   # RFC 9112, 3.2: a 400
                bad = BadRequest("more than one Host header")   # (links and cache keys are made from the host)
            if bad is not None:
                scope["app"] = self
                # answered as a problem document, without weighing the header that is at fault
                scope["headers"] = [(k, v) for k, v in scope["headers"] if k not in (b"accept", b"host")]
                await error_response(Request(scope, receive), bad)(scope, receive, send)
                return
            if len(accepts) > 1:   # one field, as RFC 9110 (5.3) combines repeated ones: negotiated and cached alike
                scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept"] + [(b"accept", b", ".join(accepts))]
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/sparql":
            scope["app"] = self
            if await self.query_get(scope, receive, send):
                return
        await super().__call__(scope, receive, send)


def create_app(project: Project, options: Options | None = None, **kw: Any) -> Starlette:
    """The web app over ``project`` (its store, shapes, queries). Options may be given as an ``Options`` or as
    keywords (``base_url``, ``timeout``, ``row_limit``, ``allow_update``, ``token``, ``workers``,
    ``max_body``, ``cache``). Raises ConfigError for writes allowed without a token."""
    from ..errors import ConfigError

    opts = options or Options()
    for k, v in kw.items():
        if not hasattr(opts, k):
            raise TypeError(f"unknown option {k!r}")
        if v is not None:
            setattr(opts, k, v)
    if opts.base_url and not opts.base_url.endswith("/"):
        opts.base_url += "/"
    if opts.allow_update and not opts.token:
        raise ConfigError("--allow-update needs a token (--token or EVENTKG_SERVER_TOKEN): writes are never anonymous")
    p = project
    ctx_path = p.settings.path(p.settings.context)
    ctx = pages._context(p)
    runner = make_runner(p.store, ctx_path if ctx_path.is_file() else None, ctx, opts.workers, opts.in_process)
    if isinstance(runner, InProcessRunner):
        runner.respond = _timeout_answer
    state = State(p, opts, runner)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state.write_lock = asyncio.Lock()
        tmp = tempfile.TemporaryDirectory(prefix="eventkg-dumps-")
        state.dump_dir = Path(tmp.name)
        await runner.start()
        try:
            yield
        finally:
            await runner.stop()
            tmp.cleanup()

    static = Path(__file__).parent / "static"
    routes = [
        Route("/", index, methods=["GET"]),
        Route("/search", search, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", query_list, methods=["GET"]),
        Route("/queries/{name}", named_query, methods=["GET"]),
        Route("/id/{path:path}", thing, methods=["GET"]),
        Route("/record/{path:path}", thing, methods=["GET"]),
        Route("/ontology", thing, methods=["GET"]),
        Route("/shapes", thing, methods=["GET"]),
        Route("/dataset", thing, methods=["GET"]),
        Route("/ontology/context.jsonld", context, methods=["GET"]),
        Route("/ontology/{version}", ontology_version, methods=["GET"]),
        Route("/doc/{path:path}", document, methods=["GET"]),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/dumps/{name}", dump, methods=["GET"]),
        Route("/sitemap.xml", sitemap, methods=["GET"]),
        Route("/robots.txt", robots, methods=["GET"]),
        Route("/records", post_records, methods=["POST"]),
        Route("/records/{id:path}", record_item, methods=["GET", "PUT", "DELETE"]),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        EventKGError: _on_eventkg_error, HTTPException: _on_http_exception, Exception: _on_crash}
    app = _App(routes=routes, exception_handlers=handlers, lifespan=lifespan)  # type: ignore[arg-type]
    app.state.ekg = state
    app.query_get = QueryGet(state)
    app.add_middleware(CORSForReads)
    app.add_middleware(ResponseCache, state=state)  # outermost: a hit is answered before anything else runs
    return app


__all__ = ["create_app", "Options", "error_response", "TRUNCATED", "ROW_LIMIT"]
