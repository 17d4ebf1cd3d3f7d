"""``threadline link``, ``operations``, ``operation`` and ``judge`` as a user runs them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli import app
from threadline.cli_common import state
from threadline.store import open_store

runner = CliRunner()


@pytest.fixture(autouse=True)
def _reset_state() -> None:
    state.db = None


def run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


HOSTILE = "[bold red]boss[/] \x1b[2J\x07"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-link")
    run("synth", "--ads", "600", "--seed", "9", "--out", str(folder))
    # two adverts with markup and terminal controls in them, tied by one e-mail
    with (folder / "adverts.jsonl").open("a", encoding="utf-8") as f:
        for n in (1, 2):
            record = {
                "id": f"hostile-{n}",
                "title": f"{HOSTILE} {n}",
                "body": f"Write {HOSTILE} to boss.hostile@example.org, ask for n{n}",
            }
            f.write(json.dumps(record) + "\n")
    return folder


def test_link_operations_operation_and_judge(corpus: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    run("--db", db, "ingest", str(corpus / "adverts.jsonl"), "--source", "synth")
    refused = run("--db", db, "link", code=2)
    assert "run `threadline scan` first" in refused

    missing = run("--db", db, "scan", "--images", str(tmp_path / "nowhere"), code=2)
    assert "no such folder" in missing
    run("--db", db, "scan")
    first = run("--db", db, "link")
    assert "Linking (full)" in first
    assert re.search(r"adverts weighed\D+602\b", first)
    assert "Nothing new to link" in run("--db", db, "link")

    listing = run("--db", db, "operations", "--limit", "3")
    assert "Operations by triage rank" in listing
    top = re.findall(r"op-[0-9a-f]{12}", listing)[0]
    shown = run("--db", db, "operation", "1", "--links", "3")
    assert shown.startswith(f"{top}: rank 1")
    assert "Timeline of members" in shown
    assert "shared " in shown
    assert run("--db", db, "operation", top).startswith(f"{top}: rank 1")
    assert "no operation with id" in run("--db", db, "operation", "op-nope", code=1)

    with open_store(db) as store:
        one, two = sorted(
            (ad.source_id or "", ad.id)
            for batch in store.iter_ads()
            for ad in batch
            if (ad.source_id or "").startswith("hostile")
        )
        a, b = one[1], two[1]
        hostile = store.operations_of([a, b])
        members = store.operation_members(top)
    assert hostile[a] == hostile[b]
    page = run("--db", db, "operation", hostile[a])
    assert "[bold red]boss[/]" in page  # markup shown as text, never applied
    assert "\x1b" not in page
    assert "\x07" not in page

    judged = run("--db", db, "judge", "link", b, a, "--reject", "--analyst", "ana")
    assert f"Recorded: reject link {min(a, b)}|{max(a, b)} by ana" in judged
    with open_store(db) as store:
        assert store.operations_of([a, b]) == {}
    again = run("--db", db, "link", "--full")
    assert "Linking (full)" in again
    with open_store(db) as store:
        assert store.operations_of([a, b]) == {}

    run("--db", db, "judge", "operation", top, "--confirm", "--note", "seen in case 12")
    assert "no advert with id" in run("--db", db, "judge", "link", "x", "y", "--reject", code=1)
    assert "kind=value" in run("--db", db, "judge", "identifier", "nope", "--reject", code=2)
    with open_store(db) as store:
        judgements = store.list_judgements()
        assert [j.target for j in judgements] == ["link", "operation"]
        assert judgements[1].members == tuple(members)
