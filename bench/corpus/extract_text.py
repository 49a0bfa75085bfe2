"""Text of a PDF as another extractor than poppler gives it, for the corpus's derived
documents (bench/corpus.py runs it as `[*tool.split(), pdf, out]`).

    python bench/corpus/extract_text.py ENGINE PDF OUT

ENGINE is `pdfminer` (pdfminer.six `high_level.extract_text`, pages ended by form feeds as
it writes them) or `pdfium` (PDFium through pypdfium2: each page's `get_text_bounded()`,
pages joined with form feeds). Exit status 3 when the engine is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

MISSING = 3


def pdfminer_text(pdf: Path) -> str:
    """pdfminer.six with its default layout analysis, as a user calling it would."""
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def pdfium_text(pdf: Path) -> str:
    """PDFium's text of every page (its own reading order), form feed between pages."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in doc:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        doc.close()


ENGINES: dict[str, Callable[[Path], str]] = {"pdfminer": pdfminer_text, "pdfium": pdfium_text}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ENGINES:
        print(f"usage: extract_text.py {{{','.join(ENGINES)}}} PDF OUT", file=sys.stderr)
        return 2
    engine, pdf, out = argv
    try:
        text = ENGINES[engine](Path(pdf))
    except ImportError as exc:
        print(f"extract_text.py: {engine} is not installed ({exc})", file=sys.stderr)
        return MISSING
    Path(out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
