"""`repeat_of: platform/INC-…`, a repeat of another team's incident: pmrepo review and pmrepo
report count it as a repeat across teams, and pmrepo related ranks it as a repeat link, as
they do a `related` link to another team's incident."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from related_repos import CERT, POOL, post_mortem

from postmortem_repo import api
from postmortem_repo.repo.corpus import merged_index


def teams(tmp_path: Path, link: str = "repeat_of: platform/INC-2022-0001") -> list[str]:
    """payments' INC-2024-0003 names platform's INC-2022-0001 (20 months before it: outside
    the repeat window; no service or tag in common, no word either): only the link makes
    it a repeat. Returns the --repo options."""
    written = {
        "payments": post_mortem(
            *("INC-2024-0003", "2024-02-10", "Checkout config rollback", CERT),
            services="checkout",
            tags="config-change",
            extra=f"severity: SEV2\n{link}\n",
        ),
        "platform": post_mortem(
            *("INC-2022-0001", "2022-06-01", "Edge pool exhausted", POOL),
            services="edge",
            tags="capacity-limit",
            extra="severity: SEV2\n",
        ),
    }
    for team, (relpath, text) in written.items():
        path = tmp_path / team / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return ["--repo", str(tmp_path / "payments"), "--repo", str(tmp_path / "platform")]


def test_review_shows_a_repeat_of_another_teams_incident(tmp_path: Path) -> None:
    result = run_cli("review", "--month", "2024-02", *teams(tmp_path))
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert (
        "| payments | INC-2024-0003 | 2024-02-10 | SEV2 | Checkout config rollback | checkout | "
        "config-change | platform/INC-2022-0001 (repeat\\_of) |"
    ) in lines
    section = lines.index("## Repeats across teams")
    assert lines[section + 2] == (
        "- payments/INC-2024-0003 repeats platform/INC-2022-0001: repeat\\_of"
    )
    as_json = run_cli("review", "--month", "2024-02", *teams(tmp_path), "--format", "json")
    reviewed = json.loads(as_json.stdout)["incidents"][0]
    assert reviewed["repeat_across_teams"] == {
        "incident": "payments/INC-2024-0003",
        "earlier": "platform/INC-2022-0001",
        "reason": "repeat_of",
    }


def test_report_counts_it_among_the_organisations_repeats(tmp_path: Path) -> None:
    result = run_cli("report", *teams(tmp_path), "--year", "2024", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert (report["incidents"], report["repeat_incidents"]) == (1, 1)
    # The team's own figures follow its own repository's repeats, as before.
    assert report["teams"]["payments"]["repeat_incidents"] == 0


def test_a_related_link_to_another_team_counts_as_a_repeat_across_teams_too(
    tmp_path: Path,
) -> None:
    """The repeat definition: named by repeat_of, or in related, or a shared cause."""
    options = teams(tmp_path, "related: [platform/INC-2022-0001]")
    result = run_cli("review", "--month", "2024-02", *options)
    assert "- payments/INC-2024-0003 repeats platform/INC-2022-0001: related" in result.stdout


def test_a_link_to_an_uncleared_security_incident_makes_no_repeat_shown(tmp_path: Path) -> None:
    options = teams(tmp_path)
    secret = tmp_path / "platform/2022/Q2/INC-2022-0001-x.md"
    secret.write_text(secret.read_text("utf-8").replace("status:", "security: true\nstatus:"))
    result = run_cli("review", "--month", "2024-02", *options)
    assert "No incident repeats another team's." in result.stdout


def test_related_ranks_it_as_a_repeat_link(tmp_path: Path) -> None:
    options = teams(tmp_path)
    result = run_cli("related", "INC-2024-0003", *options)
    assert result.stdout.splitlines()[1:3] == [
        " 1. platform/INC-2022-0001  2022-06-01  score 1.00  Edge pool exhausted",
        "    named in its repeat_of",
    ]


def test_found_through_rare_words_a_linked_incident_of_another_team_is_still_compared(
    tmp_path: Path,
) -> None:
    """With index_words (a check of many post-mortems), candidates come through rare words
    and links: a link to another team's incident is one."""
    teams(tmp_path)
    index = merged_index(
        [(team, api.related_index(tmp_path / team)) for team in ("payments", "platform")]
    )
    index.index_words()
    target = index.named("payments/INC-2024-0003")[0]
    assert [(s.incident.name, s.reason) for s in index.suggest(target)] == [
        ("platform/INC-2022-0001", "named in its repeat_of")
    ]


def test_a_repeat_of_another_team_is_kept_beside_a_related_link_of_its_own_team(
    tmp_path: Path,
) -> None:
    """repeat_of comes before related in the repeat definition, across teams too: the site
    shows the repeat both ways, and the related link beside it."""
    options = teams(tmp_path, "repeat_of: platform/INC-2022-0001\nrelated: [INC-2024-0001]")
    relpath, text = post_mortem("INC-2024-0001", "2024-01-05", "Checkout slow", CERT)
    (tmp_path / "payments" / relpath).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "payments" / relpath).write_text(text, "utf-8")
    review = run_cli("review", "--month", "2024-02", *options)
    assert "- payments/INC-2024-0003 repeats platform/INC-2022-0001: repeat\\_of" in review.stdout
    site = tmp_path / "site"
    built = run_cli("site", *options, "--output", str(site), "--today", "2024-03-01")
    assert (built.exit_code, built.stderr) == (0, "")
    page = (site / "incidents/payments-INC-2024-0003.html").read_text("utf-8")
    assert (
        'Repeats <a href="../incidents/platform-INC-2022-0001.html">platform/INC-2022-0001</a> '
        "Edge pool exhausted (repeat_of)"
    ) in page
    assert 'Related: <a href="../incidents/payments-INC-2024-0001.html">' in page
    earlier = (site / "incidents/platform-INC-2022-0001.html").read_text("utf-8")
    assert (
        'Repeated by <a href="../incidents/payments-INC-2024-0003.html">payments/INC-2024-0003</a>'
    ) in earlier
