"""Post-mortem Markdown as HTML for the site: what people wrote is shown, never run.

Raw HTML is escaped, links leave only to the web (http, https, mailto) or to another page
of the site, images are shown as their description (the site must work offline and copies
no file), and headings move one level down under the page's own title."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

import mistune
from mistune.core import BlockState
from mistune.renderers.html import HTMLRenderer
from mistune.util import escape as escape_html

from postmortem_repo.render.excerpts import Token, decode_entities, only_comments, parse_body

_WEB_SCHEMES = ("http", "https", "mailto")
_TAG = re.compile(r"<[^>]*>")
_NOT_IN_ANCHOR = re.compile(r"[^\w\- ]")
# The ids the page templates give their own elements: a heading of the same name gets '-1'.
_PAGE_IDS = ("main", "actions-heading", "document-heading", "members-heading", "text-heading")

# relpath of a post-mortem or pattern file (repository-relative) → its page, from the page
# being rendered; None for a file the site has no page for.
PageOf = Callable[[str], str | None]


class SiteRenderer(HTMLRenderer):
    """mistune's HTML renderer with every HTML field escaped and links checked."""

    def __init__(self) -> None:
        super().__init__(escape=True)
        self._folder = ""
        self._page_of: PageOf = _no_pages
        self._anchors: dict[str, int] = {}  # a heading's anchor → how many times it came
        self._by_type: dict[str, Callable[..., str]] = {}

    def render_body(self, tokens: list[Token], relpath: str, page_of: PageOf) -> str:
        """The HTML of a body's tokens, its relative links read from relpath's folder."""
        self._folder, self._page_of = posixpath.dirname(relpath), page_of
        self._anchors = dict.fromkeys(_PAGE_IDS, 0)
        return str(self(tokens, BlockState()))

    def _get_method(self, name: str) -> Callable[..., str]:
        # mistune looks the method up for every token: an attribute, else (a table cell, say)
        # a registered one, after an AttributeError. The answer never changes: keep it.
        method = self._by_type.get(name)
        if method is None:
            method = self._by_type[name] = super()._get_method(name)
        return method

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        level = min(level + 1, 6)
        return f'<h{level} id="{escape_html(self._anchor(text))}">{text}</h{level}>\n'

    def _anchor(self, inner_html: str) -> str:
        """The id GitHub gives a heading, so that a link to '#executive-summary' works on
        the site as it does there: its words in lower case, spaces as '-', punctuation
        dropped, '-1', '-2' after a repeat."""
        words = html.unescape(_TAG.sub("", inner_html)).strip().lower()
        slug = _NOT_IN_ANCHOR.sub("", words).replace(" ", "-")
        seen = self._anchors.get(slug)
        self._anchors[slug] = 0 if seen is None else seen + 1
        return slug if seen is None else f"{slug}-{seen + 1}"

    def link(self, text: str, url: str, title: str | None = None) -> str:
        target = self._target(url)
        if target is None:
            return f'<span class="unlinked">{text}</span>'
        shown = f' title="{escape_html(title)}"' if title else ""
        return f'<a href="{escape_html(target)}"{shown}>{text}</a>'

    def text(self, text: str) -> str:
        return escape_html(decode_entities(text))

    def block_html(self, html: str) -> str:
        return "" if only_comments(html) else f"<p>{escape_html(html.strip())}</p>\n"

    def inline_html(self, html: str) -> str:
        return "" if only_comments(html) else escape_html(html)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        return f'<span class="image-alt">[image: {text}]</span>'

    def _target(self, url: str) -> str | None:
        """Where a link may go: the web, an anchor of this page, or a page of the site."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme:
            scheme = parts.scheme.lower()
            web = scheme == "mailto" or (scheme in _WEB_SCHEMES and bool(parts.netloc))
            return url if web else None
        if not parts.path:
            return url if parts.fragment else None
        if parts.netloc:
            return None
        path = posixpath.normpath(posixpath.join(self._folder, unquote(parts.path)))
        page = self._page_of(path)
        if page is None:
            return None
        return page + (f"#{parts.fragment}" if parts.fragment else "")


def _no_pages(relpath: str) -> str | None:
    return None


# One renderer, with the table and strike-through renderers registered on it: a process
# renders one page at a time.
_HTML = mistune.create_markdown(renderer=SiteRenderer(), plugins=["table", "strikethrough"])


def render_tokens(tokens: list[Token], relpath: str, page_of: PageOf) -> str:
    """The HTML of a post-mortem's (or pattern's) body, parsed by excerpts.parse_body."""
    renderer = _HTML.renderer
    assert isinstance(renderer, SiteRenderer)
    return renderer.render_body(tokens, relpath, page_of)


def render_markdown(text: str, relpath: str, page_of: PageOf) -> str:
    """The HTML of Markdown text."""
    return render_tokens(parse_body(text), relpath, page_of)
