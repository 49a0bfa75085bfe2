"""The block stage of the Markdown reader, reusing the blocks of the report's last version.

markdown-it's block stage reads a report one top-level block at a time, each starting where
the last ended (blank lines skipped). What a block rule makes of the block at line L depends
on the lines from L on, and only a few of them: the rule stops at a line it looks at (a
blank line, a line that ends a paragraph, a fence, a line indented less than a list item)
and looks no further than the line where the next block starts. One rule looks further: a
link reference definition is tried at a line starting with `[` (also inside a footnote,
quote or list item) over every line up to the next blank one, and a definition may end
before its last line. So a block's *window* is its lines up to and including the line the
next block starts on, or, when a line of it starts with `[` or holds `]:` (or it made no
token: a reference definition), up to and including the next blank line; a window that
reaches the end of the text depends on the text ending there too.

A block of the last version whose window's lines stand, unchanged, where the parse of the
new text starts a block, gives the same tokens (their lines moved): it is taken as it was.
Any other block is parsed, from the lines of a window-sized piece of the text (grown until
the block's window ends inside it), so an edit costs its own blocks, not a whole new parse.
Each block keeps what it adds to the parser's env (reference definitions, footnote labels),
merged in order as markdown-it would have (the first definition of a reference wins).
Without a last version the text is parsed with one block state, block after block.
tests/test_markdown_incremental.py compares the result with a whole read after random edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

# (kind, label or inline source, 0-based line in the block or -1 when the token has none)
Record = tuple[str, str, int]
KEPT = frozenset(("footnote_reference_open", "footnote_reference_close", "heading_open", "inline"))
_FIRST_PIECE = 64  # lines parsed for a new block at first (grown while its window runs out)
_CANDIDATES = 4  # old blocks with the same first line tried at one place, at most
# A line where a reference definition may be tried: after any quote, list and footnote
# markers, a `[` (a tab-indented line counts too: code, but cheap to treat as a start).
_MAY_REFERENCE = re.compile(
    r"(?:[ \t>]|[-+*](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)|\[\^[^\] ]+\]:)*\[(?!\^[^\] ]+\]:)"
)
_FOOTNOTE_START = re.compile(r" {0,3}\[\^[^\] ]+\]:")


class Block(NamedTuple):
    """One top-level block: where it starts (0-based line), how many lines its rule took,
    the lines its result depends on (`window`, and whether the text must end there too),
    what it added to the env, and the tokens the reader keeps. (A tuple: a report's last
    version has 10,000 of them to load.)"""

    start: int
    length: int
    window: int
    at_end: bool
    references: dict[str, Any]
    labels: tuple[str, ...] | list[str]
    records: tuple[Record, ...] | None = None  # None for a block taken from the last version
    old: int = -1  # the index of the block of the last version it was taken from


def lines_of(src: str) -> list[str]:
    """The lines markdown-it's block state sees in `src` (normalized): a last line of
    only spaces and tabs with no line break after it is not one."""
    lines = src.split("\n")
    if lines and not lines[-1].strip(" \t"):
        lines.pop()
    return lines


def blank(line: str) -> bool:
    return not line.strip(" \t")


def blocks(
    md: MarkdownIt, lines: list[str], old_lines: Sequence[str], old: Sequence[Block]
) -> Iterator[Block]:
    """The top-level blocks of `lines`, taken from `old` (the blocks of `old_lines`) where
    their windows are unchanged, else parsed."""
    by_first: dict[str, list[int]] = {}
    for i, b in enumerate(old):
        by_first.setdefault(old_lines[b.start], []).append(i)
    n, at, last = len(lines), 0, -1
    whole = None if old else _state(md, lines)  # nothing to take: one parse of the text
    while True:
        while at < n and blank(lines[at]):
            at += 1
        if at >= n:
            return
        block = _reused(lines, at, old_lines, old, by_first, last) if old else None
        if block is None:
            block = parse(md, lines, at) if whole is None else _parse_at(md, whole, 0, lines, at, n)
        else:
            last = block.old
        yield block
        at += block.length


def _reused(
    lines: list[str],
    at: int,
    old_lines: Sequence[str],
    old: Sequence[Block],
    by_first: dict[str, list[int]],
    last: int,
) -> Block | None:
    candidates = by_first.get(lines[at])
    if not candidates:
        return None
    # the block after the last one taken first: an edit elsewhere keeps the order
    after = last + 1
    order = [after] if after < len(old) and old_lines[old[after].start] == lines[at] else []
    for i in [*order, *candidates[:_CANDIDATES]]:
        b = old[i]
        end = at + b.window
        if end > len(lines) or (b.at_end and end != len(lines)):
            continue
        if lines[at:end] == old_lines[b.start : b.start + b.window]:
            return Block(at, b.length, b.window, b.at_end, b.references, b.labels, None, i)
    return None


def parse(md: MarkdownIt, lines: list[str], at: int) -> Block:
    """The block at line `at` (not blank), parsed from as few lines as its window needs."""
    size = _FIRST_PIECE
    while True:
        stop = min(len(lines), at + size)
        block = _parse_piece(md, lines, at, stop)
        if not block.at_end or stop == len(lines):
            return block
        size *= 4


def _state(md: MarkdownIt, lines: list[str]) -> StateBlock:
    from markdown_it.rules_block import StateBlock

    return StateBlock("\n".join(lines) + "\n", md, {}, [])


def _parse_piece(md: MarkdownIt, lines: list[str], at: int, stop: int) -> Block:
    """The block at the first line of lines[at:stop], parsed from these lines only."""
    return _parse_at(md, _state(md, lines[at:stop]), at, lines, at, stop)


def _parse_at(
    md: MarkdownIt, state: StateBlock, base: int, lines: list[str], at: int, stop: int
) -> Block:
    """The block at line `at` of `lines`, as markdown-it's top-level loop (ParserBlock.
    tokenize) makes it, `state` holding lines[base:stop]; its window measured within them.
    The block gets an env of its own, to tell what it adds."""
    env: dict[str, Any] = {}
    state.env, state.tokens, state.line = env, [], at - base
    if not any(rule(state, at - base, state.lineMax, False) for rule in _rules(md)):
        raise RuntimeError("none of the block rules matched")
    length = state.line - (at - base)
    records = tuple(_record(t, at - base) for t in state.tokens if t.type in KEPT)
    window, at_end = _window(lines, at, stop, length, not records)
    footnotes = env.get("footnotes", {}).get("refs", {})
    labels = tuple(label[1:] for label in footnotes)
    return Block(at, length, window, at_end, env.get("references", {}), labels, records)


def _window(lines: list[str], at: int, stop: int, length: int, empty: bool) -> tuple[int, bool]:
    """(lines from `at` the block's result depends on, whether on the text ending there)."""
    nxt = at + length
    while nxt < stop and blank(lines[nxt]):
        nxt += 1
    if empty or _may_reference(lines[at : at + length]):
        while nxt < stop and not blank(lines[nxt]):
            nxt += 1
    return (nxt + 1 - at, False) if nxt < stop else (stop - at, True)


def _may_reference(lines: list[str]) -> bool:
    """Whether a reference definition may be tried in these lines (or one be made)."""
    text = "\n".join(lines)
    first = _FOOTNOTE_START.match(text)
    if "]:" in (text[first.end() :] if first else text):
        return True
    return any(_MAY_REFERENCE.match(line) for line in lines)


def _rules(md: MarkdownIt) -> list[Any]:
    return md.block.ruler.getRules("")


def _record(token: Token, first: int) -> Record:
    """What the reader needs of a block token: its type, label or inline source, line
    (from the block's `first`)."""
    line = token.map[0] - first if token.map else -1
    if token.type == "footnote_reference_open":
        return token.type, token.meta["label"], line
    return token.type, token.content if token.type == "inline" else "", line


def env_of(found: Sequence[Block]) -> dict[str, Any]:
    """The env markdown-it's block stage leaves for the whole text of `found`."""
    env: dict[str, Any] = {}
    references: dict[str, Any] = {}
    refs: dict[str, int] = {}
    for b in found:
        for label, value in b.references.items():
            references.setdefault(label, value)
        for label in b.labels:
            refs[":" + label] = -1
    if references:
        env["references"] = references
    if refs:
        env["footnotes"] = {"refs": refs}
    return env
