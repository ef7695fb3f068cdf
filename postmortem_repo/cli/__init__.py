"""The `pmrepo` command line: thin click commands over postmortem_repo.api."""

from __future__ import annotations

import click

from postmortem_repo.cli import authoring, check, dashboards, generated, lsp, publishing, related

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pmrepo", prog_name="pmrepo")  # the installed metadata
def main() -> None:
    """pmrepo: lint and index a repository of incident post-mortems."""


for command in (
    check.check,
    check.list_rules,
    check.show_rule,
    generated.index_command,
    generated.patterns_command,
    dashboards.actions_command,
    dashboards.report_command,
    dashboards.review_command,
    authoring.new_command,
    authoring.init_command,
    authoring.timeline_command,
    related.related_command,
    lsp.lsp_command,
    publishing.site_command,
    publishing.announce_command,
    publishing.digest_command,
    publishing.review_deck_command,
):
    main.add_command(command)
