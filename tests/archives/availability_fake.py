"""A Wayback Availability endpoint in front of a real pywb collection (pywb has none).

It takes the batch POST InternetArchiveBot sends (internetarchive/internetarchivebot,
app/src/Core/APII.php `CDXQuery`: header `Wayback-Api-Version: 2`, one form-encoded query per
line, `url=...&timestamp=YYYYMMDDhhmmss&closest=before&statuscodes=200&tag=N`) and answers in
the documented shape (archive.org/help/wayback_api.php; IABot reads `results[].tag` and
`results[].archived_snapshots.closest`): for each line, the capture nearest before the
timestamp with the given status, found in pywb's own CDX index.

Corner cases of the real service are switches: `forget` (URLs answered `{}` though archived:
the API's "no capture" is only a hint), `lie` (URL -> a timestamp named whatever it is),
`unanswered` (results without `archived_snapshots`) and `status` (an HTTP error for every POST).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from urllib.parse import parse_qs

import aiohttp
from aiohttp import web


class AvailabilityFake:
    """Serves POST /wayback/available on `host` from the pywb collection at `cdx`."""

    def __init__(self, host: str, cdx: str, replay: str):
        self.host, self.cdx, self.replay = host, cdx, replay
        self.port = 0
        self.forget: set[str] = set()
        self.lie: dict[str, str] = {}
        self.unanswered: set[str] = set()
        self.status = 200
        self.posts: list[tuple[float, dict[str, str], str]] = []  # (time, headers, body)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/wayback/available"

    def start(self) -> AvailabilityFake:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("availability fake did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            await self._runner.cleanup()
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/wayback/available", self._answer)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, self.host, 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _answer(self, request: web.Request) -> web.Response:
        body = await request.text()
        self.posts.append((time.monotonic(), dict(request.headers), body))
        if self.status != 200:
            return web.Response(status=self.status, text="unavailable")
        results = []
        async with aiohttp.ClientSession() as session:
            for line in body.splitlines():
                query = {k: v[0] for k, v in parse_qs(line).items()}
                query["statuscodes"] = ",".join(parse_qs(line).get("statuscodes", ["200"]))
                results.append(await self._result(session, query))
        return web.json_response({"results": results})

    async def _result(self, session: aiohttp.ClientSession, query: dict[str, str]) -> dict:
        url, tag = query["url"], query.get("tag", "")
        out: dict = {"url": url, "tag": tag}
        if url in self.unanswered:
            return out
        stamp = self.lie.get(url)
        if stamp is None and url not in self.forget:
            stamp = await self._nearest_before(session, query)
        out["archived_snapshots"] = (
            {}
            if stamp is None
            else {
                "closest": {
                    "available": True,
                    "url": f"{self.replay}{stamp}/{url}",
                    "timestamp": stamp,
                    "status": "200",
                }
            }
        )
        return out

    async def _nearest_before(
        self, session: aiohttp.ClientSession, query: dict[str, str]
    ) -> str | None:
        params = {"url": query["url"], "output": "json"}
        async with session.get(self.cdx, params=params) as answer:
            text = await answer.text()
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        wanted = set(query["statuscodes"].split(","))
        limit = query.get("timestamp", "99999999999999")
        before = [
            r["timestamp"]
            for r in rows
            if str(r.get("status")) in wanted and r["timestamp"] <= limit
        ]
        return max(before) if before else None
