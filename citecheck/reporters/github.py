"""GitHub Actions workflow commands: one annotation per finding on the report's lines."""

from __future__ import annotations

from citecheck.findings import Finding, Report

_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
_ORDER = ("error", "warning", "notice")
# GitHub shows at most 10 annotations of each level per step and drops the rest; the tenth
# of a crowded level says how many more there are, so that it is seen.
PER_LEVEL = 10


def render(report: Report) -> str:
    """Errors, then warnings, then notices (accepted findings last among them), each level
    capped so that GitHub shows them all; the findings past a cap as plain log lines; then a
    plain summary line."""
    by_level: dict[str, list[Finding]] = {level: [] for level in _ORDER}
    for f in sorted(report.findings, key=_importance):
        by_level[_level(f)].append(f)
    lines: list[str] = []
    rest: list[Finding] = []
    for level in _ORDER:
        mine = by_level[level]
        shown = mine if len(mine) <= PER_LEVEL else mine[: PER_LEVEL - 1]
        lines += [_command(f, report.source) for f in shown]
        if len(mine) > len(shown):
            lines.append(_more(level, len(mine) - len(shown)))
            rest += mine[len(shown) :]
    lines += [_plain(f, report.source) for f in rest]
    counts = report.counts()
    failing = len(report.failing())
    lines.append(
        f"citecheck: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['note']} note(s); {failing} at or above --fail-on"
    )
    return "\n".join(lines) + "\n"


def _level(f: Finding) -> str:
    # Accepted findings are shown as notices: visible, but never red.
    return "notice" if f.accepted else _LEVEL[f.severity.value]


def _importance(f: Finding) -> tuple:
    """Open before accepted, then the document's order."""
    return (f.accepted, *f.sort_key())


def _more(level: str, count: int) -> str:
    noun = {"error": "errors", "warning": "warnings", "notice": "notices"}[level]
    message = (
        f"{count} more {noun} not shown as annotations (GitHub shows {PER_LEVEL} of each "
        "level per step): see the job summary, or the log of this step, for all of them"
    )
    title = escape_property(f"citecheck: {count} more {noun}")
    return f"::{level} title={title}::{escape_data(message)}"


def _plain(f: Finding, source: str) -> str:
    """A finding past the cap, as a log line (not a workflow command)."""
    from citecheck.reporters.safe import strip_controls

    where = f.location.file if f.location else source
    line = f":{f.location.line}" if f.location and f.location.unit == "line" else ""
    label = f" (note {f.label})" if f.label else ""
    text = " ".join(f.message.split())
    return strip_controls(f"citecheck: {where}{line}: {f.severity.value}: {f.rule}{label}: {text}")


def _command(f: Finding, source: str) -> str:
    level = _level(f)
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
