"""What each command does, between the CLI (options, files, exit codes) and the pipeline.

Each function returns what the CLI should print or write; errors are InputErrors (exit 2).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.errors import InputError
from citecheck.pipeline import (
    Outcome,
    Source,
    build_settings,
    early_fetch,
    load_source,
    locate_source,
    read_source,
    run,
)

if TYPE_CHECKING:
    from citecheck.archives.capture import CaptureResult
    from citecheck.findings import Report
    from citecheck.manifest import Manifest
    from citecheck.models import Note
    from citecheck.net.web import GuardedTransport
    from citecheck.reporters.table import View
    from citecheck.settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_NO_NETWORK = 0, 1, 2, 3


@dataclass(frozen=True)
class Result:
    """Text for stdout (or `output`), an exit code, and one-line notices for stderr. An output
    that grows with the report comes as `chunks` instead (read once, see `body`)."""

    text: str
    code: int = EXIT_OK
    output: Path | None = None
    notices: tuple[str, ...] = field(default=())
    outcome: Outcome | None = None
    fmt: str | None = None
    parts: tuple[Result, ...] = ()  # with several reports: each one's own result
    chunks: Iterable[str] | None = field(default=None, compare=False)

    def body(self) -> Iterable[str]:
        """The output: the reporter's pieces as it renders them, else `text`."""
        return self.chunks if self.chunks is not None else (self.text,)


def run_extract(report: Path, output: Path, as_of: str | None) -> str:
    """Create or update the manifest at `output` from `report`; a one-line summary."""
    import os

    from citecheck.manifest import update_manifest
    from citecheck.readers import is_stream, load_document, suffixes
    from citecheck.settings import SettingsError, parse_date

    try:
        when = parse_date(as_of) if as_of else None
    except SettingsError as exc:
        raise InputError(f"--as-of: {exc}") from None
    document = load_document(report)
    if not document.notes and not document.markers:  # not an error, but nothing to keep
        formats = ", ".join(suffixes())
        return f"{document.source}: no footnotes found; {output} not written (formats: {formats})"
    markers: dict[str, list[int]] = {}
    for m in document.markers:
        markers.setdefault(m.label, []).append(m.location.line)
    # a report from standard input has no path to keep (the manifest's own stays)
    source = (
        None
        if is_stream(report)
        else Path(os.path.relpath(report.resolve(), output.resolve().parent)).as_posix()
    )
    s = update_manifest(
        output,
        _with_kinds(document.notes),
        {k: tuple(v) for k, v in markers.items()},
        source,
        when or document.published,
    )
    return (
        f"{output}: {len(document.notes)} notes, {len(document.markers)} markers "
        f"({s.added} added, {s.updated} updated, {s.removed} marked removed)"
    )


def _with_kinds(notes: tuple[Note, ...]) -> tuple[Note, ...]:
    """The notes with their kind and identifiers; URLs stay the note's own (an Ibid inherits
    only at check)."""
    import dataclasses

    from citecheck.analysis.identifiers import attach
    from citecheck.analysis.kinds import classify

    found = attach(notes)
    return tuple(
        dataclasses.replace(note, kind=c.kind, identifiers=own.identifiers)
        for note, own, c in zip(notes, found, classify(found), strict=True)
    )


def run_checks(paths: list[Path], flags: dict, **options: object) -> Result:
    """`citecheck check` on one report, or on several (globs expanded), each with its own
    findings, put together in one output."""
    from citecheck.batch import expand, run_each

    every, unmatched = expand(paths)
    if len(every) == 1 and not unmatched:
        return run_check(every[0], dict(flags), **options)  # type: ignore[arg-type]
    return run_each(every, lambda p: run_check(p, dict(flags), **options), unmatched)  # type: ignore[arg-type]


def run_check(
    path: Path,
    flags: dict[str, Any],
    *,
    severities: Sequence[str] = (),
    baseline: Path | None = None,
    today: dt.date | None = None,
    color: bool = False,
    progress: bool = False,
    view: dict | None = None,
    width: int = 100,
) -> Result:
    """`citecheck check`: the rendered result, its exit code and notices. `view` holds the
    table's display options (quiet, verbose, min_severity)."""
    from citecheck.policy import PolicyError, parse_severities
    from citecheck.reporters import REPORTERS, chunk_renderer, one_of

    fmt = flags.pop("format", None) or "table"
    if fmt not in REPORTERS:
        raise InputError(f"unknown --format {fmt!r}; choose {one_of(REPORTERS)}")
    try:
        overrides = parse_severities(list(severities))
    except PolicyError as exc:
        raise InputError(str(exc)) from None
    found = locate_source(path)
    settings = build_settings(found, flags)
    # The last run's failures are fetched again while the report is read (a warm run
    # fetches little else).
    early = early_fetch(found, settings)
    try:
        source = read_source(found, flags, progress=progress and fmt == "table")
        outcome = run(
            source,
            settings,
            today=today or dt.date.today(),
            severities=overrides,
            baseline=_baseline(baseline),
            progress=progress and fmt == "table",
            early=early,
        )
    finally:
        if early is not None:
            early.stop()
    report = outcome.report
    chunks = None
    if fmt == "table":
        from citecheck.reporters.table import render

        text = render(report, color=color, width=width, view=_view(view or {}))
    elif fmt == "sarif":
        from citecheck.reporters.sarif import render_at

        paths = _sarif_paths(report, _sarif_root(settings, source))
        text = render_at(report, paths, _source_texts(source))
    else:
        text, chunks = "", chunk_renderer(fmt)(report)  # rendered as the CLI writes it
    notices = _notices(source, outcome)
    return Result(text, _exit_code(outcome), settings.output, notices, outcome, fmt, (), chunks)


def _view(options: dict) -> View:
    from citecheck.findings import Severity
    from citecheck.reporters.table import View

    level = options.get("min_severity")
    if level is not None and level not in ("error", "warning", "note"):
        raise InputError(f"--min-severity must be error, warning or note, not {level!r}")
    return View(
        quiet=bool(options.get("quiet")),
        verbose=bool(options.get("verbose")),
        min_severity=Severity(level or "note"),
    )


def _sarif_paths(report: Report, root: Path) -> dict[str, tuple[str, bool]]:
    """Each file the findings name -> (its path from the repository root, True), or (its
    absolute path, False) when it lies outside the root."""
    import os

    names = {f.location.file for f in report.findings if f.location} | {report.source}
    out = {}
    for name in names:
        absolute = Path(os.path.abspath(name))
        try:
            out[name] = (absolute.relative_to(root).as_posix(), True)
        except ValueError:
            out[name] = (absolute.as_posix(), False)
    return out


def _source_texts(source: Source) -> dict[str, str]:
    """The report's text by its shown name, for SARIF line hashes (text formats only)."""
    name = source.document.source
    if source.document.format in ("docx", "pdf", "manifest"):
        return {}
    try:
        return {name: Path(name).read_text(encoding="utf-8", errors="replace")}
    except OSError:
        return {}


def _sarif_root(settings: Settings, source: Source) -> Path:
    """Where SARIF paths start: --sarif-root, else the git top level of the report, else
    the working directory."""
    import subprocess

    if settings.sarif_root is not None:
        return Path(settings.sarif_root).resolve()
    where = Path(source.document.source).resolve().parent
    try:
        top = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return Path.cwd()
    return Path(top.stdout.strip()) if top.returncode == 0 and top.stdout.strip() else Path.cwd()


def _exit_code(outcome: Outcome) -> int:
    if outcome.network_unavailable:
        return EXIT_NO_NETWORK
    return EXIT_FINDINGS if outcome.report.failing() else EXIT_OK


def _notices(source: Source, outcome: Outcome) -> tuple[str, ...]:
    out = list(source.notices) + list(outcome.notices)
    if not source.document.notes and not source.document.markers:
        out.append(f"{source.document.source}: no footnotes found")
    if outcome.network_unavailable:
        out.append(
            "network unavailable: links were not checked (exit 3); run with --offline for "
            "the document rules, or set HTTPS_PROXY"
        )
    return tuple(out)


def _baseline(path: Path | None) -> list[dict[str, Any]] | None:
    """The findings of a previous `--format json` result, or None."""
    from citecheck.policy import PolicyError, baseline_findings

    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "no such baseline file; make one with `citecheck check --format json -o FILE`",
            str(path),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read baseline: {exc}", str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"baseline is not JSON ({exc.msg}); give a `--format json` result",
            str(path),
            exc.lineno,
        ) from None
    try:
        return baseline_findings(data, str(path))
    except PolicyError as exc:
        raise InputError(str(exc)) from None


def run_appendix(
    path: Path, fmt: str, flags: dict[str, Any], today: dt.date | None = None
) -> Result:
    """`citecheck appendix`: the references list from the manifest and the cache (offline
    unless `--online`), with verdicts and archived copies."""
    from citecheck.reporters import APPENDIX, appendix_renderer, one_of

    if fmt not in APPENDIX:
        raise InputError(f"unknown --format {fmt!r}; choose {one_of(APPENDIX)}")
    source = load_source(path, flags)
    settings = build_settings(source, flags)
    outcome = run(source, settings, today=today or dt.date.today())
    notices = source.notices + outcome.notices
    return Result(
        appendix_renderer(fmt)(outcome.report), EXIT_OK, settings.output, notices, outcome
    )


def run_archive(
    path: Path,
    flags: dict[str, Any],
    *,
    endpoint: str | None,
    dry_run: bool,
    max_age: int,
    update: bool,
    today: dt.date | None = None,
    transport: GuardedTransport | None = None,
) -> Result:
    """`citecheck archive`: ask an archive to capture live cited pages without a recent copy;
    with `update`, write each new memento into the manifest entries citing the page."""
    from citecheck import archives
    from citecheck.analysis import analyze
    from citecheck.archives.capture import CaptureStatus
    from citecheck.models import LinkStatus
    from citecheck.pipeline import check_links, cited_mementos, cited_urls, open_cache

    today = today or dt.date.today()
    _check_endpoint(endpoint)
    source = load_source(path, flags)
    manifest = source.manifest if update else None
    if update and manifest is None:
        raise InputError("--update needs a references.yaml to write to", str(path))
    settings = build_settings(source, flags)
    notes = analyze(source.document, settings.all_hedges).notes
    cache = open_cache(settings)
    try:
        links, down = check_links(
            cited_urls(source.document, notes), settings, cache, transport=transport, progress=False
        )
        if down:
            return Result(
                "",
                EXIT_NO_NETWORK,
                notices=(
                    "network unavailable: nothing was captured (exit 3); set HTTPS_PROXY "
                    "if the web is reached through a proxy",
                ),
            )
        copies = cited_mementos(notes, settings)  # already archived copies: not captured again
        live = [
            u
            for u, r in links.items()
            if r.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and u not in copies
        ]
        known = archives.find_snapshots(
            dict.fromkeys(live, today), settings, transport=transport, cache=cache
        )
    finally:
        cache.close()
    stale = archives.stale_urls(known, today=today, max_age_days=max_age)
    captured = archives.capture_urls(
        stale, settings, endpoint=endpoint, transport=transport, dry_run=dry_run
    )
    lines = [_capture_line(c) for c in captured]
    lines.append(
        f"{len(live)} live URLs, {len(live) - len(stale)} with a capture from the "
        f"last {max_age} days, {len(stale)} "
        + ("to capture (dry run)" if dry_run else "sent to the archive")
    )
    if manifest is not None:
        done = [c for c in captured if c.status is CaptureStatus.CAPTURED and c.memento_url]
        changed = _write_captures(manifest, done)
        lines.append(f"{manifest.path}: {changed} references updated")
    failed = any(c.status is CaptureStatus.FAILED for c in captured)
    return Result("\n".join(lines) + "\n", EXIT_FINDINGS if failed else EXIT_OK)


def _check_endpoint(endpoint: str | None) -> None:
    """An --endpoint that is not an http(s) URL is bad input (exit 2), not a network failure."""
    from citecheck.urls import url_problem

    if endpoint is None:
        return
    if not endpoint.lower().startswith(("http://", "https://")) or url_problem(endpoint):
        raise InputError(
            f"--endpoint {endpoint!r} is not an http(s) URL; give a pywb /record/ collection "
            "URL such as http://localhost:8080/my-web/record/"
        )


def _capture_line(c: CaptureResult) -> str:
    from citecheck.reporters.safe import strip_controls

    when = f" ({c.datetime:%Y-%m-%d})" if c.datetime else ""
    tail = c.memento_url or c.detail or ""
    return strip_controls(f"{c.status.value:<9} {c.url} → {tail}{when}")


def _write_captures(manifest: Manifest, done: Iterable[CaptureResult]) -> int:
    """Set `archived_url`/`archived_at` on every manifest entry citing a captured page."""
    from citecheck.manifest import set_fields
    from citecheck.urls import normalize

    by_url = {normalize(c.url): c for c in done}
    changes = []
    for index, entry in enumerate(manifest.entries):
        hit = next((by_url[normalize(u)] for u in entry.urls if normalize(u) in by_url), None)
        if hit is not None:
            stamp = hit.datetime.replace(microsecond=0) if hit.datetime else None
            changes.append((index, {"archived_url": hit.memento_url, "archived_at": stamp}))
    if changes:
        set_fields(manifest.path, changes)
    return len(changes)
