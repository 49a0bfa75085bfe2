"""The hostile web's matrix: every behaviour of tests/hostile, its status, seconds and
peak memory, as a table; then one run with every behaviour at once, and this process's
peak resident memory. Not a test (tests/hostile/test_matrix.py asserts the same cases).

    python bench/hostile_matrix.py              # the table (Markdown)
    python bench/hostile_matrix.py --only wall  # cases whose name contains "wall"
"""

from __future__ import annotations

import argparse
import resource
import ssl
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    import trustme

    from tests.hostile import matrix

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name holds this")
    args = parser.parse_args()
    ca = trustme.CA()
    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ca.configure_trust(client)
    web = matrix.start(ca)
    wrong = 0
    try:
        print("| behaviour | expected | status | seconds | peak MB | requests | detail |")
        print("|---|---|---|---:|---:|---:|---|")
        for case in matrix.ALL:
            if args.only not in case.name:
                continue
            row = matrix.run_case(web, case, client)
            ok = row.result.status is case.status and row.seconds <= case.budget
            wrong += not ok
            detail = (row.result.detail or "").replace("|", "/")[:90]
            print(
                f"| {case.name} | {case.status.value} | {row.result.status.value}"
                f"{'' if ok else ' **WRONG**'} | {row.seconds:.2f} | {row.peak / 1e6:.1f} "
                f"| {row.requests} | {detail} |"
            )
        started = time.monotonic()
        urls = [matrix.url_of(web, c) for c in matrix.ALL if args.only in c.name]
        run = matrix.check(urls, client)
        seconds = time.monotonic() - started
    finally:
        web.close()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(
        f"{len(urls)} behaviours, {wrong} wrong; all at once: {len(run.results)} results "
        f"in {seconds:.1f} s; peak RSS of this process {peak_rss:.0f} MB"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
