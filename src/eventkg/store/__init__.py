"""Stores: the embedded Oxigraph store and any SPARQL 1.1 service, behind one interface."""

from __future__ import annotations

import re

from ..config import Settings
from ..errors import ConfigError
from .base import Boolean, QueryResult, Rows, Store, StoreInfo, Triples, looks_like_update, query_form
from .oxigraph import EmbeddedStore


def open_store(settings: Settings, *, share: bool = False, existing: bool = False) -> Store:
    """The store the settings name: a path (on disk), "memory", or an http(s) query endpoint. ``share``: the
    caller only reads, so an on-disk store another process holds may be opened read-only beside it.
    ``existing``: an on-disk store must be there already (only ``load`` builds one). Raises ConfigError if
    it cannot be opened."""
    if settings.store_is_remote:
        from .remote import RemoteStore  # only needed, and only importable with its extras, for remote stores

        return RemoteStore.from_settings(settings)
    if settings.store_is_memory:
        return EmbeddedStore(None)
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://", settings.store):
        raise ConfigError(f"store {settings.store!r}: neither a folder, 'memory', nor an http(s) SPARQL query "
                          "endpoint URL")
    return EmbeddedStore(settings.path(settings.store), share=share, existing=existing)


__all__ = ["Store", "StoreInfo", "Rows", "Boolean", "Triples", "QueryResult", "EmbeddedStore", "open_store",
           "query_form", "looks_like_update"]
