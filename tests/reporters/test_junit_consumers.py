"""JUnit XML as its consumers read it.

- Jenkins: the xUnit plugin validates against junit-10.xsd (vendored, MIT, in
  tests/data/junit/ with its source); `file` is allowed on <testsuite> only.
- GitLab ("Unit test reports", docs.gitlab.com/ci/testing/unit_test_reports/, and its parser
  lib/gitlab/ci/parsers/test/junit.rb): test cases under <testsuites>/<testsuite>, the text of
  <failure> or <skipped> is what it shows, a second case with the same name is ignored.
- junitparser: parses it and counts what the XML says.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from reporters_sample import finding

from citecheck.reporters import junit

XSD = Path(__file__).resolve().parents[1] / "data" / "junit" / "junit-10.xsd"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _tree(text: str):
    return etree.fromstring(text.encode("utf-8"))


def test_validates_against_jenkins_junit_10_xsd(report, schema):
    for fail_on in (report.fail_on, None):
        doc = _tree(junit.render(dataclasses.replace(report, fail_on=fail_on)))
        assert schema.validate(doc), schema.error_log


def test_the_schema_rejects_a_file_attribute_on_a_test_case(report, schema):
    doc = _tree(junit.render(report))
    doc.find(".//testcase").set("file", "x.txt")  # what citecheck wrote before
    assert not schema.validate(doc)


def test_gitlab_sees_unique_cases_with_visible_text(report):
    doc = _tree(junit.render(report))
    cases = doc.findall("./testsuite/testcase")  # GitLab reads testsuites/testsuite/testcase
    names = Counter((c.get("classname"), c.get("name")) for c in cases)
    assert max(names.values()) == 1  # GitLab would drop a repeated name
    below = next(c for c in cases if c.get("name") == junit.BELOW).find("skipped").text
    for case in cases:
        out = case.find("system-out")
        if out is None:
            continue
        failure = case.find("failure")
        shown = (failure.text if failure is not None else "") + below
        for line in out.text.splitlines():  # GitLab ignores <system-out>: shown elsewhere
            assert line in shown


def test_a_passing_run_still_shows_its_warnings_in_gitlab(report):
    warn_only = tuple(f for f in report.findings if f.severity.value != "error")
    doc = _tree(junit.render(dataclasses.replace(report, findings=warn_only)))
    assert doc.findall(".//failure") == []
    skipped = doc.find(".//skipped")
    assert skipped is not None and "content-drift" in skipped.text


def test_junitparser_reads_one_case_per_note(report, tmp_path):
    junitparser = pytest.importorskip("junitparser")
    path = tmp_path / "junit.xml"
    path.write_text(junit.render(report), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    (suite,) = list(xml)
    cases = list(suite)
    assert len(cases) == len(report.notes) + 2  # + marker 63 + below --fail-on
    failed = [c for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
    assert len(failed) == int(suite.failures) == 4
    assert all(len(c.result) <= 1 for c in cases)


def test_many_notes_give_one_case_each(report):
    many = tuple(finding("no-locator", 900 + i, f"x{i}", f"m {i}") for i in range(50))
    doc = _tree(junit.render(dataclasses.replace(report, findings=report.findings + many)))
    assert len(doc.findall(".//testcase")) == len(report.notes) + 2 + 50
