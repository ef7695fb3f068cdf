"""pmrepo lsp: the language server, for editors."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the default and only transport; accepted "
    "because many editors pass it).",
)
def lsp_command(stdio: bool) -> None:
    """Start the language server on stdio: findings as you write, quick fixes, hover, completion."""
    from postmortem_repo.lsp.server import serve  # pygls is imported only for the server

    serve()
