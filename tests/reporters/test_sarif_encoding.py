"""SARIF is written as `json.dumps(indent=2, ensure_ascii=False)` would write it, and its line
hashes are those of the character-by-character reading of upload-sarif's algorithm."""

from __future__ import annotations

import json
import random

import pytest

from citecheck.findings import Report
from citecheck.reporters import sarif
from citecheck.reporters.linehash import BLOCK, line_hashes


def test_the_log_is_what_json_dumps_writes(report: Report) -> None:
    text = sarif.render(report)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_a_large_log_with_awkward_text_is_what_json_dumps_writes() -> None:
    from test_json_plain import _large

    big = _large(120)
    texts = {"big.md": "".join(f"line {i} « é » \U0001f600\n" for i in range(2000))}
    paths = {"big.md": ("docs/big report.md", True)}
    text = sarif.render_at(big, paths, texts)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def _reference(text: str) -> dict[int, str]:
    """upload-sarif's hash read one character at a time (as citecheck first wrote it)."""
    units = text
    if not all(ord(ch) <= 0xFFFF for ch in text):
        units = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    codes: list[int] = []
    starts: list[int] = []
    line_start, prev_cr = True, False
    for ch in units:
        c = ord(ch)
        if ch in " \t" or (prev_cr and ch == "\n"):
            prev_cr = False
            continue
        prev_cr = ch == "\r"
        if prev_cr:
            c = 10
        if line_start:
            starts.append(len(codes))
            line_start = False
        if c == 10:
            line_start = True
        codes.append(c)
    if line_start:
        starts.append(len(codes))
    codes += [65535] + [0] * BLOCK
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for line, start in enumerate(starts, 1):
        value = 0
        for c in codes[start : start + BLOCK]:
            value = (value * 37 + c) % (1 << 64)
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[line] = f"{key}:{seen[key]}"
    return out


@pytest.mark.parametrize("seed", range(40))
def test_line_hashes_are_those_of_the_character_by_character_reading(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", "\t", "\r", "\n", "\r\n", "é", "\U0001f600", "\ud800", "x" * 60]
    text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
    assert line_hashes(text) == _reference(text)


def test_line_hashes_of_the_edge_cases() -> None:
    for text in ["", " ", "\n", "\r", "\r\r\n", "\r \n", "\r\t\n", "a", "a\n", "\n\n", " a \r\n"]:
        assert line_hashes(text) == _reference(text), repr(text)
