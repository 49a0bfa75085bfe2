"""Output formats. Each module defines a pure `render(report) -> str`; adding one is one
module and one line here."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from citecheck.findings import Report

REPORTERS: dict[str, str] = {
    "table": "citecheck.reporters.table",
    "json": "citecheck.reporters.json",
}


def renderer(name: str) -> Callable[[Report], str]:
    return importlib.import_module(REPORTERS[name]).render
