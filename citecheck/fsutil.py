"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_SLICE = 1 << 20  # characters encoded at a time


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename."""
    atomic_write_pieces(path, _slices(text))


def _slices(text: str) -> Iterator[str]:
    # a slice at a time: writing the whole text would encode a second copy of it
    for start in range(0, len(text), _SLICE):
        yield text[start : start + _SLICE]


def atomic_write_pieces(path: Path, pieces: Iterable[str]) -> None:
    """Write the text made of `pieces` to `path` as they come (the whole text is never
    held), through a temporary file in the same directory and a rename: a failure while
    the pieces are made leaves the old file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600): keep the old file's mode, or give a new
        # file the mode any other new file would get (0666 less the umask).
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0o22)  # the only way to read it is to set it: put it back at once
    os.umask(mask)
    return mask
