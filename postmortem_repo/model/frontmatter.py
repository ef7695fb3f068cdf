"""Front matter: split with python-frontmatter's boundary, load with PyYAML's safe loader.

The YAML is composed into nodes (not constructed directly) so that pmrepo knows the line and
column of every key and list item, sees duplicate keys (PyYAML silently keeps the last one),
and bounds alias expansion. Timestamps and dates stay the strings the user wrote, so the
schema validates what is in the file rather than PyYAML's interpretation of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import SafeLoader, YAMLHandler

from postmortem_repo.core.textpos import LineIndex

JsonPath = tuple[str | int, ...]

# A budget on the expanded size of the front matter: a YAML alias bomb composes into a
# small graph of shared nodes but expands exponentially when walked.
MAX_NODES = 20_000
MAX_DEPTH = 64

_HANDLER = YAMLHandler()
_TAG = "tag:yaml.org,2002:"
_KEPT_AS_WRITTEN = {_TAG + "timestamp", _TAG + "binary", _TAG + "str"}
_CONSTRUCTED = {_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"}


class FrontMatterProblem(NamedTuple):
    """Why the front matter could not be read as intended. kind is one of: missing, unclosed,
    syntax, not_mapping, duplicate_key, too_complex, unsupported."""

    kind: str
    line: int
    column: int
    message: str


@dataclass
class FrontMatter:
    present: bool = False
    data: dict[str, Any] | None = None
    open_line: int = 1
    close_line: int = 0
    body_offset: int = 0
    key_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    problems: list[FrontMatterProblem] = field(default_factory=list)

    def position(self, path: JsonPath, *, of_value: bool = False) -> tuple[int, int]:
        """The (line, column) of the key at path, or of its nearest ancestor that has one."""
        table = self.value_positions if of_value else self.key_positions
        while path:
            if path in table:
                return table[path]
            if of_value and path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return (self.open_line, 1)


class _BudgetExceeded(Exception):
    pass


class _Walker:
    """Turns composed YAML nodes into plain data, recording positions as it goes."""

    def __init__(self, loader: Any, fm: FrontMatter, first_line: int) -> None:
        self.loader = loader
        self.fm = fm
        self.first_line = first_line
        self.visited = 0

    def pos(self, node: yaml.Node) -> tuple[int, int]:
        mark = node.start_mark
        return (self.first_line + mark.line, mark.column + 1)

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES or depth > MAX_DEPTH:
            raise _BudgetExceeded
        self.fm.value_positions.setdefault(path, self.pos(node))
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            result = []
            for index, item in enumerate(node.value):
                self.fm.key_positions.setdefault((*path, index), self.pos(item))
                result.append(self.build(item, (*path, index), depth + 1))
            return result
        return self.scalar(node)

    def build_mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.merge_into(result, value_node, path, depth)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = self.pos(key_node)
                self.fm.problems.append(
                    FrontMatterProblem(
                        "unsupported", line, column, "a key must be a word, not a list or mapping"
                    )
                )
                continue
            key = str(key_node.value)
            line, column = self.pos(key_node)
            if key in first_seen:
                self.fm.problems.append(
                    FrontMatterProblem(
                        "duplicate_key",
                        line,
                        column,
                        f"key '{key}' appears twice (first on line {first_seen[key]}); "
                        "YAML keeps only the last value: remove one of them",
                    )
                )
            first_seen.setdefault(key, line)
            self.fm.key_positions[(*path, key)] = (line, column)
            self.fm.value_positions[(*path, key)] = self.pos(value_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def merge_into(
        self, result: dict[str, Any], node: yaml.Node, path: JsonPath, depth: int
    ) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            merged = self.build(source, path, depth + 1)
            if isinstance(merged, dict):
                for key, value in merged.items():
                    result.setdefault(key, value)

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag in _CONSTRUCTED:
            try:
                return self.loader.construct_object(node, deep=True)
            except Exception:  # PyYAML raises KeyError/IndexError/ValueError on bad tagged text
                line, column = self.pos(node)
                kind = node.tag.removeprefix(_TAG)
                self.fm.problems.append(
                    FrontMatterProblem(
                        "syntax", line, column, f"'{node.value}' is not a valid !!{kind} value"
                    )
                )
                return str(node.value)
        if node.tag not in _KEPT_AS_WRITTEN and node.tag != "!":
            line, column = self.pos(node)
            self.fm.problems.append(
                FrontMatterProblem(
                    "unsupported", line, column, f"unsupported YAML tag '{node.tag}': remove it"
                )
            )
        return str(node.value)


def parse_front_matter(text: str, lines: LineIndex, max_chars: int = 65536) -> FrontMatter:
    """Split and load the front matter of a normalised (LF, no BOM) document; a front
    matter longer than max_chars is not loaded (YAML this big is not a record)."""
    fm = FrontMatter()
    if not _HANDLER.detect(text):
        fm.problems.append(
            FrontMatterProblem(
                "missing",
                1,
                1,
                "no front matter: start the file with a '---' line, the YAML "
                "record (id, title, date, ...), and a closing '---' line",
            )
        )
        return fm
    fm.present = True
    boundaries = _HANDLER.FM_BOUNDARY.finditer(text)
    opening = next(boundaries)
    closing = next(boundaries, None)
    if closing is None:
        fm.problems.append(
            FrontMatterProblem(
                "unclosed",
                1,
                1,
                "the front matter opened on line 1 is never closed: "
                "add a '---' line after the last key",
            )
        )
        return fm
    fm.close_line = lines.line_of(closing.start())
    fm.body_offset = closing.end()
    if closing.start() - opening.end() > max_chars:
        fm.problems.append(
            FrontMatterProblem(
                "too_complex",
                1,
                1,
                f"the front matter is {(closing.start() - opening.end()) / 1024:,.0f} KB, over "
                f"the limit of {max_chars // 1024:,} KB (limits.max_front_matter_kb in the "
                "config): keep the record short and put text in the body",
            )
        )
        return fm
    _load_yaml(text[opening.end() : closing.start()], fm, lines.line_of(opening.end()))
    return fm


def parse_yaml_record(source: str) -> FrontMatter:
    """A whole YAML file (no '---' lines) loaded as front matter is: with the line of every
    key and value, duplicate keys and oversized input reported as problems."""
    fm = FrontMatter(present=True)
    _load_yaml(source, fm, 1)
    return fm


def _load_yaml(source: str, fm: FrontMatter, first_line: int) -> None:
    loader = SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            fm.data = {}
            return
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            fm.problems.append(
                FrontMatterProblem(
                    "not_mapping",
                    first_line + node.start_mark.line,
                    node.start_mark.column + 1,
                    f"the front matter is {kind}, not a mapping of keys: write 'key: value' lines",
                )
            )
            return
        fm.data = _Walker(loader, fm, first_line).build(node, (), 0)
    except _BudgetExceeded:
        fm.problems.append(_too_complex(fm))
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in str(error.problem):
            fm.problems.append(_too_complex(fm))
        else:
            fm.problems.append(_syntax_problem(error, first_line, source))
    except Exception as error:  # whatever PyYAML raises, one file never stops the run
        fm.problems.append(
            FrontMatterProblem("syntax", fm.open_line, 1, f"invalid YAML: {_one_line(str(error))}")
        )
    finally:
        loader.dispose()


def _too_complex(fm: FrontMatter) -> FrontMatterProblem:
    return FrontMatterProblem(
        "too_complex",
        fm.open_line,
        1,
        f"the front matter expands to more than {MAX_NODES} values or {MAX_DEPTH} levels "
        "(YAML aliases or deep nesting?): write the values out plainly",
    )


def _syntax_problem(
    error: yaml.MarkedYAMLError, first_line: int, source: str
) -> FrontMatterProblem:
    # An unterminated quote or bracket is reported by PyYAML at the end of the input; the
    # place to fix is where it was opened.
    at_end = "end of stream" in str(error.problem)
    mark = (error.context_mark if at_end else None) or error.problem_mark or error.context_mark
    line = first_line + mark.line if mark else first_line
    column = mark.column + 1 if mark else 1
    what = " ".join(part for part in (error.context, error.problem) if part)
    message = f"invalid YAML: {_one_line(what)}"
    if re.search(r"^#{1,6} ", source, re.MULTILINE):
        # A Markdown heading inside the YAML: the closing '---' is missing and a later
        # horizontal rule was taken for it.
        message += " (is the closing '---' of the front matter missing?)"
    return FrontMatterProblem("syntax", line, column, message)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", "\\t (a tab)").split())
