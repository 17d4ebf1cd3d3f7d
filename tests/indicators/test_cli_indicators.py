"""``threadline scan`` (store and filter), ``explain`` and ``train jobs`` as a user runs them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli import app
from threadline.cli_common import state

runner = CliRunner()

LURE = (
    "Urgent! Young women wanted as hostesses for a club abroad. No experience needed, "
    "earn 4,000 EUR a month. Flight and apartment paid. Visa fee 300 EUR before departure. "
    "Send a copy of your passport on WhatsApp only, Telegram @club_jobs_eu"
)
HONEST = (
    "Northgate Logistics is hiring a warehouse supervisor in Leeds. Salary 2,300 GBP a month, "
    "permanent contract. Interviews are held at our Leeds office; we never charge fees. "
    "Apply at https://northgate.example/careers"
)
EMSCAD_COLUMNS = [
    "title", "department", "salary_range", "company_profile", "description", "requirements",
    "benefits", "telecommuting", "has_company_logo", "has_questions", "employment_type",
    "required_experience", "required_education", "industry", "function", "fraudulent",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _reset_state() -> None:
    state.db = None


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def _emscad_csv(path: Path, with_ids: bool) -> Path:
    columns = (["job_id"] if with_ids else []) + EMSCAD_COLUMNS
    rows = [
        {"title": "Hostesses abroad", "description": LURE, "has_company_logo": "0"},
        {"title": "Warehouse supervisor", "description": HONEST + "\nLine two\nLine three"},
        {"title": "Data entry from home", "description": "Work from home, weekly pay."},
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for n, row in enumerate(rows, 1):
            full = dict.fromkeys(columns, "") | row | {"fraudulent": "0"}
            if with_ids:
                full["job_id"] = f"J{n * 10}"
            writer.writerow(full)
    return path


def test_scan_filter_reads_emscad_csv_as_is(tmp_path: Path) -> None:
    out = _run("scan", str(_emscad_csv(tmp_path / "jobs.csv", with_ids=False)), "--format", "jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["1", "2", "3"]  # rows, though row 2 spans lines
    lure, honest, _ = records
    assert {"identifiers", "flags", "risk", "domain", "explanation"} <= set(lure)
    assert lure["domain"] == "job"
    assert 0 <= lure["job_fraud_probability"] <= 1
    categories = {f["category"] for f in lure["flags"]}
    assert {"fees_charged", "passport_early", "abroad_young_women"} <= categories
    for flag in lure["flags"]:
        assert flag["citation"]
        assert flag["evidence"]
    assert lure["risk"] > honest["risk"]
    assert lure["flagged"]
    assert not honest["flagged"]
    assert any(i["value"] == "telegram:club_jobs_eu" for i in lure["identifiers"])
    with_ids = _run(
        "scan", str(_emscad_csv(tmp_path / "ids.csv", with_ids=True)), "--format", "jsonl"
    )
    assert [json.loads(line)["id"] for line in with_ids.splitlines()] == ["J10", "J20", "J30"]


def test_scan_filter_text_output_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_text(LURE + "\n", encoding="utf-8")
    shown = _run("scan", str(path))
    assert "What the advert states" in shown
    assert "What Threadline infers" in shown
    _run("scan", str(tmp_path / "missing.jsonl"), "--format", "jsonl", code=1)


def test_scan_store_then_explain(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'scan.db'}"
    ads = tmp_path / "ads.jsonl"
    with ads.open("w", encoding="utf-8") as f:
        for n, text in enumerate([LURE, HONEST]):
            f.write(json.dumps({"id": f"a{n}", "title": "Job", "body": text}) + "\n")
    _run("--db", db, "ingest", str(ads))
    first = _run("--db", db, "scan")
    assert "Indicator flags by category" in first
    assert "Highest risk" in first
    again = _run("--db", db, "scan")
    assert re.search(r"Scanned 2 adverts", again)
    ad_id = re.search(r"(ad-[\w-]+)\W+\d\.\d\d", first.split("Highest risk")[1])
    assert ad_id, first
    explained = _run("--db", db, "explain", ad_id.group(1))
    assert "Why: each contribution" in explained
    assert re.search(r"fees\s+charged", explained)
    _run("--db", db, "explain", "ad-nope", code=1)


def test_explain_works_out_an_unscanned_advert(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'unscanned.db'}"
    ads = tmp_path / "ads.jsonl"
    ads.write_text(json.dumps({"title": "Job", "body": LURE}) + "\n", encoding="utf-8")
    _run("--db", db, "ingest", str(ads))
    listed = _run("--db", db, "adverts", "list")
    ad_id = next(tok for tok in listed.split() if tok.startswith("ad-"))
    explained = _run("--db", db, "explain", ad_id)
    assert "not stored" in explained
    assert "What Threadline infers" in explained


def test_hostile_advert_text_is_shown_as_text(tmp_path: Path) -> None:
    path = tmp_path / "ads.txt"
    path.write_text("Hiring [bold red]now[/] \x1b[31m urgent, visa fee 300 EUR\n", encoding="utf-8")
    shown = _run("scan", str(path))
    assert "[bold red]now[/]" in shown
    assert "\x1b[31m" not in shown
