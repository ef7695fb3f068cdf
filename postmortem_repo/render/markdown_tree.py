"""mistune's syntax tree of a Markdown body, inline text parsed: the tree the site renders
its pages from and the excerpts are read from, the same tree mistune gives, sooner.

Two shortcuts, each giving the tokens mistune's own code gives:
- a text in which no inline rule can start (none of the characters mistune's inline parser
  looks for) is one text token; mistune's parser would scan it to the same end;
- a table row with no backslash has no escaped pipe: its cells are split at every pipe,
  where mistune walks the row a character at a time.

Both use mistune helpers that appeared in mistune 3.3 and 3.4; where they are missing,
mistune's own code runs: the same tree, a slower parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import mistune
from mistune.core import BlockState
from mistune.inline_parser import InlineParser

try:
    from mistune.plugins.table import (
        TABLE_PATTERN,
        _parse_invalid_pipe_table,
        _process_thead,
        _split_table_cells,
        _strip_pipe_table_row,
    )

    FAST_TABLES = True
except ImportError:
    FAST_TABLES = False

Token = dict[str, Any]
_SPACE = " \r\n\t\f"  # what mistune strips around a block's inline text (not other spaces)


class _Markdown(mistune.Markdown):
    def __init__(self, plugins: list[str]) -> None:
        super().__init__(
            renderer=None,
            inline=InlineParser(hard_wrap=False),  # as mistune.create_markdown makes it
            plugins=[mistune.plugins.import_plugin(name) for name in plugins],
        )
        if FAST_TABLES and "table" in plugins:
            self.block.register("table", TABLE_PATTERN, _parse_table, before="paragraph")
        triggers = getattr(self.inline, "_get_fast_trigger_chars", lambda: None)()
        self._plain = (
            re.compile("[^" + re.escape("".join(sorted(triggers))) + "]*")
            if triggers is not None
            else None
        )

    def _iter_render(self, tokens: Iterable[Token], state: BlockState) -> Iterator[Token]:
        plain = self._plain
        for token in tokens:
            if "children" in token:
                token["children"] = list(self._iter_render(token["children"], state))
            elif "text" in token:
                text = token.pop("text").strip(_SPACE)
                if plain is not None and plain.fullmatch(text):
                    token["children"] = [{"type": "text", "raw": text}]
                else:
                    token["children"] = self.inline(text, state.env)
            yield token


def markdown_parser() -> mistune.Markdown:
    """A parser that gives the tree (no renderer), with pipe tables and ~~strike-through~~."""
    return _Markdown(["table", "strikethrough"])


def _parse_table(block: Any, m: re.Match[str], state: BlockState) -> int | None:
    """mistune's parse_table (mistune.plugins.table), its rows split by _cells."""
    pos = m.end()
    header = _strip_pipe_table_row(m.group(0))
    if header is None:
        return None
    align_line = state.get_line(pos)
    align = _strip_pipe_table_row(align_line)
    if align is None:
        return None
    thead, aligns = _process_thead(header, align)
    if not thead:
        return int(_parse_invalid_pipe_table(state, pos + len(align_line)))
    assert aligns is not None
    pos += len(align_line)
    rows = []
    while pos < state.cursor_max:
        line = state.get_line(pos)
        text = _strip_pipe_table_row(line)
        if text is None:
            break
        cells = _cells(text)
        if len(cells) != len(aligns):
            return int(_parse_invalid_pipe_table(state, pos + len(line)))
        rows.append(
            {
                "type": "table_row",
                "children": [
                    {"type": "table_cell", "text": cell, "attrs": {"align": align, "head": False}}
                    for cell, align in zip(cells, aligns, strict=True)
                ],
            }
        )
        pos += len(line)
    children = [thead, {"type": "table_body", "children": rows}]
    state.append_token({"type": "table", "children": children})
    return pos


def _cells(row: str) -> list[str]:
    """mistune's split of a table row into stripped cells."""
    if "\\" in row:
        return list(_split_table_cells(row))
    return [cell.strip() for cell in row.split("|")]
