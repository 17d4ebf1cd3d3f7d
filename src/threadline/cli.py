"""The ``threadline`` command: thin commands over the core, with rich output.

Every command calls the same core functions as the API; no analysis happens here.
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from threadline.cli_common import (
    INPUT_PROBLEMS,
    OutputFormat,
    console,
    err_console,
    fail,
    open_cli_store,
    settings,
    state,
)
from threadline.cli_link import judge_app, link_over_store, operation_cmd, operations_cmd
from threadline.errors import ThreadlineError
from threadline.extract import KINDS, all_stages
from threadline.indicators import indicator_stages
from threadline.ingest import FieldMapping, ingest, ingest_stages, read_inputs
from threadline.labels import RowLabels
from threadline.link.scoring import link_docs
from threadline.link.stage import link_stages
from threadline.model import Ad, Doc
from threadline.pipeline import Batch, SinkResult, Stage, run
from threadline.render import (
    ad_panel,
    ads_table,
    extraction_view,
    identifiers_json,
    ingest_summary,
    quarantine_table,
    stats_table,
)
from threadline.render_link import operations_view
from threadline.render_risk import explanation_view, scan_json, scan_summary
from threadline.scan import scan

PARALLEL_FROM = 20_000
"""Adverts to scan above which the stages run in one process per core (starting the
processes and loading their tables takes a few seconds)."""

app = typer.Typer(
    name="threadline",
    help="Investigation workbench against human trafficking: ingest adverts, search them, "
    "find the identifiers that tie them together and the indicators they state.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
adverts_app = typer.Typer(help="List, search and show stored adverts.", no_args_is_help=True)
app.add_typer(adverts_app, name="adverts")
train_app = typer.Typer(help="Rebuild the shipped models from data.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(judge_app, name="judge")
app.command("operations")(operations_cmd)
app.command("operation")(operation_cmd)


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
    images: Annotated[
        bool,
        typer.Option(
            "--images",
            help="Also write each advert's pictures as files (abstract patterns, re-encoded "
            "per re-post), for image-hash linking.",
        ),
    ] = False,
) -> None:
    """Write a synthetic corpus of adverts with its ground truth (never real people's data)."""
    from threadline.synth import generate

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console) as bar:
        task = bar.add_task("generating", total=ads)
        summary = generate(
            ads, seed, out, csv=csv, images=images, progress=lambda k: bar.advance(task, k)
        )
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
        fail(str(exc))
    config = settings()
    with open_cli_store() as store:
        try:
            report = ingest(
                paths, store, source=source, mapping=mapping, settings=config, progress=True
            )
        except ThreadlineError as exc:
            fail(str(exc))
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
        fail(str(exc))

    def show(label: str, doc: Doc, ad: Ad) -> None:
        if format_ is OutputFormat.jsonl:
            sys.stdout.write(identifiers_json(label, doc.identifiers) + "\n")
        else:
            console.print(extraction_view(label, ad, doc.identifiers))

    _filter(paths, stages, show, _own_labels)


def _own_labels(batch: Batch) -> Iterator[tuple[str, Doc]]:
    for doc in batch.docs:
        if doc.ad is not None:
            yield doc.ad.source_id or doc.ad.locator or doc.ad.id, doc


def _filter(
    paths: list[Path],
    stages: Sequence[Stage],
    show: Callable[[str, Doc, Ad], None],
    labelled: Callable[[Batch], Iterable[tuple[str, Doc]]],
) -> None:
    """Run ``stages`` over files as a filter: each advert to ``show``, each record that could
    not be read to stderr with its reason; exit 1 if an input could not be read at all."""
    unread: list[str] = []

    def sink(batch: Batch) -> SinkResult:
        for label, doc in labelled(batch):
            if doc.ad is not None:
                show(label, doc, doc.ad)
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
        run(read_inputs(paths), stages, sink=sink, batch_size=500, progress=False)
    except ThreadlineError as exc:
        fail(str(exc))
    if unread:
        raise typer.Exit(1)  # a script piping this must see that an input was not read


@app.command("scan")
def scan_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Adverts to scan as a filter, without a store (JSONL, CSV such as EMSCAD's, "
            ".txt); none: scan every stored advert."
        ),
    ] = None,
    format_: Annotated[
        OutputFormat,
        typer.Option("--format", help="For files: text (highlighted) or jsonl (an object a line)."),
    ] = OutputFormat.text,
    kinds: Annotated[
        str | None, typer.Option(help="Only these identifier kinds, e.g. phone,wallet.")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping for files, as for ingest."),
    ] = None,
    indicators: Annotated[
        bool, typer.Option(help="Flag indicators and score risk after extraction.")
    ] = True,
    new: Annotated[
        bool,
        typer.Option("--new", help="Over the store: only adverts never scanned (after an ingest)."),
    ] = False,
    images: Annotated[
        Path | None,
        typer.Option(
            "--images",
            help="Over the store: the folder picture references are relative to; pictures found "
            "there are hashed (PDQ) for linking. Nothing is ever downloaded.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes for the stages over the store (default: one per core for "
            f"more than {PARALLEL_FROM:,} adverts, else one).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract identifiers, flag indicators and score risk: over the store, or over files.

    Over the store, re-running replaces what earlier runs derived, never duplicates it.
    """
    try:
        wanted = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
        stages: list[Stage] = [*all_stages(wanted), *(indicator_stages() if indicators else [])]
        mapping = FieldMapping.parse(map_ or [])
    except ThreadlineError as exc:
        fail(str(exc))
    if images is not None and not images.is_dir():
        fail(f"--images {images}: no such folder (picture references are read under it)")
    if paths:
        _scan_files(paths, [*ingest_stages(mapping), *stages], format_)
        return
    with open_cli_store() as store:
        try:
            signing = link_stages(images)
            todo = store.count_unsigned() if new else store.count_ads()
            processes = workers or ((os.cpu_count() or 1) if todo > PARALLEL_FROM else 1)
            report = scan(
                store, [*stages, *signing], progress=True, new_only=new, workers=processes
            )
        except ThreadlineError as exc:
            fail(str(exc))
        stats_now = store.stats()
        top = store.list_assessments(limit=5, min_score=0.0001) if indicators else []
    console.print(scan_summary(report, stats_now, top))


def _scan_files(paths: list[Path], stages: list[Stage], format_: OutputFormat) -> None:
    def show(label: str, doc: Doc, ad: Ad) -> None:
        if format_ is OutputFormat.jsonl:
            sys.stdout.write(scan_json(label, doc) + "\n")
        else:
            console.print(explanation_view(label, ad, doc.identifiers, doc.flags, doc.assessment))

    _filter(paths, stages, show, RowLabels().of)


class LinkFormat(StrEnum):
    csv = "csv"
    text = "text"


@app.command("link")
def link_cmd(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Adverts to link as a filter, without a store (JSONL, CSV, .txt); "
            "none: link the stored adverts."
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full", help="Over the store: weigh every advert afresh, not only the new ones."
        ),
    ] = False,
    format_: Annotated[
        LinkFormat,
        typer.Option("--format", help="csv: id,operation for every advert; text: operations."),
    ] = LinkFormat.csv,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Column mapping, e.g. --map source_id=ref --map body=text."),
    ] = None,
) -> None:
    """Link adverts into operations (shared identifiers, near-identical templates), with the
    evidence of every link: the stored adverts, or files as a filter.

    Over the store, the first run links everything; later runs link only adverts scanned
    since, into the existing operations. Files: with --format csv, prints `id,operation` for
    every advert in input order (empty operation: linked to nothing); ids come from the id
    column, else the row.
    """
    if not paths:
        link_over_store(full)
        return
    try:
        stages: list[Stage] = [*ingest_stages(FieldMapping.parse(map_ or [])), *all_stages()]
    except ThreadlineError as exc:
        fail(str(exc))
    labelled: list[tuple[str, Doc]] = []
    labels = RowLabels()

    def keep(label: str, doc: Doc, _ad: Ad) -> None:
        labelled.append((label, doc))

    _filter(paths, stages, keep, labels.of)
    # picture references in a file are read relative to the file's folder
    root = paths[0] if paths[0].is_dir() else paths[0].parent
    linked = link_docs([doc for _, doc in labelled], image_root=root)
    operation_of = linked.operation_of()
    if format_ is LinkFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["id", "operation"])
        for label, doc in labelled:
            writer.writerow([label, operation_of.get(doc.ad.id, "") if doc.ad else ""])
        return
    console.print(operations_view(linked, {doc.ad.id: label for label, doc in labelled if doc.ad}))


@app.command()
def explain(ad_id: Annotated[str, typer.Argument(help="Advert id (ad-...).")]) -> None:
    """An advert with its evidence highlighted and its risk score taken apart."""
    with open_cli_store() as store:
        ad = store.get_ad(ad_id)
        if ad is None:
            fail(f"no advert with id {ad_id!r}", code=1)
        found = store.identifiers_of(ad_id)
        flags = store.flags_of(ad_id)
        assessment = store.assessment_of(ad_id)
    note = ""
    if assessment is None:
        # not scanned yet: work it out now (the stages are pure), and say it was not stored
        doc = Doc(ad=ad)
        stages: list[Stage] = [*all_stages(), *indicator_stages()]
        for stage in stages:
            doc = stage(doc)
        found, flags, assessment = list(doc.identifiers), list(doc.flags), doc.assessment
        note = "Worked out now, not stored: run `threadline scan` to keep it."
    console.print(explanation_view(ad_id, ad, found, flags, assessment, note=note))


@train_app.command("jobs")
def train_jobs(
    data: Annotated[
        Path, typer.Argument(help="EMSCAD-style CSV, e.g. ../shared/data/emscad/train.csv.")
    ],
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the weights (default: the package's own, replacing them)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same model.")] = 0,
) -> None:
    """Rebuild the job-fraud model's weights from labelled job adverts, and report on a
    held-out part split by content."""
    from threadline.indicators.train_jobs import DEFAULT_OUT, train

    try:
        report = train(data, out or DEFAULT_OUT, seed=seed, progress=True)
    except ThreadlineError as exc:
        fail(str(exc))
    console.print(report.table())


@app.command()
def stats() -> None:
    """What the store holds: adverts by source and language, identifiers, quarantine."""
    with open_cli_store() as store:
        console.print(stats_table(store.stats(), store.url))


@app.command()
def quarantine(
    limit: Annotated[int, typer.Option(min=1, help="How many entries.")] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Records set aside at ingest, with the reason and where each came from."""
    with open_cli_store() as store:
        console.print(quarantine_table(store.list_quarantine(limit=limit, offset=offset)))


@adverts_app.command("list")
def adverts_list(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    source: Annotated[str | None, typer.Option(help="Only adverts from this source.")] = None,
) -> None:
    """Adverts, newest first."""
    with open_cli_store() as store:
        ads = store.list_ads(limit=limit, offset=offset, source=source)
    console.print(ads_table([(ad, None) for ad in ads], title="Adverts, newest first"))


@adverts_app.command("search")
def adverts_search(
    query: Annotated[str, typer.Argument(help="Words to find, e.g. 'passport visa fee'.")],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Full-text search over titles and bodies, best matches first."""
    with open_cli_store() as store:
        hits = store.search(query, limit=limit, offset=offset)
    console.print(ads_table([(h.ad, h.snippet) for h in hits], title=f"Search: {query}"))


@adverts_app.command("show")
def adverts_show(ad_id: Annotated[str, typer.Argument(help="Advert id (ad-...).")]) -> None:
    """One advert in full, with where it came from."""
    with open_cli_store() as store:
        ad = store.get_ad(ad_id)
        found = store.identifiers_of(ad_id) if ad else []
    if ad is None:
        fail(f"no advert with id {ad_id!r}", code=1)
    console.print(ad_panel(ad))
    if found:
        console.print(extraction_view("identifiers found (threadline scan)", ad, found))


if __name__ == "__main__":  # pragma: no cover
    app()
