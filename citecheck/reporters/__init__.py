"""Output formats. Each module defines a pure `render(report) -> str` (and, for outputs that
grow with the report, a pure `render_chunks(report) -> Iterator[str]` whose pieces joined are
`render`'s text); adding one is one module and one line here."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
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


@runtime_checkable
class Reporter(Protocol):
    """What a reporter module provides: a pure `render(report) -> str` (no I/O)."""

    def render(self, report: Report, /) -> str: ...


def reporter(module: str) -> Reporter:
    """The reporter module at `module` (a value of REPORTERS or APPENDIX)."""
    loaded = importlib.import_module(module)
    if not isinstance(loaded, Reporter):
        raise TypeError(f"{module} has no render(report) -> str")
    return loaded


def renderer(name: str) -> Callable[[Report], str]:
    return reporter(REPORTERS[name]).render


def chunk_renderer(name: str) -> Callable[[Report], Iterable[str]]:
    """The output of format `name` piece by piece: its `render_chunks`, else its whole
    `render` text as the only piece."""
    module = reporter(REPORTERS[name])
    chunks: Callable[[Report], Iterator[str]] | None = getattr(module, "render_chunks", None)
    if chunks is not None:
        return chunks
    return lambda report: (module.render(report),)


def appendix_renderer(name: str) -> Callable[[Report], str]:
    return reporter(APPENDIX[name]).render


def one_of(names: Iterable[str]) -> str:
    """ "a, b or c": the registered names for help texts and messages."""
    items = list(names)
    return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else "".join(items)
