"""Several reports in one `citecheck check` run: the paths a glob names, and one output made
of each report's own (texts one after another, one JSON array, one SARIF log with a run per
report, one JUnit file with every report's suites)."""

from __future__ import annotations

import glob
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from citecheck.errors import InputError

if TYPE_CHECKING:
    from citecheck.commands import Result

_GLOB_CHARS = "*?["


def expand(paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
    """`paths` with each glob pattern ("reports/*.md", "**/*.tex") replaced by the files it
    matches, in name order; and a one-line problem for each pattern that matches nothing."""
    out: list[Path] = []
    problems: list[str] = []
    for path in paths:
        text = str(path)
        if path.exists() or text == "-" or not any(c in text for c in _GLOB_CHARS):
            out.append(path)
            continue
        found = sorted(p for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not found:
            problems.append(str(InputError("no file matches this pattern", text)))
        out += [Path(p) for p in found]
    return list(dict.fromkeys(out)), problems


def run_each(
    paths: Sequence[Path], check: Callable[[Path], Result], unmatched: Sequence[str] = ()
) -> Result:
    """Every report checked on its own (one that cannot be read is a notice, not the end of
    the run), the results put together."""
    from citecheck.commands import EXIT_INPUT, EXIT_NO_NETWORK, Result

    results: list[Result] = []
    problems = [f"error: {p}" for p in unmatched]
    for path in paths:
        try:
            results.append(check(path))
        except InputError as exc:
            problems.append(f"error: {exc}")
    if not results:
        raise InputError("; ".join(p.removeprefix("error: ") for p in problems))
    codes = {r.code for r in results}
    code = EXIT_INPUT if problems else max(codes - {EXIT_NO_NETWORK}, default=0)
    if EXIT_NO_NETWORK in codes and not problems:
        code = EXIT_NO_NETWORK
    fmt = results[0].fmt or "table"
    results = [replace(r, text="".join(r.body()), chunks=None) for r in results]
    return Result(
        combine([r.text for r in results], fmt),
        code,
        results[0].output,
        tuple(problems) + tuple(n for r in results for n in r.notices),
        results[0].outcome,
        fmt,
        parts=tuple(replace(r, parts=()) for r in results),
    )


def combine(texts: list[str], fmt: str) -> str:
    """One output of format `fmt` holding every report's rendering `texts`."""
    if len(texts) == 1:
        return texts[0]
    if fmt == "json":
        return json.dumps([json.loads(t) for t in texts], indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        logs = [json.loads(t) for t in texts]
        logs[0]["runs"] = [run for log in logs for run in log.get("runs", [])]
        return json.dumps(logs[0], indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return _junit(texts)
    return "\n".join(t.rstrip("\n") + "\n" for t in texts)


def _junit(texts: list[str]) -> str:
    """The <testsuite>s of every JUnit document under one <testsuites>, counts summed."""
    import xml.etree.ElementTree as ET

    top = ET.Element("testsuites", {"name": "citecheck"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for text in texts:
        root = ET.fromstring(text)
        suites = [root] if root.tag == "testsuite" else list(root)
        for suite in suites:
            top.append(suite)
            for key in totals:
                totals[key] += int(suite.get(key, "0") or 0)
    for key, value in totals.items():
        top.set(key, str(value))
    ET.indent(top)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, "unicode") + "\n"
