"""The appendix made offline after a live `check`: every link shows the last check's result,
failures included; a dead link points to its capture, whose date is the Robust Links
`data-versiondate` (robustlinks.mementoweb.org/spec/: "the datetime of linking, of taking the
snapshot"); the appendix says when the links were checked."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.reporters._common import long_date

ROOT = Path(__file__).resolve().parents[2]
html5lib = pytest.importorskip("html5lib")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def _setup(tmp_path: Path, pywb, live_web) -> Path:
    (tmp_path / "report.md").write_text(
        "Trading grew[^1]; one page is gone[^2], another too[^3].\n\n"
        f"[^1]: Virtual goods report, <{live_web.url('/article')}>\n"
        f"[^2]: Gone page, <{live_web.url('/gone')}>\n"
        f"[^3]: Removed page, <{live_web.url('/removed')}>\n",
        encoding="utf-8",
    )
    path = tmp_path / "references.yaml"
    path.write_text(
        "version: 1\nsource: report.md\nas_of: 2015-10-01\nsettings:\n"
        "  allow_private: true\n  retries: 0\n  timeout: 10\n"
        f"  canaries: ['{live_web.url('/article')}']\n  archives:\n"
        f"    alpha: {{timegate: '{pywb.base}/alpha/', cdx: '{pywb.base}/alpha/cdx', "
        "cdx_dialect: pywb, per_minute: null}\n"
        "references: []\n",
        encoding="utf-8",
    )
    return path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args, "--cache-dir", str(cwd / "cache")],
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_offline_appendix_after_a_live_check(tmp_path, pywb, live_web):
    manifest = _setup(tmp_path, pywb, live_web)
    check = _cli("check", str(manifest), "--format", "json", cwd=tmp_path)
    assert check.returncode == 1, check.stderr  # two dead links

    page = _cli("appendix", str(manifest), "--format", "html", cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    doc = html5lib.HTMLParser(strict=True).parse(page.stdout)
    links = {
        a.get("data-originalurl"): a
        for a in doc.iterfind(".//h:ul[@class='links']/h:li/h:a[1]", NS)
    }
    gone = links[live_web.url("/gone")]
    assert gone.get("href") != live_web.url("/gone")  # the reader is sent to the capture
    assert "20150901120000" in gone.get("href") and gone.get("href") == gone.get("data-versionurl")
    assert gone.get("data-versiondate") == "2015-09-01"  # the capture's date
    verdicts = "".join(
        "".join(v.itertext()) for v in doc.iterfind(".//h:span[@class='verdict']", NS)
    )
    assert "not checked" not in verdicts
    assert "page no longer exists" in verdicts
    article = links[live_web.url("/article")]
    assert article.get("href") == live_web.url("/article")  # live: the original
    assert f"Links checked on {long_date(dt.date.today())}." in page.stdout

    text = _cli("appendix", str(manifest), cwd=tmp_path)
    assert "page no longer exists; no archived copy found" in text.stdout  # /removed

    rows = _cli("appendix", str(manifest), "--format", "csv", cwd=tmp_path).stdout.splitlines()
    assert rows[0].startswith("label,line,kind,duplicate_label,text,url,status")
    assert sum(",dead," in row for row in rows) == 2
