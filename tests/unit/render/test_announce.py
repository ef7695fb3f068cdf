"""pmrepo announce: the publish announcement as plain text and as a Slack Block Kit message."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import GOLDEN, SAMPLE_REPO, run_cli

SLACK_URL = "https://sre.example.com/post-mortems"


def slack_problems(message: dict[str, Any]) -> list[str]:
    """What Slack's published Block Kit limits refuse in a message (chat.postMessage):
    at most 50 blocks; a header's plain text at most 150 characters; a section's text at
    most 3,000 and at most 10 fields of 2,000; a button's text at most 75 and its URL at
    most 3,000; an actions block at most 25 elements."""
    problems = []
    blocks = message.get("blocks", [])
    if not isinstance(message.get("text"), str) or not message["text"]:
        problems.append("no fallback text")
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks")
    for number, block in enumerate(blocks):
        kind = block["type"]
        if kind == "header":
            text = block["text"]
            if text["type"] != "plain_text" or len(text["text"]) > 150:
                problems.append(f"block {number}: header text")
        elif kind == "section":
            if "text" in block and len(block["text"]["text"]) > 3000:
                problems.append(f"block {number}: section text")
            fields = block.get("fields", [])
            if len(fields) > 10 or any(len(field["text"]) > 2000 for field in fields):
                problems.append(f"block {number}: fields")
            if "text" not in block and not fields:
                problems.append(f"block {number}: empty section")
        elif kind == "actions":
            elements = block["elements"]
            if len(elements) > 25:
                problems.append(f"block {number}: elements")
            for element in elements:
                if len(element["text"]["text"]) > 75 or len(element.get("url", "")) > 3000:
                    problems.append(f"block {number}: button")
        else:
            problems.append(f"block {number}: unexpected type {kind}")
    return problems


def test_the_text_announcement_of_sample_repo_matches_its_golden_file() -> None:
    result = run_cli("announce", "INC-2024-0015", str(SAMPLE_REPO))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / "announce-INC-2024-0015.txt").read_text("utf-8")


def test_the_slack_announcement_matches_its_golden_file_and_slack_limits() -> None:
    result = run_cli(
        "announce", "INC-2024-0015", str(SAMPLE_REPO), "--format", "slack", "--site-url", SLACK_URL
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / "announce-INC-2024-0015.json").read_text("utf-8")
    assert slack_problems(json.loads(result.stdout)) == []


def _hostile(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8")
    long_title = "<!channel> Outage " + "very " * 60 + "long"
    text = text.replace(
        "title: Samsung Pay — Payment Processing Latency Degradation", f"title: '{long_title}'"
    )
    text = text.replace(
        "### Root Cause\n\n",
        "### Root Cause\n\n<@U123> and <https://evil.example|click> " + "word " * 1000 + ".\n",
    )
    path.write_text(text, "utf-8")


def test_what_a_post_mortem_says_is_neither_a_mention_nor_too_long(repo: Path) -> None:
    _hostile(repo)
    result = run_cli("announce", "INC-2024-0015", str(repo), "--format", "slack")
    message = json.loads(result.stdout)
    assert slack_problems(message) == []
    assert message["blocks"][0]["text"]["text"].endswith("…")
    assert len(message["blocks"][0]["text"]["text"]) == 150
    root_cause = message["blocks"][3]["text"]["text"]
    assert root_cause.startswith("*Root cause*\n&lt;@U123&gt; and https://evil.example|click")
    assert len(root_cause) == 3000
    # Only the header, plain text that Slack never reads as markup, says it as written.
    mrkdwn = [message["text"], *(json.dumps(block) for block in message["blocks"][1:])]
    assert message["text"].startswith("Post-mortem published: INC-2024-0015: &lt;!channel&gt;")
    assert not any("<!" in text or "<@" in text for text in mrkdwn)


def test_an_uncleared_security_incident_is_not_announced(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    path.write_text(path.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    result = run_cli("announce", "INC-2024-0003", str(repo))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "INC-2024-0003: a security incident not cleared for publication" in result.stderr


def test_an_unknown_id_is_a_usage_error() -> None:
    result = run_cli("announce", "INC-2024-9999", str(SAMPLE_REPO))
    assert result.exit_code == 2
    assert "INC-2024-9999: no post-mortem with this id" in result.stderr


def test_a_post_mortem_not_published_is_refused() -> None:
    for incident_id, status in (("INC-2024-0048", "DRAFT"), ("INC-2024-0034", "IN REVIEW")):
        result = run_cli(
            "announce", incident_id, str(SAMPLE_REPO), "--format", "slack",
            "--site-url", "https://pm.example.com/",
        )  # fmt: skip
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"pmrepo: error: {incident_id}: its status is {status}, not PUBLISHED: announce it "
            "once it is published (or give --unpublished); nothing was written\n"
        )


def test_unpublished_says_so_and_links_a_draft_to_its_file() -> None:
    result = run_cli(
        "announce", "INC-2024-0048", str(SAMPLE_REPO), "--unpublished",
        "--site-url", "https://pm.example.com/",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "Post-mortem (DRAFT, not published yet): INC-2024-0048: Payment API"
    )
    assert "Read it: 2024/Q4/INC-2024-0048-payment-api-webhook-retry-storm.md" in result.stdout
    review = run_cli(
        "announce", "INC-2024-0034", str(SAMPLE_REPO), "--unpublished",
        "--site-url", "https://pm.example.com/",
    )  # fmt: skip
    assert "Read it: https://pm.example.com/incidents/INC-2024-0034.html" in review.stdout


def test_the_site_url_must_be_the_http_address_of_the_site() -> None:
    refused = {
        "pm.example.com": "is not an http:// or https:// address",
        "javascript:alert(1)": "is not an http:// or https:// address",
        "https://h/?a=1#x": "has a query or a fragment",
        "https://h/" + "a" * 3000: "more than the 3000 Slack takes",
    }
    for site_url, reason in refused.items():
        result = run_cli(
            "announce", "INC-2024-0015", str(SAMPLE_REPO), "--site-url", site_url
        )  # fmt: skip
        assert (result.exit_code, result.stdout) == (2, ""), site_url
        assert result.stderr.startswith("pmrepo: error: --site-url: ") and reason in result.stderr
    for site_url in ("https://pm.example.com", "HTTPS://pm.example.com/docs/index.html"):
        result = run_cli("announce", "INC-2024-0015", str(SAMPLE_REPO), "--site-url", site_url)
        assert result.exit_code == 0, result.stderr
        assert f"Read it: {site_url.removesuffix('/docs/index.html')}" in result.stdout
        assert result.stdout.rstrip().endswith("/incidents/INC-2024-0015.html")


def test_a_cut_never_ends_inside_an_escape(repo: Path) -> None:
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8")
    for offset in range(4):  # the cut lands on each character of '&gt;'
        impact = "x" * offset + "a<b& " * 1000
        changed = text.replace("### User Impact\n\n", f"### User Impact\n\n{impact}\n\n")
        path.write_text(changed, "utf-8")
        result = run_cli("announce", "INC-2024-0015", str(repo), "--format", "slack")
        section = json.loads(result.stdout)["blocks"][2]["text"]["text"]
        assert section.startswith("*Impact*\n") and section.endswith("…")
        assert re.search(r"&[a-z]*…$", section) is None, section[-12:]
        assert slack_problems(json.loads(result.stdout)) == []


def test_output_writes_the_announcement_to_a_file(tmp_path: Path) -> None:
    output = tmp_path / "message.json"
    result = run_cli(
        "announce", "INC-2024-0015", str(SAMPLE_REPO), "--format", "slack",
        "--site-url", SLACK_URL, "--output", str(output),
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (0, f"wrote {output}\n")
    assert output.read_text("utf-8") == (GOLDEN / "announce-INC-2024-0015.json").read_text("utf-8")
