"""A read-only `eventkg serve` over an on-disk store: a supervisor and several server processes.

The supervisor (``supervise``, the process `eventkg serve` runs in) holds the store open, binds the listening
socket and starts ``--workers`` server processes (``python -m eventkg.server.processes``) that share the
socket, and one standby process. Each opens the store read-only and serves the whole app with its queries
run in its own event loop (``pool.InProcessRunner``): no round trip to a query worker. A query past the time
limit is answered 503 by the process's watchdog, which then ends the process (the only way to stop a query
Oxigraph is running); the supervisor starts a fresh one in its place.

The standby does not listen: every few milliseconds it looks at the socket's queue and at a board the
server processes share (``pool.BusyBoard``: since when each has been running a query), and takes the waiting
connections only while every server process is busy (a slow query, or one ended at the limit and not yet
replaced). So the site answers new connections while a query runs, yet in the common case one process
serves them all: two processes sharing the work each run out of it, sleep and are woken for every request,
which costs more CPU per request than the queries themselves (docs/benchmarks.md).

A server process gets its settings and options as a pickle on its standard input, and ends when that pipe
closes (the supervisor is gone).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from typing import Any

import uvicorn

from ..config import Settings
from .pool import EXIT_QUERY_TIMEOUT, BusyBoard, use_board

log = logging.getLogger("eventkg.server")

GRACE = 15.0        # seconds the server processes get to finish their requests when the server stops
FAILURES = 3        # server processes in a row that end on their own within STARTUP seconds: give up
STARTUP = 20.0


STANDBY_POLL = 0.02   # seconds between the standby's looks at the listening queue and the board
BUSY_FOR = 0.02       # how long every server process must have been busy before the standby takes connections


class _Child:
    def __init__(self, proc: subprocess.Popen[bytes], slot: int | None) -> None:
        self.proc = proc
        self.slot = slot          # its place on the busy board; None: the standby
        self.started = time.monotonic()


def supervise(settings: Settings, options: Any, host: str, port: int, processes: int, standby: bool = True) -> int:
    """Serve until SIGINT or SIGTERM with ``processes`` server processes (and a standby one); returns the exit
    status."""
    if not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("eventkg: %(message)s"))
        log.addHandler(handler)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET   # as uvicorn binds an IPv6 address
    sock = socket.create_server((host, port), family=family, backlog=2048)
    sock.set_inheritable(True)
    slots = max(1, processes)
    board_file = tempfile.TemporaryFile()
    board_file.truncate(BusyBoard.SLOT.size * slots)
    board = BusyBoard(board_file.fileno(), slots)
    fds = (sock.fileno(), board_file.fileno())

    def config_for(slot: int | None) -> bytes:
        config = pickle.dumps({"settings": settings, "options": replace(options, in_process=True),
                               "fd": sock.fileno(), "board": board_file.fileno(), "slots": slots, "slot": slot},
                              protocol=pickle.HIGHEST_PROTOCOL)
        return _LENGTH.pack(len(config)) + config

    children: dict[int, _Child] = {}
    stopping: list[int] = []
    failures = 0
    gave_up = False

    def spawn(slot: int | None) -> None:
        if slot is not None:
            board.set(slot, time.monotonic())   # busy until it is up (it clears its slot then)
        proc = subprocess.Popen([sys.executable, "-m", "eventkg.server.processes"], stdin=subprocess.PIPE,
                                pass_fds=fds, start_new_session=True)
        assert proc.stdin is not None
        proc.stdin.write(config_for(slot))
        proc.stdin.flush()   # left open: the process ends when it closes
        children[proc.pid] = _Child(proc, slot)

    def on_signal(signum: int, frame: Any) -> None:
        if not stopping:
            stopping.append(signum)
            for c in children.values():
                with contextlib.suppress(OSError):
                    c.proc.send_signal(signal.SIGTERM)

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for slot in range(slots):
            spawn(slot)
        if standby:
            spawn(None)
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
            spawn(child.slot)
        return 1 if gave_up else 0
    finally:
        for s, h in old.items():
            signal.signal(s, h)
        for c in children.values():
            with contextlib.suppress(OSError):
                c.proc.kill()
        sock.close()
        board_file.close()


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
    board = BusyBoard(config["board"], config["slots"])
    uconfig = uvicorn.Config(app, log_level="warning", access_log=False, http=http_protocol(), lifespan="on")
    if config["slot"] is None:
        _Standby(uconfig, sock, board).run(sockets=[])
    else:
        use_board(board, config["slot"])
        board.set(config["slot"], 0.0)   # up: free to take connections
        uvicorn.Server(uconfig).run(sockets=[sock])


class _Standby(uvicorn.Server):
    """A uvicorn server that does not listen: it takes the connections that wait in the shared queue
    while every server process is busy (the board says so)."""

    def __init__(self, config: Any, listener: socket.socket, board: BusyBoard) -> None:
        super().__init__(config)
        self.listener = listener
        self.board = board
        self.watcher: asyncio.Task[None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        # uvicorn's own protocol factory, as its startup makes it for a listening socket
        protocol: Any = self.config.http_protocol_class
        factory = functools.partial(protocol, config=self.config, server_state=self.server_state,
                                    app_state=self.lifespan.state)
        self.watcher = asyncio.get_running_loop().create_task(self.take_waiting(factory))

    async def take_waiting(self, factory: Any) -> None:
        loop = asyncio.get_running_loop()
        poll = select.poll()
        poll.register(self.listener.fileno(), select.POLLIN)
        while not self.should_exit:
            await asyncio.sleep(STANDBY_POLL)
            if not poll.poll(0) or not self.board.all_busy_for(BUSY_FOR):
                continue
            while True:
                try:
                    conn, _ = self.listener.accept()
                except OSError:   # BlockingIOError: another process took it
                    break
                conn.setblocking(False)
                with contextlib.suppress(OSError):
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                await loop.connect_accepted_socket(factory, conn)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.watcher
        await super().shutdown(sockets=sockets)


if __name__ == "__main__":
    main()
