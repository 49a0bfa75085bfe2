"""Small helpers shared by readers."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b", re.IGNORECASE)

_SECTION_HEADING = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)(?P<dot>\.?)\s+(?P<title>[A-Z][^\t]*?)"
    r"(?:[\s.…]*\t\s*\d+|\.{3,}\s*\d*|\s*)$"
)


def publication_date(first_page: str) -> dt.date | None:
    """The first "Month YYYY" on a report's first page (e.g. "October 2015"), as a date."""
    m = _MONTH_YEAR.search(first_page)
    if not m:
        return None
    return dt.date(int(m.group(2)), _MONTHS.index(m.group(1).lower()) + 1, 1)


def section_heading(line: str) -> tuple[str, str] | None:
    """(number, title) when `line` is a numbered heading or table-of-contents entry:
    "3.2.1 Self-generated material", "1. Executive summary\t2", "2. Introduction.....\t4".
    A bare number with no dot ("26 Under the Guidelines...") is not a heading."""
    m = _SECTION_HEADING.match(line.strip())
    if not m or ("." not in m.group("num") and not m.group("dot")):
        return None
    title = m.group("title").strip().rstrip(".").strip()
    if not title or len(title) > 120 or title.endswith((",", ";")):
        return None
    return m.group("num"), title


_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*(\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s+(?:of|/)\s+\d{1,4})?$",
    re.IGNORECASE,
)


def is_page_number(text: str) -> bool:
    """Whether a line is a page number as footers print it: "12", "- 12 -", "Page 3 of 40", "iv"."""
    return bool(_PAGE_NUMBER.match(text.strip()))
