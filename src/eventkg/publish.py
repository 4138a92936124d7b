"""`eventkg publish`: the whole site as static files, with content-negotiation rules for nginx and Apache."""

from __future__ import annotations

import click


@click.command("publish")
@click.option("--out", required=True, metavar="DIR")
def publish_command(out: str) -> None:
    """Write the site as static files."""
    raise click.ClickException("not available yet")
