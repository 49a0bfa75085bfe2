"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

What code scanning requires or does (docs.github.com, "SARIF support for code scanning"):
paths relative to the repository root with `uriBaseId: %SRCROOT%`; at most 25,000 results a
run (more is rejected), so the most severe are kept and the rest counted in the run's
properties; `partialFingerprints.primaryLocationLineHash` as upload-sarif computes it. Code
scanning ignores `suppressions` and opens an alert for a suppressed result
(github/codeql-action#1230), so accepted findings are left out and counted instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from citecheck import PROJECT_URL, __version__
from citecheck.findings import RULES, Finding, Report
from citecheck.models import Rule
from citecheck.policy import FINGERPRINT_KEY, occurrence_fingerprints
from citecheck.reporters.json import dumps
from citecheck.reporters.linehash import stable_hash

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000  # GitHub rejects a run with more
LINE_HASH = "primaryLocationLineHash"
_RULE_INDEX = {name: i for i, name in enumerate(RULES)}
# GitHub shows a security severity (critical >= 9, high >= 7, medium >= 4, low) for rules
# tagged "security": the rules where a reader of the report can be put at risk.
SECURITY_SEVERITY = {"parked-domain": "7.0", "tls-error": "5.0", "insecure-link": "4.0"}


def render(report: Report) -> str:
    """The report as a SARIF 2.1.0 log, paths as the report gives them."""
    return render_at(report, None)


def render_at(
    report: Report,
    paths: Mapping[str, tuple[str, bool]] | None,
    texts: Mapping[str, str] | None = None,
) -> str:
    """The log with artifact paths from `paths`: a file as the findings name it -> (its path
    from the repository root, True), or (its absolute path, False) when outside the root.
    `texts` maps a file as the findings name it to its text, for line hashes."""
    findings = sorted(report.findings, key=Finding.sort_key)
    waived = [f for f in findings if f.accepted]
    open_ = [f for f in findings if not f.accepted]
    kept = _most_severe(open_, MAX_RESULTS)
    fps = occurrence_fingerprints(kept)
    hashes = _line_hashes(kept, texts or {})
    run: dict = {
        "tool": {
            "driver": {
                "name": "citecheck",
                "version": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_rule(name) for name in RULES],
            }
        },
        "results": [
            _result(f, fp, lh, report.source, paths)
            for f, fp, lh in zip(kept, fps, hashes, strict=True)
        ],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "omittedResults": len(open_) - len(kept),
            "acceptedResults": len(waived),
            "note": (
                f"at most {MAX_RESULTS} results are uploaded, the most severe first; "
                "accepted findings are left out (code scanning would open them as alerts)"
            ),
        },
    }
    if paths is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "The repository root."}}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return dumps(log) + "\n"


def _most_severe(findings: list[Finding], cap: int) -> list[Finding]:
    """The `cap` most severe findings, in note order."""
    if len(findings) <= cap:
        return findings
    ranked = sorted(range(len(findings)), key=lambda i: (-findings[i].severity.rank, i))
    keep = sorted(ranked[:cap])
    return [findings[i] for i in keep]


def _line_hashes(findings: list[Finding], texts: Mapping[str, str]) -> list[str]:
    """GitHub's line hash where the line is known; else a stable hash of rule, label, URL."""
    from citecheck.reporters.linehash import line_hashes

    by_file = {name: line_hashes(text) for name, text in texts.items()}
    seen: Counter[str] = Counter()
    out = []
    for f in findings:
        loc = f.location
        known = by_file.get(loc.file) if loc and loc.unit == "line" else None
        if known and loc and loc.line in known:
            out.append(known[loc.line])
            continue
        key = stable_hash(f.rule, f.label, f.url)
        seen[key] += 1
        out.append(f"{key}:{seen[key]}")
    return out


def _rule(name: Rule) -> dict[str, Any]:
    info = RULES[name]
    tags = ["citations", info.family]
    props: dict[str, Any] = {"tags": tags}
    if name in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[name]
        tags.append("security")
    return {
        "id": name,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": f"{info.summary} {info.help}"},
        "help": {"text": info.help, "markdown": f"{info.summary}\n\n**What to do:** {info.help}"},
        "helpUri": f"{PROJECT_URL}#rules",
        "defaultConfiguration": {"level": info.severity.value},
        "properties": props,
    }


def _result(
    f: Finding, fp: str, line_hash: str, source: str, paths: Mapping[str, tuple[str, bool]] | None
) -> dict:
    text = f.message if not f.suggestion else f"{f.message} Suggestion: {f.suggestion}"
    result: dict = {
        "ruleId": f.rule,
        "level": f.severity.value,
        "message": {"text": text},
        "locations": [_location(f, source, paths)],
        "partialFingerprints": {FINGERPRINT_KEY: fp, LINE_HASH: line_hash},
    }
    if f.rule in _RULE_INDEX:
        result["ruleIndex"] = _RULE_INDEX[f.rule]
    props = {
        k: v for k, v in (("label", f.label), ("url", f.url), ("suggestion", f.suggestion)) if v
    }
    if props:
        result["properties"] = props
    return result


def _location(f: Finding, source: str, paths: Mapping[str, tuple[str, bool]] | None) -> dict:
    loc = f.location
    phys: dict = {"artifactLocation": artifact_location(loc.file if loc else source, paths)}
    if loc and loc.unit == "line" and loc.line >= 1:
        phys["region"] = {"startLine": loc.line}
    out: dict = {"physicalLocation": phys}
    if loc and loc.unit != "line":
        # SARIF regions have no paragraph or page; say where in words instead.
        out["message"] = {"text": f"{loc.unit} {loc.line}"}
    return out


def artifact_location(path: str, paths: Mapping[str, tuple[str, bool]] | None) -> dict:
    """`path` from the repository root with `uriBaseId` %SRCROOT% when it lies below the
    root; as given otherwise (relative, or an absolute file:// URI)."""
    where = paths.get(path) if paths is not None else None
    if where is None:
        return {"uri": artifact_uri(path)}
    shown, below_root = where
    if not below_root:
        return {"uri": artifact_uri(shown)}
    return {"uri": artifact_uri(shown), "uriBaseId": SRCROOT}


@lru_cache(maxsize=256)  # a few files, each named by thousands of results
def artifact_uri(path: str) -> str:
    """A relative path as a URI reference ("reports/a b.txt" -> "reports/a%20b.txt");
    an absolute path as a file:// URI."""
    p = PurePath(path.replace("\\", "/"))
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())
