"""The rule loader and matcher, on small rule folders written by each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.errors import ConfigError
from threadline.indicators.fold import fold
from threadline.indicators.patterns import anchors, expand
from threadline.indicators.rules import Rulebook, load_rulebook, read_domain
from threadline.model import Identifier, Span

SOURCES = {"sources": {"src-a": {"title": "Indicators", "publisher": "UNODC", "year": 2020}}}


def rule(rule_id: str, category: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": rule_id,
        "category": category,
        "domain": "sexual_services",
        "kind": "indicator",
        "weight": 0.3,
        "citation": "src-a",
        "phrases": {"en": ["new in town"]},
        "examples": {
            "match": [{"lang": "en", "text": "new in town"}],
            "no_match": [{"lang": "en", "text": "old town"}],
        },
    }
    base.update(extra)
    return base


def write(folder: Path, rules: list[dict[str, Any]], name: str = "a.yaml") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "sources.yaml").write_text(yaml.safe_dump(SOURCES), encoding="utf-8")
    (folder / name).write_text(yaml.safe_dump({"rules": rules}), encoding="utf-8")
    return folder


CONTEXT = [
    rule(
        "context.adult_services.massage",
        "adult_services",
        domain="any",
        kind="context",
        weight=0,
        phrases={"en": ["massage"]},
    ),
    rule(
        "context.job_offer.hiring",
        "job_offer",
        domain="any",
        kind="context",
        weight=0,
        phrases={"en": ["hiring", "salary"]},
    ),
]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    rules = [
        *CONTEXT,
        rule("sex.movement.new", "movement", phrases={"en": ["new in town", "just arrived"]}),
        rule("sex.youth.new", "youth", phrases={"en": ["new in town"]}, weight=0.2),
        rule("sex.youth.emoji", "youth", phrases={"any": ["🍭"]}),
        rule(
            "job.urgent.now",
            "urgent_no_interview",
            domain="job",
            phrases={"en": ["urgent"]},
            patterns={"en": [r"start (?:in )?\d+ days?"]},
        ),
        rule(
            "sex.third_party.ages",
            "third_party",
            phrases={},
            signal="several_ages",
        ),
        rule(
            "counter.independent.alone",
            "independent_first_person",
            kind="counter",
            weight=0.5,
            phrases={"en": ["i work alone"]},
        ),
    ]
    return load_rulebook(write(tmp_path_factory.mktemp("book") / "rules", rules))


def flag_ids(book: Rulebook, text: str, **kw: Any) -> list[str]:
    _, flags = book.flags("ad1", text, stage="indicators.rules@1", **kw)
    return [f.rule_id for f in flags]


def test_folding_keeps_offsets() -> None:
    for text in ["RECIÉN LLEGADA", "İstanbul", "l’été\u00a0à Paris", "Straße", "ＡＢＣ"]:
        assert len(fold(text)) == len(text)
    assert fold("RECIÉN LLEGADA") == "recien llegada"
    assert fold("l’été") == "l'ete"


def test_phrases_match_case_and_accent_insensitively_on_word_boundaries(book: Rulebook) -> None:
    text = "Massage. Lovely Anna, NEW IN TOWN and just arrived!"
    assert flag_ids(book, text).count("sex.movement.new") == 2
    assert "sex.movement.new" not in flag_ids(book, "massage. newintown, renew in townhall")


def test_overlapping_phrases_of_two_rules_are_both_found(book: Rulebook) -> None:
    ids = flag_ids(book, "massage, new in town")
    assert "sex.movement.new" in ids
    assert "sex.youth.new" in ids


def test_evidence_is_the_original_text_at_the_span(book: Rulebook) -> None:
    text = "Massage 💆 — Sofía, Just  Arrived? no: JUST ARRIVED 🍭"
    _, flags = book.flags("ad1", text, stage="s@1")
    assert flags
    for flag in flags:
        assert flag.evidence == text[flag.span.start : flag.span.end]
    assert any(f.evidence == "JUST ARRIVED" for f in flags)
    assert any(f.evidence == "🍭" and f.category == "youth" for f in flags)


def test_domain_decides_which_rules_apply(book: Rulebook) -> None:
    assert read_domain(book.hits("hiring now, salary good")) == "job"
    assert read_domain(book.hits("massage")) == "sexual_services"
    assert read_domain(book.hits("a bakery")) == "other"
    assert "job.urgent.now" in flag_ids(book, "Hiring, urgent, start in 3 days")
    assert "job.urgent.now" not in flag_ids(book, "Massage, urgent")
    assert "sex.movement.new" not in flag_ids(book, "Hiring: new in town office")
    assert flag_ids(book, "urgent", domain="job") == ["job.urgent.now"]
    # only the context that decided the domain is kept, as its evidence
    assert flag_ids(book, "Hiring: massage therapist, salary good") == [
        "context.job_offer.hiring",
        "context.job_offer.hiring",
    ]


def test_patterns_match_on_folded_text(book: Rulebook) -> None:
    _, flags = book.flags("ad1", "Hiring. START IN 3 DAYS", stage="s@1")
    assert [f.evidence for f in flags if f.rule_id == "job.urgent.now"] == ["START IN 3 DAYS"]


def test_counter_indicators_carry_negative_weight(book: Rulebook) -> None:
    _, flags = book.flags("ad1", "Massage. I work alone.", stage="s@1")
    (counter,) = [f for f in flags if f.category == "independent_first_person"]
    assert counter.weight == -0.5
    assert counter.citation == "UNODC (2020). Indicators"


def test_signals_read_identifiers(book: Rulebook) -> None:
    def age(value: str, start: int) -> Identifier:
        return Identifier("ad1", "age", value, value, Span(start, start + 2), 0.9, "extract.age@1")

    text = "Massage: Ana 22 and Eva 25"
    _, flags = book.flags("ad1", text, (age("22", 13), age("25", 24)), stage="s@1")
    assert [f.evidence for f in flags if f.rule_id == "sex.third_party.ages"] == ["22", "25"]
    _, flags = book.flags("ad1", text, (age("22", 13),), stage="s@1")
    assert "sex.third_party.ages" not in [f.rule_id for f in flags]


def test_hits_per_rule_are_bounded(book: Rulebook) -> None:
    assert flag_ids(book, "massage " + "new in town. " * 50).count("sex.movement.new") == 5


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_matching_never_raises_and_spans_point_at_their_evidence(book: Rulebook, text: str) -> None:
    text = "massage hiring " + text
    for flag in book.flags("ad", text, stage="s@1")[1]:
        assert flag.evidence == text[flag.span.start : flag.span.end]


# ------------------------------------------------------------------ loader errors


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"citation": "nowhere"}, "not listed in sources.yaml"),
        ({"citation": []}, "has no citation"),
        ({"category": "mystery"}, "unknown category"),
        ({"examples": {"match": [{"lang": "en", "text": "x"}], "no_match": []}}, "no_match"),
        ({"patterns": {"en": ["(unclosed"]}}, "does not compile"),
        ({"patterns": {"en": ["(new) in"]}}, "has groups"),
        ({"patterns": {"en": ["a*"]}}, "matches empty text"),
        ({"phrases": {"xx": ["hola"]}}, "unknown languages"),
        ({"kind": "counter"}, "is a indicator, not a counter"),
        ({"domain": "job"}, "belongs to domain sexual_services"),
        ({"weight": 0}, "weight must be above 0"),
        ({"weight": 2}, "less than or equal to 1"),
        ({"phrases": {}}, "needs phrases, patterns or a signal"),
        ({"signal": "telepathy"}, "unknown signal"),
        ({"id": "Bad Id"}, "dotted lower case"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_mistakes_name_the_file_and_rule(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    folder = write(tmp_path / "rules", [{**rule("sex.movement.x", "movement"), **change}])
    with pytest.raises(ConfigError, match=message) as caught:
        load_rulebook(folder)
    assert "a.yaml" in str(caught.value)


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", [rule("sex.movement.x", "movement")])
    (folder / "b.yaml").write_text(
        yaml.safe_dump({"rules": [rule("sex.movement.x", "movement")]}), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="also defined in"):
        load_rulebook(folder)


def test_missing_sources_and_broken_files_are_clear(tmp_path: Path) -> None:
    folder = write(tmp_path / "rules", [rule("sex.movement.x", "movement")])
    (folder / "sources.yaml").unlink()
    with pytest.raises(ConfigError, match=r"sources\.yaml is missing"):
        load_rulebook(folder)
    folder = write(tmp_path / "rules2", [rule("sex.movement.x", "movement")])
    (folder / "a.yaml").write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read rules"):
        load_rulebook(folder)
    with pytest.raises(ConfigError, match="does not exist"):
        load_rulebook(tmp_path / "nowhere")


def test_rulebook_version_follows_content(tmp_path: Path) -> None:
    one = load_rulebook(write(tmp_path / "a", [rule("sex.movement.x", "movement")]))
    same = load_rulebook(write(tmp_path / "b", [rule("sex.movement.x", "movement")]))
    other = load_rulebook(write(tmp_path / "c", [rule("sex.movement.x", "movement", weight=0.4)]))
    assert one.version == same.version != other.version


# ------------------------------------------------------------------ patterns made cheap


def test_finite_bounded_patterns_become_phrases() -> None:
    assert sorted(expand(r"\b(?:two|2) (?:new )?girls\b") or []) == [
        "2 girls", "2 new girls", "two girls", "two new girls",
    ]  # fmt: skip
    assert expand(r"\bonly \d days\b") == [f"only {d} days" for d in "0123456789"]
    assert expand(r"girls\b") is None  # not bounded at both ends: stays a pattern
    assert expand(r"\bonly \d+ days\b") is None  # infinite
    assert expand(r"\b(?<!no )deposit\b") is None  # an assertion inside


def test_other_patterns_run_only_where_their_anchors_are() -> None:
    assert anchors(r"\b[a-z]{3,} ?(?:->|=>|→) ?[a-z]{3,}\b") == ("->", "=>", "→")
    assert anchors(r"\b(?<!no )deposit (?:is )?required\b") == ("deposit ",)
    assert anchors(r"\w+") is None


SEVERAL = r"\b(?:[2-4]|two) girls available\b"
TOUR = r"\b[a-z]{3,} ?(?:->|→) ?[a-z]{3,}\b"


def test_expanded_and_anchored_patterns_find_the_same_as_the_regex(tmp_path: Path) -> None:
    rules = [
        *CONTEXT,
        rule("sex.third_party.n", "third_party", phrases={}, patterns={"en": [SEVERAL]}),
        rule("sex.movement.tour", "movement", phrases={}, patterns={"en": [TOUR]}),
    ]
    book = load_rulebook(write(tmp_path / "rules", rules))
    text = "Massage: TWO girls available, tour Lyon → Paris; 5 girls available; x->y"
    _, flags = book.flags("ad1", text, stage="s@1")
    assert [(f.rule_id, f.evidence) for f in flags if f.weight] == [
        ("sex.third_party.n", "TWO girls available"),
        ("sex.movement.tour", "Lyon → Paris"),
    ]


def test_overlapping_phrases_of_one_rule_make_one_flag(tmp_path: Path) -> None:
    rules = [*CONTEXT, rule("sex.movement.x", "movement", phrases={"en": ["new in", "in town"]})]
    book = load_rulebook(write(tmp_path / "rules", rules))
    _, flags = book.flags("ad1", "Massage: new in town. Later: in town", stage="s@1")
    assert [f.evidence for f in flags if f.weight] == ["new in", "in town"]
    assert [f.span.start for f in flags if f.weight] == [9, 29]
