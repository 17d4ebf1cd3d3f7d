"""The ``threadline`` command: thin commands over the core, with rich output.

Every command calls the same core functions as the API; no analysis happens here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from threadline.errors import ThreadlineError
from threadline.extract import KINDS, all_stages
from threadline.ingest import FieldMapping, ingest, ingest_stages, read_inputs
from threadline.pipeline import Batch, SinkResult, run
from threadline.render import (
    ad_panel,
    ads_table,
    extraction_view,
    identifiers_json,
    ingest_summary,
    quarantine_table,
    stats_table,
)
from threadline.scan import scan
from threadline.settings import Settings
from threadline.store import SqlStore, open_store

app = typer.Typer(
    name="threadline",
    help="Investigation workbench against human trafficking: ingest adverts, search them, "
    "and find the identifiers that tie them together.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
adverts_app = typer.Typer(help="List, search and show stored adverts.", no_args_is_help=True)
app.add_typer(adverts_app, name="adverts")

console = Console()
err_console = Console(stderr=True)

INPUT_PROBLEMS = frozenset({"no-such-file", "not-a-file", "binary-file", "empty-folder"})


class OutputFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


class State:
    db: str | None = None


state = State()


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store URL (default: $THREADLINE_DB or sqlite:///threadline.db); "
            "postgresql://user@host/dbname for a team server.",
        ),
    ] = None,
) -> None:
    state.db = db


def _settings() -> Settings:
    settings = Settings()
    if state.db:
        settings = settings.model_copy(update={"db": state.db})
    return settings


@contextmanager
def _store() -> Iterator[SqlStore]:
    try:
        store = open_store(_settings().db)
    except ThreadlineError as exc:
        _fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write the corpus into.")],
    ads: Annotated[int, typer.Option(min=1, help="How many adverts.")] = 10_000,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same corpus.")
    ] = 1,
    csv: Annotated[
        bool, typer.Option("--csv", help="Also write adverts.csv with foreign column names.")
    ] = False,
) -> None:
    """Write a synthetic corpus of adverts with its ground truth (never real people's data)."""
    from threadline.synth import generate

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console) as bar:
        task = bar.add_task("generating", total=ads)
        summary = generate(ads, seed, out, csv=csv, progress=lambda k: bar.advance(task, k))
    console.print(f"Wrote {summary.n_ads:,} adverts ({summary.n_operations:,} operations) to {out}")
    for kind, n in sorted(summary.counts_by_kind.items()):
        console.print(f"  {kind:<16} {n:>9,}")
    for f in summary.files:
        console.print(f"  {f}")


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[
        list[Path], typer.Argument(help="JSONL or CSV files, saved .html pages, or folders.")
    ],
    source: Annotated[
        str | None,
        typer.Option(
            help="Source name for records that do not name their own (default: file name)."
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Column mapping FIELD=COLUMN[+COLUMN...], e.g. --map body=ad_text "
            "--map title=headline. Repeat as needed.",
        ),
    ] = None,
) -> None:
    """Read adverts into the store; re-running adds nothing new. Bad records are quarantined."""
    try:
        mapping = FieldMapping.parse(map_ or [])
    except ThreadlineError as exc:
        _fail(str(exc))
    settings = _settings()
    with _store() as store:
        try:
            report = ingest(
                paths, store, source=source, mapping=mapping, settings=settings, progress=True
            )
        except ThreadlineError as exc:
            _fail(str(exc))
    console.print(ingest_summary(report))
    unread = [code for code in report.quarantined if code in INPUT_PROBLEMS]
    for code in unread:
        example = report.examples[code]
        err_console.print(
            f"[bold red]error:[/] {report.quarantined[code]} input(s) could not be read "
            f"({code}), e.g. {escape(example.reason)}",
            highlight=False,
            soft_wrap=True,
        )
    if unread:
        raise typer.Exit(1)


@app.command("extract")
def extract_cmd(
    paths: Annotated[
        list[Path], typer.Argument(help="JSONL or CSV files, or .txt with one advert per line.")
    ],
    format_: Annotated[
        OutputFormat, typer.Option("--format", help="text: highlighted; jsonl: one object a line.")
    ] = OutputFormat.text,
    kinds: Annotated[
        str | None, typer.Option(help="Only these kinds, comma-separated, e.g. phone,wallet.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping as for ingest, e.g. --map body=ad_text."),
    ] = None,
) -> None:
    """Show the identifiers in adverts from files, without a store (--format jsonl: a filter).

    Records that cannot be read are reported on stderr with the reason.
    """
    try:
        mapping = FieldMapping.parse(map_ or [])
        wanted = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
        stages = [*ingest_stages(mapping), *all_stages(wanted)]
    except ThreadlineError as exc:
        _fail(str(exc))

    unread: list[str] = []

    def show(batch: Batch) -> SinkResult:
        for doc in batch.docs:
            if doc.ad is None:
                continue
            label = doc.ad.source_id or doc.ad.locator or doc.ad.id
            if format_ is OutputFormat.jsonl:
                sys.stdout.write(identifiers_json(label, doc.identifiers) + "\n")
            else:
                console.print(extraction_view(label, doc.ad, doc.identifiers))
        for q in batch.quarantined:
            err_console.print(
                f"[yellow]skipped[/] {escape(q.locator)}: {escape(q.code)}: {escape(q.reason)}",
                highlight=False,
                soft_wrap=True,
            )
            if q.code in INPUT_PROBLEMS:
                unread.append(q.locator)
        sys.stdout.flush()
        return SinkResult(len(batch.docs), 0)

    try:
        run(read_inputs(paths), stages, sink=show, batch_size=500, progress=False)
    except ThreadlineError as exc:
        _fail(str(exc))
    if unread:
        raise typer.Exit(1)  # a script piping this must see that an input was not read


@app.command("scan")
def scan_cmd(
    kinds: Annotated[
        str | None, typer.Option(help="Only these kinds, comma-separated, e.g. phone,wallet.")
    ] = None,
) -> None:
    """Find the identifiers in every stored advert (re-running replaces, never duplicates)."""
    try:
        wanted = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
        stages = all_stages(wanted)
    except ThreadlineError as exc:
        _fail(str(exc))
    with _store() as store:
        report = scan(store, stages, progress=True)
        counts = store.stats().identifiers
    console.print(
        f"Scanned {report.read:,} adverts: {report.written:,} identifiers written, "
        f"{report.quarantined_total:,} adverts quarantined."
    )
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        console.print(f"  {kind:<10} {n:>10,}")


@app.command()
def stats() -> None:
    """What the store holds: adverts by source and language, identifiers, quarantine."""
    with _store() as store:
        console.print(stats_table(store.stats(), store.url))


@app.command()
def quarantine(
    limit: Annotated[int, typer.Option(min=1, help="How many entries.")] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Records set aside at ingest, with the reason and where each came from."""
    with _store() as store:
        console.print(quarantine_table(store.list_quarantine(limit=limit, offset=offset)))


@adverts_app.command("list")
def adverts_list(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    source: Annotated[str | None, typer.Option(help="Only adverts from this source.")] = None,
) -> None:
    """Adverts, newest first."""
    with _store() as store:
        ads = store.list_ads(limit=limit, offset=offset, source=source)
    console.print(ads_table([(ad, None) for ad in ads], title="Adverts, newest first"))


@adverts_app.command("search")
def adverts_search(
    query: Annotated[str, typer.Argument(help="Words to find, e.g. 'passport visa fee'.")],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Full-text search over titles and bodies, best matches first."""
    with _store() as store:
        hits = store.search(query, limit=limit, offset=offset)
    console.print(ads_table([(h.ad, h.snippet) for h in hits], title=f"Search: {query}"))


@adverts_app.command("show")
def adverts_show(ad_id: Annotated[str, typer.Argument(help="Advert id (ad-...).")]) -> None:
    """One advert in full, with where it came from."""
    with _store() as store:
        ad = store.get_ad(ad_id)
        found = store.identifiers_of(ad_id) if ad else []
    if ad is None:
        _fail(f"no advert with id {ad_id!r}", code=1)
    console.print(ad_panel(ad))
    if found:
        console.print(extraction_view("identifiers found (threadline scan)", ad, found))


if __name__ == "__main__":  # pragma: no cover
    app()
