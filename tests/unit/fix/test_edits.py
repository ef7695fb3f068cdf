"""Edits are made where the check saw the text; everything else stays byte for byte."""

from __future__ import annotations

import pytest

from postmortem_repo.api import apply_fixes
from postmortem_repo.core.fixes import Edit, EditConflict, apply_edits, rewrite, safe


def test_an_edit_replaces_its_range_only() -> None:
    text = "a: sev2\nb: x\n"
    assert apply_edits(text, [Edit(1, 4, 1, 8, "SEV2")]) == "a: SEV2\nb: x\n"


def test_crlf_and_a_bom_are_kept_and_a_replacement_takes_the_files_line_breaks() -> None:
    text = "\ufeffa: sev2\r\nb: x\r\n"
    edits = [Edit(1, 4, 1, 8, "SEV2"), Edit(2, 4, 2, 5, "y\nz")]
    assert apply_edits(text, edits) == "\ufeffa: SEV2\r\nb: y\r\nz\r\n"


def test_a_mixed_file_keeps_each_of_its_line_endings() -> None:
    text = "one\r\ntwo\nthree\rfour"
    assert apply_edits(text, [Edit(3, 1, 3, 6, "THREE")]) == "one\r\ntwo\nTHREE\rfour"


def test_an_edit_can_take_a_line_break_by_ending_at_the_next_line() -> None:
    assert apply_edits("a\nb\nc\n", [Edit(2, 1, 2, 3, "")]) == "a\nc\n"


def test_overlapping_edits_are_refused_and_nothing_is_applied() -> None:
    with pytest.raises(EditConflict, match="overlap"):
        apply_edits("abcdef", [Edit(1, 1, 1, 4, "x"), Edit(1, 3, 1, 5, "y")])


def test_an_edit_outside_the_text_is_refused() -> None:
    with pytest.raises(EditConflict, match="line 3"):
        apply_edits("a\nb", [Edit(3, 1, 3, 1, "x")])


def test_rewrite_changes_only_what_differs() -> None:
    old = "head\n<!-- s -->\nold row\n<!-- e -->\ntail\n"
    new = "head\n<!-- s -->\nnew row\nmore\n<!-- e -->\ntail\n"
    edit = rewrite(old, new)
    assert (edit.line, edit.column) == (3, 1)
    assert apply_edits(old, [edit]) == new


def test_apply_fixes_skips_a_fix_that_overlaps_an_earlier_one() -> None:
    first = safe("one", Edit(1, 1, 1, 3, "AB"))
    second = safe("two", Edit(1, 2, 1, 4, "X"))
    third = safe("three", Edit(1, 5, 1, 6, "E"))
    assert apply_fixes("abcde", [first, second, third]) == "ABcdE"


def test_rewrite_turns_any_text_into_any_other() -> None:
    import random

    for seed in range(300):
        chance = random.Random(seed)
        old = "".join(chance.choice("ab\n") for _ in range(chance.randint(0, 30)))
        new = "".join(chance.choice("ab\n") for _ in range(chance.randint(0, 30)))
        assert apply_edits(old, [rewrite(old, new)]) == new, (old, new)
