"""Bad input in the non-PDF formats, through the real CLI: one line on stderr naming the file
and what is wrong, exit 2, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.test_cli_inputs import citecheck

DATA = Path(__file__).resolve().parent / "data" / "formats"


def _docx_with(tmp_path: Path, name: str, change) -> Path:
    """small.docx (made by pandoc) with its parts passed through `change(name, data)`."""
    out = tmp_path / name
    with zipfile.ZipFile(DATA / "small.docx") as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item.filename)))
    return out


def renamed_zip(tmp_path: Path) -> Path:
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("data/table.csv", "a,b\n1,2\n")
    return path


def broken_xml(tmp_path: Path) -> Path:
    return _docx_with(
        tmp_path,
        "broken.docx",
        lambda n, d: d[: len(d) // 2] if n == "word/footnotes.xml" else d,
    )


def corrupt_deflate(tmp_path: Path) -> Path:
    data = bytearray((DATA / "small.docx").read_bytes())
    at = data.find(b"word/document.xml") + 120  # inside the compressed part that follows
    data[at : at + 40] = bytes(b ^ 0xFF for b in data[at : at + 40])
    path = tmp_path / "corrupt.docx"
    path.write_bytes(bytes(data))
    return path


def truncated(tmp_path: Path) -> Path:
    path = tmp_path / "cut.docx"
    path.write_bytes((DATA / "small.docx").read_bytes()[:2000])
    return path


def unbalanced_latex(tmp_path: Path) -> Path:
    path = tmp_path / "paper.tex"
    path.write_text(
        "\\documentclass{article}\n\\begin{document}\nA claim.\\footnote{Never closed.\n"
        "More text.\n\\end{document}\n"
    )
    return path


def huge_text(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    line = b"A long line of a report body, repeated to make a file far larger than any report.\n"
    with open(path, "wb") as fh:
        for _ in range(100 * 2**20 // len(line) + 1):
            fh.write(line)
    return path


def unclosed_tags(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Claim" + "<span>" * 20_000 + "</body></html>")
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (renamed_zip, "not a Word document (no word/document.xml)"),
        (broken_xml, "damaged: word/footnotes.xml is not well-formed XML"),
        (corrupt_deflate, "damaged: word/document.xml cannot be unpacked"),
        (truncated, "not a valid .docx"),
        (unbalanced_latex, ":3: unbalanced braces"),
        (huge_text, "MiB of text: over the 32 MiB"),
        (unclosed_tags, "elements nest over 1000 deep"),
    ],
)
def test_one_line_naming_the_file_and_exit_2(tmp_path, make, says):
    path = make(tmp_path)
    done = citecheck(tmp_path, "check", path.name)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith(f"citecheck: error: {path.name}")
    assert says in err and "Traceback" not in err
