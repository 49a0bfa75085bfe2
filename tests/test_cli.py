"""The command line: exit codes 0/1/2/3, bad input, extract round trip, JSON shape, appendix.

Every run passes --cache-dir (a tmp dir) and, except the exit-3 case (whose only hosts are a
refused loopback port), --offline: no test reaches the internet.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from citecheck.cli import app
from tests.json_schema import loads as schema_loads
from tests.webserver import free_port

ROOT = Path(__file__).resolve().parent.parent
VGT = ROOT / "reports" / "vgt-environmental-scan-2015.txt"
CLEAN = "1. Introduction\n\nA claim¹.\n\n¹ Smith, J. (2019), *A Book*; <https://example.org/b>\n"
WARNING_ONLY = "A claim¹.\n\n¹ Smith, J. (2019), *A Book*, Sydney Law Review\n"  # no-locator


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run citecheck in `tmp_path` with its own cache; returns the CliRunner result."""
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"

    def invoke(*args: str, offline: bool = True):
        argv = list(args)
        if argv[0] == "check":
            argv += ["--cache-dir", str(cache)] + (["--offline"] if offline else [])
        elif argv[0] == "appendix":
            argv += ["--cache-dir", str(cache)]
        result = CliRunner().invoke(app, argv)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        return result

    return invoke


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def one_error_line(result, *names: str) -> str:
    """The single stderr line of a failed run, which names each of `names`."""
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("citecheck: error: ")
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in lines[0]
    return lines[0]


# ---- exit codes -------------------------------------------------------------------------


def test_exit_0_on_a_clean_report(cli, tmp_path):
    result = cli("check", str(write(tmp_path / "r.txt", CLEAN)))
    assert result.exit_code == 0, result.stdout
    assert "1 notes, 1 markers" in result.stdout and result.stderr == ""


def test_exit_1_on_errors_and_never_with_fail_on_never(cli):
    assert cli("check", str(VGT)).exit_code == 1
    assert cli("check", str(VGT), "--fail-on", "never").exit_code == 0


def test_fail_on_warning(cli, tmp_path):
    report = str(write(tmp_path / "r.txt", WARNING_ONLY))
    assert cli("check", report).exit_code == 0
    assert cli("check", report, "--fail-on", "warning").exit_code == 1
    assert (
        cli("check", report, "--fail-on", "warning", "--severity", "no-locator=note").exit_code == 0
    )


def test_exit_3_when_no_host_answers(cli, tmp_path):
    """The canaries and the cited page sit on a loopback port where nothing listens."""
    port = free_port("127.0.0.1")
    write(tmp_path / "r.txt", f"A claim¹.\n\n¹ Report, <http://127.0.0.1:{port}/r.pdf>\n")
    write(
        tmp_path / "references.yaml",
        "version: 1\nsource: r.txt\nsettings:\n"
        f"  canaries: ['http://127.0.0.1:{port}/']\n  retries: 0\n  timeout: 5\n"
        "references: []\n",
    )
    result = cli(
        "check",
        "references.yaml",
        "--format",
        "json",
        "--allow-private",
        "--no-archive",
        offline=False,
    )
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "network unavailable" in result.stderr
    data = schema_loads(result.stdout)
    assert [f["rule"] for f in data["findings"] if f["severity"] == "error"] == [
        "network-unavailable"
    ]


# ---- bad input --------------------------------------------------------------------------


def test_missing_file(cli):
    one_error_line(cli("check", "nope.txt"), "nope.txt", "no such file")
    one_error_line(cli("extract", "nope.txt", "-o", "out.yaml"), "nope.txt")


def test_directory(cli, tmp_path):
    (tmp_path / "reports").mkdir()
    one_error_line(cli("check", "reports"), "reports", "directory")


def test_binary_file(cli, tmp_path):
    (tmp_path / "r.txt").write_bytes(bytes(range(256)) * 8)
    one_error_line(cli("check", "r.txt"), "r.txt", "binary")


def test_empty_file(cli, tmp_path):
    write(tmp_path / "r.txt", "  \n\n")
    one_error_line(cli("check", "r.txt"), "r.txt", "empty")


def test_undecodable_bytes(cli, tmp_path):
    noise = random.Random(1)
    (tmp_path / "r.txt").write_bytes(bytes(noise.randrange(1, 256) for _ in range(4000)))
    one_error_line(cli("check", "r.txt"), "r.txt", "encoding")


def test_report_without_footnotes(cli, tmp_path):
    """Not an error (exit 0, said once on stderr); `extract` writes nothing."""
    write(tmp_path / "r.txt", "Just some text.\nNo notes at all.\n")
    result = cli("check", "r.txt", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == ["citecheck: r.txt: no footnotes found"]
    assert schema_loads(result.stdout)["summary"]["notes"] == 0
    extracted = cli("extract", "r.txt", "-o", "refs.yaml")
    assert extracted.exit_code == 0
    assert extracted.stderr.splitlines() == [
        "r.txt: no footnotes found; refs.yaml not written (formats: txt, md, html, docx, pdf, tex)"
    ]
    assert not (tmp_path / "refs.yaml").exists()


def test_bad_yaml_names_the_line(cli, tmp_path):
    write(
        tmp_path / "references.yaml",
        'version: 1\nreferences:\n  - label: "1"\n    text: [unclosed\n  - label: "2"\n',
    )
    line = one_error_line(cli("check", "references.yaml"), "references.yaml:", "YAML")
    assert line.split(":")[3].strip().isdigit()


def test_unsupported_version(cli, tmp_path):
    write(tmp_path / "references.yaml", "# manifest\nversion: 2\nreferences: []\n")
    one_error_line(cli("check", "references.yaml"), "references.yaml:2:", "version 2")


@pytest.mark.parametrize(
    "args, words",
    [
        (["--format", "xml"], ["--format", "'xml'", "json"]),
        (["--as-of", "2015-13-01"], ["--as-of", "2015-13-01"]),
        (["--as-of", "October"], ["--as-of", "October"]),
        (["--severity", "homepage-only"], ["--severity", "RULE=LEVEL"]),
        (["--severity", "homepage-only=fatal"], ["homepage-only", "fatal"]),
        (["--severity", "no-such-rule=error"], ["no-such-rule"]),
        (["--fail-on", "sometimes"], ["--fail-on", "sometimes"]),
    ],
)
def test_bad_options(cli, tmp_path, args, words):
    report = str(write(tmp_path / "r.txt", CLEAN))
    one_error_line(cli("check", report, *args), *words)


def test_bad_appendix_format(cli, tmp_path):
    report = str(write(tmp_path / "r.txt", CLEAN))
    one_error_line(cli("appendix", report, "--format", "pdf"), "--format", "'pdf'")


@pytest.mark.parametrize(
    "content, words",
    [
        (None, ["base.json", "no such baseline"]),
        ("not json\n", ["base.json:1:", "not JSON"]),
        ('{"schema": "other"}\n', ["base.json", "citecheck/1"]),
    ],
)
def test_bad_baseline(cli, tmp_path, content, words):
    report = str(write(tmp_path / "r.txt", CLEAN))
    if content is not None:
        write(tmp_path / "base.json", content)
    one_error_line(cli("check", report, "--baseline", "base.json"), *words)


def test_bad_settings_in_the_manifest_name_the_file(cli, tmp_path):
    write(tmp_path / "r.txt", CLEAN)
    write(
        tmp_path / "references.yaml",
        "version: 1\nsource: r.txt\nsettings: {per_hots: 2}\nreferences: []\n",
    )
    one_error_line(cli("check", "references.yaml"), "references.yaml", "per_hots")


# ---- extract, edit, extract ---------------------------------------------------------------


def test_extract_keeps_every_hand_edit_byte_for_byte(cli, tmp_path):
    shutil.copy(VGT, tmp_path / "vgt.txt")
    first = cli("extract", "vgt.txt", "-o", "references.yaml")
    assert first.exit_code == 0, first.stderr
    assert "77 notes, 77 markers (77 added" in first.stderr
    manifest = tmp_path / "references.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "as_of: 2015-10-01" in text and "source: vgt.txt" in text

    entry_37 = (
        '  - label: "37"\n    kind: citation\n    line: 314\n    markers: [306]\n'
        '    text: <http://www.dailydot.com>\n    urls: ["http://www.dailydot.com"]\n'
    )
    assert entry_37 in text
    edited_37 = (
        "  # Dailydot: the public version strips the article's path.\n"
        + entry_37
        + "    accessed: 2015-06-01  # as the authors say\n"
        "    accept: [homepage-only, insecure-link]\n"
        '    reason: "public version strips paths"\n'
        '    replace_url: "https://www.dailydot.com/crime/lolita-city/"\n'
        "    reviewer: kim   # a field citecheck does not know\n"
    )
    edited = text.replace(entry_37, edited_37).replace(
        "version: 1\n", "version: 1\n# Reviewed by the editors, 2015-11.\n", 1
    )
    manifest.write_text(edited, encoding="utf-8")

    again = cli("extract", "vgt.txt", "-o", "references.yaml")
    assert again.exit_code == 0, again.stderr
    assert "(0 added, 0 updated, 0 marked removed)" in again.stderr
    assert manifest.read_bytes() == edited.encode("utf-8")

    result = cli("check", "references.yaml", "--format", "json", "--fail-on", "never")
    findings = schema_loads(result.stdout)["findings"]
    of_37 = {f["rule"]: f for f in findings if f["label"] == "37"}
    assert of_37["homepage-only"]["accepted"] and of_37["insecure-link"]["accepted"]
    assert of_37["homepage-only"]["reason"] == "public version strips paths"
    assert not of_37["unverified-by-report"]["accepted"]


def test_extract_updates_changed_notes_and_keeps_edits(cli, tmp_path):
    write(
        tmp_path / "r.txt",
        "A claim¹ and another².\n\n¹ <https://example.org/a>\n² <https://example.org/b>\n",
    )
    assert cli("extract", "r.txt", "-o", "refs.yaml").exit_code == 0
    manifest = tmp_path / "refs.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            'urls: ["https://example.org/b"]\n',
            'urls: ["https://example.org/b"]\n    reason: checked by hand  # keep\n',
        )
    )
    write(tmp_path / "r.txt", "A claim¹.\n\n¹ <https://example.org/a2>\n")
    result = cli("extract", "r.txt", "-o", "refs.yaml")
    assert "(0 added, 1 updated, 1 marked removed)" in result.stderr
    text = manifest.read_text()
    assert 'urls: ["https://example.org/a2"]' in text
    assert "removed: true" in text and "reason: checked by hand  # keep" in text


# ---- output ---------------------------------------------------------------------------


def test_json_streamed_to_a_file_and_to_stdout_is_the_same_text(cli, tmp_path):
    """The CLI writes the JSON as the reporter renders it, piece by piece: the same bytes as
    the whole `render`, to a file or to stdout."""
    to_file = cli("check", str(VGT), "--format", "json", "--output", "out.json")
    to_stdout = cli("check", str(VGT), "--format", "json")
    written = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert written == to_stdout.stdout and written.endswith("}\n")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []


def test_json_output_shape(cli, tmp_path):
    result = cli("check", str(VGT), "--format", "json", "--output", "out.json")
    assert result.exit_code == 1 and result.stdout == ""
    data = schema_loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert set(data) == {
        "schema",
        "tool",
        "source",
        "as_of",
        "summary",
        "notes",
        "links",
        "findings",
    }
    assert data["schema"] == "citecheck/1"
    assert data["tool"]["name"] == "citecheck" and data["tool"]["version"]
    summary = data["summary"]
    assert {"notes", "markers", "urls", "unique_urls", "findings", "links"} <= set(summary)
    assert set(summary["findings"]) == {"error", "warning", "note"}
    assert set(summary["links"]) == {
        "alive",
        "redirected",
        "dead",
        "soft-404",
        "parked",
        "denied",
        "unreachable",
        "tls-error",
        "skipped",
        "unchecked",
    }
    note = next(n for n in data["notes"] if n["label"] == "37")
    assert {"label", "kind", "line", "markers", "text", "ibid_of", "links"} <= set(note)
    assert (note["kind"], note["line"], note["markers"], note["ibid_of"]) == (
        "citation",
        314,
        [306],
        None,
    )
    [link] = note["links"]
    assert (link["url"], link["status"], link["snapshot"]) == (
        "http://www.dailydot.com",
        "unchecked",
        None,
    )
    assert {"http_status", "final_url", "redirects", "from_cache"} <= set(link)
    finding = next(f for f in data["findings"] if f["rule"] == "unverified-by-report")
    assert {
        "rule",
        "severity",
        "label",
        "url",
        "file",
        "line",
        "message",
        "suggestion",
        "accepted",
    } <= set(finding)
    assert (finding["severity"], finding["label"], finding["line"], finding["accepted"]) == (
        "warning",
        "37",
        306,
        False,
    )
    assert finding["file"].endswith("vgt-environmental-scan-2015.txt")
    order = [(f["line"] or 0) for f in data["findings"]]
    assert order == sorted(order)


def test_output_is_deterministic(cli):
    first = cli("check", str(VGT), "--format", "json").stdout
    assert cli("check", str(VGT), "--format", "json").stdout == first


def test_table_output_groups_by_note_with_a_summary(cli):
    result = cli("check", str(VGT))
    assert "77 notes, 77 markers, 30 unique URLs: 2 errors" in result.stdout
    assert "marker-without-note" in result.stdout and "\x1b[" not in result.stdout


def test_as_of_option_and_manifest_as_of(cli, tmp_path):
    data = schema_loads(cli("check", str(VGT), "--format", "json", "--as-of", "2016-02").stdout)
    assert data["as_of"] == "2016-02-01"


# ---- appendix and the cache ---------------------------------------------------------------


def test_appendix_works_offline_without_archive_lookups(cli, monkeypatch):
    import citecheck.archives

    def no_lookups(*args, **kwargs):
        raise AssertionError("offline run looked up an archive")

    monkeypatch.setattr(citecheck.archives, "find_snapshots", no_lookups)
    result = cli("appendix", str(VGT))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# References")
    assert "**37\\.** &lt;<http://www.dailydot.com>&gt;" in result.stdout
    assert cli("check", str(VGT), "--fail-on", "never").exit_code == 0
    html = cli("appendix", str(VGT), "--format", "html", "-o", "refs.html")
    assert html.exit_code == 0 and html.stdout == ""


def test_offline_runs_use_cached_links_and_captures(cli, tmp_path):
    import datetime as dt

    from citecheck.archives import ArchiveResult, _cache_key, resolve_archives
    from citecheck.cache.store import Cache
    from citecheck.checkers.stored import to_json
    from citecheck.models import LinkResult, LinkStatus, Snapshot

    url = "https://example.org/b"
    capture = "https://web.archive.org/web/20150901000000/https://example.org/b"
    cache = Cache(tmp_path / "cache")
    cache.put_many("link", {url: to_json(LinkResult(url, LinkStatus.ALIVE, 200))}, 3600)
    key = _cache_key(url, dt.date(2015, 10, 1), resolve_archives(()))
    snap = Snapshot("ia", capture, dt.datetime(2015, 9, 1))
    cache.put_many("archive", {key: ArchiveResult(snap).to_dict()}, 3600)
    cache.close()

    report = str(write(tmp_path / "r.txt", CLEAN))
    data = schema_loads(cli("check", report, "--format", "json", "--as-of", "2015-10-01").stdout)
    [link] = data["notes"][0]["links"]
    assert (link["status"], link["from_cache"]) == ("alive", True)
    assert link["snapshot"] == {"archive": "ia", "url": capture, "datetime": "2015-09-01T00:00:00Z"}
    appendix = cli("appendix", report, "--as-of", "2015-10-01").stdout
    assert capture in appendix


# ---- the module entry point -----------------------------------------------------------------


def run_module(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "citecheck", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_python_dash_m_help(tmp_path):
    done = run_module(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    for command in ("extract", "check", "appendix", "archive"):
        assert command in done.stdout


def test_python_dash_m_bad_input_has_no_traceback(tmp_path):
    done = run_module(
        tmp_path, "check", "nope.txt", "--offline", "--cache-dir", str(tmp_path / "cache")
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "citecheck: error: nope.txt: no such file; give a report or a references.yaml "
        "(make one with `citecheck extract REPORT`)"
    ]


def test_python_dash_m_usage_errors_are_one_line(tmp_path):
    for args, words in (
        (["check", "--bogus"], "--bogus"),
        (["check", "r.txt", "--timeout", "soon"], "--timeout"),
    ):
        done = run_module(tmp_path, *args, "--offline", "--cache-dir", str(tmp_path / "c"))
        assert done.returncode == 2 and done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith("citecheck: error: ") and words in line


def test_a_report_read_once_is_not_read_again_until_it_changes(cli, tmp_path, monkeypatch):
    from citecheck.readers import text

    report = write(tmp_path / "r.txt", WARNING_ONLY)
    first = cli("check", "r.txt", "--format", "json")
    calls = []
    real_read = text.read
    monkeypatch.setattr(text, "read", lambda *a: calls.append(a) or real_read(*a))
    again = cli("check", "r.txt", "--format", "json")
    assert calls == [] and again.stdout == first.stdout  # the cached parse, same report
    assert cli("check", "r.txt", "--no-cache").exit_code == 0 and len(calls) == 1
    write(report, WARNING_ONLY + "\nOne more paragraph.\n")
    cli("check", "r.txt")
    assert len(calls) == 2  # changed bytes: read again


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--max-concurrency", "0", ("--max-concurrency", "at least 1")),
        ("--per-host", "-1", ("--per-host", "at least 1")),
        ("--timeout", "0", ("--timeout", "from 0.1 to 3600")),
        ("--retries", "-1", ("--retries", "at least 0")),
        ("--allow-network", "300.1.1.1/99", ("--allow-network", "not a network")),
    ],
)
def test_limits_that_would_stall_or_crash_a_run_are_refused(cli, tmp_path, option, value, words):
    write(tmp_path / "r.txt", CLEAN)
    one_error_line(cli("check", "r.txt", option, value), *words)


def test_bad_setting_values_in_the_manifest_name_key_and_line(cli, tmp_path):
    write(tmp_path / "r.txt", CLEAN)
    write(
        tmp_path / "references.yaml",
        "version: 1\nsource: r.txt\nsettings:\n"
        "  canaries: [https://ok.example/]\n  drift_threshold: 3\nreferences: []\n",
    )
    line = one_error_line(
        cli("check", "references.yaml"), "references.yaml:5:", "drift_threshold", "from 0 to 1"
    )
    assert "not 3" in line
