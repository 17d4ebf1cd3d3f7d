"""Terminal and JSON renderings of indicator flags and risk assessments.

What the advert *states* (flags, with the exact text) is shown apart from what Threadline
*infers* (the score and its contributions), as the EU Law Enforcement Directive asks. Advert
text is hostile and always enters as plain :class:`rich.text.Text`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import orjson
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from threadline.indicators.categories import CATEGORIES
from threadline.model import Ad, Assessment, Doc, Flag, Identifier
from threadline.pipeline import RunReport
from threadline.render import KIND_STYLES, safe
from threadline.store.base import StoreStats

RAISING_STYLE = "bold black on yellow"
LOWERING_STYLE = "bold black on green"
CONTEXT_STYLE = "underline"


def _title(category: str) -> str:
    known = CATEGORIES.get(category)
    return known.title if known else category.replace("_", " ")


_AUTHOR_YEAR = re.compile(r"(.+?) \((\d{4})\)")


def _short_citation(citation: str) -> str:
    """First author and year of the first source ("Vidros et al. (2017)"); the full reference
    is in the JSON output and in docs/indicator-sources.md."""
    first = citation.split("; ")[0]
    found = _AUTHOR_YEAR.match(first)
    if found is None:
        return first[:40]
    authors, year = found.groups()
    if "," in authors:
        authors = authors.split(",")[0] + " et al."
    return f"{authors} ({year})"


def scan_json(label: str, doc: Doc) -> str:
    """One advert as ``scan --format jsonl`` writes it."""
    identifiers = [
        {
            "kind": i.kind,
            "value": i.value,
            "raw": i.raw,
            "span": [i.span.start, i.span.end],
            "confidence": i.confidence,
            "stage": i.stage,
            **({"attrs": dict(i.attrs)} if i.attrs else {}),
            **({"chain": i.attrs["chain"]} if "chain" in i.attrs else {}),
        }
        for i in doc.identifiers
    ]
    flags = [
        {
            "rule": f.rule_id,
            "category": f.category,
            "weight": f.weight,
            "span": [f.span.start, f.span.end],
            "evidence": f.evidence,
            "citation": f.citation,
            "stage": f.stage,
        }
        for f in doc.flags
    ]
    out: dict[str, object] = {"id": label, "identifiers": identifiers, "flags": flags}
    a = doc.assessment
    if a is not None:
        out["domain"] = a.domain
        out["risk"] = a.score
        out["flagged"] = a.flagged
        out["threshold"] = a.threshold
        if a.job_fraud is not None:
            out["job_fraud_probability"] = a.job_fraud
        out["explanation"] = [
            {
                "source": c.source,
                "category": c.category,
                "weight": c.weight,
                "effect": c.effect,
                "span": None if c.span is None else [c.span.start, c.span.end],
                "evidence": c.evidence,
                "citation": c.citation,
            }
            for c in a.contributions
        ]
        out["basis"] = a.basis
        out["stage"] = a.stage
    return orjson.dumps(out).decode()


def explanation_view(
    label: str,
    ad: Ad,
    identifiers: Sequence[Identifier],
    flags: Sequence[Flag],
    assessment: Assessment | None,
    *,
    note: str = "",
) -> RenderableType:
    """The advert with its evidence highlighted, the statements, then the inference."""
    text = safe(ad.text)
    for ident in identifiers:
        style = KIND_STYLES.get(ident.kind)
        if style and ident.kind != "language" and ident.span.end > ident.span.start:
            text.stylize(style, ident.span.start, ident.span.end)
    for flag in flags:
        if flag.span.end > flag.span.start:
            style = (
                CONTEXT_STYLE
                if flag.weight == 0
                else (RAISING_STYLE if flag.weight > 0 else LOWERING_STYLE)
            )
            text.stylize(style, flag.span.start, flag.span.end)
    parts: list[RenderableType] = [Panel(text, title=safe(label), title_align="left")]

    facts = Table(title="What the advert states (indicator flags)", title_justify="left")
    facts.add_column("rule", overflow="fold")
    for name in ("category", "weight", "as written", "source"):
        facts.add_column(name)
    context = [f for f in flags if f.weight == 0]
    for flag in flags:
        if flag.weight == 0:
            continue
        facts.add_row(
            Text(flag.rule_id),
            Text(_title(flag.category)),
            "context" if flag.weight == 0 else f"{flag.weight:+.2f}",
            safe(" ".join(flag.evidence.split())[:60]),
            Text(_short_citation(flag.citation)),
        )
    if context:
        words = ", ".join(repr(" ".join(f.evidence.split())) for f in context)
        parts.append(safe(f"Reads as {_title(context[0].category)}, from: {words}"))
    parts.append(facts if facts.row_count else Text("No indicator phrases found.", style="dim"))

    if assessment is None:
        parts.append(Text("Not scored: run `threadline scan` first.", style="dim"))
        return Group(*parts)
    verdict = "at or above" if assessment.flagged else "below"
    summary = Text()
    summary.append("What Threadline infers: ", style="bold")
    summary.append(f"risk {assessment.score:.2f}", style="bold")
    summary.append(f" ({verdict} the threshold {assessment.threshold:.2f}); reads as ")
    summary.append(assessment.domain.replace("_", " "))
    if assessment.job_fraud is not None:
        summary.append(f"; job-fraud model P(fraud) = {assessment.job_fraud:.2f}")
    if note:
        summary.append(f"\n{note}", style="dim")
    parts.append(summary)
    table = Table(title="Why: each contribution and its share of the score", title_justify="left")
    table.add_column("effect")
    table.add_column("reason", overflow="fold")
    for name in ("category", "weight", "evidence"):
        table.add_column(name)
    for c in assessment.contributions:
        table.add_row(
            f"{c.effect:+.3f}" if c.effect else "  (same category)",
            Text(c.source),
            Text(_title(c.category)),
            f"{c.weight:+.2f}",
            safe(" ".join(c.evidence.split())[:80]),
        )
    parts.append(table if assessment.contributions else Text("No contributions: risk 0."))
    parts.append(
        Text(
            f"Scored by {assessment.stage} on {assessment.basis}. A score is a lead for an "
            "analyst to judge, never a finding.",
            style="dim",
        )
    )
    return Group(*parts)


def scan_summary(report: RunReport, stats: StoreStats, top: Sequence[Assessment]) -> RenderableType:
    """After a store scan: what was found, and where to look first."""
    lines = Text(
        f"Scanned {report.read:,} adverts: {report.written:,} values written, "
        f"{report.quarantined_total:,} adverts quarantined.\n"
    )
    found = Table(title="Identifiers", title_justify="left")
    found.add_column("kind")
    found.add_column("count", justify="right")
    for kind, n in sorted(stats.identifiers.items(), key=lambda kv: -kv[1]):
        found.add_row(kind, f"{n:,}")
    flags = Table(title="Indicator flags by category", title_justify="left")
    flags.add_column("category")
    flags.add_column("flags", justify="right")
    for category, n in sorted(stats.flag_categories.items(), key=lambda kv: -kv[1]):
        known = CATEGORIES.get(category)
        if known is None or known.kind != "context":  # context is the "reads as" below
            flags.add_row(_title(category), f"{n:,}")
    scored = Table(title="Adverts at or above the risk threshold", title_justify="left")
    scored.add_column("reads as")
    scored.add_column("flagged", justify="right")
    scored.add_column("scored", justify="right")
    for domain, n in sorted(stats.assessed.items()):
        scored.add_row(domain.replace("_", " "), f"{stats.flagged.get(domain, 0):,}", f"{n:,}")
    parts: list[RenderableType] = [lines, found, flags, scored]
    if top:
        best = Table(title="Highest risk (threadline explain ID for the why)", title_justify="left")
        best.add_column("advert", no_wrap=True, min_width=max(len(a.ad_id) for a in top))
        best.add_column("risk", justify="right")
        best.add_column("reads as")
        best.add_column("main reasons")
        for a in top:
            reasons = ", ".join(_title(c.category) for c in a.contributions if c.effect > 0)
            best.add_row(a.ad_id, f"{a.score:.2f}", a.domain.replace("_", " "), Text(reasons[:70]))
        parts.append(best)
    return Group(*parts)
