"""``threadline operations``, ``threadline operation ID`` and ``threadline judge``: the
linking commands over the store (``threadline link`` itself lives with the other pipeline
commands in :mod:`threadline.cli`)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from threadline.cli_common import console, fail, open_cli_store
from threadline.errors import ThreadlineError
from threadline.link.judgements import link_subject
from threadline.linking import LinkReport, judge, link_store
from threadline.model import Judgement, Profile
from threadline.render_operations import (
    link_report,
    operation_view,
    operations_table,
    relevant_judgements,
)

judge_app = typer.Typer(
    help="Confirm or reject a link, an operation or an identifier; every later run obeys.",
    no_args_is_help=True,
)


def link_over_store(full: bool) -> None:
    """Link the stored adverts (all, or only those added since the last run)."""
    with (
        open_cli_store() as store,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("linking", total=None)

        def step(name: str) -> None:
            bar.update(task, description=name)

        try:
            report = link_store(store, full=full, progress=step)
        except ThreadlineError as exc:
            fail(str(exc))
        total = store.count_operations()
    console.print(link_report(report, total))


def operations_cmd(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many operations.")] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
) -> None:
    """Operations in triage order, with the reasons for each rank."""
    with open_cli_store() as store:
        profiles = store.list_operations(limit=limit, offset=offset)
        total = store.count_operations()
    console.print(operations_table(profiles, total))


def operation_cmd(
    op_id: Annotated[
        str, typer.Argument(help="Operation id (op-...) or triage rank (1: the first).")
    ],
    links: Annotated[int, typer.Option(min=0, help="How many links to show.")] = 30,
) -> None:
    """One operation: why it ranks, its members on a timeline, the evidence of every link."""
    with open_cli_store() as store:
        if op_id.isdigit():
            ranked = store.list_operations(limit=1, offset=int(op_id) - 1) if int(op_id) else []
            if not ranked:
                fail(f"no operation at rank {op_id} ({store.count_operations():,} in all)", 1)
            profile: Profile | None = ranked[0]
        else:
            profile = store.get_operation(op_id)
        if profile is None:
            fail(f"no operation with id {op_id!r} (ids change when `threadline link` re-groups)", 1)
        members = store.operation_members(profile.id)
        ads = [ad for ad in (store.get_ad(m) for m in members) if ad is not None]
        found = store.links_among(members)
        keys = {k: True for s in store.signatures_of(members) for k in s.keys}
        judged = relevant_judgements(store.list_judgements(), set(members), keys)
    console.print(operation_view(profile, ads, found, judged, show_links=links))


Verdict = Annotated[
    bool,
    typer.Option("--confirm/--reject", help="Confirm (join, hold) or reject (part, discount)."),
]
Analyst = Annotated[
    str | None, typer.Option(help="Who judges (default: the login name).", show_default=False)
]
Note = Annotated[str, typer.Option(help="Why, in a few words; kept with the judgement.")]


def _record(judgement: Judgement) -> None:
    with open_cli_store() as store:
        try:
            recorded, report = judge(store, judgement)
        except ThreadlineError as exc:
            fail(str(exc))
        total = store.count_operations()
    console.print(
        f"Recorded: {recorded.verdict} {recorded.target} {recorded.subject} "
        f"by {recorded.analyst}. Re-grouped {report.replaced} operation(s) into "
        f"{report.operations}; {total:,} operations in the store.",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _who(analyst: str | None) -> str:
    return analyst or getpass.getuser()


@judge_app.command("link")
def judge_link(
    a: Annotated[str, typer.Argument(help="One advert id.")],
    b: Annotated[str, typer.Argument(help="The other advert id.")],
    confirm: Verdict,
    analyst: Analyst = None,
    note: Note = "",
) -> None:
    """Join two adverts (confirm) or part them (reject), whatever the evidence says."""
    with open_cli_store() as store:
        missing = [x for x in (a, b) if store.get_ad(x) is None]
    if missing:
        fail(f"no advert with id {missing[0]!r}", 1)
    verdict = "confirm" if confirm else "reject"
    _record(Judgement("link", link_subject(a, b), verdict, _who(analyst), note))


@judge_app.command("operation")
def judge_operation(
    op_id: Annotated[str, typer.Argument(help="Operation id (op-...).")],
    confirm: Verdict,
    analyst: Analyst = None,
    note: Note = "",
) -> None:
    """Hold an operation's adverts together (confirm), or undo the links among them (reject).
    The members are kept with the judgement, so it outlives the operation's id."""
    with open_cli_store() as store:
        members = store.operation_members(op_id)
    if not members:
        fail(f"no operation with id {op_id!r}", 1)
    verdict = "confirm" if confirm else "reject"
    _record(Judgement("operation", op_id, verdict, _who(analyst), note, tuple(members)))


@judge_app.command("identifier")
def judge_identifier(
    key: Annotated[str, typer.Argument(help="kind=value as linking shows it, e.g. phone=+4478...")],
    confirm: Verdict,
    analyst: Analyst = None,
    note: Note = "",
) -> None:
    """Reject an identifier shared without common control (an agency switchboard, a help
    line): it stops counting as evidence. Confirm records that it was checked."""
    if "=" not in key:
        fail("give the identifier as kind=value, e.g. phone=+447700900123")
    verdict = "confirm" if confirm else "reject"
    _record(Judgement("identifier", key, verdict, _who(analyst), note))


__all__ = ["LinkReport", "judge_app", "link_over_store", "operation_cmd", "operations_cmd"]
