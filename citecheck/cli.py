"""The command line: options → Settings, run the pipeline, render, write, exit code.

Only this module writes files and picks exit codes. Heavy modules are imported inside the
commands so that `citecheck --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from citecheck import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Check the citations of a report: footnotes, links and archived copies.",
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_NO_NETWORK = 0, 1, 2, 3


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """One line on stderr, then exit: the CLI's only way to report bad input."""
    typer.echo(f"citecheck: error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"citecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Check the citations of a report: footnotes, links and archived copies."""


@app.command()
def extract(
    report: Path = typer.Argument(..., help="The report (txt, md, html...)."),
    output: Path = typer.Option(Path("references.yaml"), "-o", "--output",
                                help="The manifest to write or update."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Date citations are judged against."),
) -> None:
    """Build or update references.yaml from a report (keeps every human edit)."""
    from citecheck.errors import InputError

    try:
        from citecheck.commands import run_extract

        message = run_extract(report, output, as_of)
    except InputError as exc:
        fail(str(exc))
    typer.echo(message, err=True)


@app.command()
def check(
    source: Path = typer.Argument(Path("references.yaml"),
                                  help="A report or a references.yaml manifest."),
    format: Optional[str] = typer.Option(None, "--format", "-f",
                                         help="table, json, sarif, junit, github or markdown."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result here."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on",
                                          help="error, warning, note or never (default error)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY[-MM[-DD]]."),
    offline: Optional[bool] = typer.Option(None, "--offline", help="No network at all."),
    no_archive: Optional[bool] = typer.Option(None, "--no-archive", help="Skip web archives."),
    no_cache: Optional[bool] = typer.Option(None, "--no-cache", help="Do not read or write the cache."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="Cache directory."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds per attempt (20)."),
    max_concurrency: Optional[int] = typer.Option(None, "--max-concurrency", help="Requests in flight (64)."),
    per_host: Optional[int] = typer.Option(None, "--per-host", help="Requests in flight per host (4)."),
    retries: Optional[int] = typer.Option(None, "--retries", help="Retries of transient failures (2)."),
    archive: Optional[list[str]] = typer.Option(None, "--archive", help="NAME=TIMEGATE_URL (repeatable)."),
    allow_private: Optional[bool] = typer.Option(None, "--allow-private",
                                                 help="Permit loopback/private targets."),
    allow_network: Optional[list[str]] = typer.Option(None, "--allow-network",
                                                      help="Permit this CIDR (repeatable)."),
    user_agent: Optional[str] = typer.Option(None, "--user-agent", help="User-Agent header."),
) -> None:
    """Check a report's citations and links; exit 1 on findings at or above --fail-on."""
    from citecheck.errors import InputError
    from citecheck.settings import SettingsError

    flags = {k: v for k, v in dict(
        format=format, output=output, fail_on=fail_on, as_of=as_of, offline=offline,
        no_archive=no_archive, no_cache=no_cache, cache_dir=cache_dir, timeout=timeout,
        max_concurrency=max_concurrency, per_host=per_host, retries=retries,
        archives=archive or None, allow_private=allow_private,
        allow_networks=allow_network or None, user_agent=user_agent,
    ).items() if v is not None}
    try:
        from citecheck.commands import run_check

        text, code, out_path = run_check(source, flags)
    except (InputError, SettingsError) as exc:
        fail(str(exc))
    _emit(text, out_path)
    raise typer.Exit(code)


def _emit(text: str, out_path: Path | None) -> None:
    if out_path is None:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        return
    from citecheck.fsutil import atomic_write_text

    try:
        atomic_write_text(out_path, text)
    except OSError as exc:
        fail(f"{out_path}: cannot write: {exc.strerror}")


def main() -> None:
    app()
