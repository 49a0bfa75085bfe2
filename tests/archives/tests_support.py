"""Helpers shared by archive tests."""

from __future__ import annotations

from pywb_archive import free_port

from citecheck.archives import Archive


def dead_port_archive() -> Archive:
    """An archive whose server is not running (connection refused on a free loopback port)."""
    base = f"http://127.0.0.1:{free_port()}"
    return Archive("dead", f"{base}/web/", timemap=f"{base}/web/timemap/link/", per_minute=None)
