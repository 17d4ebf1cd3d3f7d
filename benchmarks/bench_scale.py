"""End to end at scale: ingest, scan (extract, indicators, signatures) and link, as a user
runs them, on synthetic corpora of growing size (issue 5: 1,000,000 adverts scanned and
linked in 10 minutes or less, peak memory under 6 GB).

Run alone: ``python -m benchmarks.bench_scale [--ads 100000 300000 1000000] [--no-record]``.

Each step runs the ``threadline`` command in its own process against a fresh SQLite store,
so a step's time includes opening the store; its peak memory is the resident memory of the
command and its worker processes together, sampled every half second. ``threadline scan``
uses one worker process per core above 20,000 adverts (2 here).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import DATA, ROOT, append_results, markdown_table

SEED = 11
STEPS = (
    ("ingest", ["ingest", "{corpus}/adverts.jsonl", "--source", "synth"]),
    ("scan", ["scan"]),
    ("link", ["link"]),
)


def corpus(n: int) -> Path:
    out = DATA / f"synth-{n}-{SEED}"
    if not (out / "truth.jsonl").exists():
        cmd = [sys.executable, "-m", "threadline.cli", "synth", "--ads", str(n)]
        subprocess.run([*cmd, "--seed", str(SEED), "--out", str(out)], check=True, cwd=ROOT)
    return out


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants (worker processes too)."""
    tree = _children()
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run_step(args: list[str], db: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB, the process and its workers together, sampled
    every half second) of one ``threadline`` command."""
    env = {**os.environ, "THREADLINE_DB": db}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "threadline.cli", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_rss_mib(proc.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"threadline {' '.join(args)} failed")
    return seconds, peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ads", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--no-record", action="store_true", help="do not append to docs")
    args = parser.parse_args(argv)
    rows = []
    for n in args.ads:
        folder = corpus(n)
        db_path = DATA / f"scale-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        db = f"sqlite:///{db_path}"
        times: dict[str, float] = {}
        peaks: dict[str, float] = {}
        for name, template in STEPS:
            step = [a.replace("{corpus}", str(folder)) for a in template]
            times[name], peaks[name] = run_step(step, db)
            print(f"{n:,} adverts: {name} {times[name]:.0f} s, peak {peaks[name]:,.0f} MiB")
        scan_link = times["scan"] + times["link"]
        rows.append(
            [
                f"{n:,}",
                *(f"{times[s]:.0f} s ({n / times[s]:,.0f}/s)" for s, _ in STEPS),
                f"{scan_link:.0f} s ({scan_link / 60:.1f} min)",
                f"{sum(times.values()) / 60:.1f} min",
                f"{max(peaks.values()) / 1024:.2f} GiB ({max(peaks, key=lambda k: peaks[k])})",
                f"{db_path.stat().st_size / 2**20:,.0f} MiB",
            ]
        )
    header = [
        "adverts",
        "ingest",
        "scan",
        "link",
        "scan + link",
        "all three",
        "peak memory (step)",
        "store size",
    ]
    print(markdown_table(header, rows))
    if not args.no_record:
        notes = (
            f"synthetic corpora (seed {SEED}), one SQLite store each, each step a separate "
            "`threadline` process run as a user runs it (scan: 2 worker processes); peak = "
            "resident memory of the command and its workers, sampled every 0.5 s"
        )
        append_results("Scale: ingest, scan and link end to end", header, rows, notes)


if __name__ == "__main__":
    main()
