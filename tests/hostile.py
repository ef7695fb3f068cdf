"""Post-mortems with one hostile line or cell in them: each once took pmrepo time that grew
with the square (or worse) of its length. SHAPES[name](n) is the sample post-mortem with n
characters of that shape inserted where a writer (or a hostile pull request) could put them,
and the config (YAML) the check reads, or None for the sample repository's own."""

from __future__ import annotations

from collections.abc import Callable

from conftest import SAMPLE_REPO

SEED_PATH = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
SEED = (SAMPLE_REPO / SEED_PATH).read_text("utf-8")


def _replaced(old: str, new: str) -> str:
    assert old in SEED
    return SEED.replace(old, new, 1)


def paragraph(text: str) -> str:
    """The seed with text as a paragraph of its Executive Summary."""
    return _replaced("## Impact\n", text + "\n\n## Impact\n")


def _times(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


SUPPRESSIONS = "<!-- pmrepo-disable PM1 PM2 -->\n<!-- pmrepo-enable PM3 -->\n"

SHAPES: dict[str, Callable[[int], str]] = {
    # PM307 reads every line with inline code blanked.
    "backtick line": lambda n: paragraph("x " + "`" * n),
    # The blameless rules mask code, comments and quotes in prose.
    "backticks in prose": lambda n: paragraph("Alice forgot " + "`" * n),
    "dots in prose": lambda n: paragraph("Alice forgot " + "." * n + "x"),
    "unclosed comments in prose": lambda n: paragraph("Alice forgot " + _times("<!--", n)),
    "spaces in a heading": lambda n: paragraph("### Notes x" + " " * n + "y"),
    "digits in a duration": lambda n: _replaced(
        "| Total Duration | 22 minutes |", "| Total Duration | " + "1" * n + "x |"
    ),
    "spaces in an owner": lambda n: _replaced(
        "| sre-team | P0 | 2024-01-22 | DONE |", "| a" + " " * n + "b | P0 | 2024-01-22 | DONE |"
    ),
    "spaces in a source": lambda n: _replaced(
        "| 14:23:00 | deployment |", "| 14:23:00 | a" + " " * n + "b |"
    ),
    "stars in a time": lambda n: _replaced(
        "| 14:50:00 | human |", "| 14:50" + "*" * n + "x | human |"
    ),
    "spaces in started_at": lambda n: _replaced(
        "started_at: 2024-01-15T14:23:00Z", "started_at: '2024-01-15T14:23" + " " * n + "x'"
    ),
    "parentheses in a due date": lambda n: _replaced(
        "| P0 | 2024-01-22 | DONE |", "| P0 | " + "(" * n + " | DONE |"
    ),
    # Masked text becomes spaces: a cause, an 'if' or a name before a long run of them.
    "a comment after a cause": lambda n: paragraph(
        "It failed because Alice <!-- " + "x" * n + " --> x."
    ),
    "spaces after if": lambda n: paragraph("If" + " " * n + "so, Zainab would have seen it."),
    "spaces after a name and a dash": lambda n: paragraph("Zainab -" + " " * n + "x"),
    "spaces in a pairing": lambda n: paragraph("Alice will work" + " " * n + "with a senior."),
    # One endless sentence: each 'who' looked for its sentence's start, end and opening.
    "a chain of who clauses": lambda n: paragraph("Alice" + _times(" who broke it", n) + "."),
    # Spaces (what masking leaves of a long URL) after an act, a duty's owner or a name.
    "spaces after an act in a cause": lambda n: _replaced(
        "### Root Cause\n",
        "### Root Cause\n\nThe config was deployed by Ana and" + " " * n + "x.\n",
    ),
    "spaces after a duty's owner": lambda n: paragraph(
        "It was the duty of the ops section" + " " * n + "x."
    ),
    "spaces after a name and a link": lambda n: paragraph(
        "Checkout failed after Siosaia Taufa" + " " * n + "x."
    ),
    # Many sanctions, approvals and judgements in one endless sentence.
    "approvals in one sentence": lambda n: _replaced(
        "## Related Incidents\n",
        "the DBA needs lead sign-off " * max(1, n // 28) + "\n\n## Related Incidents\n",
    ),
    "a team needing approval, repeated": lambda n: paragraph(_times("team need approval ", n)),
    "hasty, repeated": lambda n: paragraph(_times("hasty ", n)),
    # Whose work, named again and again: read once, not once per 'of'.
    "the work of the work of": lambda n: paragraph("It was caused by " + _times("the work of ", n)),
    "unclosed placeholders": lambda n: paragraph(_times("[TODO ", n)),
    "suppressions never closed": lambda n: paragraph(_times(SUPPRESSIONS, n)),
}

# blameless.extra with more phrases than re's cache of compiled patterns (512) holds.
EXTRA_PHRASES = "root: .\nblameless:\n  extra:\n    PM403:\n" + "".join(
    f"      - 'zq phrase number {i}'\n" for i in range(1000)
)
