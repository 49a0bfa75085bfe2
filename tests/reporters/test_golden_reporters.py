"""Every reporter and appendix format on the fixed report, against files a human has read.

Regenerate after an intended change with CITECHECK_UPDATE_GOLDEN=1, then read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from citecheck.reporters import APPENDIX, appendix_renderer, renderer

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("CITECHECK_UPDATE_GOLDEN") == "1"

CASES = [
    ("sarif", "report.sarif"),
    ("junit", "report.junit.xml"),
    ("github", "report.github.txt"),
    ("markdown", "report.md"),
    ("table", "report.table.txt"),
    ("json", "report.json"),
]
APPENDIX_CASES = [("markdown", "appendix.md"), ("html", "appendix.html"), ("csv", "appendix.csv")]


def _check(text: str, name: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with CITECHECK_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{name} differs from the golden file; if intended, regenerate with "
        f"CITECHECK_UPDATE_GOLDEN=1 and read the diff"
    )


@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_reporter_matches_golden(report, fmt, name):
    _check(renderer(fmt)(report), name)


@pytest.mark.parametrize(("fmt", "name"), APPENDIX_CASES)
def test_appendix_matches_golden(report, fmt, name):
    _check(appendix_renderer(fmt)(report), name)


def test_every_format_has_a_golden_file():
    from citecheck.reporters import REPORTERS

    assert {f for f, _ in CASES} == set(REPORTERS)
    assert {f for f, _ in APPENDIX_CASES} == set(APPENDIX)


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown", "table", "json"])
def test_output_is_deterministic_and_independent_of_finding_order(report, fmt):
    import dataclasses

    shuffled = dataclasses.replace(report, findings=tuple(reversed(report.findings)))
    assert renderer(fmt)(report) == renderer(fmt)(shuffled)
