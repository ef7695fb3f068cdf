"""Each escaper against hostile text: whatever goes in, the output keeps its structure."""

from __future__ import annotations

import io
import json
import os
import re

import mistune
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem_repo.commands.adopt import Proposal, render_config, yaml_comment
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.lint.engine import CheckResult
from postmortem_repo.lint.reporters import (
    GithubReporter,
    TextReporter,
    _log_text,
    step_summary,
    workflow_data,
    workflow_property,
)
from postmortem_repo.render.escape import cell, mermaid_string, terminal_text

SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces attackers use, mixed with any text at all.
HOSTILE_PIECES = st.sampled_from(
    [
        "\x1b[31m",
        "\x1b]8;;https://evil\x07",
        "\x9b2J",
        "\x00",
        "\x7f",
        "\x85",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\ufeff",
        "\r",
        "\n",
        "\r\n",
        "\t",
        '"',
        "'",
        "`",
        "```",
        "|",
        "\\|",
        "\\",
        "%",
        "%0A",
        "%25",
        ":",
        "::",
        ",",
        "=",
        "#",
        "#quot;",
        "%%{init: {}}%%",
        "https://evil.example/x",
        "http://a.b",
        "www.evil.example",
        "WWW.Evil.example",
        "mail@evil.example",
        "@org/team",
        "@alice",
        "~~strike~~",
        "$x^2$",
        "$$",
        "*em*",
        "__strong__",
        "[click](https://evil)",
        "![img](x.png)",
        "<img src=x>",
        "<script>",
        "&lt;",
        "&#64;",
        "<!-- pmrepo:index:start -->",
        "<!-- pmrepo:index:end -->",
        "- key: value",
        "ignore: [PM1, PM7]",
        "# heading",
        "SEV1",
        " ",
        "\udcff",
    ]
)
HOSTILE = st.lists(HOSTILE_PIECES | st.text(max_size=8), max_size=12).map("".join)

_MARKDOWN = mistune.create_markdown(plugins=["table", "url", "strikethrough", "math"])
_MARKUP = re.compile(r"<(?!/?(?:table|thead|tbody|tr|th|td|p)\b)[^>]*>")


def _rendered_cells(html: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", html, re.DOTALL)


@SETTINGS
@given(texts=st.lists(HOSTILE, min_size=1, max_size=3))
def test_markdown_cells_keep_the_table_and_turn_into_no_markup(texts: list[str]) -> None:
    cells = [cell(text) for text in texts]
    for rendered in cells:
        assert "\n" not in rendered and "\r" not in rendered
        assert "<" not in rendered and ">" not in rendered  # no HTML, no marker comment
        assert not re.search(
            "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", rendered
        )
        assert not re.search(r"(?<![\\\w])www\.", rendered, re.I)  # no www. autolink
        assert not re.search(r"[A-Za-z0-9]://", rendered)  # no URL autolink
        assert not re.search(r"@[A-Za-z0-9]", rendered)  # no mention, no e-mail autolink
    header = "| " + " | ".join(f"h{n}" for n in range(len(cells))) + " |"
    table = "\n".join(
        [
            header,
            "|" + "---|" * len(cells),
            "| " + " | ".join(cells) + " |",
            "| x" * len(cells) + " |",
        ]
    )
    html = _MARKDOWN(table)
    assert isinstance(html, str)
    assert html.count("<tr>") == 3  # the header and both rows, none added or lost
    assert len(_rendered_cells(html)) == 2 * len(cells)
    assert _MARKUP.search(html) is None, html  # no link, image, emphasis, strike, code, math


def test_ordinary_cells_are_as_they_were() -> None:
    for text in ("SEV1", "payment-api, checkout", "Database failover — 3 h", "Q1 2024", "50%"):
        assert cell(text) == text
    assert cell("") == "\u2014"


@SETTINGS
@given(labels=st.lists(HOSTILE, min_size=1, max_size=4))
def test_a_mermaid_pie_keeps_one_slice_per_label(labels: list[str]) -> None:
    lines = [f'    "{mermaid_string(label)}" : 1' for label in labels]
    slice_line = re.compile(r'^    "([^"\n]*)" : 1$')
    assert all(slice_line.match(line) for line in lines)
    text = "\n".join(lines)
    assert "%%" not in text and "`" not in text and "<" not in text
    assert not re.search(r"#(?!(?:35|37|96|quot|lt|gt);)", text)  # only pmrepo's entity codes
    # Mermaid decodes the entity codes back into the label.
    for label, line in zip(labels, lines, strict=True):
        decoded = re.sub(
            r"#(35|37|96|quot|lt|gt);",
            lambda m: {"35": "#", "37": "%", "96": "`", "quot": '"', "lt": "<", "gt": ">"}[m[1]],
            slice_line.match(line)[1],  # type: ignore[index]
        )
        assert decoded == " ".join(
            re.sub(
                "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", "", label
            ).split()
        )


@SETTINGS
@given(path=HOSTILE, message=HOSTILE, hint=HOSTILE)
def test_a_text_finding_stays_on_its_line_and_drives_no_terminal(
    path: str, message: str, hint: str
) -> None:
    finding = Finding(path, 3, 7, "PM101", "front-matter-invalid", Severity.ERROR, message, hint)
    stream = io.StringIO()
    TextReporter(stream).report(CheckResult([finding], files_checked=1))
    lines = stream.getvalue().split("\n")
    # the finding, its hint (when there is one), the summary, and the final newline's ''
    assert len(lines) == (4 if hint else 3)
    assert lines[0] == f"{terminal_text(path)}:3:7: PM101 {terminal_text(message)}"
    if hint:
        assert lines[1] == f"    hint: {terminal_text(hint)}"
    for line in lines:
        assert not re.search(
            "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", line
        )


@SETTINGS
@given(text=HOSTILE)
def test_terminal_text_changes_only_what_a_terminal_would_act_on(text: str) -> None:
    shown = terminal_text(text)
    if not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text):
        assert shown == text


def _unescape(text: str) -> str:
    """The runner's decoding of workflow-command values, in its order."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


@SETTINGS
@given(path=HOSTILE.filter(bool), message=HOSTILE, hint=HOSTILE)
def test_a_workflow_command_is_one_line_and_github_reads_back_every_value(
    path: str, message: str, hint: str
) -> None:
    finding = Finding(path, 3, 7, "PM101", "front-matter-invalid", Severity.ERROR, message, hint)
    stream = io.StringIO()
    GithubReporter(stream).report(CheckResult([finding], files_checked=1))
    command, summary, end = stream.getvalue().split("\n")
    assert (summary, end) == ("Found 1 error in 1 file (1 file checked).", "")
    assert "\r" not in command
    # The runner: the properties end at the first '::' after the name, split at ',', '='.
    assert command.startswith("::error ")
    head, data = command[2:].split("::", 1)
    properties = dict(item.split("=", 1) for item in head.split(" ", 1)[1].split(","))
    assert {key: _unescape(value) for key, value in properties.items()} == {
        "file": path,
        "line": "3",
        "col": "7",
        "title": "PM101 front-matter-invalid",
    }
    shown = _unescape(data)
    assert shown == _log_text(message) + (f"\nhint: {_log_text(hint)}" if hint else "")
    # What the log shows has no control but the line breaks the annotation is made of.
    assert not re.search(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", shown
    )
    if not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", message
    ):
        assert shown.startswith(message)  # ordinary text and line breaks arrive as they were


@SETTINGS
@given(text=HOSTILE)
def test_workflow_values_escape_percent_first(text: str) -> None:
    assert _unescape(workflow_data(text)) == text
    assert _unescape(workflow_property(text)) == text
    assert not re.search("[\r\n]", workflow_data(text))
    assert not re.search("[\r\n:,]", workflow_property(text))


@SETTINGS
@given(path=HOSTILE, message=HOSTILE)
def test_the_job_summary_keeps_one_row_per_finding_and_no_markup(path: str, message: str) -> None:
    findings = [
        Finding(path, 1, 1, "PM101", "front-matter-invalid", Severity.ERROR, message, ""),
        Finding("b.md", 2, 1, "PM102", "front-matter-missing", Severity.ERROR, "plain", ""),
    ]
    markdown = step_summary(CheckResult(findings, files_checked=2))
    lines = markdown.split("\n")
    assert lines[:5] == [
        "## pmrepo check",
        "",
        "Found 2 errors in 2 files (2 files checked).",
        "",
        "| File | Line | Rule | Message |",
    ]
    assert len(lines) == 9 and lines[-1] == ""
    html = _MARKDOWN(markdown)
    assert isinstance(html, str)
    assert html.count("<tr>") == 3 and len(_rendered_cells(html)) == 8
    body = re.sub(r"</?(?:h2|p|table|thead|tbody|tr|th|td)>", "", html)
    assert "<" not in body, html


@SETTINGS
@given(notes=st.lists(HOSTILE, max_size=4))
def test_yaml_comments_keep_the_config_as_proposed(notes: list[str]) -> None:
    config = {"layout": {"path": "{year}/{id}.md", "id": "INC-{year}-{seq:4}"}, "exclude": ["x"]}
    proposal = Proposal(config, {}, None, notes)
    text = render_config(proposal)
    assert yaml.safe_load(text) == config
    comments = [line for line in text.split("\n") if line.startswith("#")]
    assert len(comments) == 4 + len(notes)  # the schema modeline, the header, the notes
    for note in notes:
        shown = yaml_comment(note)
        assert not re.search("[\r\n\x85\u2028\u2029]", shown)
        assert json.loads(json.dumps(shown)) == shown
