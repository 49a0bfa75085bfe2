"""JUnit XML for Jenkins, GitLab and other CI test views: one suite per rule family, one
test case per note, a failure per finding at or above --fail-on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from citecheck.findings import RULES, Finding, Report
from citecheck.reporters._common import findings_by_note

FAMILIES = ("document", "citation", "link", "archive")
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    failing = set(map(id, report.failing()))
    root = ET.Element("testsuites", name="citecheck")
    totals = [0, 0]
    for family in _families():
        suite = _suite(report, family, cases, failing)
        totals[0] += int(suite.get("tests", "0"))
        totals[1] += int(suite.get("failures", "0"))
        root.append(suite)
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _families() -> list[str]:
    extra = sorted({r.family for r in RULES.values()} - set(FAMILIES))
    return list(FAMILIES) + extra


def _orphan_cases(orphans: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings on labels with no note (a marker without its note) or on no note at all."""
    by_name: dict[str, list[Finding]] = {}
    for f in orphans:
        name = f"marker {f.label}" if f.label else "report"
        by_name.setdefault(name, []).append(f)
    return list(by_name.items())


def _suite(
    report: Report, family: str, cases: list[tuple[str, list[Finding]]], failing: set[int]
) -> ET.Element:
    suite = ET.Element("testsuite", name=f"citecheck.{family}")
    failures = 0
    for name, findings in cases:
        mine = [f for f in findings if _family(f) == family]
        case = ET.SubElement(
            suite,
            "testcase",
            name=_x(name),
            classname=f"citecheck.{family}",
            file=_x(report.source),
            time="0",
        )
        for f in mine:
            if id(f) in failing:
                failures += 1
                el = ET.SubElement(case, "failure", type=f.rule, message=_x(_one_line(f)))
                el.text = _x(_details(f))
        quiet = [f for f in mine if id(f) not in failing]
        if quiet:
            out = ET.SubElement(case, "system-out")
            out.text = _x("\n".join(_one_line(f) + _accepted(f) for f in quiet))
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def _family(f: Finding) -> str:
    info = RULES.get(f.rule)
    return info.family if info else "document"


def _one_line(f: Finding) -> str:
    return f"{f.severity.value}: {f.rule}: {' '.join(f.message.split())}"


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
