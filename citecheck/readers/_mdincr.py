"""Reading a Markdown report again after an edit: only the blocks that changed are parsed.

The memo of a version holds its text's lines, its top-level blocks (_mdblocks) and what the
reader made of each: its notes, markers, paragraphs, headings and body URLs, their lines
relative to the block's first and paragraph indexes to its first paragraph. A block taken
from the memo gives these again while what its inline content depends on is unchanged:
nothing, for content without `[`; else the reference definitions of the whole text and
whether each footnote label it may call is defined (`_depends`). Any other block is parsed
and read as `markdown.read` reads it. What spans blocks is done again: paragraph indexes,
front matter and the publication date. A report with inline notes `^[…]` (numbered across
the whole text) is read whole.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from orjson import dumps, loads

from citecheck.models import Document, Heading, Location, Marker, Note, Paragraph, UrlRef
from citecheck.readers import _mdblocks, _mdfast, markdown
from citecheck.readers._mdblocks import Block
from citecheck.readers.common import published_line

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_FORMAT = 1  # of the memo; bump when it changes
_CALLS = re.compile(r"(?=\[\^([^\]]*)\])")  # every footnote label a `[^` may call, overlapping


class Read(NamedTuple):
    """What the reader made of one block: `calls` (the labels its inline content may call,
    None when it has no `[`), the `depends` string they gave, and its output lists in their
    memo form (see `_Capture`) as JSON, decoded only when the block is taken again."""

    calls: list[str] | None
    depends: str
    output: str


def read_again(content: str, source: str, memo: object) -> tuple[Document, dict | None]:
    """See `markdown.read_again`."""
    try:
        return _read_again(content, source, memo)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        if memo is None:
            raise
        return _read_again(content, source, None)  # a damaged memo: read the report whole


def _read_again(content: str, source: str, memo: object) -> tuple[Document, dict | None]:
    from markdown_it.rules_core.normalize import NEWLINES_RE, NULL_RE

    body, published = markdown._front_matter(content)
    if "^[" in body:
        return markdown.read(content, source), None
    lines = _mdblocks.lines_of(NULL_RE.sub("\ufffd", NEWLINES_RE.sub("\n", body)))
    old_lines, old_blocks, old_reads = _decode(memo)
    md = markdown._parser()
    found = list(_mdblocks.blocks(md, lines, old_lines, old_blocks))
    env = _mdblocks.env_of(found)
    state = markdown._State(
        source, inline_notes=env.setdefault("footnotes", {}).setdefault("list", {})
    )
    reading = _Reading(md, env, state, lines)
    reads = []
    for i, b in enumerate(found):
        reads.append(reading.block(b, old_reads[b.old] if b.old >= 0 else None))
        if b.records is not None:
            found[i] = b._replace(records=None)  # read: its inline sources are not kept
    if state.inlined:  # cannot be (no `^[` in the text), but then the whole read is right
        return markdown.read(content, source), None
    document = Document(
        source=source,
        format="markdown",
        notes=tuple(state.notes),
        markers=tuple(state.markers),
        paragraphs=tuple(state.paragraphs),
        headings=tuple(state.headings),
        body_urls=tuple(state.body_urls),
        published=published or published_line("\n".join(body.splitlines()[: markdown._HEAD_LINES])),
    )
    return document, _encode(lines, found, reads)


class _Reading:
    """The walk of `markdown.read` over the blocks, in order."""

    def __init__(
        self, md: MarkdownIt, env: dict[str, Any], state: markdown._State, lines: list[str]
    ) -> None:
        self.md, self.env, self.state, self.lines = md, env, state, lines
        self.fast = _mdfast.usable(env)
        self.defined: dict[str, int] = env["footnotes"].get("refs", {})
        self.references = _fingerprint(env.get("references"))

    def block(self, block: Block, cached: Read | None) -> Read:
        """Read `block`: from `cached` (its last read) if that is still valid, else parsed."""
        if cached is not None and _depends(cached.calls, self.references, self.defined) == (
            cached.depends
        ):
            _replay(self.state, loads(cached.output), block.start + 1)
            return cached
        if block.records is None:  # taken from the memo, but to be read again
            block = _mdblocks.parse(self.md, self.lines, block.start)
        assert block.records is not None
        capture = _Capture(self.state)
        calls = self._walk(block)
        output = capture.output(block)
        while output and not output[-1]:
            output.pop()  # most blocks give one kind of thing: the empty lists after it go
        depends = _depends(calls, self.references, self.defined)
        return Read(calls, depends, dumps(output).decode())

    def _walk(self, block: Block) -> list[str] | None:
        """`markdown.read`'s reading of the records of `block`; the labels it may call
        (None: no inline text of it holds a `[`)."""
        calls: list[str] | None = None

        def seen(value: str) -> None:
            nonlocal calls
            if "[" in value:
                calls = [*(calls or []), *_CALLS.findall(value)]

        records = (
            (kind, value, block.start + offset + 1 if offset >= 0 else 1)
            for kind, value, offset in block.records or ()
        )
        note = markdown.read_records(self.state, self.md, self.env, self.fast, records, seen)
        if note is not None:  # a note open past its block: markdown-it never leaves one
            raise RuntimeError("a footnote not closed in its block")
        return calls


class _Capture:
    """The reader's output lists as they stand before a block, to take the block's part
    after it, lines relative to the block's first line (`base`), paragraph indexes to the
    block's first paragraph."""

    def __init__(self, state: markdown._State) -> None:
        self.state = state
        self.at = [len(x) for x in _lists(state)]

    def output(self, block: Block) -> list[list[list[Any]]]:
        notes, markers, paragraphs, headings, urls = (
            x[at:] for x, at in zip(_lists(self.state), self.at, strict=True)
        )
        base, first = block.start + 1, self.at[2]
        return [
            [[n.label, n.text, n.location.line - base, list(n.urls)] for n in notes],
            [
                [
                    m.label,
                    m.location.line - base,
                    None if m.paragraph is None else m.paragraph - first,
                    m.offset,
                ]
                for m in markers
            ],
            [[p.text, p.location.line - base] for p in paragraphs],
            [[h.number, h.title, h.location.line - base] for h in headings],
            [[u.url, u.location.line - base] for u in urls],
        ]


def _lists(state: markdown._State) -> tuple[list[Any], ...]:
    return state.notes, state.markers, state.paragraphs, state.headings, state.body_urls


def _replay(state: markdown._State, output: list[list[list[Any]]], base: int) -> None:
    """A block's output (in its memo form) added again, its first line at `base`."""
    source = state.source
    notes, markers, paragraphs, headings, urls = [*output, [], [], [], [], []][:5]
    first = len(state.paragraphs)
    for label, text, at, links in notes:
        state.notes.append(Note(label, text, Location(source, base + at), tuple(links)))
    for label, at, paragraph, offset in markers:
        where = Location(source, base + at)
        state.markers.append(
            Marker(label, where)
            if paragraph is None
            else Marker(label, where, first + paragraph, offset)
        )
    for text, at in paragraphs:
        state.paragraphs.append(Paragraph(text, Location(source, base + at)))
    for number, title, at in headings:
        state.headings.append(Heading(number, title, Location(source, base + at)))
    for url, at in urls:
        state.body_urls.append(UrlRef(url, Location(source, base + at)))


def _depends(calls: list[str] | None, references: str, defined: dict[str, int]) -> str:
    """What a block's inline content depends on besides its text: nothing without a `[`;
    else the reference definitions and which of the labels it may call are defined."""
    if calls is None:
        return ""
    return references + "|" + "".join("1" if ":" + label in defined else "0" for label in calls)


def _fingerprint(references: dict[str, Any] | None) -> str:
    if not references:
        return ""
    pairs = sorted((label, v.get("href"), v.get("title")) for label, v in references.items())
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:32]


def _encode(lines: list[str], found: list[Block], reads: list[Read]) -> dict:
    """The memo: columns, not a record per block (a report's 100,000 blocks load as a few
    lists of numbers and one string each), the rare fields by block index."""
    return {
        "format": _FORMAT,
        "lines": "\n".join(lines),
        "count": len(lines),
        "start": [b.start for b in found],
        "length": [b.length for b in found],
        "window": [b.window for b in found],
        "at_end": [i for i, b in enumerate(found) if b.at_end],
        "references": {str(i): b.references for i, b in enumerate(found) if b.references},
        # a label is one line's characters: "\n" parts them
        "labels": ["\n".join(b.labels) for b in found],
        "calls": {str(i): [r.calls, r.depends] for i, r in enumerate(reads) if r.calls is not None},
        "output": [r.output for r in reads],
    }


_NOTHING: tuple[list[str], list[Block], list[Read]] = ([], [], [])


def _decode(memo: object) -> tuple[list[str], list[Block], list[Read]]:
    """(lines, blocks, their reads) of the memo, or nothing when it is not one."""
    if not isinstance(memo, dict) or memo.get("format") != _FORMAT:
        return _NOTHING
    try:
        lines = memo["lines"].split("\n") if memo["count"] else []
        columns = (memo["start"], memo["length"], memo["window"], memo["labels"], memo["output"])
        if len({len(c) for c in columns}) != 1:
            return _NOTHING
        at_end = set(memo["at_end"])
        references = {int(i): refs for i, refs in memo["references"].items()}
        calls = {int(i): call for i, call in memo["calls"].items()}
        found, reads = [], []
        for i, (start, length, window, labels, output) in enumerate(zip(*columns, strict=True)):
            if not (start >= 0 and start + window <= len(lines)):
                return _NOTHING
            refs = references.get(i, {})
            found.append(Block(start, length, window, i in at_end, refs, _labels(labels)))
            call = calls.get(i)
            reads.append(Read(None, "", output) if call is None else Read(call[0], call[1], output))
    except (KeyError, TypeError, ValueError, AttributeError):
        return _NOTHING
    return lines, found, reads


def _labels(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()
