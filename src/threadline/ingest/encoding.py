"""Decoding hostile bytes without losing any.

Adverts arrive as UTF-8, UTF-8 with a BOM, Latin-1/Windows-1252, or UTF-8 with a few broken
bytes (a crawler cut a multi-byte character, a file was concatenated from two encodings).
Every input is decoded as UTF-8 with a fallback: a byte that is not valid UTF-8 is read as
Windows-1252 (a superset of printable Latin-1), so a Latin-1 file comes out right and a broken
UTF-8 file keeps its good text and every bad byte as some character. Nothing raises, nothing
is dropped.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import BinaryIO

FALLBACK_ERRORS = "threadline-cp1252"
_BINARY_SNIFF_BYTES = 8192


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    # cp1252 leaves five bytes undefined; Latin-1 maps them to C1 controls, which keeps them
    text = "".join(
        bytes([b]).decode("cp1252", errors="strict") if b not in _UNDEFINED else chr(b) for b in bad
    )
    return text, err.end


_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)


def decode(data: bytes) -> str:
    """Decode bytes as UTF-8 (BOM dropped), falling back to Windows-1252 byte by byte."""
    return data.decode("utf-8-sig", errors=FALLBACK_ERRORS)


def sniff_encoding(path: Path) -> str:
    """``utf-16`` for a file with a UTF-16 BOM (spreadsheet exports), else ``utf-8-sig``."""
    with path.open("rb") as f:
        head = f.read(2)
    if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    return "utf-8-sig"


def text_stream(raw: BinaryIO, encoding: str = "utf-8-sig") -> io.TextIOWrapper:
    """A text view of a binary stream with the same fallback, for the csv module."""
    return io.TextIOWrapper(raw, encoding=encoding, errors=FALLBACK_ERRORS, newline="")


def looks_binary(path: Path) -> bool:
    """True for files that are not text: a NUL byte in the first 8 KiB (images, archives)."""
    with path.open("rb") as f:
        head = f.read(_BINARY_SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head
