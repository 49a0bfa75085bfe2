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
resource.setrlimit(resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
from citecheck.checkers import check_links
from citecheck.settings import Settings
urls = open(sys.argv[1]).read().split()
settings = Settings(timeout=20.0, retries=1, per_host=4, canaries=(), no_archive=True,
                    allow_networks=("127.0.0.0/8",))
run = check_links(urls, settings)
print(json.dumps({u: [r.status.value, r.detail] for u, r in run.results.items()}))
"""


def test_three_thousand_links_on_a_thousand_hosts_under_ulimit_1024(tmp_path):
    web = LocalWeb(HOSTS)
    try:
        urls = [web.url(h, f"/article/{n}") for n in range(3) for h in HOSTS]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(listing)],
            capture_output=True,
            text=True,
            timeout=100,
            env=env,
            check=False,
        )
    finally:
        web.close()
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout)
    statuses = Counter(status for status, _ in results.values())
    wrong = {u: r for u, r in results.items() if r[0] != "alive"}
    assert statuses["alive"] == 3000, list(wrong.items())[:5]
    assert all(web.count(h) >= 3 for h in HOSTS)
