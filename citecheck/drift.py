"""Fingerprints of a page's main text, for the archive content-drift check.

Placeholder owned by the archives work: only the digest is computed here.
"""

from __future__ import annotations

import hashlib


def page_fingerprint(html: str) -> dict:
    """A compact fingerprint of the page's visible text: {"digest": sha256 hex}."""
    from citecheck.checkers.page import visible_text

    text = " ".join(visible_text(html).split())
    return {"digest": hashlib.sha256(text.encode("utf-8")).hexdigest()}
