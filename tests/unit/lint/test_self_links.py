"""A post-mortem that names itself in `related` or `repeat_of` (by its id, or by its team
and id where the config names the org) links nothing: PM703 says so at the value's line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from related_repos import CERT, POOL, post_mortem

LINKING = "2024/Q1/INC-2024-0003-x.md"


def repository(tmp_path: Path, extra: str) -> Path:
    """payments (whose INC-2024-0003 front matter ends with extra) and platform, in an org."""
    files = {
        "payments/" + LINKING: post_mortem(
            "INC-2024-0003", "2024-02-01", "Orders failing", POOL, extra=extra
        )[1],
        "payments/2023/Q2/INC-2023-0002-x.md": post_mortem(
            "INC-2023-0002", "2023-05-01", "Certificate expired", CERT
        )[1],
        "platform/2024/Q1/INC-2024-0003-x.md": post_mortem(
            "INC-2024-0003", "2024-02-01", "Orders failing", POOL
        )[1],
        "payments/.pmrepo.yaml": "related:\n  org: ../org.yaml\n",
        "org.yaml": "teams:\n  - name: payments\n    repo: payments\n"
        "  - name: platform\n    repo: platform\n",
    }
    for relpath, text in files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, "utf-8")
    return tmp_path / "payments"


def link_findings(root: Path) -> list[tuple[int, str, str]]:
    result = run_cli("check", str(root), "--no-cache", "--select", "PM703", "--format", "json")
    assert result.stderr == ""
    return [
        (f["line"], f["code"], f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["path"].endswith(LINKING)
    ]


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "related: [INC-2023-0002, INC-2024-0003]\n",
            8,
            "related: INC-2024-0003 is this post-mortem itself: name another incident",
        ),
        (
            "repeat_of: INC-2024-0003\n",
            8,
            "repeat_of: INC-2024-0003 is this post-mortem itself: name another incident",
        ),
        (
            "related:\n  - platform/INC-2024-0003\n  - payments/INC-2024-0003\n",
            10,
            "related: payments/INC-2024-0003 is this post-mortem itself: name another incident",
        ),
    ],
)
def test_a_post_mortem_naming_itself_is_reported_where_it_does(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    assert link_findings(repository(tmp_path, extra)) == [(line, "PM703", message)]


def test_another_teams_incident_of_the_same_id_is_no_self_link(tmp_path: Path) -> None:
    assert link_findings(repository(tmp_path, "related: [platform/INC-2024-0003]\n")) == []
