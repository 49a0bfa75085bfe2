"""Archive URLs cited as sources, against the real pywb archive of conftest.py (WARCs written
with warcio): the archive must hold a capture at the cited time, and the original URL each
memento wraps is checked like any cited URL. The memento forms of the public archives are
parsed offline (their replay rules: Wayback `TS[flag_]/URL` with partial timestamps;
archive.today, Perma.cc and WebCite short ids)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.archives.cited import parse
from citecheck.archives.held import Held, check_mementos
from citecheck.settings import Settings
from tests.json_schema import loads as schema_loads

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.UTC


@pytest.mark.parametrize(
    ("url", "archive", "original", "start", "end"),
    [
        (
            "https://web.archive.org/web/20150901120000/http://example.org/a",
            "ia",
            "http://example.org/a",
            dt.datetime(2015, 9, 1, 12, tzinfo=UTC),
            dt.datetime(2015, 9, 1, 12, tzinfo=UTC),
        ),
        (
            "http://web.archive.org/web/201509if_/example.org/a?x=1",
            "ia",
            "http://example.org/a?x=1",
            dt.datetime(2015, 9, 1, tzinfo=UTC),
            dt.datetime(2015, 9, 30, 23, 59, 59, tzinfo=UTC),
        ),
        (
            "https://archive.ph/2015.10.01-123456/http://x.org/",
            "archive.today",
            "http://x.org/",
            dt.datetime(2015, 10, 1, 12, 34, 56, tzinfo=UTC),
            dt.datetime(2015, 10, 1, 12, 34, 56, tzinfo=UTC),
        ),
        ("https://archive.today/Ab3dE", "archive.today", None, None, None),
        ("https://perma.cc/AB12-CD34", "perma.cc", None, None, None),
        ("http://www.webcitation.org/5yO7UO8Ie", "webcite", None, None, None),
        (
            "https://wayback.archive-it.org/1234/2015/http://x.org/",
            "archive-it",
            "http://x.org/",
            dt.datetime(2015, 1, 1, tzinfo=UTC),
            dt.datetime(2015, 12, 31, 23, 59, 59, tzinfo=UTC),
        ),
        (
            "https://www.webarchive.org.uk/wayback/archive/20150101/http://x.org/",
            "ukwa",
            "http://x.org/",
            dt.datetime(2015, 1, 1, tzinfo=UTC),
            dt.datetime(2015, 1, 1, 23, 59, 59, tzinfo=UTC),
        ),
        (
            "https://arquivo.pt/wayback/20150101000000im_/http://x.org/i.png",
            "arquivo.pt",
            "http://x.org/i.png",
            dt.datetime(2015, 1, 1, tzinfo=UTC),
            dt.datetime(2015, 1, 1, tzinfo=UTC),
        ),
    ],
)
def test_memento_forms(url, archive, original, start, end):
    memento = parse(url)
    assert memento is not None
    assert (memento.archive.name, memento.original, memento.start, memento.end) == (
        archive,
        original,
        start,
        end,
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://web.archive.org/web/*/example.org",  # a calendar, not a memento
        "https://archive.org/details/texts",
        "https://archive.ph/",
        "https://perma.cc/about",
        "https://example.org/web/20150101/http://x.org/",
    ],
)
def test_not_mementos(url):
    assert parse(url) is None


def test_raw_replay_of_a_wayback_memento():
    memento = parse("https://web.archive.org/web/2015if_/http://x.org/a#sec")
    assert memento is not None
    assert memento.raw_replay() == "https://web.archive.org/web/2015id_/http://x.org/a"


def _settings(pywb) -> Settings:
    return Settings(
        allow_private=True,
        retries=0,
        timeout=10,
        archives=(("alpha", f"{pywb.base}/alpha/"),),
    )


def test_walls_and_not_found_captures_count_as_missing(pywb):
    from citecheck.archives.cited import configured_forms
    from citecheck.archives.registry import resolve_archives

    settings = _settings(pywb)
    forms = configured_forms(resolve_archives(settings.archives))
    urls = {
        "wall": f"{pywb.base}/alpha/20150925100000/http://site.test/wall-only",
        "soft404": f"{pywb.base}/alpha/20150910100000/http://site.test/walled",
        "good": f"{pywb.base}/alpha/20150301100000/http://site.test/walled",
    }
    mementos = {k: parse(u, forms) for k, u in urls.items()}
    checks = check_mementos(mementos, settings)  # type: ignore[arg-type]
    assert checks["wall"].state is Held.MISSING and "bot wall" in checks["wall"].detail
    assert checks["soft404"].state is Held.MISSING and "not found" in checks["soft404"].detail
    assert checks["good"].state is Held.HELD
    assert checks["good"].captured == dt.datetime(2015, 3, 1, 10, tzinfo=UTC)


def _report(tmp_path: Path, pywb, live_web) -> Path:
    alpha = f"{pywb.base}/alpha"
    (tmp_path / "report.md").write_text(
        "Held[^1], held but gone[^2], never captured[^3], captured years later[^4].\n\n"
        f"[^1]: Report, <{alpha}/20150901120000/{live_web.url('/article')}>\n"
        f"[^2]: Gone page, archived: <{alpha}/20150901/{live_web.url('/gone')}>\n"
        f"[^3]: Never archived, <{alpha}/20150901/{live_web.url('/never-captured')}>\n"
        f"[^4]: Cited as of 2012, <{alpha}/2012/{live_web.url('/article')}>\n",
        encoding="utf-8",
    )
    path = tmp_path / "references.yaml"
    path.write_text(
        "version: 1\nsource: report.md\nas_of: 2015-10-01\nsettings:\n"
        f"  allow_private: true\n  retries: 0\n  timeout: 10\n"
        f"  canaries: ['{live_web.url('/article')}']\n  archives:\n"
        f"    alpha: {{timegate: '{alpha}/', cdx: '{alpha}/cdx', cdx_dialect: pywb, "
        "per_minute: null}\nreferences: []\n",
        encoding="utf-8",
    )
    return path


def _check(tmp_path: Path, manifest: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            str(manifest),
            *extra,
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_cited_mementos_end_to_end(tmp_path, pywb, live_web):
    manifest = _report(tmp_path, pywb, live_web)
    run = _check(tmp_path, manifest, "--format", "json")
    assert run.returncode == 1, run.stderr
    data = schema_loads(run.stdout)
    found = sorted(
        (f["label"], f["rule"], f["severity"], f["url"].rsplit("/", 1)[1])
        for f in data["findings"]
        if f["rule"] != "insecure-link"
    )
    assert found == [
        ("2", "dead-link", "note", "gone"),  # the original is gone, its copy held
        ("3", "archived-copy-missing", "error", "never-captured"),
        ("3", "dead-link", "error", "never-captured"),
        ("3", "no-archived-copy", "warning", "never-captured"),  # looked up: none either
        ("4", "archived-copy-missing", "error", "article"),
    ]
    notes = {n["label"]: n["links"] for n in data["notes"]}
    # both the memento and the original it wraps are shown
    assert [(link["status"], link["url"].startswith(pywb.base)) for link in notes["1"]] == [
        ("alive", True),
        ("alive", False),
    ]
    assert notes["1"][1]["snapshot"]["url"] == notes["1"][0]["url"]  # the cited capture
    assert notes["2"][1]["status"] == "dead"
    message = next(f["message"] for f in data["findings"] if f["label"] == "4")
    assert "2015-09-01" in message and "2012" in message
    # the appendix shows both the cited copy and the original it wraps
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    appendix = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "appendix",
            str(manifest),
            "--format",
            "markdown",
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert appendix.returncode == 0, appendix.stderr
    assert notes["2"][0]["url"] in appendix.stdout and notes["2"][1]["url"] in appendix.stdout
    # offline, from the cache: the same verdicts on the mementos
    again = schema_loads(_check(tmp_path, manifest, "--format", "json", "--offline").stdout)
    assert {(f["label"], f["rule"]) for f in again["findings"]} >= {
        ("3", "archived-copy-missing"),
        ("4", "archived-copy-missing"),
    }


def test_archive_does_not_capture_a_cited_copy_again(tmp_path, pywb, live_web):
    manifest = _report(tmp_path, pywb, live_web)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    dry = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "archive",
            str(manifest),
            "--dry-run",
            "--endpoint",
            f"{pywb.base}/rec/record/",
            "--cache-dir",
            str(tmp_path / "c"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert dry.returncode == 0, dry.stderr
    # every URL the report cites is an archived copy: none is sent to be captured again
    assert f"{pywb.base}/alpha/" not in dry.stdout
    assert dry.stdout.startswith("0 live URLs"), dry.stdout
