"""Markdown body → blocks with exact source lines → an outline of sections.

mistune 3's tokens carry no positions. pmrepo runs mistune's block parser only (no inline
pass: structure rules need none of it) with a state that stamps every top-level token with
the parser's cursor at the moment the block's parse began. A block's text runs from its
start to the next block's start, so tables are re-read from their own source lines: each
row keeps its line, and rows with a wrong cell count are reported rather than dropped.
Only top-level blocks are kept, so the inside of a list or block quote is never parsed and
a table's cells are only counted (where a block ends does not depend on either).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import mistune
from mistune.block_parser import BlockParser
from mistune.core import BlockState
from mistune.plugins.table import table as table_plugin

# pmrepo's lean list and table rules (below) reuse mistune's own helpers, which are private
# and appeared in mistune 3.3. Where they are missing (an older mistune, or a later one that
# moved them), mistune's own rules run instead: the same blocks, a slower parse.
try:
    from mistune.list_parser import (
        _collect_list_item_lines,
        _compile_continue_width,
        _compile_list_break_sc,
        _compile_list_item_pattern,
        _create_list_marker,
        _get_list_bullet,
    )
    from mistune.plugins.table import (
        NP_TABLE_PATTERN,
        TABLE_PATTERN,
        _parse_invalid_pipe_table,
        _split_table_cells,
        _strip_pipe_table_row,
        _strip_table_line,
    )

    LEAN_RULES = True
except ImportError:
    LEAN_RULES = False

from postmortem_repo.core.markup import without_comments
from postmortem_repo.core.textpos import LineIndex


class _PositionedState(BlockState):
    """A block state that records where each top-level token starts."""

    method_start: int | None = None

    def _start(self) -> int:
        return self.cursor if self.method_start is None else self.method_start

    def append_token(self, token: dict[str, Any]) -> None:
        token.setdefault("_pos", self._start())
        super().append_token(token)

    def prepend_token(self, token: dict[str, Any]) -> None:
        token.setdefault("_pos", self._start())
        super().prepend_token(token)

    def add_paragraph(self, text: str) -> None:
        last = self.last_token()
        if last and last["type"] == "paragraph":
            last["text"] += text
        else:
            self.tokens.append({"type": "paragraph", "text": text, "_pos": self.cursor})


class _PositionedBlockParser(BlockParser):
    state_cls = _PositionedState

    def __init__(self, lean: bool = True) -> None:
        super().__init__()
        self.lean = lean
        self._patterns: dict[tuple[str, int], tuple[re.Pattern[str], re.Pattern[str]]] = {}

    def parse(self, state: BlockState, rules: list[str] | None = None) -> None:
        # A state with a parent is the inside of a list item or a block quote: where the
        # list or quote ends is settled before mistune parses its inside, and nothing in
        # pmrepo reads nested tokens. Parsing them was a third of a file's parse.
        if state.parent is None:
            super().parse(state, rules)

    def parse_list(self, m: re.Match[str], state: BlockState) -> int:
        """mistune's list rule (mistune.list_parser.parse_list) reduced to where the list
        ends: its items' lines are gathered as mistune gathers them, but not their text."""
        if not self.lean:
            return int(super().parse_list(m, state))
        item = _create_list_marker(m, "list")
        if not item.text.strip():
            end_pos: int | None = state.append_paragraph()  # an empty item cannot
            if end_pos:  # interrupt a paragraph
                return end_pos
        attrs: dict[str, Any] = {"depth": state.depth(), "ordered": item.ordered}
        token = {"type": "list", "bullet": item.bullet, "attrs": attrs}
        if item.ordered and int(item.marker[:-1]) != 1:
            end_pos = state.append_paragraph()  # only a list that starts at 1 can
            if end_pos:  # interrupt a paragraph
                return end_pos
            attrs["start"] = int(item.marker[:-1])
        state.cursor = m.end() + 1
        bullet = _get_list_bullet(item.bullet)
        while True:
            text, continue_width = _compile_continue_width(item.text, item.leading_width)
            item_re, break_re = self._list_patterns(bullet, item.leading_width)
            lines = _collect_list_item_lines(self, item_re, break_re, state, text, continue_width)
            if lines.next_item is None:
                break
            item = lines.next_item
        if lines.end_pos:
            # The block that ended the list was parsed first: the list goes before it.
            assert lines.token_index is not None
            state.tokens.insert(lines.token_index, token)
            return lines.end_pos
        state.append_token(token)
        return state.cursor

    def _list_patterns(
        self, bullet: str, leading_width: int
    ) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """What starts the next item, and what ends an item: mistune builds both for every
        item; they depend only on the bullet and the indent."""
        key = (bullet, leading_width)
        if key not in self._patterns:
            self._patterns[key] = (
                re.compile(_compile_list_item_pattern(bullet, leading_width)),
                _compile_list_break_sc(self, leading_width),
            )
        return self._patterns[key]

    def parse_atx_heading(self, m: re.Match[str], state: BlockState) -> int:
        """mistune's ATX heading rule, its closing sequence removed by atx_closed rather
        than by the regex (\\s+|^)#+\\s*$, which reads a long run of spaces once for each
        of them."""
        if not self.lean:
            return int(super().parse_atx_heading(m, state))
        level = len(m.group("atx_1"))
        text = m.group("atx_2").strip(string.whitespace)
        token = {"type": "heading", "text": atx_closed(text), "attrs": {"level": level}}
        token["style"] = "atx"
        state.append_token(token)
        return m.end() + 1

    def parse_method(self, m: re.Match[str], state: BlockState) -> Any:
        assert isinstance(state, _PositionedState)
        # Some block methods move the cursor before they append (lists, HTML blocks) or
        # insert their token behind one parsed inside them (a list ended by a heading): a
        # block starts where the method that produced it was entered.
        outer, start, count = state.method_start, state.cursor, len(state.tokens)
        state.method_start = start
        try:
            return super().parse_method(m, state)
        finally:
            state.method_start = outer
            for token in state.tokens[count:]:
                token.setdefault("_pos", start)


def _table_cells(text: str) -> list[str]:
    """A table row's cells as mistune's table plugin splits them."""
    if "\\" in text:
        return _split_table_cells(text)  # a backslash may escape a pipe
    return [cell.strip() for cell in text.split("|")]


def _cell_count(text: str) -> int:
    return len(_split_table_cells(text)) if "\\" in text else text.count("|") + 1


def _table_columns(header: str, align: str) -> int | None:
    """The column count of a table mistune accepts (a header and a delimiter row of as
    many cells, each dashes with optional colons, or empty), else None."""
    aligns = _table_cells(align)
    if _cell_count(header) != len(aligns):
        return None
    if not all(not cell or _DELIMITER_CELL.match(cell) for cell in aligns):
        return None
    return len(aligns)


def _parse_table(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """mistune's pipe-table rule: the same blocks, ending at the same places, without the
    cell tokens (table_of re-reads a table from its lines)."""
    return _table_end(m, state, _strip_pipe_table_row, _parse_invalid_pipe_table)


def _parse_nptable(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """mistune's rule for a table without outer pipes, likewise without cell tokens."""
    return _table_end(m, state, _strip_table_line, _not_a_table)


def _not_a_table(state: BlockState, end: int) -> None:
    return None


def _table_end(
    m: re.Match[str],
    state: BlockState,
    strip: Callable[[str], str | None],
    invalid: Callable[[BlockState, int], int | None],
) -> int | None:
    """Where a table that starts at m ends (its token appended), or what invalid says of
    a header, delimiter or row with the wrong number of cells."""
    pos = m.end()
    header = strip(m.group(0))
    if header is None:
        return None
    align_line = state.get_line(pos)
    align = strip(align_line)
    if align is None:
        return None
    columns = _table_columns(header, align)
    if columns is None:
        return invalid(state, pos + len(align_line))
    pos += len(align_line)
    while pos < state.cursor_max:
        line = state.get_line(pos)
        text = strip(line)
        if text is None:
            break
        if _cell_count(text) != columns:
            return invalid(state, pos + len(line))
        pos += len(line)
    state.append_token({"type": "table", "children": []})
    return pos


def _tables(md: mistune.Markdown) -> None:
    md.block.register("table", TABLE_PATTERN, _parse_table, before="paragraph")
    md.block.register("nptable", NP_TABLE_PATTERN, _parse_nptable, before="paragraph")


_DELIMITER_CELL = re.compile(r"^:?-+:?$")


def markdown_parser(lean: bool = LEAN_RULES) -> mistune.Markdown:
    """The block parser pmrepo reads documents with; lean=False is mistune's own rules."""
    plugins = [_tables] if lean else [table_plugin]
    return mistune.Markdown(renderer=None, block=_PositionedBlockParser(lean), plugins=plugins)


_MARKDOWN = markdown_parser()


def atx_closed(text: str) -> str:
    """text without a closing sequence of '#' (re.sub(r"(\\s+|^)#+\\s*$", "", text) on
    text with no leading or trailing ASCII whitespace, as mistune removes it)."""
    body = text.rstrip()
    if not body.endswith("#"):
        return text
    before = body.rstrip("#")
    if not before:
        return ""
    return before.rstrip() if before[-1].isspace() else text


def atx_text(line: str) -> str | None:
    """The text of an ATX heading line, as the group (.*?) of
    ^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$ reads it ('' for none); None
    when that regex does not match. Read with string methods: the regex tried each length
    of the text against a long run of spaces after it."""
    rest = line[len(line) - len(line.lstrip(" ")) :] if line.startswith(" ") else line
    if len(line) - len(rest) > 3:
        return None
    hashes = len(rest) - len(rest.lstrip("#"))
    if not 1 <= hashes <= 6:
        return None
    rest = rest[hashes:]
    if not rest:
        return ""
    if rest[0] not in " \t":
        return None
    body = rest.lstrip(" \t").rstrip(" \t")
    if body.endswith("#"):
        before = body.rstrip("#")
        if before and before[-1] in " \t":
            return before.rstrip(" \t")
    return body


@dataclass
class Block:
    kind: str
    line: int
    end_line: int
    token: dict[str, Any] = field(repr=False)


@dataclass
class Heading:
    level: int
    text: str
    line: int


@dataclass
class TableRow:
    line: int
    cells: list[str]
    # (start, end) offsets of each cell in the row's line, as cell_spans gives them
    spans: list[tuple[int, int]] = field(default_factory=list, repr=False)


@dataclass
class Table:
    line: int
    header: list[str]
    rows: list[TableRow]
    bad_rows: list[TableRow] = field(default_factory=list)


@dataclass
class Section:
    heading: Heading
    end_line: int
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        """Anything a reader would see: an HTML comment alone is not content."""
        visible = any(not _is_comment(block) for block in self.blocks)
        return visible or any(child.has_content for child in self.children)


def _is_comment(block: Block) -> bool:
    raw = block.token.get("raw", "")
    return block.kind == "block_html" and not without_comments(raw).strip()


def parse_blocks(
    src: str, lines: LineIndex, source_lines: list[str], parser: mistune.Markdown = _MARKDOWN
) -> list[Block]:
    """Block-parse src and return its top-level blocks (blank lines dropped) with lines."""
    state = _PositionedState()
    state.process(src)
    parser.block.parse(state)
    tokens = state.tokens
    blocks = []
    for index, token in enumerate(tokens):
        if token["type"] == "blank_line":
            continue
        start = token.get("_pos", 0)
        end = tokens[index + 1].get("_pos", len(src)) if index + 1 < len(tokens) else len(src)
        first = lines.line_of(start)
        last = max(first, lines.line_of(max(start, end - 1)))
        while last > first and not source_lines[last - 1].strip():
            last -= 1
        blocks.append(Block(token["type"], first, last, token))
    return blocks


def heading_of(block: Block, source_lines: list[str]) -> Heading | None:
    if block.kind != "heading":
        return None
    level = int(block.token.get("attrs", {}).get("level", 1))
    first = source_lines[block.line - 1]
    atx = atx_text(first)
    if atx is not None and block.token.get("style") != "setext":
        text = atx
    else:
        text = " ".join(line.strip() for line in source_lines[block.line - 1 : block.end_line - 1])
    return Heading(level, text.strip(), block.line)


def table_of(block: Block, source_lines: list[str]) -> Table | None:
    """Read a pipe table from its source lines; also catches tables mistune rejected."""
    if block.kind not in ("table", "paragraph"):
        return None
    end = block.end_line
    if block.kind == "table":
        # GFM rows need no closing pipe ('| 11:00 | b'), but mistune ends the table at the
        # first such row and reads the rest as a paragraph: read on to the blank line.
        while end < len(source_lines) and "|" in source_lines[end] and source_lines[end].strip():
            end += 1
    raw = source_lines[block.line - 1 : end]
    # mistune found a table; a paragraph of pipe rows is a table it rejected (bad cells).
    if len(raw) < 2 or (block.kind == "paragraph" and not raw[0].lstrip().startswith("|")):
        return None
    delimiter = split_row(raw[1])
    if not delimiter or not all(_DELIMITER_CELL.match(cell.replace(" ", "")) for cell in delimiter):
        return None
    header = split_row(raw[0])
    table = Table(block.line, header, [])
    for offset, text in enumerate(raw[2:], start=2):
        if not text.strip():
            break
        row = TableRow(block.line + offset, split_row(text), cell_spans(text))
        (table.rows if len(row.cells) == len(header) else table.bad_rows).append(row)
    return table


_UNESCAPED_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def split_row(text: str) -> list[str]:
    """The cells of one pipe-table row; '\\|' is a literal pipe inside a cell."""
    text = text.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    if "\\" not in text and "\x00" not in text:
        return [cell.strip() for cell in text.split("|")]  # no pipe is escaped
    # Keep an even run of backslashes before a separating pipe with the cell before it.
    cells = _UNESCAPED_PIPE.sub(lambda m: m.group(1) + "\x00", text).split("\x00")
    return [cell.strip().replace("\\|", "|") for cell in cells]


def build_outline(
    blocks: list[Block], source_lines: list[str], last_line: int
) -> tuple[list[Heading], Section]:
    """Nest sections by heading level under a level-0 root; returns (headings, root)."""
    root = Section(Heading(0, "", 1), last_line)
    stack = [root]
    headings = []
    for block in blocks:
        heading = heading_of(block, source_lines)
        if heading is None:
            stack[-1].blocks.append(block)
            table = table_of(block, source_lines)
            if table is not None:
                stack[-1].tables.append(table)
            continue
        headings.append(heading)
        while stack[-1].heading.level >= heading.level:
            stack.pop().end_line = _last_text_line(source_lines, heading.line - 1)
        section = Section(heading, last_line)
        stack[-1].children.append(section)
        stack.append(section)
    for section in stack[1:]:
        section.end_line = _last_text_line(source_lines, last_line)
    return headings, root


def _last_text_line(source_lines: list[str], line: int) -> int:
    """The last line at or before line (1-based) that is not blank."""
    while line > 1 and (line > len(source_lines) or not source_lines[line - 1].strip()):
        line -= 1
    return line


_CELL_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def cell_spans(row: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each cell of a pipe-table row, without outer pipes."""
    pipes = _pipes(row) if "\\" not in row else [m.end() - 1 for m in _CELL_BREAK.finditer(row)]
    stripped = row.strip()
    bounds = pipes
    if not stripped.startswith("|"):
        bounds = [len(row) - len(row.lstrip()) - 1, *bounds]
    if not stripped.endswith("|") or stripped.endswith("\\|"):
        bounds = [*bounds, len(row.rstrip())]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]


def _pipes(row: str) -> list[int]:
    """Offsets of every '|' in a row without backslashes (none is escaped)."""
    found = []
    position = row.find("|")
    while position >= 0:
        found.append(position)
        position = row.find("|", position + 1)
    return found


def renumber(headings: list[Heading], root: Section, origin: list[int], last_line: int) -> None:
    """Give an outline built from some of a text's lines (origin[i]: the text's line of the
    i-th, 1-based) the text's own line numbers; the root ends at last_line."""

    def line(number: int) -> int:
        return origin[number - 1]

    for heading in headings:
        heading.line = line(heading.line)
    stack = [root]
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        if section is not root:
            section.end_line = line(section.end_line)
        for block in section.blocks:
            block.line, block.end_line = line(block.line), line(block.end_line)
        for table in section.tables:
            table.line = line(table.line)
            for row in (*table.rows, *table.bad_rows):
                row.line = line(row.line)
    root.end_line = last_line
