"""Terminal rendering of linked operations: every link with the evidence that made it.
Advert-derived text enters through :func:`threadline.render.safe`."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from threadline.link.scoring import Linked
from threadline.render import safe


def operations_view(linked: Linked, labels: Mapping[str, str]) -> RenderableType:
    """Operations found by ``threadline link``, largest first, with the evidence of each link."""
    if not linked.operations:
        return Text("No adverts linked.")
    parts: list[RenderableType] = []
    for op in linked.operations:
        table = Table(
            title=f"{op.id}: {len(op.members)} adverts, mean link weight {op.score:.2f}",
            title_justify="left",
            caption=safe("; ".join(op.explanation)) if op.explanation else None,
            caption_justify="left",
        )
        for name in ("advert", "advert", "weight", "why"):
            table.add_column(name)
        for link in op.links[:20]:
            why = "; ".join(e.detail for e in link.evidence)
            table.add_row(
                safe(labels.get(link.a, link.a)),
                safe(labels.get(link.b, link.b)),
                f"{link.weight:.2f}",
                safe(why),
            )
        parts.append(table)
    if linked.hubs:
        hubs = ", ".join(f"{k} ({n} adverts)" for k, n in sorted(linked.hubs.items())[:10])
        parts.append(
            safe(f"Set aside as shared lines (posters printing them post at the same time): {hubs}")
        )
    return Group(*parts)
