"""Options of pmrepo new and pmrepo actions: repeated lists add up, choices are listed as
the schema spells them."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_repeated_services_add_up(repo: Path) -> None:
    made = run_cli(
        "new",
        str(repo),
        "--title",
        "Queue backlog",
        "--severity",
        "sev3",
        "--date",
        "2024-12-02",
        "--services",
        "payment-api",
        "--services",
        "knox-api, queue",
    )
    assert made.exit_code == 0, made.stderr
    text = Path(made.stdout.strip()).read_text("utf-8")
    assert 'services: ["payment-api", "knox-api", "queue"]\n' in text
    assert "severity: SEV3\n" in text


def test_an_unknown_severity_lists_the_schema_spelling(repo: Path) -> None:
    result = run_cli("new", str(repo), "--title", "x", "--severity", "SEV5")
    assert result.exit_code == 2
    assert "'SEV5' is not one of 'SEV1', 'SEV2', 'SEV3', 'SEV4'." in result.stderr
    assert "--severity [SEV1|SEV2|SEV3|SEV4]" in run_cli("new", "--help").stdout


def test_an_unknown_priority_lists_the_schema_spelling(repo: Path) -> None:
    result = run_cli("actions", str(repo), "--priority", "P9")
    assert result.exit_code == 2
    assert "'P9' is not one of 'P0', 'P1', 'P2'." in result.stderr
    assert "--priority [P0|P1|P2]" in run_cli("actions", "--help").stdout
    assert run_cli("actions", str(repo), "--priority", "p0").exit_code == 0
