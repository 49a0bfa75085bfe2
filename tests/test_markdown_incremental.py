"""Reading an edited Markdown report from the memo of its last version gives exactly the
Document a read from scratch gives: random documents (footnotes, references, setext
headings, lists, quotes, fences, HTML, lazy lines...), random edits (lines inserted, deleted,
changed; blocks merged and split), several versions in a row, the memo through JSON."""

from __future__ import annotations

import os
import random
from pathlib import Path

import orjson
import pytest

from citecheck.readers import _mdblocks, load_document, markdown

DATA = Path(__file__).resolve().parent / "data"

_WORDS = ("claim", "text", "report", "Ibid.", "see", "the", "data", "2015", "p. 4", "_x_")
_LINES = (
    "{w} {w} {w}.",
    "{w}.[^{n}]",
    "{w} [^{n}] and [^{n}]",
    "[^{n}]: {w} <http://127.0.0.{n}/d/{n}>.",
    "[^{n}]: {w} http://127.0.0.{n}/p/{n} {w}",
    "[^{n}]:",
    "    {w} continued in the note",
    "    [^{n}]: nested",
    "[^{n} x]: not a footnote",
    "[ref{n}]: http://127.0.0.{n}/ref",
    '[ref{n}]: /url "title',
    '{w}"',
    "[ref{n}]",
    "{w} [link][ref{n}] {w}",
    "[{w}](http://127.0.0.{n}/inline)",
    "[ref{n}",
    "{w}]: /late",
    "===",
    "---",
    "# Heading {n}",
    "## 3.{n} Section",
    "- item {w}[^{n}]",
    "1. item {w}",
    "  - nested [^{n}]",
    "> quoted {w}[^{n}]",
    "> [^{n}]: quoted def",
    "```",
    "~~~",
    "    code {w}",
    "<div>",
    "</div>",
    "<!-- comment",
    "-->",
    "\t{w} tabbed",
    "*{w}* **{w}** `code [^{n}]`",
    "Published 3 March 2015",
    "date: 2015-06-01",
    "{w}\\",
    "{w}  ",
    "^ [not inline]",
    "",
    "",
    "",
)


def new_line(rng: random.Random) -> str:
    template = rng.choice(_LINES)
    return template.format(w=rng.choice(_WORDS), n=rng.randint(1, 9))


def random_document(rng: random.Random) -> list[str]:
    lines = [new_line(rng) for _ in range(rng.randint(1, 40))]
    if rng.random() < 0.2:
        lines = ["---", "title: x", f"date: 2015-0{rng.randint(1, 9)}-01", "---", *lines]
    return lines


def corpus_like(rng: random.Random) -> list[str]:
    """The shape of bench_links' report (claims, then one definition a line), or blocks of
    definitions split by blank lines, with links in some notes."""
    n = rng.randint(3, 30)
    lines = ["# Simulated report", ""]
    lines += [f"Claim number {i}.[^{i + 1}]" for i in range(n)] + [""]
    for i in range(n):
        link = f"[site](http://127.0.1.{i % 8}/{i})" if rng.random() < 0.3 else f"<http://h/{i}>"
        lines.append(f"[^{i + 1}]: Document {i}, {link}.")
        if rng.random() < 0.2:
            lines.append("")
    return lines


def edit(rng: random.Random, lines: list[str]) -> list[str]:
    """`lines` with one to four random edits (lines of the document itself come back too)."""
    pool = [line for line in lines if line.strip()]

    def random_line(rng: random.Random) -> str:
        return rng.choice(pool) if pool and rng.random() < 0.3 else new_line(rng)

    lines = list(lines)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(lines))
        kind = rng.random()
        if kind < 0.3 or not lines:
            lines.insert(at, random_line(rng))
        elif at == len(lines):
            lines.pop()
        elif kind < 0.5:
            del lines[at]
        elif kind < 0.7:
            lines[at] = random_line(rng)
        elif kind < 0.8:
            lines[at] += rng.choice((" more", "[^3]", "]: x", " <http://e/x>", "\\"))
        elif kind < 0.9:
            lines.insert(at, "")  # a block split
        else:
            lines[at:at] = lines[max(0, at - 3) : at]  # lines repeated
    return lines


def text_of(lines: list[str], rng: random.Random) -> str:
    return "\n".join(lines) + rng.choice(("\n", "", "\n\n", "  "))


def versions_agree(rng: random.Random, make, rounds: int = 4) -> tuple[str, str] | None:
    """Read `rounds` edited versions of a document incrementally; the first (old, new)
    pair whose incremental Document differs from the scratch one, or None."""
    lines = make(rng)
    old = text_of(lines, rng)
    document, memo = markdown.read_again(old, "r.md", None)
    assert document == markdown.read(old, "r.md")
    for _ in range(rounds):
        lines = edit(rng, lines)
        new = text_of(lines, rng)
        memo = orjson.loads(orjson.dumps(memo))
        document, memo = markdown.read_again(new, "r.md", memo)
        if document != markdown.read(new, "r.md"):
            return old, new
        old = new
    return None


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_read_again_as_from_scratch(seed):
    rng = random.Random(seed)
    for _ in range(15):
        assert versions_agree(rng, random_document) is None


@pytest.mark.parametrize("seed", range(10))
def test_corpus_like_reports_read_again_as_from_scratch(seed):
    rng = random.Random(1000 + seed)
    for _ in range(10):
        assert versions_agree(rng, corpus_like) is None


@pytest.mark.parametrize("name", ["footnotes.md", "pandoc-sample.md", "README.md"])
def test_real_documents_edited_read_as_from_scratch(name):
    rng = random.Random(name)
    base = (DATA / name).read_text().split("\n")
    for _ in range(10):
        assert versions_agree(rng, lambda _rng: base, rounds=3) is None


CORPUS = Path(os.environ.get("CITECHECK_CORPUS_DIR", "/nonexistent"))
CORPUS_MD = sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in (".md", ".rmd", ".qmd"))


@pytest.mark.skipif(not CORPUS_MD, reason="CITECHECK_CORPUS_DIR holds no Markdown document")
def test_corpus_documents_edited_read_as_from_scratch():
    for path in CORPUS_MD:
        rng = random.Random(path.name)
        base = path.read_text(encoding="utf-8-sig").split("\n")
        for _ in range(2):
            assert versions_agree(rng, lambda _rng, base=base: base, rounds=2) is None, path.name


def test_the_comparison_finds_a_window_that_stops_short(monkeypatch):
    """The differential check can fail: with windows cut to the block's own lines (the
    lookahead past it ignored) some edit gives another Document than a fresh read."""
    real = _mdblocks._window

    def short(lines, at, stop, length, empty):
        window, at_end = real(lines, at, stop, length, empty)
        return (length, False) if not at_end else (window, at_end)

    monkeypatch.setattr(_mdblocks, "_window", short)
    rng = random.Random(7)
    assert any(versions_agree(rng, random_document) for _ in range(200))


def test_blocks_are_reused_and_few_parsed(monkeypatch):
    """An edit of one note parses the blocks around it, not the report."""
    rng = random.Random(3)
    lines = corpus_like(rng)
    lines = ["# R", ""] + [f"[^{i}]: Note {i} <http://h/{i}>." for i in range(200)]
    _, memo = markdown.read_again("\n".join(lines), "r.md", None)
    parsed = []
    real = _mdblocks.parse
    monkeypatch.setattr(
        _mdblocks, "parse", lambda md, ls, at: parsed.append(at) or real(md, ls, at)
    )
    lines[100] = "[^98]: Note 98, edited <http://h/98>."
    new = "\n".join(lines)
    document, _ = markdown.read_again(new, "r.md", orjson.loads(orjson.dumps(memo)))
    assert document == markdown.read(new, "r.md")
    assert 1 <= len(parsed) <= 3


def test_a_damaged_memo_is_read_whole():
    text = "Claim.[^1]\n\n[^1]: A note <http://h/1>.\n"
    _, memo = markdown.read_again(text, "r.md", None)
    assert memo is not None
    damaged = [
        {**memo, "output": [memo["output"][0], '[["not", "a note"]]']},
        {**memo, "output": [memo["output"][0], "[[[1, 2, 3]]]"]},
        {**memo, "output": [memo["output"][0], "{"]},
        {**memo, "window": [1]},
        {**memo, "lines": "x", "count": 1},
        {**memo, "labels": [3, 4]},
        {"format": 1},
        7,
    ]
    for bad in damaged:
        assert markdown.read_again(text, "r.md", bad)[0] == markdown.read(text, "r.md")


def test_inline_notes_are_read_whole():
    text = "Claim.^[An inline note.] And [^1].\n\n[^1]: Defined.\n"
    document, memo = markdown.read_again(text, "r.md", None)
    assert memo is None and document == markdown.read(text, "r.md")


def test_load_document_keeps_one_memo_per_report(tmp_path):
    from citecheck.cache import documents as doccache
    from citecheck.cache.store import Cache

    report = tmp_path / "r.md"
    cache = Cache(tmp_path / "cache")
    for turn in range(5):
        report.write_text(f"Claim {turn}.[^1]\n\n[^1]: Note <http://h/{turn}>.\n")
        document = load_document(report, cache=cache)
        assert document.notes[0].urls == (f"http://h/{turn}",)
    assert cache._db is not None
    rows = cache._db.execute(
        "SELECT COUNT(*) FROM entries WHERE kind = ?", (doccache.MEMO,)
    ).fetchone()
    assert rows == (1,)
    cache.close()


# A reference definition tried at a `[` looks at every line to the next blank one, past the
# end of the block that takes the lines (here a setext heading inside and outside a note).
LOOKAHEAD = [
    ("[foo\n===\nbar\nbaz\n\n[foo]\n", "[foo\n===\nbar\nbaz]: /u\n\n[foo]\n"),
    (
        "[^1]: [foo\n    ===\nbar\nbaz\n\nx [foo] [^1]\n",
        "[^1]: [foo\n    ===\nbar\nbaz]: /u\n\nx [foo] [^1]\n",
    ),
]


@pytest.mark.parametrize(("old", "new"), LOOKAHEAD)
def test_a_reference_looking_past_its_block_is_read_again(old, new, monkeypatch):
    def again() -> bool:
        _, memo = markdown.read_again(old, "r.md", None)
        document, _ = markdown.read_again(new, "r.md", orjson.loads(orjson.dumps(memo)))
        return document == markdown.read(new, "r.md")

    assert again()
    monkeypatch.setattr(_mdblocks, "_may_reference", lambda lines: False)
    assert not again()  # the window's extension is what makes it right
