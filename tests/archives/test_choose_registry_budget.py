"""Pure parts: capture order, wayback URLs, the archive registry, budgets, CDX rows."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from citecheck.archives.budget import RateBudget, parse_retry_after
from citecheck.archives.choose import (
    Capture,
    order_captures,
    parse_timestamp14,
    raw_replay_url,
    replay_to_memento,
    same_resource,
)
from citecheck.archives.ia_cdx import captures_from_rows, parse_rows, query_params
from citecheck.archives.registry import ARCHIVES, DEFAULTS, ArchiveConfigError, resolve_archives
from citecheck.archives.target import merge_targets, target_date

UTC = dt.UTC


def cap(archive, day):
    return Capture(
        archive, dt.datetime.fromisoformat(day).replace(tzinfo=UTC), f"u/{archive}/{day}"
    )


def test_order_before_nearest_first_then_after():
    caps = [
        cap("a", "2015-01-01"),
        cap("b", "2015-10-02"),
        cap("a", "2015-09-01"),
        cap("b", "2015-10-01T12:00:00"),
        cap("a", "2016-01-01"),
        cap("a", "2015-09-01"),
    ]
    order = [c.datetime.date().isoformat() for c in order_captures(caps, dt.date(2015, 10, 1))]
    assert order == ["2015-10-01", "2015-09-01", "2015-01-01", "2015-10-02", "2016-01-01"]


def test_wayback_urls():
    assert (
        raw_replay_url("https://web.archive.org/web/20150101000000/http://x.org/a?b=1")
        == "https://web.archive.org/web/20150101000000id_/http://x.org/a?b=1"
    )
    assert raw_replay_url("https://archive.ph/AbCd1") == "https://archive.ph/AbCd1"
    assert (
        replay_to_memento("https://w/web/20150101000000id_/http://x.org/")
        == "https://w/web/20150101000000/http://x.org/"
    )
    assert parse_timestamp14("2015") == dt.datetime(2015, 1, 1, tzinfo=UTC)
    assert parse_timestamp14("20150930") == dt.datetime(2015, 9, 30, tzinfo=UTC)
    assert same_resource("http://www.x.org/a/", "https://x.org/a")
    assert not same_resource("http://x.org/a", "http://x.org/")


def test_registry_defaults_and_overrides():
    assert [a.name for a in resolve_archives(())] == [
        "ia",
        "archive.today",
        "arquivo.pt",
        "ukwa",
        "perma.cc",
    ]
    assert ARCHIVES["ia"].per_minute == 20 and ARCHIVES["ia"].cdx
    assert all(a.timemap and a.timegate.startswith("https://") for a in DEFAULTS)
    [ia] = resolve_archives((("wayback", "https://web.archive.org/web/"),))
    assert ia.name == "wayback" and ia.cdx == ARCHIVES["ia"].cdx and ia.per_minute == 20
    [local] = resolve_archives((("ia", "http://127.0.0.1:8080/coll/"),))
    assert local.cdx is None and local.timemap is None  # a name alone does not borrow IA's API
    [mapped] = resolve_archives(
        (
            (
                "mine",
                {
                    "timegate": "http://h/c/",
                    "cdx": "http://h/c/cdx",
                    "cdx_dialect": "pywb",
                    "per_minute": 5,
                },
            ),
        )
    )
    assert (mapped.cdx_dialect, mapped.per_minute) == ("pywb", 5)
    [frozen] = resolve_archives(
        (("ia", (("timegate", "https://web.archive.org/web/"), ("per_minute", 10))),)
    )
    assert frozen.cdx == ARCHIVES["ia"].cdx and frozen.per_minute == 10
    with pytest.raises(ArchiveConfigError):
        resolve_archives((("bad", "ftp://x/"),))
    with pytest.raises(ArchiveConfigError):
        resolve_archives((("bad", {"cdx": "http://h/"}),))


def test_retry_after_forms():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0) == 60.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_budget_paces_twenty_a_minute_and_gives_up_after_repeated_429():
    now = [0.0]

    async def sleep(seconds):
        now[0] += seconds

    budget = RateBudget(20, clock=lambda: now[0], sleep=sleep)

    async def go():
        stamps = []
        for _ in range(60):
            await budget.acquire()
            stamps.append(now[0])
        return stamps

    stamps = asyncio.run(go())
    assert stamps[19] == 0.0 and stamps[20] == 60.0 and stamps[40] == 120.0
    assert all(sum(1 for s in stamps if t <= s < t + 60) <= 20 for t in stamps)
    budget.rate_limited(500.0)
    assert budget._paused_until == now[0] + 120.0  # capped
    budget.rate_limited(None)
    budget.succeeded()
    assert not budget.exhausted
    for _ in range(3):
        budget.rate_limited(0.0)
    assert budget.exhausted


def test_cdx_rows_in_both_dialects_and_plain():
    ia = (
        '[["timestamp","original","statuscode"],["20150101000000","http://x/","200"],'
        '["20150102000000","http://x/","301"]]'
    )
    pywb = (
        '{"timestamp": "20150101000000", "url": "http://x/", "status": "200"}\n'
        '{"timestamp": "20150103000000", "url": "http://x/", "status": "404"}\n'
    )
    plain = "x)/ 20150101000000 http://x/ text/html 200 ABC 123\n"
    archive = ARCHIVES["ia"]
    for text in (ia, pywb, plain):
        [only] = captures_from_rows(parse_rows(text), archive, "http://x/")
        assert only.url == "https://web.archive.org/web/20150101000000/http://x/"
    assert parse_rows("[]") == [] and parse_rows("") == []
    assert query_params("http://x/", dt.date(2015, 1, 1), "pywb")["filter"] == "=status:200"
    assert "fl" not in query_params("http://x/", dt.date(2015, 1, 1), "pywb")


def test_target_dates():
    d = dt.date
    assert target_date(d(2015, 6, 1), d(2015, 10, 1)) == d(2015, 6, 1)
    assert target_date(None, d(2015, 10, 1), d(2015, 11, 1)) == d(2015, 10, 1)
    assert target_date(None, None, d(2015, 11, 1)) == d(2015, 11, 1)
    assert target_date(None, None, None, today=d(2026, 1, 1)) == d(2026, 1, 1)
    assert merge_targets([("u", d(2015, 9, 1)), ("u", d(2015, 6, 1)), ("v", d(2015, 1, 1))]) == {
        "u": d(2015, 6, 1),
        "v": d(2015, 1, 1),
    }


@pytest.mark.parametrize("prefix", ["ftp://x.example/", "http://[bad/", "https://x:99999/"])
def test_a_malformed_archive_prefix_is_a_config_error(prefix):
    with pytest.raises(ArchiveConfigError, match="is not an http"):
        resolve_archives((("mine", prefix),))
    with pytest.raises(ArchiveConfigError, match="is not an http"):
        resolve_archives((("mine", {"timegate": prefix}),))


def test_a_malformed_redirect_from_an_archive_is_not_followed():
    from citecheck.archives.lookup import _inside_archive

    assert not _inside_archive(
        "http://[broken/web/2015/x", "https://web.archive.org/web/x", "http://x.example/", ()
    )
