"""Asking an archive to capture pages (`citecheck archive`).

Two back-ends:
- the Internet Archive's Save Page Now 2 API: `POST /save` with `Authorization: LOW
  ACCESS:SECRET` returns a `job_id`; `GET /save/status/JOB` is polled until `status` is
  `success` (with `timestamp` and `original_url`) or `error` (with `status_ext`, `message`).
  At most 12 captures are requested a minute.
- a pywb recorder: `GET ENDPOINT + URL` where ENDPOINT is a collection's `/record/` prefix
  (`wayback --record`); the answer's Memento-Datetime dates the new capture.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

import httpx

from citecheck.archives.budget import RateBudget, parse_retry_after
from citecheck.archives.choose import parse_timestamp14, timestamp14
from citecheck.archives.memento import parse_http_date
from citecheck.archives.session import make_client
from citecheck.errors import InputError

if TYPE_CHECKING:
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

SPN2_SAVE = "https://web.archive.org/save"
SPN2_STATUS = "https://web.archive.org/save/status/"
SPN2_REPLAY = "https://web.archive.org/web/"
SPN2_PER_MINUTE = 12
ACCESS_KEY_ENV, SECRET_KEY_ENV = "CITECHECK_IA_ACCESS_KEY", "CITECHECK_IA_SECRET_KEY"


class CaptureStatus(StrEnum):
    CAPTURED = "captured"
    PLANNED = "planned"  # --dry-run: would be captured
    FAILED = "failed"


@dataclass(frozen=True)
class CaptureResult:
    """The outcome of asking for one capture: the new memento URL and date, or why not."""

    url: str
    status: CaptureStatus
    archive: str
    memento_url: str | None = None
    datetime: dt.datetime | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Polling:
    """How Save Page Now jobs are polled: every `interval` s, giving up after `timeout` s."""

    interval: float = 5.0
    timeout: float = 180.0


class Capturer(Protocol):
    """An archive's capture back-end: ask it to capture `url` now (within `budget`); a
    failure is a FAILED CaptureResult. Adding a back-end is one class meeting this."""

    async def capture(
        self, client: httpx.AsyncClient, budget: RateBudget, url: str
    ) -> CaptureResult: ...


async def capture_urls_async(
    urls: Sequence[str],
    settings: Settings,
    *,
    endpoint: str | None,
    transport: AnyTransport | None = None,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    polling: Polling = Polling(),
    budget: RateBudget | None = None,
) -> list[CaptureResult]:
    """Capture each URL in order; a failure is a FAILED result, not an exception.

    Without `endpoint`, Save Page Now 2 is used and missing credentials raise InputError
    (before anything is sent; a dry run does not need them).
    """
    archive = "pywb" if endpoint else "ia"
    if dry_run:
        return [
            CaptureResult(
                u, CaptureStatus.PLANNED, archive, detail=f"would ask {endpoint or SPN2_SAVE}"
            )
            for u in urls
        ]
    runner: Capturer
    if endpoint:
        runner = _PywbRecorder(endpoint)
    else:
        runner = _SavePageNow(_credentials(os.environ if env is None else env), polling)
    budget = budget or RateBudget(None if endpoint else SPN2_PER_MINUTE)
    async with make_client(
        transport,
        settings.timeout,
        settings.user_agent,
        settings=settings,
        endpoints=(endpoint or SPN2_SAVE,),
    ) as client:
        results = []
        for url in urls:
            try:
                results.append(await runner.capture(client, budget, url))
            except httpx.HTTPError as exc:
                results.append(
                    CaptureResult(
                        url, CaptureStatus.FAILED, archive, detail=f"{type(exc).__name__}: {exc}"
                    )
                )
        return results


def _credentials(env: Mapping[str, str]) -> tuple[str, str]:
    access, secret = env.get(ACCESS_KEY_ENV, ""), env.get(SECRET_KEY_ENV, "")
    if not access or not secret:
        raise InputError(
            f"Save Page Now needs {ACCESS_KEY_ENV} and {SECRET_KEY_ENV} "
            "(keys from https://archive.org/account/s3.php), or use --endpoint "
            "with a pywb /record/ collection"
        )
    return access, secret


class _PywbRecorder:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        # The replay prefix of the same collection: ".../COLL/record/" -> ".../COLL/".
        self.replay = self.endpoint.removesuffix("record/")

    async def capture(
        self, client: httpx.AsyncClient, budget: RateBudget, url: str
    ) -> CaptureResult:
        await budget.acquire()
        response = await client.get(self.endpoint + url)
        moment = parse_http_date(response.headers.get("memento-datetime"))
        if not response.is_success or moment is None:
            return CaptureResult(
                url,
                CaptureStatus.FAILED,
                "pywb",
                detail=f"recorder answered HTTP {response.status_code}",
            )
        return CaptureResult(
            url, CaptureStatus.CAPTURED, "pywb", f"{self.replay}{timestamp14(moment)}/{url}", moment
        )


class _SavePageNow:
    def __init__(self, keys: tuple[str, str], polling: Polling):
        self.headers = {"Authorization": f"LOW {keys[0]}:{keys[1]}", "Accept": "application/json"}
        self.polling = polling

    async def capture(
        self, client: httpx.AsyncClient, budget: RateBudget, url: str
    ) -> CaptureResult:
        job = await self._submit(client, budget, url)
        if isinstance(job, CaptureResult):
            return job
        return await self._poll(client, budget, url, job)

    async def _submit(
        self, client: httpx.AsyncClient, budget: RateBudget, url: str
    ) -> str | CaptureResult:
        while True:
            if budget.exhausted:
                return _failed(url, "Save Page Now rate limit: not asked again this run")
            await budget.acquire()
            response = await client.post(SPN2_SAVE, data={"url": url}, headers=self.headers)
            if response.status_code == 429:
                budget.rate_limited(parse_retry_after(response.headers.get("retry-after")))
                continue
            budget.succeeded()
            data = _json(response)
            if response.is_success and data.get("job_id"):
                return str(data["job_id"])
            return _failed(url, _spn_error(response, data))

    async def _poll(
        self, client: httpx.AsyncClient, budget: RateBudget, url: str, job: str
    ) -> CaptureResult:
        waited = 0.0
        while waited <= self.polling.timeout:
            await budget.sleep(self.polling.interval)
            waited += self.polling.interval
            response = await client.get(SPN2_STATUS + job, headers=self.headers)
            data = _json(response)
            status = data.get("status")
            if status == "success" and data.get("timestamp"):
                original = data.get("original_url") or url
                moment = parse_timestamp14(str(data["timestamp"]))
                return CaptureResult(
                    url,
                    CaptureStatus.CAPTURED,
                    "ia",
                    f"{SPN2_REPLAY}{data['timestamp']}/{original}",
                    moment,
                )
            if status == "error" or not response.is_success:
                return _failed(url, _spn_error(response, data))
        return _failed(url, f"job {job} still pending after {self.polling.timeout:.0f} s")


def _failed(url: str, detail: str) -> CaptureResult:
    return CaptureResult(url, CaptureStatus.FAILED, "ia", detail=detail)


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _spn_error(response: httpx.Response, data: dict) -> str:
    parts = [str(data[k]) for k in ("status_ext", "message") if data.get(k)]
    return "; ".join(parts) or f"Save Page Now answered HTTP {response.status_code}"
