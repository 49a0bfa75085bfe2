"""JUnit XML for Jenkins, GitLab and other CI test views: one test case per note, one
`<failure>` per test case when the note has findings at or above --fail-on.

Valid against Jenkins' junit-10.xsd (xUnit plugin): `file` only on `<testsuite>`, never on
`<testcase>`. GitLab shows the text of `<failure>`/`<skipped>` and ignores `<system-out>`
(lib/gitlab/ci/parsers/test/junit.rb), and keeps only the first of two test cases with the
same name: names carry the note's line, and the findings below --fail-on are listed in a
dedicated, skipped "below --fail-on" case so that GitLab shows them without failing it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from citecheck.findings import RULES, Finding, Report
from citecheck.reporters._common import findings_by_note

# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BELOW = "findings below --fail-on"


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(report: Report) -> str:
    """The report as a <testsuites> document (UTF-8, deterministic, no timestamps)."""
    grouped, orphans = findings_by_note(report)
    cases = [
        (f"note {n.label} (line {n.location.line})", grouped.get(i, []))
        for i, n in enumerate(report.notes)
    ]
    cases += _orphan_cases(orphans)
    failing = {id(f) for f in report.failing()}
    suite = ET.Element("testsuite", name=_x(f"citecheck: {report.source}"))
    classname = _classname(report.source)
    failures = 0
    for name, findings in cases:
        failures += _case(suite, name, classname, findings, failing)
    quiet = [f for _, fs in cases for f in fs if id(f) not in failing]
    if quiet:
        _below(suite, classname, quiet, report)
    tests = len(cases) + (1 if quiet else 0)
    for key, value in (
        ("tests", tests),
        ("failures", failures),
        ("errors", 0),
        ("skipped", 1 if quiet else 0),
        ("time", "0"),
        ("file", _x(report.source)),
    ):
        suite.set(key, str(value))
    root = ET.Element("testsuites", name="citecheck", tests=str(tests))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("time", "0")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _classname(source: str) -> str:
    """`citecheck.<report name>`: Jenkins reads the dots of a class name as packages."""
    stem = PurePath(source.replace("\\", "/")).stem or "report"
    return "citecheck." + re.sub(r"[^\w-]+", "_", stem)


def _orphan_cases(orphans: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings on labels with no note (a marker without its note) or on no note at all."""
    by_name: dict[str, list[Finding]] = {}
    for f in orphans:
        where = f" (line {f.location.line})" if f.location else ""
        name = f"marker {f.label}{where}" if f.label else "report"
        by_name.setdefault(name, []).append(f)
    return list(by_name.items())


def _case(
    suite: ET.Element, name: str, classname: str, findings: list[Finding], failing: set[int]
) -> int:
    """One test case; returns 1 if it fails."""
    case = ET.SubElement(suite, "testcase", name=_x(name), classname=classname, time="0")
    bad = [f for f in findings if id(f) in failing]
    quiet = [f for f in findings if id(f) not in failing]
    if bad:
        rules = list(dict.fromkeys(f.rule for f in bad))
        message = (
            _one_line(bad[0]) if len(bad) == 1 else f"{len(bad)} findings: " + ", ".join(rules)
        )
        el = ET.SubElement(case, "failure", type=",".join(rules), message=_x(message))
        # GitLab shows only this text: the findings below --fail-on of this note go in too.
        el.text = _x("\n\n".join([_details(f) for f in bad] + [_quiet_line(f) for f in quiet]))
    if quiet:
        out = ET.SubElement(case, "system-out")  # Jenkins and junitparser show it
        out.text = _x("\n".join(_quiet_line(f) for f in quiet))
    return 1 if bad else 0


def _below(suite: ET.Element, classname: str, quiet: list[Finding], report: Report) -> None:
    level = report.fail_on.value if report.fail_on else "never"
    case = ET.SubElement(suite, "testcase", name=BELOW, classname=classname, time="0")
    el = ET.SubElement(
        case, "skipped", message=_x(f"{len(quiet)} findings below --fail-on {level}")
    )
    el.text = _x("\n".join(_where(f) + _quiet_line(f) for f in quiet))


def _where(f: Finding) -> str:
    label = f"note {f.label}, " if f.label else ""
    return f"{label}line {f.location.line}: " if f.location else label


def _one_line(f: Finding) -> str:
    return f"{f.severity.value}: {f.rule}: {' '.join(f.message.split())}"


def _quiet_line(f: Finding) -> str:
    return _one_line(f) + _accepted(f)


def _accepted(f: Finding) -> str:
    if not f.accepted:
        return ""
    return f" (accepted: {f.reason})" if f.reason else " (accepted)"


def _details(f: Finding) -> str:
    lines = [_one_line(f)]
    if f.location:
        lines.append(
            f"at {f.location.file}:{f.location.line}"
            + ("" if f.location.unit == "line" else f" ({f.location.unit})")
        )
    if f.url:
        lines.append(f"url: {f.url}")
    if f.suggestion:
        lines.append(f"suggestion: {f.suggestion}")
    info = RULES.get(f.rule)
    if info:
        lines.append(f"what to do: {info.help}")
    return "\n".join(lines)
