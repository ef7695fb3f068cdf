"""A real LSP client (pygls's own) talking to `python -m postmortem_repo lsp` over stdio."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

# Long enough for a loaded machine; a server that answers at all answers far sooner.
TIMEOUT = 60.0


def uri_of(path: Path) -> str:
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


class Session:
    """One server, started in cwd; diagnostics are collected as the server publishes them."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.client = LanguageClient("pmrepo-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self._arrived = asyncio.Condition()
        self._versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            async with self._arrived:
                self.published.setdefault(params.uri, []).append(params)
                self._arrived.notify_all()

    async def start(self) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "postmortem_repo", "lsp", cwd=self.cwd)
        capabilities = types.ClientCapabilities(
            text_document=types.TextDocumentClientCapabilities(
                publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                    related_information=True
                )
            )
        )
        result = await self._answer(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities, root_uri=uri_of(self.cwd), process_id=None
                )
            )
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> int | None:
        """shutdown, then exit: the server's exit code."""
        await self._answer(self.client.shutdown_async(None))
        self.client.exit(None)
        server = self.client._server
        assert server is not None
        code = await asyncio.wait_for(server.wait(), TIMEOUT)
        await self.client.stop()
        return code

    def open(self, path: Path, text: str | None = None) -> str:
        uri = uri_of(path)
        self._versions[uri] = 1
        document = types.TextDocumentItem(
            uri=uri,
            language_id="markdown",
            version=1,
            text=path.read_text("utf-8") if text is None else text,
        )
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(document))
        return uri

    def change(self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str) -> int:
        """An incremental edit; the document's new version."""
        self._versions[uri] += 1
        where = types.Range(types.Position(*start), types.Position(*end))
        change = types.TextDocumentContentChangePartial(range=where, text=text)
        identifier = types.VersionedTextDocumentIdentifier(uri=uri, version=self._versions[uri])
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=identifier, content_changes=[change])
        )
        return self._versions[uri]

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    def publications(self, uri: str) -> int:
        """How many times diagnostics were published for the document so far."""
        return len(self.published.get(uri, []))

    async def diagnostics(
        self, uri: str, version: int = 1, after: int = 0
    ) -> list[types.Diagnostic]:
        """The first diagnostics the server publishes for this version of the document (or a
        later one), after the first `after` publications, waiting for them."""

        def arrived() -> list[types.Diagnostic] | None:
            for params in self.published.get(uri, [])[after:]:
                if params.version is None or params.version >= version:
                    return list(params.diagnostics)
            return None

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: arrived() is not None), TIMEOUT)
        found = arrived()
        assert found is not None
        return found

    async def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        params = types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)
        )
        return await self._answer(self.client.text_document_hover_async(params))

    async def complete(self, uri: str, line: int, character: int) -> list[types.CompletionItem]:
        params = types.CompletionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)
        )
        answer = await self._answer(self.client.text_document_completion_async(params))
        if isinstance(answer, types.CompletionList):
            return list(answer.items)
        return list(answer or [])

    async def definition(self, uri: str, line: int, character: int) -> Any:
        params = types.DefinitionParams(
            types.TextDocumentIdentifier(uri), types.Position(line, character)
        )
        return await self._answer(self.client.text_document_definition_async(params))

    async def code_actions(
        self, uri: str, diagnostics: list[types.Diagnostic]
    ) -> list[types.CodeAction]:
        where = diagnostics[0].range
        params = types.CodeActionParams(
            types.TextDocumentIdentifier(uri),
            where,
            types.CodeActionContext(diagnostics=diagnostics),
        )
        answer = await self._answer(self.client.text_document_code_action_async(params))
        return [action for action in answer or [] if isinstance(action, types.CodeAction)]

    async def request(self, method: str, params: Any) -> Any:
        return await self._answer(self.client.protocol.send_request_async(method, params))

    async def _answer(self, pending: Any) -> Any:
        return await asyncio.wait_for(pending, TIMEOUT)
