"""Fenced code blocks in Markdown, read one line at a time."""

from __future__ import annotations

from postmortem_repo.core.markup import CodeFences


def test_code_fences_close_only_with_their_own_fence() -> None:
    lines = [
        "text",
        "````markdown",  # opens
        "~~~",  # another character: code
        "```",  # shorter: code
        "```` info",  # an info string: code
        "````",  # closes
        "after",
        "   ~~~",  # opens, indented up to three spaces
        "<!-- pmrepo-disable-file -->",
        "~~~~",  # closes
        "    ```",  # four spaces: indented code, not a fence
    ]
    fences = CodeFences()
    assert [fences.is_code(line) for line in lines] == [
        False, True, True, True, True, True, False, True, True, True, False,
    ]  # fmt: skip
