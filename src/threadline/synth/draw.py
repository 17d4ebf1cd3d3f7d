"""Fast draws from the corpus RNG for the per-advert hot path.

``random.Random.choice`` and ``randint`` go through ``_randbelow`` (a bit-rejection loop in
Python) and cost several times more than one ``random()`` call; at tens of draws per advert and
a million adverts that is most of the run time. These helpers are deterministic for a given RNG
state, which is all the generator needs; they are not meant for exact uniformity on huge ranges.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    return options[int(rng.random() * len(options))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer in ``[low, high]``, both ends included (like ``randint``)."""
    return low + int(rng.random() * (high - low + 1))


def some(rng: random.Random, options: Sequence[T], k: int) -> list[T]:
    """``k`` distinct elements in random order (a partial Fisher-Yates shuffle)."""
    pool = list(options)
    n = len(pool)
    for i in range(k):
        j = i + int(rng.random() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def weighted(rng: random.Random, options: Sequence[T], cumulative: Sequence[float]) -> T:
    """Like ``choices(options, cum_weights=cumulative)[0]``, without building a list."""
    return options[bisect(cumulative, rng.random() * cumulative[-1])]
