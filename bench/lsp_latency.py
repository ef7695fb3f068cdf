"""`pmrepo lsp`'s latency on a keystroke: a 10 KB post-mortem, 50 edits, one at a time.

    python bench/lsp_latency.py [--edits 50]

Copies sample-repo to a temporary folder, grows INC-2024-0015 to ~10 KB, starts
`python -m postmortem_repo lsp` with pygls's client, opens the post-mortem, then sends one
edit at a time and times it from the didChange notification to the diagnostics the server
publishes for that version (the debounce included). Prints the median and the 90th
percentile; exits 1 when the median is over the 100 ms budget.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
BUDGET_MS = 100.0
PARAGRAPH = (
    "During the incident the connection pool stayed saturated while the slow query held "
    "connections; retries from the client SDK added load until the rollback completed.\n\n"
)


def grown(text: str, size: int = 10_240) -> str:
    """The post-mortem with appendix paragraphs added until it is about size bytes."""
    extra = ""
    while len((text + extra).encode("utf-8")) < size:
        extra += PARAGRAPH
    return text.rstrip("\n") + "\n\n" + extra


async def measure(root: Path, edits: int) -> list[float]:
    path = root / SAMPLE
    text = grown(path.read_text("utf-8"))
    path.write_text(text, "utf-8")
    uri = from_fs_path(str(path))
    assert uri is not None
    client = LanguageClient("pmrepo-bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        arrived[params.version or 0] = time.perf_counter()
        event.set()

    await client.start_io(sys.executable, "-m", "postmortem_repo", "lsp", cwd=root)
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), process_id=None)
    )
    client.initialized(types.InitializedParams())
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(item))
    await _wait(event, arrived, 1)
    line = text.split("\n").index(PARAGRAPH.split("\n")[0])
    took = []
    for version in range(2, edits + 2):
        letter = "ab"[version % 2]
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(line, 0), types.Position(line, 1)), text=letter
        )
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
            )
        )
        await _wait(event, arrived, version)
        took.append((arrived[version] - sent) * 1000)
        await asyncio.sleep(0.15)  # a pause between keystrokes: each is checked on its own
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return took


async def _wait(event: asyncio.Event, arrived: dict[int, float], version: int) -> None:
    while version not in arrived:
        event.clear()
        await asyncio.wait_for(event.wait(), 30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        shutil.copytree(REPO / "sample-repo", root)
        took = asyncio.run(measure(root, args.edits))
    median = statistics.median(took)
    p90 = statistics.quantiles(took, n=10)[-1]
    print(
        f"pmrepo lsp, 10 KB post-mortem, {len(took)} edits: "
        f"median {median:.1f} ms, p90 {p90:.1f} ms"
    )
    print(f"budget {BUDGET_MS:.0f} ms: {'met' if median <= BUDGET_MS else 'MISSED'}")
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
