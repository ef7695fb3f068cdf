"""What the site, the digest, the review deck and the announcement quote of a post-mortem:
its executive summary, its lessons, its impact and its root cause, as plain words."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

import mistune

from postmortem_repo.model.document import Document, MatchedSection

_LIST_MARKERS = ("- ", "* ", "+ ")


@dataclass(frozen=True)
class Excerpts:
    summary: str  # the Executive Summary's first paragraph
    impact: str  # the Impact section's (or User Impact's) first paragraph
    root_cause: str  # the Root Cause subsection's first paragraph
    lessons: tuple[str, ...]  # the list items of Lessons Learned, subsections taking turns


EMPTY = Excerpts("", "", "", ())


def excerpts_of(doc: Document) -> Excerpts:
    sections = {
        matched.spec.name: matched for matched in doc.all_sections() if matched.spec is not None
    }
    return Excerpts(
        summary=_first_paragraph(doc, sections.get("Executive Summary")),
        impact=_first_paragraph(doc, sections.get("User Impact") or sections.get("Impact")),
        root_cause=_first_paragraph(doc, sections.get("Root Cause")),
        lessons=_list_items(doc, sections.get("Lessons Learned")),
    )


def _lines(doc: Document, matched: MatchedSection | None) -> list[str]:
    """The section's own lines, after its heading, subsections included."""
    if matched is None:
        return []
    section = matched.section
    return doc.lines[section.heading.line : section.end_line]


def _first_paragraph(doc: Document, matched: MatchedSection | None) -> str:
    """The first paragraph's words; a list's items joined with semicolons."""
    paragraph: list[str] = []
    for line in _lines(doc, matched):
        text = line.strip()
        if paragraph and not text:
            break
        if text.startswith(("#", "|", "<!--", "```", "~~~")) or not text:
            continue
        paragraph.append(text)
    if paragraph and paragraph[0].startswith(_LIST_MARKERS):
        return "; ".join(_items(paragraph))
    return plain_text("\n".join(paragraph))


def _list_items(doc: Document, matched: MatchedSection | None) -> tuple[str, ...]:
    """The bullet items of a section, taking turns between its subsections (what went
    well, what went poorly, where we got lucky): the first few are from each."""
    groups: list[list[str]] = [[]]
    for line in _lines(doc, matched):
        if line.startswith("#"):
            groups.append([])
        else:
            groups[-1].append(line)
    items = [_items(group) for group in groups]
    turns = zip_longest(*items)
    return tuple(item for turn in turns for item in turn if item is not None)


def _items(lines: list[str]) -> list[str]:
    """The words of each bullet item among lines, continuation lines included."""
    items: list[list[str]] = []
    for line in lines:
        text = line.strip()
        if text.startswith(_LIST_MARKERS):
            items.append([text[2:]])
        elif text and items and line.startswith((" ", "\t")):
            items[-1].append(text)
    return [words for item in items if (words := plain_text(" ".join(item)))]


def plain_text(text: str) -> str:
    """Markdown as the words a reader sees, on one line: no markup, no link targets."""
    tokens = _PLAIN(text)
    words: list[str] = []
    _collect(tokens if isinstance(tokens, list) else [], words)
    return " ".join("".join(words).split())


def _collect(tokens: list[dict[str, Any]], words: list[str]) -> None:
    for token in tokens:
        if "raw" in token and token.get("type") in {"text", "codespan"}:
            words.append(str(token["raw"]))
        elif token.get("type") in {"softbreak", "linebreak"}:
            words.append(" ")
        children = token.get("children")
        if isinstance(children, list):
            _collect(children, words)
            if token.get("type") in {"paragraph", "block_text", "list_item", "heading"}:
                words.append(" ")


_PLAIN = mistune.create_markdown(renderer=None, plugins=["strikethrough"])
