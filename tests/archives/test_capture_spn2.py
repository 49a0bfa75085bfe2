"""Save Page Now 2 with httpx.MockTransport answering the documented shapes."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest

from citecheck.archives.budget import RateBudget
from citecheck.archives.capture import CaptureStatus, Polling, capture_urls_async
from citecheck.errors import InputError
from citecheck.settings import Settings

SETTINGS = Settings(timeout=5)
KEYS = {"CITECHECK_IA_ACCESS_KEY": "acc", "CITECHECK_IA_SECRET_KEY": "sec"}
URL = "https://example.org/report"


class FakeSleep:
    def __init__(self):
        self.now, self.slept = 0.0, []

    def clock(self):
        return self.now

    async def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def run(handler, urls=(URL,), env=KEYS, **kw):
    fake = FakeSleep()
    budget = RateBudget(12, clock=fake.clock, sleep=fake.sleep)
    results = asyncio.run(
        capture_urls_async(
            list(urls),
            SETTINGS,
            endpoint=None,
            env=env,
            transport=httpx.MockTransport(handler),
            polling=Polling(interval=5, timeout=30),
            budget=budget,
            **kw,
        )
    )
    return results, fake


def test_spn2_submit_poll_success():
    statuses = iter(
        [
            {"status": "pending", "job_id": "spn2-1"},
            {"status": "pending"},
            {
                "status": "success",
                "timestamp": "20261128061500",
                "original_url": URL,
                "duration_sec": 6.2,
                "job_id": "spn2-1",
            },
        ]
    )
    seen = []

    def handler(request: httpx.Request):
        seen.append(request)
        assert request.headers["Authorization"] == "LOW acc:sec"
        if request.method == "POST":
            assert (
                request.url.path == "/save"
                and b"url=https%3A%2F%2Fexample.org%2Freport" in request.content
            )
            return httpx.Response(200, json={"url": URL, "job_id": "spn2-1"})
        assert request.url.path == "/save/status/spn2-1"
        return httpx.Response(200, json=next(statuses))

    [result], fake = run(handler)
    assert result.status is CaptureStatus.CAPTURED
    assert result.memento_url == f"https://web.archive.org/web/20261128061500/{URL}"
    assert result.datetime == dt.datetime(2026, 11, 28, 6, 15, tzinfo=dt.UTC)
    assert fake.slept == [5, 5, 5]
    assert len(seen) == 4


def test_spn2_job_error_is_a_failed_result():
    def handler(request):
        if request.method == "POST":
            return httpx.Response(200, json={"url": URL, "job_id": "spn2-2"})
        return httpx.Response(
            200,
            json={
                "status": "error",
                "status_ext": "error:not-found",
                "message": "Server returned HTTP 404",
                "job_id": "spn2-2",
            },
        )

    [result], _ = run(handler)
    assert result.status is CaptureStatus.FAILED
    assert result.detail == "error:not-found; Server returned HTTP 404"


def test_spn2_pacing_and_429_retry_after():
    posts = []

    def handler(request):
        if request.method == "POST":
            posts.append(request)
            if len(posts) == 1:
                return httpx.Response(429, headers={"Retry-After": "30"})
            return httpx.Response(200, json={"job_id": f"j{len(posts)}"})
        return httpx.Response(200, json={"status": "success", "timestamp": "20261128061500"})

    urls = [f"https://example.org/{i}" for i in range(14)]
    results, fake = run(handler, urls=urls)
    assert all(r.status is CaptureStatus.CAPTURED for r in results)
    assert 30 in fake.slept
    # 15 POSTs at 12 a minute: the budget made the run wait past the first minute.
    assert fake.now >= 60


def test_spn2_session_limit_message_reported():
    def handler(request):
        return httpx.Response(
            200,
            json={
                "status": "error",
                "status_ext": "error:user-session-limit",
                "message": "You have already reached the limit of active sessions.",
            },
        )

    [result], _ = run(handler)
    assert result.status is CaptureStatus.FAILED and "user-session-limit" in result.detail


def test_missing_credentials_is_input_error_but_dry_run_works():
    with pytest.raises(InputError, match="CITECHECK_IA_ACCESS_KEY"):
        run(lambda r: httpx.Response(500), env={})
    results, _ = run(lambda r: httpx.Response(500), env={}, dry_run=True)
    assert results[0].status is CaptureStatus.PLANNED
