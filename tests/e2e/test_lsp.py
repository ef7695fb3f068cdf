"""`pmrepo lsp` end to end: a real LSP client (pygls's) starts the server over stdio and
speaks to it as an editor does."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SAMPLE_REPO, SEED_NAME, run_cli
from lsp_edits import apply_edits
from lsp_session import Session
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound

from postmortem_repo import api
from postmortem_repo.repo.discover import repository_root, walk

BLAME = "Bob forgot to add an index before deploying the query."
BLAME_LINE = 30  # 0-based: the Executive Summary's first line
FIXTURE_NAMES = ("corpus", "chia", "dfds", "k8s-test-infra", "posthog")


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


def test_a_save_checks_the_other_open_post_mortems_again(repo: Path) -> None:
    """Another open post-mortem takes this one's id: once it is saved, this one shows the
    duplicate too (the open buffers stand for their files)."""
    seed = repo / SEED_NAME
    other = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    id_line = other.read_text("utf-8").split("\n").index("id: INC-2024-0003")

    async def scenario(session: Session) -> None:
        seed_uri, other_uri = session.open(seed), session.open(other)
        assert await session.diagnostics(seed_uri) == []
        assert await session.diagnostics(other_uri) == []
        version = session.change(other_uri, (id_line, 4), (id_line, 17), "INC-2024-0015")
        codes = [d.code for d in await session.diagnostics(other_uri, version)]
        # (PM706 may also compare the renamed one with the others: not what this is about)
        assert [code for code in codes if code != "PM706"] == ["PM105", "PM106"]
        seen = session.publications(seed_uri)
        session.save(other_uri)
        assert [d.code for d in await session.diagnostics(seed_uri, after=seen)] == ["PM106"]

    in_session(repo, scenario)


async def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait until condition holds (the server publishes as it checks, in its own time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the server did not publish what was expected"
        await asyncio.sleep(0.05)


def test_an_id_changed_in_another_buffer_shows_here_before_any_save(repo: Path) -> None:
    """Another open post-mortem takes this one's id, and a new one, never saved, takes it
    too: this one shows the duplicates as they are typed, without a save."""
    seed = repo / SEED_NAME
    other = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    id_line = other.read_text("utf-8").split("\n").index("id: INC-2024-0003")
    new = repo / "2024/Q1/INC-2024-0015-payment-api-second-look.md"

    async def scenario(session: Session) -> None:
        seed_uri, other_uri = session.open(seed), session.open(other)
        assert await session.diagnostics(seed_uri) == []
        assert await session.diagnostics(other_uri) == []
        seen = session.publications(seed_uri)
        session.change(other_uri, (id_line, 4), (id_line, 17), "INC-2024-0015")
        [duplicate] = await session.diagnostics(seed_uri, after=seen)
        assert duplicate.code == "PM106"
        assert "INC-2024-0003-cache-invalidation-failure.md" in duplicate.message
        session.change(other_uri, (id_line, 4), (id_line, 17), "INC-2024-0003")
        await _until(lambda: not session.published[seed_uri][-1].diagnostics)
        seen = session.publications(seed_uri)
        session.open(new, seed.read_text("utf-8"))
        [duplicate] = await session.diagnostics(seed_uri, after=seen)
        assert duplicate.code == "PM106"
        assert "INC-2024-0015-payment-api-second-look.md" in duplicate.message
        assert not new.exists()

    in_session(repo, scenario)


def test_bad_input_never_stops_the_server(repo: Path, tmp_path: Path) -> None:
    seed = repo / SEED_NAME
    outside = tmp_path / "notes" / "notes.md"
    outside.parent.mkdir()
    outside.write_text("# Notes\n\nBob forgot the index.\n", "utf-8")
    undecodable = repo / "2024/Q1/INC-2024-0099-undecodable.md"
    undecodable.write_bytes(b"---\nid: INC-2024-0099\ntitle: \xff\xfe caf\xe9\n---\n")
    huge = repo / "2024/Q2/INC-2024-0100-huge.md"
    related_line = seed.read_text("utf-8").split("\n").index("  - INC-2023-0089")

    async def scenario(session: Session) -> None:
        with pytest.raises(JsonRpcMethodNotFound):
            await session.request("pmrepo/no-such-method", {})
        assert await session.diagnostics(session.open(outside)) == []
        # (its own id: an unsaved buffer counts for duplicate ids)
        own = seed.read_text("utf-8").replace("id: INC-2024-0015", "id: INC-2024-0100", 1)
        big = own + "Lorem ipsum dolor sit amet.\n" * 190_000  # 5 MB
        [too_big] = await session.diagnostics(session.open(huge, big))
        assert too_big.code == "PM107"
        # A sibling on disk that is not UTF-8: the seed is still checked against the
        # repository, and hover still reads the repository's incidents.
        uri = session.open(seed)
        assert await session.diagnostics(uri) == []
        hover = await session.hover(uri, related_line, 6)
        assert hover is not None and "INC-2023-0089" in str(hover.contents)
        assert await session.hover(uri, 0, 0) is None

    in_session(repo, scenario)


FIXTURE_ROOTS = [SAMPLE_REPO, *(FIXTURES / name for name in FIXTURE_NAMES)]


def _checked_files(root: Path) -> list[Path]:
    """The post-mortems `pmrepo check ROOT` checks."""
    config = api.resolve_config([root])
    return walk(root, repository_root(config, root), config)


def _as_diagnostic(finding: dict[str, Any], lines: list[str]) -> tuple[object, ...]:
    """What a finding of `pmrepo check --format json` is as a diagnostic: 0-based, in UTF-16
    units, to its end (else to the end of its line)."""

    def units(line: int, column: int) -> tuple[int, int]:
        text = lines[line - 1] if line - 1 < len(lines) else ""
        return line - 1, len(text[: column - 1].encode("utf-16-le")) // 2

    start = units(finding["line"], finding["column"])
    if finding["end_line"] is not None:
        end = units(finding["end_line"], finding["end_column"])
    else:
        end = units(finding["line"], len(lines[finding["line"] - 1]) + 1)
    severity = {"error": 1, "warning": 2}[finding["severity"]]
    return start, end, finding["code"], severity, finding["message"], finding["hint"]


def _of_diagnostic(diagnostic: types.Diagnostic) -> tuple[object, ...]:
    where = diagnostic.range
    hints = [info.message.removeprefix("hint: ") for info in diagnostic.related_information or []]
    return (
        (where.start.line, where.start.character),
        (where.end.line, where.end.character),
        diagnostic.code,
        int(diagnostic.severity or 0),
        diagnostic.message,
        hints[0] if hints else None,
    )


def test_diagnostics_equal_pmrepo_check_for_every_fixture(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Copies: the server keeps its cache in each repository it checks.
    roots = [shutil.copytree(root, tmp_path / root.name) for root in FIXTURE_ROOTS]
    shutil.copytree(FIXTURES / "dfds-config", tmp_path / "dfds", dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    files = [path for root in roots for path in _checked_files(root)]
    assert len(files) > 100
    expected = {}
    for path in files:
        report = json.loads(run_cli("check", "--format", "json", "--no-cache", str(path)).stdout)
        lines = path.read_text("utf-8", errors="replace").split("\n")
        expected[path] = [
            _as_diagnostic(finding, lines)
            for finding in report["findings"]
            if Path(finding["path"]).resolve() == path.resolve()
        ]
    assert any(expected.values())

    async def scenario(session: Session) -> None:
        for path in files:
            text = path.read_bytes().decode("utf-8", errors="replace")
            found = await session.diagnostics(session.open(path, text))
            assert [_of_diagnostic(d) for d in found] == expected[path], path

    in_session(tmp_path, scenario)


def test_a_fix_as_a_code_action_edits_what_check_fix_writes(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED_NAME
    text = path.read_text("utf-8").replace("severity: SEV2", "severity: sev2", 1)
    assert "severity: sev2" in text
    # What `pmrepo check --fix` writes for the same text, in a copy of the repository.
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy)
    (copy / SEED_NAME).write_text(text, "utf-8")
    run_cli("check", "--fix", "--no-cache", str(copy / SEED_NAME))
    fixed_by_check = (copy / SEED_NAME).read_text("utf-8")
    assert fixed_by_check != text

    async def scenario(session: Session) -> None:
        uri = session.open(path, text)
        diagnostics = await session.diagnostics(uri)
        actions = await session.code_actions(uri, diagnostics)
        [fix] = [action for action in actions if not action.title.startswith("Suppress")]
        assert fix.title == "Write 'SEV2'" and fix.is_preferred
        assert fix.edit is not None and fix.edit.changes is not None
        assert apply_edits(text, fix.edit.changes[uri]) == fixed_by_check
        # Blame has no fix: only the suppressions.
        lines = text.split("\n")
        lines[BLAME_LINE] = BLAME
        version = session.change(uri, (0, 0), (len(lines), 0), "\n".join(lines))
        blame = [d for d in await session.diagnostics(uri, version) if d.code == "PM402"]
        titles = [action.title for action in await session.code_actions(uri, blame)]
        assert titles == ["Suppress PM402 on this line", "Suppress PM402 in this file"]

    in_session(repo, scenario)


def test_fix_all_on_save_writes_what_check_fix_writes(repo: Path, tmp_path: Path) -> None:
    """source.fixAll (an editor's fix-all on save): every safe fix of the document at
    once, pass after pass, as `check --fix` writes them; a person's findings are left."""
    path = repo / SEED_NAME
    text = (
        path.read_text("utf-8")
        .replace("severity: SEV2", "severity: sev2", 1)
        .replace("status: PUBLISHED", "status: published", 1)
        .replace("### User Impact\n", "#### User Impact\n", 1)
        .replace("| Total Duration | 22 minutes |", "| Total Duration | 0h 30m |", 1)
    )
    lines = text.split("\n")
    lines[BLAME_LINE] = BLAME
    text = "\n".join(lines)
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy)
    (copy / SEED_NAME).write_text(text, "utf-8")
    run_cli("check", "--fix", "--no-cache", str(copy / SEED_NAME))
    fixed_by_check = (copy / SEED_NAME).read_text("utf-8")
    assert fixed_by_check.count("\n") == text.count("\n") and BLAME in fixed_by_check

    async def scenario(session: Session) -> None:
        uri = session.open(path, text)
        await session.diagnostics(uri)
        context = types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])
        start = types.Position(0, 0)
        params = types.CodeActionParams(
            types.TextDocumentIdentifier(uri), types.Range(start, start), context
        )
        answer = await session._answer(session.client.text_document_code_action_async(params))
        [fix_all] = answer or []
        assert isinstance(fix_all, types.CodeAction)
        assert fix_all.kind == types.CodeActionKind.SourceFixAll
        assert fix_all.edit is not None and fix_all.edit.changes is not None
        assert apply_edits(text, fix_all.edit.changes[uri]) == fixed_by_check
        # Once fixed, nothing is left to fix all.
        version = session.change(uri, (0, 0), (len(lines), 0), fixed_by_check)
        await session.diagnostics(uri, version)
        again = await session._answer(session.client.text_document_code_action_async(params))
        assert not again

    in_session(repo, scenario)


def test_a_fix_the_config_forbids_is_not_offered(repo: Path) -> None:
    config = repo / ".pmrepo.yaml"
    config.write_text(config.read_text("utf-8") + "unfixable: [PM205]\n", "utf-8")
    path = repo / SEED_NAME
    text = path.read_text("utf-8").replace("severity: SEV2", "severity: sev2", 1)

    async def scenario(session: Session) -> None:
        uri = session.open(path, text)
        diagnostics = await session.diagnostics(uri)
        assert [d.code for d in diagnostics] == ["PM205"]
        titles = [action.title for action in await session.code_actions(uri, diagnostics)]
        assert titles == ["Suppress PM205 on this line", "Suppress PM205 in this file"]

    in_session(repo, scenario)


def test_a_fix_for_text_the_buffer_no_longer_holds_is_not_offered(repo: Path) -> None:
    path = repo / SEED_NAME
    text = path.read_text("utf-8").replace("severity: SEV2", "severity: sev2", 1)

    async def scenario(session: Session) -> None:
        uri = session.open(path, text)
        stale = await session.diagnostics(uri)
        # A line is added above before the client asks for the action of the old diagnostic.
        version = session.change(uri, (1, 0), (1, 0), "# a note\n")
        await session.diagnostics(uri, version)
        titles = [action.title for action in await session.code_actions(uri, stale)]
        assert "Write 'SEV2'" not in titles

    in_session(repo, scenario)


def test_a_note_open_outside_the_repository_is_not_one_of_its_post_mortems(
    repo: Path, tmp_path: Path
) -> None:
    path = repo / SEED_NAME
    outside = tmp_path / "notes" / path.name
    outside.parent.mkdir()
    shutil.copyfile(path, outside)  # the same id, outside any repository

    async def scenario(session: Session) -> None:
        session.open(outside)
        uri = session.open(path)
        assert await session.diagnostics(uri) == []

    in_session(repo, scenario)


def test_a_lone_note_open_in_the_editor_gets_no_cache_beside_it(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    note = notes / Path(SEED_NAME).name
    shutil.copyfile(SAMPLE_REPO / SEED_NAME, note)

    async def scenario(session: Session) -> None:
        uri = session.open(note)
        await session.diagnostics(uri)
        session.save(uri)
        await session.diagnostics(uri, after=1)

    in_session(notes, scenario)
    assert [path.name for path in notes.iterdir()] == [note.name]
