"""Settings, built once and passed in: from ``[tool.eventkg]`` in the project's pyproject.toml (or an
``eventkg.toml``), then the environment, then command-line flags. Nothing here runs at import time."""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:   # Python 3.10: the same parser, as a package
    import tomli as tomllib

from .errors import ConfigError
from .namespaces import BASE_IRI

MEMORY = "memory"


@dataclass(frozen=True)
class Settings:
    root: Path                                  # the project folder: relative paths resolve against it
    base_iri: str = BASE_IRI
    store: str = ".eventkg/store"               # a path, "memory", or an http(s) SPARQL query endpoint
    update_url: str | None = None
    gsp_url: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    data: tuple[str, ...] = ("data",)
    ontology: str = "ontology/ontology.ttl"
    shapes: str = "ontology/shapes.ttl"
    context: str = "ontology/context.jsonld"
    queries: str = "queries"
    timeout: float = 10.0                        # seconds a query may run (server)
    remote_timeout: float = 300.0                # seconds a remote store may take to answer one request
    row_limit: int = 10_000                      # rows a query may return (server)
    found: bool = True                           # False: no project folder was found, root is the cwd

    def path(self, value: str | Path) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    def project_file(self, value: str | Path) -> Path:
        """The path of one of the project's own files (ontology, shapes, context, queries). Outside any
        project, a missing one is a ConfigError that says so, rather than a missing file."""
        p = self.path(value)
        if not self.found and not p.exists():
            raise ConfigError(f"no eventkg project here: neither {self.root} nor a folder above it has a "
                              "pyproject.toml with [tool.eventkg] or an eventkg.toml, and there is no "
                              f"{Path(value).as_posix()} in {self.root}. Run eventkg inside the project, or give "
                              "--project DIR (or set EVENTKG_PROJECT)")
        return p

    @property
    def store_is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))

    @property
    def store_is_memory(self) -> bool:
        return self.store == MEMORY

    def with_(self, **changes: Any) -> "Settings":
        """A copy with the given fields changed (``None`` values leave a field as it was)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` up, holding an eventkg.toml or a pyproject.toml with [tool.eventkg]
    (``start`` itself if there is none)."""
    here = (start or Path.cwd()).resolve()
    return _project_folder(here) or here


def _project_folder(here: Path) -> Path | None:
    for d in (here, *here.parents):
        if (d / "eventkg.toml").is_file():
            return d
        pp = d / "pyproject.toml"
        if pp.is_file() and "[tool.eventkg]" in pp.read_text(encoding="utf-8"):
            return d
    return None


def _file_settings(root: Path) -> dict[str, Any]:
    try:
        if (root / "eventkg.toml").is_file():
            return tomllib.loads((root / "eventkg.toml").read_text(encoding="utf-8"))
        pp = root / "pyproject.toml"
        if pp.is_file():
            return tomllib.loads(pp.read_text(encoding="utf-8")).get("tool", {}).get("eventkg", {})
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{root}: cannot read the settings: {e}") from e
    return {}


_ENV = {
    "EVENTKG_STORE": "store", "EVENTKG_UPDATE_URL": "update_url", "EVENTKG_GSP_URL": "gsp_url",
    "EVENTKG_USER": "username", "EVENTKG_PASSWORD": "password", "EVENTKG_TOKEN": "token",
    "EVENTKG_BASE_IRI": "base_iri", "EVENTKG_REMOTE_TIMEOUT": "remote_timeout",
}
_NUMBERS = {"timeout": float, "remote_timeout": float, "row_limit": int}


def load_settings(root: Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from the project's file, then ``env`` (default: os.environ), then ``overrides``. A ``root``
    given is the project folder; without one it is the nearest project folder from the working directory up."""
    if root is not None:
        root, found = root.resolve(), True
    else:
        here = Path.cwd().resolve()
        folder = _project_folder(here)
        root, found = folder or here, folder is not None
    values = _file_settings(root)
    known = set(Settings.__dataclass_fields__) - {"root", "found"}  # found out, not set
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"{root}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
    if isinstance(values.get("data"), str):
        values["data"] = [values["data"]]
    if "data" in values:
        values["data"] = tuple(values["data"])
    environ = os.environ if env is None else env
    for var, key in _ENV.items():
        if environ.get(var):
            values[key] = environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key, kind in _NUMBERS.items():
        if key in values:
            given = values[key]
            try:
                if isinstance(given, bool):
                    raise ValueError(given)
                values[key] = kind(given)
            except (TypeError, ValueError, OverflowError):
                raise ConfigError(f"{key.replace('_', ' ')}: {given!r} is not a number") from None
            if not math.isfinite(values[key]) or values[key] <= 0:
                raise ConfigError(f"{key.replace('_', ' ')}: {given!r} is not a positive number")
    try:
        return Settings(root=root, found=found, **values)
    except TypeError as e:
        raise ConfigError(f"bad settings: {e}") from e


__all__ = ["Settings", "load_settings", "find_root", "MEMORY"]
