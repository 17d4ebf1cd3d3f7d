"""Run every benchmark with its default sizes and record the figures in docs/benchmarks.md.

``python -m benchmarks.run`` (from the project root, inside .venv) or ``make bench``.
"""

from __future__ import annotations

from benchmarks import bench_extract, bench_indicators, bench_ingest, bench_jobs, bench_link


def main() -> None:
    bench_ingest.main([])
    bench_extract.main([])
    bench_indicators.main([])
    bench_jobs.main([])
    bench_link.main([])


if __name__ == "__main__":
    main()
