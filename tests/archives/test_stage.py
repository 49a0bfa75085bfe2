"""The archive stage of `check` runs beside the link checks: started before the last link is
checked, steered by the verdicts, stopped when the network is down."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from aiohttp import web
from archive_helpers import page, when
from archive_web import LiveWeb

from citecheck.archives import Archive
from citecheck.archives.stage import ArchiveStage
from citecheck.models import LinkResult, LinkStatus
from citecheck.pipeline import build_settings, load_source, run
from citecheck.settings import Settings

SLOW = 3.0  # seconds the slow page takes to answer (the batch must go out before)


class SlowWeb(LiveWeb):
    """A live web whose /slow page answers after SLOW seconds (and records when)."""

    answered_at = 0.0

    async def _page(self, request: web.Request) -> web.Response:
        if request.path == "/slow":
            await asyncio.sleep(SLOW)
            SlowWeb.answered_at = time.monotonic()
        return await super()._page(request)


def test_archives_are_asked_while_a_slow_link_is_still_being_checked(
    tmp_path, pywb, live_web, availability
):
    slow = SlowWeb("127.0.0.4", {"/slow": page("slow page")}).start()
    try:
        (tmp_path / "report.md").write_text(
            f"A report[^1] and a slow page[^2].\n\n[^1]: <{live_web.url('/article')}>\n"
            f"[^2]: <{slow.url('/slow')}>\n",
            encoding="utf-8",
        )
        (tmp_path / "references.yaml").write_text(
            "version: 1\nsource: report.md\nas_of: 2015-10-01\nsettings:\n"
            "  allow_private: true\n  retries: 0\n  timeout: 10\n  no_cache: true\n"
            f"  canaries: ['{live_web.url('/article')}']\n  archives:\n"
            f"    alpha: {{timegate: '{pywb.base}/alpha/', cdx: '{pywb.base}/alpha/cdx', "
            f"cdx_dialect: pywb, per_minute: null, availability: '{availability.url}'}}\n"
            "references: []\n",
            encoding="utf-8",
        )
        source = load_source(tmp_path / "references.yaml")
        outcome = run(source, build_settings(source, {}), today=dt.date(2026, 1, 1))
    finally:
        slow.stop()
    links = outcome.report.links
    article = links[live_web.url("/article")]
    assert article.status is LinkStatus.ALIVE
    assert article.snapshot.datetime == when("2015-09-01T12:00:00")
    assert links[slow.url("/slow")].archive_rules == ("no-archived-copy",)
    # The batch went out before the slow link had answered: the stages overlapped.
    assert availability.posts and availability.posts[0][0] < SlowWeb.answered_at


def test_skipped_links_are_not_looked_up_and_cancel_stops_a_waiting_stage(pywb, availability):
    settings = Settings(timeout=10, retries=0, allow_private=True)
    archive = Archive(
        "alpha",
        f"{pywb.base}/alpha/",
        cdx=f"{pywb.base}/alpha/cdx",
        cdx_dialect="pywb",
        per_minute=1,  # the second request would wait a minute
        availability=availability.url,
    )
    targets = {f"http://site.test/{i}": dt.date(2015, 10, 1) for i in range(4)}
    stage = ArchiveStage(targets, settings, archives=[archive])
    for url in targets:  # verdicts told before the lookups start are kept, not lost
        stage.link_checked(LinkResult(url, LinkStatus.SKIPPED))
    stage.start()
    results = stage.results()
    assert results == {}
    assert len(availability.posts) == 0

    stage = ArchiveStage(targets, settings, archives=[archive]).start()
    deadline = time.monotonic() + 10
    while not availability.posts and time.monotonic() < deadline:
        time.sleep(0.05)
    assert availability.posts  # the batch was sent; the replays now wait for the budget
    started = time.monotonic()
    stage.cancel()
    assert time.monotonic() - started < 5
    assert stage.results() == {}
