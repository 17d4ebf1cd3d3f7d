"""Case and accent folding that keeps every character where it was.

Rules match on folded text so that "RECIÉN LLEGADA", "recien llegada" and "Recién llegada"
are one phrase. The fold maps each character to exactly one character, so an offset into the
folded text is the same offset into the advert: a flag's span points at what the advert
really says, which is what an analyst or a court is shown.
"""

from __future__ import annotations

import unicodedata

_SPACES = "\t\n\r\v\f\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(
    map(chr, range(0x2000, 0x200B))
)
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4\u0060\u2032"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):  # Latin-1 Supplement and Latin Extended-A/B
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            continue
        decomposed = unicodedata.normalize("NFD", lower)
        base = decomposed[0]
        marks_only = all(unicodedata.combining(c) for c in decomposed[1:])
        if base.isascii() and base.isalpha() and marks_only:
            table[code] = base
        elif lower != char:
            table[code] = lower
    table.update(dict.fromkeys(map(ord, _SPACES), " "))
    table.update(dict.fromkeys(map(ord, _APOSTROPHES), "'"))
    table.update(dict.fromkeys(map(ord, _DASHES), "-"))
    return table


FOLD = _table()


_ASCII_FOLDS = tuple((chr(k), v) for k, v in FOLD.items() if k < 128)
_ASCII = frozenset(map(chr, range(128)))


def fold(text: str) -> str:
    """Lower case, accents removed from Latin letters, look-alike punctuation unified; the
    result has exactly the length of ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: fold those one by one
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # str.replace per distinct character to change is several times faster than
    # str.translate, which looks every character up in a dict
    for char, replacement in _ASCII_FOLDS:
        if char in lowered:
            lowered = lowered.replace(char, replacement)
    if not lowered.isascii():
        for char in set(lowered).difference(_ASCII):
            folded = FOLD.get(ord(char))
            if folded is not None:
                lowered = lowered.replace(char, folded)
    return lowered


def fold_phrase(phrase: str) -> str:
    """A lexicon phrase folded like text, with its inner whitespace reduced to single spaces."""
    return " ".join(fold(phrase).split())
