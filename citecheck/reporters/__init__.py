"""Output formats. Each module defines a pure `render(report) -> str`; adding one is one
module and one line here."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from citecheck.findings import Report

REPORTERS: dict[str, str] = {
    "table": "citecheck.reporters.table",
    "json": "citecheck.reporters.json",
    "sarif": "citecheck.reporters.sarif",
    "junit": "citecheck.reporters.junit",
    "github": "citecheck.reporters.github",
    "markdown": "citecheck.reporters.markdown",
}

# `citecheck appendix --format ...`: the references list, same render(report) -> str.
APPENDIX: dict[str, str] = {
    "markdown": "citecheck.reporters.appendix_markdown",
    "html": "citecheck.reporters.appendix_html",
    "csv": "citecheck.reporters.appendix_csv",
}


def renderer(name: str) -> Callable[[Report], str]:
    return importlib.import_module(REPORTERS[name]).render


def appendix_renderer(name: str) -> Callable[[Report], str]:
    return importlib.import_module(APPENDIX[name]).render
