"""The console script ends without tearing the interpreter down (`cli._exit`): its output is
flushed first, its exit code kept, and a reader that went away is no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    return dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )


def test_the_whole_output_is_written_before_the_process_ends(tmp_path):
    schema = (ROOT / "citecheck" / "schemas" / "citecheck-1.json").read_text("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "citecheck", "schema"],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, schema)


def test_the_exit_code_of_a_failing_check_is_kept(tmp_path):
    report = tmp_path / "r.md"
    report.write_text("A claim.[^1][^2]\n\n[^1]: A source.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "citecheck", "check", str(report), "--offline", "-f", "json"],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert '"marker-without-note"' in done.stdout and done.stdout.endswith("}\n")


def test_a_reader_that_went_away_is_no_traceback(tmp_path):
    # Far more output than a pipe holds (64 KiB), so the writes themselves meet the closed pipe.
    report = tmp_path / "r.md"
    calls = "".join(f"Claim {i}.[^{i}]\n\n" for i in range(1, 3001))
    notes = "".join(f"[^{i}]: Source {i}, https://example.org/{i}.\n" for i in range(1, 3001))
    report.write_text(calls + notes, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "citecheck", "check", str(report), "--offline", "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `citecheck check r.md -f json | head -c 0`
    try:
        err = proc.stderr.read().decode()
        proc.wait(timeout=60)
    finally:
        proc.kill()
    assert "Traceback" not in err and "Exception ignored" not in err


def test_the_checks_result_is_held_until_the_process_ends(tmp_path, monkeypatch):
    """Freed as `check` returns, a big report's objects would cost what `_exit` saves."""
    from typer.testing import CliRunner

    from citecheck import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_KEPT", [])
    report = tmp_path / "r.md"
    report.write_text("A claim.[^1]\n\n[^1]: A source, https://example.org/a.\n", encoding="utf-8")
    argv = ["check", str(report), "--offline", "-f", "json", "--cache-dir", str(tmp_path / "c")]
    done = CliRunner().invoke(cli.app, argv)
    assert done.exit_code == 0, done.output
    (kept,) = cli._KEPT
    assert [n.label for n in kept.outcome.report.notes] == ["1"]
