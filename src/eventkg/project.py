"""A project: settings plus what is built from them once (store, validator, context, query library).
The CLI and the server each make one and call the library through it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .config import Settings
from .load import read_context
from .queries import NamedQuery, library
from .store import Store, open_store
from .validate import Validator


class Project:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    @property
    def existing_store(self) -> Store:
        """The store, for commands that write to it or serve it but do not build it (``add``, ``remove``,
        ``serve``): an on-disk store must be there already (ConfigError, not an empty store made where a
        mistyped path points)."""
        if self._store is None:
            self._store = open_store(self.settings, existing=True)
        return self._store

    @property
    def reader(self) -> Store:
        """The store, for commands that only read: beside a running ``eventkg serve`` (which holds the
        on-disk store) it is opened read-only and shows the store as it was when opened."""
        if self._store is None:
            self._store = open_store(self.settings, share=True)
        return self._store

    @cached_property
    def validator(self) -> Validator:
        return Validator.from_files(self.settings.project_file(self.settings.shapes),
                                   self.settings.project_file(self.settings.ontology))

    @cached_property
    def context(self) -> dict[str, Any]:
        return read_context(self.settings.project_file(self.settings.context))

    @cached_property
    def queries(self) -> dict[str, NamedQuery]:
        return library(self.settings.project_file(self.settings.queries))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


__all__ = ["Project"]
