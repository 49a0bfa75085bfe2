"""Archive facts onto LinkResults."""

from __future__ import annotations

import datetime as dt

from citecheck.archives import ArchiveResult
from citecheck.archives.apply import with_archive
from citecheck.checkers.drift import text_fingerprint
from citecheck.models import LinkResult, LinkStatus, Snapshot

SNAP = Snapshot(
    "ia",
    "https://web.archive.org/web/20150801000000/http://x/",
    dt.datetime(2015, 8, 1, tzinfo=dt.UTC),
)


def test_live_page_gets_snapshot_and_drift():
    live = LinkResult(
        "http://x/",
        LinkStatus.ALIVE,
        extra={"fingerprint": text_fingerprint("totally new words on this page now")},
    )
    result = ArchiveResult(
        SNAP, (), None, text_fingerprint("the original article text as cited then")
    )
    out = with_archive(live, result)
    assert out.snapshot == SNAP and out.archive_rules == ()
    assert out.drift is not None and out.drift < 0.3
    same = with_archive(live, ArchiveResult(SNAP, (), None, live.extra["fingerprint"]))
    assert same.drift == 1.0


def test_dead_link_gets_snapshot_but_no_drift_and_rules_travel():
    dead = LinkResult("http://x/", LinkStatus.DEAD)
    out = with_archive(
        dead, ArchiveResult(SNAP, ("archived-only-after",), "after", {"digest": "d"})
    )
    assert out.drift is None and out.snapshot == SNAP
    assert out.archive_rules == ("archived-only-after",) and out.extra["archive_detail"] == "after"
    none = with_archive(dead, ArchiveResult(None, ("no-archived-copy",), "none"))
    assert none.snapshot is None and none.archive_rules == ("no-archived-copy",)
