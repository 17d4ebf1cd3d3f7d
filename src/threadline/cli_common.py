"""What every ``threadline`` command shares: the consoles, the store option, failing clearly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from threadline.errors import ThreadlineError
from threadline.settings import Settings
from threadline.store import SqlStore, open_store

console = Console()
err_console = Console(stderr=True)

INPUT_PROBLEMS = frozenset({"no-such-file", "not-a-file", "binary-file", "empty-folder"})


class OutputFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


class State:
    db: str | None = None


state = State()


def settings() -> Settings:
    """Settings from the environment, with the ``--db`` option over ``THREADLINE_DB``."""
    found = Settings()
    if state.db:
        found = found.model_copy(update={"db": state.db})
    return found


@contextmanager
def open_cli_store() -> Iterator[SqlStore]:
    try:
        store = open_store(settings().db)
    except ThreadlineError as exc:
        fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
