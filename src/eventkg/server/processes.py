"""A read-only `eventkg serve` over an on-disk store: a supervisor and several server processes.

The supervisor (``supervise``, the process `eventkg serve` runs in) holds the store open, binds the listening
socket and starts ``--workers`` server processes (``python -m eventkg.server.processes``) that share the
socket. Each opens the store read-only and serves the whole app with its queries run in its own event loop
(``pool.InProcessRunner``): no round trip to a query worker. A query past the time limit is answered 503 by
the process's watchdog, which then ends the process (the only way to stop a query Oxigraph is running); the
supervisor starts a fresh one in its place, and meanwhile the others go on accepting connections.

A server process gets its settings and options as a pickle on its standard input, and ends when that pipe
closes (the supervisor is gone).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import replace
from typing import Any

from ..config import Settings
from .pool import EXIT_QUERY_TIMEOUT

log = logging.getLogger("eventkg.server")

GRACE = 15.0        # seconds the server processes get to finish their requests when the server stops
FAILURES = 3        # server processes in a row that end on their own within STARTUP seconds: give up
STARTUP = 20.0


class _Child:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.started = time.monotonic()


def supervise(settings: Settings, options: Any, host: str, port: int, processes: int) -> int:
    """Serve until SIGINT or SIGTERM with ``processes`` server processes; returns the exit status."""
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("eventkg: %(message)s"))
        log.addHandler(handler)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET   # as uvicorn binds an IPv6 address
    sock = socket.create_server((host, port), family=family, backlog=2048)
    sock.set_inheritable(True)
    config = pickle.dumps({"settings": settings, "options": replace(options, in_process=True),
                           "fd": sock.fileno()}, protocol=pickle.HIGHEST_PROTOCOL)
    config = _LENGTH.pack(len(config)) + config
    children: dict[int, _Child] = {}
    stopping: list[int] = []
    failures = 0
    gave_up = False

    def spawn() -> None:
        proc = subprocess.Popen([sys.executable, "-m", "eventkg.server.processes"], stdin=subprocess.PIPE,
                                pass_fds=(sock.fileno(),), start_new_session=True)
        assert proc.stdin is not None
        proc.stdin.write(config)
        proc.stdin.flush()   # left open: the process ends when it closes
        children[proc.pid] = _Child(proc)

    def on_signal(signum: int, frame: Any) -> None:
        if not stopping:
            stopping.append(signum)
            for c in children.values():
                with contextlib.suppress(OSError):
                    c.proc.send_signal(signal.SIGTERM)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for _ in range(max(1, processes)):
            spawn()
        stop_by: float | None = None
        while children:
            if stopping and stop_by is None:
                stop_by = time.monotonic() + GRACE
            if stop_by is not None and time.monotonic() > stop_by:
                for c in children.values():
                    with contextlib.suppress(OSError):
                        c.proc.kill()
            ended = [(pid, c) for pid, c in children.items() if c.proc.poll() is not None]
            if not ended:
                time.sleep(0.1)
                continue
            pid, child = ended[0]
            del children[pid]
            code = child.proc.returncode
            with contextlib.suppress(OSError):
                child.proc.stdin.close()  # type: ignore[union-attr]
            if stopping:
                continue
            if code == EXIT_QUERY_TIMEOUT:
                failures = 0
                log.warning("server process %d ended to stop a query past its time limit; starting another", pid)
            else:
                quick = time.monotonic() - child.started < STARTUP
                failures = failures + 1 if quick else 0
                log.error("server process %d ended (status %d)%s", pid, code,
                          "; giving up" if failures >= FAILURES else "; starting another")
                if failures >= FAILURES:
                    gave_up = True
                    on_signal(signal.SIGTERM, None)
                    continue
            spawn()
        return 1 if gave_up else 0
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        for c in children.values():
            with contextlib.suppress(OSError):
                c.proc.kill()
        sock.close()


_LENGTH = struct.Struct(">I")


def _follow_parent(stdin: Any) -> None:
    """Ends this process when the supervisor is gone (its end of our standard input closes)."""
    with contextlib.suppress(OSError):
        while stdin.read(65536):
            pass
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE)
    os._exit(1)


def main() -> None:
    import uvicorn

    from ..project import Project
    from ..store.oxigraph import EmbeddedStore
    from .app import create_app
    from .command import http_protocol

    logging.basicConfig(level=logging.WARNING, format="eventkg: %(message)s")
    stdin = sys.stdin.buffer
    (n,) = _LENGTH.unpack(stdin.read(_LENGTH.size))
    config = pickle.loads(stdin.read(n))
    threading.Thread(target=_follow_parent, args=(stdin,), daemon=True).start()
    settings: Settings = config["settings"]
    store = EmbeddedStore.read_only(settings.path(settings.store))
    app = create_app(Project(settings, store), config["options"])
    sock = socket.socket(fileno=config["fd"])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, http=http_protocol(),
                                           lifespan="on"))
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
