"""pmrepo digest: the newsletter summary of the post-mortems published in a period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLE_REPO, git_env, run, run_cli

JANUARY = ("--since", "2024-01-01", "--today", "2024-01-31")


@pytest.mark.parametrize(
    ("output_format", "suffix"), [("markdown", "md"), ("html", "html"), ("text", "txt")]
)
def test_the_digest_of_sample_repo_matches_its_golden_file(output_format: str, suffix: str) -> None:
    result = run_cli("digest", str(SAMPLE_REPO), *JANUARY, "--format", output_format)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"digest-2024-01.{suffix}").read_text("utf-8")


def test_a_week_is_the_seven_days_before_today() -> None:
    # INC-2024-0015 was published on 2024-01-17: in the week before the 24th, not the 18th
    # nor the 17th (the day it was published, which the next week's digest covers).
    inside = run_cli("digest", str(SAMPLE_REPO), "--week", "--today", "2024-01-24")
    assert inside.stdout.splitlines()[0] == (
        "# Post-mortem digest: 1 post-mortem published from 2024-01-17 to 2024-01-23"
    )
    assert "## INC-2024-0015: " in inside.stdout
    for outside in ("2024-01-17", "2024-01-25"):
        result = run_cli("digest", str(SAMPLE_REPO), "--week", "--today", outside)
        assert "INC-2024-0015" not in result.stdout


def test_weekly_digests_list_each_post_mortem_once() -> None:
    mondays = [f"2024-{month:02d}-{day:02d}" for month, day in ((1, 8), (1, 15), (1, 22), (1, 29))]
    listed = [
        line
        for monday in mondays
        for line in run_cli("digest", str(SAMPLE_REPO), "--today", monday).stdout.splitlines()
        if line.startswith("## ")
    ]
    golden = (GOLDEN / "digest-2024-01.md").read_text("utf-8")
    assert listed == [line for line in golden.splitlines() if line.startswith("## ")]


def test_since_and_week_together_are_a_usage_error() -> None:
    result = run_cli("digest", str(SAMPLE_REPO), "--week", "--since", "2024-01-01")
    assert result.exit_code == 2
    assert result.stderr == "pmrepo: error: give --since or --week, not both\n"


def test_an_uncleared_security_incident_is_counted_not_listed(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    path.write_text(path.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    result = run_cli("digest", str(repo), *JANUARY, "--format", "text")
    assert "INC-2024-0003" not in result.stdout
    assert "Wallet API" not in result.stdout
    assert (
        "1 security incident not cleared for publication published in the period, not listed."
        in result.stdout
    )


def test_the_html_digest_shows_a_title_as_text(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8").replace(
        "title: Samsung Pay — Payment Processing Latency Degradation",
        "title: '<script>alert(1)</script> {{ 7*7 }}'",
    )
    path.write_text(text, "utf-8")
    result = run_cli("digest", str(repo), *JANUARY, "--format", "html")
    assert (
        "<h2>INC-2024-0015: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}</h2>" in result.stdout
    )
    markdown = run_cli("digest", str(repo), *JANUARY).stdout
    assert "## INC-2024-0015: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7\\*7 }}" in markdown


def test_a_shallow_clone_names_what_it_cannot_date(repo: Path, tmp_path: Path) -> None:
    env = git_env(tmp_path)
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    path.write_text(path.read_text("utf-8").replace("published_at: 2024-01-17T11:00:00Z\n", ""))
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "post-mortems"]):
        run(["git", *args], repo, env)
    shallow = tmp_path / "shallow"
    run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], tmp_path, env)
    result = run(
        ["pmrepo", "digest", "--since", "2000-01-01", "--today", "2024-12-31"], shallow, env
    )
    assert result.returncode == 0
    assert "## INC-2024-0015" not in result.stdout
    assert result.stderr == (
        "pmrepo: warning: INC-2024-0015: PUBLISHED with no published_at, and git does not say "
        "when the file was first committed (a shallow clone has no such history: check out "
        "with fetch-depth: 0; or the file is not committed): left out of the digest; give "
        "each a published_at\n"
    )
    # With the history, its day is the day git first saw it.
    full = run(["pmrepo", "digest", "--since", "2000-01-01"], repo, env)
    assert "## INC-2024-0015" in full.stdout and full.stderr == ""


def test_a_published_at_with_an_offset_counts_by_its_day_in_utc(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("2024-01-17T11:00:00Z", "2024-01-18T01:00:00+09:00"), "utf-8")
    on_the_17th = run_cli("digest", str(repo), "--since", "2024-01-17", "--today", "2024-01-17")
    on_the_18th = run_cli("digest", str(repo), "--since", "2024-01-18", "--today", "2024-01-18")
    assert "## INC-2024-0015" in on_the_17th.stdout
    assert "INC-2024-0015" not in on_the_18th.stdout


def test_site_url_links_each_post_mortem_and_output_writes_a_file(tmp_path: Path) -> None:
    site = ("--site-url", "https://pm.example.com/")
    text = run_cli("digest", str(SAMPLE_REPO), *JANUARY, *site, "--format", "text").stdout
    assert "Read it: https://pm.example.com/incidents/INC-2024-0015.html\n" in text
    markdown = run_cli("digest", str(SAMPLE_REPO), *JANUARY, *site).stdout
    assert (
        "[Read the post-mortem](<https://pm.example.com/incidents/INC-2024-0015.html>)" in markdown
    )
    html = run_cli("digest", str(SAMPLE_REPO), *JANUARY, *site, "--format", "html").stdout
    assert '<a href="https://pm.example.com/incidents/INC-2024-0015.html">' in html
    bad = run_cli("digest", str(SAMPLE_REPO), *JANUARY, "--site-url", "pm.example.com")
    assert bad.exit_code == 2 and "is not an http:// or https:// address" in bad.stderr
    output = tmp_path / "digest.md"
    written = run_cli("digest", str(SAMPLE_REPO), *JANUARY, "--output", str(output))
    assert (written.exit_code, written.stdout) == (0, f"wrote {output}\n")
    assert output.read_text("utf-8") == (GOLDEN / "digest-2024-01.md").read_text("utf-8")


def test_the_slack_digest_links_each_title_and_keeps_to_slacks_limits(repo: Path) -> None:
    from test_announce import slack_problems

    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8").replace(
        "title: Samsung Pay — Payment Processing Latency Degradation",
        "title: '<!channel> a|b'",
    )
    path.write_text(text, "utf-8")
    result = run_cli(
        "digest", str(repo), *JANUARY, "--format", "slack", "--site-url", "https://pm.example.com"
    )
    message = json.loads(result.stdout)
    assert slack_problems(message) == []
    sections = [block["text"]["text"] for block in message["blocks"][1:]]
    assert len(sections) == 3
    assert sections[2].startswith(
        "*<https://pm.example.com/incidents/INC-2024-0015.html|"
        "INC-2024-0015: &lt;!channel&gt; a¦b>*\n"
        "SEV2, 2024-01-15, lasted 22 min, published 2024-01-17.\nOn January 15, 2024"
    )
    assert "<!" not in result.stdout
