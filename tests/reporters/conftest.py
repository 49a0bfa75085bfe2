"""Fixtures for the reporter tests: the fixed report of reporters_sample."""

from __future__ import annotations

import pytest
from reporters_sample import build_report

from citecheck.findings import Report


@pytest.fixture
def report() -> Report:
    return build_report()
