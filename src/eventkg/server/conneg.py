"""Content negotiation and the URL scheme, in one place (the server and the static site both use it).

URL scheme (the configured base IRI, e.g. ``https://w3id.org/eventkg/``, is mapped to the site's own base URL):

    {base}id/KIND/SLUG, {base}record/SLUG,      a thing (or a record): ``303 See Other`` to a document
    {base}ontology, {base}shapes, {base}dataset chosen by the Accept header, ``Vary: Accept``
    {base}doc/PATH                             the document about {base}PATH, negotiated (200, ``Vary: Accept``,
                                               ``Content-Location`` naming the variant sent)
    {base}doc/PATH.EXT                         one variant: .html .ttl .jsonld .nt .nq .trig .rdf

Everything here is plain functions over strings: no web framework.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import quote

from ..formats import EXPORT_FORMATS, RdfFormat, best_match, rdf_format

HTML = "text/html"
PROBLEM = "application/problem+json"
DOC_PREFIX = "doc/"
# Paths under the base that are things (answered with 303) rather than documents.
THING_ROOTS = ("id/", "record/")
VOCABULARIES = ("ontology", "shapes", "dataset")


# RFC 3986's reserved characters and "%": kept as they are when an IRI becomes a URI
_KEPT = "!#$%&'()*+,/:;=?@[]~"
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def to_uri(iri: str) -> str:
    """An IRI as a URI (RFC 3987, 3.1): each character outside ASCII as its UTF-8 bytes, percent-encoded; what
    is already percent-encoded stays so. What an HTTP header, a sitemap or a link must carry."""
    return quote(iri, safe=_KEPT)


def iri_path(raw: bytes | str) -> str:
    """A request's path, as sent (percent-encoded), in the form the graph's IRIs take (RFC 3987, 3.2): a
    percent-encoded UTF-8 character outside ASCII, or an unreserved one (RFC 3986, 2.3), is decoded; any other
    percent-encoding (``%20``, ``%2F``, ``%25``) stays, as an IRI holding it spells it. So ``/id/topic/
    h%C3%A0-n%E1%BB%99i`` names ``id/topic/hà-nội``, and ``/id/topic/a%2Fb`` names ``id/topic/a%2Fb``, not
    ``id/topic/a/b``."""
    def decode(m: re.Match[str]) -> str:
        run = m.group(0)
        tokens = [run[i:i + 3] for i in range(0, len(run), 3)]
        octets = bytes(int(t[1:], 16) for t in tokens)
        out, i = [], 0
        while i < len(octets):
            b = octets[i]
            if b < 0x80:
                out.append(chr(b) if chr(b) in _UNRESERVED else tokens[i])
                i += 1
                continue
            size = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 1
            try:
                out.append(octets[i:i + size].decode("utf-8"))
                i += size
            except UnicodeDecodeError:   # not UTF-8: kept as sent
                out.append(tokens[i])
                i += 1
        return "".join(out)

    return _ESCAPES.sub(decode, quote(raw, safe=_KEPT))


def iri_paths(raw: bytes | str) -> list[str]:
    """The IRI paths a request's path may stand for, the likeliest first: ``iri_path``'s, then the path as
    sent (an IRI may hold an escape itself: ``caf%C3%A9``), each also with its escapes' hex digits in upper
    case (RFC 3986, 6.2.2.1: ``%2f`` is ``%2F``)."""
    out: list[str] = []
    for p in (iri_path(raw), quote(raw, safe=_KEPT)):
        for q in (p, _ESCAPES.sub(lambda m: m.group(0).upper(), p)):
            if q not in out:
                out.append(q)
    return out


# The paths a static site holds as files: what every web server maps to the same file name
_FILE_PATH = re.compile(r"[A-Za-z0-9._~\-]+(?:/[A-Za-z0-9._~\-]+)*")


def is_file_path(rel: str) -> bool:
    """Whether a static site can hold the documents about the thing at ``rel`` (a path below the base) as
    files: letters, digits and ``-._~`` between slashes, without ``..``. A web server decodes ``%2F`` or
    ``%20`` in a request before it looks for a file, so an IRI holding one has no file a request finds."""
    return bool(_FILE_PATH.fullmatch(rel)) and ".." not in rel.split("/")


def has_document(rel: str) -> bool:
    """Whether a path under the base names a thing with a document (``id/...``, ``record/...``, the ontology,
    the shapes, the dataset), as opposed to a file of the site (a dump, the endpoint)."""
    return rel.startswith(THING_ROOTS) or rel in VOCABULARIES


@dataclass(frozen=True)
class Variant:
    ext: str
    media_type: str
    label: str
    fmt: RdfFormat | None   # None: the HTML page

    @property
    def content_type(self) -> str:
        return content_type(self.media_type)


def content_type(media_type: str) -> str:
    """The exact Content-Type for a media type: textual types carry ``charset=utf-8``; JSON-, XML- and the
    N-Triples family are UTF-8 by definition and take no charset parameter."""
    if media_type.startswith("text/"):
        return f"{media_type}; charset=utf-8"
    return media_type


def _rdf_variants() -> tuple[Variant, ...]:
    out = []
    for name in EXPORT_FORMATS:
        f = rdf_format(name)
        out.append(Variant(f.extension, f.media_type, f.label, f))
    return tuple(out)


HTML_VARIANT = Variant("html", HTML, "HTML", None)
RDF_VARIANTS: tuple[Variant, ...] = _rdf_variants()
DOC_VARIANTS: tuple[Variant, ...] = (HTML_VARIANT, *RDF_VARIANTS)
DEFAULT_VARIANT = HTML_VARIANT


def variant_for_ext(ext: str, variants: Iterable[Variant] = DOC_VARIANTS) -> Variant | None:
    for v in variants:
        if v.ext == ext:
            return v
    return None


def negotiate(accept: str | None, variants: Iterable[Variant] = DOC_VARIANTS,
              default: Variant = DEFAULT_VARIANT) -> Variant | None:
    """The variant the Accept header prefers (q-values honoured; every media type of a format counts, e.g.
    ``application/x-turtle``). A missing Accept or ``*/*`` gets ``default``; ``None`` means 406."""
    return _negotiate(accept, tuple(variants), default)


@functools.lru_cache(maxsize=512)
def _negotiate(accept: str | None, variants: tuple[Variant, ...], default: Variant) -> Variant | None:
    offered: dict[str, Variant] = {}
    for v in variants:
        offered.setdefault(v.media_type, v)
        if v.fmt is not None:
            for mt in v.fmt.media_types:
                offered.setdefault(mt, v)
    chosen = best_match(accept, list(offered), default.media_type)
    return offered.get(chosen) if chosen else None


def split_ext(path: str, variants: Iterable[Variant] = DOC_VARIANTS) -> tuple[str, Variant | None]:
    """``id/event/x.ttl`` -> (``id/event/x``, Turtle); a path without a known extension -> (path, None)."""
    head, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        v = variant_for_ext(ext, variants)
        if v is not None:
            return head, v
    return path, None


def etag(body: bytes, variant: str = "") -> str:
    """A strong validator: the same bytes always give the same tag, different bytes a different one."""
    h = hashlib.blake2b(body, digest_size=12).hexdigest()
    return f'"{h}{"-" + variant if variant else ""}"'


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2): ``W/`` prefixes are ignored."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    want = tag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == want for t in if_none_match.split(","))


# True while `eventkg publish` renders a static site: no SPARQL endpoint, search or query pages there, and a
# quote is shown by its anchor in the document (a static file cannot mark a range given in the URL)
STATIC: contextvars.ContextVar[bool] = contextvars.ContextVar("eventkg_static_site", default=False)


class Site:
    """Maps between the graph's IRIs and this site's URLs."""

    def __init__(self, base_iri: str, base_url: str) -> None:
        self.base_iri = base_iri
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.static = STATIC.get()

    def quote_url(self, document_url: str, start: int, end: int) -> str:
        """Where a document shows the quote at ``start``-``end``: marked (``?hl=``) by the server, or its
        anchor on a static site."""
        url = document_url.split("#")[0]
        return f"{url}#ev-{start}-{end}" if self.static else f"{url}?hl={start}-{end}#hl"

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base_iri)

    def local(self, iri: str) -> str:
        """Where an IRI answers on this site, as a URI (IRIs outside the base are left as they are)."""
        if iri.startswith(self.base_iri):
            return to_uri(self.base_url + iri[len(self.base_iri):])
        return iri

    def iri(self, path: str) -> str:
        """The IRI a site path (relative to the base, no leading slash) stands for."""
        return self.base_iri + path

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def doc_path(self, iri: str, variant: Variant | None = None) -> str | None:
        """The path (relative to the base) of the document about ``iri``; ``None`` for IRIs not ours."""
        if not iri.startswith(self.base_iri):
            return None
        rel = iri[len(self.base_iri):].split("#", 1)[0]
        return DOC_PREFIX + rel + (f".{variant.ext}" if variant else "")

    def doc_url(self, iri: str, variant: Variant | None = None) -> str | None:
        """The URL (a URI: see ``to_uri``) of the document about ``iri``; ``None`` for IRIs not ours."""
        p = self.doc_path(iri, variant)
        return None if p is None else to_uri(self.base_url + p)

    def has_page(self, iri: str) -> bool:
        """Whether a thing of ours has a page here: always on the server; on a static site, if a file can
        be named after it (``is_file_path``)."""
        return not self.static or is_file_path(iri[len(self.base_iri):].split("#", 1)[0])

    def page(self, iri: str) -> str:
        """The link a page uses for a resource: its HTML page if it is a thing of ours (``id/``, ``record/``,
        the ontology, the shapes, the dataset), else the IRI itself (a dump or the endpoint, when the site is
        served at the base IRI, is a file, not a thing with a page)."""
        rel = iri[len(self.base_iri):].split("#", 1)[0] if iri.startswith(self.base_iri) else None
        if rel is None or not has_document(rel):
            return self.local(iri)
        if not self.has_page(iri):   # the IRI itself
            return to_uri(iri)
        url = self.doc_url(iri, HTML_VARIANT)
        if url is None:
            return iri
        frag = iri.partition("#")[2]
        return url + (f"#{frag}" if frag else "")

    def alternates(self, iri: str, exclude: Variant | None = None) -> str:
        """A ``Link`` header value naming every variant of the document about ``iri`` but ``exclude``."""
        parts = []
        for v in DOC_VARIANTS:
            if v != exclude:
                parts.append(f'<{self.doc_url(iri, v)}>; rel="alternate"; type="{v.media_type}"')
        return ", ".join(parts)


def is_thing_path(path: str) -> bool:
    """Does a site path name a thing (answered with 303)?"""
    return path.startswith(THING_ROOTS) or path in VOCABULARIES


__all__ = ["Variant", "DOC_VARIANTS", "RDF_VARIANTS", "HTML_VARIANT", "DEFAULT_VARIANT", "HTML", "PROBLEM",
           "content_type", "negotiate", "split_ext", "variant_for_ext", "etag", "etag_matches", "Site",
           "is_thing_path", "is_file_path", "to_uri", "iri_path", "iri_paths"]
