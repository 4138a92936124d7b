"""A remote store: any SPARQL 1.1 service, through the standard protocols.

Queries go through SPARQLWrapper to the query endpoint; writes go to the SPARQL 1.1 Update endpoint and,
where one is given, the Graph Store HTTP Protocol endpoint (used to read whole graphs). The endpoint's
default graph must be the union of its named graphs, as eventkg's queries expect (Oxigraph:
``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph true``; Virtuoso and GraphDB do this already).

Writes are all or nothing as far as the protocols allow:

- A write that fits in one request (``chunk_triples``) is one update request, which the stores we know
  (Oxigraph, Fuseki, Virtuoso, GraphDB) run as one transaction: ``DROP SILENT GRAPH <g>`` for each record,
  then one ``INSERT DATA`` (``INSERT ... WHERE {}`` when the records hold blank nodes, which Virtuoso refuses
  in ``INSERT DATA``). Dropping first makes the request idempotent, so it is safely retried.
- A bigger write (and every ``rebuild``) is staged: bounded chunks are uploaded into staging graphs
  ``urn:eventkg:staging:RUN:N`` (each chunk request clears its own staging graphs first, so a retry does not
  double it), and then one update request swaps them in: it drops the graphs being replaced and moves the
  staged triples to their records. If anything fails before the swap, the staging graphs are dropped and the
  records are untouched. Staging graphs are never listed as records; those a killed process left behind are
  dropped by the next write that finds them older than an hour, and by every rebuild.

A record's blank nodes stay within one request, so they keep their identity.
"""

from __future__ import annotations

import io
import json
import re
import socket
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, URLENCODED, BASIC, SPARQLWrapper

from .. import terms
from ..errors import (ConfigError, LoadError, QueryError, QueryTimeout, ReadOnlyStoreError, RecordError,
                      RecordNotFound, StoreError)
from ..formats import RdfFormat, rdf_format, written
from ..load import (Record, declared_by_two_files, declared_twice, graph_named_by_a_blank_node, is_declaration,
                    record_iri_for, syntax_error)
from ..namespaces import BASE_IRI
from .base import (Boolean, Progress, QueryResult, Rows, Store, StoreInfo, Triples, has_dataset_clause,
                   looks_like_update, query_form, take, take_distinct, tidy_syntax_message)
from .bind import with_values

STAGING = "urn:eventkg:staging:"
STALE_AFTER = 3600.0            # seconds: staging graphs older than this were left by a process that died
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Graphs some engines keep for themselves; they are not records (Virtuoso's schema, LDP and DAV graphs).
_SYSTEM_PREFIXES = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")
_SYSTEM_PATHS = ("/sparql", "/DAV/")
_RETRY_STATUS = {502, 503, 504}
_TIMEOUT_HINT = " (wait longer with --remote-timeout SECONDS or EVENTKG_REMOTE_TIMEOUT)"
_TRANSIENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout,
              httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


def mask_url(url: str) -> str:
    """The URL with any password in it replaced by ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, f"{parts.username}:***@{host}", parts.path, parts.query, parts.fragment))


def _split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """A URL without its user:password@, and the user and password it held."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    from urllib.parse import unquote

    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, unquote(parts.username), unquote(parts.password) if parts.password is not None else None


def is_hidden_graph(iri: str) -> bool:
    """Staging graphs and the system graphs of known engines: not records."""
    if iri.startswith(STAGING) or iri.startswith(_SYSTEM_PREFIXES):
        return True
    parts = urlsplit(iri)
    return parts.scheme in ("http", "https") and parts.path in _SYSTEM_PATHS and not parts.query


def _staging_time(iri: str) -> float | None:
    m = re.match(re.escape(STAGING) + r"(\d+)-", iri)
    return float(m.group(1)) if m else None


# -- results -> neutral types ------------------------------------------------------------------------------

def _term(b: Mapping[str, Any]) -> Node:
    kind = b.get("type")
    value = b.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = b.get("xml:lang") or b.get("lang")
        if lang:
            return Literal(value, lang=lang)
        dt = b.get("datatype")
        if dt and dt not in (_XSD_STRING, _RDF_LANG):
            return Literal(value, datatype=URIRef(dt), normalize=False)  # its text as stored
        return Literal(value)
    if kind == "triple":
        raise QueryError("quoted triples in results are not supported")
    raise StoreError(f"unknown term type {kind!r} in the results")


def rows_from_json(data: bytes, limit: int | None) -> Rows | Boolean:
    doc = json.loads(data)
    if "boolean" in doc:
        return Boolean(bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    out = []
    bindings = doc.get("results", {}).get("bindings", [])
    truncated = limit is not None and len(bindings) > limit
    for b in bindings[:limit] if limit is not None else bindings:
        out.append(tuple(_term(b[v]) if v in b else None for v in names))
    return Rows(names, out, truncated)


_MEDIA = {"text/plain": "nt", "application/x-turtle": "turtle", "application/json": "jsonld"}


def _rdf_of(media: str) -> RdfFormat:
    m = media.split(";")[0].strip().lower()
    try:
        return rdf_format(_MEDIA.get(m, m))
    except LoadError as e:
        raise StoreError(f"the store answered with {m!r}, not an RDF format") from e


# -- credentials -------------------------------------------------------------------------------------------

class _Auth(httpx.Auth):
    """Basic auth, switching to Digest when the server asks for it (Virtuoso does); or a bearer token."""

    requires_request_body = True

    def __init__(self, username: str | None, password: str | None, token: str | None) -> None:
        self.token = token
        self.basic = httpx.BasicAuth(username or "", password or "") if username is not None else None
        self.digest = httpx.DigestAuth(username or "", password or "") if username is not None else None
        self.use_digest = False

    def auth_flow(self, request: httpx.Request) -> Any:
        if self.token:
            request.headers["Authorization"] = f"Bearer {self.token}"
            yield request
            return
        if self.basic is None:
            yield request
            return
        if self.use_digest:
            yield from self.digest.auth_flow(request)  # type: ignore[union-attr]
            return
        request.headers["Authorization"] = self.basic._auth_header
        response = yield request
        if response.status_code == 401:
            # Refused as Basic: try Digest (Virtuoso's challenge comes only to a request without credentials).
            request.headers.pop("Authorization", None)
            flow = self.digest.auth_flow(request)  # type: ignore[union-attr]
            response = yield next(flow)
            while True:
                try:
                    nxt = flow.send(response)
                except StopIteration:
                    break
                response = yield nxt
            if response.status_code != 401:
                self.use_digest = True


class _Wrapper(SPARQLWrapper):  # type: ignore[misc]
    """SPARQLWrapper that leaves HTTP errors as they are (we need their status, headers and body)."""

    def _query(self) -> tuple[Any, str]:
        request = self._createRequest()
        return urllib.request.urlopen(request, timeout=self.timeout or None), self.returnFormat


@dataclass
class _Piece:
    """Triples of one record (or the default graph, ``target`` None) staged in one staging graph."""

    target: str | None
    triples: list[ox.Triple] = field(default_factory=list)


def _has_bnode(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


_NO_GRAPH = "urn:eventkg:no-graph"


def _dataset_of(query: str) -> tuple[list[str], list[str]]:
    """The graphs of a query's FROM and FROM NAMED clauses, read by rdflib's SPARQL parser. Sent as the
    protocol's dataset parameters, which mean the same (SPARQL 1.1 Protocol 2.1.4) and which servers set
    to query the union of their graphs by default honour, where some let that setting override FROM."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        clauses = translateQuery(parseQuery(query)).algebra.get("datasetClause") or []
    except Exception:  # noqa: BLE001 - the server will report the syntax error itself
        return [], []
    default = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return default, named


class RemoteStore(Store):
    """A store behind SPARQL 1.1 endpoints: ``query_url`` (Query), ``update_url`` (Update; without it the
    store is read-only), ``gsp_url`` (Graph Store Protocol; optional, used to read whole graphs)."""

    def __init__(self, query_url: str, update_url: str | None = None, gsp_url: str | None = None, *,
                 username: str | None = None, password: str | None = None, token: str | None = None,
                 timeout: float = 300.0, chunk_triples: int = 50_000, retries: int = 3,
                 backoff: float = 0.25) -> None:
        none: tuple[str | None, str | None, str | None] = (None, None, None)
        self.query_url, u1, p1 = _split_credentials(query_url)
        self.update_url: str | None
        self.gsp_url: str | None
        self.update_url, u2, p2 = _split_credentials(update_url) if update_url else none
        self.gsp_url, u3, p3 = _split_credentials(gsp_url) if gsp_url else none
        self.username = username or u1 or u2 or u3
        self._password = password or p1 or p2 or p3
        self._token = token
        self.timeout = timeout
        self.chunk_triples = max(1, chunk_triples)
        self.retries = retries
        self.backoff = backoff
        self.stale_after = STALE_AFTER
        extra = {"update": self.update_url or "(none: read-only)", "gsp": self.gsp_url or "(none)"}
        if self.username:
            extra["user"] = self.username
        self.info = StoreInfo("sparql", self.query_url, writable=self.update_url is not None, extra=extra)
        self._auth = _Auth(self.username, self._password, token)
        self._http = httpx.Client(auth=self._auth, timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
                                  headers={"User-Agent": "eventkg"})
        self._probed = False
        self._union_checked = False

    @classmethod
    def from_settings(cls, settings: Any) -> "RemoteStore":
        """A store for ``settings.store`` (an http(s) query endpoint) and the settings' other endpoints and
        credentials. Raises ConfigError for a URL that is not http(s)."""
        for name in ("store", "update_url", "gsp_url"):
            url = getattr(settings, name)
            if url and not str(url).startswith(("http://", "https://")):
                raise ConfigError(f"{name.replace('_', ' ')}: {mask_url(str(url))} is not an http(s) URL")
        return cls(settings.store, settings.update_url, settings.gsp_url, username=settings.username,
                   password=settings.password, token=settings.token, timeout=settings.remote_timeout)

    def __repr__(self) -> str:
        who = f", user={self.username!r}, password=***" if self.username else ""
        tok = ", token=***" if self._token else ""
        return f"RemoteStore({self.query_url!r}, update={self.update_url!r}, gsp={self.gsp_url!r}{who}{tok})"

    # -- HTTP --------------------------------------------------------------------------------------------
    def _fail(self, endpoint: str, status: int | None, reason: str, body: bytes | str = b"") -> StoreError:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        first = " ".join(text.strip().split())[:300]
        where = f"{mask_url(endpoint)}: " + (f"HTTP {status} {reason}" if status else reason)
        if status in (401, 403):
            who = f"user {self.username!r}" if self.username else ("a bearer token" if self._token else
                                                                   "no credentials")
            where += f" (with {who}): the server refused; check --user/--password/--token"
        elif status == 404:
            where += ": is this the right endpoint URL?"
        if first and status not in (401, 403):
            where += f": {first}"
        return StoreError(where)

    def _send(self, method: str, url: str, *, idempotent: bool = True, what: str = "", **kw: Any) -> httpx.Response:
        """One HTTP request, retried with backoff on a transient failure (only if ``idempotent``, except
        when the connection was never made). Raises StoreError naming the endpoint and the status."""
        attempt = 0
        while True:
            try:
                r = self._http.request(method, url, **kw)
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:
                err: StoreError = StoreError(f"{mask_url(url)}: cannot connect ({e or type(e).__name__}); "
                                             "is the server running?")
                retry = True
            except httpx.TimeoutException:
                # not asked again: a store that gave no answer in the whole time would make the caller wait
                # that long once per try
                err = StoreError(f"{mask_url(url)}: no answer within {self.timeout:g} s{what}{_TIMEOUT_HINT}")
                err.timed_out = True  # type: ignore[attr-defined]
                retry = False
            except _TRANSIENT as e:
                err = StoreError(f"{mask_url(url)}: the connection failed ({e or type(e).__name__}){what}")
                retry = idempotent
            except httpx.HTTPError as e:
                raise StoreError(f"{mask_url(url)}: {e}") from e
            else:
                if r.status_code < 400:
                    return r
                err = self._fail(url, r.status_code, r.reason_phrase, r.content)
                err.http_status = r.status_code  # type: ignore[attr-defined]
                err.body = r.text  # type: ignore[attr-defined]
                retry = r.status_code in _RETRY_STATUS and idempotent
            if not retry or attempt >= self.retries:
                raise err
            time.sleep(self.backoff * (2 ** attempt))
            attempt += 1

    def _need_update(self, what: str) -> str:
        if not self.update_url:
            raise ReadOnlyStoreError(f"cannot {what}: the store {self.query_url} has no update endpoint; give "
                                     "one with --update-url (after push: `eventkg push --to URL --update-url URL`; "
                                     "before other commands, or EVENTKG_UPDATE_URL)")
        return self.update_url

    def _post_update(self, sparql: str, *, idempotent: bool = True, what: str = "") -> None:
        url = self._need_update("write")
        try:
            self._send("POST", url, idempotent=idempotent, what=what, content=sparql.encode("utf-8"),
                       headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        except StoreError as e:
            if getattr(e, "http_status", None) == 400:
                raise QueryError(_server_reason(getattr(e, "body", "")), source="update") from e
            raise

    # -- reading -----------------------------------------------------------------------------------------
    def _probe_auth(self) -> None:
        """Learn once whether the query endpoint wants Digest rather than Basic credentials."""
        if self._probed or not self.username:
            return
        self._probed = True
        try:
            self._http.get(self.query_url, params={"query": "ASK {}"}, timeout=min(10.0, self.timeout))
        except httpx.HTTPError:
            pass

    def _wrapper(self, sparql: str, timeout: float | None) -> _Wrapper:
        w = _Wrapper(self.query_url)
        w.setQuery(sparql)
        w.setMethod(POST)
        w.setRequestMethod(URLENCODED)
        # set as it is: SPARQLWrapper's setTimeout rounds down to whole seconds (and 0 means none at all)
        w.timeout = float(timeout or self.timeout)  # type: ignore[assignment]
        if self._token:
            w.addCustomHttpHeader("Authorization", f"Bearer {self._token}")
        elif self.username:
            self._probe_auth()
            w.setCredentials(self.username, self._password or "")
            w.setHTTPAuth(DIGEST if self._auth.use_digest else BASIC)
        return w

    def query(self, sparql: str, *, bindings: Mapping[str, Node] | None = None,
              default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
              limit: int | None = None, timeout: float | None = None) -> QueryResult:
        if looks_like_update(sparql):
            raise QueryError("this is an update, not a query")
        text = with_values(sparql, bindings) if bindings else sparql
        form = query_form(text) or "select"
        w = self._wrapper(text, timeout)
        # SPARQLWrapper guesses the form with a regex that words in comments fool ("address" -> ADD, sent as an
        # update); ours skips comments, strings and IRIs.
        w.queryType = form.upper()
        if not default_graphs and not named_graphs and has_dataset_clause(text):
            default_graphs, named_graphs = _dataset_of(text)
        if not default_graphs and not named_graphs:
            self._check_union()
        for g in default_graphs or ():
            w.addParameter("default-graph-uri", g)
        for g in named_graphs or ():
            w.addParameter("named-graph-uri", g)
        if (default_graphs or named_graphs) and not default_graphs:
            # named graphs alone: an empty default graph (a server set to query the union of its graphs by
            # default would give that union instead): one no graph is ever called
            w.addParameter("default-graph-uri", _NO_GRAPH)
        if form in ("construct", "describe"):
            w.setReturnFormat(TURTLE)
            w.addCustomHttpHeader("Accept", "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8")
        else:
            w.setReturnFormat(JSON)
            w.addCustomHttpHeader("Accept", "application/sparql-results+json, application/json;q=0.8")
        data, media = self._run(w, timeout)
        if form in ("construct", "describe"):
            return self._triples(data, media, limit)
        try:
            return rows_from_json(data, limit)
        except (ValueError, KeyError, AttributeError) as e:
            raise StoreError(f"{self.query_url}: the answer is not SPARQL JSON results ({e})") from e

    def _check_union(self) -> None:
        """Before queries over the default graph, until it has once held: is that graph the union of the named
        graphs, as eventkg needs? (An empty store is checked again at the next query, and by a write before it
        writes: see ``_staged``.) A triple of some named graph that the default graph lacks says no. Queries
        there would find nothing (or only what the default graph holds of its own), so that is an error, not
        an empty answer; and so is a write, which would make a store every later command refuses.
        Raises StoreError."""
        if self._union_checked:
            return
        self._union_checked = True   # for the two queries below
        rows: list[Any] = []
        for keep in ("FILTER (!isBlank(?s) && !isBlank(?o))", ""):   # a triple of blank nodes, if it is all
            sample = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {keep} }} LIMIT 1")
            assert isinstance(sample, Rows)
            rows = list(sample.rows)
            if rows:
                break
        if not rows:
            self._union_checked = False   # nothing to check yet: checked again once there is
            return
        g, *spo = rows[0]
        # a blank node of a result names no node of the store: asked as a variable
        pattern = " ".join(f"?b{i}" if isinstance(t, BNode) else terms.n3(t) for i, t in enumerate(spo))
        found = self.query("ASK { " + pattern + " }")
        if not (isinstance(found, Boolean) and found.value):
            self._union_checked = False   # asked again next time, once the store is set right
            which = "a triple being written" if is_hidden_graph(str(g)) else f"a triple of <{g}>"
            raise StoreError(
                f"{mask_url(self.query_url)}: the store's default graph is not the union of its named graphs "
                f"({which} is not in it). eventkg keeps each record in a named graph and queries their "
                "union as the default graph, so queries here would not see the records. Set the store to query "
                "the union by default (Oxigraph server: `oxigraph serve --union-default-graph`; Fuseki: "
                "`tdb2:unionDefaultGraph true`; see docs/remote.md)")

    def _run(self, w: _Wrapper, timeout: float | None) -> tuple[bytes, str]:
        url = self.query_url
        for attempt in range(self.retries + 1):
            try:
                res = w.query()
                return res.response.read(), res.response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as e:
                body = e.read()
                if e.code == 400:
                    said, line, col = _position(_server_reason(body.decode("utf-8", "replace")))
                    raise QueryError(tidy_syntax_message(said, getattr(w, "queryString", None), line, col),
                                     line, col) from e
                if e.code in _RETRY_STATUS and attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise self._fail(url, e.code, str(e.reason), body) from e
            except (socket.timeout, TimeoutError) as e:
                if timeout is not None:
                    raise QueryTimeout(timeout) from e
                raise StoreError(f"{url}: no answer within {self.timeout:g} s{_TIMEOUT_HINT}") from e
            except urllib.error.URLError as e:
                reason = e.reason
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    if timeout is not None:
                        raise QueryTimeout(timeout) from e
                    raise StoreError(f"{url}: no answer within {self.timeout:g} s{_TIMEOUT_HINT}") from e
                if isinstance(reason, ConnectionRefusedError) and attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise StoreError(f"{url}: cannot connect ({getattr(reason, 'strerror', None) or reason}); "
                                 "is the server running?") from e
            except (ConnectionError, OSError) as e:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise StoreError(f"{url}: the connection failed ({e})") from e
        raise StoreError(f"{url}: no answer")  # pragma: no cover

    @staticmethod
    def _triples(data: bytes, media: str, limit: int | None) -> Triples:
        fmt = _rdf_of(media or "application/n-triples")
        if fmt.oxigraph is None:
            raise StoreError(f"cannot read {fmt.label} answers")
        try:
            triples, truncated = take_distinct((q.triple for q in ox.parse(data, format=fmt.oxigraph)), limit)
        except SyntaxError as e:
            raise StoreError(f"the store's {fmt.label} answer does not parse: {e}") from e
        return Triples(terms.graph_from_triples(triples), truncated)

    def _select(self, sparql: str) -> Rows:
        res = self.query(sparql)
        assert isinstance(res, Rows)
        return res

    def _graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [str(r[0]) for r in rows if isinstance(r[0], URIRef)]

    def records(self) -> list[str]:
        return sorted(g for g in self._graphs() if not is_hidden_graph(g))

    def hidden_graphs(self) -> list[str]:
        return sorted(g for g in self._graphs() if is_hidden_graph(g))

    def has_record(self, iri: str) -> bool:
        res = self.query(f"ASK {{ GRAPH {URIRef(iri).n3()} {{ ?s ?p ?o }} }}")
        return bool(res)

    def _existing(self, names: Sequence[str]) -> list[str]:
        out: list[str] = []
        for i in range(0, len(names), 500):
            values = " ".join(URIRef(n).n3() for n in names[i:i + 500])
            rows = self._select(f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
            out.extend(str(r[0]) for r in rows)
        return sorted(out)

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }} }}")
            return int(str(rows.rows[0][0])) if rows.rows else 0
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(str(n)) for g, n in rows.rows if g is not None and not is_hidden_graph(str(g)))

    def _graph_ntriples(self, graph: str) -> bytes:
        if self.gsp_url:
            r = self._send("GET", self.gsp_url, params={"graph": graph},
                           headers={"Accept": "application/n-triples, text/plain;q=0.9"})
            fmt = _rdf_of(r.headers.get("Content-Type", "application/n-triples"))
            if fmt.name == "nt":
                return r.content
            return ox.serialize(ox.parse(r.content, format=fmt.oxigraph), format=ox.RdfFormat.N_TRIPLES) or b""
        res = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {URIRef(graph).n3()} {{ ?s ?p ?o }} }}")
        assert isinstance(res, Triples)
        return ox.serialize(terms.triples_from_graph(res.graph), format=ox.RdfFormat.N_TRIPLES) or b""

    def dump(self, out: BinaryIO, fmt: RdfFormat, graph: str | None = None) -> None:
        if fmt.oxigraph is None:
            raise StoreError(f"Oxigraph cannot write {fmt.label}")
        if graph is not None:
            data = self._graph_ntriples(graph)
            if fmt.name == "nt":
                out.write(data)
            else:
                out.write(written(fmt, ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES),
                                                    format=fmt.oxigraph) or b""))
            return
        if fmt.datasets:
            quads: list[ox.Quad] = []
            for g in self.records():
                name = ox.NamedNode(g)
                quads.extend(ox.Quad(t.subject, t.predicate, t.object, name)
                             for t in ox.parse(self._graph_ntriples(g), format=ox.RdfFormat.N_TRIPLES,
                                               rename_blank_nodes=True))
            ox.serialize(quads, out, format=fmt.oxigraph)
            return
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(res, Triples)
        out.write(written(fmt, ox.serialize(terms.triples_from_graph(res.graph), format=fmt.oxigraph) or b""))

    # -- writing -----------------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        self._post_update(sparql, idempotent=False)

    def put_records(self, records: Sequence[Record], *, replace: bool = False) -> None:
        self._need_update("write records")
        names = [r.iri for r in records]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise RecordError(f"record <{sorted(dupes)[0]}> is given twice")
        if not replace:
            there = self._existing(names)
            if there:
                raise RecordError(f"record <{there[0]}> is already in the store; use --replace to replace it")
        total = sum(len(r) for r in records)
        self._check_union()
        if total <= self.chunk_triples and self._union_checked:
            # One request, one transaction; dropping first also makes it safe to send again.
            drops = [f"DROP SILENT GRAPH {URIRef(n).n3()}" for n in names]
            self._post_update(" ;\n".join(drops + [_insert([(n, r.triples) for n, r in zip(names, records)])]),
                              what=" (the records may or may not have been written)")
            return
        self._purge_stale()
        self._staged(self._pieces((r.iri, r.triples) for r in records), drop=names)

    def remove_record(self, iri: str) -> None:
        self._need_update("remove a record")
        if not self.has_record(iri):
            raise RecordNotFound(iri)
        self._post_update(f"DROP SILENT GRAPH {URIRef(iri).n3()}")

    def rebuild(self, files: Iterable[tuple[str, RdfFormat, str | None]], progress: Progress | None = None,
                extra: Sequence[Record] = (), skip: frozenset[str] = frozenset(), base_iri: str = BASE_IRI) -> None:
        self._need_update("load")
        sources = list(files)
        old = self._graphs()   # everything, staging left-overs included: a rebuild replaces it all
        drop = [g for g in old if not is_hidden_graph(g) or g.startswith(STAGING)]
        parsed = {r.iri: r.source for r in extra if r.iri not in skip}
        runs = ((g, t) for g, t in self._file_triples(sources, progress, base_iri, parsed, skip) if g not in skip)
        self._staged(self._pieces(runs, extra), drop=drop)

    # -- staging ---------------------------------------------------------------------------------------
    def _file_triples(self, sources: list[tuple[str, RdfFormat, str | None]], progress: Progress | None,
                      base_iri: str = BASE_IRI, parsed: Mapping[str, str] | None = None,
                      skip: frozenset[str] = frozenset()) -> Iterator[tuple[str | None, list[ox.Triple]]]:
        """(target graph, triples) runs from the files, read as streams; the progress bar advances by the
        bytes read so far. The default graph of a dataset file is gathered and given, at the file's end, as
        the record ``load.record_iri_for`` names (as the embedded store does). ``parsed``: records read
        apart (name -> file), which no graph of these files may name; nor may two of the files name one
        graph (but those in ``skip``)."""
        parsed = parsed or {}
        owner: dict[str, str] = {}
        seen: set[str | None] = set()
        made: set[str | None] = set()    # records made of default graphs
        for path, fmt, graph in sources:
            assert fmt.oxigraph is not None
            counter = _CountingReader(path, progress)
            run: list[ox.Triple] = []
            unnamed: list[ox.Triple] = []
            declared: list[ox.Triple] = []   # a triple file's record declarations: it must have one
            current: str | None = graph
            try:
                for q in ox.parse(counter, format=fmt.oxigraph, rename_blank_nodes=True):  # type: ignore[arg-type]
                    if graph is not None:
                        target: str | None = graph
                        if is_declaration(q):
                            declared.append(q)  # type: ignore[arg-type]
                    else:
                        g = getattr(q, "graph_name", None)
                        if isinstance(g, ox.BlankNode):
                            raise graph_named_by_a_blank_node(path, g, base_iri)
                        if not isinstance(g, ox.NamedNode):
                            unnamed.append(q.triple)
                            continue
                        target = g.value
                    if target in made:
                        raise declared_twice(path, str(target), by_this_default_graph=False,
                                             other=owner.get(str(target)))
                    if target is not None and target in parsed:
                        raise declared_by_two_files(parsed[target], target, path)
                    if target is not None and target not in skip and owner.setdefault(target, path) != path:
                        raise declared_by_two_files(path, target, owner[target])
                    seen.add(target)
                    if target != current or len(run) >= self.chunk_triples:
                        if run:
                            yield current, run
                        run, current = [], target
                    run.append(q.triple if isinstance(q, ox.Quad) else q)
            except SyntaxError as e:
                raise syntax_error(path, e) from e
            except (OSError, ValueError) as e:
                raise LoadError(path, str(e)) from e
            finally:
                counter.close()
            if graph is not None:
                record_iri_for(declared, path, base_iri)
            if run:
                yield current, run
            if unnamed:
                name = record_iri_for(unnamed, path, base_iri)
                if name in seen or name in made:
                    raise declared_twice(path, name, by_this_default_graph=True, other=owner.get(name))
                if name in parsed:
                    raise declared_by_two_files(parsed[name], name, path)
                made.add(name)
                owner[name] = path
                for i in range(0, len(unnamed), self.chunk_triples):
                    yield name, unnamed[i:i + self.chunk_triples]
            counter.finish()

    def _pieces(self, runs: Iterable[tuple[str | None, list[ox.Triple]]],
                extra: Sequence[Record] = ()) -> Iterator[list[_Piece]]:
        """Batches of at most ``chunk_triples`` triples, as pieces (one per target graph). Triples with
        blank nodes are held back and sent together per graph at the end, so a blank node never spans two
        requests."""
        batch: list[_Piece] = []
        size = 0
        held: dict[str | None, list[ox.Triple]] = {}

        def flush() -> Iterator[list[_Piece]]:
            nonlocal batch, size
            if batch:
                yield batch
            batch, size = [], 0

        for target, triples in _chain(runs, _extra_runs(extra)):
            plain = []
            for t in triples:
                if _has_bnode(t):
                    held.setdefault(target, []).append(t)
                else:
                    plain.append(t)
            i = 0
            while i < len(plain):
                room = self.chunk_triples - size
                part = plain[i:i + room]
                if batch and batch[-1].target == target:
                    batch[-1].triples.extend(part)
                else:
                    batch.append(_Piece(target, list(part)))
                size += len(part)
                i += len(part)
                if size >= self.chunk_triples:
                    yield from flush()
        for target, triples in held.items():
            if size and size + len(triples) > self.chunk_triples:
                yield from flush()
            batch.append(_Piece(target, triples))
            size += len(triples)
            if size >= self.chunk_triples:
                yield from flush()
        yield from flush()

    def _staged(self, batches: Iterable[list[_Piece]], *, drop: Sequence[str]) -> None:
        """Upload the batches into staging graphs, then swap them in with one update; on failure before
        the swap, drop what was staged."""
        run = f"{STAGING}{int(time.time())}-{uuid.uuid4().hex[:12]}:"
        staged: list[tuple[str, str | None]] = []
        try:
            n = 0
            for batch in batches:
                names = []
                for piece in batch:
                    stage = f"{run}{n}"
                    n += 1
                    names.append(stage)
                    staged.append((stage, piece.target))
                clear = [f"DROP SILENT GRAPH <{s}>" for s in names]
                body = _insert([(s, p.triples) for s, p in zip(names, batch)])
                self._post_update(" ;\n".join(clear + [body]), what=" while staging")
            # A store that held nothing could not say whether its default graph is the union of its graphs;
            # the staged triples can, before any record is written (refused, the store is left as it was)
            self._check_union()
            self._swap(staged, drop)
        except StoreError as e:
            self._drop_quietly([s for s, _ in staged])
            if getattr(e, "timed_out", False) and staged:
                raise StoreError(f"{e}. The store may still be writing the chunk it did not answer for: its "
                                 "staging graph then stays behind (queries over the default graph see it) until "
                                 "the next load, a staged add an hour later, or `eventkg push --mirror`") from e
            raise
        except BaseException:
            self._drop_quietly([s for s, _ in staged])
            raise

    def _swap(self, staged: list[tuple[str, str | None]], drop: Sequence[str]) -> None:
        ops = [f"DROP SILENT GRAPH {URIRef(g).n3()}" for g in drop]
        named = [(s, t) for s, t in staged if t is not None]
        if named:
            values = " ".join(f"(<{s}> {URIRef(t).n3()})" for s, t in named)  # type: ignore[arg-type]
            ops.append("INSERT { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES (?st ?g) { " + values +
                       " } GRAPH ?st { ?s ?p ?o } }")
        ops += [f"ADD SILENT <{s}> TO DEFAULT" for s, t in staged if t is None]
        # Not retried after the request was sent: its effect would be unknown, and a second run of the
        # swap after a first that succeeded would drop the records it wrote.
        self._post_update(" ;\n".join(ops), idempotent=False,
                          what=" (the swap may or may not have happened; check with `eventkg stats`)")
        # Dropping the staging graphs is left out of the swap: deleting costs Oxigraph as much as inserting,
        # and a staging graph left behind is no record (the next load drops it).
        self._drop_quietly([s for s, _ in staged])

    def _drop_quietly(self, graphs: Sequence[str]) -> None:
        if not graphs or not self.update_url:
            return
        try:
            for i in range(0, len(graphs), 1000):
                self._post_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[i:i + 1000]))
        except Exception:  # the server may be gone; the next write removes what is left
            pass

    def _purge_stale(self) -> None:
        now = time.time()
        try:
            stale = [g for g in self._graphs()
                     if g.startswith(STAGING) and now - (_staging_time(g) or now) >= self.stale_after]
        except StoreError:
            return
        self._drop_quietly(stale)

    def close(self) -> None:
        self._http.close()


class _CountingReader(io.RawIOBase):
    """A file that reports the bytes read so far to a progress callback."""

    def __init__(self, path: str, progress: Progress | None) -> None:
        self._f = open(path, "rb")
        self._progress = progress
        self._done = 0
        self._reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._f.readinto(b)
        self._done += n or 0
        if self._progress and self._done - self._reported >= 1 << 20:
            self._progress(self._done - self._reported)
            self._reported = self._done
        return n or 0

    def finish(self) -> None:
        if self._progress and self._done > self._reported:
            self._progress(self._done - self._reported)
            self._reported = self._done

    def close(self) -> None:
        self._f.close()
        super().close()


def _extra_runs(records: Sequence[Record]) -> Iterator[tuple[str | None, list[ox.Triple]]]:
    for r in records:
        yield r.iri, r.triples


def _chain(*its: Iterable[Any]) -> Iterator[Any]:
    for it in its:
        yield from it


def _insert(graphs: Sequence[tuple[str, Sequence[ox.Triple]]]) -> str:
    """Update operations writing the triples of each graph: one ``INSERT DATA`` for the graphs without
    blank nodes, and an ``INSERT ... WHERE {}`` for each graph with some (Virtuoso refuses blank nodes in
    INSERT DATA, and fails on a template with blank nodes in more than one graph)."""
    def block(g: str, ts: Sequence[ox.Triple]) -> str:
        return f"GRAPH {URIRef(g).n3()} {{\n" + "\n".join(f"{t} ." for t in ts) + "\n}"

    plain = [(g, ts) for g, ts in graphs if ts and not any(_has_bnode(t) for t in ts)]
    blank = [(g, ts) for g, ts in graphs if ts and any(_has_bnode(t) for t in ts)]
    ops = []
    if plain:
        ops.append("INSERT DATA {\n" + "\n".join(block(g, ts) for g, ts in plain) + "\n}")
    ops += ["INSERT {\n" + block(g, ts) + "\n} WHERE {}" for g, ts in blank]
    return " ;\n".join(ops)


_POS = re.compile(r"error at (\d+):(\d+):?\s*(.*)", re.S)
_LINE = re.compile(r"\bline (\d+)\b", re.I)


def _server_reason(body: str) -> str:
    """The useful part of a server's error text (Virtuoso repeats the query after a blank line)."""
    text = body.strip()
    if not text:
        return "the server refused the query"
    try:
        doc = json.loads(text)
        if isinstance(doc, dict):
            text = str(doc.get("detail") or doc.get("message") or doc.get("error") or text)
    except ValueError:
        pass
    return text.split("\n\n")[0].strip()[:1000]


def _position(reason: str) -> tuple[str, int | None, int | None]:
    m = _POS.search(reason)
    if m:
        return m.group(3).strip() or reason, int(m.group(1)), int(m.group(2))
    m = _LINE.search(reason)
    return reason, (int(m.group(1)) if m else None), None


__all__ = ["RemoteStore", "mask_url", "with_values", "is_hidden_graph", "rows_from_json", "STAGING"]
