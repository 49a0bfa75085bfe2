"""Main text, fingerprints and similarity (citecheck.checkers.drift)."""

from __future__ import annotations

import json
import random

from citecheck.checkers.drift import (
    SAMPLE_SIZE,
    main_text,
    page_fingerprint,
    similarity,
    text_fingerprint,
)


def prose(seed: int, n: int = 600) -> str:
    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(3000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def test_main_text_drops_code_and_navigation():
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>Home</a></nav><div role='navigation'>Menu</div>"
        "<script>alert('x')</script><header>Site</header><!-- hidden -->"
        "<p>First paragraph.</p><p>Second<b>bold</b> one.</p><footer>(c)</footer></body></html>"
    )
    # Inline elements do not split words; block elements do.
    assert main_text(html) == "First paragraph. Secondbold one."
    assert "alert" not in main_text(html) and "Menu" not in main_text(html)


def test_main_text_prefers_main_or_article():
    html = "<body><div>Sidebar junk</div><article><p>The story.</p></article></body>"
    assert main_text(html) == "The story."
    assert main_text("") == "" and main_text("   ") == ""


def test_fingerprint_is_compact_json_and_bounded():
    fp = text_fingerprint(prose(1, 5000))
    assert len(fp["sample"]) == SAMPLE_SIZE
    assert all(0 <= h < 2**52 for h in fp["sample"])
    assert json.loads(json.dumps(fp)) == fp
    assert fp["words"] == 5000 and len(fp["simhash"]) == 16


def test_similarity_orders_identical_edited_unrelated():
    base = prose(2)
    words = base.split()
    edited = " ".join(words[:500] + ["new"] * 20 + words[520:])
    assert similarity(base, base) == 1.0
    assert similarity("Hello,   WORLD", "hello world") == 1.0  # same normalised text
    assert 0.7 < similarity(base, edited) < 1.0
    assert similarity(base, prose(3)) < 0.2
    assert similarity(base, "") == 0.0 and similarity("", "") == 1.0


def test_page_fingerprint_ignores_boilerplate_changes():
    body = prose(4, 300)
    a = f"<html><body><nav>Home</nav><main><p>{body}</p></main><script>v=1</script></body></html>"
    b = (
        f"<html><body><nav>Home Shop Login</nav><main><p>{body}</p></main>"
        "<script>v=2</script></body></html>"
    )
    assert page_fingerprint(a)["digest"] == page_fingerprint(b)["digest"]


def test_main_text_of_xhtml_with_encoding_declaration():
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>Caf\u00e9 report</p></body></html>"
    )
    assert main_text(xhtml) == "Caf\u00e9 report"
