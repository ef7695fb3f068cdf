"""pmrepo related and PM706 against the labelled set of related post-mortems
(tests/data/related/): the figures the README states."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "related_quality", REPO / "bench/related_quality.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["related_quality"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


@pytest.fixture(scope="module")
def repositories() -> Iterator[list[object]]:
    with BENCH.labelled_repositories() as labelled:
        yield labelled


def test_the_labelled_set_is_as_large_as_promised(repositories: list[object]) -> None:
    incidents = [len(BENCH.related_index(r.root).incidents) for r in repositories]  # type: ignore[attr-defined]
    pairs = [len(r.pairs) for r in repositories]  # type: ignore[attr-defined]
    # dfds has 39 post-mortems; one has no date pmrepo can read, so it is no incident.
    assert (incidents, pairs) == ([10, 105, 38], [3, 90, 23])


def test_precision_at_1_and_recall_at_3(repositories: list[object]) -> None:
    parts = [BENCH.score(labelled) for labelled in repositories]
    summed = BENCH.total(parts)
    assert [(p.queries, p.hits_at_1, p.pairs, p.found_in_3) for p in parts] == [
        (3, 3, 3, 3),
        (60, 59, 90, 90),
        (21, 15, 23, 19),
    ]
    assert summed.precision_at_1 >= 0.8
    assert summed.recall_at_3 >= 0.9


def test_pm706_on_dfds_warns_once_and_rightly(repositories: list[object]) -> None:
    dfds: Path = repositories[2].root  # type: ignore[attr-defined]
    judged, warnings = BENCH.dfds_warnings(dfds)
    assert judged == 38
    assert warnings == [
        "PM2021-003 - Flux version bump causing component downtime.md:1: PM2021-002 (Flux "
        "unintended version update) looks related and is not linked: 'unwanted downtime' in "
        "both root causes (score 0.88)"
    ]
