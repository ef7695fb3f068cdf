"""Code actions for the pmrepo diagnostics under the cursor: suppress the finding on its
line or in the whole file, with the directives pmrepo reads (see model/directives.py).

The fixes of `pmrepo check --fix` join here: `fix_actions` is the one place that turns a
finding's fix into an edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lsprotocol import types
from pygls.workspace import PositionCodec

from postmortem_repo.core.fixes import Applicability, Edit, Fix, rewrite
from postmortem_repo.core.textpos import LineIndex, normalise
from postmortem_repo.lsp.diagnostics import SOURCE, text_digest
from postmortem_repo.model.frontmatter import parse_front_matter

# A `disable-next-line` directive alone on its line: a new code joins it instead of a
# second directive.
_NEXT_LINE_HTML = re.compile(r"^(\s*<!--\s*pmrepo-disable-next-line\b.*?)(\s*-->\s*)$")
_NEXT_LINE_YAML = re.compile(r"^(\s*#\s*pmrepo-disable-next-line\b.*?)(\s*)$")


def code_actions(
    uri: str,
    text: str,
    diagnostics: Iterable[types.Diagnostic],
    codec: PositionCodec | None = None,
) -> list[types.CodeAction]:
    """What the client may do about the pmrepo diagnostics it sent (those under the cursor)."""
    ours = [d for d in diagnostics if d.source == SOURCE and isinstance(d.code, str)]
    if not ours:
        return []
    lines = normalise(text).split("\n")
    close_line = _front_matter_close(text)
    actions: list[types.CodeAction] = []
    for diagnostic in ours:
        actions.extend(fix_actions(uri, text, diagnostic, codec or PositionCodec()))
        on_line = _suppress_on_line(uri, lines, close_line, diagnostic)
        if on_line is not None:
            actions.append(on_line)
        actions.append(_suppress_in_file(uri, lines, close_line, diagnostic))
    return actions


def fix_actions(
    uri: str, text: str, diagnostic: types.Diagnostic, codec: PositionCodec
) -> list[types.CodeAction]:
    """The fix `pmrepo check --fix` (or --unsafe-fixes) makes for this diagnostic's finding,
    as a quick fix whose edits are the ones --fix writes. Blame findings have none: a person
    rewrites the sentence, and the diagnostic's hint says how."""
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    raw = data.get("fix")
    if not isinstance(raw, list) or data.get("text") != text_digest(text):
        return []  # no fix, or one made for text the buffer no longer holds
    try:
        fix = Fix.from_json(raw)
    except (TypeError, ValueError):
        return []  # a client that changed what it was given: no action rather than a wrong one
    lines = text.split("\n")
    edits = [_text_edit(edit, text, lines, codec) for edit in fix.edits]
    title = fix.title + (" (unsafe fix)" if fix.applicability is Applicability.UNSAFE else "")
    return [
        types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diagnostic],
            edit=types.WorkspaceEdit(changes={uri: edits}),
            is_preferred=fix.applicability is Applicability.SAFE,
        )
    ]


def fix_all_action(
    uri: str, text: str, fixed: str, codec: PositionCodec
) -> types.CodeAction | None:
    """source.fixAll: the document as `check --fix` would write it (its safe fixes), as
    one edit of the text between the first and the last character that change."""
    if fixed == text:
        return None
    lines = text.split("\n")
    if "\r" in text or text.startswith("\ufeff"):
        # Line breaks other than '\n', or a BOM: the whole text, rather than positions
        # that count those characters as the client may not.
        edit = Edit(1, 1, len(lines), len(lines[-1]) + 1, fixed)
    else:
        edit = rewrite(text, fixed)
    start = types.Position(edit.line - 1, edit.column - 1)
    end = types.Position(edit.end_line - 1, edit.end_column - 1)
    where = codec.range_to_client_units(lines, types.Range(start, end))
    return types.CodeAction(
        title="Fix all pmrepo findings that check --fix fixes",
        kind=types.CodeActionKind.SourceFixAll,
        edit=types.WorkspaceEdit(
            changes={uri: [types.TextEdit(range=where, new_text=edit.replacement)]}
        ),
    )


def _text_edit(edit: Edit, text: str, lines: Sequence[str], codec: PositionCodec) -> types.TextEdit:
    """A fix's edit (1-based, in code points, in the text as pmrepo reads it: no BOM, '\\n'
    line breaks) as a TextEdit of the buffer (0-based, in the client's units, its BOM and
    line endings kept)."""
    shift = 1 if text.startswith("\ufeff") else 0
    start = types.Position(edit.line - 1, edit.column - 1 + (shift if edit.line == 1 else 0))
    end = types.Position(
        edit.end_line - 1, edit.end_column - 1 + (shift if edit.end_line == 1 else 0)
    )
    replacement = edit.replacement
    if "\r\n" in text:
        replacement = replacement.replace("\n", "\r\n")
    where = codec.range_to_client_units(lines, types.Range(start, end))
    return types.TextEdit(range=where, new_text=replacement)


def _suppress_on_line(
    uri: str, lines: Sequence[str], close_line: int, diagnostic: types.Diagnostic
) -> types.CodeAction | None:
    """A `disable-next-line` directive above the finding's line (joining one that is there);
    none for a front matter's '---' lines, above which no directive can stand."""
    code = str(diagnostic.code)
    number = diagnostic.range.start.line  # 0-based: the directive goes before it
    if number >= len(lines) or _is_front_matter_fence(number, close_line):
        return None
    in_yaml = close_line > 0 and number < close_line
    above = lines[number - 1] if number > 0 else ""
    joined = (_NEXT_LINE_YAML if in_yaml else _NEXT_LINE_HTML).match(above)
    if number > 0 and joined is not None and not _is_front_matter_fence(number - 1, close_line):
        new_text = f"{joined.group(1)} {code}{joined.group(2)}"
        edit = _replace_line(number - 1, above, new_text)
    else:
        indent = re.match(r"[ \t]*", lines[number])
        prefix = indent.group() if indent else ""
        directive = (
            f"# pmrepo-disable-next-line {code}"
            if in_yaml
            else f"<!-- pmrepo-disable-next-line {code} -->"
        )
        edit = _insert_line(number, prefix + directive)
    return _action(f"Suppress {code} on this line", uri, edit, diagnostic)


def _suppress_in_file(
    uri: str, lines: Sequence[str], close_line: int, diagnostic: types.Diagnostic
) -> types.CodeAction:
    """A `disable-file` directive at the top of the body (after the front matter)."""
    code = str(diagnostic.code)
    edit = _insert_line(close_line, f"<!-- pmrepo-disable-file {code} -->")
    return _action(f"Suppress {code} in this file", uri, edit, diagnostic)


def _action(
    title: str, uri: str, edit: types.TextEdit, diagnostic: types.Diagnostic
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def _insert_line(before: int, text: str) -> types.TextEdit:
    """A new line before the 0-based line `before`."""
    at = types.Position(before, 0)
    return types.TextEdit(range=types.Range(at, at), new_text=text + "\n")


def _replace_line(number: int, old: str, new: str) -> types.TextEdit:
    # The directive is plain ASCII up to where it changes: code points are the client's units.
    start, end = types.Position(number, 0), types.Position(number, len(old))
    return types.TextEdit(range=types.Range(start, end), new_text=new)


def _front_matter_close(text: str) -> int:
    """The 1-based line of the front matter's closing '---' (0: no front matter)."""
    normal = normalise(text)
    return parse_front_matter(normal, LineIndex(normal)).close_line


def _is_front_matter_fence(number: int, close_line: int) -> bool:
    """Whether the 0-based line is the front matter's opening or closing '---'."""
    return close_line > 0 and number in (0, close_line - 1)
