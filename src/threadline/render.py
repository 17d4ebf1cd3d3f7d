"""Terminal renderings for the CLI. Advert text is hostile: it always goes in as plain
:class:`rich.text.Text` (never as markup), with every control character (ESC included, which
rich lets through) replaced by a visible one: see :func:`safe`."""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from threadline.model import Ad, Identifier, Quarantined
from threadline.pipeline import RunReport
from threadline.store.base import StoreStats
from threadline.store.search import MARK_END, MARK_START

# C0 and C1 control characters other than tab and newline, and DEL: rich passes ESC through,
# and an advert must not be able to move the cursor, recolour or retitle an analyst's terminal.
# Each becomes one visible replacement character, so spans into the text stay right.
_CONTROLS = dict.fromkeys((*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)), "\ufffd")


def safe(text: str, style: str = "") -> Text:
    """Untrusted text (an advert, a value read from it) as inert rich text."""
    return Text(text.translate(_CONTROLS), style=style)


def _plain(value: object, limit: int | None = None) -> Text:
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return safe(text)


def ingest_summary(report: RunReport) -> RenderableType:
    table = Table(title="Ingest", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("records read", f"{report.read:,}")
    table.add_row("ingested (new adverts)", f"{report.written:,}")
    table.add_row("duplicate (already stored)", f"{report.duplicate:,}")
    table.add_row("quarantined", f"{report.quarantined_total:,}")
    parts: list[RenderableType] = [table]
    if report.quarantined:
        reasons = Table(title="Quarantined, by reason", title_justify="left")
        reasons.add_column("reason")
        reasons.add_column("count", justify="right")
        reasons.add_column("example")
        for code, n in report.quarantined.most_common():
            ex = report.examples[code]
            reasons.add_row(code, f"{n:,}", _plain(f"{ex.locator}: {ex.reason}", 120))
        parts.append(reasons)
        parts.append(Text("See them all with: threadline quarantine", style="dim"))
    return Group(*parts)


def stats_table(stats: StoreStats, url: str) -> RenderableType:
    table = Table(title=f"Store: {stats.backend} ({_redact(url)})", title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("adverts", f"{stats.adverts:,}")
    if stats.first_posted and stats.last_posted:
        table.add_row(
            "posted between", f"{stats.first_posted:%Y-%m-%d} and {stats.last_posted:%Y-%m-%d}"
        )
    for title, counts in (
        ("source", stats.sources),
        ("language", stats.languages),
        ("identifiers", stats.identifiers),
        ("quarantined", stats.quarantined),
    ):
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]:
            table.add_row(_plain(f"{title}: {key}"), f"{n:,}")
    table.add_row("indicator flags", f"{stats.flags:,}")
    table.add_row("operations (threadline link)", f"{stats.operations:,}")
    table.add_row("adverts in an operation", f"{stats.linked_adverts:,}")
    if stats.judgements:
        table.add_row("analyst judgements", f"{stats.judgements:,}")
    return table


def _redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in creds:
        return url
    return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"


def ads_table(rows: Sequence[tuple[Ad, str | None]], title: str) -> RenderableType:
    """Adverts one per entry: a header line (id, date, source, place), then the title or the
    search snippet with its matched words highlighted. Readable at 80 columns."""
    if not rows:
        return Text("No adverts found.")
    parts: list[RenderableType] = [Text(title, style="bold underline")]
    for ad, snippet in rows:
        head = Text(ad.id, style="bold cyan")
        for extra in (f"{ad.posted_at:%Y-%m-%d}" if ad.posted_at else "", ad.source, ad.place):
            if extra:
                head.append("  ·  ", style="dim")
                head.append(safe(_one_line(extra, 40)))
        shown = snippet if snippet is not None else ad.title or ad.body
        parts.append(head)
        parts.append(_highlighted(_one_line(shown, 300)))
        parts.append(Text(""))
    return Group(*parts)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _highlighted(snippet: str) -> Text:
    """Plain text with the store's match markers turned into highlighting (never markup)."""
    out = Text("  ")
    rest = snippet
    while MARK_START in rest:
        before, _, after = rest.partition(MARK_START)
        hit, _, rest = after.partition(MARK_END)
        out.append(safe(before))
        out.append(safe(hit, style="bold black on yellow"))
    out.append(safe(rest))
    return out


def ad_panel(ad: Ad) -> RenderableType:
    meta = Table(show_header=False, box=None)
    meta.add_column("field", style="bold")
    meta.add_column("value")
    for name in (
        "id",
        "source",
        "source_id",
        "url",
        "posted_at",
        "captured_at",
        "place",
        "language",
        "locator",
        "content_hash",
    ):
        meta.add_row(name, _plain(getattr(ad, name)))
    if ad.images:
        meta.add_row("images", _plain(", ".join(ad.images)))
    body = Text()
    if ad.title:
        body.append(safe(ad.title, style="bold"))
        body.append("\n\n")
    body.append(safe(ad.body))
    return Group(meta, Panel(body, title="advert as captured"))


def quarantine_table(entries: Sequence[Quarantined]) -> RenderableType:
    if not entries:
        return Text("The quarantine is empty.")
    table = Table(title="Quarantine", title_justify="left")
    table.add_column("stage", no_wrap=True)
    table.add_column("reason")
    table.add_column("where")
    table.add_column("record")
    for q in entries:
        table.add_row(
            q.stage,
            _plain(f"{q.code}: {q.reason}", 120),
            _plain(q.locator, 60),
            _plain(q.record, 80),
        )
    return table


KIND_STYLES = {
    "phone": "bold white on dark_green",
    "email": "bold white on blue",
    "handle": "bold white on purple4",
    "url": "underline cyan",
    "wallet": "bold black on orange1",
    "payment": "bold black on gold1",
    "age": "bold black on light_pink1",
    "price": "bold black on pale_green1",
    "place": "italic bright_cyan",
}


def extraction_view(label: str, ad: Ad, found: Sequence[Identifier]) -> RenderableType:
    """The advert text with every identifier's span highlighted, then the list of values."""
    text = safe(ad.text)
    for ident in found:
        style = KIND_STYLES.get(ident.kind)
        if style and ident.span.end > ident.span.start:
            text.stylize(style, ident.span.start, ident.span.end)
    table = Table(box=None, show_header=True, pad_edge=False)
    for name in ("kind", "value", "as written", "span", "details"):
        table.add_column(name)
    for ident in found:
        if ident.kind == "language":
            continue
        details = ", ".join(f"{k}={v}" for k, v in sorted(ident.attrs.items()))
        table.add_row(
            Text(ident.kind, style=KIND_STYLES.get(ident.kind, "")),
            _plain(ident.value, 60),
            _plain(_one_line(ident.raw, 50)),
            f"{ident.span.start}-{ident.span.end}",
            _plain(details, 50),
        )
    language = next((i.value for i in found if i.kind == "language"), None)
    title = f"{label}" + (f"  ·  language {language}" if language else "")
    parts: list[RenderableType] = [Panel(text, title=_plain(title), title_align="left")]
    if table.row_count:
        parts.append(table)
    else:
        parts.append(Text("  no identifiers found", style="dim"))
    return Group(*parts)


def identifiers_json(label: str, found: Sequence[Identifier]) -> str:
    """One advert's identifiers as a JSON line, for ``extract --format jsonl``."""
    items = []
    for ident in found:
        item: dict[str, object] = {
            "kind": ident.kind,
            "value": ident.value,
            "raw": ident.raw,
            "span": [ident.span.start, ident.span.end],
            "confidence": ident.confidence,
            "stage": ident.stage,
        }
        if ident.attrs:
            item["attrs"] = dict(ident.attrs)
        if "chain" in ident.attrs:
            item["chain"] = ident.attrs["chain"]
        items.append(item)
    return orjson.dumps({"id": label, "identifiers": items}).decode()
