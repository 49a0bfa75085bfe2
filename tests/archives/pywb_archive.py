"""A real pywb archive for tests and benchmarks: WARCs written with warcio, collections built
with `wb-manager`, `wayback` run as a subprocess (pywb monkey-patches with gevent).

The `wayback` and `wb-manager` commands are taken from $CITECHECK_PYWB_BIN (a directory), else
next to the running Python, else from PATH.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import httpx

CONFIG = """\
framed_replay: false
redirect_to_exact: true
enable_memento: true
"""


@dataclass(frozen=True)
class Record:
    """One capture to write: URL, capture time, HTTP status line, body, extra headers."""

    url: str
    when: dt.datetime
    status: str = "200 OK"
    body: str | bytes = ""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/html; charset=utf-8"


def find_tool(name: str) -> str:
    directory = os.environ.get("CITECHECK_PYWB_BIN")
    candidates = [Path(directory) / name] if directory else []
    candidates.append(Path(sys.executable).parent / name)
    for path in candidates:
        if path.exists():
            return str(path)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found: pip install pywb, or set CITECHECK_PYWB_BIN")
    return found


def write_warc(path: Path, records: list[Record]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for rec in records:
            headers = StatusAndHeaders(
                rec.status, [("Content-Type", rec.content_type), *rec.headers], protocol="HTTP/1.1"
            )
            stamp = rec.when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            record = writer.create_warc_record(
                rec.url,
                "response",
                payload=BytesIO(
                    rec.body if isinstance(rec.body, bytes) else rec.body.encode("utf-8")
                ),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": stamp},
            )
            writer.write_record(record)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class PywbArchive:
    """Collections (name -> records) served by a `wayback` subprocess; `stop()` is bounded."""

    def __init__(self, root: Path, collections: dict[str, list[Record]], *, record: bool = False):
        self.root, self.collections, self.record = root, collections, record
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def build(self) -> None:
        manager = find_tool("wb-manager")
        (self.root / "config.yaml").write_text(CONFIG)
        for name, records in self.collections.items():
            warc = self.root / f"{name}.warc.gz"
            write_warc(warc, records)
            for args in (["init", name], ["add", name, str(warc)]):
                subprocess.run(
                    [manager, *args], cwd=self.root, check=True, timeout=60, capture_output=True
                )

    def start(self, wait: float = 30.0) -> PywbArchive:
        self.build()
        command = [find_tool("wayback"), "-b", "127.0.0.1", "-p", str(self.port)]
        if self.record:
            # No autoindexing (-a): it would index the added WARCs a second time.
            command += ["--live", "--record"]
        self.log = (self.root / "wayback.log").open("wb")
        self.process = subprocess.Popen(
            command, cwd=self.root, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + wait
        first = next(iter(self.collections))
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"wayback exited: {(self.root / 'wayback.log').read_text()}")
            try:
                if httpx.get(f"{self.base}/{first}/cdx?url=x", timeout=2).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("wayback did not start in time")

    def reindex(self, name: str) -> None:
        """Index the collection's WARCs again (after recording into it)."""
        subprocess.run(
            [find_tool("wb-manager"), "reindex", name],
            cwd=self.root,
            check=True,
            timeout=60,
            capture_output=True,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()
