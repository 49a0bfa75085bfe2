"""GitHub Actions workflow commands: one annotation per finding on the report's lines."""

from __future__ import annotations

from citecheck.findings import Finding, Report

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def render(report: Report) -> str:
    """`::error file=...,line=...,title=...::message` lines, then a plain summary line."""
    lines = [_command(f, report.source) for f in sorted(report.findings, key=Finding.sort_key)]
    counts = report.counts()
    failing = len(report.failing())
    lines.append(
        f"citecheck: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['note']} note(s); {failing} at or above --fail-on"
    )
    return "\n".join(lines) + "\n"


def _command(f: Finding, source: str) -> str:
    # Accepted findings are shown as notices: visible, but never red.
    level = "notice" if f.accepted else _LEVEL[f.severity.value]
    props = {"file": f.location.file if f.location else source}
    if f.location and f.location.unit == "line":
        props["line"] = str(f.location.line)
    title = f"citecheck {f.rule}" + (f" (note {f.label})" if f.label else "")
    props["title"] = title
    message = f.message
    if f.suggestion:
        message += f"\nSuggestion: {f.suggestion}"
    if f.accepted:
        reason = f.reason
        message += f"\nAccepted{': ' + reason if reason else ''}"
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF percent-encoded (% first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as data, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
