"""Running the hostile web's cases: one check per case, timed, with its peak memory.

Shared by tests/hostile/test_matrix.py (asserts) and bench/hostile_matrix.py (prints the
matrix). Every case is its own `check_links` run, so its seconds and memory are its own.
"""

from __future__ import annotations

import ssl
import time
import tracemalloc
from dataclasses import dataclass

import trustme

from citecheck.checkers import LinkRun, check_links
from citecheck.models import LinkResult
from citecheck.settings import Settings
from tests.hostile import tls
from tests.hostile.behaviours import CASES, HOST, ROUTES, V6, WALLS, Case
from tests.hostile.rawweb import RawWeb

LOOPBACK = ("127.0.0.0/8", "::1/128")
MEMORY_CAP = 48 * 1024 * 1024  # bytes a single check may allocate at its peak


def settings(**kw: object) -> Settings:
    base: dict[str, object] = {
        "timeout": 0.5,
        "retries": 1,
        "per_host": 4,
        "canaries": (),
        "allow_networks": LOOPBACK,
    }
    base.update(kw)
    return Settings(**base)  # type: ignore[arg-type]


def check(urls: list[str], client_tls: ssl.SSLContext | None = None, **kw: object) -> LinkRun:
    """`check_links` over the stack the run uses, trusting the test CA."""
    from citecheck.net.client import make_transport

    s = settings(**kw)
    return check_links(urls, s, transport=make_transport(s, verify=client_tls))


@dataclass(frozen=True)
class Row:
    case: Case
    url: str
    result: LinkResult
    seconds: float
    peak: int
    requests: int


def start(ca: trustme.CA) -> RawWeb:
    """The hostile web: plain hosts, IPv6 loopback, and one TLS host per TLS failure."""
    contexts, raw = tls.servers(ca)
    return RawWeb([HOST, WALLS, V6], ROUTES, tls=contexts, raw_tls=raw)


def url_of(web: RawWeb, case: Case) -> str:
    return web.url(case.host, case.path, tls=case.tls)


def run_case(web: RawWeb, case: Case, client_tls: ssl.SSLContext) -> Row:
    url = url_of(web, case)
    before = web.count(case.host, case.path.split("?", 1)[0])
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.monotonic()
    try:
        run = check([url], client_tls)
    finally:
        seconds = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    (result,) = run.results.values()
    requests = web.count(case.host, case.path.split("?", 1)[0]) - before
    return Row(case, url, result, seconds, peak, requests)


ALL = CASES + tls.CASES
