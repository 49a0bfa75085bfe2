"""SARIF against GitHub code scanning's own rules, as documented in "SARIF support for code
scanning" (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):

- file paths relative to the root of the repository, with `uriBaseId` "%SRCROOT%";
- at most 25,000 results per run (an upload with more is rejected);
- `partialFingerprints.primaryLocationLineHash` computed as the upload-sarif action does
  (github/codeql-action src/fingerprints.ts; its test vectors are used below);
- rules with `help`, and `security-severity` only on rules tagged "security".
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from reporters_sample import finding

from citecheck.findings import Severity
from citecheck.models import Location
from citecheck.reporters import sarif
from citecheck.reporters.linehash import line_hashes

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
REPORT_TEXT = "A claim¹ and another².\n\n¹ <https://nowhere.invalid/a>\n² <http://x.invalid/b>\n"


def _valid(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def test_line_hash_matches_the_upload_sarif_test_vectors():
    # Expected values from github/codeql-action src/fingerprints.test.ts.
    assert line_hashes("") == {1: "c129715d7a2bc9a3:1"}
    assert list(line_hashes(" a\nb\n  \t\tc\n d").values()) == [
        "271789c17abda88f:1",
        "54703d4cd895b18:1",
        "180aee12dab6264:1",
        "a23a3dc5e078b07b:1",
    ]
    crlf = " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n"
    assert list(line_hashes(crlf).values())[:2] == ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1"]
    repeated = list(line_hashes("Lorem ipsum dolor sit amet.\n" * 10).values())
    assert repeated[:2] == ["a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2"]
    assert repeated[6] == "a7f2ff1481e87703:1"


def _git_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=30)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    return tmp_path


def _check(cwd: Path, *args: str) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "citecheck",
            "check",
            *args,
            "--offline",
            "--format",
            "sarif",
            "--cache-dir",
            str(cwd / ".cache"),
        ],
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr
    return _valid(done.stdout)


def _locations(log: dict) -> set[tuple[str, str | None]]:
    return {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId"),
        )
        for r in log["runs"][0]["results"]
    }


def test_paths_are_relative_to_the_git_top_level_from_a_subdirectory(tmp_path):
    repo = _git_repo(tmp_path)
    log = _check(repo / "docs", "report.txt")
    assert _locations(log) == {("docs/report.txt", "%SRCROOT%")}
    assert "%SRCROOT%" in log["runs"][0]["originalUriBaseIds"]
    line_hash = log["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"]
    line = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert line_hash == line_hashes(REPORT_TEXT)[line]


def test_sarif_root_option_overrides_the_git_top_level(tmp_path):
    repo = _git_repo(tmp_path)
    log = _check(repo / "docs", "report.txt", "--sarif-root", str(repo / "docs"))
    assert _locations(log) == {("report.txt", "%SRCROOT%")}


def test_at_most_25000_results_keeping_the_most_severe(report):
    notes = [
        finding("insecure-link", 10 + i, str(i), f"note {i}: http", url=f"http://h{i}.org/")
        for i in range(sarif.MAX_RESULTS)
    ]
    errors = [finding("dead-link", 5, "e", f"dead {i}", url=f"https://d{i}.org/") for i in range(3)]
    big = dataclasses.replace(report, findings=tuple(notes + errors))
    log = _valid(sarif.render(big))
    results = log["runs"][0]["results"]
    assert len(results) == sarif.MAX_RESULTS
    assert sum(r["ruleId"] == "dead-link" for r in results) == 3  # errors kept first
    assert log["runs"][0]["properties"]["omittedResults"] == 3


def test_results_without_a_line_get_a_stable_hash_of_rule_label_and_url(report):
    para = dataclasses.replace(report.findings[0], location=Location("report.docx", 7, "paragraph"))
    moved = dataclasses.replace(para, location=Location("report.docx", 9, "paragraph"))
    one, two = (
        json.loads(sarif.render(dataclasses.replace(report, findings=(f,))))["runs"][0]["results"][
            0
        ]
        for f in (para, moved)
    )
    assert "region" not in one["locations"][0]["physicalLocation"]
    key = "primaryLocationLineHash"
    assert one["partialFingerprints"][key] == two["partialFingerprints"][key]


def test_rules_carry_help_and_security_severity_only_where_it_applies(report):
    rules = {r["id"]: r for r in _valid(sarif.render(report))["runs"][0]["tool"]["driver"]["rules"]}
    assert all(r["help"]["text"] and r["help"]["markdown"] for r in rules.values())
    parked = rules["parked-domain"]["properties"]
    assert "security" in parked["tags"] and float(parked["security-severity"]) >= 7.0
    assert "security-severity" not in rules["dead-link"]["properties"]


@pytest.mark.parametrize("level", list(Severity))
def test_every_level_is_a_sarif_level(report, level):
    f = dataclasses.replace(report.findings[0], severity=level)
    result = _valid(sarif.render(dataclasses.replace(report, findings=(f,))))["runs"][0]
    assert result["results"][0]["level"] == level.value


def test_action_takes_a_category_input():
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert "category" in action["inputs"]
    upload = next(s for s in action["runs"]["steps"] if "upload-sarif" in str(s.get("uses")))
    assert upload["with"]["category"] == "${{ inputs.category }}"
