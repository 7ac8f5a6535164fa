"""Retrying what may succeed a moment later: a lost race, a store restarting."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delays between retries: doubling from ``first`` up to ``most`` seconds, each with
    "full jitter" (a random share of it), so that processes retrying together spread out."""

    first: float = 0.1
    most: float = 5.0

    def delay(self, attempt: int) -> float:
        ceiling = min(self.most, self.first * 2 ** max(0, attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)
