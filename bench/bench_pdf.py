"""Time reading a 300-page PDF (tests/data/formats/small.pdf pages repeated with pypdf-free
concatenation by pdfunite from poppler-utils)."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from citecheck.readers import pdf  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "tests" / "data" / "formats" / "small.pdf"

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "big.pdf"
    subprocess.run(["pdfunite", *[str(SRC)] * 300, str(out)], check=True)
    data = out.read_bytes()
    t0 = time.perf_counter()
    doc = pdf.read(data, str(out))
    dt = time.perf_counter() - t0
print(f"300 pages: {dt:.2f} s ({len(doc.notes)} notes, {len(doc.markers)} markers)")
