"""The CLI end to end, as a new user runs it: synth, ingest twice, stats, list, search, show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli import app
from threadline.cli_common import state

runner = CliRunner()


@pytest.fixture(autouse=True)
def _reset_state() -> None:
    state.db = None


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_synth_ingest_search_show(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    out = tmp_path / "corpus"
    _run("synth", "--ads", "400", "--seed", "5", "--out", str(out), "--csv")
    assert (out / "adverts.jsonl").exists()
    assert (out / "truth.jsonl").exists()

    first = _run("--db", db, "ingest", str(out / "adverts.jsonl"), "--source", "synth")
    assert re.search(r"ingested \(new adverts\)\D+400\b", first)
    second = _run("--db", db, "ingest", str(out / "adverts.jsonl"))
    assert re.search(r"ingested \(new adverts\)\D+0\b", second)
    assert re.search(r"duplicate \(already stored\)\D+400\b", second)

    stats = _run("--db", db, "stats")
    assert re.search(r"adverts\D+400\b", stats)

    ad = json.loads((out / "adverts.jsonl").read_text("utf-8").splitlines()[0])
    word = max(ad["body"].split(), key=len).strip(".,!?:;()")
    found = _run("--db", db, "adverts", "search", word, "--limit", "3")
    assert "ad-" in found

    listed = _run("--db", db, "adverts", "list", "--limit", "2")
    ad_id = next(tok for tok in listed.split() if tok.startswith("ad-"))
    shown = _run("--db", db, "adverts", "show", ad_id)
    assert "advert as captured" in shown
    assert "locator" in shown


def test_csv_with_foreign_columns_needs_and_takes_a_mapping(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'csv.db'}"
    out = tmp_path / "corpus"
    _run("synth", "--ads", "50", "--seed", "2", "--out", str(out), "--csv")
    mapped = _run(
        "--db",
        db,
        "ingest",
        str(out / "adverts.csv"),
        "--map",
        "body=ad_text",
        "--map",
        "title=headline",
        "--map",
        "source_id=ad_ref",
    )
    assert re.search(r"ingested \(new adverts\)\D+50\b", mapped)
    assert re.search(r"quarantined\D+0\b", mapped)


def test_missing_input_exits_non_zero_with_the_reason(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(app, ["--db", db, "ingest", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_bad_mapping_and_unknown_advert_are_clear_errors(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    bad = runner.invoke(app, ["--db", db, "ingest", "x.csv", "--map", "colour=red"])
    assert bad.exit_code == 2
    assert "unknown advert field 'colour'" in bad.output
    missing = runner.invoke(app, ["--db", db, "adverts", "show", "ad-nothere"])
    assert missing.exit_code == 1
    assert "no advert with id" in missing.output


def test_unreachable_database_is_a_clear_error() -> None:
    result = runner.invoke(app, ["--db", "postgresql://nobody@127.0.0.1:1/none", "stats"])
    assert result.exit_code == 2
    assert "error:" in result.output


def test_advert_text_cannot_drive_the_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'esc.db'}"
    ads = tmp_path / "ads.jsonl"
    body = "Call now \x1b]0;owned\x07 \x1b[2J [red]x[/red] \x9b31m"
    ads.write_text(json.dumps({"title": "T", "body": body}) + "\n", encoding="utf-8")
    _run("--db", db, "ingest", str(ads))
    listed = _run("--db", db, "adverts", "list")
    ad_id = next(tok for tok in listed.split() if tok.startswith("ad-"))
    shown = _run("--db", db, "adverts", "show", ad_id)
    assert "[red]x[/red]" in shown
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in shown
        assert control not in listed
