"""What a new user meets at the command line: help once, flags that are flags, errors that
say what to do, the manifest a report belongs to, --exclude/--include, the VGT triage."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.json_schema import loads as schema_loads

ROOT = Path(__file__).resolve().parents[1]
VGT = ROOT / "reports" / "vgt-environmental-scan-2015.txt"


def _run(*args: str, cwd: Path, columns: int | None = None) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if columns:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.fixture
def vgt_dir(tmp_path) -> Path:
    (tmp_path / "reports").mkdir()
    shutil.copy(VGT, tmp_path / "reports" / VGT.name)
    shutil.copy(ROOT / "references.yaml", tmp_path / "references.yaml")
    return tmp_path


def test_no_arguments_prints_the_help_once(tmp_path):
    done = _run(cwd=tmp_path)
    assert (done.stdout + done.stderr).count("Usage:") == 1
    assert done.returncode == 2


def test_boolean_options_are_flags_in_the_help(tmp_path):
    text = _run("check", "--help", cwd=tmp_path, columns=120).stdout
    line = next(x for x in text.splitlines() if "--offline" in x)
    assert "<bool>" not in line


def test_a_value_after_a_flag_says_flags_take_none(tmp_path):
    done = _run("check", "--offline", "true", cwd=tmp_path)
    assert done.returncode == 2 and "take no value" in done.stderr


def test_archive_bad_endpoint_and_negative_max_age_are_usage_errors(tmp_path):
    report = tmp_path / "r.md"
    report.write_text("A claim[^1].\n\n[^1]: <https://example.org/a>\n", encoding="utf-8")
    bad = _run("archive", str(report), "--endpoint", "garbage", "--dry-run", cwd=tmp_path)
    assert bad.returncode == 2 and "--endpoint" in bad.stderr and "http" in bad.stderr
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    age = _run("archive", str(report), "--max-age", "-5", "--dry-run", cwd=tmp_path)
    assert age.returncode == 2 and "--max-age" in age.stderr


def test_missing_source_report_is_one_warning_line(vgt_dir):
    (vgt_dir / "reports" / VGT.name).unlink()
    done = _run("check", "--offline", "--cache-dir", str(vgt_dir / "c"), cwd=vgt_dir)
    warnings = [x for x in done.stderr.splitlines() if "is missing" in x]
    assert len(warnings) == 1
    assert "reports/vgt-environmental-scan-2015.txt" in warnings[0]
    assert "manifest" in warnings[0]


def test_a_report_with_its_manifest_beside_uses_its_settings_and_waivers(tmp_path):
    (tmp_path / "report.md").write_text(
        "A claim[^1].\n\n[^1]: Home page only, <https://example.org/>\n", encoding="utf-8"
    )
    (tmp_path / "references.yaml").write_text(
        "version: 1\nsource: report.md\nsettings: {fail_on: warning}\nreferences:\n"
        '  - label: "1"\n    urls: ["https://example.org/"]\n'
        "    accept: [homepage-only]\n    reason: the site has no deep links\n",
        encoding="utf-8",
    )
    args = ("check", "report.md", "--offline", "--format", "json")
    done = _run(*args, "--cache-dir", str(tmp_path / "c"), cwd=tmp_path)
    assert "using the settings and waivers of references.yaml" in done.stderr
    data = schema_loads(done.stdout)
    home = next(f for f in data["findings"] if f["rule"] == "homepage-only")
    assert home["accepted"] and home["reason"] == "the site has no deep links"
    # A manifest for another report is not used.
    (tmp_path / "other.md").write_text("B[^1].\n\n[^1]: <https://example.org/>\n", "utf-8")
    other = _run("check", "other.md", "--offline", "--cache-dir", str(tmp_path / "c"), cwd=tmp_path)
    assert "using the settings" not in other.stderr


def test_excluded_links_are_skipped_with_the_reason(tmp_path):
    (tmp_path / "report.md").write_text(
        "A[^1] and B[^2].\n\n[^1]: <https://intranet.example/a>\n"
        "[^2]: <https://intranet.example/public/b>\n",
        encoding="utf-8",
    )
    done = _run(
        "check", "report.md", "--offline", "--format", "json",
        "--exclude", "intranet\\.example", "--include", "/public/",
        "--cache-dir", str(tmp_path / "c"), cwd=tmp_path,
    )  # fmt: skip
    links = {
        link["url"]: link for note in schema_loads(done.stdout)["notes"] for link in note["links"]
    }
    skipped = links["https://intranet.example/a"]
    assert skipped["status"] == "skipped" and "--exclude" in skipped["detail"]
    assert links["https://intranet.example/public/b"]["status"] == "unchecked"  # include wins
    bad = _run("check", "report.md", "--offline", "--exclude", "(", cwd=tmp_path)
    assert bad.returncode == 2 and "--exclude" in bad.stderr


def test_exclude_in_the_manifest_settings(tmp_path):
    (tmp_path / "report.md").write_text("A[^1].\n\n[^1]: <https://x.example/a>\n", "utf-8")
    (tmp_path / "references.yaml").write_text(
        "version: 1\nsource: report.md\nsettings: {exclude: ['x\\.example']}\nreferences: []\n",
        encoding="utf-8",
    )
    done = _run("check", "--offline", "--format", "json", "--cache-dir", "c", cwd=tmp_path)
    (link,) = schema_loads(done.stdout)["notes"][0]["links"]
    assert link["status"] == "skipped"


def test_one_stray_marker_breaks_the_sequence_once(tmp_path):
    text = VGT.read_text(encoding="utf-8")
    import re

    sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    first = re.search(f"(?<![{sup}])⁸(?![{sup}])", text).start()  # note 8's call-out
    (tmp_path / "r.txt").write_text(text[: first + 1] + " stray⁹⁹" + text[first + 1 :], "utf-8")
    done = _run("check", "r.txt", "--offline", "--format", "json", "--cache-dir", "c", cwd=tmp_path)
    found = [f for f in schema_loads(done.stdout)["findings"] if f["rule"] == "out-of-sequence"]
    assert len(found) == 1
    assert found[0]["label"] == "99"
    assert (
        "after marker 8" in found[0]["message"] and "resumes with marker 9" in found[0]["message"]
    )


def test_vgt_table_is_triage_first_at_80_and_160_columns(vgt_dir):
    for columns in (80, 160):
        done = _run(
            "check", f"reports/{VGT.name}", "--offline", "--cache-dir", "c",
            cwd=vgt_dir, columns=columns,
        )  # fmt: skip
        lines = done.stdout.splitlines()
        assert all(len(line) <= columns for line in lines)
        assert lines[2].startswith("Errors (2)")
        screen = "\n".join(lines[:24])  # the first screen names both errors
        assert "marker-without-note  marker 63" in screen and "duplicate-note  note 64" in screen
        assert "unverified-by-report  note 37" in done.stdout
        assert len(lines) < 100  # 316 before: many-note rules are one line each
        tail = "\n".join(lines[-4:])
        assert "Failing: 2 at or above error" in tail and "marker 63, line 494" in tail
    quiet = _run("check", f"reports/{VGT.name}", "-q", "--offline", "--cache-dir", "c", cwd=vgt_dir)
    assert "Warnings" not in quiet.stdout and "Errors (2)" in quiet.stdout
    verbose = _run(
        "check", f"reports/{VGT.name}", "--verbose", "--offline", "--cache-dir", "c", cwd=vgt_dir
    )
    assert verbose.stdout.count("homepage-only  note") >= 50
    assert "--verbose lists each" not in verbose.stdout
