"""Where `citecheck check`/`extract` read reports from: standard input (`-`, `/dev/stdin`, a
pipe, its format told by its content) and several reports or globs in one run, each with its
own findings. The real console entry point in a subprocess, offline, with its own cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"


def citecheck(tmp_path: Path, *args: str, stdin: bytes | None = None, shell: str | None = None):
    """Run the CLI in `tmp_path` (check runs offline with a cache there)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = list(args)
    if argv and argv[0] == "check":
        argv += ["--offline", "--cache-dir", str(tmp_path / "cache")]
    command: list[str] | str = [sys.executable, "-m", "citecheck", *argv]
    if shell is not None:  # a real pipe or redirect, as a user's shell makes it
        command = shell.replace("CITECHECK", f"{sys.executable} -m citecheck {' '.join(argv)}")
    return subprocess.run(
        command,
        input=stdin,
        env=env,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
        shell=shell is not None,
    )


def findings(json_text: bytes) -> list[tuple[str, str | None]]:
    return sorted((f["rule"], f.get("label")) for f in json.loads(json_text)["findings"])


def test_dash_reads_standard_input_whole_and_finds_what_the_file_gives(tmp_path):
    report = (DATA / "pages.md").read_bytes()
    (tmp_path / "pages.md").write_bytes(report)
    from_file = citecheck(tmp_path, "check", "pages.md", "-f", "json")
    from_stdin = citecheck(tmp_path, "check", "-", "-f", "json", stdin=report)
    assert from_stdin.returncode == from_file.returncode, from_stdin.stderr
    assert json.loads(from_stdin.stdout)["source"] == "<stdin>"
    assert findings(from_stdin.stdout) == findings(from_file.stdout) != []


def test_dev_stdin_through_a_pipe_keeps_its_first_4_kib(tmp_path):
    # 6 KiB of front matter text before the notes: a reader that peeked 4 KiB (to tell a
    # manifest) and then read the rest would lose the first markers
    text = ("Filler line of the report body.\n" * 200) + (DATA / "small.md").read_text()
    (tmp_path / "r.md").write_text(text)
    done = citecheck(tmp_path, "check", "/dev/stdin", "-f", "json", shell="cat r.md | CITECHECK")
    assert done.returncode in (0, 1), done.stderr
    summary = json.loads(done.stdout)["summary"]
    direct = json.loads(citecheck(tmp_path, "check", "r.md", "-f", "json").stdout)["summary"]
    assert (summary["notes"], summary["markers"]) == (direct["notes"], direct["markers"]) == (5, 5)


def test_binary_formats_on_standard_input_are_told_by_their_bytes(tmp_path):
    done = citecheck(tmp_path, "check", "-", "-f", "json", stdin=(DATA / "small.docx").read_bytes())
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(done.stdout)["summary"]["notes"] == 5


def test_extract_from_standard_input_writes_no_source_path(tmp_path):
    done = citecheck(
        tmp_path, "extract", "-", "-o", "refs.yaml", stdin=(DATA / "small.md").read_bytes()
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "refs.yaml").read_text()
    assert "references:" in text and "\nsource:" not in text and "standard input" in text


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", b"nothing on standard input"),
        (b"version: 1\nreferences: []\n", b"references.yaml on standard input"),
    ],
)
def test_standard_input_that_is_no_report_is_one_line_and_exit_2(tmp_path, stdin, message):
    done = citecheck(tmp_path, "check", "-", stdin=stdin)
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1 and message in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("small", "pages"):
        (folder / f"{name}.md").write_bytes((DATA / f"{name}.md").read_bytes())
    return folder


def test_several_reports_each_with_its_own_findings(tmp_path, reports):
    done = citecheck(tmp_path, "check", "reports/small.md", "reports/pages.md", "-f", "json")
    assert done.returncode in (0, 1), done.stderr
    both = json.loads(done.stdout)
    assert [r["source"] for r in both] == ["reports/small.md", "reports/pages.md"]
    for report in both:
        alone = citecheck(tmp_path, "check", report["source"], "-f", "json")
        assert findings(json.dumps(report).encode()) == findings(alone.stdout)
    assert findings(json.dumps(both[0]).encode()) != findings(json.dumps(both[1]).encode())


def test_a_glob_names_every_matching_report_in_name_order(tmp_path, reports):
    done = citecheck(tmp_path, "check", "reports/*.md")
    assert done.returncode in (0, 1), done.stderr
    out = done.stdout.decode()
    assert out.index("reports/pages.md") < out.index("reports/small.md")
    sarif = json.loads(citecheck(tmp_path, "check", "reports/*.md", "-f", "sarif").stdout)
    assert len(sarif["runs"]) == 2
    junit = ET.fromstring(citecheck(tmp_path, "check", "reports/*.md", "-f", "junit").stdout)
    assert junit.tag == "testsuites"
    files = {suite.get("file") for suite in junit.iter("testsuite")}  # junit-10.xsd: not on cases
    assert {"reports/pages.md", "reports/small.md"} <= files


def test_one_missing_report_does_not_stop_the_others(tmp_path, reports):
    done = citecheck(tmp_path, "check", "reports/small.md", "gone.md", "reports/nothing*.md")
    assert done.returncode == 2
    assert b"reports/small.md" in done.stdout
    assert b"gone.md: no such file" in done.stderr
    assert b"Traceback" not in done.stderr
    alone = citecheck(tmp_path, "check", "reports/nothing*.md")
    assert alone.returncode == 2 and b"no file matches this pattern" in alone.stderr
