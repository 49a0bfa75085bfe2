"""Shortcuts through markdown-it for the plain Markdown most of a report is made of.

Blocks: markdown-it tries each block rule in turn on each block (ten rules before it
settles on a paragraph, at every paragraph and every footnote's text). `shortcut`, the first
rule, knows which first characters each of them needs: a line no rule before `paragraph` can
take goes to `paragraph` at once, a footnote definition line to `footnote_def`.

Inline: most inline content of a report (a note's text, a paragraph) holds nothing but plain text,
footnote calls `[^12]`, autolinks `<https://…>` and line breaks. For such content the
inline tokens markdown-it would make (after its `text_join`, with the footnote plugin) are
known without running its rule chain, which costs about 20 µs per block: `children` makes
them directly, with the footnote plugin's bookkeeping, and gives None for anything else
(emphasis, links, code, escapes, entities, HTML, inline notes...), which is then parsed.
tests/test_markdown_fast_paths.py compares both with markdown-it's own results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock

_NONE: Mapping[str, Any] = {}

# Text markdown-it keeps as it is: no character that starts an inline rule (newline,
# backslash, backtick, `*`, `[`, `<`), and `_`, `&`, `!`, `^` only where no rule can
# match: `_` inside an ASCII word (it can neither open nor close emphasis), `&` not
# ending in `;` (no entity), `!` and `^` not before `[` (no image, no inline note).
_TEXT = (
    r"(?:[^\n\\`*_\[<&!^]|(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9])"
    r"|&(?![#A-Za-z0-9]*;)|!(?!\[)|\^(?!\[))+"
)
_PIECE = re.compile(
    # a footnote call whose label markdown-it's link-label scan reads as it is (no
    # brackets, code, `<` or escapes in it), not the start of an inline or full link
    r"\[\^(?P<label>[^\]\[\s`<\\]+)\](?![(\[])"
    r"|<(?P<url>[^<>]*)>"  # an autolink if the URL is plain (checked apart)
    r"|(?<![ \t])\n(?![ \t])"  # a soft break (spaces around it would be cut or make a hard one)
    rf"|(?P<text>{_TEXT})"
)


class InlineToken(Protocol):
    """What the reader reads of an inline token (markdown-it's Token, or a `Child`)."""

    @property
    def type(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def meta(self) -> Mapping[str, Any]: ...
    @property
    def attrs(self) -> Mapping[str, Any]: ...
    @property
    def markup(self) -> str: ...


class Child(NamedTuple):
    """An inline token as the reader looks at it (markdown-it's Token has these fields)."""

    type: str
    content: str = ""
    meta: Mapping[str, Any] = _NONE
    attrs: Mapping[str, Any] = _NONE
    markup: str = ""


_SOFTBREAK = Child("softbreak")
_LINK_CLOSE = Child("link_close", markup="autolink")
_CALL = Child("footnote_ref")


def usable(env: Mapping[str, Any]) -> bool:
    """Whether `children` may be used with the parser state `env` (after the block stage):
    not when a link reference definition is labelled like a footnote call, `[ ^1]: url`,
    which turns `[^1]` into a link."""
    return not any(label.startswith("^") for label in env.get("references", _NONE))


def children(content: str, env: dict[str, Any], plain_link: re.Pattern[str]) -> list[Child] | None:
    """The inline tokens of `content` as markdown-it makes them, or None when `content`
    holds anything but text, footnote calls defined in `env`, autolinks whose URL
    `plain_link` matches (the parser gives those back as they are) and soft breaks. The
    calls are counted in `env` as the footnote plugin counts them."""
    footnotes = env.get("footnotes", _NONE)
    refs: dict[str, int] = footnotes.get("refs", _NONE)
    out: list[Child] = []
    labels: list[tuple[int, str]] = []
    pos = 0
    for m in _PIECE.finditer(content):
        if m.start() != pos:
            return None  # something between the pieces: not simple
        pos = m.end()
        kind = m.lastgroup
        if kind == "text":
            out.append(Child("text", m.group()))
        elif kind == "label":
            if ":" + m.group("label") not in refs:
                return None  # not defined: text, or a link after all
            labels.append((len(out), m.group("label")))
            out.append(_CALL)  # its meta once the whole content is known to be simple
        elif kind == "url":
            url = m.group("url")
            if not plain_link.fullmatch(url):
                return None
            out += [
                Child("link_open", attrs={"href": url}, markup="autolink"),
                Child("text", url),
                _LINK_CLOSE,
            ]
        else:
            out.append(_SOFTBREAK)
    if pos != len(content):
        return None
    for at, label in labels:
        out[at] = Child("footnote_ref", meta=_call(footnotes, refs, label))
    return out


def _call(footnotes: Mapping[str, Any], refs: dict[str, int], label: str) -> dict[str, Any]:
    """The footnote plugin's record of one more call of `label` (footnote_ref's meta)."""
    notes: dict[int, dict[str, Any]] = footnotes["list"]
    number = refs.get(":" + label, -1)
    if number < 0:
        number = len(notes)
        notes[number] = {"label": label, "count": 0}
        refs[":" + label] = number
    sub = notes[number]["count"]
    notes[number]["count"] += 1
    return {"id": number, "subId": sub, "label": label}


# The block rules `shortcut` stands before, in the order markdown-it tries them (commonmark
# and the footnote plugin); with any other rule set it is not installed.
RULES = (
    "code", "fence", "blockquote", "hr", "list", "footnote_def", "reference", "html_block",
    "heading", "lheading", "paragraph",
)  # fmt: skip
# What a block taken by one of the rules before `paragraph` starts with: a fence, a quote, a
# thematic break, a list item, a footnote or reference definition, HTML, an ATX heading (a
# setext underline, `=` or `-`, is looked for on the lines below).
_BLOCK_START = re.compile(r"[`~>*\-_+#<\[=]|[0-9]{1,9}[.)]")
# A footnote definition line: the footnote rule ends a paragraph there (its silent test).
_DEFINITION = re.compile(r"\[\^[^\] \n]+\]:")


def install(md: MarkdownIt) -> MarkdownIt:
    """`md` with `shortcut` as its first block rule, if its rules are the ones it knows."""
    if tuple(md.block.ruler.get_active_rules()) == RULES:
        md.block.ruler.before("code", "shortcut", shortcut)
    return md


def shortcut(state: StateBlock, line: int, end: int, silent: bool) -> bool:
    """The rule markdown-it would come to for the block at `line`, when the block's first
    character rules the others out: `paragraph` for plain text, `footnote_def` for `[^`;
    False (the rules are tried in turn) for anything else."""
    from markdown_it.rules_block.paragraph import paragraph
    from mdit_py_plugins.footnote.index import footnote_def

    if silent or state.sCount[line] - state.blkIndent >= 4:  # indented code
        return False
    pos = state.bMarks[line] + state.tShift[line]
    if state.src.startswith("[^", pos):
        return footnote_def(state, line, end, False)
    if _BLOCK_START.match(state.src, pos) or not _no_underline(state, line + 1):
        return False
    return paragraph(state, line, end, False)


def _no_underline(state: StateBlock, line: int) -> bool:
    """Whether the paragraph that goes on at `line` surely has no setext underline (the
    `lheading` rule would make it a heading): every line up to a blank one or a footnote
    definition (which ends the paragraph) is lazy (indented 4 or more) or starts with a
    character that neither underlines nor starts a block."""
    src, top = state.src, state.lineMax
    while line < top and not state.isEmpty(line):
        if state.sCount[line] - state.blkIndent <= 3:
            pos = state.bMarks[line] + state.tShift[line]
            if state.sCount[line] >= 0 and _DEFINITION.match(src, pos):
                return True  # a terminator: the paragraph, and lheading's search, end here
            if _BLOCK_START.match(src, pos):
                return False  # might underline, or end the paragraph: let the rules decide
        line += 1
    return True
