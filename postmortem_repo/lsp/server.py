"""The language server: diagnostics on open, change (debounced) and save, and of the other
open post-mortems of the repository after a change (debounced) or a save; code actions
(quick fixes, and source.fixAll: the document's safe fixes);
hover; completion; go to definition. Every handler answers, whatever the client sends: a
document pmrepo cannot check gets a diagnostic that says so, never a silent pass."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from postmortem_repo import __version__, api
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.lsp import actions, completion, navigation
from postmortem_repo.lsp.diagnostics import SOURCE, findings_for, to_diagnostic
from postmortem_repo.lsp.knowledge import Knowledge, Library
from postmortem_repo.lsp.project import Place, Projects, path_of

# A check starts this long after the last keystroke: typing a word costs one check.
DEBOUNCE_SECONDS = 0.03
# The other open documents are checked again this long after a save.
OTHERS_AFTER_SAVE_SECONDS = 0.2
# The other open post-mortems of a repository are checked again this long after the last
# keystroke in one of them: what the repository-wide rules say of them (a duplicate id, a
# related incident) may have changed with it. Longer than a document's own check, which
# comes first.
OTHERS_AFTER_CHANGE_SECONDS = 0.3

log = logging.getLogger(__name__)


class PmrepoServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("pmrepo", __version__)
        self.projects = Projects()
        self.library = Library()
        # What was last published for each document, for hover and code actions.
        self.published: dict[str, list[types.Diagnostic]] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}

    def schedule(self, uri: str, delay: float) -> None:
        """Check the document after delay, replacing a check that has not started yet. One
        that has started runs to its end; its result is dropped if the buffer changed
        meanwhile, as the newer version's check follows."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self._pending[uri] = asyncio.get_running_loop().create_task(self._check(uri, delay))

    def schedule_others(self, uri: str, delay: float) -> None:
        """Check again, after delay, the other open post-mortems of the repository the
        document belongs to (their findings depend on it); a document of none changes
        nothing for the others."""
        try:
            place = self.projects.repository_of(uri)
        except PmrepoError:
            return  # a broken config: the document's own check says so
        if place is None:
            return
        for other in self.open_uris():
            if other == uri:
                continue
            try:
                theirs = self.projects.repository_of(other)
            except PmrepoError:
                continue
            if theirs is not None and theirs.root == place.root:
                self.schedule(other, delay)

    def forget(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    async def _check(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if self._pending.get(uri) is asyncio.current_task():
            del self._pending[uri]  # started: no longer replaced
        if not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        diagnostics = await asyncio.to_thread(self.diagnose, uri, text)
        if not self.is_open(uri):
            return  # closed while it was checked
        if self.workspace.get_text_document(uri).version != version:
            return  # the buffer changed while it was checked: its own check follows
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def diagnose(self, uri: str, text: str) -> list[types.Diagnostic]:
        """The diagnostics of the buffer: none for a file pmrepo does not check; one that says
        why for a document it cannot check (a broken config, an internal error)."""
        try:
            place = self.projects.place_of(uri)
            if place is None:
                return []
            findings = findings_for(text, place, self._other_buffers(uri, place))
        except PmrepoError as error:
            return [_cannot_check(str(error))]
        except Exception as error:  # a bug must not stop the server, nor pass the file
            log.exception("checking %s", uri)
            return [_cannot_check(f"internal error: {error!r} (please report it)")]
        document = TextDocument(uri, text)
        codec = self.workspace.position_codec
        related = self._client_shows_related_information()
        return [
            to_diagnostic(f, uri, document.lines, codec, related_information=related)
            for f in findings
        ]

    def open_uris(self) -> list[str]:
        """The open documents' URIs, as the client wrote them."""
        return [document.uri for document in list(self.workspace.text_documents.values())]

    def is_open(self, uri: str) -> bool:
        # The workspace keeps documents by their unquoted URI.
        return unquote(uri) in self.workspace.text_documents

    def _other_buffers(self, uri: str, place: Place) -> dict[Path, str]:
        """The other open post-mortems of the same repository: a note open outside it is
        no post-mortem of it, and must not collide with its ids."""
        others = {}
        for document in list(self.workspace.text_documents.values()):
            path = path_of(document.uri)
            if document.uri == uri or path is None or path.suffix.lower() != ".md":
                continue
            theirs = self.projects.place_of(document.uri)
            if theirs is not None and theirs.root == place.root:
                others[path] = document.source
        return others

    def _client_shows_related_information(self) -> bool:
        text_document = self.client_capabilities.text_document
        publish = text_document.publish_diagnostics if text_document else None
        return bool(publish and publish.related_information)

    def fixed_text(self, uri: str, text: str) -> str:
        """The buffer with the safe fixes `check --fix` would make in it; the buffer as it
        is for a file pmrepo does not check, or cannot (the diagnostics say why)."""
        try:
            place = self.projects.place_of(uri)
            if place is None:
                return text
            others = self._other_buffers(uri, place)
            return api.fix_text(
                text, place.path, config=place.config, root=place.root, buffers=others
            )
        except PmrepoError:
            return text
        except Exception:  # a bug must not stop the server, nor change the buffer
            log.exception("fixing %s", uri)
            return text

    def knowledge_of(self, uri: str) -> tuple[Place, Knowledge] | None:
        place = self.projects.repository_of(uri)
        if place is None:
            return None
        return place, self.library.of(place.root, place.config)


def _cannot_check(reason: str) -> types.Diagnostic:
    start = types.Position(0, 0)
    return types.Diagnostic(
        range=types.Range(start, start),
        message=f"pmrepo cannot check this file: {reason}",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


server = PmrepoServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PmrepoServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.schedule(uri, 0)
    path = path_of(uri)
    if path is not None and not path.is_file():
        # A new post-mortem not saved yet: the others see its id only in its buffer.
        ls.schedule_others(uri, OTHERS_AFTER_CHANGE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PmrepoServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)
    ls.schedule_others(params.text_document.uri, OTHERS_AFTER_CHANGE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PmrepoServer, params: types.DidSaveTextDocumentParams) -> None:
    """The saved document now, and the other open ones after it: what they say across the
    repository (a duplicate id, a related incident) may have changed with it."""
    saved = params.text_document.uri
    ls.schedule(saved, 0)
    for uri in ls.open_uris():
        if uri != saved:
            ls.schedule(uri, OTHERS_AFTER_SAVE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PmrepoServer, params: types.DidCloseTextDocumentParams) -> None:
    """Closed, the buffer no longer stands for its file: the others read the file again."""
    ls.forget(params.text_document.uri)
    ls.schedule_others(params.text_document.uri, OTHERS_AFTER_SAVE_SECONDS)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
    ),
)
async def code_action(ls: PmrepoServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    document = ls.workspace.get_text_document(params.text_document.uri)
    codec = ls.workspace.position_codec
    only = params.context.only
    if only and any(_covers(kind, types.CodeActionKind.SourceFixAll) for kind in only):
        # An editor's "fix all" (on save, say): the document's safe fixes, as --fix makes them.
        fixed = await asyncio.to_thread(ls.fixed_text, document.uri, document.source)
        action = actions.fix_all_action(document.uri, document.source, fixed, codec)
        return [action] if action is not None else []
    return actions.code_actions(document.uri, document.source, params.context.diagnostics, codec)


def _covers(asked: str, kind: str) -> bool:
    """Whether the kind a client asks for ('source') covers kind ('source.fixAll')."""
    return kind == asked or kind.startswith(asked + ".")


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: PmrepoServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    parts = []
    rules = navigation.rule_hover(ls.published.get(uri, []), params.position)
    if rules:
        parts.append(rules)
    found = await _incident_at(ls, uri, params.position)
    if found is not None:
        incident = navigation.incident_hover(found[0], found[1])
        if incident:
            parts.append(incident)
    if not parts:
        return None
    contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    return types.Hover(contents=contents)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: PmrepoServer, params: types.DefinitionParams) -> types.Location | None:
    found = await _incident_at(ls, params.text_document.uri, params.position)
    return navigation.definition(found[0], found[1]) if found else None


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" ", "#", "-"]),
)
async def complete(ls: PmrepoServer, params: types.CompletionParams) -> types.CompletionList:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    known = await asyncio.to_thread(ls.knowledge_of, uri)
    if known is None:
        return types.CompletionList(is_incomplete=False, items=[])
    place, knowledge = known
    at = document.position_from_client_units(params.position)
    lines = [line.rstrip("\r\n") for line in document.lines]
    items = completion.complete(lines, at.line, at.character, place.config, knowledge)
    codec = ls.workspace.position_codec
    for item in items:
        if isinstance(item.text_edit, types.TextEdit):
            item.text_edit.range = codec.range_to_client_units(document.lines, item.text_edit.range)
    return types.CompletionList(is_incomplete=False, items=items)


async def _incident_at(
    ls: PmrepoServer, uri: str, position: types.Position
) -> tuple[str, Knowledge] | None:
    """The incident id at the position and what the repository knows, if it is one."""
    document = ls.workspace.get_text_document(uri)
    at = document.position_from_client_units(position)
    lines = document.lines
    if at.line >= len(lines):
        return None
    known = await asyncio.to_thread(ls.knowledge_of, uri)
    if known is None:
        return None
    place, knowledge = known
    incident_id = navigation.incident_id_at(lines[at.line], at.character, place.config.layout)
    return (incident_id, knowledge) if incident_id else None


def serve() -> None:
    """Answer an editor on standard input and output until it says exit. Standard output
    carries the protocol only: anything else printed goes to standard error."""
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, protocol_out)
