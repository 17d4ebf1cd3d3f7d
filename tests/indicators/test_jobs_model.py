"""The job-fraud model: the shipped weights, what scores mean, reasons, training, bad files."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from threadline.errors import ConfigError
from threadline.indicators import jobs_model
from threadline.indicators.jobs_model import (
    CATEGORY_FEATURES,
    MAX_REASONS,
    METADATA_FILE,
    MODEL_FILE,
    JobFraudModel,
    JobFraudScore,
    load_job_model,
    read_arrays,
    save_arrays,
)
from threadline.model import Ad

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EMSCAD = SHARED_DATA / "emscad" / "train.csv"

SCAM_TEXT = (
    "Data Entry Clerk - Work From Home",
    "Earn $500 to $1000 weekly working from home! No experience needed, no interview. "
    "We are looking for data entry clerks and typists to work online part time. "
    "Flexible hours, weekly pay. Just send your details and bank account information "
    "to get started today. Make money fast from the comfort of your home.",
)
HONEST_TEXT = (
    "Senior Software Engineer (Python)",
    "We are looking for a senior software engineer to join our platform team in London. "
    "You will design, build and maintain our backend services, review code and mentor "
    "junior engineers. Requirements: 5+ years of experience with Python and PostgreSQL, "
    "experience with AWS, strong communication skills. Benefits: competitive salary, "
    "pension, private health insurance, 25 days holiday and a learning budget.",
)
SCAM_META = {
    "company_profile": "",
    "requirements": "",
    "benefits": "",
    "telecommuting": "1",
    "has_company_logo": "0",
    "has_questions": "0",
    "employment_type": "Part-time",
    "required_experience": "",
    "required_education": "",
    "industry": "",
    "function": "",
    "salary_range": "",
    "department": "",
}
HONEST_META = {
    "company_profile": "Acme Analytics builds data tools used by 2,000 companies in Europe.",
    "requirements": "",
    "benefits": "",
    "telecommuting": "0",
    "has_company_logo": "1",
    "has_questions": "1",
    "employment_type": "Full-time",
    "required_experience": "Mid-Senior level",
    "required_education": "Bachelor's Degree",
    "industry": "Computer Software",
    "function": "Engineering",
    "salary_range": "",
    "department": "Engineering",
}
READABLE = re.compile(r"^(word: '[^']+'|rule: [a-z_]+|[a-z ]+|[a-z ]+: .+)$")


def ad(title: str, body: str, raw: dict[str, str] | None = None) -> Ad:
    return Ad("ad-test", "test", title, body, "", raw=raw or {})


@pytest.fixture(scope="module")
def model() -> JobFraudModel:
    return load_job_model()


# ------------------------------------------------------------------ the shipped model


def test_shipped_model_loads_once_with_a_version(model: JobFraudModel) -> None:
    assert load_job_model() is model
    assert re.fullmatch(r"jobs-1-[0-9a-f]{10}", model.version)
    assert model.vocabulary_size > 1000
    meta = json.loads((jobs_model.DATA_DIR / METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["version"] == model.version
    assert meta["trained_on"]["rows"] > 0
    assert (jobs_model.DATA_DIR / MODEL_FILE).stat().st_size < 3 * 2**20


def test_probabilities_are_probabilities(model: JobFraudModel) -> None:
    cases = [
        ad(*SCAM_TEXT, SCAM_META),
        ad(*HONEST_TEXT, HONEST_META),
        ad("", ""),
        ad("x", "!!! 123 ??? €€€"),
        ad("Camarero/a", "Buscamos camarero para restaurante en Madrid. Contrato indefinido."),
    ]
    for case in cases:
        for categories in ((), CATEGORY_FEATURES, ("fees_charged", "not_a_category")):
            result = model.score(case, categories)
            assert isinstance(result, JobFraudScore)
            assert 0.0 <= result.probability <= 1.0
            assert math.isclose(result.probability, model.probability(case, categories))


def test_a_scam_scores_above_an_honest_advert(model: JobFraudModel) -> None:
    scam = model.score(ad(*SCAM_TEXT, SCAM_META), ()).probability
    honest = model.score(ad(*HONEST_TEXT, HONEST_META), ()).probability
    assert scam > 0.8
    assert honest < 0.2
    # without metadata too, as a scraped page would arrive
    assert model.probability(ad(*SCAM_TEXT)) > 0.5 > model.probability(ad(*HONEST_TEXT))


def test_absent_metadata_is_neutral(model: JobFraudModel) -> None:
    # columns the model does not know (a synthetic or scraped record) change nothing
    foreign = {"id": "syn-1", "url": "https://x.example/1", "place": "Lyon", "language": "fr"}
    for title, body in (SCAM_TEXT, HONEST_TEXT):
        assert model.probability(ad(title, body, foreign)) == model.probability(ad(title, body))
    # dropping known metadata moves a clear advert, but never across the line
    for (title, body), meta in ((SCAM_TEXT, SCAM_META), (HONEST_TEXT, HONEST_META)):
        with_meta = model.probability(ad(title, body, meta))
        without = model.probability(ad(title, body))
        assert (with_meta >= 0.5) == (without >= 0.5)
    # an advert nothing is known about scores the training base rate
    meta = json.loads((jobs_model.DATA_DIR / METADATA_FILE).read_text(encoding="utf-8"))
    rate = meta["trained_on"]["fraudulent"] / meta["trained_on"]["rows"]
    unread = ad("Vaga", "Oferta de trabalho em Lisboa, contrato efetivo, enviar currículo.")
    assert model.probability(unread) == pytest.approx(rate, abs=1e-9)


def test_metadata_fields_are_read_as_yes_no_or_unknown(model: JobFraudModel) -> None:
    text = ("Office assistant", "Office assistant wanted for a small team.")
    logo = model.probability(ad(*text, {"has_company_logo": "1"}))
    assert model.probability(ad(*text, {"has_company_logo": 1})) == logo  # JSON numbers
    assert model.probability(ad(*text, {"has_company_logo": "true"})) == logo
    no_logo = model.probability(ad(*text, {"has_company_logo": "0"}))
    assert no_logo > logo
    unknown = model.probability(ad(*text))
    assert model.probability(ad(*text, {"has_company_logo": "n/a"})) == unknown
    assert model.probability(ad(*text, {"has_company_logo": None})) == unknown


def test_text_in_an_unread_language_is_unknown(model: JobFraudModel) -> None:
    """Spanish text: the few English-looking words in it are not read as evidence."""
    body = (
        "Empresa de limpieza busca limpiador/a para oficinas en Valencia. Jornada completa, "
        "contrato indefinido, 1.650 euros al mes. Entrevista en nuestra oficina; no cobramos "
        "ninguna tasa. Envía tu CV a seleccion@empresa.example"
    )
    result = model.score(ad("Limpiador/a de oficinas", body), ())
    assert not any(name.startswith("word:") for name, _ in result.reasons)
    verifiable = model.score(ad("Limpiador/a de oficinas", body), ("verifiable_employer",))
    lure = model.score(ad("Limpiador/a de oficinas", body), ("fees_charged", "passport_early"))
    assert verifiable.probability < result.probability < lure.probability


def test_reasons_are_readable_signed_and_strongest_first(model: JobFraudModel) -> None:
    for case, categories in (
        (ad(*SCAM_TEXT, SCAM_META), ("fees_charged", "messenger_only")),
        (ad(*HONEST_TEXT, HONEST_META), ("verifiable_employer",)),
        (ad(*SCAM_TEXT), ()),
    ):
        reasons = model.score(case, categories).reasons
        assert 0 < len(reasons) <= MAX_REASONS
        strengths = [abs(v) for _, v in reasons]
        assert strengths == sorted(strengths, reverse=True)
        for name, value in reasons:
            assert READABLE.match(name), name
            assert value != 0
    scam = model.score(ad(*SCAM_TEXT, SCAM_META), ()).reasons
    honest = model.score(ad(*HONEST_TEXT, HONEST_META), ()).reasons
    assert scam[0][1] > 0  # the strongest reason for a scam raises the score
    assert honest[0][1] < 0
    weights = model.weights()
    assert weights["r:fees_charged"] >= 0 >= weights["r:verifiable_employer"]
    names = {n for n, _ in model.score(ad("Job", "A job."), ("verifiable_employer",)).reasons}
    if weights["r:verifiable_employer"] < 0:
        assert "rule: verifiable_employer" in names


def test_metadata_reasons_have_plain_names(model: JobFraudModel) -> None:
    names = {n for n, _ in model.score(ad("Job", "A job.", SCAM_META), ()).reasons}
    assert names & {"no company logo", "no company profile", "telecommuting"}


# ------------------------------------------------------------------ broken files


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing.*threadline train jobs"):
        load_job_model(tmp_path / "nope.npz")


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "missing-array", "wrong-format", "bad-lengths", "nan", "pickle"],
)
def test_malformed_file_is_a_config_error(tmp_path: Path, damage: str) -> None:
    shipped = jobs_model.DATA_DIR / MODEL_FILE
    path = tmp_path / MODEL_FILE
    arrays = read_arrays(shipped)
    if damage == "garbage":
        path.write_bytes(b"not a model at all")
    elif damage == "truncated":
        path.write_bytes(shipped.read_bytes()[:2000])
    elif damage == "pickle":
        np.savez(path, **{**arrays, "terms": np.array([{"a": 1}], dtype=object)})
    else:
        if damage == "missing-array":
            del arrays["term_coef"]
        elif damage == "wrong-format":
            arrays["format"] = np.array("jobs-0")
        elif damage == "bad-lengths":
            arrays["term_coef"] = arrays["term_coef"][:-1]
        elif damage == "nan":
            arrays["category_coef"] = arrays["category_coef"] * np.nan
        np.savez(path, **arrays)
    with pytest.raises(ConfigError):
        load_job_model(path)


def test_saving_refuses_incomplete_or_pickled_arrays(tmp_path: Path) -> None:
    arrays = read_arrays(jobs_model.DATA_DIR / MODEL_FILE)
    with pytest.raises(ValueError, match="pickle"):
        save_arrays(tmp_path / MODEL_FILE, {**arrays, "terms": np.array([{}], dtype=object)})
    del arrays["scalars"]
    with pytest.raises(ValueError, match="scalars"):
        save_arrays(tmp_path / MODEL_FILE, arrays)
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ training


@pytest.mark.skipif(not EMSCAD.is_file(), reason=f"EMSCAD data not found at {EMSCAD}")
def test_training_writes_loadable_reproducible_weights(tmp_path: Path) -> None:
    from threadline.indicators.train_jobs import RuleSource, train

    first = train(SHARED_DATA, tmp_path / "a", seed=3, limit=240)
    second = train(EMSCAD, tmp_path / "b", seed=3, limit=240)
    assert first.rows == second.rows == 240
    assert first.train_rows + first.heldout_rows == 240
    assert 0.0 <= first.ours.f1 <= 1.0
    assert 0.0 <= first.baseline.pr_auc <= 1.0
    a = load_job_model(first.model_path)
    b = load_job_model(second.model_path)
    assert a.version == b.version == first.version
    assert first.model_path.read_bytes() == second.model_path.read_bytes()
    probes = [ad(*SCAM_TEXT, SCAM_META), ad(*HONEST_TEXT), ad("Vaga", "Trabalho em Lisboa")]
    for probe in probes:
        assert a.score(probe, ("fees_charged",)) == b.score(probe, ("fees_charged",))
    meta = json.loads(first.metadata_path.read_text(encoding="utf-8"))
    assert meta["version"] == first.version
    assert meta["trained_on"]["sha256"] == first.data_sha256
    assert set(meta["heldout"]) >= {"ours", "baseline", "train_rows", "heldout_rows"}
    assert meta["built_with"]["scikit-learn"]
    # another seed, and no rule book: other rows and weights, the category weights left at 0
    third = train(EMSCAD, tmp_path / "c", seed=4, limit=240, rules=RuleSource(None, "none"))
    assert third.version != first.version
    assert third.categories == "none"
    no_rules = load_job_model(third.model_path)
    assert all(v == 0 for k, v in no_rules.weights().items() if k.startswith("r:"))


@pytest.mark.skipif(not EMSCAD.is_file(), reason=f"EMSCAD data not found at {EMSCAD}")
def test_training_refuses_too_little_or_wrong_data(tmp_path: Path) -> None:
    from threadline.errors import InputError
    from threadline.indicators.train_jobs import train

    with pytest.raises(InputError, match="too little"):
        train(EMSCAD, tmp_path, limit=30)
    other = tmp_path / "other.csv"
    other.write_text("title,text\nWaiter,Restaurant job\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an EMSCAD file"):
        train(other, tmp_path)
    with pytest.raises(InputError, match="no EMSCAD"):
        train(tmp_path / "nowhere", tmp_path)
    assert not (tmp_path / MODEL_FILE).exists()
