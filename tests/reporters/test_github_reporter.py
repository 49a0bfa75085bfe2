"""GitHub workflow commands: levels, properties, escaping, and the step summary file."""

from __future__ import annotations

import dataclasses

from citecheck import cli
from citecheck.reporters import github, markdown


def _lines(report) -> list[str]:
    return github.render(report).splitlines()


def test_one_command_per_finding_and_a_summary_line(report):
    lines = _lines(report)
    assert len(lines) == len(report.findings) + 1
    assert lines[-1].startswith("citecheck: 5 error(s), 4 warning(s), 3 note(s)")
    dead = next(line for line in lines if "dead-link" in line)
    assert dead.startswith(
        "::error file=reports/vgt-environmental-scan-2015.txt,line=512,"
        "title=citecheck dead-link (note 64)::The link is dead (HTTP 404)."
    )


def test_levels_map_and_accepted_is_a_notice(report):
    lines = _lines(report)
    assert any(line.startswith("::warning ") and "content-drift" in line for line in lines)
    assert any(line.startswith("::notice ") and "insecure-link" in line for line in lines)
    accepted = [line for line in lines if "homepage-only (note 37)" in line]
    assert len(accepted) == 1 and accepted[0].startswith("::notice ")
    assert accepted[0].endswith("%0AAccepted")


def test_escaping_of_data_and_properties():
    assert github.escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # % first, so an already-escaped looking sequence is not decoded by the runner
    assert github.escape_data("%0A") == "%250A"


def test_hostile_text_cannot_start_a_new_command(report):
    evil = dataclasses.replace(
        report.findings[-1],
        message="x\n::error::forged\r\n%0A",
        label="7,title=x:y",
        location=dataclasses.replace(report.findings[-1].location, file="a,b:c.txt"),
    )
    (line, _summary) = _lines(dataclasses.replace(report, findings=(evil,)))
    assert line == (
        "::warning file=a%2Cb%3Ac.txt,line=600,title=citecheck no-archived-copy "
        "(note 7%2Ctitle=x%3Ay)::x%0A::error::forged%0D%0A%250A"
    )


def test_step_summary_is_appended_only_when_set(report, tmp_path):
    assert cli.write_step_summary(report, env={}) is None
    target = tmp_path / "summary.md"
    target.write_text("# earlier step\n", encoding="utf-8")
    assert cli.write_step_summary(report, env={"GITHUB_STEP_SUMMARY": str(target)}) == target
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n")
    assert text.endswith(markdown.render(report) + "\n")
    assert not (tmp_path / "other").exists()


def test_render_has_no_side_effect(report, tmp_path, monkeypatch):
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    github.render(report)
    assert not target.exists()
