"""One timed ingest in a process of its own, so its peak memory is its own.

Prints one JSON line: adverts written, seconds, adverts per second, peak RSS in MiB.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from threadline.ingest import ingest
from threadline.store import open_store


def main(path: str, url: str) -> None:
    store = open_store(url)
    start = time.perf_counter()
    report = ingest([Path(path)], store)
    seconds = time.perf_counter() - start
    store.close()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "written": report.written,
                "read": report.read,
                "seconds": seconds,
                "rate": report.read / seconds,
                "peak_mib": peak_mib,
                "quarantined": report.quarantined_total,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
