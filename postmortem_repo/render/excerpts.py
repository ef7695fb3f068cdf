"""What the site, the digest, the review deck and the announcement quote of a post-mortem:
its executive summary, its lessons, its impact and its root cause, as plain words.

They are read from mistune's syntax tree of the body, the one the site renders its page
from: a post-mortem is parsed once."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from postmortem_repo.core.textpos import LineIndex, normalise
from postmortem_repo.model.frontmatter import parse_front_matter
from postmortem_repo.model.sections import SectionSpec, SectionsSpec, heading_key, normalise_heading
from postmortem_repo.render.markdown_tree import markdown_parser

Token = dict[str, Any]

# The syntax tree of a Markdown body, inline text parsed: what the site's renderer renders.
PARSER = markdown_parser()


@dataclass(frozen=True)
class Excerpts:
    summary: str  # the Executive Summary's first paragraph
    impact: str  # the Impact section's (or User Impact's) first paragraph
    root_cause: str  # the Root Cause subsection's first paragraph
    lessons: tuple[str, ...]  # the list items of Lessons Learned, subsections taking turns


EMPTY = Excerpts("", "", "", ())


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """A post-mortem's (or pattern's) front matter (empty when unreadable) and its Markdown
    body after it."""
    normalised = normalise(text)
    front = parse_front_matter(normalised, LineIndex(normalised))
    data = front.data if isinstance(front.data, dict) else {}
    return data, normalised[front.body_offset :]


def parse_body(body: str) -> list[Token]:
    tokens, _ = PARSER.parse(body)
    assert isinstance(tokens, list)  # the parser has no renderer: it gives the tree
    return tokens


def excerpts_of(tokens: list[Token], spec: SectionsSpec) -> Excerpts:
    sections = _sections(tokens, spec)
    return Excerpts(
        summary=_first_paragraph(sections.get("Executive Summary", [])),
        impact=_first_paragraph(sections.get("User Impact") or sections.get("Impact", [])),
        root_cause=_first_paragraph(sections.get("Root Cause", [])),
        lessons=_lessons(sections.get("Lessons Learned", []), spec.subsection_level),
    )


def excerpts_of_text(text: str, spec: SectionsSpec) -> Excerpts:
    """The excerpts of a post-mortem's whole text (front matter and body)."""
    return excerpts_of(parse_body(split_front_matter(text)[1]), spec)


def _sections(tokens: list[Token], spec: SectionsSpec) -> dict[str, list[Token]]:
    """The tokens under each section and subsection the spec names, by its name; a
    section's list includes its subsections' headings and tokens."""
    found: dict[str, list[Token]] = {}
    section: SectionSpec | None = None
    open_lists: list[list[Token]] = []
    for token in tokens:
        level = token.get("attrs", {}).get("level") if token["type"] == "heading" else None
        if level is not None and level <= spec.section_level:
            section = _named(token, spec.sections)
            open_lists = [found.setdefault(section.name, [])] if section else []
            continue
        if level == spec.subsection_level and section is not None:
            child = _named(token, section.subsections)
            open_lists = open_lists[:1] + ([found.setdefault(child.name, [])] if child else [])
        for collected in open_lists:
            collected.append(token)
    return found


def _named(heading: Token, specs: tuple[SectionSpec, ...]) -> SectionSpec | None:
    text = plain_text_of(heading.get("children", []))
    for key in (normalise_heading(text), heading_key(text)):
        for spec in specs:
            if any(normalise_heading(name) == key for name in spec.names()):
                return spec
    return None


def _first_paragraph(tokens: list[Token]) -> str:
    """The first paragraph's words; a list's items joined with semicolons."""
    for token in tokens:
        if token["type"] == "heading":
            continue
        if token["type"] == "paragraph":
            return plain_text_of(token.get("children", []))
        if token["type"] == "list":
            return "; ".join(_items(token))
    return ""


def _items(listing: Token) -> Iterator[str]:
    for item in listing.get("children", []):
        words = plain_text_of(item.get("children", []))
        if words:
            yield words


def _lessons(tokens: list[Token], subsection_level: int) -> tuple[str, ...]:
    """The bullet items of a section, taking turns between its subsections (what went
    well, what went poorly, where we got lucky): the first few are from each."""
    groups: list[list[str]] = [[]]
    for token in tokens:
        if token["type"] == "heading" and token["attrs"]["level"] >= subsection_level:
            groups.append([])
        elif token["type"] == "list":
            groups[-1].extend(_items(token))
    turns = zip_longest(*groups)
    return tuple(item for turn in turns for item in turn if item is not None)


def plain_text_of(tokens: list[Token]) -> str:
    """The words a reader sees in tokens, on one line: no markup, no link targets."""
    words: list[str] = []
    _collect(tokens, words)
    return " ".join("".join(words).split())


def plain_text(text: str) -> str:
    """Markdown as the words a reader sees, on one line."""
    return plain_text_of(parse_body(text))


_BLOCKS = frozenset(
    {"paragraph", "block_text", "list_item", "heading", "list", "table_cell", "table_row"}
)
# An entity or character reference as CommonMark reads one (the semicolon is required).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def decode_entities(text: str) -> str:
    """A text token's words: mistune leaves '&gt;' and '&#x3C;' as written, and a reader
    (on GitHub too) sees '>' and '<'."""
    return _ENTITY.sub(lambda match: html.unescape(match.group()), text) if "&" in text else text


def only_comments(raw_html: str) -> bool:
    """HTML that is nothing but comments (a pmrepo marker, a note to reviewers)."""
    return not _COMMENT.sub("", raw_html).strip()


def _collect(tokens: list[Token], words: list[str]) -> None:
    for token in tokens:
        kind = token.get("type")
        if kind == "text" and "raw" in token:
            words.append(decode_entities(str(token["raw"])))
        elif kind == "codespan" and "raw" in token:
            words.append(str(token["raw"]))
        elif kind in {"inline_html", "block_html"} and not only_comments(str(token["raw"])):
            # Text that looks like HTML ('<br>', '<receipt-id>') is words to a reader of the
            # site, which shows it as text: the digest, the deck and the announcement too.
            words.append(str(token["raw"]))
        elif kind in {"softbreak", "linebreak"}:
            words.append(" ")
        children = token.get("children")
        if isinstance(children, list):
            _collect(children, words)
            if kind in _BLOCKS:
                words.append(" ")
