"""Issue 5's acceptance through the command line: SARIF of the VGT report valid and stable,
the HTML appendix of the VGT manifest, baselines, waivers that lapse, and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.json_schema import loads as schema_loads

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "reports" / "vgt-environmental-scan-2015.txt"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
html5lib = pytest.importorskip("html5lib")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cache = ["--cache-dir", str(cwd / "cache")] if args[0] != "extract" else []
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args, *cache],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def workdir(tmp_path) -> Path:
    (tmp_path / "reports").mkdir()
    shutil.copy(REPORT, tmp_path / "reports" / REPORT.name)
    return tmp_path


def _fingerprints(log: dict) -> list[str]:
    return [r["partialFingerprints"]["citecheck/v1"] for r in log["runs"][0]["results"]]


def test_sarif_of_the_vgt_report_is_valid_and_stable(workdir):
    runs = [
        _cli("check", f"reports/{REPORT.name}", "--offline", "--format", "sarif", cwd=workdir)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [1, 1]
    logs = [json.loads(r.stdout) for r in runs]
    jsonschema.Draft4Validator(SCHEMA).validate(logs[0])
    assert _fingerprints(logs[0]) == _fingerprints(logs[1])
    assert len(set(_fingerprints(logs[0]))) == len(logs[0]["runs"][0]["results"])
    uri = logs[0]["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"
    ]
    assert uri == f"reports/{REPORT.name}"


def _manifest(workdir: Path, extra: str = "") -> Path:
    run = _cli("extract", f"reports/{REPORT.name}", "--as-of", "2015-10-01", cwd=workdir)
    assert run.returncode == 0, run.stderr
    path = workdir / "references.yaml"
    if extra:
        text = path.read_text(encoding="utf-8")
        head, sep, tail = text.partition('  - label: "37"\n')
        block, rest = tail.split("  - label:", 1)
        path.write_text(head + sep + block + extra + "  - label:" + rest, encoding="utf-8")
    return path


def test_appendix_html_of_the_vgt_manifest(workdir):
    memento = "https://web.archive.org/web/20150930030405/http://www.dailydot.com/"
    _manifest(workdir, f"    archived_url: {memento}\n    archived_at: 2015-09-30T03:04:05Z\n")
    run = _cli(
        "appendix", "references.yaml", "--format", "html", "-o", "appendix.html", cwd=workdir
    )
    assert run.returncode == 0, run.stderr
    doc = html5lib.HTMLParser(strict=True).parse((workdir / "appendix.html").read_text("utf-8"))
    path = ".//h:ol[@class='references']/h:li/h:p/h:span[@class='label']"
    labels = [s.text for s in doc.iterfind(path, NS)]
    assert len(labels) == 77
    assert labels[:3] == ["1.", "2.", "3."] and labels.count("64.") == 2
    decorated = doc.findall(".//h:a[@data-versionurl]", NS)
    assert [a.get("data-originalurl") for a in decorated] == ["http://www.dailydot.com"]
    assert decorated[0].get("data-versionurl") == memento
    assert decorated[0].get("data-versiondate") == "2015-09-30"  # the capture's date


def test_baseline_passes_old_findings_and_fails_new_ones(workdir):
    source = f"reports/{REPORT.name}"
    saved = _cli("check", source, "--offline", "--format", "json", "-o", "base.json", cwd=workdir)
    assert saved.returncode == 1
    again = _cli("check", source, "--offline", "--baseline", "base.json", cwd=workdir)
    assert again.returncode == 0, again.stdout
    report = workdir / source
    report.write_text(
        report.read_text("utf-8").replace("Dailydot³⁷", "Dailydot³⁷ and an uncited claim⁹⁹"),
        encoding="utf-8",
    )
    new = _cli("check", source, "--offline", "--baseline", "base.json", "-f", "json", cwd=workdir)
    assert new.returncode == 1
    failing = [
        f
        for f in schema_loads(new.stdout)["findings"]
        if f["severity"] == "error" and not f["accepted"]
    ]
    assert [(f["rule"], f["label"]) for f in failing] == [("marker-without-note", "99")]


@pytest.mark.parametrize("until, code", [("2999-12-31", 0), ("2020-01-01", 1)])
def test_waiver_holds_until_it_lapses(workdir, until, code):
    waived = "    accept: ['*']\n    reason: reviewed\n    accept_until: " + until + "\n"
    path = _manifest(workdir)
    text = path.read_text(encoding="utf-8")
    for label in ("63", "64"):  # every error of the report is on these notes or markers
        text = text.replace(f'  - label: "{label}"\n', f'  - label: "{label}"\n{waived}')
    path.write_text(text, encoding="utf-8")
    run = _cli(
        "check",
        "references.yaml",
        "--offline",
        "--severity",
        "marker-without-note=warning",
        cwd=workdir,
    )
    assert run.returncode == code, run.stdout
    if code:
        assert "waiver for note 64 lapsed on 2020-01-01" in run.stderr


def test_fail_on_and_exit_codes(workdir):
    source = f"reports/{REPORT.name}"
    assert _cli("check", source, "--offline", cwd=workdir).returncode == 1
    assert _cli("check", source, "--offline", "--fail-on", "never", cwd=workdir).returncode == 0
    bad = _cli("check", source, "--offline", "--severity", "no-such-rule=note", cwd=workdir)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "no-such-rule" in bad.stderr


def test_github_format_appends_the_job_summary(workdir):
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "GITHUB_STEP_SUMMARY": str(workdir / "summary.md"),
    }
    (workdir / "summary.md").write_text("earlier step\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            f"reports/{REPORT.name}",
            "--offline",
            "--format",
            "github",
            "--cache-dir",
            str(workdir / "c"),
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stdout.startswith("::")
    assert "::error file=reports/vgt-environmental-scan-2015.txt,line=494," in run.stdout
    summary = (workdir / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("earlier step\n") and "## citecheck:" in summary


def test_summary_option_appends_markdown_next_to_sarif(workdir):
    run = _cli(
        "check",
        f"reports/{REPORT.name}",
        "--offline",
        "--format",
        "sarif",
        "-o",
        "out.sarif",
        "--summary",
        "summary.md",
        cwd=workdir,
    )
    assert run.returncode == 1 and run.stdout == ""
    assert json.loads((workdir / "out.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert "**Result: failing**" in (workdir / "summary.md").read_text("utf-8")
