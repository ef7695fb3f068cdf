"""pmrepo review-deck: the quarterly incident review as Marp slides and one HTML file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLE_REPO, run_cli

QUARTER = ("--quarter", "2024Q1", "--today", "2024-04-15")


@pytest.mark.parametrize(("output_format", "suffix"), [("marp", "md"), ("html", "html")])
def test_the_deck_of_sample_repo_matches_its_golden_file(output_format: str, suffix: str) -> None:
    result = run_cli("review-deck", str(SAMPLE_REPO), *QUARTER, "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"review-deck-2024Q1.{suffix}").read_text("utf-8")


def test_the_marp_deck_has_a_slide_per_part() -> None:
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
        "Open P0 and P1 action items",
        "Patterns",
    ]
    # Printed, a chart slide gives its numbers; Marp shows no data:image/svg+xml image.
    assert "data:" not in deck
    assert deck.count("The chart is drawn when the deck is written to a file (--output).") == 4
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


def test_a_marp_deck_written_to_a_file_shows_its_charts_from_svg_files(tmp_path: Path) -> None:
    output = tmp_path / "q1 deck.md"
    result = run_cli("review-deck", str(SAMPLE_REPO), *QUARTER, "--output", str(output))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {output}, {tmp_path / 'q1 deck-charts'}\n"
    deck = output.read_text("utf-8")
    images = re.findall(r"!\[bg right:55% fit ([^\]]+)\]\(([^)]+)\)", deck)
    assert [target for _, target in images] == [
        f"q1%20deck-charts/chart-{name}.svg"
        for name in ("severity", "repeats", "response", "actions")
    ]
    assert images[0][0].startswith("Stacked bars: incidents in each quarter")
    charts = sorted(p.name for p in (tmp_path / "q1 deck-charts").iterdir())
    assert charts == [
        ".pmrepo-deck-charts",
        "chart-actions.svg",
        "chart-repeats.svg",
        "chart-response.svg",
        "chart-severity.svg",
    ]
    svg = (tmp_path / "q1 deck-charts/chart-severity.svg").read_text("utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "data:" not in deck and "The chart is drawn" not in deck


def test_a_charts_folder_pmrepo_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deck-charts").mkdir()
    (tmp_path / "deck-charts/mine.svg").write_text("<svg/>", "utf-8")
    result = run_cli("review-deck", str(SAMPLE_REPO), *QUARTER, "-o", str(tmp_path / "deck.md"))
    assert result.exit_code == 2
    assert "a folder pmrepo did not build" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck-charts"]


def test_long_text_and_lists_are_carried_onto_more_slides(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8")
    long_summary = "Word " * 200
    text = text.replace("## Executive Summary\n\n", f"## Executive Summary\n\n{long_summary}\n\n")
    rows = "".join(
        f"| {n} | Extra item {n} | sre-team | P1 | 2024-02-{n:02d} | OPEN |\n"
        for n in range(10, 20)
    )
    last_row = "| sre-team | P1 | 2024-02-05 | OPEN |\n"
    path.write_text(text.replace(last_row, last_row + rows, 1), "utf-8")
    deck = run_cli("review-deck", str(repo), *QUARTER).stdout
    titles = [line[3:] for line in deck.splitlines() if line.startswith("## ")]
    assert titles.count("Open P0 and P1 action items (continued)") == 2
    slide = deck.split("## INC-2024-0015: ")[1].split("\n---\n")[0]
    paragraph = next(line for line in slide.splitlines() if line.startswith("Word "))
    assert len(paragraph) == 360 and paragraph.endswith("Word…")
    for page in deck.split("\n---\n"):
        assert sum(line.startswith("- ") for line in page.splitlines()) <= 6
        assert sum(line.startswith("| ") for line in page.splitlines()) <= 10


def test_a_repeat_of_an_uncleared_security_incident_does_not_name_it(repo: Path) -> None:
    secret = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    secret.write_text(secret.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8").replace("related:\n  - INC-2023-0089\n", "related: []\n")
    path.write_text(
        text.replace("near_miss: false\n", "near_miss: false\nrepeat_of: INC-2024-0003\n")
    )
    for output_format in ("marp", "html"):
        result = run_cli("review-deck", str(repo), *QUARTER, "--format", output_format)
        assert result.exit_code == 0, result.stderr
        assert "INC-2024-0003" not in result.stdout


def test_a_quarter_after_today_is_a_usage_error() -> None:
    result = run_cli(
        "review-deck", str(SAMPLE_REPO), "--quarter", "2030Q1", "--today", "2024-12-15"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: --quarter: Q1 2030 starts after 2024-12-15 (--today): there is nothing "
        "to review yet\n"
    )
    # The quarter today is in is reviewed as it stands.
    assert (
        run_cli(
            "review-deck", str(SAMPLE_REPO), "--quarter", "2024Q4", "--today", "2024-12-15"
        ).exit_code
        == 0
    )
