"""The Markdown reader's inline fast path gives exactly what markdown-it's inline parser
gives: the same tokens (and the same footnote bookkeeping) for every content it takes, the
same Document for whole reports."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from citecheck.readers import _mdfast, markdown

# Pieces of inline text: simple ones, and every construct the fast path must leave alone
# (or must read exactly where it stands next to simple text).
SIMPLE = (
    "a", "Word", "1", "2015", " ", ", ", ".", ":", "-", "é", "%20", "#", "(", ")", "]", "(x)",
    "\n", "[^1]", "[^2]", "<http://e.org/a_b>", "<https://e.org/?a=1&b=2#f>", "a_b", "&x", "!",
    "^", "http://e.org/x_y_z", "~", "$",
)  # fmt: skip
HOSTILE = (
    " \n", "\n ", "  \n", "\t", "_", "a_b", "__", "*", "**", "`", "\\", "&", "&amp;",
    "&#1;", "&x", "!", "![", "^", "^[", "^[inline]", "[", "[^1]", "[^2]", "[^x]", "[^1](u)",
    "[^1][r]", "[^ 1]", "[^]", "[a](http://e.org)", "<http://e.org/a_b>",
    "<https://e.org/?a=1&b=2#f>", "<HTTP://E.ORG>", "<mailto:a@b.org>", "<a@b.org>",
    "<http://xn--bcher-kva.example/>", "<https://e.org/%41>", "<http://e.org/é>", "<span>",
    "<", ">", "<http://e.org/a b>", "http://e.org/x_y_z", "~", "$", "{", "}",
)  # fmt: skip


def fresh_env() -> dict[str, Any]:
    """The parser state after the block stage of a report that defines notes 1 and 2."""
    env: dict[str, Any] = {}
    text = "x\n\n[^1]: one\n\n[^2]: two\n\n[r]: http://r.example\n"
    for _ in markdown._blocks(markdown._parser(), text, env):
        pass
    return env


def contents():
    rnd = random.Random(12)
    yield from ("", "plain", "Claim number 1.[^1]", "Document 0, <http://127.0.1.1:8765/doc/0>.")
    for _ in range(4000):
        pieces = (rnd.choice(HOSTILE if rnd.random() < 0.08 else SIMPLE) for _ in range(12))
        yield "".join(pieces)


def tokens(children) -> list[tuple]:
    return [(t.type, t.content, dict(t.meta), dict(t.attrs), t.markup) for t in children]


def test_fast_tokens_equal_markdown_its():
    md = markdown._parser()
    taken = declined = 0
    for content in contents():
        fast_env, slow_env = fresh_env(), fresh_env()
        fast = _mdfast.children(content, fast_env, markdown._PLAIN_LINK)
        if fast is None:
            declined += 1
            assert fast_env == slow_env  # declined: the state is left as it was
            continue
        taken += 1
        slow = markdown._inline(md, slow_env, content, 1).children or []
        assert tokens(fast) == tokens(slow), content
        assert fast_env == slow_env, content
    assert taken > 500 and declined > 500  # both paths were exercised


def test_a_reference_labelled_like_a_call_disables_the_fast_path():
    env: dict[str, Any] = {}
    text = "a[^1]\n\n[^1]: note\n\n[ ^1]: http://r.example\n"
    for _ in markdown._blocks(markdown._parser(), text, env):
        pass
    assert not _mdfast.usable(env)
    assert _mdfast.usable(fresh_env())


LINES = (
    "Claim {i}.[^{i}]", "Text with <http://e.org/{i}> and [^{i}].", "# Heading {i}",
    "[^{i}]: Document {i}, <http://127.0.1.1:8765/doc/{i}>.", "[^{i}]: See *Title* p. {i}",
    "[^{i}]: Ibid.", "    indented {i}", "- item [^{i}]", "> quoted [^{i}]", "", "", "",
    "[^{i}]: a\n    continued <https://e.org/{i}>", "^[inline {i} <http://i.org/{i}>]",
    "Undefined [^zz{i}] call", "[ ^{i}]: http://ref.example/{i}", "Text_with_under_{i}",
    "```\n[^{i}]: in code\n```", "Setext {i}\n---", "Setext {i}\n===", "a  \nhard break [^{i}]",
    "[link {i}](http://e.org/{i}) and &amp; [^{i}]", "<div>\n[^{i}]\n</div>", "---", "===",
    "- ", "1. first [^{i}]", "2015. A year", "{i}) item", "  [^{i}]: indented def",
    "    [^{i}]: code def", "\t[^{i}]: tab def", "[^{i}]:", "[^{i}]:     code in note",
    "[^{i}]:\ttab in note", "[^a {i}]: spaced label", "> [^{i}]: quoted def", "- [^{i}]: item def",
    "   lazy {i}", "\tlazy tab {i}", "[^{i}]: text\n===", "[^{i}]: text\n- item",
    "[^{i}]: text\n\n    second paragraph {i}", "plain\n    lazy code-like {i}",
    "[^{i}]: one\n[^{i}]: two", "== not underline {i}", "-- dash {i}", "+ plus {i}", "* star",
    "[x]: http://x.example", "[x] shortcut link [^{i}]", "<!-- c -->", "\\[^{i}]: escaped",
    "    ", "Word\n\t\t", ">", "# [^{i}]", "~~~\nfenced\n~~~", "[^{i}]:         code in note",
    "[^{i}]: - list in note", "[^{i}]: # heading in note", "[^{i}]: > quote in note",
    "[^{i}]: 1. numbered in note", "[^{i}]: <div>html in note</div>", "[^{i}]: ```",
    "[^{i}]: [^{i}]: nested", "[^{i}]: ---", "[^{i}]: === x", "[^{i}]: 2015 plain",
)  # fmt: skip


def reports():
    rnd = random.Random(5)
    for _ in range(600):
        lines = [rnd.choice(LINES).format(i=rnd.randint(1, 8)) for _ in range(rnd.randint(1, 25))]
        yield "\n".join(lines) + rnd.choice(("\n", "", "\n\n"))


def block_tokens(tokens) -> list[dict]:
    return [t.as_dict() for t in tokens]


def test_block_shortcut_gives_markdown_its_tokens():
    fast, plain = markdown._parser(), markdown._parser(shortcut=False)
    assert "shortcut" in fast.block.ruler.get_active_rules()
    assert "shortcut" not in plain.block.ruler.get_active_rules()
    for text in reports():
        fast_env: dict[str, Any] = {}
        plain_env: dict[str, Any] = {}
        fast_tokens = block_tokens(fast.parse(text, fast_env))
        assert fast_tokens == block_tokens(plain.parse(text, plain_env)), text
        assert fast_env == plain_env


def test_shortcut_stays_out_of_other_rule_sets():
    from markdown_it import MarkdownIt

    md = _mdfast.install(MarkdownIt("commonmark"))  # no footnote rule: not the rules it knows
    assert "shortcut" not in md.block.ruler.get_active_rules()


@pytest.mark.parametrize("seed", range(3))
def test_reports_read_the_same_without_the_fast_paths(monkeypatch, seed):
    texts = list(reports())[seed::3]
    fast = [markdown.read(t, "r.md") for t in texts]
    monkeypatch.setattr(_mdfast, "usable", lambda env: False)
    plain = markdown._parser(shortcut=False)
    monkeypatch.setattr(markdown, "_parser", lambda: plain)
    slow = [markdown.read(copy.copy(t), "r.md") for t in texts]
    assert fast == slow
    assert sum(len(d.notes) for d in fast) > 100  # the reports have notes to compare
