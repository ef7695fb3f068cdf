"""What a post-mortem says, as words to compare: stems, stop words, the sections read."""

from __future__ import annotations

import pytest

from postmortem_repo.model.document import parse_document
from postmortem_repo.model.wording import stem, wording_of, words
from postmortem_repo.repo.config import Config


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("exhausted", "exhaust"),
        ("exhaustion", "exhaust"),
        ("exhausts", "exhaust"),
        ("certificates", "certificat"),
        ("certificate", "certificat"),
        ("expired", "expir"),
        ("expires", "expir"),
        ("names", "name"),
        ("name", "name"),
        ("dropped", "drop"),
        ("retries", "retry"),
        ("caches", "cach"),
        ("access", "access"),
        ("dns", "dns"),
    ],
)
def test_stem_folds_the_endings_post_mortems_use(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_words_leave_out_stop_words_links_ids_and_host_names() -> None:
    text = (
        "The pool wasn't resized (see https://wiki.example.com/x and INC-2023-0047); "
        "api.example.com ran v5.12.0 in the post-mortem."
    )
    assert words(text) == ["pool", "resized", "see", "ran"]


def test_words_leave_out_dates_times_and_the_templates_words() -> None:
    text = (
        "On Tuesday 14 June at 2024-06-14T09:30:00Z (UTC), 3 minutes after PAY-12 shipped, "
        "the SEV2 incident's root cause (see the Root Cause Analysis and action items) was "
        "a DNS resolver timeout."
    )
    assert words(text) == ["shipped", "see", "dns", "resolver", "timeout"]


POST_MORTEM = """---
id: INC-2024-0007
title: Connection pool exhausted on orders-api
date: 2024-03-01
status: PUBLISHED
---

# Connection pool exhausted on orders-api

## Executive Summary

Orders failed for twelve minutes.

## Timeline

| Time (UTC) | Source | Event |
|---|---|---|
| 10:00 | alert | Kafka lag alert fired |

## Root Cause Analysis

### Proximate Cause

Slow queries held every connection.

## Lessons Learned

- Alert on pool wait time.
"""


def test_the_title_summary_root_cause_and_lessons_are_read_and_nothing_else() -> None:
    doc = parse_document(POST_MORTEM, path="x.md", relpath="2024/Q1/x.md", spec=Config().sections)
    wording = wording_of(doc, "Connection pool exhausted on orders-api")
    assert wording.terms == {
        "alert": 1, "api": 2, "connect": 3, "exhaust": 2, "fail": 1, "held": 1, "ord": 3,
        "pool": 3, "query": 1, "slow": 1, "time": 1, "twelv": 1, "wait": 1,
    }  # fmt: skip
    # The timeline's words (Kafka, lag) and the subsection's heading are not read.
    assert wording.cause_words == ("slow", "queries", "held", "connection")
