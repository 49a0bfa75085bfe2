"""SARIF: valid against the official 2.1.0 schema, stable fingerprints, suppressions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from citecheck.findings import RULES, Finding, Severity
from citecheck.models import Location
from citecheck.reporters import sarif

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(
        encoding="utf-8"
    )
)


def _validate(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def _results(report) -> list[dict]:
    return _validate(sarif.render(report))["runs"][0]["results"]


def test_validates_against_the_sarif_schema(report):
    log = _validate(sarif.render(report))
    assert log["version"] == "2.1.0"
    assert len(log["runs"][0]["results"]) == len(report.findings) - 1  # one accepted


def test_schema_validation_can_fail(report):
    # Guard against a validator that accepts anything: a wrong level must be rejected.
    log = json.loads(sarif.render(report))
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(log)


def test_one_rule_per_finding_name_with_help_and_default_level(report):
    rules = _validate(sarif.render(report))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    dead = next(r for r in rules if r["id"] == "dead-link")
    assert dead["defaultConfiguration"]["level"] == "error"
    assert dead["help"]["text"] == RULES["dead-link"].help
    assert dead["shortDescription"]["text"] == RULES["dead-link"].summary
    for result in _results(report):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_point_at_the_source_line(report):
    dead = next(r for r in _results(report) if r["ruleId"] == "dead-link")
    phys = dead["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == "reports/vgt-environmental-scan-2015.txt"
    assert phys["region"] == {"startLine": 512}
    assert dead["level"] == "error"
    assert "web.archive.org" in dead["message"]["text"]  # the suggestion is in the message


def test_overridden_severity_is_the_result_level(report):
    f = dataclasses.replace(report.findings[0], severity=Severity.ERROR)  # insecure-link
    results = _results(dataclasses.replace(report, findings=(f,)))
    assert results[0]["level"] == "error"


def test_fingerprints_ignore_line_moves_and_are_unique(report):
    before = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"] for r in _results(report)
    }
    moved = tuple(
        dataclasses.replace(f, location=dataclasses.replace(f.location, line=f.location.line + 40))
        for f in report.findings
    )
    after = {
        r["ruleId"] + r["message"]["text"]: r["partialFingerprints"]
        for r in _results(dataclasses.replace(report, findings=moved))
    }
    assert before == after
    values = [fp["citecheck/v1"] for fp in before.values()]
    assert len(set(values)) == len(values)
    assert _results(report) == _results(report)  # a second run gives the same


def test_identical_findings_get_distinct_fingerprints(report):
    f = report.findings[-1]
    results = _results(dataclasses.replace(report, findings=(f, f)))
    a, b = (r["partialFingerprints"]["citecheck/v1"] for r in results)
    assert a != b and a.split(":")[0] == b.split(":")[0]


def test_accepted_findings_are_left_out_and_counted(report):
    # Code scanning ignores `suppressions` and opens an alert for a suppressed result
    # (github/codeql-action#1230; "suppressions" is not in the properties GitHub lists in
    # "SARIF support for code scanning"), so waived findings stay out of the upload.
    log = _validate(sarif.render(report))
    results = log["runs"][0]["results"]
    assert not any("suppressions" in r for r in results)
    assert len(results) == len([f for f in report.findings if not f.accepted])
    assert log["runs"][0]["properties"]["acceptedResults"] == 1


def test_finding_without_location_or_on_a_page(report):
    page = Finding("dead-link", Severity.ERROR, "dead", Location("a b.pdf", 3, "page"))
    none = Finding("network-unavailable", Severity.ERROR, "no network")
    res = _results(dataclasses.replace(report, findings=(page, none)))
    by_rule = {r["ruleId"]: r["locations"][0] for r in res}
    assert by_rule["dead-link"]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b.pdf"
    assert "region" not in by_rule["dead-link"]["physicalLocation"]
    assert by_rule["dead-link"]["message"]["text"] == "page 3"
    assert (
        by_rule["network-unavailable"]["physicalLocation"]["artifactLocation"]["uri"]
        == report.source
    )


def test_artifact_uri():
    assert sarif.artifact_uri("reports\\x.txt") == "reports/x.txt"
    assert sarif.artifact_uri("/tmp/a#b.txt") == "file:///tmp/a%23b.txt"
