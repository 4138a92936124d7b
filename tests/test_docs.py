"""The docs keep up with the code: every command, option, setting and named query is documented,
and the README opens with the two commands that set up and run everything."""

from __future__ import annotations

import re

import click
import pytest

from conftest import ROOT
from eventkg.cli import cli
from eventkg.config import Settings

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
ALL_DOCS = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_make_serve_and_make_test() -> None:
    code = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, flags=re.S)
    assert code, "README has no command block"
    first = code[0]
    assert "make serve" in first and "make test" in first
    assert README.index("make serve") < 1500


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_documented(name: str) -> None:
    assert f"eventkg {name}" in CLI_DOC, f"docs/cli.md does not show `eventkg {name}`"
    cmd = cli.commands[name]
    for p in cmd.params:
        if isinstance(p, click.Option):
            assert any(o in ALL_DOCS for o in p.opts), f"{name}: option {p.opts} is not in docs/"


def test_global_options_are_documented() -> None:
    for p in cli.params:
        if isinstance(p, click.Option) and p.name not in ("version",):
            assert any(o in CLI_DOC for o in p.opts), p.opts


@pytest.mark.parametrize("field", sorted(set(Settings.__dataclass_fields__) - {"root", "found"}))
def test_every_setting_is_documented(field: str) -> None:
    assert re.search(rf"`{field}`", CLI_DOC), f"setting {field} is not in docs/cli.md"


@pytest.mark.parametrize("rq", sorted((ROOT / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_every_named_query_is_documented(rq) -> None:  # type: ignore[no-untyped-def]
    docs = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    assert rq.stem in docs, f"{rq.stem} is not in docs/"


def test_queries_reference_is_up_to_date() -> None:
    from eventkg.queries import library, markdown

    expected = markdown(library(ROOT / "queries"))
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == expected, \
        "docs/queries.md is stale: run `eventkg queries --format markdown > docs/queries.md`"
