"""Terminal views of stored operations: the triage list, one operation in full, a run's report.
Advert-derived text enters through :func:`threadline.render.safe`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from threadline.linking import LinkReport
from threadline.model import Ad, Judgement, Link, Profile
from threadline.render import safe


def _day(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


def link_report(report: LinkReport, total_operations: int) -> RenderableType:
    if report.mode == "nothing new":
        return Text(
            "Nothing new to link: every scanned advert has been weighed. "
            "`threadline link --full` weighs everything afresh."
        )
    table = Table(title=f"Linking ({report.mode})", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("adverts weighed", f"{report.adverts:,}")
    if report.mode != "full":
        table.add_row("re-linked with them (their neighbourhood)", f"{report.neighbourhood:,}")
    table.add_row("links scored", f"{report.links:,}")
    table.add_row("strong links (grouping)", f"{report.strong:,}")
    table.add_row("operations written", f"{report.operations:,}")
    if report.replaced:
        table.add_row("operations replaced", f"{report.replaced:,}")
    table.add_row("operations in the store", f"{total_operations:,}")
    parts: list[RenderableType] = [table]
    if report.hubs:
        hubs = ", ".join(
            f"{k} ({n} adverts)" for k, n in sorted(report.hubs.items(), key=lambda h: -h[1])[:8]
        )
        parts.append(safe(f"Set aside as shared by too many adverts to link them: {hubs}"))
    if not report.closed:
        parts.append(
            Text(
                "Some keys were too widely shared to follow: their earlier verdicts were "
                "reused. `threadline link --full` weighs everything afresh."
            )
        )
    parts.append(Text("Next: threadline operations (the triage list)"))
    return Group(*parts)


def operations_table(profiles: Sequence[Profile], total: int) -> RenderableType:
    """The triage list: rank, score, size, time span and the reasons."""
    if not profiles:
        return Text("No operations: run `threadline link` after `threadline scan`.")
    table = Table(
        title=f"Operations by triage rank ({total:,} in all)", title_justify="left", expand=True
    )
    for name, justify in (
        ("rank", "right"),
        ("operation", "left"),
        ("score", "right"),
        ("adverts", "right"),
        ("posted", "left"),
        ("why", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for p in profiles:
        table.add_row(
            str(p.rank),
            p.id,
            f"{p.score:.2f}",
            f"{p.size:,}",
            f"{_day(p.first_posted)} to {_day(p.last_posted)}",
            safe("; ".join(p.explanation)),
        )
    return table


def operation_view(
    profile: Profile,
    ads: Sequence[Ad],
    links: Sequence[Link],
    judgements: Sequence[Judgement],
    *,
    show_links: int = 30,
) -> RenderableType:
    """One operation: why it ranks, its features, its members in posting order, its evidence."""
    head = Table(
        title=f"{profile.id}: rank {profile.rank}, score {profile.score:.2f}, "
        f"{profile.size:,} adverts",
        title_justify="left",
        show_header=False,
    )
    head.add_column("what")
    head.add_column("value")
    head.add_row("why", safe("\n".join(profile.explanation) or "-"))
    head.add_row("posted", f"{_day(profile.first_posted)} to {_day(profile.last_posted)}")
    head.add_row(
        "features",
        "\n".join(f"{name}: {value:g}" for name, value in sorted(profile.features.items())),
    )
    timeline = Table(title="Timeline of members", title_justify="left")
    for name in ("posted", "advert", "place", "source", "title"):
        timeline.add_column(name)
    for ad in sorted(ads, key=lambda a: (a.posted_at or a.captured_at or datetime.min, a.id)):
        when = ad.posted_at or ad.captured_at
        timeline.add_row(
            f"{when:%Y-%m-%d %H:%M}" if when else "-",
            ad.id,
            safe(ad.place or "-"),
            safe(ad.source),
            safe(ad.title[:60]),
        )
    evidence = Table(
        title=f"Links ({len(links):,}; strongest {min(show_links, len(links))} shown)",
        title_justify="left",
    )
    for name in ("advert", "advert", "weight", "why"):
        evidence.add_column(name)
    for link in links[:show_links]:
        why = "; ".join(f"{e.detail} ({e.score:.2f})" for e in link.evidence)
        evidence.add_row(link.a, link.b, f"{link.weight:.2f}", safe(why))
    parts: list[RenderableType] = [head, timeline, evidence]
    if judgements:
        judged = Table(title="Analyst judgements", title_justify="left")
        for name in ("when", "who", "on", "verdict", "note"):
            judged.add_column(name)
        for j in judgements:
            judged.add_row(
                _day(j.at),
                safe(j.analyst),
                safe(f"{j.target} {j.subject}"),
                j.verdict,
                safe(j.note),
            )
        parts.append(judged)
    return Group(*parts)


def relevant_judgements(
    judgements: Sequence[Judgement], members: set[str], keys: Mapping[str, bool]
) -> list[Judgement]:
    """The judgements about this operation's adverts, links or identifiers."""
    out = []
    for j in judgements:
        if (
            (j.target == "link" and set(j.subject.split("|")) & members)
            or (j.target == "operation" and set(j.members) & members)
            or (j.target == "identifier" and j.subject in keys)
        ):
            out.append(j)
    return out
