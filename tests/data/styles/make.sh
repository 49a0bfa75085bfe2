#!/bin/sh
# Regenerates the reports of tests/test_citation_styles.py: the Markdown sources (and their
# injected variants, inject.py) through pandoc to HTML, DOCX and plain text, and the DOCX
# through LibreOffice to PDF. CI runs neither pandoc nor LibreOffice: the outputs are committed.
set -e
cd "$(dirname "$0")"
python3 inject.py
for name in numbered numbered-injected authordate authordate-injected; do
  pandoc -s --metadata title="$name" "$name.md" -o "$name.html"
  pandoc "$name.md" -o "$name.docx"
  pandoc "$name.md" -t plain --wrap=auto -o "$name.txt"
  soffice --headless --convert-to pdf "$name.docx" >/dev/null
done
