"""Time reading a 300-page PDF with citecheck's PDF reader, and where the time goes.

    /work/venv/bin/python bench/bench_pdf.py [REPORT.pdf]

Without an argument it builds a 300-page report the way the tests build theirs: Markdown with
1800 footnotes (each with a URL) -> pandoc -> DOCX -> LibreOffice -> PDF (about 20 s); where
pandoc or LibreOffice is missing, tests/data/formats/small.pdf repeated 300 times by pdfunite.
It checks the read found every note, then measures in the same run: the whole read, and
pdfminer.six alone (content streams and layout analysis, then without layout analysis: the
most an own line-grouping could save), so that the figures can be compared with each other.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
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


def pdfminer_only(data: bytes, layout: bool) -> float:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    rm = PDFResourceManager()
    device = PDFPageAggregator(rm, laparams=LAParams() if layout else None)
    interp = PDFPageInterpreter(rm, device)
    t0 = time.perf_counter()
    for page in PDFPage.get_pages(BytesIO(data)):
        interp.process_page(page)
        device.get_result()
    return time.perf_counter() - t0


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
    pages = max((n.location.line for n in doc.notes), default=0)
    if notes is not None:
        assert [n.label for n in doc.notes] == [str(i) for i in range(1, notes + 1)], "bad read"
        assert len(doc.markers) == notes, "bad read"
    with_layout, without = pdfminer_only(data, True), pdfminer_only(data, False)
    print(
        f"{path.name}: {pages} pages with notes, {len(doc.notes)} notes, "
        f"{len(doc.markers)} markers, {sum(len(n.urls) for n in doc.notes)} note URLs"
    )
    print(
        f"pdf.read:                           {whole:6.2f} s  ({whole / pages * 1000:.0f} ms/page)"
    )
    print(f"pdfminer with layout analysis:      {with_layout:6.2f} s  ({with_layout / whole:.0%})")
    print(f"pdfminer without layout analysis:   {without:6.2f} s  ({without / whole:.0%})")
    print(
        f"citecheck's own work + annotations: {whole - with_layout:6.2f} s "
        f"({(whole - with_layout) / whole:.0%})"
    )
    print(f"unchanged report, from the cache:   {cached:6.2f} s  ({cached / whole:.1%})")


if __name__ == "__main__":
    main()
