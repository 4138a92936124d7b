"""`eventkg push` / `eventkg pull`: copy every record between the local store and a remote one."""

from __future__ import annotations

import click


@click.command("push")
@click.option("--to", "to", required=True, metavar="URL")
def push_command(to: str) -> None:
    """Copy the local graph (all records) to a remote store."""
    raise click.ClickException("not available yet")


@click.command("pull")
@click.option("--from", "from_", required=True, metavar="URL")
def pull_command(from_: str) -> None:
    """Copy a remote store's records into the local store."""
    raise click.ClickException("not available yet")
