"""How the filter commands name each advert in their output: its own id, else its row.

A record without an id of its own is named by its row in its file (1 for the first record,
counting the records that were quarantined too), which stays right for CSV files whose
quoted fields span several lines, where a line number would not.
"""

from __future__ import annotations

from collections.abc import Iterator

from threadline.model import Doc
from threadline.pipeline import Batch


def _place(locator: str) -> tuple[str, int] | None:
    path, sep, line = locator.rpartition(":")
    if not sep or not line.isdigit():
        return None
    return path, int(line)


class RowLabels:
    """Counts rows per input file across the batches of one run (batches come in order)."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}

    def of(self, batch: Batch) -> Iterator[tuple[str, Doc]]:
        """The batch's adverts in file order, each with its label."""
        items: list[tuple[str, int, Doc | None]] = []
        unplaced: list[Doc] = []
        for doc in batch.docs:
            place = _place(doc.ad.locator or "") if doc.ad else None
            if place is None:
                unplaced.append(doc)
            else:
                items.append((*place, doc))
        for q in batch.quarantined:
            place = _place(q.locator)
            if place is not None:
                items.append((*place, None))
        order = {path: n for n, (path, _, _) in reversed(list(enumerate(items)))}
        items.sort(key=lambda item: (order[item[0]], item[1]))
        for path, _, placed in items:
            self._rows[path] = self._rows.get(path, 0) + 1
            if placed is not None and placed.ad is not None:
                yield placed.ad.source_id or str(self._rows[path]), placed
        for doc in unplaced:
            if doc.ad is not None:
                yield doc.ad.source_id or doc.ad.locator or doc.ad.id, doc
