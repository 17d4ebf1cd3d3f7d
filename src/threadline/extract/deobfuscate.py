"""Undo the tricks posters use to hide digits from filters, keeping a map back to the text.

Posters who fear moderation write a phone so that a regular expression misses it: digits
spelled out in their language ("zéro six", "seis um"), letters for digits ("O85 686 394I"),
emoji keycaps ("6️⃣"), fullwidth or other Unicode digits ("０６"), separators everywhere
("1196..75 / 3171/8") and joining words between digit groups ("921 depois 716 depois 964").

:func:`deobfuscate` finds *digit runs* (digit-like units separated by separators or joining
words) and rewrites only what is inside them into plain ASCII digits, leaving every other
character alone. Ordinary words are never turned into digits outside such a run: "one night",
"I am", "Olivia" or a lone Portuguese "nove" stay as they are, because a number word only
counts when it stands next to another digit-like unit. The result keeps a piecewise offset
map so that any span of the normalised text maps back to the exact original characters: an
analyst asking "why?" must see what the advert really said, not our rewrite of it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

NUMBER_WORDS: dict[str, str] = {
    # English ("oh" is how a 0 is read aloud in phone numbers: "six oh two")
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # Spanish
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
    # French
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "sept": "7", "huit": "8", "neuf": "9",
    # Portuguese ("meia", short for "meia dúzia", is how Brazilians read a 6 aloud)
    "um": "1", "dois": "2", "duas": "2", "três": "3", "quatro": "4", "meia": "6",
    "sete": "7", "oito": "8", "nove": "9",
}  # fmt: skip
"""Spelled digits in the four corpus languages; a word converts only inside a digit run."""

JOINING_WORDS: tuple[str, ...] = (
    # English
    "and then", "followed by", "after that", "then", "next", "and",
    # Spanish
    "y después", "y despues", "y luego", "seguido de", "después", "despues", "luego", "y",
    # French
    "et ensuite", "et après", "et apres", "et puis", "suivi de", "ensuite", "puis", "et",
    # Portuguese
    "e depois", "depois", "e",
)  # fmt: skip
"""Words written between digit groups to break a number apart ("555 then 867 then 5309");
between two digit-like units they act as a separator."""

_LETTER_DIGITS = {"O": "0", "o": "0", "I": "1", "l": "1"}
_KEYCAP_MARK_CHARS = frozenset("\ufe0f\u20e3")
# Circled and dingbat digits are not Unicode decimal digits (\d misses them) but posters use
# them exactly like digits: ①②③, ❶❷❸, ➀➁➂, ➊➋➌, ⓵⓶⓷, ⓪, ⓿.
_EXTRA_DIGITS = "\u2460-\u2468\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"

_SPACE = "[ \\t\\u00a0\\u202f]"
_SEPARATOR = "[ \\t\\u00a0\\u202f.\\-/()\\u2010-\\u2015]"
_KEYCAP_MARKS = "\\ufe0f\\u20e3"
_DIGITISH = f"[\\d{_EXTRA_DIGITS}](?:\\ufe0f?\\u20e3)?"
"""A digit, possibly drawn as an emoji keycap (digit + U+FE0F + U+20E3)."""

# Every unit pattern starts with a plain character class and tests the character before it
# with a fixed-width lookbehind: the regex engine then skips most positions with one set
# lookup, which makes the scan several times faster than \b or a leading lookbehind.
#
# A digit token: digits, keycaps, and O/o/I/l standing in for 0/1, never glued to other
# letters ("O85", "394I", "9oo", "4️⃣8️⃣", but not "Olivia2", "bc1q...", "0x71C7", "club17"),
# or look-alike letters alone in brackets, which are an area code: "(II) 984lO-I62I".
_DIGIT_TOKEN = (
    f"[OoIl\\d{_EXTRA_DIGITS}](?<!\\w.)"
    f"(?:(?<=[\\d{_EXTRA_DIGITS}])(?:\\ufe0f?\\u20e3)?|[OoIl]*{_DIGITISH}"
    "|(?<=\\([OoIl])[OoIl]{0,3}(?=\\)))"
    f"(?:[OoIl]|{_DIGITISH})*(?![\\w{_KEYCAP_MARKS}])"
)


def _number_word_pattern() -> str:
    by_initial: dict[str, list[str]] = {}
    for word in NUMBER_WORDS:
        by_initial.setdefault(word[0], []).append(word[1:])
    initials = "".join(sorted(c + c.upper() for c in by_initial))
    # Case-insensitive only inside (?i:...): [OoIl] must not start matching "i" or "L".
    branches = "|".join(
        f"(?<=[{c}{c.upper()}])(?i:"
        + "|".join(re.escape(rest) for rest in sorted(rests, key=len, reverse=True))
        + ")"
        for c, rests in sorted(by_initial.items())
    )
    return f"[{initials}](?<!\\w.)(?:{branches})(?!\\w)"


_NUMBER_WORD = _number_word_pattern()
# Letters alone between digit groups ("O487 86 II 53", "728 Oo 9O 26") stand for digits too.
_LONE_LETTER = "[OoIl](?<!\\w.)[OoIl]{0,3}(?!\\w)"
_JOINING = "|".join(re.escape(w).replace("\\ ", f"{_SPACE}+") for w in JOINING_WORDS)
# Joining words first: a plain space would otherwise end the run before "then".
_GAP = f"(?:{_SPACE}+(?i:{_JOINING}){_SPACE}+|{_SEPARATOR}{{1,5}}|)"


def _run_pattern(unit: str) -> re.Pattern[str]:
    return re.compile(f"{unit}(?:{_GAP}(?:{unit}|{_LONE_LETTER}))*")


_RUN_RE = _run_pattern(f"(?:{_DIGIT_TOKEN}|{_NUMBER_WORD})")
_DIGIT_RUN_RE = _run_pattern(_DIGIT_TOKEN)
"""Runs without number words: a third of the cost, for the texts that contain none."""
_PART_RE = re.compile(
    f"(?P<token>{_DIGIT_TOKEN})|(?P<word>{_NUMBER_WORD})|(?P<lone>{_LONE_LETTER})"
)
_PLAIN_RUN_RE = re.compile("[0-9 .\\-/()]*")
_HAS_LETTER_RE = re.compile("[^\\W\\d_]")
_FOLDED_NUMBER_WORDS = {word.casefold(): digit for word, digit in NUMBER_WORDS.items()}
_SPELLING_WORDS = frozenset(NUMBER_WORDS) | frozenset("0123456789")


def _may_spell_digits(text: str) -> bool:
    """Cheap test (string methods only) for two number words in a row ("seis um", "zero 7"),
    without which no number word can be part of a digit run; matching number words is most
    of the scanning cost and most adverts spell no digits."""
    words = text.lower().replace("-", " ").replace(".", " ").replace("/", " ").split()
    if _SPELLING_WORDS.isdisjoint(words):
        return False
    return b"\x01\x01" in bytes(map(_SPELLING_WORDS.__contains__, words))


@dataclass(frozen=True, slots=True)
class Deobfuscated:
    """Normalised text, the digit runs found in it, and the map back to the original.

    The map is a list of pieces of the normalised text. An *aligned* piece corresponds
    character for character to the original (untouched text, or "O85" -> "085"); an
    *opaque* piece (a keycap, a number word, a joining word) maps as a whole to the original
    characters it replaced, so a span never points into the middle of "six" or "6️⃣".
    """

    original: str
    text: str
    runs: tuple[tuple[int, int], ...]
    """``[start, end)`` of every digit run in :attr:`text`, in order."""
    _starts: tuple[int, ...]
    _pieces: tuple[tuple[int, int, bool], ...]
    """Per piece: original start, original end, aligned."""

    @property
    def identity(self) -> bool:
        """True when nothing was rewritten (most adverts): offsets map to themselves."""
        return self.text is self.original

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of :attr:`text` to ``[start, end)`` of :attr:`original`."""
        if self.text is self.original:
            return start, end
        if end <= start:
            return self._original_offset(start, False), self._original_offset(start, False)
        return self._original_offset(start, False), self._original_offset(end - 1, True)

    def _original_offset(self, offset: int, end_of_char: bool) -> int:
        if offset >= len(self.text):
            return len(self.original)
        i = bisect_right(self._starts, offset) - 1
        o_start, o_end, aligned = self._pieces[i]
        if aligned:
            return o_start + (offset - self._starts[i]) + (1 if end_of_char else 0)
        return o_end if end_of_char else o_start

    def changed(self, start: int, end: int) -> bool:
        """True if ``[start, end)`` of :attr:`text` differs from the original it maps to."""
        if self.text is self.original:
            return False
        o_start, o_end = self.original_span(start, end)
        return self.text[start:end] != self.original[o_start:o_end]


class _Builder:
    """Accumulates the normalised text and its pieces, copying untouched text lazily."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.starts: list[int] = []
        self.pieces: list[tuple[int, int, bool]] = []
        self.consumed = 0
        self.length = 0

    def _add(self, replacement: str, o_start: int, o_end: int, aligned: bool) -> None:
        if not replacement:
            return
        self.starts.append(self.length)
        self.pieces.append((o_start, o_end, aligned))
        self.out.append(replacement)
        self.length += len(replacement)

    def copy_to(self, offset: int) -> None:
        if offset > self.consumed:
            self._add(self.text[self.consumed : offset], self.consumed, offset, True)
            self.consumed = offset

    def replace(self, o_start: int, o_end: int, replacement: str) -> None:
        self.copy_to(o_start)
        self._add(replacement, o_start, o_end, len(replacement) == o_end - o_start)
        self.consumed = o_end

    @property
    def shift(self) -> int:
        """Normalised offset minus original offset at the end of what has been consumed."""
        return self.length - self.consumed

    def build(self, runs: list[tuple[int, int]]) -> Deobfuscated:
        if not self.pieces:  # nothing rewritten (most adverts): the text maps to itself
            return Deobfuscated(self.text, self.text, tuple(runs), (0,), ((0, 0, True),))
        self.copy_to(len(self.text))
        return Deobfuscated(
            self.text, "".join(self.out), tuple(runs), tuple(self.starts), tuple(self.pieces)
        )


def _token_digits(token: str) -> str:
    if token.isascii() and token.isdigit():
        return token
    chars = []
    for c in token:
        letter = _LETTER_DIGITS.get(c)
        if letter is not None:
            chars.append(letter)
        elif "0" <= c <= "9":
            chars.append(c)
        elif c not in _KEYCAP_MARK_CHARS:
            chars.append(str(unicodedata.digit(c, 0)))
    return "".join(chars)


def deobfuscate(text: str) -> Deobfuscated:
    """Rewrite the digit runs of ``text`` into ASCII digits; see the module docstring."""
    builder = _Builder(text)
    runs: list[tuple[int, int]] = []
    run_re = _RUN_RE if _may_spell_digits(text) else _DIGIT_RUN_RE
    for run in run_re.finditer(text):
        start, end = run.span()
        if _PLAIN_RUN_RE.fullmatch(text, start, end):
            shift = builder.shift  # untouched text is copied later, in one piece
            runs.append((start + shift, end + shift))
            continue
        parts = list(_PART_RE.finditer(text, start, end))
        if not parts:
            continue
        # A single letter after the last digit is a word ("... 56 78 I am"), but two or
        # more ("O477 8l 8O ll") still stand for digits.
        if len(parts) > 1 and parts[-1].lastgroup == "lone" and len(parts[-1].group()) == 1:
            parts.pop()
            end = parts[-1].end()
        if len(parts) == 1 and parts[0].lastgroup == "word":
            continue  # a lone number word is just a word: "one night", "nove"
        builder.copy_to(start)
        run_start = builder.length
        previous_end = start
        for part in parts:
            p_start, p_end = part.span()
            if previous_end != start and _HAS_LETTER_RE.search(text, previous_end, p_start):
                builder.replace(previous_end, p_start, " ")  # a joining word between groups
            written = part.group()
            if part.lastgroup == "word":
                # casefold: the case-insensitive match also accepts "ſ" for "s" and the
                # Kelvin sign for "k"; an unknown spelling is left as written
                digit = _FOLDED_NUMBER_WORDS.get(written.casefold(), written)
                builder.replace(p_start, p_end, digit)
            else:
                builder.replace(p_start, p_end, _token_digits(written))
            previous_end = p_end
        builder.copy_to(end)
        runs.append((run_start, builder.length))
    return builder.build(runs)
