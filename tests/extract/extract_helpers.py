"""Helpers shared by the extractor tests (a uniquely named module: tests have no packages)."""

from __future__ import annotations

from threadline.model import Ad

Row = tuple[str, set[str], list[dict[str, str]]]
"""An advert's text, the true values of one kind in it, and those labels in full."""


def ad(text: str, place: str | None = None, language: str | None = None) -> Ad:
    """An advert whose whole text is ``text`` (no title), with an optional place field."""
    return Ad(
        id="ad-1", source="test", title="", body=text, content_hash="h", place=place,
        language=language,
    )  # fmt: skip
