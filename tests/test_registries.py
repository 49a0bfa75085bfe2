"""Every registered reader and reporter meets its Protocol, and the names users see in help
texts and messages come from the registries (a new format is one file and one line)."""

from __future__ import annotations

import inspect

import pytest
import typer
from typer.testing import CliRunner

from citecheck.cli import app
from citecheck.readers import READERS, Reader, reader, suffixes
from citecheck.reporters import APPENDIX, REPORTERS, Reporter, one_of, reporter


def _positional(func) -> int:
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = inspect.signature(func).parameters.values()
    return sum(1 for p in params if p.kind in kinds and p.default is inspect.Parameter.empty)


@pytest.mark.parametrize("name", list(READERS))
def test_reader_meets_the_protocol(name):
    module = reader(name)
    assert isinstance(module, Reader)
    assert _positional(module.read) == 2
    assert isinstance(getattr(module, "BINARY", False), bool)
    sniff = getattr(module, "sniff", None)
    assert sniff is None or _positional(sniff) == 1


@pytest.mark.parametrize("module", [*REPORTERS.values(), *APPENDIX.values()])
def test_reporter_meets_the_protocol(module):
    loaded = reporter(module)
    assert isinstance(loaded, Reporter)
    assert _positional(loaded.render) == 1


def test_a_module_without_the_function_is_refused():
    with pytest.raises(TypeError, match="has no render"):
        reporter("citecheck.reporters._common")


def _help(command: str, param: str) -> str:
    group = typer.main.get_command(app)
    return next(p.help for p in group.commands[command].params if p.name == param)


def test_help_and_messages_list_the_registered_formats():
    assert _help("check", "format") == f"{one_of(REPORTERS)}."
    assert _help("appendix", "format") == f"{one_of(APPENDIX)}."
    assert ", ".join(suffixes()) in _help("extract", "report")
    bad = CliRunner().invoke(app, ["check", "r.txt", "--format", "nope"])
    assert f"choose {one_of(REPORTERS)}" in bad.output
    assert set(suffixes()) == {s[1][0].lstrip(".") for s in READERS.values() if s[1]}
    assert one_of(["a"]) == "a" and one_of(["a", "b", "c"]) == "a, b or c"
