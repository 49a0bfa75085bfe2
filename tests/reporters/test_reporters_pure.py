"""Reporters are pure `render(report) -> str`: no file, environment or process access in any
module of citecheck/reporters (only the CLI writes files)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import citecheck.reporters

PACKAGE = Path(citecheck.reporters.__file__).parent
FORBIDDEN_CALLS = {"open", "write_text", "write_bytes", "mkdir", "unlink", "replace", "rename"}
FORBIDDEN_MODULES = {"os", "shutil", "subprocess", "tempfile", "pathlib", "sys"}


def impurities(source: str) -> list[str]:
    """What in `source` reaches outside a pure render: I/O calls and side-effect modules."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [a.name for a in node.names if not a.name.startswith("Pure")]  # PurePath
            if node.module.split(".")[0] in FORBIDDEN_MODULES and names:
                found.append(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS and not _is_str_method(func):
                found.append(f"{name}() on line {node.lineno}")
    return found


def _is_str_method(func: ast.expr) -> bool:
    # "a".replace(...) and text.replace(...) are string work, not os.replace.
    return isinstance(func, ast.Attribute) and func.attr == "replace"


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_reporter_module_does_no_io(path):
    assert impurities(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_file_writing():
    planted = "import os\nfrom pathlib import Path\ndef render(r):\n    open('x', 'w')\n"
    assert impurities(planted) == ["os", "pathlib", "open() on line 4"]
