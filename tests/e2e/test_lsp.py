"""`pmrepo lsp` end to end: a real LSP client (pygls's) starts the server over stdio and
speaks to it as an editor does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from conftest import SEED_NAME
from lsp_session import Session, apply_edits
from lsprotocol import types

BLAME = "Bob forgot to add an index before deploying the query."
BLAME_LINE = 30  # 0-based: the Executive Summary's first line


def in_session(cwd: Path, scenario: Callable[[Session], Awaitable[None]]) -> None:
    """Start the server, initialize, run the scenario, then shut down and exit (code 0)."""

    async def run() -> None:
        session = Session(cwd)
        await session.start()
        try:
            await scenario(session)
        finally:
            assert await session.stop() == 0

    asyncio.run(run())


def test_an_author_writes_a_post_mortem_with_the_server(repo: Path) -> None:
    path = repo / SEED_NAME
    text = path.read_text("utf-8")

    async def scenario(session: Session) -> None:
        uri = session.open(path)
        assert await session.diagnostics(uri) == []
        line = text.split("\n")[BLAME_LINE]
        version = session.change(uri, (BLAME_LINE, 0), (BLAME_LINE, len(line)), BLAME)
        [blame] = await session.diagnostics(uri, version)
        assert (blame.code, blame.severity, blame.source) == (
            "PM402",
            types.DiagnosticSeverity.Error,
            "pmrepo",
        )
        assert blame.range == types.Range(
            types.Position(BLAME_LINE, 0), types.Position(BLAME_LINE, 10)
        )
        assert blame.message == "a person is named as the cause: 'Bob forgot'"
        [hint] = blame.related_information or []
        assert hint.message.startswith("hint: name the step that did not happen automatically")

        hover = await session.hover(uri, BLAME_LINE, 2)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**PM402** `blame-individual`")

    in_session(repo, scenario)


def test_hover_and_definition_on_an_incident_id(repo: Path) -> None:
    path = repo / SEED_NAME
    related_line = path.read_text("utf-8").split("\n").index("  - INC-2023-0089")
    target = repo / "2023/Q4/INC-2023-0089-knox-api-connection-pool-exhaustion.md"

    async def scenario(session: Session) -> None:
        uri = session.open(path)
        hover = await session.hover(uri, related_line, 6)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        title = "Knox API — Database Connection Pool Exhaustion After v5.12.0 Deploy"
        assert hover.contents.value.splitlines()[0] == f"**INC-2023-0089**: {title}"
        assert "`2023/Q4/INC-2023-0089-knox-api-connection-pool-exhaustion.md`" in (
            hover.contents.value
        )
        location = await session.definition(uri, related_line, 6)
        assert isinstance(location, types.Location)
        assert location.uri == target.as_uri()
        assert await session.hover(uri, related_line - 1, 2) is None  # 'related:'

    in_session(repo, scenario)


def test_completion_in_front_matter_and_body(repo: Path) -> None:
    path = repo / SEED_NAME
    lines = path.read_text("utf-8").split("\n")
    severity = lines.index("severity: SEV2")
    related = lines.index("  - INC-2023-0089")
    author = lines.index("author: Alice Smith, Pay SRE Team")

    async def scenario(session: Session) -> None:
        uri = session.open(path)
        items = await session.complete(uri, severity, len("severity: "))
        assert [item.label for item in items] == ["SEV1", "SEV2", "SEV3", "SEV4"]
        ids = [item.label for item in await session.complete(uri, related, 4)]
        assert "INC-2023-0089" in ids and "INC-2024-0003" in ids
        people = [item.label for item in await session.complete(uri, author, len("author: "))]
        assert "Alice Smith, Pay SRE Team" in people
        # Without its Appendix section, '#' at the end offers it, and no section it has.
        version = session.change(uri, (len(lines) - 1, 0), (len(lines) - 1, 0), "\n#")
        await session.diagnostics(uri, version)
        headings = [item.label for item in await session.complete(uri, len(lines), 1)]
        assert "## Executive Summary" not in headings
        assert all(heading.startswith("## ") for heading in headings)

    in_session(repo, scenario)


def test_suppressing_a_finding_on_its_line_and_in_the_file(repo: Path) -> None:
    path = repo / SEED_NAME
    lines = path.read_text("utf-8").split("\n")
    lines[BLAME_LINE] = BLAME
    text = "\n".join(lines)

    async def scenario(session: Session) -> None:
        uri = session.open(path, text)
        diagnostics = await session.diagnostics(uri)
        actions = await session.code_actions(uri, diagnostics)
        assert [action.title for action in actions] == [
            "Suppress PM402 on this line",
            "Suppress PM402 in this file",
        ]
        for action, directive_line in zip(actions, (BLAME_LINE, 26), strict=True):
            assert action.edit is not None and action.edit.changes is not None
            suppressed = apply_edits(text, action.edit.changes[uri])
            assert suppressed.split("\n")[directive_line] in (
                "<!-- pmrepo-disable-next-line PM402 -->",
                "<!-- pmrepo-disable-file PM402 -->",
            )
            version = session.change(uri, (0, 0), (len(lines), 0), suppressed)
            assert await session.diagnostics(uri, version) == []
            version = session.change(uri, (0, 0), (len(lines) + 1, 0), text)
            assert [d.code for d in await session.diagnostics(uri, version)] == ["PM402"]

    in_session(repo, scenario)
