"""Fixtures for the reporter tests: the fixed report of reporters_sample."""

from __future__ import annotations

import pytest

from citecheck.findings import Report
from reporters_sample import build_report


@pytest.fixture
def report() -> Report:
    return build_report()
