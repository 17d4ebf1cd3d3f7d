"""Identifier extraction: one module per kind, each a pure finder wrapped as a versioned stage.

``all_stages()`` lists them in the order they run; ``find_all(ad)`` runs every finder on one
advert. Modules are imported on first use, so importing :mod:`threadline.extract.base` alone
stays cheap.
"""

from __future__ import annotations

import functools
import importlib

from threadline.extract.base import ExtractStage, Finder, Found
from threadline.model import Ad

KINDS = (
    "phone",
    "email",
    "handle",
    "url",
    "wallet",
    "payment",
    "age",
    "price",
    "place",
    "language",
)
"""The extractor modules, in running order."""

__all__ = ["KINDS", "ExtractStage", "Finder", "Found", "all_stages", "find_all"]


def all_stages(kinds: tuple[str, ...] = KINDS) -> list[ExtractStage]:
    """The extraction stages for ``kinds`` (default: all), in running order."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        from threadline.errors import ConfigError

        raise ConfigError(f"unknown identifier kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
    stages = []
    for kind in KINDS:
        if kind in kinds:
            module = importlib.import_module(f"threadline.extract.{kind}")
            stage: ExtractStage = module.STAGE
            stages.append(stage)
    return stages


@functools.cache
def _default_stages() -> tuple[ExtractStage, ...]:
    return tuple(all_stages())


def find_all(ad: Ad) -> list[Found]:
    """Every identifier every extractor finds in ``ad``, in running order."""
    return [found for stage in _default_stages() for found in stage.finder(ad)]
