"""Time of the online identifier stage against Crossref's announced rate limit.

A loopback stand-in of the DOI handle API and Crossref (tests/identifiers/services.py: their
documented shapes; Crossref announces X-Rate-Limit-Limit 50 / X-Rate-Limit-Interval 1s) answers
N DOIs. Printed: wall time of the lookups, the time the announced rate alone needs for the
Crossref requests (N / 50 s), and their ratio (the stage should add no more than the rate).

    python bench/bench_identifiers.py [--dois 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dois", type=int, default=500)
    args = parser.parse_args()

    from citecheck.identifiers.lookup import look_up
    from citecheck.settings import Settings
    from tests.identifiers.services import IdentifierServices, work

    dois = [f"10.5555/bench{i}" for i in range(args.dois)]
    crossref = {d: work(f"Work number {i}", 2015) for i, d in enumerate(dois)}
    server = IdentifierServices(set(dois), crossref)
    try:
        with tempfile.TemporaryDirectory() as cache_dir:
            settings = Settings(
                doi_api=f"{server.base}/api/handles",
                crossref_api=server.base,
                datacite_api=server.base,
                allow_private=True,
                cache_dir=Path(cache_dir),
                timeout=10.0,
            )
            start = time.perf_counter()
            records = look_up(dois, settings)
            wall = time.perf_counter() - start
    finally:
        server.close()
    found = sum(1 for r in records.values() if r.state == "found")
    bound = args.dois / 50  # the announced 50 requests a second, for the Crossref requests
    print(
        f"{args.dois} DOIs ({found} found): {wall:.2f} s; Crossref's announced rate alone "
        f"needs {bound:.2f} s: ratio {wall / bound:.2f}; requests {dict(server.requests)}"
    )


if __name__ == "__main__":
    main()
