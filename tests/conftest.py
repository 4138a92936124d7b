"""Fixtures that mirror the flow: project -> store -> loaded store (-> app client, in tests/http).

The ``store`` fixture is parametrised over every backend that can run here, so each store, query, CLI and
HTTP test runs on each of them."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from eventkg.config import Settings, load_settings
from eventkg.project import Project
from eventkg.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "sources" / "aichr-tip-workshop-2018-06-26.txt"

# Backends: each is (id, factory(tmp_path) -> Store). tests/backends.py may add more (remote servers).
BACKENDS: dict[str, object] = {
    "embedded": lambda tmp, request: EmbeddedStore(tmp / "store"),
}
try:  # remote backends register themselves where their server can run
    from backends import register  # type: ignore[import-not-found]

    register(BACKENDS)
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(ROOT, env={}, store="memory")


@pytest.fixture(params=sorted(BACKENDS), ids=lambda p: p)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = BACKENDS[request.param](tmp_path, request)  # type: ignore[operator]
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def project(settings: Settings, store: Store) -> Project:
    return Project(settings, store)


@pytest.fixture
def loaded(project: Project) -> Project:
    """A project whose store holds data/ and the ontology, as `eventkg load` leaves it."""
    from eventkg.records import rebuild

    s = project.settings
    rebuild(project.store, [s.path(d) for d in s.data], ontology=s.path(s.ontology), context=project.context)
    return project


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")
