"""What reads several teams' repositories (--repo, --org) reads every post-mortem of every
team, or stops: a file that cannot be read (Latin-1, UTF-16) is an error naming its team and
path, for the report, the review, the actions, the suggestions and the site alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from org_repos import org_repos

LATIN_1 = b"---\nid: INC-2026-0009\ntitle: Caf\xe9 outage\ndate: 2026-11-02\n---\n# Caf\xe9\n"
UTF_16 = "---\nid: INC-2026-0008\ntitle: Proxy\ndate: 2026-11-03\n---\n# Proxy\n".encode("utf-16")
TODAY = ("--today", "2026-12-07")
UNREADABLE = (
    "pmrepo: error: team platform: 1 post-mortem file(s) cannot be read; pmrepo reads all of "
    "them or none, so nothing was written:\n"
    "  2026/Q4/INC-2026-0008-utf16.md:1:1: PM102 not valid UTF-8 (byte 0xff): re-save the "
    "file as UTF-8\n"
    "team data: 1 post-mortem file(s) cannot be read; pmrepo reads all of them or none, so "
    "nothing was written:\n"
    "  2026/Q4/INC-2026-0009-latin.md:3:11: PM102 not valid UTF-8 (byte 0xe9): re-save the "
    "file as UTF-8\n"
)


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--quarter", "2026Q4", *TODAY),
        ("review", "--month", "2026-11", *TODAY),
        ("actions", *TODAY),
        ("actions", "--format", "jira-csv", *TODAY),
        ("patterns", "--suggest"),
        ("site", "--output", "{tmp}/site", *TODAY),
    ],
    ids=lambda command: "-".join(command[:3:2]),
)
def test_an_unreadable_post_mortem_of_one_team_stops_the_run(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    org = org_repos(tmp_path)
    (tmp_path / "data/2026/Q4/INC-2026-0009-latin.md").write_bytes(LATIN_1)
    (tmp_path / "platform/2026/Q4/INC-2026-0008-utf16.md").write_bytes(UTF_16)
    args = [part.format(tmp=tmp_path) for part in command]
    result = run_cli(*args, "--org", str(org))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", UNREADABLE)
