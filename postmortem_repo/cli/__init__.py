"""The `pmrepo` command line: thin click commands over postmortem_repo.api."""

from __future__ import annotations

import importlib

import click

__all__ = ["main"]

# Each command's module and function, imported when the command runs (or help lists it):
# a run loads what its own command needs, not every other command's imports.
_COMMANDS = {
    "check": ("check", "check"),
    "rules": ("check", "list_rules"),
    "rule": ("check", "show_rule"),
    "index": ("generated", "index_command"),
    "patterns": ("generated", "patterns_command"),
    "actions": ("dashboards", "actions_command"),
    "report": ("dashboards", "report_command"),
    "review": ("dashboards", "review_command"),
    "new": ("authoring", "new_command"),
    "init": ("authoring", "init_command"),
    "timeline": ("authoring", "timeline_command"),
    "related": ("related", "related_command"),
    "lsp": ("lsp", "lsp_command"),
    "site": ("publishing", "site_command"),
    "announce": ("publishing", "announce_command"),
    "digest": ("publishing", "digest_command"),
    "review-deck": ("publishing", "review_deck_command"),
}


class _CommandsOnDemand(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module, name = _COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"postmortem_repo.cli.{module}"), name)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=_CommandsOnDemand, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pmrepo", prog_name="pmrepo")  # the installed metadata
def main() -> None:
    """pmrepo: lint and index a repository of incident post-mortems."""
