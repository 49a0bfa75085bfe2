"""JUnit XML: parses, one suite per family, one case per note, failures at --fail-on."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from citecheck.findings import Severity
from citecheck.reporters import junit


def _parse(report) -> ET.Element:
    return ET.fromstring(junit.render(report).encode("utf-8"))


def test_suites_per_family_and_cases_per_note(report):
    root = _parse(report)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "citecheck.document",
        "citecheck.citation",
        "citecheck.link",
        "citecheck.archive",
    ]
    for suite in suites:
        names = [c.get("name") for c in suite.findall("testcase")]
        # 9 notes (two labelled 64, told apart by line) + the marker without a note
        assert names[:9] == [f"note {n.label} (line {n.location.line})" for n in report.notes]
        assert names[9:] == ["marker 63"]
        assert int(suite.get("tests")) == len(names)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))


def test_failures_are_the_failing_findings(report):
    root = _parse(report)
    failures = sorted(f.get("type") for f in root.iter("failure"))
    assert failures == sorted(f.rule for f in report.failing())
    assert int(root.get("failures")) == len(report.failing()) == 5
    dead = next(f for f in root.iter("failure") if f.get("type") == "dead-link")
    assert "reports/vgt-environmental-scan-2015.txt:512" in dead.text
    assert "what to do:" in dead.text


def test_fail_on_warning_adds_warning_failures_but_never_accepted(report):
    root = _parse(dataclasses.replace(report, fail_on=Severity.WARNING))
    types = [f.get("type") for f in root.iter("failure")]
    assert "content-drift" in types and "unverified-by-report" in types
    assert types.count("homepage-only") == 1  # note 55's; note 37's is accepted
    outs = "".join(o.text for o in root.iter("system-out"))
    assert "(accepted)" in outs


def test_fail_on_never_has_no_failures(report):
    root = _parse(dataclasses.replace(report, fail_on=None))
    assert root.findall(".//failure") == []
    assert root.get("failures") == "0"


def test_control_characters_still_give_well_formed_xml(report):
    f = dataclasses.replace(report.findings[-2], message="bad \x00\x1b[31m byte \ufffe")
    root = _parse(dataclasses.replace(report, findings=(f,)))
    assert "bad" in next(root.iter("failure")).get("message")
