"""api.gcpauses: survivors of a full collection are frozen, and a thaw still reclaims cycles."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from api import gcpauses


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def installed() -> Iterator[gcpauses.FreezeSurvivors]:
    gc.collect()
    gcpauses.install()
    gcpauses.install()  # idempotent
    assert gc.callbacks.count(gcpauses._callback) == 1
    gcpauses._callback.full = 0
    try:
        yield gcpauses._callback
    finally:
        gcpauses.uninstall()
    assert gcpauses._callback not in gc.callbacks
    assert gc.get_freeze_count() == 0


def test_a_full_collection_freezes_its_survivors(installed: gcpauses.FreezeSurvivors) -> None:
    kept = Node()
    gc.collect(1)  # not a full collection: nothing frozen
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert gc.get_freeze_count() > 0
    assert installed.full == 1
    assert kept.me is kept


def test_a_cycle_frozen_then_dropped_is_reclaimed_at_the_thaw(installed: gcpauses.FreezeSurvivors) -> None:
    node = Node()
    dead = weakref.ref(node)
    gc.collect()  # node survives, frozen
    del node
    for _ in range(gcpauses.THAW_EVERY - 2):
        gc.collect()
        assert dead() is not None  # frozen cycles are not walked between thaws
    gc.collect()  # the THAW_EVERY-th: thawed first, then walked
    assert dead() is None
    assert gc.get_freeze_count() > 0  # and the survivors frozen again
