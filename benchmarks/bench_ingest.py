"""Ingest throughput (adverts/s) and peak memory into SQLite and PostgreSQL.

Run alone: ``python benchmarks/bench_ingest.py --sizes 100000 1000000 --pg-sizes 100000``.
The synthetic corpora are generated once into bench-data/ and reused.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import psycopg

from benchmarks.common import DATA, ROOT, append_results

SEED = 11
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH_DB = "threadline_bench"


def corpus(n: int) -> Path:
    out = DATA / f"synth-{n}-{SEED}"
    adverts = out / "adverts.jsonl"
    if not adverts.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "threadline.cli",
                "synth",
                "--ads",
                str(n),
                "--seed",
                str(SEED),
                "--out",
                str(out),
            ],
            check=True,
            cwd=ROOT,
        )
    return adverts


def fresh_pg() -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}"


def fresh_sqlite(n: int) -> str:
    db = DATA / f"ingest-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db}"


def timed(path: Path, url: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.ingest_worker", str(path), url],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> list[list[str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--pg-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--no-record", action="store_true", help="do not append to docs")
    args = parser.parse_args(argv)
    rows = []
    runs = [("SQLite", n, fresh_sqlite) for n in args.sizes]
    runs += [("PostgreSQL", n, lambda _n: fresh_pg()) for n in args.pg_sizes]
    for backend, n, make_url in runs:
        path = corpus(n)
        r = timed(path, make_url(n))
        row = [
            backend,
            f"{n:,}",
            f"{r['written']:,.0f}",
            f"{r['seconds']:.1f}",
            f"{r['rate']:,.0f}",
            f"{r['peak_mib']:,.0f}",
        ]
        print(" | ".join(row), flush=True)
        rows.append(row)
    header = ["store", "adverts", "written", "seconds", "adverts/s", "peak MiB"]
    if not args.no_record:
        print(
            append_results(
                "Ingest throughput",
                header,
                rows,
                "JSONL synthetic corpus, fresh store, default batch size, "
                "one process (FTS index built during ingest)",
            )
        )
    return rows


if __name__ == "__main__":
    main()
