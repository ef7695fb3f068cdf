"""The pmrepo-disable comments: which lines hold a directive, what it says, where it sits.

In the Markdown body a directive is an HTML comment, either alone on its line:

    <!-- pmrepo-disable-next-line PM605 -->      the line below
    <!-- pmrepo-disable PM3 -->                  from here to a pmrepo-enable or the end
    <!-- pmrepo-enable PM3 -->
    <!-- pmrepo-disable-file PM307 -->           the whole file

or, for the line it is on, at the end of that line:

    | 2 | Improve testing | ... | OPEN | <!-- pmrepo-disable-line PM605 -->

In the front matter the same directives are YAML comments, alone on their line or (for
`disable-line`) after the value: `severity: SEV5  # pmrepo-disable-line PM205`.

A directive is invisible to the Markdown structure (a comment line between two table rows
does not end the table). Anything else that mentions `pmrepo-disable` or `pmrepo-enable`
outside inline code is a malformed directive: reported, never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from postmortem_repo.core.markup import CodeFences, blank_code_spans

# The actions a directive alone on its line may take, and the one for the line it ends.
LINE_ACTIONS = ("disable-next-line", "disable-file", "disable", "enable")
SAME_LINE = "disable-line"

_ACTION = r"pmrepo-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|-->|$)"
_HTML_ALONE = re.compile(r"^\s*<!--\s*" + _ACTION + r"([^>]*?)-->\s*$")
_HTML_TRAILING = re.compile(r"(?<=\S)(\s*)<!--\s*" + _ACTION + r"([^>]*?)-->\s*$")
_YAML_ALONE = re.compile(r"^\s*#\s*" + _ACTION + r"(.*)$")
_YAML_TRAILING = re.compile(r"(?<=\S)\s+#\s*" + _ACTION + r"(.*)$")
_MENTION = re.compile(r"pmrepo-(?:disable|enable)[\w-]*")
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class Directive:
    line: int
    column: int  # where the comment starts, 1-based
    action: str  # one of LINE_ACTIONS, or SAME_LINE
    selectors: tuple[str, ...]  # as written: codes, prefixes, rule names; () is every rule


@dataclass(frozen=True, slots=True)
class Malformed:
    """A mention of a directive that pmrepo does not read as one, and why."""

    line: int
    column: int
    reason: str


@dataclass(frozen=True, slots=True)
class Directives:
    found: tuple[Directive, ...]
    malformed: tuple[Malformed, ...]
    # Body lines that hold only a directive, and body lines that end with one (where the
    # comment starts, 0-based): what the Markdown structure must not see.
    alone: frozenset[int]
    trailing: tuple[tuple[int, int], ...]


NONE = Directives((), (), frozenset(), ())


def might_hold_directives(text: str) -> bool:
    return "pmrepo-disable" in text or "pmrepo-enable" in text


def read_directives(lines: list[str], front_matter_end: int) -> Directives:
    """Every directive of a file, by line (lines up to front_matter_end are YAML). A
    directive shown in a fenced code block is an example, not a directive."""
    found: list[Directive] = []
    malformed: list[Malformed] = []
    alone: set[int] = set()
    trailing: list[tuple[int, int]] = []
    fences = CodeFences()
    for number, text in enumerate(lines, start=1):
        if number > front_matter_end and fences.is_code(text.rstrip("\r\n")):
            continue
        if "pmrepo-" not in text or not might_hold_directives(text):
            continue
        in_yaml = number <= front_matter_end
        directive, problem = (_yaml_line if in_yaml else _markdown_line)(number, text)
        if directive is not None:
            found.append(directive)
            if not in_yaml:
                if directive.action == SAME_LINE:
                    trailing.append((number, directive.column - 1))
                else:
                    alone.add(number)
        if problem is not None:
            malformed.append(problem)
    if not found and not malformed:
        return NONE
    return Directives(tuple(found), tuple(malformed), frozenset(alone), tuple(trailing))


def _markdown_line(number: int, text: str) -> tuple[Directive | None, Malformed | None]:
    match = _HTML_ALONE.match(text)
    if match is not None:
        return _placed(number, text.index("<!--") + 1, match.group(1), match.group(2), True)
    match = _HTML_TRAILING.search(text)
    if match is not None:
        directive, problem = _placed(
            number, match.end(1) + 1, match.group(2), match.group(3), False
        )
        if directive is not None and _mentions(text[: match.start()]):
            return directive, _malformed(number, text[: match.start()])
        return directive, problem
    return None, _malformed(number, text)


def _yaml_line(number: int, text: str) -> tuple[Directive | None, Malformed | None]:
    match = _YAML_ALONE.match(text)
    if match is not None:
        return _placed(number, text.index("#") + 1, match.group(1), match.group(2), True)
    match = _YAML_TRAILING.search(text)
    if match is not None:
        column = text.index("#", match.start()) + 1
        return _placed(number, column, match.group(1), match.group(2), False)
    mention = _MENTION.search(text)
    assert mention is not None  # might_hold_directives said so
    reason = "in the front matter a directive is a YAML comment: '# pmrepo-disable-line PM205'"
    return None, Malformed(number, mention.start() + 1, reason)


def _placed(
    number: int, column: int, action: str, written: str, alone: bool
) -> tuple[Directive | None, Malformed | None]:
    """The directive, or why it cannot stand where it is."""
    if alone and action == SAME_LINE:
        reason = (
            "'pmrepo-disable-line' applies to the line it ends, and this line holds nothing "
            "else: put it at the end of that line, or write 'pmrepo-disable-next-line' here"
        )
        return None, Malformed(number, column, reason)
    if not alone and action != SAME_LINE:
        reason = (
            f"'pmrepo-{action}' must be alone on its line; only 'pmrepo-disable-line' "
            "may end a line of text"
        )
        return None, Malformed(number, column, reason)
    selectors = tuple(part for part in _SEPARATORS.split(written.strip()) if part)
    return Directive(number, column, action, selectors), None


def _mentions(text: str) -> bool:
    return _MENTION.search(blank_code_spans(text)) is not None


def _malformed(number: int, text: str) -> Malformed | None:
    """A mention of a directive outside inline code, on a line that holds none pmrepo reads."""
    mention = _MENTION.search(blank_code_spans(text))
    if mention is None:
        return None
    before = text[: mention.start()].rstrip()
    column = mention.start() + 1
    if before.endswith("#"):
        column = len(before)
        reason = (
            "in Markdown a directive is an HTML comment, "
            f"'<!-- {mention.group()} CODES -->', not a '#' comment"
        )
    elif mention.group() not in {f"pmrepo-{action}" for action in (*LINE_ACTIONS, SAME_LINE)}:
        reason = (
            f"'{mention.group()}' is not a directive: pmrepo reads disable-next-line, "
            "disable-line, disable, enable and disable-file"
        )
    elif "<!--" not in before:
        reason = f"a directive is an HTML comment: '<!-- {mention.group()} CODES -->'"
    else:
        column = before.rindex("<!--") + 1
        reason = (
            "a directive must be alone on its line, or (pmrepo-disable-line) end the line "
            "it applies to, after a table row's last '|'"
        )
    return Malformed(number, column, reason)
