"""DOIs online: existence from the DOI handle API, metadata and notices from Crossref REST
(DataCite for DOIs Crossref does not hold). Network I/O through the one client factory.

Documented shapes (what the tests' servers answer):
- Handle API, `GET {doi_api}/{doi}` (https://www.doi.org/the-identifier/resources/factsheets/
  doi-resolution-documentation): `{"responseCode": 1, "handle": ..., "values": [{"type":
  "URL", "data": {"format": "string", "value": LANDING}}]}`; not found: HTTP 404 with
  `{"responseCode": 100}`. Other codes (2 error, 200 no values) are "can't tell".
- Crossref, `GET {crossref_api}/works/{doi}` (https://api.crossref.org/swagger-ui/): `{"status":
  "ok", "message": {"title": [...], "issued": {"date-parts": [[Y, M, D]]}, "container-title":
  [...], "updated-by": [{"type": "retraction", "DOI": ..., "updated": {"date-parts": ...}}]}}`;
  404 when Crossref does not hold the DOI. Polite use: a `mailto` in the User-Agent, at most
  5 requests at once, `X-Rate-Limit-Limit`/`X-Rate-Limit-Interval` and Retry-After honoured.
- DataCite, `GET {datacite_api}/dois/{doi}` (https://support.datacite.org/docs/api-get-doi):
  `{"data": {"attributes": {"titles": [{"title": ...}], "publicationYear": Y, "container":
  {"title": ...}}}}`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from citecheck.identifiers.results import DoiRecord, DoiState, Update

if TYPE_CHECKING:
    import httpx

    from citecheck.cache.store import Cache
    from citecheck.net.client import AnyTransport
    from citecheck.settings import Settings

CACHE_KIND = "doi"
FOUND_TTL = 30 * 86400.0
NOT_FOUND_TTL = 86400.0
CONCURRENCY = 5  # Crossref's "polite" pool asks for no more than this at once
NOTICE_TYPES = ("retraction", "withdrawal", "removal", "expression_of_concern")


def look_up(
    dois: Iterable[str],
    settings: Settings,
    *,
    transport: AnyTransport | None = None,
    cache: Cache | None = None,
) -> dict[str, DoiRecord]:
    """A record for every DOI in `dois` (cached answers first; offline: cached only)."""
    wanted = list(dict.fromkeys(dois))
    found = {k: DoiRecord.from_json(v) for k, v in _cached(cache, wanted).items()}
    todo = [d for d in wanted if d not in found]
    if todo and not settings.offline:
        fresh = asyncio.run(_look_up_all(todo, settings, transport))
        _store(cache, fresh)
        found.update(fresh)
    return {
        d: found.get(d) or DoiRecord(d, DoiState.UNKNOWN, "not looked up (offline)") for d in wanted
    }


def _cached(cache: Cache | None, dois: list[str]) -> dict[str, dict[str, Any]]:
    return cache.get_many(CACHE_KIND, dois) if cache is not None else {}


def _store(cache: Cache | None, records: dict[str, DoiRecord]) -> None:
    if cache is None:
        return
    for state, ttl in ((DoiState.FOUND, FOUND_TTL), (DoiState.NOT_FOUND, NOT_FOUND_TTL)):
        chosen = {d: r.to_json() for d, r in records.items() if r.state is state}
        cache.put_many(CACHE_KIND, chosen, ttl)


async def _look_up_all(
    dois: list[str], settings: Settings, transport: AnyTransport | None
) -> dict[str, DoiRecord]:
    from citecheck.net.client import make_client

    agent = user_agent(settings)
    endpoints = (settings.doi_api, settings.crossref_api, settings.datacite_api)
    async with make_client(
        _with_agent(settings, agent),
        transport=transport,
        follow_redirects=False,
        trusted=_hosts(endpoints),
    ) as client:
        service = _Service(client, settings)
        records = await asyncio.gather(*(service.record(d) for d in dois))
    return dict(zip(dois, records, strict=True))


def user_agent(settings: Settings) -> str:
    """The honest User-Agent, with the `mailto` contact Crossref asks polite clients for."""
    from citecheck.net.client import default_user_agent

    base = settings.user_agent or default_user_agent()
    return f"{base} mailto:{settings.contact_email}" if settings.contact_email else base


def _with_agent(settings: Settings, agent: str) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, user_agent=agent)


def _hosts(urls: Iterable[str]) -> set[str]:
    from urllib.parse import urlsplit

    return {urlsplit(u).hostname or "" for u in urls} - {""}


class _Service:
    """The three services for one run: shared limits and Crossref's announced rate."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.slots = asyncio.Semaphore(CONCURRENCY)
        # per service host: seconds between requests (from its rate-limit headers), next start
        self.interval: dict[str, float] = {}
        self.next_start: dict[str, float] = {}

    async def record(self, doi: str) -> DoiRecord:
        state, detail, landing = await self._handle(doi)
        if state is not DoiState.FOUND:
            return DoiRecord(doi, state, detail)
        meta = await self._metadata(doi)
        return DoiRecord(doi, state, detail, landing, **meta)

    async def _get(self, url: str) -> httpx.Response | str:
        """The response, or a short reason when there was none."""
        import httpx

        async with self.slots:
            for _ in range(3):
                await self._pace(_host(url))
                try:
                    response = await self.client.get(url, headers={"Accept": "application/json"})
                except httpx.HTTPError as exc:
                    return f"{type(exc).__name__}: {exc}".rstrip(": ")
                self._learn_rate(_host(url), response)
                wait = _retry_after(response)
                if wait is None:
                    return response
                await asyncio.sleep(wait)
            return f"HTTP {response.status_code} (rate-limited)"

    async def _pace(self, host: str) -> None:
        now = time.monotonic()
        start = max(now, self.next_start.get(host, 0.0))
        self.next_start[host] = start + self.interval.get(host, 0.0)
        if start > now:
            await asyncio.sleep(start - now)

    def _learn_rate(self, host: str, response: httpx.Response) -> None:
        limit = response.headers.get("x-rate-limit-limit", "")
        interval = response.headers.get("x-rate-limit-interval", "").rstrip("s")
        if limit.isdecimal() and int(limit) > 0 and _number(interval) is not None:
            self.interval[host] = min(float(interval) / int(limit), 10.0)

    async def _handle(self, doi: str) -> tuple[DoiState, str, str | None]:
        got = await self._get(f"{self.settings.doi_api.rstrip('/')}/{quote(doi, safe='/')}")
        if isinstance(got, str):
            return DoiState.UNKNOWN, f"DOI handle API: {got}", None
        data = _json(got)
        code = data.get("responseCode") if isinstance(data, dict) else None
        if code == 1:
            landing = _landing(data)
            return DoiState.FOUND, f"registered; landing page {landing or 'not given'}", landing
        if code == 100 or (got.status_code == 404 and code is None):
            return DoiState.NOT_FOUND, "the DOI handle system does not know this DOI", None
        return DoiState.UNKNOWN, f"DOI handle API: HTTP {got.status_code}, code {code}", None

    async def _metadata(self, doi: str) -> dict[str, Any]:
        got = await self._get(
            f"{self.settings.crossref_api.rstrip('/')}/works/{quote(doi, safe='/')}"
        )
        if not isinstance(got, str) and got.status_code == 200:
            message = _json(got).get("message")
            if isinstance(message, dict):
                return _crossref(message)
        got = await self._get(
            f"{self.settings.datacite_api.rstrip('/')}/dois/{quote(doi, safe='/')}"
        )
        if not isinstance(got, str) and got.status_code == 200:
            data = _json(got).get("data")
            if isinstance(data, dict) and isinstance(data.get("attributes"), dict):
                return _datacite(data["attributes"])
        return {}


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait before asking again (429/503), capped; None: the answer stands."""
    from citecheck.net.hosts import parse_retry_after

    if response.status_code not in (429, 503):
        return None
    wait = parse_retry_after(response.headers.get("retry-after"))
    return min(wait if wait is not None else 2.0, 60.0)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _landing(data: dict[str, Any]) -> str | None:
    for value in data.get("values") or ():
        if isinstance(value, dict) and value.get("type") == "URL":
            inner = value.get("data")
            if isinstance(inner, dict) and isinstance(inner.get("value"), str):
                return str(inner["value"])
    return None


def _crossref(message: dict[str, Any]) -> dict[str, Any]:
    years = {
        parts[0][0]
        for key in ("issued", "published-print", "published-online", "published")
        if isinstance(parts := (message.get(key) or {}).get("date-parts"), list)
        and parts
        and parts[0]
        and isinstance(parts[0][0], int)
    }
    updates = tuple(
        Update(str(u.get("type", "")), u.get("DOI"), _date(u.get("updated")))
        for u in message.get("updated-by") or ()
        if isinstance(u, dict) and u.get("type") in NOTICE_TYPES
    )
    return {
        "registry": "crossref",
        "title": _first(message.get("title")),
        "years": tuple(sorted(years)),
        "container": _first(message.get("container-title")),
        "updates": updates,
    }


def _datacite(attributes: dict[str, Any]) -> dict[str, Any]:
    titles = [t.get("title") for t in attributes.get("titles") or () if isinstance(t, dict)]
    year = str(attributes.get("publicationYear"))
    container = attributes.get("container") or {}
    return {
        "registry": "datacite",
        "title": _first(titles),
        "years": (int(year),) if year.isdecimal() else (),
        "container": container.get("title") if isinstance(container, dict) else None,
    }


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return " ".join(values[0].split())
    return None


def _date(value: Any) -> dt.date | None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    try:
        y, m, d = [*list(parts[0]), 1, 1][:3]  # type: ignore[index]
        return dt.date(int(y), int(m), int(d))
    except (TypeError, ValueError, IndexError):
        return None
