"""Local stand-ins for the identifier services, answering with their documented shapes:

- DOI handle API (https://www.doi.org/the-identifier/resources/factsheets/
  doi-resolution-documentation, "REST API"): `GET /api/handles/DOI` answers
  `{"responseCode": 1, "handle": DOI, "values": [{"index": 1, "type": "URL", "data":
  {"format": "string", "value": URL}}]}`; an unknown DOI HTTP 404 `{"responseCode": 100,
  "handle": DOI}`.
- Crossref REST API (https://api.crossref.org/swagger-ui/index.html, `/works/{doi}`):
  `{"status": "ok", "message-type": "work", "message": {"DOI": ..., "title": [...],
  "container-title": [...], "issued": {"date-parts": [[Y, M, D]]}, "updated-by": [{"DOI":
  NOTICE, "type": "retraction", "label": "Retraction", "source": "retraction-watch",
  "updated": {"date-parts": [[Y, M, D]]}}]}}`; a DOI Crossref does not hold: 404 "Resource not
  found.". Rate-limit headers X-Rate-Limit-Limit / X-Rate-Limit-Interval on every answer.
- DataCite REST API (https://support.datacite.org/docs/api-get-doi, `/dois/{id}`): `{"data":
  {"id": DOI, "type": "dois", "attributes": {"doi": DOI, "titles": [{"title": ...}],
  "publicationYear": Y, "container": {}}}}`.

A real aiohttp server on loopback, on its own thread and loop, bounded and stopped by close().
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from typing import Any

from aiohttp import web

from tests.webserver import free_port


def work(
    title: str, year: int, updates: list[dict[str, Any]] | None = None, journal: str = "J. Tests"
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "title": [title],
        "container-title": [journal],
        "issued": {"date-parts": [[year, 3, 1]]},
        "type": "journal-article",
    }
    if updates:
        message["updated-by"] = updates
    return message


def notice(kind: str, doi: str, day: tuple[int, int, int]) -> dict[str, Any]:
    return {
        "DOI": doi,
        "type": kind,
        "label": kind.replace("_", " ").title(),
        "source": "retraction-watch",
        "updated": {"date-parts": [list(day)]},
    }


class IdentifierServices:
    """Handle API, Crossref and DataCite on one loopback port (different path prefixes)."""

    def __init__(
        self,
        registered: set[str],
        crossref: dict[str, dict[str, Any]],
        datacite: dict[str, dict[str, Any]] | None = None,
        address: str = "127.0.0.1",
    ) -> None:
        self.registered = registered
        self.crossref = crossref
        self.datacite = datacite or {}
        self.requests: Counter[str] = Counter()
        self.agents: list[str] = []
        self.address = address
        self.port = free_port(address)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._runner = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    @property
    def base(self) -> str:
        return f"http://{self.address}:{self.port}"

    async def _start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_get("/api/handles/{doi:.+}", self._handle)
        app.router.add_get("/works/{doi:.+}", self._works)
        app.router.add_get("/dois/{doi:.+}", self._dois)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, self.address, self.port).start()
        return runner

    def _count(self, request: web.Request, service: str) -> str:
        self.requests[service] += 1
        self.agents.append(request.headers.get("User-Agent", ""))
        return request.match_info["doi"].lower()

    async def _handle(self, request: web.Request) -> web.Response:
        doi = self._count(request, "handle")
        if doi not in self.registered:
            return web.json_response({"responseCode": 100, "handle": doi}, status=404)
        value = {"format": "string", "value": f"https://publisher.example/{doi}"}
        body = {
            "responseCode": 1,
            "handle": doi,
            "values": [{"index": 1, "type": "URL", "data": value}],
        }
        return web.json_response(body)

    async def _works(self, request: web.Request) -> web.Response:
        doi = self._count(request, "crossref")
        headers = {"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"}
        if doi not in self.crossref:
            return web.Response(status=404, text="Resource not found.", headers=headers)
        message = {"DOI": doi, **self.crossref[doi]}
        body = {
            "status": "ok",
            "message-type": "work",
            "message-version": "1.0.0",
            "message": message,
        }
        return web.json_response(body, headers=headers)

    async def _dois(self, request: web.Request) -> web.Response:
        doi = self._count(request, "datacite")
        if doi not in self.datacite:
            return web.json_response(
                {
                    "errors": [
                        {
                            "status": "404",
                            "title": "The resource you are looking for doesn't exist.",
                        }
                    ]
                },
                status=404,
            )
        attributes = {"doi": doi, **self.datacite[doi]}
        return web.json_response({"data": {"id": doi, "type": "dois", "attributes": attributes}})

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
