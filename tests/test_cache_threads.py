"""One Cache used from two threads at once (a warm run stores identifier lookups in the main
thread while the failures' thread stores link results): every write lands, none fails."""

from __future__ import annotations

import threading
from pathlib import Path

from citecheck.cache.store import Cache


def test_two_threads_write_and_read_one_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    start = threading.Barrier(2)

    def write(kind: str) -> None:
        start.wait(timeout=10)
        for i in range(300):
            cache.put_many(kind, {f"k{i}-{j}": {"i": i, "j": j} for j in range(5)}, 3600)
            cache.get_many(kind, [f"k{i}-0"])

    threads = [threading.Thread(target=write, args=(kind,)) for kind in ("link", "doi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert cache.problem is None
    keys = [f"k{i}-{j}" for i in range(300) for j in range(5)]
    for kind in ("link", "doi"):
        assert len(cache.get_many(kind, keys)) == 1500
    cache.close()
