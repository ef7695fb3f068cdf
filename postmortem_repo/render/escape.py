"""One escaper per kind of text pmrepo writes into Markdown that GitHub renders.

- `cell`: a table cell (or a list item or heading) of the README index, pattern files,
  action dashboards, reports and the GitHub Actions job summary. The text stays on one line,
  cannot break the row, and turns into no markup: no HTML (nor a `<!-- pmrepo:… -->`
  marker), no link, image, emphasis, strike-through, code or math, no autolink
  (`https://…`, `www.…`, `a@b.c`) and no @mention. Controls and bidi overrides are dropped.
- `mermaid_string`: the text inside a quoted Mermaid string (a pie slice's label): no `"`
  that ends the string, no line break that starts a statement, no `%%` directive.

Ordinary text (words, numbers, dates, dashes, commas) comes out as it went in.
"""

from __future__ import annotations

import re
from functools import lru_cache

DASH = "\u2014"
# Control characters (not tab or newline, which whitespace folding turns into spaces):
# invisible, and they make git treat a file as binary. Then the bidi embeddings, overrides
# and isolates, which reorder what a reader sees (U+202A-U+202E, U+2066-U+2069).
_DROPPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible_text(text: str) -> str:
    """text without the characters a reader cannot see or that reorder what they see
    (controls, bidi overrides); tabs and line breaks are kept."""
    return _DROPPED.sub("", text)


# HTML's three, then what Markdown reads as markup or a cell break, each in one pass.
_CELL_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{char: "\\" + char for char in "\\|`*_[]~$"}}
)
# What GitHub links without any markup: a URL's '://', a 'www.' host, an @mention or an
# e-mail address. A backslash escape splits cmark-gfm's text there; a mention is found in
# the rendered text, so a zero-width space (as an entity, visible in the source) follows '@'.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<![^\W_])(www)(\.)|(@)(?=[A-Za-z0-9])", re.I)


def _unlink(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\:"
    if match.group(2):
        return match.group(2) + "\\."
    return "@&#8203;"


@lru_cache(maxsize=8192)  # severities, dates and services recur in every row
def cell(text: str) -> str:
    """Text that cannot break a table row or turn into markup."""
    folded = " ".join(_DROPPED.sub("", text).split()).translate(_CELL_ESCAPES)
    if ":" in folded or "w" in folded or "W" in folded or "@" in folded:
        folded = _AUTOLINK.sub(_unlink, folded)
    return folded or DASH


# A code span as CommonMark reads it: a run of backticks, then the same run again.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def cell_keeping_code(text: str) -> str:
    """A cell whose `code spans` stay code (an action item's `statement_timeout`): inside
    one nothing is markup, so only a '|' is escaped there; the rest is a cell()."""
    folded = " ".join(_DROPPED.sub("", text).split())
    spans = [match for match in _CODE_SPAN.finditer(folded) if match[2].strip()]
    if not spans:
        return cell(folded)
    parts, start = [], 0
    for match in spans:
        parts += [_between(folded[start : match.start()]), match[1]]
        parts += [match[2].replace("|", "\\|"), match[1]]
        start = match.end()
    return "".join([*parts, _between(folded[start:])])


def _between(text: str) -> str:
    """Text beside a code span, escaped, with the space that separates it kept."""
    if not text.strip():
        return text
    return (" " if text[0] == " " else "") + cell(text) + (" " if text[-1] == " " else "")


# Mermaid decodes '#name;' and '#NN;' entity codes in every diagram before parsing it.
_MERMAID_ESCAPES = str.maketrans(
    {
        "#": "#35;",
        '"': "#quot;",
        "%": "#37;",
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",
    }
)


def mermaid_string(text: str) -> str:
    """Text for inside a double-quoted Mermaid string, on one line."""
    return " ".join(_DROPPED.sub("", text).split()).translate(_MERMAID_ESCAPES)


# What a terminal acts on rather than shows: C0 and C1 controls (escape sequences start with
# ESC or CSI), DEL, the Unicode line and paragraph separators, and the bidi embeddings,
# overrides and isolates that reorder the text around them. A tab is shown as it is.
TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def terminal_text(text: str) -> str:
    """Text for one line of a terminal: every control character written as a visible
    escape ('\\x1b', '\\n'), so a value can neither drive the terminal nor start a line."""
    return TERMINAL_UNSAFE.sub(_visible, text) if TERMINAL_UNSAFE.search(text) else text
