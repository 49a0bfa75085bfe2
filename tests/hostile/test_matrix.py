"""The hostile web, behaviour by behaviour: the status, a word of the detail, the time
budget, bounded memory, and (for deterministic failures) no retry.

Each case is its own run (tests/hostile/matrix.py), so its seconds and memory are its own;
`python bench/hostile_matrix.py` prints the same matrix as a table.
"""

from __future__ import annotations

import ssl

import pytest

from citecheck.models import LinkStatus as S
from tests.hostile import matrix
from tests.hostile.behaviours import BROTLI_BOMB, Case
from tests.hostile.rawweb import RawWeb


@pytest.mark.parametrize("case", matrix.ALL, ids=[c.name for c in matrix.ALL])
def test_behaviour(hostile_web: RawWeb, hostile_tls: ssl.SSLContext, case: Case) -> None:
    row = matrix.run_case(hostile_web, case, hostile_tls)
    result = row.result
    assert result.status is case.status, result.detail
    if case.detail is not None:
        assert case.detail.lower() in (result.detail or "").lower(), result.detail
    assert row.seconds <= case.budget, f"{row.seconds:.2f} s (budget {case.budget} s)"
    assert row.peak <= matrix.MEMORY_CAP, f"{row.peak / 1e6:.1f} MB at the peak"
    if case.max_requests is not None:
        assert row.requests <= case.max_requests, f"{row.requests} requests"


def test_there_are_sixty_behaviours_at_least() -> None:
    assert len({c.name for c in matrix.ALL}) == len(matrix.ALL) >= 60


@pytest.mark.skipif(BROTLI_BOMB is None, reason="brotli not installed")
def test_brotli_bomb_is_not_decoded(hostile_web: RawWeb, hostile_tls: ssl.SSLContext) -> None:
    # Not asked for (Accept-Encoding: gzip, deflate): the page is not read, memory bounded.
    from tests.hostile import behaviours

    behaviours.ROUTES["/brotli-bomb"] = behaviours.encoded(BROTLI_BOMB or b"", "br")
    case = Case("brotli bomb", "/brotli-bomb", S.ALIVE)
    row = matrix.run_case(hostile_web, case, hostile_tls)
    assert row.result.status is S.ALIVE
    assert row.peak <= matrix.MEMORY_CAP


def test_one_run_with_every_behaviour_finishes_and_judges_each(
    hostile_web: RawWeb, hostile_tls: ssl.SSLContext
) -> None:
    """All cases in one run: nothing aborts it, every URL gets its own verdict. The slow
    behaviours share a host with the others, so the circuit breaker may stop that host
    after its timeouts: those URLs are then unreachable, never anything worse."""
    import time

    urls = {matrix.url_of(hostile_web, c): c for c in matrix.ALL}
    started = time.monotonic()
    run = matrix.check(list(urls), hostile_tls)
    assert time.monotonic() - started < 30
    assert not run.network_unavailable
    assert len(run.results) == len(urls)
    wrong = {}
    for url, case in urls.items():
        result = run.results[url]
        stopped = "stopped answering" in (result.detail or "")
        if result.status is not case.status and not (stopped and result.status is S.UNREACHABLE):
            wrong[case.name] = f"{result.status.value}: {result.detail}"
    assert wrong == {}
