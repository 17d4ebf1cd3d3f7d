"""The learned job-fraud model: a calibrated linear model over words, metadata and rule hits.

Trained on EMSCAD (real job adverts, about half of them scams; see
:mod:`threadline.indicators.train_jobs`, which rebuilds the shipped weights with
``threadline train jobs``). The weights ship as plain arrays in ``data/jobs-model.npz`` (never a
pickle) and are applied here with set and dictionary look-ups: no scikit-learn at scoring time,
about 30 µs for a classified-ad-sized advert.

Three kinds of feature, each 0 when absent, so that what is not known never moves the score:

- **words**: the word unigrams and bigrams of the title, the body and the EMSCAD text fields
  (company profile, requirements, benefits) that the body does not already hold; binary, IDF
  weighted, divided by a norm over the whole text that counts the words the model does not
  know too. They fade out as the share of known words falls from ``known_high`` to
  ``known_low``: the vocabulary is English, and a Spanish advert's few cognates ("hotel",
  "no") are not evidence. A text that is read adds ``text_bias`` (its baseline), so that the
  intercept alone is the score of an advert whose words are unknown;
- **metadata**: the EMSCAD columns (``has_company_logo``, ``telecommuting``, ...) read from
  ``ad.raw``, each as known-yes, known-no or a known value; a column the record does not carry
  is unknown and adds nothing;
- **rule categories**: one binary feature per indicator category the rule engine found in the
  advert (``fees_charged``, ``verifiable_employer``...). They are language independent and
  carry the model to adverts unlike EMSCAD's.

Training sees every advert three times (as read; bare, without metadata; blind, with its rule
categories only), so each kind of feature also stands alone and an advert nothing is known
about scores the training base rate.

The linear score is ``intercept + gate * text_bias + sum(feature weights)``; the probability is
Platt-calibrated, ``P = 1 / (1 + exp(-(a * score + b)))``. A reason is one feature's term of
``a * score`` (calibrated log-odds), strongest first.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from math import fsum
from pathlib import Path
from typing import Any

import numpy as np

from threadline.errors import ConfigError
from threadline.indicators.categories import COUNTER_CATEGORIES as COUNTER_CATEGORY_NAMES
from threadline.indicators.categories import INDICATOR_CATEGORIES
from threadline.model import Ad

MODEL_FILE = "jobs-model.npz"
METADATA_FILE = "jobs-model.json"
DATA_DIR = Path(__file__).with_name("data")
FORMAT = "jobs-1"
"""Feature and file format; bump it when the featurisation changes (old weights then fail to
load instead of scoring wrongly)."""
MAX_REASONS = 5
STRONG_WORDS = 3_000
MAX_TEXT_CHARS = 10_000
"""Words are read from this many characters at most (more than 99% of EMSCAD's adverts are
shorter): scoring time grows with the text, and a huge page must not stall a scan."""

CATEGORY_FEATURES = INDICATOR_CATEGORIES + COUNTER_CATEGORY_NAMES
"""Rule categories used as features (the context categories tell the domain and are left out)."""
COUNTER_CATEGORIES = frozenset(COUNTER_CATEGORY_NAMES)
"""Categories that argue against fraud: their weights are held at or below 0 in training."""

EXTRA_TEXT_FIELDS = ("company_profile", "requirements", "benefits")
"""EMSCAD text columns that ingest leaves in ``ad.raw`` (the description becomes the body)."""
FLAG_FIELDS = ("telecommuting", "has_company_logo", "has_questions")
"""EMSCAD yes/no columns ("0"/"1")."""
PRESENCE_FIELDS = (
    "company_profile",
    "requirements",
    "benefits",
    "salary_range",
    "department",
    "employment_type",
    "required_experience",
    "required_education",
    "industry",
    "function",
)
"""EMSCAD columns whose emptiness is itself a feature (scams leave more of them blank)."""
VALUE_FIELDS = (
    "employment_type",
    "required_experience",
    "required_education",
    "industry",
    "function",
)
"""EMSCAD columns with a closed set of values; each frequent value is a feature."""

_WORD = re.compile(r"[a-zß-öø-ÿ]{2,}")
"""Words of two letters or more, over lower-cased text. Latin-1 letters only: the vocabulary is
English, and a narrow class is twice as fast as Unicode's ``[^\\W\\d_]``; letters outside it
split words, which only matters for words the model does not know anyway."""
_PLACEHOLDER = re.compile(r"#(?:url|email|phone)_[0-9a-f]+#")
"""EMSCAD replaced e-mails, phones and URLs by hashes; they are dropped, not read as words."""
_YES = frozenset({"1", "true", "yes", "t", "y"})
_NO = frozenset({"0", "false", "no", "f", "n"})
_FLAG_NAMES = {
    "telecommuting": ("telecommuting", "not telecommuting"),
    "has_company_logo": ("company logo", "no company logo"),
    "has_questions": ("screening questions", "no screening questions"),
}


# ------------------------------------------------------------------ featurisation


def job_text(ad: Ad) -> str:
    """The text the word features read: title, body and the EMSCAD text fields of ``ad.raw``
    that the body does not already contain."""
    parts = [ad.title, ad.body]
    raw = ad.raw
    for name in EXTRA_TEXT_FIELDS:
        value = raw.get(name)
        if isinstance(value, str) and value and value not in ad.body:
            parts.append(value)
    return "\n".join(parts)


def words(text: str) -> list[str]:
    """Lower-case words of two letters or more (digits, symbols and EMSCAD's hashed contacts
    are not words) in the first :data:`MAX_TEXT_CHARS` characters."""
    text = text[:MAX_TEXT_CHARS].lower()
    if "#" in text:
        text = _PLACEHOLDER.sub(" ", text)
    return _WORD.findall(text)


def grams(tokens: list[str]) -> tuple[set[str], set[str]]:
    """The distinct unigrams and bigrams (``"no experience"``) of a token list. Bigrams are
    strings rather than tuples: a string keeps its hash, and each is looked up several times."""
    return set(tokens), set(map(" ".join, itertools.pairwise(tokens)))


def metadata_features(raw: Mapping[str, Any]) -> list[str]:
    """Feature names for the EMSCAD metadata the record carries (``has_company_logo=0``,
    ``company_profile=empty``, ``industry=Oil & Energy``); nothing for absent columns."""
    out: list[str] = []
    if not raw:
        return out
    for name in FLAG_FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        text = str(value).strip().lower()
        if text in _YES:
            out.append(f"{name}=1")
        elif text in _NO:
            out.append(f"{name}=0")
    for name in PRESENCE_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        given = value is not None and bool(str(value).strip())
        out.append(f"{name}={'given' if given else 'empty'}")
        if given and name in VALUE_FIELDS:
            out.append(f"{name}:{' '.join(str(value).split())}")
    return out


def readable(feature: str) -> str:
    """How a reason names a feature: ``word: 'no experience'``, ``no company logo``,
    ``rule: fees_charged``, ``industry: Oil & Energy``."""
    kind, _, name = feature.partition(":")
    if kind == "w":
        return f"word: {name!r}"
    if kind == "r":
        return f"rule: {name}"
    if kind == "m":
        equals, colon = name.find("="), name.find(":")
        if equals >= 0 and (colon < 0 or equals < colon):
            field, _, value = name.partition("=")
            if field in _FLAG_NAMES:
                yes, no = _FLAG_NAMES[field]
                return yes if value == "1" else no
            label = field.replace("_", " ")
            return f"{label} given" if value == "given" else f"no {label}"
        field, _, value = name.partition(":")
        return f"{field.replace('_', ' ')}: {value}"
    return feature


# ------------------------------------------------------------------ the model


@dataclass(frozen=True, slots=True)
class JobFraudScore:
    probability: float
    """Calibrated P(fraud), at the class balance of the training data (about half scams)."""
    reasons: tuple[tuple[str, float], ...]
    """Up to five features that moved the score most, as (readable name, signed contribution
    in calibrated log-odds), strongest first."""


class JobFraudModel:
    """Applies shipped weights; construct with :func:`load_job_model`."""

    def __init__(self, arrays: Mapping[str, np.ndarray[Any, Any]], source: str = "") -> None:
        try:
            fmt = str(arrays["format"].item())
            if fmt != FORMAT:
                raise ConfigError(
                    f"{source}: model format {fmt!r}, this Threadline reads {FORMAT!r}; "
                    "rebuild it with `threadline train jobs`"
                )
            terms = [str(t) for t in arrays["terms"].tolist()]
            idf = np.asarray(arrays["term_idf"], dtype=np.float64)
            coef = np.asarray(arrays["term_coef"], dtype=np.float64)
            meta = [str(t) for t in arrays["meta_names"].tolist()]
            meta_coef = np.asarray(arrays["meta_coef"], dtype=np.float64)
            cats = [str(t) for t in arrays["category_names"].tolist()]
            cat_coef = np.asarray(arrays["category_coef"], dtype=np.float64)
            scalars = np.asarray(arrays["scalars"], dtype=np.float64)
        except KeyError as err:
            raise ConfigError(f"{source}: the model file lacks the array {err}") from err
        except (ValueError, TypeError, AttributeError) as err:
            raise ConfigError(f"{source}: malformed model file: {err}") from err
        if idf.ndim != 1 or coef.ndim != 1 or not len(terms) == len(idf) == len(coef):
            raise ConfigError(f"{source}: the word arrays differ in length")
        if len(meta) != meta_coef.shape[0] or len(cats) != cat_coef.shape[0]:
            raise ConfigError(f"{source}: feature names and weights differ in length")
        if scalars.shape != (len(SCALARS),):
            raise ConfigError(f"{source}: expected the scalars {SCALARS}, got {scalars}")
        everything = np.concatenate([idf, coef, meta_coef, cat_coef, scalars])
        if not np.all(np.isfinite(everything)):
            raise ConfigError(f"{source}: the model holds non-finite weights")
        unknown = set(cats) - set(CATEGORY_FEATURES)
        if unknown:
            raise ConfigError(f"{source}: unknown rule categories {sorted(unknown)}")
        self.intercept, self.platt_a, self.platt_b = map(float, scalars[:3])
        self.oov_weight, self.known_low, self.known_high = map(float, scalars[3:6])
        self.text_bias = float(scalars[6])
        """Added (times the gate) when the text is read: the words' baseline, so that the
        intercept alone is the score of an advert nothing is known about."""
        if not 0.0 <= self.known_low < self.known_high <= 1.0 or self.oov_weight <= 0:
            raise ConfigError(f"{source}: bad text scalars {scalars[3:6]}")
        self._known_span = self.known_high - self.known_low
        uni: dict[str, tuple[float, float]] = {}
        bi: dict[str, tuple[float, float]] = {}
        for term, d, c in zip(terms, idf.tolist(), coef.tolist(), strict=True):
            (bi if " " in term else uni)[term] = (d * c, d * d)
        self._uni = frozenset(uni)
        self._bi = frozenset(bi)
        # per term: its weight (idf x coefficient) and its share of the norm (idf squared)
        self._w = {t: v[0] for t, v in itertools.chain(uni.items(), bi.items())}
        self._q = {t: v[1] for t, v in itertools.chain(uni.items(), bi.items())}
        # the order in which words become reasons: strongest first, ties by name, so that the
        # reasons never depend on the order of a set
        named = sorted((-abs(v[0]), t) for t, v in itertools.chain(uni.items(), bi.items()))
        self._by_rank = [t for _, t in named]
        self._rank = {t: n for n, t in enumerate(self._by_rank)}
        self._strong = frozenset(self._by_rank[:STRONG_WORDS])
        """The words whose weights are largest: an advert's strongest words are nearly always
        among them, and ranking a few is cheaper than ranking all."""
        self._meta = dict(zip(meta, meta_coef.tolist(), strict=True))
        self._cats = dict(zip(cats, cat_coef.tolist(), strict=True))
        digest = hashlib.sha256(fmt.encode())
        for name in REQUIRED_ARRAYS[1:]:
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(arrays[name]).tobytes())
        self.version = f"{FORMAT}-{digest.hexdigest()[:10]}"
        """``jobs-1-<hash of the weights>``: recorded with every score as its provenance."""

    @property
    def vocabulary_size(self) -> int:
        return len(self._uni) + len(self._bi)

    # -------------------------------------------------------------- words

    def _known(self, tokens: list[str]) -> tuple[set[str], set[str], float, float]:
        """The known unigrams and bigrams of a text, the scale of its word features and the
        gate. The gate rises from 0 to 1 as the share of known words goes from ``known_low``
        to ``known_high``: below ``known_low`` (a language the model never read) the words are
        unknown and count for nothing. The scale is ``gate / norm``, the norm being the root
        of the known terms' squared IDF plus ``oov_weight`` per distinct unknown word."""
        unigrams, bigrams = grams(tokens)
        known_uni = unigrams & self._uni
        if not known_uni:
            return known_uni, set(), 0.0, 0.0
        gate = (len(known_uni) / len(unigrams) - self.known_low) / self._known_span
        if gate <= 0.0:
            return set(), set(), 0.0, 0.0
        gate = min(gate, 1.0)
        known_bi = bigrams & self._bi
        # fsum: exact, so the result never depends on the order of a set
        q = self._q.__getitem__
        total = fsum(map(q, known_uni)) + fsum(map(q, known_bi))
        total += self.oov_weight * (len(unigrams) - len(known_uni))
        return known_uni, known_bi, gate / math.sqrt(total), gate

    def text_features(self, tokens: list[str]) -> tuple[list[str], float, float]:
        """The known terms of a token list (bigrams written ``"a b"``), their scale and the
        gate: feature ``t`` has the value ``idf(t) * scale``, the text-read feature the value
        ``gate``. Training builds its rows with this."""
        known_uni, known_bi, scale, gate = self._known(tokens)
        return [*known_uni, *known_bi], scale, gate

    # -------------------------------------------------------------- scoring

    def logit(self, ad: Ad, categories: Collection[str] = ()) -> float:
        """Calibrated log-odds of fraud (no reasons)."""
        known_uni, known_bi, scale, gate = self._known(words(job_text(ad)))
        w = self._w.__getitem__
        text = fsum(map(w, known_uni)) + fsum(map(w, known_bi))
        extra: list[float] = []
        if ad.raw:
            meta = self._meta
            extra += [meta.get(name, 0.0) for name in metadata_features(ad.raw)]
        cats = self._cats
        extra += [cats.get(name, 0.0) for name in categories]
        score = self.intercept + gate * self.text_bias + text * scale + fsum(extra)
        return self.platt_a * score + self.platt_b

    @property
    def neutral_probability(self) -> float:
        """P(fraud) of an advert nothing is known about: the base rate the model was calibrated
        at (its training data's share of scams), which scoring moves to the deployment's."""
        return _sigmoid(self.platt_a * self.intercept + self.platt_b)

    def probability(self, ad: Ad, categories: Collection[str] = ()) -> float:
        return _sigmoid(self.logit(ad, categories))

    def score(self, ad: Ad, categories: Collection[str]) -> JobFraudScore:
        """Calibrated P(fraud) of a job advert and the features that weighed most."""
        known_uni, known_bi, scale, gate = self._known(words(job_text(ad)))
        w = self._w.__getitem__
        text = fsum(map(w, known_uni)) + fsum(map(w, known_bi))
        # the strongest words: their rank orders them, the scale being common to all
        parts: list[tuple[float, str]] = []
        rank = self._rank.__getitem__
        strong = self._strong
        ranks = [*map(rank, known_uni & strong), *map(rank, known_bi & strong)]
        if len(ranks) < MAX_REASONS:  # a text of weak words only
            ranks = [*map(rank, known_uni), *map(rank, known_bi)]
        ranks.sort()
        for term in map(self._by_rank.__getitem__, ranks[:MAX_REASONS]):
            parts.append((w(term) * scale, f"word: {term!r}"))
        extra: list[tuple[float, str]] = []
        if ad.raw:
            meta = self._meta
            for name in metadata_features(ad.raw):
                weight = meta.get(name)
                if weight:
                    extra.append((weight, readable("m:" + name)))
        cats = self._cats
        for name in sorted(categories):
            weight = cats.get(name)
            if weight:
                extra.append((weight, f"rule: {name}"))
        score = self.intercept + gate * self.text_bias + text * scale
        score += fsum(weight for weight, _ in extra)
        parts += extra
        a = self.platt_a
        parts.sort(key=_strength, reverse=True)
        reasons = [(name, round(a * value, 4)) for value, name in parts[:MAX_REASONS]]
        return JobFraudScore(
            _sigmoid(a * score + self.platt_b), tuple(r for r in reasons if r[1] != 0.0)
        )

    def weights(self) -> dict[str, float]:
        """Every feature's weight (words as idf x coefficient), keyed ``w:``/``m:``/``r:``."""
        out = {f"w:{t}": w for t, w in self._w.items()}
        out.update((f"m:{n}", w) for n, w in self._meta.items())
        out.update((f"r:{n}", w) for n, w in self._cats.items())
        return out


def _strength(part: tuple[float, str]) -> float:
    return abs(part[0])


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# ------------------------------------------------------------------ files


SCALARS = (
    "intercept",
    "platt_a",
    "platt_b",
    "oov_weight",
    "known_low",
    "known_high",
    "text_bias",
)
"""The ``scalars`` array, in this order."""
REQUIRED_ARRAYS = (
    "format",
    "terms",
    "term_idf",
    "term_coef",
    "meta_names",
    "meta_coef",
    "category_names",
    "category_coef",
    "scalars",
)


def save_arrays(path: Path, arrays: Mapping[str, np.ndarray[Any, Any]]) -> None:
    """Write the weights as a compressed npz of plain arrays (no object arrays, no pickle).

    Written as ``np.savez_compressed`` would, but with fixed time stamps, so the same weights
    always make the same bytes; and through a temporary file, so that a failed write never
    leaves a broken model behind."""
    missing = [n for n in REQUIRED_ARRAYS if n not in arrays]
    if missing:
        raise ValueError(f"missing arrays {missing}")
    if any(arrays[n].dtype.hasobject for n in REQUIRED_ARRAYS):
        raise ValueError("object arrays would need pickle; the model file holds plain arrays")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in REQUIRED_ARRAYS:
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(arrays[name]), allow_pickle=False)
    partial.replace(path)


def read_arrays(path: Path) -> dict[str, np.ndarray[Any, Any]]:
    if not path.is_file():
        raise ConfigError(
            f"job-fraud model {path} is missing; rebuild it with `threadline train jobs`"
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise ConfigError(f"job-fraud model {path} cannot be read: {err}") from err


def load_job_model(path: Path | None = None) -> JobFraudModel:
    """The job-fraud model at ``path`` (default: the one shipped in the package, loaded once
    per process). Raises :class:`ConfigError` if the file is missing or malformed."""
    if path is None:
        return _shipped()
    return JobFraudModel(read_arrays(path), str(path))


@functools.cache
def _shipped() -> JobFraudModel:
    path = DATA_DIR / MODEL_FILE
    return JobFraudModel(read_arrays(path), str(path))


def categories_of(flags: Iterable[Any]) -> frozenset[str]:
    """The model's category features among ``flags`` (anything with a ``category``)."""
    return frozenset(f.category for f in flags if f.category in _CATEGORY_SET)


_CATEGORY_SET = frozenset(CATEGORY_FEATURES)
