"""The pipeline of `citecheck check` and `appendix`: source → document → analysis → links →
archives → findings → policy → Report. No printing and no exit codes here (that is the CLI)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.errors import InputError
from citecheck.findings import Report, Severity
from citecheck.identifiers.doi import is_doi_link
from citecheck.models import Document, LinkResult, LinkStatus, Note, Rule, Snapshot
from citecheck.settings import Settings, SettingsError, merge
from citecheck.urls import normalize, url_problem

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from citecheck.analysis import Fact
    from citecheck.archives.cited import CitedMemento
    from citecheck.archives.held import MementoCheck
    from citecheck.archives.stage import ArchiveStage
    from citecheck.cache.store import Cache
    from citecheck.checkers.early import EarlyFetch
    from citecheck.checkers.extras import PageWants
    from citecheck.identifiers.results import DoiRecord
    from citecheck.manifest import Manifest
    from citecheck.net.client import AnyTransport
    from citecheck.net.web import GuardedTransport


@dataclass(frozen=True)
class Source:
    """What `check` reads: the document, and the manifest it came through (if any)."""

    document: Document
    manifest: Manifest | None = None
    notices: tuple[str, ...] = ()  # one-line warnings about how the source was found
    # the file read, resolved (the report; without one, the manifest; None: a stream): what
    # the cache remembers the last run's failures under
    path: str | None = None


@dataclass(frozen=True)
class Located:
    """Where `check` will read from, known before anything is read: the report file (None:
    a stream, or a manifest whose source is missing) and the manifest that goes with it."""

    given: Path
    report: Path | None
    manifest: Manifest | None = None
    notices: tuple[str, ...] = ()
    stream: bool = False

    @property
    def key(self) -> str | None:
        """The resolved path of the file that will be read (None: a stream)."""
        if self.stream:
            return None
        return str((self.report or self.given).resolve())


@dataclass(frozen=True)
class Outcome:
    """A finished run: the report, and facts the CLI needs for its exit code and messages."""

    report: Report
    network_unavailable: bool = False
    notices: tuple[str, ...] = field(default=())


def load_source(
    path: Path, flags: Mapping[str, object] | None = None, *, progress: bool = False
) -> Source:
    """The document behind `path`, a report or a references.yaml (whose `source` is read when
    it exists, else the manifest's own entries stand in for it). Given the command's `flags`,
    a report whose bytes were read before comes from the cache (unless --no-cache)."""
    return read_source(locate_source(path), flags, progress=progress)


def locate_source(path: Path) -> Located:
    """What `load_source(path)` will read, and the manifest (its settings) that goes with it,
    without reading the report yet."""
    from citecheck.manifest import is_manifest, load_manifest
    from citecheck.readers import is_stream

    if is_stream(path):  # read once: a pipe gives its bytes only once
        return Located(path, None, stream=True)
    if not path.exists():
        flag = path.name.lower() in ("true", "false", "yes", "no", "on", "off")
        raise InputError(
            "no such file; flags such as --offline take no value (write --offline, not "
            "--offline true)"
            if flag
            else "no such file; give a report or a references.yaml "
            "(make one with `citecheck extract REPORT`)",
            str(path),
        )
    if not is_manifest(path):
        manifest, notices = _manifest_beside(path)
        return Located(path, path, manifest, notices)
    manifest = load_manifest(path)
    if manifest.source is not None and manifest.source.exists():
        return Located(path, manifest.source, manifest)
    notices = ()
    if manifest.source is not None:
        notices = (
            f"warning: {path}: its source {manifest.source_text} is missing; checking the "
            "notes as recorded in the manifest (the report may have changed since)",
        )
    return Located(path, None, manifest, notices)


def read_source(
    found: Located, flags: Mapping[str, object] | None = None, *, progress: bool = False
) -> Source:
    """The Source `found` names, read (see `load_source`)."""
    from citecheck.manifest import document_from_manifest

    if found.stream:
        return Source(_read_stream(found.given, flags, progress))
    if found.report is not None:
        document = _read_report(found.report, found.manifest, flags, progress)
    else:
        assert found.manifest is not None  # a file that is not a report is a manifest
        document = document_from_manifest(found.manifest)
    return Source(document, found.manifest, found.notices, found.key)


def early_fetch(found: Located, settings: Settings) -> EarlyFetch | None:
    """The re-fetch of the last run's failures of the report `found` names, started now
    (before the report is read), or None when there is nothing to start."""
    from citecheck.checkers.early import start

    if found.key is None:
        return None
    return start(found.key, settings, lambda urls: excluded_links(urls, settings))


def _manifest_beside(report: Path) -> tuple[Manifest | None, tuple[str, ...]]:
    """The references.yaml next to `report` (or in the working directory, the default of
    `check`) whose `source` is `report`, if there is one: `check report.md` then uses its
    settings, waivers and as_of, and says so."""
    candidates = dict.fromkeys(
        p.resolve() for p in (report.parent / "references.yaml", Path("references.yaml"))
    )
    for beside in candidates:
        found = _manifest_for(beside, report)
        if found != (None, ()):
            return found
    return None, ()


def _manifest_for(beside: Path, report: Path) -> tuple[Manifest | None, tuple[str, ...]]:
    from citecheck.manifest import is_manifest, load_manifest

    if not beside.is_file() or not is_manifest(beside):
        return None, ()
    try:
        manifest = load_manifest(beside)
    except InputError as exc:
        return None, (f"warning: {beside} not used: {exc}",)
    source = manifest.source
    if source is None or not source.exists() or source.resolve() != report.resolve():
        return None, ()
    return manifest, (
        f"using the settings and waivers of {_display(beside)} (its source is this report)",
    )


def _read_stream(path: Path, flags: Mapping[str, object] | None, progress: bool) -> Document:
    """The report on standard input or a pipe (a references.yaml must be a file: it is
    written back)."""
    from citecheck.manifest import looks_like_manifest
    from citecheck.readers import load_bytes, read_stream

    data, shown = read_stream(path)
    if looks_like_manifest(data[:4096].decode("utf-8", "replace")):
        raise InputError("a references.yaml on standard input; give its path instead", shown)
    cache = open_cache(_settings(None, flags)) if flags is not None else None
    try:
        with _status(f"Reading {shown}…", progress):
            return load_bytes(data, shown, cache=cache)
    finally:
        if cache is not None:
            cache.close()


def _read_report(
    path: Path, manifest: Manifest | None, flags: Mapping[str, object] | None, progress: bool
) -> Document:
    from citecheck.readers import load_document

    shown = _display(path)
    cache = open_cache(_settings(manifest, flags)) if flags is not None else None
    try:
        with _status(f"Reading {shown}…", progress):
            return load_document(path, shown, cache=cache)
    finally:
        if cache is not None:
            cache.close()


def _display(path: Path) -> str:
    """`path` relative to the working directory when it lies below it (stable in CI logs)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else Path(rel).as_posix()


def build_settings(source: Source | Located, flags: Mapping[str, object]) -> Settings:
    """Defaults, then the manifest's `settings:`, then the command-line flags."""
    return _settings(source.manifest, flags)


def _settings(manifest: Manifest | None, flags: Mapping[str, object]) -> Settings:
    settings = Settings()
    if manifest is not None and manifest.settings:
        try:
            settings = merge(settings, dict(manifest.settings))
        except SettingsError as exc:
            raise InputError(f"settings: {exc}", str(manifest.path)) from None
    for name, value in flags.items():  # one at a time, so that the error names the option
        try:
            settings = merge(settings, {name: value})
        except SettingsError as exc:
            raise InputError(f"{_option(name)}: {exc}") from None
    return settings


def _option(setting: str) -> str:
    """The command-line option that sets `setting`."""
    special = {"archives": "--archive", "allow_networks": "--allow-network"}
    return special.get(setting, "--" + setting.replace("_", "-"))


def as_of_date(settings: Settings, source: Source, today: dt.date) -> dt.date:
    """`--as-of`, else the manifest's `as_of`, else the report's publication date, else today."""
    manifest_as_of = source.manifest.as_of if source.manifest is not None else None
    return settings.as_of or manifest_as_of or source.document.published or today


def accessed_dates(source: Source) -> dict[str, dt.date]:
    """Note label -> the `accessed` date an editor wrote in the manifest."""
    if source.manifest is None:
        return {}
    return {
        e.label: e.editorial.accessed
        for e in source.manifest.entries
        if e.editorial.accessed is not None and not e.removed
    }


def waivers(source: Source) -> dict:
    """Note label -> Waiver from the manifest's `accept:` fields."""
    from citecheck.policy import PolicyError, waiver_from_entry

    if source.manifest is None:
        return {}
    out = {}
    for entry in source.manifest.entries:
        if entry.removed:  # its note is gone; the label may now belong to another note
            continue
        ed = entry.editorial
        raw = {
            "label": entry.label,
            "accept": list(ed.accept),
            "reason": ed.reason,
            "accept_until": ed.accept_until,
        }
        try:
            waiver = waiver_from_entry(raw, str(source.manifest.path))
        except PolicyError as exc:
            raise InputError(str(exc), str(source.manifest.path), entry.yaml_line) from None
        if waiver is not None:
            out[entry.label] = waiver
    return out


def cited_urls(document: Document, notes: Sequence[Note]) -> list[str]:
    """Every URL occurrence: in the notes (with inherited Ibid URLs) and in the body text."""
    return [u for n in notes for u in n.urls] + [r.url for r in document.body_urls]


def page_wants(document: Document, notes: Sequence[Note]) -> PageWants:
    """The pages whose anchors (a cited `#fragment`) or titles (a note quoting a title before
    a deep link) the link check keeps."""
    from citecheck.checkers.anchors import fragment
    from citecheck.checkers.extras import PageWants
    from citecheck.identifiers.compare import cited_titles
    from citecheck.urls import is_homepage

    urls = [u for n in notes for u in n.urls] + [r.url for r in document.body_urls]
    anchors = frozenset(normalize(u) for u in urls if "#" in u and fragment(u) is not None)
    titles = frozenset(
        normalize(u)
        for n in notes
        if n.urls and cited_titles(n.text)
        for u in n.urls
        if not is_homepage(normalize(u))
    )
    return PageWants(anchors, titles)


def open_cache(settings: Settings) -> Cache:
    from citecheck.cache.store import Cache

    return Cache(settings.cache_dir, enabled=not settings.no_cache)


def check_links(
    urls: list[str],
    settings: Settings,
    cache: Cache | None,
    *,
    transport: GuardedTransport | None,
    progress: bool,
    on_result: Callable[[LinkResult], None] | None = None,
    wants: PageWants | None = None,
    meanwhile: Callable[[Mapping[str, LinkResult]], None] | None = None,
    early: EarlyFetch | None = None,
    report: str | None = None,
) -> tuple[dict[str, LinkResult], bool]:
    """(results by normalised URL, network unavailable); offline: the last results (failures
    too) from the cache. URLs matching `--exclude` (and no `--include`) are `skipped`.
    `on_result` is told each verdict as it is made (the archive stage starts on them);
    `meanwhile`, the results known before the fetch while it runs (`checkers.check_links`);
    `early`, the fetch of the last failures started at start-up, is taken over. The failures
    are remembered under `report` (a resolved path) for the next run's early fetch."""
    excluded = excluded_links(urls, settings)
    todo = [u for u in urls if normalize(u) not in excluded]
    if settings.offline:
        return {**_cached_links(todo, cache), **excluded}, False
    from citecheck.checkers import check_links as check

    run = check(
        todo,
        settings,
        transport=transport,
        cache=cache,
        progress=progress,
        on_result=on_result,
        wants=wants,
        meanwhile=(lambda known: meanwhile({**known, **excluded})) if meanwhile else None,
        early=early,
    )
    if report is not None and cache is not None and cache.enabled and not run.network_unavailable:
        from citecheck.checkers.early import remember
        from citecheck.checkers.extras import PageWants

        remember(cache, report, run.results, wants or PageWants())
    return {**run.results, **excluded}, run.network_unavailable


def excluded_links(urls: list[str], settings: Settings) -> dict[str, LinkResult]:
    """Skipped results for the URLs `--exclude` names, unless an `--include` matches too
    (include wins, as in lychee)."""
    import re

    if not settings.exclude:
        return {}
    out = {}
    for url in dict.fromkeys(urls):
        hit = next((p for p in settings.exclude if re.search(p, url)), None)
        if hit is None or any(re.search(p, url) for p in settings.include):
            continue
        key = normalize(url)
        out[key] = LinkResult(key, LinkStatus.SKIPPED, detail=f"excluded by --exclude {hit!r}")
    return out


def _cached_links(urls: list[str], cache: Cache | None) -> dict[str, LinkResult]:
    """Offline: the last result of each URL (failures too), else a live one cached before
    last results were kept, else `unchecked`."""
    from citecheck.checkers import unfetchable
    from citecheck.checkers.lastresults import recall
    from citecheck.checkers.stored import from_json

    keys = list(dict.fromkeys(normalize(u) for u in urls))
    last = recall(cache, keys)
    missing = [k for k in keys if k not in last]
    cached = cache.get_many("link", missing) if cache is not None and missing else {}
    return {
        k: unfetchable(k)
        or last.get(k)
        or (
            from_json(k, cached[k])
            if k in cached
            else LinkResult(k, LinkStatus.UNCHECKED, detail="offline")
        )
        for k in keys
    }


def _dated_links(
    links: dict[str, LinkResult], cache: Cache | None, today: dt.date
) -> dict[str, LinkResult]:
    """Live results with the day they were checked: today for fresh ones, the stored day
    for those reused from the cache."""
    from citecheck.checkers.lastresults import CHECKED, checked_days, dated

    reused = [k for k, r in links.items() if r.from_cache and CHECKED not in r.extra]
    days = checked_days(cache, reused)
    out = {}
    for key, result in links.items():
        if CHECKED in result.extra or result.status in (LinkStatus.UNCHECKED, LinkStatus.SKIPPED):
            out[key] = result
        else:
            day = days.get(key) if result.from_cache else today.isoformat()
            out[key] = dated(result, day) if day else result
    return out


def archive_targets(
    notes: Sequence[Note],
    source: Source,
    as_of: dt.date,
    links: Mapping[str, LinkResult] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, dt.date]:
    """Normalised URL -> the date its capture should show, for every archivable cited URL
    (given `links`, only those whose link result allows it) not in `skip`."""
    from citecheck.archives import merge_targets
    from citecheck.checkers import unfetchable

    accessed = accessed_dates(source)
    pairs = []
    for note in notes:
        for url in note.urls:
            if is_doi_link(url):  # a persistent identifier: judged by the handle system
                continue
            key = normalize(url)
            if key in skip:
                continue
            ok = _archivable(links.get(key)) if links is not None else unfetchable(key) is None
            if ok:
                pairs.append((key, accessed.get(note.label) or as_of))
    return merge_targets(pairs)


def check_identifiers(
    notes: tuple[Note, ...],
    settings: Settings,
    cache: Cache | None,
    *,
    transport: AnyTransport | None,
) -> tuple[dict[str, DoiRecord], dict[str, LinkResult]]:
    """(DOI -> what the identifier services say, doi.org link -> its LinkResult). A doi.org
    link is judged by the handle system, never by fetching the publisher's page (bot walls).
    Nothing with --no-identifiers (doi.org links are then checked like any link)."""
    dois = _dois(notes, settings)
    if not dois:
        return {}, {}
    from citecheck.identifiers.links import doi_link_result
    from citecheck.identifiers.lookup import look_up

    links = doi_links(notes, settings)
    records = look_up(dois, settings, transport=transport, cache=cache)
    return records, {url: doi_link_result(url, records.get(doi)) for url, doi in links.items()}


def _dois(notes: Sequence[Note], settings: Settings) -> list[str]:
    if settings.no_identifiers:
        return []
    return [i.value for n in notes for i in n.identifiers if i.scheme == "doi" and i.valid]


def doi_links(notes: Sequence[Note], settings: Settings) -> dict[str, str]:
    """Normalised doi.org link -> its DOI, for the links `check_identifiers` judges (known
    from the notes alone, before any lookup)."""
    if not _dois(notes, settings):
        return {}
    return {normalize(u): d for n in notes for u in n.urls if (d := is_doi_link(u))}


class _Lookups:
    """A run's identifier lookups (`check_identifiers`), made once, when first asked for:
    while the links are fetched, unless they share the link checker's transport (a transport
    is not used from two threads at once)."""

    def __init__(
        self,
        notes: tuple[Note, ...],
        settings: Settings,
        cache: Cache | None,
        transport: AnyTransport | None,
        links_transport: AnyTransport | None,
    ) -> None:
        self.judged = frozenset(doi_links(notes, settings))  # never fetched as links
        self._ask = lambda: check_identifiers(notes, settings, cache, transport=transport)
        self._done: tuple[dict[str, DoiRecord], dict[str, LinkResult]] | None = None
        if transport is not None and transport is links_transport:
            self.result()

    def result(self) -> tuple[dict[str, DoiRecord], dict[str, LinkResult]]:
        """(DOI -> record, doi.org link -> its LinkResult)."""
        if self._done is None:
            self._done = self._ask()
        return self._done


def cited_mementos(notes: Sequence[Note], settings: Settings) -> dict[str, CitedMemento]:
    """Normalised URL -> the memento it is, for every cited URL that is an archive's memento
    (the built-in archives' forms, and those of the archives configured by replay prefix)."""
    from citecheck.archives.cited import any_of, configured_forms, parse
    from citecheck.archives.registry import ArchiveConfigError, resolve_archives

    try:
        forms = configured_forms(resolve_archives(settings.archives))
    except ArchiveConfigError as exc:
        raise InputError(f"archives: {exc}") from None
    maybe = any_of(forms).fullmatch
    out: dict[str, CitedMemento] = {}
    for url in dict.fromkeys(u for n in notes for u in n.urls):
        if maybe(url) is None:
            continue
        key = normalize(url)
        if key not in out and (memento := parse(url, forms)) is not None:
            out[key] = memento
    return out


def check_mementos(
    notes: tuple[Note, ...],
    settings: Settings,
    cache: Cache | None,
    *,
    transport: AnyTransport | None,
) -> tuple[dict[str, MementoCheck], tuple[Note, ...]]:
    """(memento URL -> whether its archive holds it, the notes with each memento's original
    URL added after it: the original is checked like any cited URL)."""
    import dataclasses

    mementos = cited_mementos(notes, settings)
    if not mementos:
        return {}, notes
    from citecheck.archives.held import check_mementos as check

    checks = check(mementos, settings, transport=transport, cache=cache)
    out = []
    for note in notes:
        urls = list(note.urls)
        for url in note.urls:
            found = checks.get(normalize(url))
            original = found.original if found is not None else None
            if original and normalize(original) not in {normalize(u) for u in urls}:
                urls.insert(urls.index(url) + 1, original)
        out.append(
            dataclasses.replace(note, urls=tuple(urls)) if len(urls) > len(note.urls) else note
        )
    return checks, tuple(out)


def with_cited_captures(
    links: dict[str, LinkResult], checks: Mapping[str, MementoCheck]
) -> dict[str, LinkResult]:
    """`links` where each original of a held memento has the cited capture as its snapshot."""
    import dataclasses

    out = dict(links)
    for check in checks.values():
        key = normalize(check.original) if check.original else None
        link = out.get(key) if key else None
        if key and link is not None and check.snapshot is not None and link.snapshot is None:
            out[key] = dataclasses.replace(link, snapshot=check.snapshot, archive_rules=())
    return out


def start_archives(
    notes: Sequence[Note],
    source: Source,
    settings: Settings,
    as_of: dt.date,
    cache: Cache | None,
    *,
    transport: AnyTransport | None,
    skip: frozenset[str] = frozenset(),
) -> ArchiveStage | None:
    """The archive stage, started before the links are checked (None: nothing to look up);
    URLs in `skip` (excluded ones) are never sent to an archive."""
    from citecheck.archives.registry import ArchiveConfigError
    from citecheck.archives.stage import ArchiveStage

    targets = archive_targets(notes, source, as_of, skip=skip)
    if not targets:
        return None
    try:
        stage = ArchiveStage(targets, settings, cache=cache, transport=transport)
    except ArchiveConfigError as exc:
        raise InputError(f"archives: {exc}") from None
    return stage.start()


def add_archives(
    links: dict[str, LinkResult],
    notes: Sequence[Note],
    source: Source,
    settings: Settings,
    as_of: dt.date,
    cache: Cache | None,
    *,
    stage: ArchiveStage | None = None,
    progress: bool = False,
    skip: frozenset[str] = frozenset(),
) -> dict[str, LinkResult]:
    """`links` with the capture nearest each citation's date: from `stage` (started with
    `start_archives`), or, offline, from the cache only. URLs in `skip` are not looked up."""
    from citecheck.archives import cached_snapshots
    from citecheck.archives.apply import with_archive
    from citecheck.archives.registry import ArchiveConfigError

    targets = archive_targets(notes, source, as_of, links, skip)
    if not targets:
        return links
    if stage is not None:
        found = stage.results(progress)
    else:
        try:
            found = cached_snapshots(targets, settings, cache)
        except ArchiveConfigError as exc:
            raise InputError(f"archives: {exc}") from None
    out = dict(links)
    for url, result in found.items():
        if url in targets:
            out[url] = with_archive(out[url], result)
    return out


def _status(message: str, shown: bool) -> AbstractContextManager[object]:
    """A spinner on stderr with `message` while slow work runs (reading a long PDF, asking
    archives under their rate budgets); nothing unless `shown`."""
    from contextlib import nullcontext

    if not shown:
        return nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


def with_recorded_captures(links: dict[str, LinkResult], source: Source) -> dict[str, LinkResult]:
    """`links` with the captures editors recorded (`archived_url`, `archived_at`, as
    `citecheck archive --update` writes them) where no lookup found one."""
    import dataclasses

    out = dict(links)
    for url, snapshot in recorded_captures(source).items():
        link = out.get(url)
        if link is None or link.snapshot is not None:
            continue
        rules = tuple(
            r
            for r in link.archive_rules
            if r not in (Rule.NO_ARCHIVED_COPY, Rule.ARCHIVE_UNAVAILABLE)
        )
        out[url] = dataclasses.replace(link, snapshot=snapshot, archive_rules=rules)
    return out


def recorded_captures(source: Source) -> dict[str, Snapshot]:
    """Normalised URL -> Snapshot from the manifest's `archived_url` fields; the capture
    belongs to the entry's URL that the memento URL ends with, or to its only URL."""
    if source.manifest is None:
        return {}
    out = {}
    for entry in source.manifest.entries:
        ed = entry.editorial
        if not ed.archived_url or entry.removed:
            continue
        urls = [u for u in entry.urls if ed.archived_url.endswith(u)] or (
            list(entry.urls) if len(entry.urls) == 1 else []
        )
        when = _capture_time(ed.archived_at, ed.archived_url)
        if when is None:
            continue
        for url in urls:
            out[normalize(url)] = Snapshot("recorded", ed.archived_url, when)
    return out


def _capture_time(archived_at: object, memento_url: str) -> dt.datetime | None:
    """`archived_at` as a UTC datetime, else the 14-digit timestamp of a wayback-style URL."""
    import re

    if isinstance(archived_at, dt.datetime):
        return archived_at if archived_at.tzinfo else archived_at.replace(tzinfo=dt.UTC)
    if isinstance(archived_at, dt.date):
        return dt.datetime.combine(archived_at, dt.time(), dt.UTC)
    stamp = re.search(r"/(\d{14})(?:[a-z]{2}_)?/", memento_url)
    if stamp is None:
        return None
    return dt.datetime.strptime(stamp.group(1), "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def _archivable(link: LinkResult | None) -> bool:
    return (
        link is not None and link.status is not LinkStatus.SKIPPED and url_problem(link.url) is None
    )


def run(
    source: Source,
    settings: Settings,
    *,
    today: dt.date,
    severities: Mapping[str, str] | None = None,
    baseline: Sequence[Mapping[str, Any]] | None = None,
    transport: GuardedTransport | None = None,
    archive_transport: AnyTransport | None = None,
    identifier_transport: AnyTransport | None = None,
    progress: bool = False,
    early: EarlyFetch | None = None,
) -> Outcome:
    """Every check on `source`; network only through `transport` (None: the real web).
    `early`: the re-fetch of the last run's failures, started before `source` was read
    (`early_fetch`); its caller stops it."""
    from concurrent.futures import ThreadPoolExecutor

    from citecheck import rules
    from citecheck.analysis import Analysis
    from citecheck.policy import PolicyError, apply_policy, check_severities, lapsed_waivers

    document = source.document
    as_of = as_of_date(settings, source, today)
    notices = []
    cache = open_cache(settings)
    # The document's own checks need no network: they run while the links are fetched (or
    # come from the cache, for a report analysed before).
    with ThreadPoolExecutor(1, thread_name_prefix="analysis") as pool:
        try:
            notes, facts, keep = _analysed(document, settings.all_hedges, cache, pool)
            lookups = _Lookups(notes, settings, cache, identifier_transport or transport, transport)
            mementos, notes = check_mementos(
                notes, settings, cache, transport=archive_transport or transport
            )
            archived = _memento_links(mementos)  # judged by their archive
            ahead: list[rules.Ahead] = []

            def meanwhile(known: Mapping[str, LinkResult]) -> None:
                # while the rest are fetched: the identifiers looked up, and the findings of
                # the notes whose links are all known
                dois, judged = lookups.result()
                ahead.append(
                    rules.findings_ahead(
                        notes,
                        {**known, **judged, **archived},
                        settings.drift_threshold,
                        dois,
                        mementos,
                    )
                )

            links, down = _links(
                source,
                notes,
                settings,
                as_of,
                cache,
                transport=transport,
                archive_transport=archive_transport,
                progress=progress,
                today=today,
                judged=lookups.judged | frozenset(archived),
                not_archived=_originals(mementos),
                meanwhile=meanwhile,
                early=early,
            )
            dois, judged = lookups.result()
            links = with_recorded_captures({**links, **judged, **archived}, source)
            links = with_cited_captures(links, mementos)
            analysis = Analysis(document, notes, keep(facts.result()))
        finally:
            if cache is not None:
                if cache.problem:
                    notices.append(f"cache bypassed: {cache.problem}")
                cache.close()
    decided = ahead[0] if ahead else None
    found = rules.findings(analysis, links, down, settings.drift_threshold, dois, mementos, decided)
    overrides = {**settings.rules, **(severities or {})}
    try:
        check_severities(overrides)
    except PolicyError as exc:  # a bad name in settings.rules
        raise InputError(str(exc)) from None
    held = waivers(source)
    found = apply_policy(found, severities=overrides, waivers=held, baseline=baseline, today=today)
    notices += [
        f"waiver for note {label} lapsed on {until}" for label, until in lapsed_waivers(held, today)
    ]
    fail_on = None if settings.fail_on == "never" else Severity(settings.fail_on)
    report = Report(
        document.source,
        document,
        analysis.notes,
        found,
        as_of,
        links,
        _markers_by_label(document),
        fail_on,
    )
    return Outcome(report, down, tuple(notices))


def _analysed(
    document: Document, hedges: tuple[str, ...], cache: Cache, pool: Executor
) -> tuple[tuple[Note, ...], Future[tuple[Fact, ...]], Callable[[tuple[Fact, ...]], tuple]]:
    """(classified notes, their facts to come, `keep`): from the cache when this very
    Document was analysed before, else computed (the facts in `pool`); `keep(facts)` stores
    a new analysis in the cache and returns the facts."""
    from concurrent.futures import Future

    from citecheck.analysis import classified, document_facts
    from citecheck.cache import analysis as saved

    entry = saved.key(document, hedges) if cache.enabled else None
    found = saved.load(cache, entry, document)
    if found is not None:
        done: Future[tuple[Fact, ...]] = Future()
        done.set_result(found[1])
        return found[0], done, lambda facts: facts
    memo = saved.memo(cache, document, hedges)  # what an earlier version shares with it
    notes = classified(document, memo)

    def facts_and_memo() -> tuple[Fact, ...]:
        # the memo stored (and dropped) as soon as the facts are made, not held to the end
        facts = document_facts(document, notes, hedges, memo)
        saved.store_memo(cache, document, hedges, memo)
        return facts

    def keep(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
        saved.store(cache, entry, notes, facts)
        return facts

    return notes, pool.submit(facts_and_memo), keep


def _links(
    source: Source,
    notes: Sequence[Note],
    settings: Settings,
    as_of: dt.date,
    cache: Cache | None,
    *,
    transport: GuardedTransport | None,
    archive_transport: AnyTransport | None,
    progress: bool,
    today: dt.date,
    judged: frozenset[str],
    not_archived: frozenset[str] = frozenset(),
    meanwhile: Callable[[Mapping[str, LinkResult]], None] | None = None,
    early: EarlyFetch | None = None,
) -> tuple[dict[str, LinkResult], bool]:
    """(link results with the captures found, network unavailable): the archive stage is
    started first and told each verdict, so that it runs while the links are checked.
    Excluded URLs are never sent to an archive; live results carry the day they were
    checked. URLs `judged` otherwise (doi.org links, by the handle system; cited mementos, by
    their archive) are not fetched, nor sent to an archive; nor are those `not_archived`
    (their capture is cited). `meanwhile` is given the results known (cached ones) while the
    others are fetched."""
    skip = judged | not_archived
    stage = None
    if not (settings.offline or settings.no_archive):
        skip |= frozenset(excluded_links(cited_urls(source.document, notes), settings))
        stage = start_archives(
            notes,
            source,
            settings,
            as_of,
            cache,
            transport=archive_transport or transport,
            skip=skip,
        )
    try:
        links, down = check_links(
            [u for u in cited_urls(source.document, notes) if normalize(u) not in judged],
            settings,
            cache,
            transport=transport,
            progress=progress,
            on_result=stage.link_checked if stage is not None else None,
            wants=page_wants(source.document, notes),
            meanwhile=meanwhile,
            early=early,
            report=source.path,
        )
    except BaseException:
        if stage is not None:
            stage.cancel()
        raise
    if not settings.offline:
        links = _dated_links(links, cache, today)
    if down and stage is not None:
        stage.cancel()
    elif not (down or settings.no_archive):
        links = add_archives(
            links, notes, source, settings, as_of, cache, stage=stage, progress=progress, skip=skip
        )
    return links, down


def _memento_links(checks: Mapping[str, MementoCheck]) -> dict[str, LinkResult]:
    if not checks:
        return {}  # most reports cite no memento: no import of the archive client (0.2 s)
    from citecheck.archives.held import link_result

    return {key: link_result(check) for key, check in checks.items()}


def _originals(checks: Mapping[str, MementoCheck]) -> frozenset[str]:
    """Originals not to look up in the archives: the note cites their capture (unless the
    archive does not hold it: then a lookup may find another one)."""
    if not checks:
        return frozenset()  # no import of the archive client (0.1 s) for the many reports
    from citecheck.archives.held import Held

    return frozenset(
        normalize(c.original) for c in checks.values() if c.original and c.state is not Held.MISSING
    )


def _markers_by_label(document: Document) -> dict:
    out: dict[str, list] = {}
    for marker in document.markers:
        out.setdefault(marker.label, []).append(marker.location)
    return {label: tuple(locs) for label, locs in out.items()}
