"""Draft truth for a corpus document from pandoc's reading of it (an oracle independent of
citecheck's readers), to be checked by hand against the document before it becomes truth.

    python bench/corpus/draft.py DOC [--from FORMAT] [--labels source|sequential] > truth.yaml

Pandoc gives one `Note` per call-out in body order with the note's content; the labels come
from the source (Markdown `[^id]`) or are numbered 1..N as the rendered document numbers them
(pandoc-made HTML/DOCX, Word, LaTeX without explicit marks). URLs are the link targets of the
note plus the bare URLs of its text. Nothing here is truth until a person has read the
document: the draft prints the checks to make (`check:` lines) for every doubtful case.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

# Bare URLs in note text, with the trailing punctuation a sentence adds stripped.
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\u201c\u201d\u2018\u2019]+", re.I)
TRAILING = ".,;:!?)]}>'\"\u2019\u201d"


def pandoc_ast(path: Path, fmt: str) -> dict[str, Any]:
    out = subprocess.run(
        ["pandoc", "-f", fmt, "-t", "json", str(path)], capture_output=True, check=True
    ).stdout
    return json.loads(out)


def walk_notes(node: Any, notes: list[Any]) -> None:
    """Every Note element in document (call-out) order; notes inside notes are not nested."""
    if isinstance(node, dict):
        if node.get("t") == "Note":
            notes.append(node["c"])
            return
        for value in node.values():
            walk_notes(value, notes)
    elif isinstance(node, list):
        for item in node:
            walk_notes(item, notes)


def text_and_links(node: Any, text: list[str], links: list[str]) -> None:
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Str":
            text.append(node["c"])
        elif t in ("Space", "SoftBreak", "LineBreak"):
            text.append(" ")
        elif t in ("Code", "RawInline"):
            text.append(" " + node["c"][1] + " ")
        elif t == "Link":
            target = node["c"][2][0]
            links.append(target)
            text_and_links(node["c"][1], text, links)
            text.append(" ")
            return
        elif t == "Para" or t == "Plain":
            text.append(" ")
        c = node.get("c")
        if c is not None and t not in ("Str", "Code", "RawInline"):
            text_and_links(c, text, links)
    elif isinstance(node, list):
        for item in node:
            text_and_links(item, text, links)


def note_urls(content: Any) -> tuple[str, list[str]]:
    text: list[str] = []
    links: list[str] = []
    text_and_links(content, text, links)
    plain = re.sub(r"\s+", " ", "".join(text)).strip()
    urls: list[str] = []
    for link in links:
        if re.match(r"(?i)https?://|www\.", link) and link not in urls:
            urls.append(link)
    for m in BARE_URL.finditer(plain):
        url = m.group(0).rstrip(TRAILING)
        if url not in urls and not any(u.startswith(url) or url.startswith(u) for u in urls):
            urls.append(url)
    return plain, urls


def markdown_labels(source: str) -> tuple[list[str], list[str]]:
    """(definition labels in source order, call-out labels in body order), code excluded."""
    kept: list[str] = []
    fence: str | None = None
    for line in source.splitlines():
        m = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if m:
            if fence is None:
                fence = m.group(1)[0]
            elif m.group(1)[0] == fence:
                fence = None
            kept.append("")
            continue
        code = fence or (line.startswith(("    ", "\t")) and not kept_def(kept))
        kept.append("" if code else line)
    text = "\n".join(kept)
    text = re.sub(r"`[^`\n]*`", "", text)
    defs = re.findall(r"(?m)^ {0,3}\[\^([^\]\s]+)\]:", text)
    body = re.sub(r"(?m)^ {0,3}\[\^([^\]\s]+)\]:", "", text)
    calls = re.findall(r"\[\^([^\]\s]+)\]", body)
    return defs, calls


def kept_def(kept: list[str]) -> bool:
    """Whether an indented line continues a footnote definition (it is note text then)."""
    for line in reversed(kept):
        if not line.strip():
            continue
        return bool(re.match(r"^ {0,3}\[\^", line)) or line.startswith(("    ", "\t"))
    return False


def uncalled(path: Path, label: str) -> tuple[str, list[str]]:
    """The text and URLs of a definition nothing calls (pandoc drops it): read it alone."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = re.compile(r"^ {0,3}\[\^" + re.escape(label) + r"\]:\s?")
    for i, line in enumerate(lines):
        if head.match(line):
            body = [head.sub("", line)]
            for more in lines[i + 1 :]:
                if more.strip() and not more.startswith(("    ", "\t")):
                    break
                body.append(more.strip())
            out = subprocess.run(
                ["pandoc", "-f", "markdown", "-t", "json"],
                input="\n".join(body).encode(),
                capture_output=True,
                check=True,
            ).stdout
            return note_urls(json.loads(out)["blocks"])
    return "", []


def draft(path: Path, fmt: str, labels: str, visible: bool = False) -> dict[str, Any]:
    notes: list[Any] = []
    walk_notes(pandoc_ast(path, fmt)["blocks"], notes)
    contents = [note_urls(n) for n in notes]
    if visible:
        contents = [(plain, [u for u in urls if u in plain]) for plain, urls in contents]
    checks: list[str] = []
    if labels == "source" and fmt.startswith("markdown"):
        defs, calls = markdown_labels(path.read_text(encoding="utf-8"))
        called = [c for c in calls if c in defs]
        if len(called) != len(notes):
            checks.append(
                f"{len(called)} defined call-outs in the source, pandoc made {len(notes)}"
            )
        for c in calls:
            if c not in defs:
                checks.append(f"call-out {c} has no definition")
        by_label: dict[str, tuple[str, list[str]]] = {}
        for label, content in zip([c for c in calls if c in defs], contents, strict=False):
            by_label.setdefault(label, content)
        for d in defs:
            if d not in calls:
                by_label[d] = uncalled(path, d)
                checks.append(f"note {d} has no call-out: its URLs were read from its text alone")
        out_notes = [{"label": d, "urls": by_label.get(d, ("", []))[1]} for d in defs]
        contents = [by_label.get(d, ("", [])) for d in defs]
        markers = calls
    else:
        out_notes = [{"label": str(i), "urls": urls} for i, (_, urls) in enumerate(contents, 1)]
        markers = [str(i) for i in range(1, len(notes) + 1)]
    for note, (plain, _) in zip(out_notes, contents, strict=False):
        if re.search(r"(?i)\bhttps?\b\s*:|\bwww\s*\.|doi\.org", plain) and not note["urls"]:
            checks.append(f"note {note['label']}: text looks like it holds a URL")
    return {
        "notes": out_notes,
        "markers": {"count": len(markers), "labels": markers},
        "checks": checks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", type=Path)
    parser.add_argument("--from", dest="fmt", default="markdown")
    parser.add_argument("--labels", choices=("source", "sequential"), default="source")
    parser.add_argument(
        "--visible", action="store_true", help="only URLs printed in the text (text from PDF)"
    )
    args = parser.parse_args()
    if args.fmt == "tex4ht":
        result = tex4ht_draft(args.doc)
    elif args.fmt == "latex":
        result = latex_draft(args.doc)
    else:
        result = draft(args.doc, args.fmt, args.labels, args.visible)
    out = YAML(typ="safe")
    out.default_flow_style = False
    out.width = 1000
    out.dump(result, sys.stdout)


# --- LaTeX: an independent reading of \footnote, \footnotemark and \footnotetext ------------

URL_ESCAPES = {"\\_": "_", "\\&": "&", "\\%": "%", "\\#": "#", "\\~": "~", "\\$": "$"}


def tex_uncomment(tex: str) -> str:
    """Drop comments as TeX does: an unescaped % eats the rest of its line and the newline
    (and the next line's leading blanks, which TeX skips anyway)."""
    out: list[str] = []
    for line in tex.split("\n"):
        i = 0
        cut = None
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == "%":
                cut = i
                break
            i += 1
        if cut is None:
            out.append(line + "\n")
        else:
            out.append(line[:cut])
            out.append("\x00")  # joins with the next line, whose leading blanks go
    text = "".join(out)
    return re.sub(r"\x00[ \t]*", "", text)


def brace_group(tex: str, pos: int) -> tuple[str, int]:
    """The balanced {...} starting at tex[pos] (after blanks) and the position after it."""
    while tex[pos] in " \t\n":
        pos += 1
    if tex[pos] != "{":
        raise ValueError(f"no group at {pos}: {tex[pos : pos + 40]!r}")
    depth, i = 0, pos
    while True:
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return tex[pos + 1 : i], i + 1
        i += 1


def tex_urls(body: str) -> list[str]:
    urls: list[str] = []
    for m in re.finditer(r"\\(url|href)\s*\{", body):
        arg, _ = brace_group(body, m.end() - 1)
        for k, v in URL_ESCAPES.items():
            arg = arg.replace(k, v)
        arg = arg.strip()
        if re.match(r"(?i)https?://|www\.", arg) and arg not in urls:
            urls.append(arg)
    plain = re.sub(r"\\(url|href)\s*\{[^{}]*\}", " ", body)
    for m in BARE_URL.finditer(plain):
        url = m.group(0).rstrip(TRAILING + "}\\")
        if url not in urls:
            urls.append(url)
    return urls


def latex_draft(path: Path) -> dict[str, Any]:
    tex = tex_uncomment(path.read_text(encoding="utf-8"))
    counter = 0
    notes: list[dict[str, Any]] = []
    markers: list[str] = []
    pos = 0
    pattern = re.compile(r"\\footnote(mark|text)?(?![A-Za-z])\s*(\[[^\]]*\])?")
    while True:
        m = pattern.search(tex, pos)
        if not m:
            break
        kind, opt = m.group(1), m.group(2)
        explicit = opt[1:-1].strip() if opt else None
        if kind == "text":
            label = explicit or str(counter)
        else:
            if explicit is None:
                counter += 1
            label = explicit or str(counter)
            markers.append(label)
        if kind == "mark":
            pos = m.end()
            continue
        body, end = brace_group(tex, m.end())
        notes.append({"label": label, "urls": tex_urls(body)})
        pos = m.end()  # a note's own notes/URLs are read on: nested \footnote counts too
        pos = end if "\\footnote" not in body else m.end()
    return {"notes": notes, "markers": {"count": len(markers), "labels": markers}, "checks": []}


# --- HTML made by TeX4ht: footnote-mark anchors, notes in div.footnotes --------------------


def tex4ht_draft(path: Path) -> dict[str, Any]:
    """Markers: the body's span.footnote-mark links to #fn..; notes: each footnote-mark anchor
    inside div.footnotes starts a note that runs to the next one (paragraphs without a mark
    continue it)."""
    from bs4 import BeautifulSoup, NavigableString, Tag

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    markers: list[str] = []
    for span in soup.select("span.footnote-mark"):
        if span.find_parent("div", class_="footnotes"):
            continue
        a = span.find("a")
        if a is not None and str(a.get("href", "")).startswith("#fn"):
            markers.append(a.get_text().strip())
    notes: list[dict[str, Any]] = []
    parts: list[tuple[list[str], list[str]]] = []

    def visit(node: Any) -> None:
        if isinstance(node, NavigableString):
            if parts:
                parts[-1][0].append(str(node))
            return
        if not isinstance(node, Tag):
            return
        if "footnote-mark" in (node.get("class") or []):
            a = node.find("a")
            notes.append({"label": a.get_text().strip() if a else "", "urls": []})
            parts.append(([], []))
            return
        if node.name == "a" and parts and str(node.get("href", "")).startswith(("http", "www")):
            parts[-1][1].append(str(node["href"]))
        for child in node.children:
            visit(child)

    for div in soup.select("div.footnotes"):
        visit(div)
    for note, (text, links) in zip(notes, parts, strict=False):
        plain = re.sub(r"\s+", " ", "".join(text))
        urls = list(dict.fromkeys(links))
        for m in BARE_URL.finditer(plain):
            url = m.group(0).rstrip(TRAILING)
            if url not in urls:
                urls.append(url)
        note["urls"] = urls
    return {"notes": notes, "markers": {"count": len(markers), "labels": markers}, "checks": []}


if __name__ == "__main__":
    main()
