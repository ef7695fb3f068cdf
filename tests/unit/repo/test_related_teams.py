"""pmrepo related over several teams' repositories (--repo repeated, --org): suggestions
come from every team's, each named with its team."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from related_repos import CERT, POOL, POOL_AGAIN, post_mortem


def repository(root: Path, *incidents: tuple[str, str]) -> Path:
    for relpath, text in incidents:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def two_teams(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    payments = repository(
        tmp_path / "payments",
        post_mortem("INC-2024-0003", "2024-03-01", "Orders failing again", POOL_AGAIN, extra=extra),
        post_mortem("INC-2023-0002", "2023-05-01", "Certificate expired", CERT, tags="x"),
    )
    platform = repository(
        tmp_path / "platform",
        post_mortem("INC-2023-0001", "2023-02-01", "Orders failing", POOL),
    )
    return payments, platform


def test_another_teams_incident_is_suggested_with_its_team(tmp_path: Path) -> None:
    payments, platform = two_teams(tmp_path)
    result = run_cli("related", "INC-2024-0003", "--repo", str(payments), "--repo", str(platform))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Earlier incidents like payments/INC-2024-0003 (Orders failing again):",
        " 1. platform/INC-2023-0001  2023-02-01  score 1.19  Orders failing",
        "    same service orders-api; shared tag capacity-limit; "
        "'connection pool' in both root causes",
        " 2. payments/INC-2023-0002  2023-05-01  score 0.50  Certificate expired",
        "    same service orders-api",
    ]


def test_the_json_names_each_suggestions_team(tmp_path: Path) -> None:
    two_teams(tmp_path)
    org = tmp_path / "org.yaml"
    org.write_text(
        "teams:\n  - name: pay\n    repo: payments\n  - name: plat\n    repo: platform\n", "utf-8"
    )
    result = run_cli("related", "pay/INC-2024-0003", "--org", str(org), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["team"] == "pay"
    assert [(s["team"], s["id"]) for s in data["suggestions"]] == [
        ("plat", "INC-2023-0001"),
        ("pay", "INC-2023-0002"),
    ]


def test_a_cross_team_link_counts_as_a_link(tmp_path: Path) -> None:
    payments, platform = two_teams(tmp_path, extra="related: [platform/INC-2023-0001]\n")
    result = run_cli("related", "INC-2024-0003", "--repo", str(payments), "--repo", str(platform))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == (
        "    named in its related; same service orders-api; shared tag capacity-limit; "
        "'connection pool' in both root causes"
    )


def test_an_uncleared_security_incident_of_any_team_is_never_suggested(tmp_path: Path) -> None:
    payments, platform = two_teams(tmp_path)
    secret = platform / "2023/Q1/INC-2023-0001-x.md"
    secret.write_text(secret.read_text("utf-8").replace("status:", "security: true\nstatus:"))
    result = run_cli("related", "INC-2024-0003", "--repo", str(payments), "--repo", str(platform))
    assert result.exit_code == 0, result.output
    assert "INC-2023-0001" not in result.output
    asked = run_cli("related", "INC-2023-0001", "--repo", str(payments), "--repo", str(platform))
    assert asked.exit_code == 0, asked.output
    assert asked.output.strip() == (
        "INC-2023-0001 is a security incident not cleared for publication: "
        "pmrepo compares it with none"
    )


def test_an_id_two_teams_use_must_name_its_team(tmp_path: Path) -> None:
    payments, platform = two_teams(tmp_path)
    repository(platform, post_mortem("INC-2024-0003", "2024-04-01", "Other", CERT))
    result = run_cli("related", "INC-2024-0003", "--repo", str(payments), "--repo", str(platform))
    assert result.exit_code == 2
    assert "several teams' incidents (payments/INC-2024-0003, platform/INC-2024-0003)" in (
        result.output
    )
    named = run_cli(
        "related", "platform/INC-2024-0003", "--repo", str(payments), "--repo", str(platform)
    )
    assert named.exit_code == 0, named.output
    assert named.output.startswith("Earlier incidents like platform/INC-2024-0003 (Other):")


def test_a_root_and_repo_together_are_refused(tmp_path: Path) -> None:
    payments, platform = two_teams(tmp_path)
    result = run_cli("related", "INC-2024-0003", str(payments), "--repo", str(platform))
    assert result.exit_code == 2
    assert "not both" in result.output
