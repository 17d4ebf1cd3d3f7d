"""Shared pieces of the benchmarks: the machine description and the results file."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from threadline.model import Ad, Doc
from threadline.pipeline import Stage, run

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
DATA = ROOT / "bench-data"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return out.stdout.strip() + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def append_results(title: str, header: list[str], rows: list[list[str]], notes: str = "") -> str:
    """Append a dated section to docs/benchmarks.md and return it."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"\n## {title}\n\n- date: {stamp}\n- commit: {commit()}\n- machine: {machine()}\n"
        + (f"- notes: {notes}\n" if notes else "")
        + "\n"
        + markdown_table(header, rows)
        + "\n"
    )
    if not RESULTS.exists():
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            "# Benchmarks\n\nFigures appended by `python benchmarks/run.py`; "
            "each section says when, on what machine and at which commit.\n"
        )
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(section)
    return section


def time_pipeline(stages: Sequence[Stage], ads: Sequence[Ad]) -> float:
    """Seconds for ``stages`` over ``ads`` through the pipeline's one loop (batches, error
    policy, garbage-collection settings), with a sink that stores nothing."""
    docs = [Doc(ad=ad) for ad in ads]
    start = time.perf_counter()
    report = run(docs, stages, progress=False, available=("raw", "ad"))
    if report.read != len(ads):
        raise RuntimeError(f"the pipeline read {report.read} of {len(ads)} adverts")
    return time.perf_counter() - start
