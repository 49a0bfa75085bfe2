"""A warm `check` fetches the last run's failures again from start-up, before the report is
read, and ends with the verdicts and output a run without that head start gives."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citecheck import commands
from citecheck.checkers import early
from citecheck.cli import app

HOST_LIVE, HOST_DEAD = "127.0.0.2", "127.0.0.4"


@pytest.fixture
def backend(request, monkeypatch):
    """The early fetch in a forked child, or in a thread (where fork is unsafe)."""
    monkeypatch.setattr(early, "IN_CHILD", request.param == "child")
    # the suite's web servers are threads of this process: fork anyway (they are not touched)
    monkeypatch.setattr(early, "_alone", lambda: True)
    return request.param


both = pytest.mark.parametrize("backend", ["child", "thread"], indirect=True)


def _write(tmp_path: Path, notes: list[str]) -> None:
    body = "".join(f"Claim {i}.[^{i}]\n\n" for i in range(1, len(notes) + 1))
    defs = "".join(f"[^{i}]: {text}\n" for i, text in enumerate(notes, 1))
    (tmp_path / "r.md").write_text(body + defs, encoding="utf-8")
    (tmp_path / "references.yaml").write_text(
        "version: 1\nsource: r.md\nsettings: {canaries: [], retries: 0, timeout: 3}\n"
        "references: []\n",
        encoding="utf-8",
    )


def _check(tmp_path: Path, cache: str = "cache", *extra: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "check",
            str(tmp_path / "references.yaml"),
            "-f",
            "json",
            "--cache-dir",
            str(tmp_path / cache),
            "--no-archive",
            "--allow-network",
            "127.0.0.0/8",
            *extra,
        ],
    )
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def _statuses(text: str) -> dict[str, str]:
    return {
        link["url"]: link["status"] for note in json.loads(text)["notes"] for link in note["links"]
    }


def _notes(local_web, tag: str) -> tuple[list[str], str]:
    live = [local_web.url(HOST_LIVE, f"/ok?early={tag}{i}") for i in range(3)]
    dead = local_web.url(HOST_DEAD, f"/gone404?early={tag}")
    return [f"Source {i}, <{u}>." for i, u in enumerate(live)] + [f"Gone, <{dead}>."], dead


def _loopback_settings(tmp_path: Path):
    from citecheck.settings import Settings

    return Settings(
        timeout=3.0,
        retries=0,
        canaries=(),
        allow_networks=("127.0.0.0/8",),
        cache_dir=tmp_path / "cache",
    )


def _requests(local_web, path: str) -> int:
    return local_web.count(HOST_DEAD, path)


@both
def test_the_last_failures_are_asked_for_before_the_report_is_read(
    local_web, tmp_path, monkeypatch, backend
):
    notes, dead = _notes(local_web, "a")
    _write(tmp_path, notes)
    first = _check(tmp_path)
    assert _statuses(first)[dead] == "dead"
    before = _requests(local_web, "/gone404")
    seen_while_reading = []
    real_read = commands.read_source

    def read_source(*args, **kwargs):
        deadline = time.monotonic() + 3
        while _requests(local_web, "/gone404") == before and time.monotonic() < deadline:
            time.sleep(0.01)  # the request arrives while the report is not read yet
        seen_while_reading.append(_requests(local_web, "/gone404") - before)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(commands, "read_source", read_source)
    second = _check(tmp_path)
    assert seen_while_reading == [1]
    assert _requests(local_web, "/gone404") == before + 1  # once: not again when its turn came
    assert _statuses(second) == _statuses(first)


@both
def test_the_run_is_what_it_is_without_the_head_start(local_web, tmp_path, backend):
    """Same output with the remembered failures and with them forgotten, also when the
    report changed: a failure it no longer cites is not reported, new URLs are checked."""
    notes, dead = _notes(local_web, "b")
    _write(tmp_path, notes)
    _check(tmp_path)
    new_dead = local_web.url(HOST_DEAD, "/gone410?early=b")
    fresh = local_web.url(HOST_LIVE, "/page?early=b")
    _write(tmp_path, [*notes[:3], f"Other, <{new_dead}>.", f"Fresh, <{fresh}>."])
    shutil.copytree(tmp_path / "cache", tmp_path / "forgot")
    with sqlite3.connect(tmp_path / "forgot" / "cache.sqlite3") as db:
        assert db.execute("DELETE FROM entries WHERE kind='refetch'").rowcount == 1
    asked = _requests(local_web, "/gone410")
    with_head_start = _check(tmp_path)
    without = _check(tmp_path, "forgot")
    assert with_head_start == without
    got = _statuses(with_head_start)
    assert dead not in got and got[new_dead] == "dead"
    assert _requests(local_web, "/gone410") == asked + 2  # once in each run


@both
def test_a_failure_now_excluded_is_not_fetched(local_web, tmp_path, backend):
    notes, dead = _notes(local_web, "c")
    _write(tmp_path, notes)
    _check(tmp_path)
    before = _requests(local_web, "/gone404")
    got = _statuses(_check(tmp_path, "cache", "--exclude", "gone404"))
    assert got[dead] == "skipped"
    assert _requests(local_web, "/gone404") == before


@both
def test_a_failure_cited_now_with_a_title_is_fetched_for_it(local_web, tmp_path, backend):
    """The early fetch asked for the page without keeping its titles (the last run did not
    want them); the run wants them now, so it asks again."""
    url = local_web.url(HOST_DEAD, f"/flaky503/early-{backend}")
    _write(tmp_path, [f"Page, <{url}>."])
    assert _statuses(_check(tmp_path))[url] != "alive"  # 503 the first time
    _write(tmp_path, [f"Smith, “A Recovered Page Title”, <{url}>."])
    got = _check(tmp_path)
    assert _statuses(got)[url] == "alive"
    assert _requests(local_web, f"/flaky503/early-{backend}") == 3  # first run, early, again
    with sqlite3.connect(tmp_path / "cache" / "cache.sqlite3") as db:
        [(stored,)] = db.execute("SELECT value FROM entries WHERE kind='link' AND key=?", (url,))
    assert json.loads(stored)["extra"]["titles"] == ["Recovered"]  # what the rule judges


@both
@pytest.mark.parametrize("flag", ["--offline", "--no-cache"])
def test_no_head_start_without_a_cache_or_a_network(local_web, tmp_path, flag, backend):
    notes, _ = _notes(local_web, "e" + flag)
    _write(tmp_path, notes)
    _check(tmp_path)
    before = _requests(local_web, "/gone404")
    seen = []
    real = commands.read_source

    def read_source(*args, **kwargs):
        time.sleep(0.3)
        seen.append(_requests(local_web, "/gone404") - before)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commands, "read_source", read_source)
        _check(tmp_path, "cache", flag)
    assert seen == [0]


@both
def test_a_run_that_fails_before_its_links_stops_the_head_start(
    local_web, tmp_path, monkeypatch, backend
):
    from citecheck.errors import InputError

    notes, _ = _notes(local_web, "f")
    _write(tmp_path, notes)
    _check(tmp_path)

    def read_source(*args, **kwargs):
        raise InputError("unreadable now", "r.md")

    monkeypatch.setattr(commands, "read_source", read_source)
    started = time.monotonic()
    result = CliRunner().invoke(
        app, ["check", str(tmp_path / "references.yaml"), "--cache-dir", str(tmp_path / "cache")]
    )
    assert result.exit_code == 2 and "unreadable now" in result.stderr
    assert time.monotonic() - started < 3  # the fetch was stopped, not waited for


@pytest.mark.parametrize("backend", ["child"], indirect=True)
def test_a_lost_child_costs_time_not_verdicts(local_web, tmp_path, monkeypatch, backend):
    notes, _ = _notes(local_web, "g")
    _write(tmp_path, notes)
    first = _statuses(_check(tmp_path))

    def dies(urls, wants, settings, conn):
        conn.send(("started",))
        os._exit(1)  # killed before it sent a verdict

    monkeypatch.setattr(early, "_child", dies)
    before = _requests(local_web, "/gone404")
    assert _statuses(_check(tmp_path)) == first
    assert _requests(local_web, "/gone404") == before + 1  # checked by the run itself


@both
def test_each_wanted_verdict_is_told_once(local_web, tmp_path, backend):
    """The run's `on_result` (the archive stage starts on it) hears of every URL it wants
    once, those done before it took the fetch over too, and of no other."""
    from citecheck.checkers.extras import PageWants
    from citecheck.models import LinkResult

    early_urls = [local_web.url(HOST_DEAD, f"/gone404?told={backend}{i}") for i in range(3)]
    added = local_web.url(HOST_LIVE, f"/ok?told={backend}")
    settings = _loopback_settings(tmp_path)
    fetch = early.EarlyFetch(early_urls, PageWants(), settings)
    time.sleep(0.3)  # some verdicts are made before the run takes over
    told: list[LinkResult] = []
    wanted = [*early_urls[:2], added]
    fetch.attach(wanted, PageWants(), told.append, None)
    results, down = fetch.result()
    fetch.stop()
    assert not down
    assert sorted(r.url for r in told) == sorted(wanted)
    assert {u: results[u].status.value for u in wanted} == {
        early_urls[0]: "dead",
        early_urls[1]: "dead",
        added: "alive",
    }


def test_a_process_with_other_threads_fetches_in_a_thread(monkeypatch, tmp_path):
    """A program that runs `check` beside threads of its own does not fork."""
    import threading

    from citecheck.checkers.extras import PageWants
    from citecheck.settings import Settings

    made = []
    monkeypatch.setattr(early, "IN_CHILD", True)
    monkeypatch.setattr(early, "_child_job", lambda *a: made.append(a))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, args=(5,))
    other.start()
    try:
        settings = Settings(canaries=(), cache_dir=tmp_path)
        fetch = early.EarlyFetch(["http://127.0.0.1:9/x"], PageWants(), settings)
        fetch.stop()
    finally:
        stop.set()
        other.join()
    assert made == [] and isinstance(fetch._job, early._InThread)


@both
def test_the_progress_bar_counts_the_wanted_urls_once(local_web, tmp_path, backend):
    """On a terminal the run's progress bar, handed over with the rest, is told of every URL
    the run wants that was not done yet, and of nothing else."""
    from citecheck.checkers.extras import PageWants

    class Bar:
        def __init__(self):
            self.total, self.done_hosts = 0, []

        def start(self, per_host):
            self.total = sum(per_host.values())  # the thread's checker starts it again: fine

        def done(self, host, queued):
            assert self.total, "told of a result before it was started"
            self.done_hosts.append(host)

    early_urls = [local_web.url(HOST_DEAD, f"/gone404?bar={backend}{i}") for i in range(2)]
    added = [local_web.url(HOST_LIVE, f"/ok?bar={backend}{i}") for i in range(3)]
    settings = _loopback_settings(tmp_path)
    bar = Bar()
    fetch = early.EarlyFetch(early_urls, PageWants(), settings)
    fetch.attach([*early_urls, *added], PageWants(), None, bar)  # type: ignore[arg-type]
    fetch.result()
    fetch.stop()
    assert bar.total >= len(added)  # at least the ones it adds (the early ones may be done)
    assert bar.done_hosts.count(HOST_LIVE) == len(added)
    assert len(bar.done_hosts) == bar.total
