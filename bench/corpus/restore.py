"""Restore the corpus documents into bench/corpus/files/ and check their bytes.

    python bench/corpus/restore.py [--from DIR] [--download] [--regenerate] [DOC...]

The documents are third-party files and are not committed (the manifest, corpus.yaml, says
where each comes from: repository, path, commit, licence, sha256). For each document not
already present with the right sha256, this script tries in turn:

1. `--from DIR`: copy it from a directory holding restored documents (e.g. a shared copy);
2. `--download`: fetch `https://raw.githubusercontent.com/<repository>/<commit>/<path>` (needs
   the internet; CI has none, so CI only scores what is already restored);
3. `--regenerate`: for documents made from another one (`derived.tool`: pandoc, LibreOffice),
   run the tool again on the restored source. Their bytes can differ from the manifest's
   (tool versions, embedded dates); the script says so and keeps them apart as `*.regen`.

Text-from-PDF documents are not restored: bench/corpus.py makes them at run time.
Exit status: 0 when every requested document is present and checked, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent
DOCS = CORPUS / "files"
RAW = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def good(path: Path, entry: dict[str, Any]) -> bool:
    return path.is_file() and sha256(path) == entry["sha256"]


def from_dir(entry: dict[str, Any], source: Path) -> bool:
    candidate = source / entry["file"]
    if not good(candidate, entry):
        return False
    shutil.copyfile(candidate, DOCS / entry["file"])
    return True


def download(entry: dict[str, Any]) -> bool:
    src = entry.get("source")
    if not src or entry.get("derived"):
        return False
    url = RAW.format(**src)
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    except OSError as exc:
        print(f"{entry['id']}: cannot download {url}: {exc}", file=sys.stderr)
        return False
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        print(f"{entry['id']}: {url} has other bytes than the manifest's", file=sys.stderr)
        return False
    (DOCS / entry["file"]).write_bytes(data)
    return True


def source_markdown(entry: dict[str, Any], stem: str, fetch: bool) -> Path | None:
    """The Markdown a pandoc-made document came from, downloaded when allowed."""
    md = DOCS / f"{stem}.md"
    src = entry.get("source") or {}
    if not md.is_file() and fetch and str(src.get("path", "")).endswith(".md"):
        try:
            with urllib.request.urlopen(RAW.format(**src), timeout=60) as response:
                md.write_bytes(response.read())
        except OSError as exc:
            print(f"{entry['id']}: cannot download its source: {exc}", file=sys.stderr)
    return md if md.is_file() else None


def regenerate(entry: dict[str, Any], fetch: bool) -> bool:
    """Make a pandoc/LibreOffice-derived document again from its restored source."""
    derived = entry.get("derived") or {}
    tool = str(derived.get("tool", ""))
    target = DOCS / entry["file"]
    stem = target.stem.removesuffix("-lo")
    with tempfile.TemporaryDirectory() as tmp:
        if tool.startswith("pandoc"):
            md = source_markdown(entry, stem, fetch)
            if md is None:
                return False
            fmt = "html5" if target.suffix == ".html" else "docx"
            extra = ["-s", "--metadata", f"title={stem}"] if fmt == "html5" else []
            out = Path(tmp) / target.name
            subprocess.run(
                ["pandoc", "-f", "markdown", "-t", fmt, *extra, str(md), "-o", str(out)],
                check=True,
                capture_output=True,
            )
        elif tool.startswith("LibreOffice"):
            docx = DOCS / f"{stem}.docx"
            if not docx.is_file():
                return False
            fmt = target.suffix.lstrip(".")  # pdf, or html (LibreOffice's HTML export)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(docx)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            out = Path(tmp) / f"{stem}.{fmt}"
        else:
            return False
        if hashlib.sha256(out.read_bytes()).hexdigest() == entry["sha256"]:
            shutil.copyfile(out, target)
            return True
        shutil.copyfile(out, target.with_name(target.name + ".regen"))
        print(
            f"{entry['id']}: regenerated as {target.name}.regen with other bytes than the "
            "manifest's (another tool version?); rename it to score it anyway",
            file=sys.stderr,
        )
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="*")
    parser.add_argument("--from", dest="source", type=Path)
    parser.add_argument("--download", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    manifest = YAML(typ="safe").load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))
    entries = [e for e in manifest["documents"] if e.get("file")]
    wanted = [e for e in entries if not args.docs or e["id"] in args.docs]
    DOCS.mkdir(exist_ok=True)
    # Sources first, so that derived documents find them.
    wanted.sort(key=lambda e: bool(e.get("derived")))
    missing = 0
    for entry in wanted:
        ok = good(DOCS / entry["file"], entry)
        ok = ok or bool(args.source and from_dir(entry, args.source))
        ok = ok or (args.download and download(entry))
        ok = ok or (args.regenerate and regenerate(entry, args.download))
        print(f"{'ok     ' if ok else 'missing'} {entry['id']}")
        missing += not ok
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
