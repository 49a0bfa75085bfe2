"""The per-host circuit breaker against a real host that never answers (a loopback socket
that listens but never accepts): its URLs are not each waited out, and none is dead."""

from __future__ import annotations

import socket
import time

from citecheck.checkers import check_links
from citecheck.models import LinkStatus as S
from citecheck.net.client import make_transport
from citecheck.settings import Settings
from tests.conftest import hermetic_resolver

SILENT = "127.0.0.40"


class SilentHost:
    """Connections complete (the kernel's backlog) but no request is ever answered."""

    def __enter__(self) -> SilentHost:
        self.sock = socket.socket()
        self.sock.bind((SILENT, 0))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def url(self, path: str) -> str:
        return f"http://{SILENT}:{self.port}{path}"


def check(urls: list[str]) -> tuple[dict, float]:
    s = Settings(timeout=1.0, retries=2, per_host=4, canaries=(), allow_networks=("127.0.0.0/8",))
    start = time.monotonic()
    run = check_links(urls, s, transport=make_transport(s, resolver=hermetic_resolver()))
    return run.results, time.monotonic() - start


def test_a_host_that_stops_answering_is_not_waited_out_url_by_url(local_web):
    good = [local_web.url("127.0.0.2", f"/article/breaker-{i}") for i in range(5)]
    with SilentHost() as host:
        silent = [host.url(f"/report/{i}") for i in range(40)]
        results, seconds = check(silent + good)
    # Without the breaker: 40 URLs x 3 attempts x 1 s over 4 connections, about 30 s.
    assert seconds < 8
    assert all(results[u].status is S.ALIVE for u in good)
    statuses = {results[u].status for u in silent}
    assert statuses == {S.UNREACHABLE}  # never dead: the host may be back tomorrow
    stopped = [u for u in silent if "host stopped answering after" in results[u].detail]
    assert len(stopped) >= 40 - 4  # all but the first round, which timed out on its own
    assert all(results[u].rules == ("unreachable",) for u in silent)


def test_one_timeout_does_not_stop_a_host(local_web):
    # /slow times out (3 s against 1 s), the host's other pages answer: no breaker.
    # (127.0.0.10: test_links counts the requests to /slow on 127.0.0.2.)
    slow = local_web.url("127.0.0.10", "/slow")
    others = [local_web.url("127.0.0.10", f"/article/after-slow-{i}") for i in range(6)]
    results, _ = check([slow, *others])
    assert results[slow].status is S.UNREACHABLE and "timeout" in results[slow].detail
    assert all(results[u].status is S.ALIVE for u in others)
