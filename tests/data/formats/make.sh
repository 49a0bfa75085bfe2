#!/bin/sh
# Regenerates the committed test documents from their Markdown sources.
# Needs pandoc, LibreOffice (soffice) and poppler-utils (pdftotext).
set -e
cd "$(dirname "$0")"
for md in *.md; do
  base=${md%.md}
  pandoc "$md" -o "$base.docx"
  soffice --headless --convert-to pdf --outdir . "$base.docx" >/dev/null 2>&1
  pdftotext -layout "$base.pdf" "$base.layout.txt"
done
