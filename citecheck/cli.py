"""The command line: options → Settings, run the pipeline, render, write, exit code.

Only this module writes files and picks exit codes. Heavy modules are imported inside the
commands so that `citecheck --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from citecheck import __version__
from citecheck.readers import suffixes  # these two are light: the registries, no formats
from citecheck.reporters import APPENDIX, REPORTERS, one_of

if TYPE_CHECKING:
    from citecheck.commands import Result
    from citecheck.findings import Report

T = TypeVar("T")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Check the citations of a report: footnotes, links and archived copies.",
    pretty_exceptions_enable=False,
)

EXIT_INPUT = 2  # the other exit codes are decided in citecheck.commands
_FLAG = ""  # no "<bool>" in the help: a flag takes no value


def fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    """One line on stderr, then exit: the CLI's only way to report bad input."""
    typer.echo(f"citecheck: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"citecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Show the version and exit.",
        metavar=_FLAG,
    ),
) -> None:
    """Check the citations of a report: footnotes, links and archived copies."""


@app.command()
def extract(
    report: Path = typer.Argument(..., help=f"The report ({', '.join(suffixes())})."),
    output: Path = typer.Option(
        Path("references.yaml"), "-o", "--output", help="The manifest to write or update."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Date citations are judged against."),
) -> None:
    """Build or update references.yaml from a report (keeps every human edit)."""
    message = _run(lambda c: c.run_extract(report, output, as_of))
    typer.echo(message, err=True)


_FORMATS = f"{one_of(REPORTERS)}."


@app.command()
def check(
    sources: list[Path] | None = typer.Argument(
        None,
        help="Reports or references.yaml manifests (globs too; - for standard input); "
        "default references.yaml.",
        show_default=False,
    ),
    format: str | None = typer.Option(None, "--format", "-f", help=_FORMATS),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the result here."),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="error, warning, note or never (default error)."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY[-MM[-DD]]."),
    offline: bool = typer.Option(
        False, "--offline", help="No network: document rules and cached results.", metavar=_FLAG
    ),
    no_archive: bool = typer.Option(
        False, "--no-archive", help="Skip web archives.", metavar=_FLAG
    ),
    no_identifiers: bool = typer.Option(
        False,
        "--no-identifiers",
        help="No DOI/Crossref lookups (offline checks still run).",
        metavar=_FLAG,
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Do not read or write the cache.", metavar=_FLAG
    ),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Cache directory."),
    timeout: float | None = typer.Option(None, "--timeout", help="Seconds per attempt (20)."),
    max_concurrency: int | None = typer.Option(
        None, "--max-concurrency", help="Requests in flight (64)."
    ),
    per_host: int | None = typer.Option(
        None, "--per-host", help="Requests in flight per host (4)."
    ),
    retries: int | None = typer.Option(
        None, "--retries", help="Retries of transient failures (2)."
    ),
    archive: list[str] | None = typer.Option(
        None, "--archive", help="NAME=TIMEGATE_URL (repeatable)."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Permit loopback/private targets.", metavar=_FLAG
    ),
    allow_network: list[str] | None = typer.Option(
        None, "--allow-network", help="Permit this CIDR (repeatable)."
    ),
    user_agent: str | None = typer.Option(None, "--user-agent", help="User-Agent header."),
    severity: list[str] | None = typer.Option(
        None, "--severity", help="RULE=error|warning|note (repeatable)."
    ),
    baseline: Path | None = typer.Option(
        None, "--baseline", help="A previous --format json result: only new findings fail."
    ),
    summary: Path | None = typer.Option(
        None, "--summary", help="Append a Markdown summary to this file."
    ),
    quiet: bool = typer.Option(
        False,
        "--quiet",
        "-q",
        help="Show only what fails the run (at or above --fail-on).",
        metavar=_FLAG,
    ),
    min_severity: str | None = typer.Option(
        None, "--min-severity", help="Show findings of this level and above (error, warning, note)."
    ),
    verbose: bool = typer.Option(
        False,
        "--verbose",
        "-v",
        help="List each finding of a rule that fires on many notes.",
        metavar=_FLAG,
    ),
    exclude: list[str] | None = typer.Option(
        None, "--exclude", help="REGEX: URLs not to check (repeatable; reported as skipped)."
    ),
    include: list[str] | None = typer.Option(
        None, "--include", help="REGEX: check URLs that match even when excluded (repeatable)."
    ),
    sarif_root: Path | None = typer.Option(
        None, "--sarif-root", help="SARIF paths are relative to this (default: the git top level)."
    ),
) -> None:
    """Check a report's citations and links; exit 1 on findings at or above --fail-on."""
    flags = _flags(
        format=format,
        output=output,
        fail_on=fail_on,
        as_of=as_of,
        offline=offline or None,
        no_archive=no_archive or None,
        no_identifiers=no_identifiers or None,
        no_cache=no_cache or None,
        cache_dir=cache_dir,
        timeout=timeout,
        max_concurrency=max_concurrency,
        per_host=per_host,
        retries=retries,
        archives=archive or None,
        allow_private=allow_private or None,
        allow_networks=allow_network or None,
        user_agent=user_agent,
        exclude=exclude or None,
        include=include or None,
        sarif_root=sarif_root,
    )
    to_terminal = output is None and sys.stdout.isatty()
    result = _run(
        lambda c: c.run_checks(
            sources or [Path("references.yaml")],
            flags,
            severities=severity or [],
            baseline=baseline,
            color=to_terminal,
            progress=sys.stderr.isatty(),
            view={"quiet": quiet, "verbose": verbose, "min_severity": min_severity},
            width=_width(to_terminal),
        )
    )
    _emit(result.body(), result.output)
    _summaries(result, summary)
    _notify(result.notices)
    _KEPT[:] = [result]  # not freed on the way out (see `_exit`)
    raise typer.Exit(result.code)


@app.command()
def appendix(
    source: Path = typer.Argument(
        Path("references.yaml"), help="A report or a references.yaml manifest."
    ),
    format: str = typer.Option("markdown", "--format", "-f", help=f"{one_of(APPENDIX)}."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the appendix here."),
    online: bool = typer.Option(
        False,
        "--online",
        help="Check links and archives now (default: cached results).",
        metavar=_FLAG,
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY[-MM[-DD]]."),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Cache directory."),
    archive: list[str] | None = typer.Option(
        None, "--archive", help="NAME=TIMEGATE_URL (repeatable)."
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Permit loopback/private targets.", metavar=_FLAG
    ),
) -> None:
    """Write the references appendix: every note, its links, verdicts and archived copies
    (from the last `check`, unless --online)."""
    flags = _flags(
        output=output,
        as_of=as_of,
        cache_dir=cache_dir,
        offline=not online,
        archives=archive or None,
        allow_private=allow_private or None,
    )
    result = _run(lambda c: c.run_appendix(source, format, flags))
    _emit((result.text,), result.output)
    _notify(result.notices)


@app.command(name="archive")
def archive_cmd(
    source: Path = typer.Argument(
        Path("references.yaml"), help="A report or a references.yaml manifest."
    ),
    endpoint: str | None = typer.Option(
        None,
        "--endpoint",
        help="A pywb /record/ collection URL (default: the Internet Archive's Save Page Now).",
    ),
    max_age: int = typer.Option(
        30, "--max-age", min=0, help="Capture pages with no copy this many days old or newer."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be captured.", metavar=_FLAG
    ),
    update: bool = typer.Option(
        False,
        "--update",
        help="Write archived_url/archived_at into references.yaml.",
        metavar=_FLAG,
    ),
    cache_dir: Path | None = typer.Option(None, "--cache-dir", help="Cache directory."),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Permit loopback/private targets.", metavar=_FLAG
    ),
    archive: list[str] | None = typer.Option(
        None, "--archive", help="NAME=TIMEGATE_URL to look for captures."
    ),
) -> None:
    """Ask an archive to capture live cited pages that have no recent copy."""
    flags = _flags(
        cache_dir=cache_dir, allow_private=allow_private or None, archives=archive or None
    )
    result = _run(
        lambda c: c.run_archive(
            source, flags, endpoint=endpoint, dry_run=dry_run, max_age=max_age, update=update
        )
    )
    _emit((result.text,), None)
    _notify(result.notices)
    raise typer.Exit(result.code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of `check --format json` output (citecheck/1)."""
    from importlib.resources import files

    sys.stdout.write((files("citecheck") / "schemas" / "citecheck-1.json").read_text("utf-8"))


def _width(to_terminal: bool) -> int:
    """The terminal's width (or $COLUMNS); 100 columns for a file or a pipe."""
    import os
    import shutil

    if to_terminal or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size((100, 24)).columns
    return 100


def _flags(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _run(command: Callable[[ModuleType], T]) -> T:
    """Run `command(citecheck.commands)`; bad input becomes one line on stderr and exit 2."""
    from citecheck.errors import InputError

    try:
        from citecheck import commands

        return command(commands)
    except InputError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted", 130)


def _summaries(result: Result, summary: Path | None) -> None:
    """The Markdown summary for `--summary FILE` and, with `--format github`, the job summary."""
    reports = [r.outcome.report for r in result.parts or (result,) if r.outcome is not None]
    try:
        for report in reports:
            if summary is not None:
                append_summary(report, summary)
            elif result.fmt == "github":
                write_step_summary(report)
    except OSError as exc:
        fail(f"{summary or 'GITHUB_STEP_SUMMARY'}: cannot write the summary: {exc.strerror}")


def write_step_summary(report: Report, env: Mapping[str, str] | None = None) -> Path | None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set (`--format github`);
    return the path written, or None."""
    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    return append_summary(report, Path(target)) if target else None


def append_summary(report: Report, path: Path) -> Path:
    """Append the Markdown summary to `path` (for `--summary FILE`); return `path`.

    Appending, not replacing: the job summary file collects every step's output.
    """
    from citecheck.reporters.markdown import render_summary  # sized for GitHub's 1 MiB

    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(render_summary(report) + "\n")
    return Path(path)


def _notify(notices: Iterable[str]) -> None:
    for notice in notices:
        typer.echo(f"citecheck: {notice}", err=True)


def _emit(pieces: Iterable[str], out_path: Path | None) -> None:
    """Write the output, piece by piece as it is rendered, to `out_path` (atomically) or to
    stdout (ending the text with a newline)."""
    if out_path is None:
        last = ""
        for piece in pieces:
            sys.stdout.write(piece)
            last = piece or last
        if last and not last.endswith("\n"):
            sys.stdout.write("\n")
        return
    from citecheck.fsutil import atomic_write_pieces

    try:
        atomic_write_pieces(out_path, pieces)
    except OSError as exc:
        fail(f"{out_path}: cannot write: {exc.strerror}")


def main() -> None:
    """The console script: usage errors too become one line on stderr and exit 2."""
    import gc
    import importlib

    # A run builds hundreds of thousands of long-lived objects (notes, link results, findings)
    # and few reference cycles: the default collector rescans them every 700 allocations,
    # about a sixth of a warm run's CPU at 10,000 links.
    gc.set_threshold(50_000, 50, 100)

    try:
        errors = importlib.import_module("typer._click.exceptions")
    except ImportError:  # typer before 0.22 uses click itself
        errors = importlib.import_module("click.exceptions")
    ClickException = errors.ClickException
    NoArgsIsHelpError = getattr(errors, "NoArgsIsHelpError", ())
    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="citecheck", standalone_mode=False)
    except NoArgsIsHelpError:  # click has printed the help already
        code = EXIT_INPUT
    except ClickException as exc:
        hint = f"; see `{exc.ctx.command_path} --help`" if getattr(exc, "ctx", None) else ""
        if "extra argument" in exc.format_message() and any(
            f"({word})" in exc.format_message().lower() for word in ("true", "false", "yes", "no")
        ):
            hint = "; flags such as --offline take no value (write --offline, not --offline true)"
        typer.echo(f"citecheck: error: {exc.format_message().rstrip('.')}{hint}", err=True)
        code = EXIT_INPUT
    except typer.Abort:
        typer.echo("citecheck: aborted", err=True)
        code = 130
    _exit(code if isinstance(code, int) else 0)


# The last command's result, held until the process ends: freed as the command returns, the
# report's objects would cost what `_exit` saves (10 ms at 10,000 links).
_KEPT: list[object] = []


def _exit(code: int) -> NoReturn:
    """End the process without tearing the interpreter down: a run leaves hundreds of
    thousands of objects (notes, link results, findings) whose freeing one by one is 0.05 to
    0.1 s of a warm run's wall time. By now the output is written, files and the cache are
    closed and every worker thread has ended (or is a daemon, left behind on Ctrl-C)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be said
        pass
    os._exit(code)
