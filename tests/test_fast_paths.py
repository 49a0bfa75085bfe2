"""Faster code paths give exactly what the straightforward versions give."""

from __future__ import annotations

import hashlib
import random
from collections import Counter

import pytest

from citecheck.checkers import drift
from citecheck.checkers.page import _PARKING, _PARKING_WORDS, read_page


def _hash64(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest(), "big")


def reference_simhash(tokens: list[str]) -> int:
    """The simhash as first written: 64 bit tests per distinct token."""
    weights = [0] * 64
    for token, count in Counter(tokens).items():
        h = _hash64(token)
        for bit in range(64):
            weights[bit] += count if h >> bit & 1 else -count
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def reference_shingles(tokens: list[str]) -> set[int]:
    mask = (1 << 52) - 1
    if len(tokens) < drift.SHINGLE:
        return {_hash64(" ".join(tokens)) & mask} if tokens else set()
    return {
        _hash64(" ".join(tokens[i : i + drift.SHINGLE])) & mask
        for i in range(len(tokens) - drift.SHINGLE + 1)
    }


def token_lists():
    rnd = random.Random(7)
    vocab = [
        "".join(rnd.choice("abcdeéfxyz") for _ in range(rnd.randint(1, 7))) for _ in range(400)
    ]
    yield from ([], ["one"], ["one", "two"], ["a", "b", "c"], ["same"] * 50)
    for size in (4, 10, 100, 1000, 5000):
        yield [rnd.choice(vocab) for _ in range(size)]
        yield [rnd.choice(vocab[:5]) for _ in range(size)]  # few distinct, many repeats


@pytest.mark.parametrize("tokens", list(token_lists()), ids=lambda t: f"{len(t)}-{len(set(t))}")
def test_simhash_and_shingles_equal_the_reference(tokens):
    assert drift._simhash(tokens) == reference_simhash(tokens)
    assert drift._shingle_hashes(tokens) == reference_shingles(tokens)


PARKING_PAGES = [
    "This domain is for sale!",
    "this domain name may be for sale",
    "Buy this domain today",
    "Domain for sale",
    "This domain has been registered by",
    "Parked FREE courtesy of",
    "Domain Parking by",
    "ParkingCrew",
    "powered by sedoparking",
    "via bodis.com",
    "Afternic listing",
    "at HugeDomains",
    "see https://dan.com/buy",
    "This domain has expired",
    "This web page is parked",
    "a parked domain",
]


@pytest.mark.parametrize("text", PARKING_PAGES)
def test_every_parking_cue_passes_the_word_prefilter(text):
    assert _PARKING.search(text)  # the cue is one the regex knows...
    assert any(word in text.lower() for word in _PARKING_WORDS)  # ...and the filter lets it by
    page = read_page(f"<title>Welcome</title><p>{text}</p>".encode(), None)
    assert page.parking_cue


def test_ordinary_page_has_no_parking_cue():
    page = read_page(b"<title>Annual report</title><p>Domains of knowledge and parks.</p>", None)
    assert not page.parking_cue
