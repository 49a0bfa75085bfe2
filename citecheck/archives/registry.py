"""The archives citecheck asks, and how: one `Archive` per web archive.

Prefixes follow MemGator's archive list (oduwsdl/MemGator archives.json). Adding an archive
is one line in DEFAULTS. `--archive NAME=URL` (Settings.archives) replaces the defaults: a
known name or TimeGate keeps the known archive's TimeMap, CDX endpoint and budget; any other
is a plain Memento TimeGate whose TimeMap is found from its `Link` header.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from citecheck.errors import InputError

DEFAULT_PER_MINUTE = 30  # for archives with no documented limit


@dataclass(frozen=True)
class Archive:
    """A web archive: Memento TimeGate prefix (the original URL is appended), optional TimeMap
    and CDX endpoints, and its request budget.

    `raw_replay` means memento URLs look like `PREFIX/YYYYMMDDhhmmss/URL` and `id_` after the
    timestamp gives the capture as archived (wayback and pywb); `cdx_dialect` is "ia" or "pywb".
    `per_minute` None means unbudgeted (a local archive). `mirrors` are other host names
    of the same archive: a replay redirecting there stays inside the archive. `availability`
    is a Wayback Availability endpoint that answers for many URLs in one POST
    (`citecheck.archives.availability`): its answers are hints, confirmed by replay or CDX.
    """

    name: str
    timegate: str
    timemap: str | None = None
    cdx: str | None = None
    cdx_dialect: str = "ia"
    per_minute: int | None = DEFAULT_PER_MINUTE
    concurrency: int = 4
    raw_replay: bool = True
    mirrors: tuple[str, ...] = ()
    availability: str | None = None


DEFAULTS: tuple[Archive, ...] = (
    Archive(
        "ia",
        "https://web.archive.org/web/",
        timemap="https://web.archive.org/web/timemap/link/",
        cdx="https://web.archive.org/cdx/search/cdx",
        per_minute=20,
        availability="https://archive.org/wayback/available",
    ),
    Archive(
        "archive.today",
        "https://archive.today/timegate/",
        timemap="https://archive.today/timemap/",
        per_minute=10,
        raw_replay=False,
        mirrors=(
            "archive.ph",
            "archive.is",
            "archive.md",
            "archive.li",
            "archive.vn",
            "archive.fo",
        ),
    ),
    Archive(
        "arquivo.pt",
        "https://arquivo.pt/wayback/",
        timemap="https://arquivo.pt/wayback/timemap/link/",
    ),
    Archive(
        "ukwa",
        "https://www.webarchive.org.uk/wayback/archive/",
        timemap="https://www.webarchive.org.uk/wayback/archive/timemap/link/",
    ),
    Archive(
        "perma.cc",
        "https://perma.cc/timegate/",
        timemap="https://perma.cc/timemap/link/",
        raw_replay=False,
    ),
)

ARCHIVES: dict[str, Archive] = {a.name: a for a in DEFAULTS}

_FIELDS = {f.name for f in dataclasses.fields(Archive)} - {"name"}


class ArchiveConfigError(InputError):
    """A bad archive entry in settings (`--archive` or references.yaml): exit 2."""


def resolve_archives(pairs: tuple[tuple[str, object], ...]) -> tuple[Archive, ...]:
    """The archives to ask for `Settings.archives` (() means DEFAULTS).

    Each value is a TimeGate prefix, or a mapping of Archive fields (as references.yaml may
    give: `{timegate: ..., cdx: ..., cdx_dialect: pywb, per_minute: 20}`), also as a tuple
    of (key, value) pairs.
    """
    if not pairs:
        return DEFAULTS
    return tuple(_one(name, value) for name, value in pairs)


def _one(name: str, value: object) -> Archive:
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        value = dict(value)  # a mapping frozen as pairs, to keep Settings hashable
    if isinstance(value, Mapping):
        unknown = set(value) - _FIELDS
        if unknown or "timegate" not in value:
            raise ArchiveConfigError(
                f"archive {name!r}: needs 'timegate'; unknown keys: {sorted(unknown)}"
            )
        _check_prefix(name, str(value["timegate"]))
        base = _known(name, str(value["timegate"]))
        fields = {k: value[k] for k in value}
        if base is not None and _same_prefix(base.timegate, str(value["timegate"])):
            return dataclasses.replace(base, name=name, **fields)
        return Archive(name=name, **fields)
    prefix = str(value)
    _check_prefix(name, prefix)
    base = _known(name, prefix)
    if base is not None and _same_prefix(base.timegate, prefix):
        return dataclasses.replace(base, name=name)
    return Archive(name=name, timegate=prefix, raw_replay=True)


def _check_prefix(name: str, prefix: str) -> None:
    from citecheck.urls import url_problem

    if not prefix.lower().startswith(("http://", "https://")) or url_problem(prefix):
        raise ArchiveConfigError(f"archive {name!r}: {prefix!r} is not an http(s) URL")


def _known(name: str, prefix: str) -> Archive | None:
    for archive in DEFAULTS:
        if archive.name == name or _same_prefix(archive.timegate, prefix):
            return archive
    return None


def _same_prefix(a: str, b: str) -> bool:
    def key(url: str) -> str:
        parts = urlsplit(url)
        return (parts.hostname or "") + parts.path.rstrip("/")

    return key(a) == key(b)
