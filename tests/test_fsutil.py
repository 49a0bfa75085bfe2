"""Atomic writes of a text given piece by piece (the CLI writes a big JSON result as it is
rendered): the file is the pieces joined, or, if making them fails, the old file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citecheck import fsutil


def test_pieces_are_written_as_one_text(tmp_path):
    path = tmp_path / "out.json"
    fsutil.atomic_write_pieces(path, iter(["{", '"é": ', "1", "}\n"]))
    assert path.read_text(encoding="utf-8") == '{"é": 1}\n'


def test_a_failure_while_rendering_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "out.json"
    path.write_text("old\n")

    def broken() -> Iterator[str]:
        yield "half of a new "
        raise RuntimeError("reporter bug")

    with pytest.raises(RuntimeError):
        fsutil.atomic_write_pieces(path, broken())
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
