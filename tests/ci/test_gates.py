"""The code-health gates: .ci/run lints, format-checks and type-checks before the tests, and
the contributors' pre-commit config runs the same tools at the versions CI pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
GATES = ["ruff check .", "ruff format --check .", "mypy citecheck"]


def _pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test = project["project"]["optional-dependencies"]["test"]
    return dict(re.match(r"([\w.-]+)==([\w.]+)", d).groups() for d in test if "==" in d)


def test_ci_runs_the_gates_before_the_tests():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    tests = next(i for i, line in enumerate(lines) if line.endswith("python -m pytest"))
    where = [lines.index(gate) for gate in GATES]
    assert where == sorted(where) and where[-1] < tests
    assert tests == max(i for i, line in enumerate(lines) if line)  # the tests run last


def test_the_gate_tools_are_pinned_in_the_test_extra():
    pins = _pins()
    assert {"ruff", "mypy"} <= set(pins)


def test_pre_commit_runs_the_same_tools():
    config = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: (repo, h) for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy"} <= set(hooks)
    ruff_repo, _ = hooks["ruff"]
    assert ruff_repo["rev"] == "v" + _pins()["ruff"]
    _, mypy = hooks["mypy"]
    assert mypy["entry"] == "mypy citecheck" and mypy["pass_filenames"] is False


def test_mypy_is_strict_for_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["python_version"] == "3.11" and config["check_untyped_defs"]
    strict = [o for o in config["overrides"] if o["module"] == "citecheck.*"]
    assert strict and strict[0]["disallow_untyped_defs"] is True
    assert "ignore_missing_imports" not in config  # only per third-party module, if ever
