"""From an editor's buffers to LSP diagnostics: the findings `pmrepo check` gives for the same
text, each at its range in the client's position units."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from lsprotocol import types
from pygls.workspace import PositionCodec

from postmortem_repo import api
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.core.textpos import normalise
from postmortem_repo.lsp.project import Place

SOURCE = "pmrepo"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}


def findings_for(text: str, place: Place, others: Mapping[Path, str]) -> list[Finding]:
    """The findings of the post-mortem at place when it holds text, as `pmrepo check` gives
    them; the other open buffers stand for their files in the repository-wide rules. A file
    that is not UTF-8 on disk is checked as it is on disk: the editor's decoding of it is not
    what git and `pmrepo check` read."""
    if _undecodable_on_disk(place):
        result = api.check([place.path], config=place.config)
    else:
        result = api.check_text(
            text, place.path, config=place.config, root=place.root, buffers=others, cache=True
        )
    target = place.path.resolve()
    return [
        _as_configured(finding, place)
        for finding in result.findings
        if _resolved(finding.path) == target
    ]


def _as_configured(finding: Finding, place: Place) -> Finding:
    """The finding with its fix only when the config's `fixable`/`unfixable` let --fix
    make it: the editor offers what --fix would do, no more."""
    from postmortem_repo.commands.fixes import fixable

    if finding.fix is None or fixable(finding.code, place.config):
        return finding
    return finding._replace(fix=None)


def _undecodable_on_disk(place: Place) -> bool:
    try:
        if place.path.stat().st_size > place.config.max_file_kb * 1024:
            return False  # too large to read: the check says so
        place.path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return True
    except OSError:
        return False  # not saved yet, or unreadable: the buffer is what there is
    return False


def _resolved(shown: str) -> Path:
    return Path(shown).resolve()


def to_diagnostic(
    finding: Finding,
    uri: str,
    lines: Sequence[str],
    codec: PositionCodec,
    *,
    related_information: bool,
) -> types.Diagnostic:
    """One finding as an LSP diagnostic. The hint goes in relatedInformation when the client
    shows it, else on a line of its own under the message."""
    where = codec.range_to_client_units(lines, _range_of(finding, lines))
    message = finding.message
    related = None
    if finding.hint:
        if related_information:
            location = types.Location(uri=uri, range=where)
            related = [types.DiagnosticRelatedInformation(location, f"hint: {finding.hint}")]
        else:
            message = f"{message}\nhint: {finding.hint}"
    return types.Diagnostic(
        range=where,
        message=message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        source=SOURCE,
        related_information=related,
        data={
            "name": finding.name,
            "hint": finding.hint,
            "fix": _fix_data(finding),
            "text": text_digest("".join(lines)) if finding.fix else None,
        },
    )


def text_digest(text: str) -> str:
    """What a fix's edits were made for: a code action whose buffer has changed since the
    check offers no fix, since its ranges may now point at other text."""
    return hashlib.sha256(normalise(text).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _fix_data(finding: Finding) -> list[object] | None:
    """The finding's fix for the client to hand back with a code-action request: an edit of
    this document (a move renames the file, which --fix does, not the editor)."""
    fix = finding.fix
    if fix is None or fix.move_to is not None or not fix.edits:
        return None
    return fix.to_json()


def _range_of(finding: Finding, lines: Sequence[str]) -> types.Range:
    """Where the finding is, in code points (0-based): to its end where the rule knows it,
    else to the end of its line (a zero-width range is hard to see and to hover)."""
    line = max(finding.line - 1, 0)
    start = types.Position(line, max(finding.column - 1, 0))
    if finding.end_line is not None and finding.end_column is not None:
        end = types.Position(max(finding.end_line - 1, 0), max(finding.end_column - 1, 0))
    else:
        text = lines[line].rstrip("\r\n") if line < len(lines) else ""
        end = types.Position(line, max(len(text), start.character))
    return types.Range(start, end)
