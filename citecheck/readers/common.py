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
    """The date a "Published …" or "Date: …" line on a report's first page gives, else the
    first "Month YYYY" there (e.g. "October 2015"), as a date."""
    stated = published_line(first_page)
    if stated is not None:
        return stated
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


_MONTH_NAMES = {
    **{m: i for i, m in enumerate(_MONTHS, 1)},
    **{m[:3]: i for i, m in enumerate(_MONTHS, 1)},
    "sept": 9,
    # French, Spanish, German (lower case, accents as written)
    **{
        m: i
        for i, names in enumerate(
            [
                ("janvier", "enero", "januar", "jänner"),
                ("février", "fevrier", "febrero", "februar"),
                ("mars", "marzo", "märz", "maerz"),
                ("avril", "abril"),
                ("mai", "mayo"),
                ("juin", "junio", "juni"),
                ("juillet", "julio", "juli"),
                ("août", "aout", "agosto"),
                ("septembre", "septiembre", "setiembre"),
                ("octobre", "octubre", "oktober"),
                ("novembre", "noviembre"),
                ("décembre", "decembre", "diciembre", "dezember"),
            ],
            1,
        )
        for m in names
    },
}
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        _YEAR
        + r"(?P<sep>[-/])(?P<num>\d\d)"
        + r"(?:(?P=sep)(?P<day>\d\d)(?:[T ][\d:.]+\s*(?:Z|[+-]\d\d:?\d\d)?)?)?",
        r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?"
        + _MONTH
        + r",?\s+(?:de\s+)?"
        + _YEAR,
        _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR,
        _MONTH + r",?\s+(?:de\s+)?" + _YEAR,
    )
]


def parse_date(text: str) -> dt.date | None:
    """The date `text` is, when it is nothing else: "2015-10-01", "1 October 2015",
    "October 1, 2015", "October 2015" (the 1st), "12 mars 2019", "3. März 2020". Anything
    else ("\\today", "Spring 2015", "2015", "Draft 3") is None: a wrong date would change
    which archived copy counts."""
    text = " ".join(text.split()).strip(" .,;")
    for form in _DATE_FORMS:
        m = form.fullmatch(text)
        if m is None:
            continue
        groups = m.groupdict()
        month = (
            int(groups["num"])
            if groups.get("num")
            else _MONTH_NAMES.get(groups["month"].lower().rstrip("."))
        )
        if month is None:
            return None
        try:
            return dt.date(int(groups["year"]), month, int(groups.get("day") or 1))
        except ValueError:
            return None
    return None


# A line that is only a publication statement: "Published 12 March 2019", "*Published on:
# 2019-03-12*", "Date: October 2015", "Publication date: …", "Publié le 12 mars 2019",
# "Publicado el 12 de marzo de 2019", "Veröffentlicht am 3. März 2020".
_PUBLISHED = re.compile(
    r"^[\W_]*(?:(?:first\s+)?published(?:\s+on)?|publication\s+date|date(?:\s+of\s+publication)?"
    r"|publié\s+le|publicado\s+el|veröffentlicht(?:\s+am)?|stand)\s*:?\s*(?P<date>[^\n]{6,40}?)[\W_]*$",
    re.IGNORECASE | re.MULTILINE,
)


def published_line(text: str) -> dt.date | None:
    """The date of the first line of `text` that states the publication date and nothing else;
    None when no such line, or its date is not one `parse_date` reads."""
    for m in _PUBLISHED.finditer(text):
        found = parse_date(m.group("date"))
        if found is not None:
            return found
    return None
