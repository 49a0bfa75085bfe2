"""Time reading a 300-page PDF with citecheck's PDF reader (PDFium), beside the pdfminer.six
reader it replaced, in the same run.

    python bench/bench_pdf.py [REPORT.pdf]

Without an argument it builds a 300-page report the way the tests build theirs: Markdown with
1800 footnotes (each with a URL) -> pandoc -> DOCX -> LibreOffice -> PDF (about 20 s); where
pandoc or LibreOffice is missing, tests/data/formats/small.pdf repeated 300 times by pdfunite.
It checks that both reads found every note, then prints both times and their ratio (the old
reader needs the bench extra: pip install 'citecheck[bench]').
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from citecheck.readers import pdf  # noqa: E402

PAGES = 300
NOTES = 1800  # six notes a page with LibreOffice's default page and fonts


def build(tmp: Path) -> tuple[Path, int]:
    """A 300-page report and the number of notes it has."""
    if shutil.which("pandoc") and shutil.which("soffice"):
        md = tmp / "report300.md"
        md.write_text(_markdown(NOTES), encoding="utf-8")
        subprocess.run(["pandoc", str(md), "-o", str(tmp / "report300.docx")], check=True)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp),
                str(tmp / "report300.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return tmp / "report300.pdf", NOTES
    small = ROOT / "tests" / "data" / "formats" / "small.pdf"
    out = tmp / "small300.pdf"
    subprocess.run(["pdfunite", *[str(small)] * PAGES, str(out)], check=True)
    return out, 5 * PAGES


def _markdown(n: int) -> str:
    body, notes = [], []
    for i in range(1, n + 1):
        if i % 30 == 1:
            body.append(f"# {i // 30 + 1} Section {i // 30 + 1}\n")
        body.append(
            f"Paragraph {i} of the long report discusses a finding of the scan in some "
            "detail, with enough words to fill a few lines of text on the page, so that "
            f"each page holds about six notes.[^n{i}]\n"
        )
        notes.append(
            f"[^n{i}]: Source {i}, Report on topic {i}, <https://www.example{i % 7}.org/"
            f"publications/2015/topic-{i}/full-report-section-{i}.html>"
        )
    return "\n".join(body) + "\n\n" + "\n".join(notes) + "\n"


def old_read(data: bytes, path: Path) -> tuple[float, int] | None:
    """Seconds and notes of the pdfminer.six reader (None without pdfminer.six)."""
    try:
        import _pdfminer_reader
    except ImportError:
        return None
    t0 = time.perf_counter()
    try:
        doc = _pdfminer_reader.read(data, str(path))
    except Exception as exc:  # the old reader's own failures are part of the comparison
        print(f"pdfminer reader failed: {type(exc).__name__}: {exc}")
        return None
    return time.perf_counter() - t0, len(doc.notes)


def cached_read(path: Path, cache_dir: Path) -> float:
    """Seconds to load the report again from the cache (after one read that fills it)."""
    from citecheck.cache.store import Cache
    from citecheck.readers import load_document

    cache = Cache(cache_dir)
    try:
        first = load_document(path, cache=cache)
        t0 = time.perf_counter()
        again = load_document(path, cache=cache)
        seconds = time.perf_counter() - t0
    finally:
        cache.close()
    assert again == first, "the cached parse differs from the read"
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path, notes = (Path(sys.argv[1]), None) if len(sys.argv) > 1 else build(Path(tmp))
        data = path.read_bytes()
        t0 = time.perf_counter()
        doc = pdf.read(data, str(path))
        whole = time.perf_counter() - t0
        cached = cached_read(path, Path(tmp) / "cache")
        old = old_read(data, path)
    pages = doc.notes[-1].location.line if doc.notes else 0
    if notes is not None:
        assert [n.label for n in doc.notes] == [str(i) for i in range(1, notes + 1)], "bad read"
        assert len(doc.markers) == notes, "bad read"
    print(
        f"{path.name}: {pages} pages with notes, {len(doc.notes)} notes, "
        f"{len(doc.markers)} markers, {sum(len(n.urls) for n in doc.notes)} note URLs"
    )
    per_page = whole / max(pages, 1) * 1000
    print(f"pdf.read (PDFium):                {whole:6.2f} s  ({per_page:.1f} ms/page)")
    if old is not None:
        seconds, old_notes = old
        print(
            f"old reader (pdfminer.six):        {seconds:6.2f} s  ({old_notes} notes); "
            f"PDFium takes {whole / seconds:.1%} of its time ({seconds / whole:.0f}x faster)"
        )
    else:
        print("old reader (pdfminer.six):        not installed (pip install 'citecheck[bench]')")
    print(f"unchanged report, from the cache: {cached:6.2f} s  ({cached / whole:.1%})")


if __name__ == "__main__":
    main()
