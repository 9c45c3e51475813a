"""``marsad serve``: the API and dashboard under uvicorn, on 127.0.0.1 by default.

The log names the store by kind and database only (never its URL: a PostgreSQL URL may carry a password), and
the app accepts only requests whose ``Host`` header names this server — the address it is bound to, its loopback
names when bound to loopback or to every address, this machine's names when bound to every address, and the
names given with ``--allow-host`` — so a web page elsewhere cannot reach it through DNS rebinding.
"""

from __future__ import annotations

import socket
import sys
from typing import Iterable, Optional

from ..errors import Errors, Notes
from .app import create_app
from .db import store_label

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def _machine_names() -> set[str]:
    names = set()
    for name in {socket.gethostname(), socket.getfqdn()}:
        if not name:
            continue
        names.add(name.lower())
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(name, None))
        except OSError:
            pass
    return names


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> list[str]:
    """The ``Host`` names a server bound to ``host`` answers."""
    allowed = {host.lower()} if host not in ANY_ADDRESS else set()
    if _is_loopback(host) or host in ANY_ADDRESS:
        allowed.update(LOOPBACK_NAMES)
    if host in ANY_ADDRESS:
        allowed.update(_machine_names())
    allowed.update(h.strip().lower() for h in extra if h.strip())
    return sorted(allowed)


def announce(store_url: str, host: str, port: int, allowed: Optional[list[str]] = None) -> list[str]:
    """The lines ``marsad serve`` prints: where it serves which store (by kind and name, no URL)."""
    if host in ANY_ADDRESS:
        shown = next((h for h in (allowed or []) if not _is_loopback(h) and ":" not in h), socket.gethostname())
        lines = [Notes.N401.format(store=store_label(store_url), url=f"http://{shown}:{port}/ and "
                                                                   f"http://127.0.0.1:{port}/")]
        lines.append(Notes.N402.format(allowed=", ".join(allowed or [])))
        return lines
    shown = f"[{host}]" if ":" in host else host
    return [Notes.N401.format(store=store_label(store_url), url=f"http://{shown}:{port}/")]


def build(store_url: str, host: str = "127.0.0.1", allow_hosts: Iterable[str] = ()):
    """The app ``marsad serve`` runs, and the host names it accepts."""
    allowed = allowed_hosts(host, allow_hosts)
    return create_app(store_url, allowed_hosts=allowed), allowed


def run(store_url: str, host: str = "127.0.0.1", port: int = 8765, log_level: str = "info",
        allow_hosts: Iterable[str] = ()) -> None:
    import uvicorn

    try:
        app, allowed = build(store_url, host, allow_hosts)
    except Exception as exc:  # the store cannot be opened: say which, by kind and name only
        label = store_label(store_url)
        print(f"marsad: {Errors.E202.format(store=label, reason=str(exc).replace(store_url, label))}",
              file=sys.stderr)
        raise SystemExit(2) from None
    for line in announce(store_url, host, port, allowed):
        print(f"marsad: {line}", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
