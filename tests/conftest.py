"""Fixtures that mirror the flow: project -> store -> loaded store (-> app client, in tests/http).

The ``store`` fixture is parametrised over every backend that can run here, so each store, query, CLI and
HTTP test runs on each of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from eventkg.config import Settings, load_settings
from eventkg.project import Project
from eventkg.store import EmbeddedStore, Store

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "sources" / "aichr-tip-workshop-2018-06-26.txt"

# Backends: id -> factory(tmp_path, request) -> Store, opened on a clean store.
# CLI_SPECS: id -> factory(tmp_path, request) -> the global CLI options that select the same kind of store
# (a store the test process has not opened: an embedded store folder is locked while open).
# tests/backends.py adds remote servers where they can run.
BACKENDS: dict[str, Any] = {
    "embedded": lambda tmp, request: EmbeddedStore(tmp / "store"),
}
CLI_SPECS: dict[str, Any] = {
    "embedded": lambda tmp, request: ["--store", str(tmp / "cli-store")],
}
try:
    from backends import register  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    register = None
if register is not None:
    register(BACKENDS, CLI_SPECS)


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


@pytest.fixture(params=sorted(CLI_SPECS), ids=lambda p: p)
def cli_store(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    """Global options selecting a clean store of each backend, for CLI tests."""
    return CLI_SPECS[request.param](tmp_path, request)  # type: ignore[no-any-return]


@pytest.fixture
def run_cli(cli_store: list[str]) -> Any:
    """Run ``eventkg [store options] ARGS...`` in-process; returns click's Result."""
    from click.testing import CliRunner

    from eventkg.cli import cli

    def run(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(cli, ["--project", str(ROOT), *cli_store, *args], input=input, obj={},
                                  catch_exceptions=False)

    return run
