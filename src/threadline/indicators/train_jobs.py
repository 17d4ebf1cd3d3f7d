"""Train the job-fraud model on EMSCAD and write its weights as plain arrays.

``threadline train jobs`` calls :func:`train`, which:

1. reads the EMSCAD CSV the way ``threadline ingest`` does (the description becomes the body;
   the other columns stay in ``ad.raw``, where the model reads its metadata), and finds each
   advert's rule categories with the shipped extractors and rule book, as a scan would;
2. groups the rows by content (normalised title + description, and the description alone when
   it is long), so that a scam re-posted under another title stays on one side of a split;
3. holds out a quarter of the groups, fits on the rest and reports fraud-class precision,
   recall, F1 (at P >= 0.5), PR-AUC and ROC-AUC on the held-out part, beside a plain baseline
   fitted on the same rows: scikit-learn's default ``TfidfVectorizer`` over all the text fields
   (title, description, company profile, requirements, benefits) + default
   ``LogisticRegression``;
4. refits on every row and writes ``jobs-model.npz`` (weights) and ``jobs-model.json``
   (version, data hash, counts, metrics, feature settings, library versions).

Every advert enters training three times (:data:`COPIES`): as read; bare (its text fields
joined into the body, no metadata), as a scraped page of it would arrive; and blind (its rule
categories only), as the same advert in a language the model cannot read. So the words carry
an advert alone, a missing metadata column means "unknown" rather than "suspicious", and an
advert nothing is known about scores the base rate.

The linear model is a logistic regression fitted with L-BFGS-B (scipy), which allows what
scikit-learn's does not: a penalty per feature group, penalties that pull towards a prior
rather than 0, and sign bounds. The rule categories start from the weights the rule book
gives them (:func:`rule_categories`) and move as far as EMSCAD's evidence pushes them; an
indicator can only raise the score and a counter-indicator only lower it. Word columns are
NB-scaled (Wang & Manning 2012). Calibration is Platt scaling fitted on out-of-fold scores
(grouped 5-fold cross-validation). Everything is deterministic for a seed; nothing is pickled.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy  # type: ignore[import-untyped]
import scipy.sparse as sp  # type: ignore[import-untyped]
import sklearn  # type: ignore[import-untyped]
from rich.table import Table
from scipy.optimize import minimize  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import (  # type: ignore[import-untyped]
    average_precision_score,
    precision_recall_fscore_support,
    roc_auc_score,
)
from sklearn.model_selection import GroupKFold, GroupShuffleSplit  # type: ignore[import-untyped]

from threadline.errors import ConfigError, InputError, RecordError
from threadline.indicators.jobs_model import (
    CATEGORY_FEATURES,
    COUNTER_CATEGORIES,
    DATA_DIR,
    EXTRA_TEXT_FIELDS,
    FORMAT,
    MAX_REASONS,
    METADATA_FILE,
    MODEL_FILE,
    JobFraudModel,
    grams,
    job_text,
    metadata_features,
    save_arrays,
    words,
)
from threadline.model import Ad, Doc

Categorize = Callable[[Ad], frozenset[str]]
"""The rule categories found in an advert (see :func:`rule_categories`)."""

EMSCAD_FILE = "train.csv"
DEFAULT_OUT = DATA_DIR
"""Where ``threadline train jobs`` writes by default: the package's own weights."""
REQUIRED_COLUMNS = ("title", "description", "fraudulent")
MIN_PER_CLASS = 20


@dataclass(frozen=True, slots=True)
class Params:
    """Training settings; the defaults are what the shipped model was trained with (chosen by
    grouped cross-validation inside the training part of the seed-0 split)."""

    min_groups: int = 3
    """A word or bigram enters the vocabulary if it occurs in this many content groups."""
    max_terms: int = 40_000
    oov_weight: float = 1.0
    """How much each unknown word weighs in the text's length normaliser, as a multiple of the
    mean squared IDF of the vocabulary's words."""
    known_low: float = 0.35
    known_high: float = 0.65
    """Word features fade in as the share of known words rises from ``known_low`` to
    ``known_high`` (English EMSCAD adverts: 0.79 and up; Spanish, French or Portuguese: 0.3 and
    below), so an advert in a language the model never read is scored without its words."""
    min_value_count: int = 5
    """A metadata value (``industry:Oil & Energy``) becomes a feature at this many rows."""
    l2_text: float = 0.1
    l2_meta: float = 2.0
    l2_category: float = 2.0
    group_weight: float = 0.5
    """Row weight is ``1 / group_size ** group_weight``: a campaign re-posted fifty times is
    not fifty times the evidence."""
    bare_weight: float = 1.0
    """Weight of each advert's bare copy (text only, no metadata) beside the copy as read."""
    blind_weight: float = 1.0
    """Weight of each advert's blind copy (rule categories only)."""
    folds: int = 5
    nb_scale: float = 0.5
    """Word columns are scaled by ``|log-count ratio| ** nb_scale`` before fitting (NB-SVM,
    Wang & Manning 2012), which lets the penalty favour words that tell the classes apart."""
    nb_alpha: float = 1.0
    neutral_unknown: bool = True
    """Set Platt's offset so that an advert nothing is known about scores the base rate of
    the training data (it moves every score by the same few hundredths of a logit)."""
    prior_scale: float = 1.0
    """Multiplies the rule book's prior on the category weights (0: no prior, pull to 0)."""
    heldout: float = 0.25


@dataclass(frozen=True, slots=True)
class Metrics:
    """Fraud-class figures at threshold 0.5, and the threshold-free PR-AUC and ROC-AUC."""

    precision: float
    recall: float
    f1: float
    pr_auc: float
    roc_auc: float
    n: int
    positives: int

    @classmethod
    def of(
        cls, y: Sequence[int] | np.ndarray[Any, Any], p: Sequence[float] | np.ndarray[Any, Any]
    ) -> Metrics:
        yt = np.asarray(y, dtype=np.int64)
        pp = np.asarray(p, dtype=np.float64)
        pred = (pp >= 0.5).astype(np.int64)
        prec, rec, f1, _ = precision_recall_fscore_support(
            yt, pred, average="binary", pos_label=1, zero_division=0
        )
        both = 0 < yt.sum() < len(yt)
        return cls(
            precision=float(prec),
            recall=float(rec),
            f1=float(f1),
            pr_auc=float(average_precision_score(yt, pp)) if both else math.nan,
            roc_auc=float(roc_auc_score(yt, pp)) if both else math.nan,
            n=len(yt),
            positives=int(yt.sum()),
        )


@dataclass(frozen=True, slots=True)
class TrainReport:
    data: Path
    data_sha256: str
    rows: int
    fraudulent: int
    groups: int
    train_rows: int
    heldout_rows: int
    ours: Metrics
    """Held-out adverts as read (with their metadata)."""
    ours_bare: Metrics
    """The same held-out adverts bare: text fields only, no metadata."""
    baseline: Metrics
    model_path: Path
    metadata_path: Path
    version: str
    categories: str
    """What computed the rule categories (the rule book's version), or ``none``."""
    seconds: float
    seed: int = 0
    params: Params = field(default_factory=Params)
    category_prior: dict[str, float] = field(default_factory=dict)

    def table(self) -> Table:
        """The held-out figures as a rich table (what ``threadline train jobs`` prints)."""
        table = Table(
            title=f"Job-fraud model {self.version}: fraud class on {self.heldout_rows:,} "
            f"held-out EMSCAD adverts",
            caption=f"{self.rows:,} rows ({self.fraudulent:,} scams) in {self.groups:,} content "
            f"groups; fitted on {self.train_rows:,}, then refitted on all; rule categories: "
            f"{self.categories}; weights in {self.model_path}; {self.seconds:.0f} s",
        )
        table.add_column("model")
        for name in ("precision", "recall", "F1", "PR-AUC", "ROC-AUC"):
            table.add_column(name, justify="right")
        for name, m in (
            ("ours (adverts as read)", self.ours),
            ("ours (no metadata)", self.ours_bare),
            ("baseline: TF-IDF + LogisticRegression", self.baseline),
        ):
            table.add_row(
                name, *(f"{v:.3f}" for v in (m.precision, m.recall, m.f1, m.pr_auc, m.roc_auc))
            )
        return table


@dataclass(frozen=True, slots=True)
class Example:
    """One EMSCAD row: the advert as read, its bare copy, label, content group and words."""

    ad: Ad
    bare: Ad
    label: int
    group: int
    tokens: list[str]
    categories: frozenset[str] = frozenset()
    bare_categories: frozenset[str] = frozenset()


# ------------------------------------------------------------------ reading


def emscad_path(data: Path) -> Path:
    """``data`` itself if it is a file, else ``train.csv`` in it or in its ``emscad/``."""
    if data.is_file():
        return data
    for candidate in (data / EMSCAD_FILE, data / "emscad" / EMSCAD_FILE):
        if candidate.is_file():
            return candidate
    raise InputError(f"no EMSCAD {EMSCAD_FILE} at {data} (nor in {data / 'emscad'})")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bare_copy(ad: Ad) -> Ad:
    """The advert as a scraped page would bring it: every text field in the body, no metadata."""
    extra = [ad.raw.get(n) for n in EXTRA_TEXT_FIELDS]
    parts = [ad.body, *(v for v in extra if isinstance(v, str) and v.strip())]
    return replace(ad, body="\n\n".join(p for p in parts if p), raw={})


def read_emscad(path: Path) -> list[Example]:
    """The EMSCAD rows as adverts, parsed as ``threadline ingest`` parses a CSV."""
    from threadline.ingest.parse import ParseStage
    from threadline.ingest.readers import read_csv

    parse = ParseStage()
    ads: list[tuple[Ad, int]] = []
    for item in read_csv(path, "emscad"):
        if not isinstance(item, Doc) or item.raw is None:
            continue  # quarantined rows (malformed CSV) are skipped
        fields = item.raw.fields
        missing = [c for c in REQUIRED_COLUMNS if c not in fields]
        if missing:
            raise InputError(f"{path}: not an EMSCAD file, it lacks the columns {missing}")
        label = str(fields["fraudulent"]).strip()
        if label not in ("0", "1"):
            continue
        try:
            ad = parse.parse(item.raw)
        except RecordError:  # a record ingest would quarantine (no text, too large)
            continue
        ads.append((ad, int(label)))
    if not ads:
        raise InputError(f"{path}: no labelled rows")
    groups = content_groups([a for a, _ in ads])
    return [
        Example(ad, bare_copy(ad), label, g, words(job_text(ad)))
        for (ad, label), g in zip(ads, groups, strict=True)
    ]


def content_groups(ads: Sequence[Ad], long_description: int = 200) -> list[int]:
    """Group ids such that adverts with the same normalised title + description, or the same
    long description, share a group (union-find over both keys)."""
    parent = list(range(len(ads)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, ad in enumerate(ads):
        body = " ".join(ad.body.lower().split())
        keys = ["t:" + " ".join(ad.title.lower().split()) + "\x1f" + body]
        if len(body) >= long_description:
            keys.append("d:" + body)
        for key in keys:
            j = first.setdefault(key, i)
            parent[find(i)] = find(j)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(ads))]


# ------------------------------------------------------------------ rule categories


@dataclass(frozen=True, slots=True)
class RuleSource:
    """Where the rule categories come from: the categoriser, the rule book's version, and the
    prior weight per category that the rule book's own weights imply."""

    categorize: Categorize | None
    version: str
    prior: dict[str, float] = field(default_factory=dict)


def rule_categories() -> RuleSource:
    """A categoriser backed by the shipped rule book and extractors (as the scan runs them),
    or one that returns nothing and says ``none`` when this build has no rule book.

    The prior of a category is ``-log(1 - w)`` for its strongest rule's weight ``w`` (negative
    for counter-indicators): the log-odds that rule adds in the risk score's noisy-OR. It is
    where training starts the category's weight, and where the weight stays for a category
    that EMSCAD's adverts never state (most lure indicators: EMSCAD's scams are of other kinds).
    """
    try:
        from threadline.extract import all_stages
        from threadline.indicators.rules import shipped_rulebook

        rulebook = shipped_rulebook()
        stages = all_stages()
    except (ImportError, ConfigError):
        return RuleSource(None, "none")
    keep = frozenset(CATEGORY_FEATURES)

    def categorize(ad: Ad) -> frozenset[str]:
        doc = Doc(ad=ad)
        for stage in stages:
            doc = stage(doc)
        _, flags = rulebook.flags(ad.id, ad.text, doc.identifiers, stage="train")
        return frozenset(f.category for f in flags if f.category in keep)

    strongest: dict[str, float] = {}
    for rule in rulebook.rules:
        if rule.category in keep and abs(rule.weight) > abs(strongest.get(rule.category, 0.0)):
            strongest[rule.category] = rule.weight
    prior = {c: math.copysign(-math.log1p(-min(abs(w), 0.99)), w) for c, w in strongest.items()}
    return RuleSource(categorize, rulebook.version, prior)


def with_categories(
    examples: list[Example], categorize: Categorize | None, progress: bool = False
) -> list[Example]:
    if categorize is None:
        return examples
    out = []
    for n, ex in enumerate(examples, 1):
        out.append(replace(ex, categories=categorize(ex.ad), bare_categories=categorize(ex.bare)))
        if progress and n % 200 == 0:
            print(f"  rule categories: {n:,}/{len(examples):,}", flush=True)
    return out


# ------------------------------------------------------------------ features


@dataclass(slots=True)
class FeatureSpace:
    """The columns learned from one training set: words, metadata values, rule categories,
    and last the text-read column (the gate: 1 for a text the model reads, 0 for one it
    cannot)."""

    terms: list[str]
    idf: np.ndarray[Any, Any]
    meta: list[str]
    oov: float
    known_low: float
    known_high: float
    categories: tuple[str, ...] = CATEGORY_FEATURES
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.index.update((f"m:{m}", n + i) for i, m in enumerate(self.meta))
        base = n + len(self.meta)
        self.index.update((f"r:{c}", base + i) for i, c in enumerate(self.categories))

    @property
    def width(self) -> int:
        return len(self.terms) + len(self.meta) + len(self.categories) + 1

    @property
    def text_read(self) -> int:
        return self.width - 1

    def groups(self) -> tuple[slice, slice, slice]:
        n, m, c = len(self.terms), len(self.meta), len(self.categories)
        return slice(0, n), slice(n, n + m), slice(n + m, n + m + c)


def build_space(examples: Sequence[Example], params: Params) -> FeatureSpace:
    """Vocabulary by content-group frequency; IDF over groups; frequent metadata values."""
    per_group: dict[int, set[str]] = {}
    for ex in examples:
        uni, bi = grams(ex.tokens)
        per_group.setdefault(ex.group, set()).update(uni, bi)
    df: Counter[str] = Counter()
    for terms in per_group.values():
        df.update(terms)
    kept = [t for t, c in df.items() if c >= params.min_groups]
    kept.sort(key=lambda t: (-df[t], t))
    kept = sorted(kept[: params.max_terms])
    n_groups = len(per_group)
    idf = np.array([math.log((1 + n_groups) / (1 + df[t])) + 1.0 for t in kept])
    unigram_idf2 = [v * v for t, v in zip(kept, idf, strict=True) if " " not in t]
    oov = params.oov_weight * (float(np.mean(unigram_idf2)) if unigram_idf2 else 1.0)
    counts: Counter[str] = Counter()
    for ex in examples:
        counts.update(metadata_features(ex.ad.raw))
    meta = sorted(m for m, c in counts.items() if "=" in m or c >= params.min_value_count)
    return FeatureSpace(kept, idf, meta, oov, params.known_low, params.known_high)


def model_arrays(
    space: FeatureSpace,
    coef: np.ndarray[Any, Any],
    intercept: float,
    platt: tuple[float, float],
) -> dict[str, np.ndarray[Any, Any]]:
    """The arrays of ``jobs-model.npz`` (see :data:`~threadline.indicators.jobs_model.SCALARS`)."""
    text, meta, cats = space.groups()
    scalars = [intercept, platt[0], platt[1], space.oov, space.known_low, space.known_high]
    return {
        "format": np.array(FORMAT),
        "terms": np.array(space.terms, dtype=str),
        "term_idf": space.idf.astype(np.float64),
        "term_coef": coef[text].astype(np.float64),
        "meta_names": np.array(space.meta, dtype=str),
        "meta_coef": coef[meta].astype(np.float64),
        "category_names": np.array(space.categories, dtype=str),
        "category_coef": coef[cats].astype(np.float64),
        "scalars": np.array([*scalars, coef[space.text_read]], dtype=np.float64),
    }


def scoring_model(
    space: FeatureSpace, coef: np.ndarray[Any, Any], intercept: float, platt: tuple[float, float]
) -> JobFraudModel:
    """A :class:`JobFraudModel` over ``space`` with these weights (what gets shipped)."""
    return JobFraudModel(model_arrays(space, coef, intercept, platt), "training")


COPIES = ("full", "bare", "blind")
"""How each advert enters training: as read (words, metadata, rule categories); bare (words
and the rule categories of the bare text, as a scraped page of it would arrive); blind (the
rule categories alone, as the same advert in a language the model cannot read)."""


def design(
    examples: Sequence[Example], space: FeatureSpace, copies: Sequence[str]
) -> sp.csr_matrix:
    """Rows of features, ``copies`` one after the other, computed exactly as
    :class:`JobFraudModel` computes them at scoring time."""
    probe = scoring_model(space, np.ones(space.width), 0.0, (1.0, 0.0))
    index, idf = space.index, space.idf
    indptr, indices, values = [0], [], []
    for copy in copies:
        for ex in examples:
            if copy != "blind":
                present, scale, gate = probe.text_features(ex.tokens)
                cols = [index[t] for t in present]
                indices += cols
                values += (idf[cols] * scale).tolist()
                if gate > 0:
                    indices.append(space.text_read)
                    values.append(gate)
            names = [f"m:{n}" for n in metadata_features(ex.ad.raw)] if copy == "full" else []
            cats = ex.categories if copy == "full" else ex.bare_categories
            names += [f"r:{c}" for c in cats]
            extra = [index[n] for n in names if n in index]
            indices += extra
            values += [1.0] * len(extra)
            indptr.append(len(indices))
    X = sp.csr_matrix(
        (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(indptr) - 1, space.width),
    )
    X.sort_indices()  # sets iterate in a per-process order; the sums must not depend on it
    return X


# ------------------------------------------------------------------ fitting


def fit_logistic(
    X: sp.csr_matrix,
    y: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    penalty: np.ndarray[Any, Any],
    bounds: Sequence[tuple[float | None, float | None]],
    center: np.ndarray[Any, Any],
) -> tuple[np.ndarray[Any, Any], float]:
    """Weighted logistic regression with an L2 penalty per feature pulling each weight towards
    ``center``, within ``bounds`` (L-BFGS-B); the intercept is free."""
    sign = 2.0 * y - 1.0
    Xt = X.T.tocsr()
    n = X.shape[1]

    def loss(theta: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
        w, b = theta[:n], theta[n]
        margin = sign * (X @ w + b)
        off = w - center
        value = float(weight @ np.logaddexp(0.0, -margin)) + 0.5 * float(penalty @ (off * off))
        g = -weight * sign * _expit(-margin)
        grad = np.empty(n + 1)
        grad[:n] = Xt @ g + penalty * off
        grad[n] = g.sum()
        return value, grad

    start = np.append(center, 0.0)
    result = minimize(
        loss,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[*bounds, (None, None)],
        options={"maxiter": 5000, "maxcor": 10, "ftol": 1e-10, "gtol": 1e-6},
    )
    return result.x[:n].copy(), float(result.x[n])


def _expit(x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)))


def fit_platt(scores: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> tuple[float, float]:
    """Platt scaling ``sigmoid(a * s + b)``, with Platt's smoothed targets."""
    pos, neg = int(y.sum()), int(len(y) - y.sum())
    target = np.where(y == 1, (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0))

    def loss(ab: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
        z = ab[0] * scores + ab[1]
        value = float(np.sum(np.logaddexp(0.0, z) - target * z))
        d = _expit(z) - target
        return value, np.array([float(d @ scores), float(d.sum())])

    result = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


@dataclass(frozen=True, slots=True)
class Fitted:
    space: FeatureSpace
    coef: np.ndarray[Any, Any]
    intercept: float


def fit_linear(
    examples: Sequence[Example], params: Params, prior: Mapping[str, float] | None = None
) -> Fitted:
    """The linear model on the three copies of ``examples`` (see :data:`COPIES`)."""
    space = build_space(examples, params)
    X = design(examples, space, COPIES)
    n = len(examples)
    y = np.tile(np.array([ex.label for ex in examples], dtype=np.float64), len(COPIES))
    sizes = Counter(ex.group for ex in examples)
    w = np.array([sizes[ex.group] ** -params.group_weight for ex in examples])
    weight = np.concatenate([w, params.bare_weight * w, params.blind_weight * w])
    text, _, cats = space.groups()
    penalty = np.full(space.width, params.l2_meta)
    penalty[text], penalty[cats] = params.l2_text, params.l2_category
    bounds: list[tuple[float | None, float | None]] = [(None, None)] * space.width
    center = np.zeros(space.width)
    for i, name in enumerate(space.categories):
        at = cats.start + i
        bounds[at] = (None, 0.0) if name in COUNTER_CATEGORIES else (0.0, None)
        center[at] = params.prior_scale * (prior or {}).get(name, 0.0)
    # NB-SVM scaling of the word columns by their log-count ratio in the copies as read
    scale = np.ones(space.width)
    if params.nb_scale:
        present = (X[:n, text] > 0).astype(np.float64)
        yy = y[:n]
        pos = np.asarray(present.T @ (yy * w)).ravel() + params.nb_alpha
        neg = np.asarray(present.T @ ((1 - yy) * w)).ravel() + params.nb_alpha
        ratio = np.log((pos / pos.sum()) / (neg / neg.sum()))
        scale[text] = np.abs(ratio) ** params.nb_scale
        X = X @ sp.diags(scale)
    coef, intercept = fit_logistic(X.tocsr(), y, weight, penalty, bounds, center)
    return Fitted(space, coef * scale, intercept)


def raw_scores(fitted: Fitted, examples: Sequence[Example], copy: str) -> np.ndarray[Any, Any]:
    X = design(examples, fitted.space, (copy,))
    return np.asarray(X @ fitted.coef + fitted.intercept)


def fit_calibrated(
    examples: Sequence[Example],
    params: Params,
    seed: int,
    prior: Mapping[str, float] | None = None,
) -> tuple[Fitted, tuple[float, float]]:
    """The linear model on every example, and Platt scaling fitted on the out-of-fold scores
    of all three copies (grouped k-fold)."""
    groups = np.array([ex.group for ex in examples])
    folds = min(params.folds, len(set(groups.tolist())))
    oof = np.zeros((len(COPIES), len(examples)))
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for tr, te in splitter.split(np.zeros(len(examples)), groups=groups):
        fitted = fit_linear([examples[i] for i in tr], params, prior)
        held = [examples[i] for i in te]
        for k, copy in enumerate(COPIES):
            oof[k, te] = raw_scores(fitted, held, copy)
    y = np.array([ex.label for ex in examples], dtype=np.float64)
    a, b = fit_platt(oof.ravel(), np.tile(y, len(COPIES)))
    fitted = fit_linear(examples, params, prior)
    if params.neutral_unknown:
        # an advert nothing is known about (no words read, no metadata, no rule category)
        # scores exactly the training base rate
        rate = min(max(float(y.mean()), 1e-6), 1 - 1e-6)
        b = math.log(rate / (1 - rate)) - a * fitted.intercept
    return fitted, (a, b)


# ------------------------------------------------------------------ baseline


def baseline_probabilities(
    train_texts: Sequence[str], y: Sequence[int], test_texts: Sequence[str]
) -> np.ndarray[Any, Any]:
    """Default ``TfidfVectorizer`` + default ``LogisticRegression``: P(fraud) per test text."""
    vectorizer = TfidfVectorizer()
    model = LogisticRegression()
    model.fit(vectorizer.fit_transform(train_texts), np.asarray(y))
    return np.asarray(model.predict_proba(vectorizer.transform(test_texts))[:, 1])


# ------------------------------------------------------------------ the command


def split(examples: Sequence[Example], heldout: float, seed: int) -> tuple[list[int], list[int]]:
    groups = [ex.group for ex in examples]
    splitter = GroupShuffleSplit(n_splits=1, test_size=heldout, random_state=seed)
    tr, te = next(splitter.split(np.zeros(len(examples)), groups=groups))
    return sorted(tr.tolist()), sorted(te.tolist())


def probabilities(
    model: JobFraudModel, ads: Iterable[Ad], categories: Iterable[frozenset[str]]
) -> np.ndarray[Any, Any]:
    return np.array([model.probability(a, c) for a, c in zip(ads, categories, strict=True)])


def train(
    data: Path,
    out_dir: Path,
    *,
    seed: int = 0,
    progress: bool = False,
    rules: RuleSource | None = None,
    params: Params | None = None,
    limit: int | None = None,
) -> TrainReport:
    """Train on the EMSCAD CSV at ``data`` (a file, or a folder holding ``train.csv`` or
    ``emscad/train.csv``), report on a held-out quarter, write the weights into ``out_dir``.

    ``rules`` computes each advert's rule categories and their prior weights (default: the
    shipped rule book, see :func:`rule_categories`; ``RuleSource(None, "none")`` trains without
    them). ``limit`` keeps a seeded random subsample of that many rows (for tests).
    """
    started = time.perf_counter()
    params = params or Params()
    path = emscad_path(data)

    def say(message: str) -> None:
        if progress:
            print(message, flush=True)

    say(f"reading {path}")
    examples = read_emscad(path)
    if limit is not None and limit < len(examples):
        keep = np.random.default_rng(seed).choice(len(examples), size=limit, replace=False)
        examples = [examples[i] for i in sorted(keep.tolist())]
    counts = Counter(e.label for e in examples)
    groups = len({e.group for e in examples})
    if min(counts[0], counts[1]) < MIN_PER_CLASS or groups < 2 * params.folds:
        raise InputError(
            f"{path}: too little to train on ({counts[1]:,} scams, {counts[0]:,} honest adverts "
            f"in {groups:,} content groups; at least {MIN_PER_CLASS} of each are needed)"
        )
    rules = rules or rule_categories()
    say(f"rule categories: {rules.version}")
    examples = with_categories(examples, rules.categorize, progress)

    tr, te = split(examples, params.heldout, seed)
    train_part, held = [examples[i] for i in tr], [examples[i] for i in te]
    say(f"held-out evaluation: {len(train_part):,} rows to fit, {len(held):,} held out")
    fitted, platt = fit_calibrated(train_part, params, seed, rules.prior)
    model = scoring_model(fitted.space, fitted.coef, fitted.intercept, platt)
    y_held = [ex.label for ex in held]
    ours = Metrics.of(
        y_held, probabilities(model, [e.ad for e in held], [e.categories for e in held])
    )
    ours_bare = Metrics.of(
        y_held, probabilities(model, [e.bare for e in held], [e.bare_categories for e in held])
    )
    base = baseline_probabilities(
        [job_text(e.ad) for e in train_part],
        [e.label for e in train_part],
        [job_text(e.ad) for e in held],
    )
    baseline = Metrics.of(y_held, base)

    say(f"fitting on all {len(examples):,} rows")
    fitted, platt = fit_calibrated(examples, params, seed, rules.prior)
    arrays = model_arrays(fitted.space, fitted.coef, fitted.intercept, platt)
    final = JobFraudModel(arrays, "training")
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    meta_path = out_dir / METADATA_FILE
    save_arrays(model_path, arrays)
    data_sha = sha256_file(path)
    report = TrainReport(
        data=path,
        data_sha256=data_sha,
        rows=len(examples),
        fraudulent=sum(e.label for e in examples),
        groups=len({e.group for e in examples}),
        train_rows=len(train_part),
        heldout_rows=len(held),
        ours=ours,
        ours_bare=ours_bare,
        baseline=baseline,
        model_path=model_path,
        metadata_path=meta_path,
        version=final.version,
        categories=rules.version,
        category_prior=rules.prior,
        seconds=time.perf_counter() - started,
        seed=seed,
        params=params,
    )
    partial = meta_path.with_name(meta_path.name + ".partial")
    partial.write_text(json.dumps(metadata(report, final), indent=2) + "\n", encoding="utf-8")
    partial.replace(meta_path)
    say(f"wrote {model_path} and {meta_path} ({final.version})")
    return report


def metadata(report: TrainReport, model: JobFraudModel) -> dict[str, Any]:
    weights = model.weights()
    word_weights = sorted((v, k[2:]) for k, v in weights.items() if k.startswith("w:"))
    return {
        "version": model.version,
        "format": FORMAT,
        "trained_on": {
            "data": report.data.name,
            "sha256": report.data_sha256,
            "rows": report.rows,
            "fraudulent": report.fraudulent,
            "content_groups": report.groups,
            "note": "EMSCAD (Vidros et al. 2017), partial copy; P(fraud) is calibrated at "
            "this class balance, not at the base rate of scams on a real job board",
        },
        "heldout": {
            "split": f"GroupShuffleSplit by content group, {report.params.heldout:.0%} held "
            f"out, seed {report.seed}",
            "train_rows": report.train_rows,
            "heldout_rows": report.heldout_rows,
            "ours": asdict(report.ours),
            "ours_without_metadata": asdict(report.ours_bare),
            "baseline": asdict(report.baseline),
            "baseline_is": "TfidfVectorizer() + LogisticRegression() defaults over title, "
            "description, company profile, requirements and benefits; threshold 0.5",
        },
        "features": {
            "words": model.vocabulary_size,
            "scalars": {
                "intercept": round(model.intercept, 6),
                "platt_a": round(model.platt_a, 6),
                "platt_b": round(model.platt_b, 6),
                "text_bias": round(model.text_bias, 6),
                "oov_weight": round(model.oov_weight, 6),
                "known_low": model.known_low,
                "known_high": model.known_high,
            },
            "metadata": {k[2:]: round(v, 4) for k, v in weights.items() if k.startswith("m:")},
            "rule_categories": {
                c: {
                    "prior": round(report.category_prior.get(c, 0.0), 4),
                    "weight": round(weights.get(f"r:{c}", 0.0), 4),
                }
                for c in CATEGORY_FEATURES
            },
            "rule_categories_from": report.categories,
            "params": asdict(report.params),
        },
        "strongest_words": {
            "note": "idf x coefficient: a word's weight before division by the text's norm",
            "raising": [[k, round(v, 3)] for v, k in reversed(word_weights[-30:])],
            "lowering": [[k, round(v, 3)] for v, k in word_weights[:30]],
        },
        "max_reasons": MAX_REASONS,
        "built_with": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }
