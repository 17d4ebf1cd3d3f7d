"""A compact writing-style vector of an advert's text, and the similarity of two of them.

Whoever writes an operation's adverts leaves habits that survive a change of template: the
language and its function words (first person or third, "we" or "she"), emoji, capitals,
exclamation marks, line breaks, accents typed or not. :func:`style_vector` turns a text into
:data:`DIMS` (56) plain floats rounded to 4 decimals, in four blocks:

- **character 3-grams** (lower-cased, every digit the same, every white space the same),
  hashed into :data:`CHAR_DIMS` (32) buckets: the share of each bucket;
- **languages**: the share of words that are function words of English, Spanish, French and
  Portuguese (:data:`FUNCTION_WORDS`: about 300 common words in ten classes);
- **function-word classes**: the share of words in each of ten classes that mean the same in
  the four languages (first person singular, first person plural, second person, third
  person, articles, prepositions, conjunctions, negation, auxiliaries, quantifiers), so that
  texts compare across languages;
- **surface rates**: upper-case and non-ASCII shares of the letters; digits, punctuation,
  ``!`` and ``?``, doubled ``!!``/``??``/``..``, emoji, other symbols and line breaks as shares
  of the characters; mean word length.

Each feature is standardised on a typical value and spread measured on a synthetic corpus and
squashed, ``tanh((value - centre) / spread)``; each block is then scaled to a fixed length
(:data:`BLOCK_WEIGHTS`). So the plain cosine of two vectors (:func:`style_similarity`) is a
weighted average of the four blocks' cosines, spread over ``[-1, 1]`` rather than crowded
near 1 by what every advert shares, and no block or single extreme rate drowns the rest.
Values can be negative. On synthetic corpora (``docs/images-and-style.md``) re-posts of one
template score about 0.85, adverts of one poster in another template about 0.5, other
posters in the same language about 0.2 and other languages about 0.

The module masks nothing: identifiers, names and prices count as written (digits only fold
into one 3-gram symbol). A caller that wants the style of the template alone passes text it
masked itself; ``⟨phone⟩`` and the like count as any other characters.

Cost. :func:`style_vectors` handles a batch in one pass of numpy over every code point (each
tagged with its text) and one C-level look-up per word: 30-40 µs of CPU per 500-character
advert on one core (``docs/benchmarks.md``); :func:`style_vector` is the same on a batch of
one, where numpy's fixed cost per call dominates (90-120 µs). The code-point tables are built
on first use (about 0.1 s).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from functools import cache
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

NAME = "link.style"
VERSION = 1
CHAR_DIMS = 32
"""Buckets of the hashed character 3-gram profile (a power of two)."""
LANGUAGES = ("en", "es", "fr", "pt")

FUNCTION_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    # class -> language -> words, lower case. A word belongs to the first class that lists it
    # for any language (``a`` is an article in English and Portuguese, a preposition in
    # Spanish and French: it is counted as an article), and to every language that lists it.
    # Apostrophes split words (``l'amour`` is ``l`` and ``amour``), so French elisions are
    # listed as the letter alone, except those that English contractions also leave behind
    # (``m``, ``s``, ``t`` of I'm, it's, don't).
    "pron1s": {
        "en": ("i", "me", "my", "mine", "myself"),
        "es": ("yo", "me", "mi", "mis", "conmigo"),
        "fr": ("je", "j", "moi", "mon", "ma", "mes"),
        "pt": ("eu", "mim", "meu", "minha", "meus", "minhas", "comigo"),
    },
    "pron1p": {
        "en": ("we", "us", "our", "ours"),
        "es": ("nosotros", "nosotras", "nos", "nuestro", "nuestra", "nuestros", "nuestras"),
        "fr": ("nous", "notre", "nos"),
        "pt": ("nós", "nosso", "nossa", "nossos", "nossas"),
    },
    "pron2": {
        "en": ("you", "your", "yours", "u"),
        "es": ("tú", "tu", "tus", "te", "ti", "usted", "ustedes", "contigo"),
        "fr": ("toi", "vous", "votre", "vos", "ton", "ta", "tes"),
        "pt": ("você", "vocês", "teu", "tua", "contigo"),
    },
    "pron3": {
        "en": ("she", "he", "her", "his", "they", "them", "their", "it", "its"),
        "es": ("ella", "él", "ellas", "ellos", "su", "sus", "le", "les", "se"),
        "fr": ("elle", "il", "elles", "ils", "sa", "son", "ses", "leur", "leurs", "lui"),
        "pt": ("ela", "ele", "elas", "eles", "dela", "dele", "sua", "seu", "suas", "seus", "lhe"),
    },
    "article": {
        "en": ("the", "a", "an"),
        "es": ("el", "la", "los", "las", "un", "una", "unos", "unas", "lo"),
        "fr": ("le", "l", "un", "une", "des", "du"),
        "pt": ("o", "os", "as", "um", "uma", "uns", "umas"),
    },
    "preposition": {
        "en": ("in", "on", "at", "to", "for", "with", "from", "of", "by", "per", "about"),
        "es": ("en", "con", "por", "para", "de", "del", "al", "desde", "sin", "sobre", "hasta"),
        "fr": ("dans", "avec", "pour", "par", "sur", "sans", "chez", "à", "au", "aux", "d"),
        "pt": ("em", "no", "na", "nas", "com", "do", "da", "dos", "das", "sem", "ao", "pelo"),
    },
    "conjunction": {
        "en": ("and", "or", "but", "if", "so", "because", "than"),
        "es": ("y", "e", "o", "u", "pero", "si", "porque", "que"),
        "fr": ("et", "ou", "mais", "donc", "car", "qui", "quand", "qu", "que"),
        "pt": ("ou", "mas", "se", "então", "quando", "como"),
    },
    "negation": {
        "en": ("not", "no", "never", "nothing", "without"),
        "es": ("nunca", "nada", "ni", "jamás"),
        "fr": ("ne", "n", "pas", "jamais", "rien", "non"),
        "pt": ("não", "nada", "nem"),
    },
    "auxiliary": {
        "en": ("is", "are", "am", "be", "was", "will", "can", "have", "has"),
        "es": ("es", "está", "son", "soy", "estoy", "hay", "ser", "puede", "tiene"),
        "fr": ("est", "suis", "sont", "être", "ai", "peut", "sera", "avez", "êtes"),
        "pt": ("é", "está", "são", "sou", "estou", "ser", "pode", "tem"),
    },
    "quantifier": {
        "en": ("this", "that", "all", "very", "more", "only", "these"),
        "es": ("este", "esta", "eso", "todo", "todos", "muy", "más", "solo"),
        "fr": ("ce", "c", "cette", "tout", "tous", "très", "plus", "seulement"),
        "pt": ("isso", "todo", "todos", "muito", "mais", "só"),
    },
}
CLASSES = tuple(FUNCTION_WORDS)
SURFACE = (
    "upper",
    "non_ascii",
    "digit",
    "punct",
    "bang",
    "double_punct",
    "emoji",
    "symbol",
    "newline",
    "word_length",
)
DIMS = CHAR_DIMS + len(LANGUAGES) + len(CLASSES) + len(SURFACE)
BLOCK_WEIGHTS = {"char": 1.0, "language": 0.5, "classes": 0.7, "surface": 1.0}
"""Weight of each block: every block of a vector has this Euclidean length, so the cosine of
two vectors is the average of the four blocks' cosines weighted by the squared weights. The
language shares repeat what the 3-grams already say, hence half weight; the values were
compared on synthetic corpora (``docs/images-and-style.md``)."""

# Character classes of the code-point table.
(
    _OTHER,
    _LOWER,
    _UPPER,
    _LOWER_X,
    _UPPER_X,
    _DIGIT,
    _PUNCT,
    _BANG,
    _SPACE,
    _NEWLINE,
    _SYMBOL,
    _EMOJI,
    _IGNORED,
) = range(13)
_N_CLASSES = 13
_P1 = np.uint32(0x9E3779B1)
_P2 = np.uint32(0x85EBCA77)
_SHIFT = np.uint32(32 - int(math.log2(CHAR_DIMS)))


def _word_codes() -> tuple[dict[str, int], npt.NDArray[np.float64]]:
    """word -> row of the contribution table; row ``r`` holds a 1 for each language that
    lists the word and a 1 for its class (row 0 is unused: :func:`filter` drops zeros)."""
    classes: dict[str, int] = {}
    languages: dict[str, int] = {}
    for c, by_language in enumerate(FUNCTION_WORDS.values()):
        for lang, words in by_language.items():
            bit = 1 << LANGUAGES.index(lang)
            for word in words:
                classes.setdefault(word, c)
                languages[word] = languages.get(word, 0) | bit
    rows: dict[tuple[int, int], int] = {}
    codes: dict[str, int] = {}
    for word, c in classes.items():
        codes[word] = rows.setdefault((c, languages[word]), len(rows) + 1)
    table = np.zeros((len(rows) + 1, len(LANGUAGES) + len(CLASSES)), np.float64)
    for (c, mask), row in rows.items():
        for i in range(len(LANGUAGES)):
            table[row, i] = (mask >> i) & 1
        table[row, len(LANGUAGES) + c] = 1.0
    return codes, table


_WORD_CODES, _WORD_TABLE = _word_codes()
_SEPARATOR = _WORD_TABLE.shape[0]
_WORD_CODE = {
    form.encode("utf-8").lower(): code
    for word, code in _WORD_CODES.items()
    for form in (word, word.capitalize(), word.upper())
}
_WORD_CODE[b"\x00"] = _SEPARATOR
_BLANK_PUNCTUATION = bytes(
    32 if (33 <= b < 127 and not chr(b).isalnum()) or b in (9, 10, 11, 12, 13) else b
    for b in range(256)
)
"""Byte table: ASCII punctuation (the apostrophe too: ``l'amour`` is ``l`` and ``amour``)
to a space."""
_ODD_SPACES = tuple(c.encode("utf-8") for c in ("\u2019", "\xa0", "\u202f", "\u2009"))
"""Typographic apostrophe and non-breaking or thin spaces: blanked before splitting."""


@cache
def _tables() -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.uint32]]:
    """For every code point of the Basic Multilingual Plane: its character class, and a
    random 32-bit value of its folded form (lower case; every digit the same, every white
    space the same) for the 3-gram hash. Built once, in about 0.1 s."""
    classes = np.zeros(0x10000, np.uint8)
    folded = np.zeros(0x10000, np.int64)
    for cp in range(0x10000):
        char = chr(cp)
        cat = unicodedata.category(char)
        lower = char.lower()
        fold = ord(lower) if len(lower) == 1 else cp
        if cp in (0xFE0E, 0xFE0F, 0x200D, 0x20E3):
            cls = _IGNORED
        elif _is_emoji(cp):
            cls = _EMOJI
        elif cat == "Ll":
            cls = _LOWER if cp < 0x80 else _LOWER_X
        elif cat in ("Lu", "Lt"):
            cls = _UPPER if cp < 0x80 else _UPPER_X
        elif cat.startswith("L"):
            cls = _LOWER_X
        elif cat == "Nd":
            cls, fold = _DIGIT, ord("0")
        elif char in "!?":
            cls = _BANG
        elif cat.startswith("P"):
            cls = _PUNCT
        elif char == "\n":
            cls, fold = _NEWLINE, ord(" ")
        elif cat.startswith("Z") or char in "\t\n\r\x0b\x0c":
            cls, fold = _SPACE, ord(" ")
        elif cat.startswith("S"):
            cls = _SYMBOL
        else:
            cls = _OTHER
        classes[cp] = cls
        folded[cp] = fold
    # A fixed pseudo-random value per folded code point (splitmix-style, no RNG state).
    x = (folded.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)) * np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(29)
    return classes, (x >> np.uint64(32)).astype(np.uint32)


def _is_emoji(cp: int) -> bool:
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or cp in (0x203C, 0x2049, 0x231A, 0x231B, 0x2328, 0x23CF, 0x3030)
        or 0x23E9 <= cp <= 0x23FA
    )


def raw_features(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """The uncentred features of each text, one row each, in the order of the vector (3-gram
    shares, language shares, class shares, surface rates): for inspection and calibration.

    All texts go through numpy together (one array of every code point, each tagged with its
    text), so the per-call overhead of numpy is paid once per batch, not once per advert.
    """
    n_texts = len(texts)
    out = np.zeros((n_texts, DIMS), np.float64)
    if not n_texts:
        return out
    joined = "".join(texts)
    lengths = np.fromiter(map(len, texts), np.int64, n_texts)
    one = n_texts == 1
    owner = np.zeros(0, np.int64) if one else np.repeat(np.arange(n_texts), lengths)
    cps = np.frombuffer(joined.encode("utf-32-le"), np.uint32)
    classes, values = _tables()
    cls = classes.take(cps, mode="clip")
    val = values.take(cps, mode="clip")
    if not joined.isascii():
        high = cps > 0xFFFF
        if high.any():
            # Beyond the table: emoji, and the mathematical "fancy letters" (𝐇𝐨𝐭) used to
            # decorate adverts and dodge filters, counted as symbols.
            top = cps[high]
            fancy = (top >= 0x1D400) & (top <= 0x1D7FF)
            cls[high] = np.where(
                (top >= 0x1F000) & (top <= 0x1FAFF), _EMOJI, np.where(fancy, _SYMBOL, _OTHER)
            )
            val[high] = top * _P2
    counts = _count(cls, owner, n_texts, _N_CLASSES).astype(np.float64)

    # Character 3-grams, none across the border of two texts.
    if cps.size >= 3:
        buckets = (val[:-2] * _P1 + val[1:-1] * _P2 + val[2:]) >> _SHIFT
        grams = _count(buckets, owner[:-2], n_texts, CHAR_DIMS)
        if not one:
            # A 3-gram crosses a border only if it starts in the last two characters of its
            # text; empty texts repeat an end, hence the unique.
            stops = np.cumsum(lengths)
            ends = np.unique(np.concatenate((stops - 2, stops - 1)))
            ends = ends[(ends >= 0) & (ends < cps.size - 2)]
            across = ends[owner[ends] != owner[ends + 2]]
            if across.size:
                grams -= _count(buckets[across], owner[across], n_texts, CHAR_DIMS)
        out[:, :CHAR_DIMS] = grams / np.maximum(lengths - 2, 1)[:, None]

    # Function words: all texts at once as UTF-8 bytes (which lower-case and split much faster
    # than text), ASCII letters lower-cased (the table also holds the capitalised and upper-case
    # forms of words with accents), ASCII punctuation blanked, a separator token between
    # texts; each token looked up in C (``map`` over ``dict.get``), then counted per text.
    if "\x00" in joined:
        texts = [text.replace("\x00", " ") for text in texts]
    data = " \x00 ".join(texts).encode("utf-8").lower()
    if not joined.isascii():
        for space in _ODD_SPACES:
            if space in data:
                data = data.replace(space, b" ")
    tokens = data.translate(_BLANK_PUNCTUATION).split()
    codes = np.fromiter(map(_WORD_CODE.get, tokens, repeat(0)), np.int64, len(tokens))
    if one:
        word_counts = np.array([float(len(tokens))])
        hit = codes > 0
        token_owner = np.zeros(len(tokens), np.int64)
    else:
        separator = codes == _SEPARATOR
        token_owner = np.cumsum(separator)
        word_counts = np.bincount(token_owner, minlength=n_texts).astype(np.float64)
        word_counts[1:] -= 1.0
        hit = (codes > 0) & ~separator
    if hit.any():
        hits = _count(codes[hit], token_owner[hit], n_texts, _WORD_TABLE.shape[0])
        out[:, CHAR_DIMS:_SURFACE_START] = (hits @ _WORD_TABLE) / np.maximum(word_counts, 1)[
            :, None
        ]

    # Surface rates.
    same = np.flatnonzero(cps[1:] == cps[:-1])
    repeated = cps[same]
    keep = (repeated == 33) | (repeated == 63) | (repeated == 46)
    if not one:
        keep &= owner[same] == owner[same + 1]
    same = same[keep]
    double = np.bincount(owner[same], minlength=n_texts) if not one else np.array([same.size])
    letters = counts[:, _LOWER] + counts[:, _UPPER] + counts[:, _LOWER_X] + counts[:, _UPPER_X]
    per_letter = 1.0 / np.maximum(letters, 1)
    per_char = 1.0 / np.maximum(lengths - counts[:, _IGNORED], 1)
    surface = out[:, _SURFACE_START:]
    surface[:, 0] = (counts[:, _UPPER] + counts[:, _UPPER_X]) * per_letter
    surface[:, 1] = (counts[:, _LOWER_X] + counts[:, _UPPER_X]) * per_letter
    surface[:, 2] = counts[:, _DIGIT] * per_char
    surface[:, 3] = (counts[:, _PUNCT] + counts[:, _BANG]) * per_char
    surface[:, 4] = counts[:, _BANG] * per_char
    surface[:, 5] = double * per_char
    surface[:, 6] = counts[:, _EMOJI] * per_char
    surface[:, 7] = counts[:, _SYMBOL] * per_char
    surface[:, 8] = counts[:, _NEWLINE] * per_char
    surface[:, 9] = letters / np.maximum(word_counts, 1)
    return out


def _count(
    values: npt.NDArray[Any], owner: npt.NDArray[np.int64], n_texts: int, width: int
) -> npt.NDArray[np.int64]:
    """Occurrences of each value ``0..width-1`` per text: an ``(n_texts, width)`` table (an
    empty ``owner`` means everything belongs to the one text)."""
    if n_texts == 1:
        return np.bincount(values, minlength=width)[None, :width]
    keys = owner * width + values
    return np.bincount(keys, minlength=n_texts * width).reshape(n_texts, width)


_SURFACE_START = CHAR_DIMS + len(LANGUAGES) + len(CLASSES)
_BLOCKS = (
    ("char", 0, CHAR_DIMS),
    ("language", CHAR_DIMS, CHAR_DIMS + len(LANGUAGES)),
    ("classes", CHAR_DIMS + len(LANGUAGES), _SURFACE_START),
    ("surface", _SURFACE_START, DIMS),
)


# Calibration: a typical value (mean) and spread (standard deviation) of every feature, in
# the order of the vector, measured on a 10,000-advert synthetic corpus (seed 3; reprint with
# ``python -m benchmarks.bench_images --calibrate``). Each feature becomes
# tanh((value - centre) / spread), so the cosine measures how two adverts depart from the
# typical advert in the same directions rather than what every advert shares, and one
# extreme rate cannot dominate.
# fmt: off
_CENTRE_VALUES = (
    0.02471, 0.03303, 0.03254, 0.02358, 0.03005, 0.03259, 0.03395, 0.02411,
    0.03215, 0.02908, 0.03952, 0.03865, 0.02109, 0.02872, 0.03132, 0.02144,
    0.02706, 0.03319, 0.03427, 0.02652, 0.02679, 0.02466, 0.03718, 0.03436,
    0.05003, 0.04223, 0.02469, 0.04364, 0.02575, 0.03341, 0.02637, 0.03333,
    0.1273, 0.1035, 0.05823, 0.0394,
    0.02544, 0.009534, 0.00792, 0.0101, 0.05782, 0.1177, 0.03729, 0.008153, 0.01465, 0.01256,
    0.06454, 0.01612, 0.04812, 0.04718, 0.0002848, 3.628e-05, 0.001064, 0.003633, 0.01492, 4.538,
)
_SPREAD_VALUES = (
    0.009321, 0.01038, 0.0114, 0.00979, 0.01252, 0.009941, 0.01034, 0.008577,
    0.01213, 0.01006, 0.0116, 0.01339, 0.009629, 0.01029, 0.01068, 0.00939,
    0.009368, 0.01191, 0.01132, 0.0102, 0.01068, 0.01021, 0.01204, 0.01155,
    0.01667, 0.01269, 0.009803, 0.01458, 0.01167, 0.01203, 0.01029, 0.01158,
    0.1276, 0.1057, 0.1054, 0.05923,
    0.0397, 0.01451, 0.01071, 0.01662, 0.03477, 0.04248, 0.02541, 0.01553, 0.01686, 0.01484,
    0.04249, 0.01659, 0.02398, 0.01231, 0.0009367, 0.0003474, 0.001759, 0.002709, 0.006115, 0.5395,
)
# fmt: on
_CENTRE = np.array(_CENTRE_VALUES)
_INV_SCALE = 1.0 / np.array(_SPREAD_VALUES)
_BLOCK_STARTS = np.array([start for _, start, _ in _BLOCKS])
_BLOCK_SIZES = np.array([stop - start for _, start, stop in _BLOCKS])
_BLOCK_WEIGHTS = np.array([BLOCK_WEIGHTS[name] for name, _, _ in _BLOCKS])


def style_vectors(texts: Sequence[str]) -> list[tuple[float, ...]]:
    """:func:`style_vector` of each text, computed together (much cheaper per advert)."""
    if not texts:
        return []
    z = np.tanh((raw_features(texts) - _CENTRE) * _INV_SCALE)
    norms = np.sqrt(np.add.reduceat(z * z, _BLOCK_STARTS, axis=1))
    z *= np.repeat(_BLOCK_WEIGHTS / np.maximum(norms, 1e-12), _BLOCK_SIZES, axis=1)
    empty = [i for i, text in enumerate(texts) if not text]
    if empty:
        z[empty] = 0.0
    rows: list[list[float]] = np.round(z, 4).tolist()
    return [tuple(row) for row in rows]


def style_vector(text: str) -> tuple[float, ...]:
    """The style vector of ``text``: :data:`DIMS` floats rounded to 4 decimals, all zeros
    for an empty text. For many texts, :func:`style_vectors` is several times faster."""
    return style_vectors([text])[0]


def style_similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two style vectors (``0.0`` when either is all zeros)."""
    if len(a) != len(b):
        raise ValueError(f"style vectors of different lengths ({len(a)} and {len(b)})")
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return max(-1.0, min(1.0, dot / (na * nb)))
