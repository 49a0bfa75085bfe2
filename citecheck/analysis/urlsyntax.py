"""URLs no reader can follow as written: a port out of range, an unclosed IPv6 bracket, no
host. Judged from the text alone, so offline runs report them too."""

from __future__ import annotations

from citecheck.analysis import Fact
from citecheck.models import Document, Rule
from citecheck.urls import url_problem


def check(doc: Document) -> list[Fact]:
    facts = []
    for note in doc.notes:
        for url in note.urls:
            problem = url_problem(url)
            if problem:
                facts.append(
                    Fact(
                        Rule.MALFORMED_URL,
                        f"note {note.label}: {url} is not a valid URL ({problem})",
                        note.location,
                        note.label,
                        url,
                    )
                )
    for ref in doc.body_urls:
        problem = url_problem(ref.url)
        if problem:
            facts.append(
                Fact(
                    Rule.MALFORMED_URL,
                    f"the text: {ref.url} is not a valid URL ({problem})",
                    ref.location,
                    None,
                    ref.url,
                )
            )
    return facts
