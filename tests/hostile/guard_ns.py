"""Run inside `unshare -n` by tests/hostile/test_guard.py: traps on private, link-local and
shared addresses (added to the namespace's loopback), every spelling of them checked
directly and after a redirect; prints one JSON line. Exit 77: the namespace cannot be set up.
"""

from __future__ import annotations

import ipaddress
import json
import subprocess
import sys

TRAPS = ("10.0.0.1", "192.168.7.7", "169.254.169.254", "100.64.0.1")
REDIRECTOR = "127.0.0.51"


def spellings(address: str, port: int) -> list[str]:
    v4 = ipaddress.IPv4Address(address)
    n = int(v4)
    hi, lo = f"{n >> 16:x}", f"{n & 0xFFFF:x}"
    inverted = ~n & 0xFFFFFFFF
    teredo = f"2001:0:4136:e378:8000:63bf:{inverted >> 16:x}:{inverted & 0xFFFF:x}"
    hosts = [
        address,
        f"{address}.",
        str(n),
        f"[::ffff:{address}]",
        f"[::ffff:{hi}:{lo}]",
        f"[::ffff:0:{hi}:{lo}]",
        f"[::{address}]",
        f"[64:ff9b::{hi}:{lo}]",
        f"[64:ff9b:1::{hi}:{lo}]",
        f"[2002:{hi}:{lo}::1]",
        f"[{teredo}]",
    ]
    return [f"http://{h}:{port}/secret" for h in hosts]


def main() -> int:
    commands = [["ip", "link", "set", "lo", "up"]]
    commands += [["ip", "addr", "add", f"{a}/32", "dev", "lo"] for a in TRAPS]
    for cmd in commands:
        if subprocess.run(cmd, capture_output=True, check=False).returncode != 0:
            print(f"cannot run {' '.join(cmd)} in the namespace")
            return 77
    from dataclasses import replace

    from citecheck.checkers import check_links
    from citecheck.settings import Settings
    from tests.hostile.rawweb import Conn, RawWeb

    async def caught(conn: Conn) -> None:
        await conn.respond(200, b"<html><title>Trap</title></html>")

    async def bounce(conn: Conn) -> None:
        await conn.respond(302, b"", [("Location", conn.path.split("?", 1)[1])], reason="Found")

    web = RawWeb([*TRAPS, REDIRECTOR], {"/secret": caught, "/bounce/": bounce})
    try:
        control_url = web.url(TRAPS[0], "/secret")
        quick = Settings(timeout=1.0, retries=0, canaries=())
        check_links([control_url], replace(quick, allow_private=True))
        control_hits = sum(web.connections[a] for a in TRAPS)
        forms = [u for a in TRAPS for u in spellings(a, web.ports[a])]
        bounced = [web.url(REDIRECTOR, f"/bounce/302?{u}") for u in forms]
        run = check_links(forms + bounced, replace(quick, allow_networks=(f"{REDIRECTOR}/32",)))
        report = {
            "control_hits": control_hits,
            "trap_hits": sum(web.connections[a] for a in TRAPS) - control_hits,
            "forms": [
                {"url": u, "status": r.status.value, "detail": r.detail or ""}
                for u, r in run.results.items()
            ],
        }
    finally:
        web.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
