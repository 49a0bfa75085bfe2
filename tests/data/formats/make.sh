#!/bin/sh
# Regenerates the committed test documents from their Markdown sources (all *.md, or the
# ones named as arguments):
#   pandoc (Markdown -> DOCX with Word footnotes), docx_edit.py (small XML edits for the Word
#   features pandoc cannot write: endnotes, custom marks, HYPERLINK field codes, a page-number
#   footer; asked for by EDIT: directives in the Markdown, see its docstring), LibreOffice
#   headless (DOCX -> PDF with footnotes at the page foot and link annotations) and
#   pdftotext -layout and plain pdftotext (poppler-utils).
# docx_edit.py needs lxml: PYTHON=/work/venv/bin/python sh make.sh
set -e
cd "$(dirname "$0")"
# a profile of our own, so that a LibreOffice already running elsewhere does not take the job
profile="${TMPDIR:-/tmp}/citecheck-make-lo-profile"
[ $# -gt 0 ] || set -- *.md
for md in "$@"; do
  base=${md%.md}
  pandoc "$md" -o "$base.docx"
  "${PYTHON:-python3}" docx_edit.py "$base.docx"
  soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir . \
    "$base.docx" >/dev/null 2>&1
  pdftotext -layout "$base.pdf" "$base.layout.txt"
  # plain pdftotext prints a LibreOffice note's label after the note's text
  pdftotext "$base.pdf" "$base.plain.txt"
done
