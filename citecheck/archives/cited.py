"""Archive URLs cited as sources: which URLs are mementos, of what, from when (pure).

A Wayback-style memento URL is `PREFIX TIMESTAMP[flag_]/ORIGINAL` (the Internet Archive,
Arquivo.pt, the UK Web Archive, Archive-It, pywb, any archive configured in `archives:`
by its replay prefix); the timestamp may be partial (`2015`, `201510`). archive.today,
Perma.cc and WebCite mementos are short ids whose original URL the archive tells when asked.
Adding an archive is one line in FORMS.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from citecheck.archives.choose import UTC
from citecheck.archives.registry import ARCHIVES, Archive

_STAMP = r"(?P<ts>\d{4,14})(?P<flag>[a-z]{2}_)?"
_TODAY_STAMP = r"(?P<ts>\d{14}|\d{4}\.\d\d\.\d\d-\d{6})"


@dataclass(frozen=True)
class Form:
    """How one archive's memento URLs look: a regex with `ts` and `orig` groups where the URL
    holds them; `raw` when `TSid_/ORIG` replays the capture as archived."""

    archive: Archive
    pattern: re.Pattern[str]
    raw: bool = True


def _form(archive: Archive, pattern: str, raw: bool = True) -> Form:
    return Form(archive, re.compile(pattern, re.IGNORECASE), raw)


ARCHIVE_IT = Archive("archive-it", "https://wayback.archive-it.org/", per_minute=20)
WEBCITE = Archive("webcite", "https://www.webcitation.org/", raw_replay=False)
FORMS: tuple[Form, ...] = (
    _form(ARCHIVES["ia"], rf"https?://(?:web\.|wayback\.)?archive\.org/web/{_STAMP}/(?P<orig>.+)"),
    _form(ARCHIVES["arquivo.pt"], rf"https?://arquivo\.pt/wayback/{_STAMP}/(?P<orig>.+)"),
    _form(
        ARCHIVES["ukwa"],
        rf"https?://(?:www\.)?webarchive\.org\.uk/wayback/(?:en/)?archive/{_STAMP}/(?P<orig>.+)",
    ),
    _form(ARCHIVE_IT, rf"https?://wayback\.archive-it\.org/\d+/{_STAMP}/(?P<orig>.+)"),
    _form(
        ARCHIVES["archive.today"],
        r"https?://archive\.(?:today|ph|is|li|md|vn|fo)/"
        rf"(?:{_TODAY_STAMP}/(?P<orig>.+)|(?:newest|oldest)/(?P<latest>.+)|[A-Za-z0-9]{{4,8}}/?$)",
        raw=False,
    ),
    _form(ARCHIVES["perma.cc"], r"https?://perma\.cc/[A-Z0-9]{4}-[A-Z0-9]{4}/?$", raw=False),
    _form(
        WEBCITE, r"https?://(?:www\.)?webcitation\.org/(?:[A-Za-z0-9]{8,10}/?$|query\?.+)", False
    ),
)


@dataclass(frozen=True)
class CitedMemento:
    """A cited archive URL: the archive, the original URL (None: only the archive can tell),
    and the time window its timestamp names (None: the URL does not say)."""

    url: str
    archive: Archive
    raw: bool
    original: str | None = None
    stamp: str | None = None  # the timestamp as written (Wayback-style forms)
    head: str = ""  # what comes before the timestamp
    start: dt.datetime | None = None
    end: dt.datetime | None = None

    def raw_replay(self) -> str:
        """The URL that replays the capture as archived (`TSid_/ORIG`), else the URL itself."""
        if not (self.raw and self.stamp and self.original):
            return self.url
        return f"{self.head}{self.stamp}id_/{self.original.split('#', 1)[0]}"


def configured_forms(archives: Iterable[Archive]) -> tuple[Form, ...]:
    """Forms for archives configured by their replay prefix (raw-replay ones: pywb,
    OpenWayback); the built-in FORMS come after them."""
    known = {form.archive.timegate.rstrip("/").lower() for form in FORMS}
    own = [
        _form(a, re.escape(a.timegate.rstrip("/")) + rf"/{_STAMP}/(?P<orig>.+)")
        for a in archives
        if a.raw_replay and a.timegate.rstrip("/").lower() not in known
    ]
    return (*own, *FORMS)


def parse(url: str, forms: tuple[Form, ...] = FORMS) -> CitedMemento | None:
    """The memento `url` names, or None when it is not an archive's memento URL."""
    for form in forms:
        m = form.pattern.fullmatch(url)
        if m is None:
            continue
        groups = m.groupdict()
        original = groups.get("orig") or groups.get("latest") or _query_original(url)
        stamp = groups.get("ts")
        start, end = window(stamp) if stamp else (None, None)
        original = _with_scheme(original) if original else None
        head = url[: m.start("ts")] if stamp else ""
        return CitedMemento(url, form.archive, form.raw, original, stamp, head, start, end)
    return None


_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def any_of(forms: tuple[Form, ...]) -> re.Pattern[str]:
    """One pattern that matches what any of `forms` matches (their groups unnamed): most
    cited URLs are no memento, and one match says so (a report cites 10,000 of them)."""
    return re.compile(
        "|".join(f"(?:{_NAMED_GROUP.sub('(?:', f.pattern.pattern)})" for f in forms),
        re.IGNORECASE,
    )


def window(stamp: str) -> tuple[dt.datetime, dt.datetime] | tuple[None, None]:
    """The first and last second a (partial) timestamp names: `2015` is all of 2015,
    `20151001` that day; archive.today's `2015.10.01-123456` one second."""
    digits = stamp.replace(".", "").replace("-", "")
    widths = {4: "%Y", 6: "%Y%m", 8: "%Y%m%d", 10: "%Y%m%d%H", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    cut = max((w for w in widths if w <= len(digits)), default=0)
    if not cut:
        return None, None
    try:
        start = dt.datetime.strptime(digits[:cut], widths[cut]).replace(tzinfo=UTC)
    except ValueError:
        return None, None
    return start, _next(start, cut) - dt.timedelta(seconds=1)


def _next(start: dt.datetime, width: int) -> dt.datetime:
    if width == 4:
        return start.replace(year=start.year + 1)
    if width == 6:
        return (start + dt.timedelta(days=32)).replace(day=1)
    step = {8: dt.timedelta(days=1), 10: dt.timedelta(hours=1), 12: dt.timedelta(minutes=1)}
    return start + step.get(width, dt.timedelta(seconds=1))


def _query_original(url: str) -> str | None:
    """WebCite's `query?url=ORIGINAL&date=...` form."""
    values = parse_qs(urlsplit(url).query).get("url")
    return values[0] if values else None


def _with_scheme(original: str) -> str:
    """Archives accept `web.archive.org/web/2015/example.org/x`: the original gets http://;
    `http:/example.org` (a collapsed double slash) is repaired."""
    fixed = re.sub(r"^(https?):/+", r"\1://", original, flags=re.IGNORECASE)
    return fixed if re.match(r"https?://", fixed, re.IGNORECASE) else "http://" + fixed
