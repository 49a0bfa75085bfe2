"""GitHub annotations against GitHub's own limits: a step shows at most 10 annotations of
each level (error, warning, notice) and silently drops the rest (GitHub community
discussions #26680 and #68471: "10 warning annotations and 10 error annotations per step";
the workflow commands themselves are documented in "Workflow commands for GitHub Actions",
docs.github.com/en/actions/reference/workflow-commands-for-github-actions)."""

from __future__ import annotations

import dataclasses

from reporters_sample import finding

from citecheck.reporters import github

LIMIT = 10  # per level per step, as GitHub documents it


def _commands(text: str) -> list[tuple[str, str]]:
    """(level, rest) of each workflow command, in order."""
    out = []
    for line in text.splitlines():
        if line.startswith("::"):
            level, _, rest = line[2:].partition(" ")
            out.append((level, rest))
    return out


def _many(report, errors: int, warnings: int, notes: int):
    made = (
        [
            finding("dead-link", 1000 + i, str(i), f"dead {i}", url=f"https://e{i}.org/")
            for i in range(errors)
        ]
        + [finding("homepage-only", 2000 + i, str(i), f"home {i}") for i in range(warnings)]
        + [finding("insecure-link", 3000 + i, str(i), f"http {i}") for i in range(notes)]
    )
    return dataclasses.replace(report, findings=tuple(reversed(made)))


def test_errors_then_warnings_then_notices(report):
    levels = [level for level, _ in _commands(github.render(report))]
    assert levels == sorted(levels, key=("error", "warning", "notice").index)


def test_no_level_exceeds_what_github_shows_and_the_last_says_how_many_more(report):
    text = github.render(_many(report, errors=25, warnings=12, notes=3))
    commands = _commands(text)
    for level in ("error", "warning", "notice"):
        mine = [rest for lvl, rest in commands if lvl == level]
        assert len(mine) <= LIMIT
    errors = [rest for lvl, rest in commands if lvl == "error"]
    assert "16 more errors" in errors[-1] and "job summary" in errors[-1]
    assert "dead 0" in errors[0]  # note order within the level: the first note first
    warnings = [rest for lvl, rest in commands if lvl == "warning"]
    assert "3 more warnings" in warnings[-1]
    assert len([r for lvl, r in commands if lvl == "notice"]) == 3  # under the cap: all shown


def test_findings_past_the_cap_stay_in_the_log_as_plain_lines(report):
    text = github.render(_many(report, errors=12, warnings=0, notes=0))
    plain = [line for line in text.splitlines() if not line.startswith("::")]
    assert sum("dead-link" in line for line in plain) == 3  # 9 annotated, 3 in the log
    assert all(not line.startswith("::") for line in plain)


def test_exactly_ten_of_a_level_are_all_annotations(report):
    commands = _commands(github.render(_many(report, errors=10, warnings=0, notes=0)))
    assert len(commands) == 10 and not any("more errors" in rest for _, rest in commands)
