"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from citecheck import PROJECT_URL, __version__
from citecheck.findings import RULES, Finding, Report, Rule
from citecheck.policy import FINGERPRINT_KEY, occurrence_fingerprints

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_INDEX = {name: i for i, name in enumerate(RULES)}


def render(report: Report) -> str:
    """The report as a SARIF 2.1.0 log with one run."""
    findings = sorted(report.findings, key=Finding.sort_key)
    fps = occurrence_fingerprints(findings)
    run = {
        "tool": {
            "driver": {
                "name": "citecheck",
                "version": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_rule(name) for name in RULES],
            }
        },
        "results": [_result(f, fp, report.source) for f, fp in zip(findings, fps, strict=True)],
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(name: Rule) -> dict[str, Any]:
    info = RULES[name]
    return {
        "id": name,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": f"{info.summary} {info.help}"},
        "help": {"text": info.help, "markdown": info.help},
        "defaultConfiguration": {"level": info.severity.value},
        "properties": {"tags": ["citations", info.family]},
    }


def _result(f: Finding, fp: str, source: str) -> dict:
    text = f.message if not f.suggestion else f"{f.message} Suggestion: {f.suggestion}"
    result: dict = {
        "ruleId": f.rule,
        "level": f.severity.value,
        "message": {"text": text},
        "locations": [_location(f, source)],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
    }
    if f.rule in _RULE_INDEX:
        result["ruleIndex"] = _RULE_INDEX[f.rule]
    props = {
        k: v for k, v in (("label", f.label), ("url", f.url), ("suggestion", f.suggestion)) if v
    }
    if props:
        result["properties"] = props
    if f.accepted:
        sup = {"kind": "external", "status": "accepted"}
        if f.reason:
            sup["justification"] = f.reason
        result["suppressions"] = [sup]
    return result


def _location(f: Finding, source: str) -> dict:
    loc = f.location
    phys: dict = {"artifactLocation": {"uri": artifact_uri(loc.file if loc else source)}}
    if loc and loc.unit == "line" and loc.line >= 1:
        phys["region"] = {"startLine": loc.line}
    out: dict = {"physicalLocation": phys}
    if loc and loc.unit != "line":
        # SARIF regions have no paragraph or page; say where in words instead.
        out["message"] = {"text": f"{loc.unit} {loc.line}"}
    return out


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference ("reports/a b.txt" -> "reports/a%20b.txt");
    an absolute path as a file:// URI."""
    p = PurePath(path.replace("\\", "/"))
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())
