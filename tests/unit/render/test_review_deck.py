"""pmrepo review-deck: the quarterly incident review as Marp slides and one HTML file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLE_REPO, run_cli

QUARTER = ("--quarter", "2024Q1", "--today", "2024-04-15")


@pytest.mark.parametrize(("output_format", "suffix"), [("marp", "md"), ("html", "html")])
def test_the_deck_of_sample_repo_matches_its_golden_file(output_format: str, suffix: str) -> None:
    result = run_cli("review-deck", str(SAMPLE_REPO), *QUARTER, "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"review-deck-2024Q1.{suffix}").read_text("utf-8")


def test_the_marp_deck_has_a_slide_per_part_and_its_charts_inline() -> None:
    deck = (GOLDEN / "review-deck-2024Q1.md").read_text("utf-8")
    titles = [line[3:] for line in deck.splitlines() if line.startswith("## ")]
    assert titles == [
        "Incident review: Q1 2024",
        "In numbers",
        "Incidents per quarter by severity",
        "Repeat rate per quarter, with its target",
        "Time to detect and to resolve, per quarter (minutes)",
        "Action items opened and closed, per quarter",
        "The quarter's incidents",
        "INC-2024-0003: Wallet API — CDN Cache Invalidation Failure Served Personalized "
        "Responses Across Sessions",
        "INC-2024-0015: Samsung Pay — Payment Processing Latency Degradation",
        "Action items",
        "Patterns",
    ]
    assert deck.count("](data:image/svg+xml;base64,") == 4
    assert deck.count("\n---\n") == len(titles) - 1 + 1  # the front matter's closing line too


def test_an_uncleared_security_incident_is_counted_not_shown(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    path.write_text(path.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    for output_format in ("marp", "html"):
        result = run_cli("review-deck", str(repo), *QUARTER, "--format", output_format)
        assert "INC-2024-0003" not in result.stdout
        assert "Wallet API" not in result.stdout
        assert "1 security incident not cleared for publication counted here" in result.stdout
        assert "| Incidents | 3 | 1 |" in result.stdout or "<td>3</td>" in result.stdout


def test_a_title_is_shown_as_text(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8").replace(
        "title: Samsung Pay — Payment Processing Latency Degradation",
        "title: '<script>x</script> [a](javascript:y) | cell'",
    )
    path.write_text(text, "utf-8")
    marp = run_cli("review-deck", str(repo), *QUARTER).stdout
    assert "## INC-2024-0015: &lt;script&gt;x&lt;/script&gt; \\[a\\](javascript:y) \\| cell" in marp
    html = run_cli("review-deck", str(repo), *QUARTER, "--format", "html").stdout
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; [a](javascript:y) | cell" in html


def test_a_quarter_that_is_none_is_a_usage_error() -> None:
    result = run_cli("review-deck", str(SAMPLE_REPO), "--quarter", "2024Q5")
    assert result.exit_code == 2
    assert result.stderr == "pmrepo: error: --quarter: '2024Q5' is not a quarter like 2024Q1\n"
