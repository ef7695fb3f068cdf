"""pmrepo check ROOT ROOT ROOT: each repository given is checked as its own, with its own
config and its own ids, as three separate checks would (no PM106 across repositories, no
PM703 for an id of another root); what works on one repository at a time is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from org_repos import org_repos
from related_repos import POOL, post_mortem

TEAMS = ("payments", "platform", "data")


@pytest.fixture
def roots(tmp_path: Path) -> list[str]:
    """Three repositories sharing ids (INC-2026-0001 in each); data links its own INC-2025-0007."""
    org_repos(tmp_path)
    path, text = post_mortem("INC-2025-0007", "2025-03-01", "Ingestion lagging", POOL)
    (tmp_path / "data" / path).parent.mkdir(parents=True)
    (tmp_path / "data" / path).write_text(text, "utf-8")
    linking = tmp_path / "data/2026/Q4/INC-2026-0001-x.md"
    text = linking.read_text("utf-8").replace(
        "related: [platform/INC-2026-0001]", "related: [platform/INC-2026-0001, INC-2025-0007]"
    )
    linking.write_text(text, "utf-8")
    return [str(tmp_path / team) for team in TEAMS]


def findings(*args: str) -> tuple[int, list[str]]:
    result = run_cli("check", *args, "--no-cache", "--format", "json")
    assert result.stderr == ""
    found = json.loads(result.stdout)["findings"]
    return result.exit_code, [f"{f['path']}:{f['line']} {f['code']} {f['message']}" for f in found]


def test_each_root_is_checked_as_its_own_repository(roots: list[str]) -> None:
    code, together = findings(*roots, "--select", "PM106,PM703")
    assert (code, together) == (0, [])
    everything = findings(*roots)
    separately = [findings(root) for root in roots]
    assert everything[0] == max(code for code, _ in separately)
    assert everything[1] == sorted(
        (line for _, lines in separately for line in lines),
        key=lambda line: line.split(" ", 1)[0].rsplit(":", 1)[0],
    )


def test_a_duplicate_id_within_one_of_the_roots_is_still_found(roots: list[str]) -> None:
    data = Path(roots[2])
    twin = data / "2026/Q4/INC-2026-0001-twin.md"
    twin.write_text((data / "2026/Q4/INC-2026-0001-x.md").read_text("utf-8"), "utf-8")
    code, found = findings(*roots, "--select", "PM106")
    assert code == 1
    assert [line.split(" ", 2)[1] for line in found] == ["PM106", "PM106"]
    assert all(line.startswith(f"{data}/2026/Q4/INC-2026-0001-") for line in found)


@pytest.mark.parametrize(
    ("option", "asked"),
    [
        ("--changed=HEAD", "--changed works"),
        ("--fix", "--fix, --fix-only and --diff work"),
        ("--diff", "--fix, --fix-only and --diff work"),
        ("--cache-dir", "--cache-dir works"),
    ],
)
def test_what_works_on_one_repository_is_refused_for_several(
    roots: list[str], option: str, asked: str
) -> None:
    cache = "--no-cache" if option != "--cache-dir" else f"{roots[0]}/../cache"
    result = run_cli("check", *roots, option, cache)
    assert result.exit_code == 2
    assert result.stderr == (
        f"pmrepo: error: {asked} on one repository at a time, and the paths are in 3 "
        f"({', '.join(roots)}): run it on each repository on its own\n"
    )
