"""PM309: the repository's own template (config: `template`) left behind in a post-mortem,
found by comparing with the template, with or without front matter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from postmortem_repo import api

MakeRepo = Callable[[dict[str, str | bytes]], Path]

CONFIG = """\
layout: {path: '{year}-{month}/{year}-{month}-{day}-{title}.md', id: '{year}-{month}-{day}-{title}'}
front_matter: optional
template: template.md
exclude: [template.md]
schemas: {sections: sections.json}
"""
SECTIONS = '{"sections": [{"name": "Issue Summary"}, {"name": "Timeline"}], "ordered": false}'
TEMPLATE = """\
# ISSUE NAME
## Issue Summary

_Give a summary of what caused the incident, for someone outside the team._

## Timeline (all times PST) DATE RANGE. All times approximations

All times in UTC.

12:45 PM DATE: Thing 1 happened and the service stopped answering requests

- [ ] Review the [runbook](https://example.com) with [Service name]
"""
KEPT = """\
# ISSUE NAME
## Issue Summary

_Give a summary of what caused the incident, for someone outside the team._
The API was down.

## Timeline (all times PST) DATE RANGE. All times approximations

All times in UTC.

- 10:00 the service stopped answering requests for [Service name]
- 12:45 PM DATE: Thing 1 happened and the service stopped answering requests
"""


def test_placeholders_instructions_and_examples_of_the_template_are_found(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "template.md": TEMPLATE,
            "2023-04/2023-04-25-Okta.md": KEPT,
        }
    )
    result = api.check([root], config_path=root / ".pmrepo.yaml", select=["PM309"])
    assert [(f.line, f.column, f.message) for f in result.findings] == [
        (1, 3, "placeholder 'ISSUE NAME' of the template (template.md) left in: write what "
         "it stands for"),
        (4, 1, "a line of the template (template.md) kept as it is: replace it with this "
         "incident's own text, or delete it"),
        (7, 29, "placeholder 'DATE RANGE' of the template (template.md) left in: write what "
         "it stands for"),
        (11, 52, "placeholder '[Service name]' of the template (template.md) left in: write "
         "what it stands for"),
        (12, 1, "a line of the template (template.md) kept as it is: replace it with this "
         "incident's own text, or delete it"),
        (12, 9, "placeholder 'PM DATE' of the template (template.md) left in: write what it "
         "stands for"),
    ]  # fmt: skip
    # 'All times in UTC.' is kept because it is true: a short plain line is no example.


def test_a_draft_may_keep_the_template_and_no_template_means_no_finding(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "template.md": TEMPLATE,
            "2023-04/2023-04-25-Okta.md": "---\nstatus: DRAFT\n---\n" + KEPT,
        }
    )
    result = api.check([root], config_path=root / ".pmrepo.yaml", select=["PM309"])
    assert result.findings == []
    (root / ".pmrepo.yaml").write_text(CONFIG.replace("template: template.md\n", ""), "utf-8")
    (root / "2023-04/2023-04-25-Okta.md").write_text(KEPT, "utf-8")
    result = api.check([root], config_path=root / ".pmrepo.yaml", select=["PM309"])
    assert result.findings == []
