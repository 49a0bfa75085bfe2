"""3,000 links on 1,000 loopback hosts, checked by a process allowed 1,024 open files: the
connection pool stays bounded and "too many open files" is never a verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.webserver import LocalWeb

HOSTS = [f"127.3.{i // 250}.{i % 250 + 1}" for i in range(1000)]
ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys
from collections import Counter
files = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
from citecheck.checkers import check_links
from citecheck.settings import Settings
urls = open(sys.argv[1]).read().split()
settings = Settings(timeout=20.0, retries=1, per_host=4, canaries=(), no_archive=True,
                    allow_networks=("127.0.0.0/8",))
run = check_links(urls, settings)
print(json.dumps({u: [r.status.value, r.detail] for u, r in run.results.items()}))
"""


def check_limited(hosts: list[str], per_host: int, files: int, tmp_path: Path) -> dict:
    """Check `per_host` pages on each host in a child allowed `files` open files."""
    web = LocalWeb(hosts)
    try:
        urls = [web.url(h, f"/article/{n}") for n in range(per_host) for h in hosts]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(listing), str(files)],
            capture_output=True,
            text=True,
            timeout=100,
            env=env,
            check=False,
        )
    finally:
        web.close()
    assert done.returncode == 0, done.stderr[-2000:]
    assert all(web.count(h) >= per_host for h in hosts)
    return json.loads(done.stdout)


def test_three_thousand_links_on_a_thousand_hosts_under_ulimit_1024(tmp_path):
    results = check_limited(HOSTS, 3, 1024, tmp_path)
    statuses = Counter(status for status, _ in results.values())
    wrong = {u: r for u, r in results.items() if r[0] != "alive"}
    assert statuses["alive"] == 3000, list(wrong.items())[:5]


def test_out_of_files_is_waited_out_not_a_verdict(tmp_path):
    # 40 files for 120 links on 40 hosts: connections fail with EMFILE again and again.
    results = check_limited(HOSTS[:40], 3, 40, tmp_path)
    wrong = {u: r for u, r in results.items() if r[0] != "alive"}
    assert len(results) == 120 and not wrong, list(wrong.items())[:5]
