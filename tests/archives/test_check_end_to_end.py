"""`citecheck check` and `citecheck archive` end to end: a report citing the loopback web,
archives served by the real pywb, through the CLI and references.yaml settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.json_schema import loads as schema_loads

ROOT = Path(__file__).resolve().parents[2]


def _manifest(tmp_path: Path, pywb, live_web, collections=("alpha", "beta")) -> Path:
    """A report citing three live-web pages and a references.yaml pointing at the pywb
    collections (CDX, pywb dialect) with the live web itself as network canary."""
    (tmp_path / "report.md").write_text(
        "Trading grew[^1], then changed[^2]; one page is gone[^3].\n\n"
        f"[^1]: Virtual goods report, <{live_web.url('/article')}>\n"
        f"[^2]: Changed page, <{live_web.url('/changed')}>\n"
        f"[^3]: Removed page, <{live_web.url('/removed')}>\n",
        encoding="utf-8",
    )
    archives = "".join(
        f"    {name}: {{timegate: '{pywb.base}/{name}/', cdx: '{pywb.base}/{name}/cdx', "
        f"cdx_dialect: pywb, per_minute: null}}\n"
        for name in collections
    )
    path = tmp_path / "references.yaml"
    path.write_text(
        "version: 1\nsource: report.md\nas_of: 2015-10-01\nsettings:\n"
        f"  allow_private: true\n  retries: 0\n  timeout: 10\n"
        f"  canaries: ['{live_web.url('/article')}']\n  archives:\n{archives}"
        "references: []\n",
        encoding="utf-8",
    )
    return path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_check_json_gives_every_link_its_snapshot_nearest_the_date(tmp_path, pywb, live_web):
    manifest = _manifest(tmp_path, pywb, live_web)
    run = _cli(
        "check",
        str(manifest),
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path / "cache"),
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stderr  # the removed page is a dead link (error)
    data = schema_loads(run.stdout)
    links = {
        link["url"].rsplit("/", 1)[1]: link for note in data["notes"] for link in note["links"]
    }
    assert {k: v["status"] for k, v in links.items()} == {
        "article": "alive",
        "changed": "alive",
        "removed": "dead",
    }
    for name in ("article", "changed"):
        snapshot = links[name]["snapshot"]
        assert snapshot["archive"] == "alpha"
        assert snapshot["datetime"] == "2015-09-01T12:00:00Z"
    assert links["removed"]["snapshot"] is None
    by_rule = {(f["rule"], f["label"]) for f in data["findings"]}
    assert ("dead-link", "3") in by_rule
    assert ("no-archived-copy", "3") in by_rule  # a null snapshot comes with its reason
    assert ("content-drift", "2") in by_rule
    assert ("content-drift", "1") not in by_rule
    assert links["article"]["drift"] == 1.0 and links["changed"]["drift"] < 0.5


def test_second_run_comes_from_the_cache(tmp_path, pywb, live_web):
    manifest = _manifest(tmp_path, pywb, live_web)
    args = ("check", str(manifest), "--format", "json", "--cache-dir", str(tmp_path / "c"))
    first = schema_loads(_cli(*args, cwd=tmp_path).stdout)
    second = schema_loads(_cli(*args, "--offline", cwd=tmp_path).stdout)
    alive = [
        link for note in second["notes"] for link in note["links"] if link["status"] == "alive"
    ]
    assert len(alive) == 2 and all(link["from_cache"] for link in alive)
    assert [f["rule"] for f in second["findings"] if f["rule"] != "dead-link"] == [
        f["rule"] for f in first["findings"] if f["rule"] != "dead-link"
    ]


def test_archive_command_captures_into_pywb_recorder_and_updates_manifest(tmp_path, pywb, live_web):
    manifest = _manifest(tmp_path, pywb, live_web, collections=("rec",))
    text = manifest.read_text(encoding="utf-8").replace(
        "references: []\n",
        'references:\n  - label: "1"\n    text: fresh page\n'
        f"    urls: ['{live_web.url('/fresh')}']\n    reason: kept by the editor  # mine\n",
    )
    manifest.write_text(text.replace("source: report.md\n", ""), encoding="utf-8")
    dry = _cli(
        "archive",
        str(manifest),
        "--endpoint",
        f"{pywb.base}/rec/record/",
        "--dry-run",
        "--cache-dir",
        str(tmp_path / "c"),
        cwd=tmp_path,
    )
    assert dry.returncode == 0, dry.stderr
    assert "planned" in dry.stdout and "/fresh" in dry.stdout

    run = _cli(
        "archive",
        str(manifest),
        "--endpoint",
        f"{pywb.base}/rec/record/",
        "--update",
        "--cache-dir",
        str(tmp_path / "c"),
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "captured" in run.stdout
    updated = manifest.read_text(encoding="utf-8")
    assert f"archived_url: {pywb.base}/rec/" in updated
    assert "archived_at: " in updated
    assert "reason: kept by the editor  # mine" in updated  # the human's field and comment
