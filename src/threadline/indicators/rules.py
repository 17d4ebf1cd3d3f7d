"""Indicator rules: loaded from YAML, validated, compiled into one matcher over all rules.

Rules are data (``indicators/rules/*.yaml``, see ``docs/indicator-sources.md``): each has an id,
a category, the kind of advert it applies to, a weight, a citation to its public source,
phrases per language and examples it must and must not match. :func:`load_rulebook` checks all
of it and names the file and rule of any mistake.

Matching costs one pass over the advert whatever the number of rules: every phrase of every
rule and language goes into a single Aho-Corasick automaton over folded text (see
:mod:`threadline.indicators.fold`), which reports every phrase occurrence, overlapping ones
included. Patterns that stand for a small set of strings join the phrases; the others run
only on adverts holding one of their literal anchors (:mod:`threadline.indicators.patterns`).
All languages are matched at once: adverts mix languages (an English title over a Portuguese
body), and a language detector's guess on a short advert should not decide what is seen.

A phrase is a statement in one kind of advert: "urgent" means one thing in a job offer and
nothing in a massage advert. So matching also tells the advert's *domain* from the context
rules, and a domain-bound rule flags only adverts of its domain.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

import ahocorasick  # type: ignore[import-not-found,unused-ignore]
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from threadline.errors import ConfigError
from threadline.indicators.categories import CATEGORIES, LANGUAGES, Domain, Kind
from threadline.indicators.fold import fold, fold_phrase
from threadline.indicators.patterns import anchors, expand
from threadline.indicators.signals import SIGNALS
from threadline.model import Flag, Identifier, Span

RULES_DIR = Path(__file__).with_name("rules")
"""The shipped rule files; a plain folder beside this module (no package, so that
``threadline.indicators.rules`` stays this module)."""
SOURCES_FILE = "sources.yaml"
MAX_HITS_PER_RULE = 5
"""Spans kept per rule and advert: enough to show every way it is said, bounded for spam."""
MAX_CONTEXT_FLAGS = 3
"""Context flags kept per advert: the first few words that show what kind of advert it is are
evidence enough for its domain."""
PATTERN_LANGUAGES = (*LANGUAGES, "any")
ANCHOR_REACH = 160
"""Characters either side of its anchors within which a pattern's match must lie: patterns
describe a phrase, not a page, and scanning only near the anchors is what keeps them cheap."""
_ID = re.compile(r"^[a-z]+(\.[a-z0-9_]+)+$")


# ------------------------------------------------------------------ the YAML, validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Strict):
    lang: str
    text: str = Field(min_length=1)


class Examples(_Strict):
    match: list[Example] = Field(min_length=1)
    no_match: list[Example] = Field(min_length=1)


class RuleSpec(_Strict):
    id: str
    category: str
    domain: Domain
    kind: Kind
    weight: float = Field(ge=0.0, le=1.0)
    citation: str | list[str]
    note: str = ""
    phrases: dict[str, list[str]] = Field(default_factory=dict)
    patterns: dict[str, list[str]] = Field(default_factory=dict)
    signal: str | None = None
    examples: Examples

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"rule id {value!r} must be dotted lower case, e.g. job.fees.visa")
        return value

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"unknown category {value!r}; known: {', '.join(CATEGORIES)}")
        return value

    @field_validator("signal")
    @classmethod
    def _known_signal(cls, value: str | None) -> str | None:
        if value is not None and value not in SIGNALS:
            raise ValueError(f"unknown signal {value!r}; known: {', '.join(SIGNALS)}")
        return value

    @field_validator("phrases", "patterns")
    @classmethod
    def _known_languages(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(PATTERN_LANGUAGES)
        if unknown:
            raise ValueError(f"unknown languages {sorted(unknown)}; use {PATTERN_LANGUAGES}")
        return value


class SourceSpec(_Strict):
    title: str
    publisher: str = ""
    authors: str = ""
    year: int | None = None
    url: str = ""
    note: str = ""

    def cite(self) -> str:
        who = self.authors or self.publisher
        when = f" ({self.year})" if self.year else ""
        where = f", {self.url}" if self.url else ""
        return f"{who}{when}. {self.title}{where}".strip(". ")


# ------------------------------------------------------------------ compiled rules


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    domain: Domain
    kind: Kind
    weight: float
    """Signed as it enters a :class:`Flag`: negative for counter-indicators."""
    citation: str
    note: str
    spec: RuleSpec


class Hit(NamedTuple):
    """A rule met at ``[start, end)`` (a tuple: adverts yield many, and they are short-lived)."""

    start: int
    end: int
    rule: Rule


DomainName = Literal["job", "sexual_services", "other"]
DOMAIN_CONTEXT = {"job": "job_offer", "sexual_services": "adult_services"}
"""The context category that says an advert is of each domain."""


class Rulebook:
    """All rules, compiled; :meth:`flags` finds them in an advert."""

    def __init__(self, rules: Sequence[Rule], sources: dict[str, SourceSpec], version: str) -> None:
        self.rules = tuple(rules)
        self.sources = sources
        self.version = version
        patterns = _build_patterns(self.rules)
        self._patterns = tuple((compiled, rule) for compiled, rule, _ in patterns)
        self._unanchored = {n for n, (_, _, needed) in enumerate(patterns) if needed is None}
        self._automaton = _build_automaton(self.rules, patterns)
        self._signal_rules = tuple(r for r in self.rules if r.spec.signal)

    def hits(self, text: str) -> list[Hit]:
        """Every lexical hit in ``text`` (phrases and patterns, any domain), unordered."""
        folded = fold(text)
        found: list[Hit] = []
        # pattern number -> the stretch of text around its anchors where it may match
        windows: dict[int, tuple[int, int]] = dict.fromkeys(self._unanchored, (0, len(folded)))
        if self._automaton is not None:
            for end, (length, rules, patterns) in self._automaton.iter(folded):
                start = end - length + 1
                for n in patterns:
                    low, high = windows.get(n, (start, end))
                    windows[n] = (min(low, start), max(high, end))
                if not rules:
                    continue
                # whole words only: no letter or digit glued to either end (inlined: this
                # runs for every phrase occurrence)
                first, last = folded[start], folded[end]
                if start > 0 and (first.isalnum() or first == "_"):
                    before = folded[start - 1]
                    if before.isalnum() or before == "_":
                        continue
                if end + 1 < len(folded) and (last.isalnum() or last == "_"):
                    after = folded[end + 1]
                    if after.isalnum() or after == "_":
                        continue
                found.extend([Hit(start, end + 1, r) for r in rules])
        for n in sorted(windows):
            compiled, rule = self._patterns[n]
            low, high = windows[n]
            span = (max(0, low - ANCHOR_REACH), high + 1 + ANCHOR_REACH)
            for match in compiled.finditer(folded, *span):
                if match.end() > match.start():
                    found.append(Hit(match.start(), match.end(), rule))
        return found

    def flags(
        self,
        ad_id: str,
        text: str,
        identifiers: Sequence[Identifier] = (),
        *,
        stage: str,
        domain: DomainName | None = None,
    ) -> tuple[DomainName, list[Flag]]:
        """The advert's domain and its flags: the context flags that decided the domain, then
        the indicator and counter flags of rules for that domain. ``domain`` overrides the
        domain read from the text (rule examples are snippets too short to carry context)."""
        lexical = self.hits(text)
        if domain is None:
            domain = read_domain(lexical)
        # context is kept only as the evidence for the domain it decided
        wanted = DOMAIN_CONTEXT.get(domain)
        kept: list[Hit] = [
            h
            for h in lexical
            if (h.rule.category == wanted if h.rule.kind == "context" else _applies(h.rule, domain))
        ]
        for rule in self._signal_rules:
            if not _applies(rule, domain):
                continue
            signal = SIGNALS[rule.spec.signal or ""]
            kept.extend([Hit(s.start, s.end, rule) for s in signal(identifiers)])
        per_rule: dict[str, int] = {}
        reached: dict[str, int] = {}
        context = 0
        flags: list[Flag] = []
        for start, end, rule in sorted(kept, key=_text_order):
            if start < reached.get(rule.id, 0):
                continue  # two phrases of one rule overlapping: one statement, one flag
            reached[rule.id] = end
            if rule.kind == "context":
                context += 1
                if context > MAX_CONTEXT_FLAGS:
                    continue
            seen = per_rule[rule.id] = per_rule.get(rule.id, 0) + 1
            if seen <= MAX_HITS_PER_RULE:
                flags.append(
                    Flag(
                        ad_id,
                        rule.id,
                        rule.category,
                        rule.weight,
                        Span(start, end),
                        text[start:end],
                        rule.citation,
                        stage,
                    )
                )
        return domain, flags


def _text_order(hit: Hit) -> tuple[int, int, str]:
    return hit.start, hit.end, hit.rule.id


def read_domain(hits: Iterable[Hit]) -> DomainName:
    """``job`` or ``sexual_services`` by which context is stated more often, else ``other``.

    Job lures for "hostesses" or "massage therapists" state both; they are job offers, which
    is where their indicators (fees, passports, travel) live, so a tie goes to ``job``.
    """
    counts = Counter(h.rule.category for h in hits if h.rule.kind == "context")
    job, adult = counts["job_offer"], counts["adult_services"]
    if job == 0 and adult == 0:
        return "other"
    return "job" if job >= adult else "sexual_services"


def _applies(rule: Rule, domain: DomainName) -> bool:
    return rule.kind == "context" or rule.domain == "any" or rule.domain == domain


def _phrases(rule: Rule) -> Iterable[str]:
    for phrases in rule.spec.phrases.values():
        yield from phrases
    for patterns in rule.spec.patterns.values():
        for pattern in patterns:
            yield from expand(pattern) or ()


def _build_automaton(rules: Sequence[Rule], patterns: Sequence[CompiledPattern]) -> Any:
    """One automaton for every phrase (with the rules it stands for) and every pattern anchor
    (with the patterns it lets run): one pass over the advert finds both."""
    phrases: dict[str, list[Rule]] = {}
    for rule in rules:
        for phrase in _phrases(rule):
            key = fold_phrase(phrase)
            if key and rule not in phrases.setdefault(key, []):
                phrases[key].append(rule)
    anchored: dict[str, list[int]] = {}
    for n, (_, _, needed) in enumerate(patterns):
        for anchor in needed or ():
            anchored.setdefault(anchor, []).append(n)
    if not phrases and not anchored:
        return None
    automaton = ahocorasick.Automaton()
    for key in phrases.keys() | anchored.keys():
        value = (len(key), tuple(phrases.get(key, ())), tuple(anchored.get(key, ())))
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton


CompiledPattern = tuple[re.Pattern[str], Rule, tuple[str, ...] | None]


def _build_patterns(rules: Sequence[Rule]) -> tuple[CompiledPattern, ...]:
    """The patterns that could not become phrases, each with its anchors (see
    :mod:`threadline.indicators.patterns`)."""
    compiled = []
    for rule in rules:
        for patterns in rule.spec.patterns.values():
            for pattern in patterns:
                if expand(pattern) is None:
                    compiled.append((re.compile(pattern), rule, anchors(pattern)))
    return tuple(compiled)


# ------------------------------------------------------------------ loading


def load_rulebook(folder: Path | None = None) -> Rulebook:
    """Load, validate and compile every ``*.yaml`` rule file in ``folder`` (default: the
    shipped rules). Raises :class:`ConfigError` naming the file and rule of any mistake."""
    folder = folder or RULES_DIR
    if not folder.is_dir():
        raise ConfigError(f"rule folder {folder} does not exist")
    digest = hashlib.sha256()
    sources = _load_sources(folder / SOURCES_FILE, digest)
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == SOURCES_FILE:
            continue
        content = _read_yaml(path, digest)
        entries = content.get("rules") if isinstance(content, dict) else None
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: expected a mapping with a 'rules' list")
        for n, entry in enumerate(entries, 1):
            rule = _compile_rule(entry, path, n, sources)
            if rule.id in seen:
                raise ConfigError(f"{path}: rule {rule.id} is also defined in {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(rule)
    if not rules:
        raise ConfigError(f"no rules in {folder}")
    return Rulebook(rules, sources, f"rules-{digest.hexdigest()[:12]}")


@functools.cache
def shipped_rulebook() -> Rulebook:
    """The rules shipped in the package, loaded once per process."""
    return load_rulebook()


def _read_yaml(path: Path, digest: Any) -> Any:
    try:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\x00" + data)
        return yaml.safe_load(data)
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read rules: {err}") from err


def _load_sources(path: Path, digest: Any) -> dict[str, SourceSpec]:
    if not path.is_file():
        raise ConfigError(f"{path} is missing: every rule cites a source listed there")
    content = _read_yaml(path, digest)
    entries = content.get("sources") if isinstance(content, dict) else None
    if not isinstance(entries, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'sources' mapping")
    try:
        return {str(k): SourceSpec.model_validate(v) for k, v in entries.items()}
    except ValidationError as err:
        raise ConfigError(f"{path}: {_first_error(err)}") from err


def _compile_rule(entry: object, path: Path, n: int, sources: dict[str, SourceSpec]) -> Rule:
    where = f"{path.name}, rule {n}"
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        where = f"{path.name}, rule {entry['id']}"
    try:
        spec = RuleSpec.model_validate(entry)
    except ValidationError as err:
        raise ConfigError(f"{where}: {_first_error(err)}") from err
    category = CATEGORIES[spec.category]
    problems = _problems(spec, category.kind, category.domain)
    keys = [spec.citation] if isinstance(spec.citation, str) else spec.citation
    missing = [k for k in keys if k not in sources]
    if not keys:
        problems.append("has no citation")
    if missing:
        problems.append(f"cites {missing}, not listed in {SOURCES_FILE}")
    if problems:
        raise ConfigError(f"{where}: " + "; ".join(problems))
    sign = -1.0 if spec.kind == "counter" else 1.0
    return Rule(
        id=spec.id,
        category=spec.category,
        domain=spec.domain,
        kind=spec.kind,
        weight=sign * spec.weight,
        citation="; ".join(sources[k].cite() for k in keys),
        note=spec.note,
        spec=spec,
    )


def _problems(spec: RuleSpec, kind: Kind, domain: Domain) -> list[str]:
    problems = []
    if spec.kind != kind:
        problems.append(f"category {spec.category} is a {kind}, not a {spec.kind}")
    if domain != "any" and spec.domain not in (domain, "any"):
        problems.append(f"category {spec.category} belongs to domain {domain}")
    if spec.kind == "context" and spec.weight != 0:
        problems.append("context rules carry no weight (weight: 0)")
    if spec.kind != "context" and spec.weight == 0:
        problems.append("weight must be above 0")
    if not spec.phrases and not spec.patterns and not spec.signal:
        problems.append("needs phrases, patterns or a signal")
    for language, patterns in spec.patterns.items():
        for pattern in patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as err:
                problems.append(f"pattern {pattern!r} ({language}) does not compile: {err}")
                continue
            if compiled.groups:
                problems.append(f"pattern {pattern!r} ({language}) has groups: use (?:...)")
            if compiled.match(""):
                problems.append(f"pattern {pattern!r} ({language}) matches empty text")
    for language, phrases in spec.phrases.items():
        if any(not fold_phrase(p) for p in phrases):
            problems.append(f"an empty phrase in {language}")
    return problems


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def languages_of(spec: RuleSpec) -> Collection[str]:
    """The languages a rule states itself in (phrases or patterns)."""
    return set(spec.phrases) | set(spec.patterns)
