"""JUnit XML: one case per note, one failure per case, findings below --fail-on visible."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from citecheck.findings import Severity
from citecheck.reporters import junit


def _parse(report) -> ET.Element:
    return ET.fromstring(junit.render(report).encode("utf-8"))


def test_one_suite_and_one_case_per_note(report):
    root = _parse(report)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    names = [c.get("name") for c in suite.findall("testcase")]
    # 9 notes (two labelled 64, told apart by line), the marker without a note, and the
    # case listing what is below --fail-on
    assert names[:9] == [f"note {n.label} (line {n.location.line})" for n in report.notes]
    assert names[9:] == ["marker 63 (line 500)", junit.BELOW]
    assert int(suite.get("tests")) == len(names) == int(root.get("tests"))
    assert suite.get("file") == report.source


def test_one_failure_per_case_holding_every_failing_finding(report):
    root = _parse(report)
    for case in root.iter("testcase"):
        assert len(case.findall("failure")) <= 1
    note64 = next(c for c in root.iter("testcase") if c.get("name") == "note 64 (line 504)")
    failure = note64.find("failure")
    assert failure.get("type") == "duplicate-note,parked-domain"
    assert "duplicate-note" in failure.text and "parked-domain" in failure.text
    assert int(root.get("failures")) == len(root.findall(".//failure")) == 4  # 4 notes fail
    dead = next(f for f in root.iter("failure") if f.get("type") == "dead-link")
    assert "reports/vgt-environmental-scan-2015.txt:512" in dead.text
    assert "what to do:" in dead.text


def test_findings_below_fail_on_are_in_a_skipped_case_and_in_the_failure_text(report):
    root = _parse(report)
    below = next(c for c in root.iter("testcase") if c.get("name") == junit.BELOW)
    skipped = below.find("skipped")
    assert "below --fail-on error" in skipped.get("message")
    assert "content-drift" in skipped.text and "(accepted)" in skipped.text
    note70 = next(c for c in root.iter("testcase") if c.get("name") == "note 70 (line 600)")
    assert "no-archived-copy" in note70.find("failure").text  # its warning, shown by GitLab


def test_fail_on_warning_adds_warning_failures_but_never_accepted(report):
    root = _parse(dataclasses.replace(report, fail_on=Severity.WARNING))
    types = ",".join(f.get("type") for f in root.iter("failure")).split(",")
    assert "content-drift" in types and "unverified-by-report" in types
    assert types.count("homepage-only") == 1  # note 55's; note 37's is accepted


def test_fail_on_never_has_no_failures(report):
    root = _parse(dataclasses.replace(report, fail_on=None))
    assert root.findall(".//failure") == []
    assert root.get("failures") == "0"


def test_control_characters_still_give_well_formed_xml(report):
    f = dataclasses.replace(report.findings[-2], message="bad \x00\x1b[31m byte \ufffe")
    root = _parse(dataclasses.replace(report, findings=(f,)))
    assert "bad" in next(root.iter("failure")).get("message")
