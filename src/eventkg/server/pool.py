"""Running SPARQL queries under a time limit that is really enforced.

Oxigraph cannot interrupt a query in its own process, so for an on-disk store the server keeps a small
pool of worker processes (``worker.py``), each with the store open read-only. A query goes to an idle
worker; if it runs past the limit the worker is killed (SIGKILL: the query stops at once), the client gets
503 and a fresh worker takes its place. A read-only store sees the data as it was when opened, so every
write made through the server bumps a generation and each worker reopens the store before its next query.

A read-only server over an on-disk store (`eventkg serve` without ``--allow-update``) needs no pool: it runs
several server processes (``processes.py``), each running its queries itself, in its event loop
(``InProcessRunner``), which saves the round trip to a worker. A watchdog thread in each process answers a
query that runs past the limit with 503 and ends the process, which stops the query at once; the supervisor
starts another in its place.

For an in-memory store (tests) or a remote one there is no process to kill: ``InlineRunner`` runs the
query in a thread and answers 503 at the limit, but an in-memory query goes on in its thread until it ends
(a remote store gets the limit as its HTTP timeout).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import pickle
import sys
import struct
import threading
import time
from pathlib import Path
from typing import Any, Callable

from starlette.concurrency import run_in_threadpool

from ..errors import EventKGError, QueryTimeout, StoreError
from ..store.base import Store
from .errors import ServiceBusy
from .worker import HEADER, decode_error, execute

log = logging.getLogger("eventkg.server")
START_TIMEOUT = 60.0


class _Protocol(asyncio.SubprocessProtocol):
    """Reads the worker's frames from its stdout and hands each to whoever waits for it."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.waiter: asyncio.Future[Any] | None = None
        self.frames: list[Any] = []
        self.gone = False

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if fd != 1:
            return
        buf = self.buf
        buf += data
        size = HEADER.size
        while len(buf) >= size:
            (n,) = HEADER.unpack_from(buf)
            if len(buf) < size + n:
                break
            frame = pickle.loads(bytes(buf[size:size + n]))
            del buf[:size + n]
            w = self.waiter
            if w is not None and not w.done():
                self.waiter = None
                w.set_result(frame)
            else:
                self.frames.append(frame)

    def _lost(self) -> None:
        self.gone = True
        w = self.waiter
        if w is not None and not w.done():
            self.waiter = None
            w.set_exception(asyncio.IncompleteReadError(bytes(self.buf), None))

    def pipe_connection_lost(self, fd: int, exc: Exception | None) -> None:
        if fd == 1:
            self._lost()

    def process_exited(self) -> None:
        self._lost()


class _Worker:
    def __init__(self, transport: asyncio.SubprocessTransport, proto: _Protocol, generation: int) -> None:
        self.transport = transport
        self.proto = proto
        self.generation = generation
        self.pid = transport.get_pid()

    def receive(self) -> "asyncio.Future[Any]":
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        if self.proto.frames:
            fut.set_result(self.proto.frames.pop(0))
        elif self.proto.gone:
            fut.set_exception(asyncio.IncompleteReadError(b"", None))
        else:
            self.proto.waiter = fut
        return fut

    async def send(self, obj: Any, timeout: float | None = None) -> Any:
        """Send a frame and wait for the answer; past ``timeout`` the worker is killed (TimeoutError)."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        fut = self.receive()
        stdin = self.transport.get_pipe_transport(0)
        if stdin is None or self.proto.gone:
            raise BrokenPipeError("the worker is gone")
        stdin.write(HEADER.pack(len(data)) + data)  # type: ignore[attr-defined]
        handle = None
        if timeout is not None:
            def expire() -> None:
                if not fut.done():
                    fut.set_exception(asyncio.TimeoutError())
                    self.kill()

            handle = asyncio.get_running_loop().call_later(timeout, expire)
        try:
            return await fut
        finally:
            if handle is not None:
                handle.cancel()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, OSError):
            self.transport.kill()

    @property
    def alive(self) -> bool:
        return not self.proto.gone and self.transport.get_returncode() is None

    async def wait(self) -> None:
        for _ in range(500):
            if self.transport.get_returncode() is not None:
                break
            await asyncio.sleep(0.01)
        self.transport.close()


class WorkerPool:
    """Worker processes over an on-disk store; ``run`` sends a job to one of them under a time limit."""

    def __init__(self, store_path: Path, context_path: Path | None, size: int = 2) -> None:
        self.store_path = store_path
        self.context_path = context_path
        self.size = max(1, size)
        self.generation = 0
        self.workers: set[_Worker] = set()
        self._idle: list[_Worker] | None = None   # most recently used last (its caches are warm)
        self._waiters: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.killed = 0   # workers stopped at the time limit (for tests and logs)

    # -- life ------------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._idle = []
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for w in workers:
            self._release(w)

    async def stop(self) -> None:
        self._closed = True
        for t in list(self._tasks):
            t.cancel()
        for w in list(self.workers):
            w.kill()
        for w in list(self.workers):
            with contextlib.suppress(Exception):
                await w.wait()
        self.workers.clear()

    async def _spawn(self) -> _Worker:
        generation = self.generation
        args = [sys.executable, "-m", "eventkg.server.worker", str(self.store_path)]
        if self.context_path is not None:
            args.append(str(self.context_path))
        loop = asyncio.get_running_loop()
        transport, proto = await loop.subprocess_exec(_Protocol, *args, stdin=asyncio.subprocess.PIPE,
                                                      stdout=asyncio.subprocess.PIPE, stderr=None)
        w = _Worker(transport, proto, generation)
        try:
            hello = await asyncio.wait_for(w.receive(), START_TIMEOUT)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
            w.kill()
            raise StoreError(f"a query worker did not start: {e!r}") from e
        if hello[0] != "ready":
            w.kill()
            raise decode_error(hello)
        self.workers.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        """Kill a worker and start another in its place, in the background."""
        w.kill()
        self.workers.discard(w)
        if self._closed:
            return

        async def replace() -> None:
            try:
                await w.wait()
                nw = await self._spawn()
            except Exception as e:  # noqa: BLE001
                log.error("cannot start a query worker: %s", e)
                await asyncio.sleep(1)
                self._later(replace())
                return
            self._release(nw)

        self._later(replace())

    def _later(self, coro: Any) -> None:
        t = asyncio.ensure_future(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    def invalidate(self) -> None:
        """The store was written: every worker reopens it before its next query."""
        self.generation += 1

    # -- work ------------------------------------------------------------------------------------------
    def _release(self, w: _Worker) -> None:
        """A worker is free: it goes straight to the longest waiting request (first come, first served: a
        request arriving meanwhile cannot take it first), else to the idle list."""
        assert self._idle is not None, "the pool is not started"
        waiters = self._waiters
        while waiters:
            fut = waiters.popleft()
            if not fut.done():
                fut.set_result(w)
                return
        self._idle.append(w)

    async def _acquire(self, timeout: float) -> _Worker:
        """An idle worker, waiting for one at most ``timeout`` seconds (then ServiceBusy)."""
        assert self._idle is not None, "the pool is not started"
        if self._idle and not self._waiters:
            return self._idle.pop()
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[_Worker] = loop.create_future()
        self._waiters.append(fut)

        def expire() -> None:
            if not fut.done():
                fut.set_exception(ServiceBusy(timeout))

        handle = loop.call_later(timeout, expire)
        try:
            return await fut
        except asyncio.CancelledError:
            # cancelled (client gone) after a worker was handed over: pass it on
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self._release(fut.result())
            raise
        finally:
            handle.cancel()

    async def run(self, job: dict[str, Any], timeout: float, scope: Any = None) -> tuple[dict[str, Any], Any]:
        """The answer of one job (see ``worker.execute``). Raises QueryTimeout after ``timeout`` seconds
        of running (the worker is killed), ServiceBusy if no worker frees up within ``timeout``, and the
        query's own EventKGError."""
        w = await self._acquire(timeout)
        if not w.alive:
            self._retire(w)
            return await self.run(job, timeout)
        done = False
        try:
            if w.generation != self.generation:
                generation = self.generation
                reply = await w.send({"op": "reopen"}, START_TIMEOUT)
                if reply[0] != "ok":
                    raise decode_error(reply)
                w.generation = generation
            reply = await w.send(job, timeout)
            done = True
        except asyncio.TimeoutError:
            self.killed += 1
            self._retire(w)
            raise QueryTimeout(timeout) from None
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError) as e:
            self._retire(w)
            raise StoreError(f"the query worker stopped unexpectedly ({e.__class__.__name__})") from e
        finally:
            if not done and w in self.workers:
                # cancelled (client gone) or failed mid-answer: the pipe is in an unknown state
                self._retire(w)
        self._release(w)
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise decode_error(reply)


class InlineRunner:
    """Queries run in a thread of the server (memory or remote stores). See the module doc."""

    def __init__(self, store: Store, context: dict[str, Any] | None) -> None:
        self.store = store
        self.context = context
        self.generation = 0

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    def invalidate(self) -> None:
        self.generation += 1

    async def run(self, job: dict[str, Any], timeout: float, scope: Any = None) -> tuple[dict[str, Any], Any]:
        def go() -> tuple[dict[str, Any], Any]:
            j = dict(job)
            return execute(_TimedStore(self.store, timeout), j, self.context)  # type: ignore[arg-type]

        try:
            return await asyncio.wait_for(run_in_threadpool(go), timeout)
        except asyncio.TimeoutError:
            raise QueryTimeout(timeout) from None


EXIT_QUERY_TIMEOUT = 75   # a server process ended itself to stop a query past its time limit


class BusyBoard:
    """Which server processes are running a query, shared between the processes of a read-only server
    (a file the supervisor makes, mapped by each): slot i holds the monotonic time (the clock is the
    system's, the same in every process) since which server process i has been busy, or 0 while it is free.
    The standby reads it to take connections only while every server process is busy."""

    SLOT = struct.Struct("d")

    def __init__(self, fd: int, slots: int) -> None:
        import mmap

        self.slots = slots
        self._map = mmap.mmap(fd, self.SLOT.size * slots)

    def set(self, slot: int, since: float) -> None:
        self.SLOT.pack_into(self._map, self.SLOT.size * slot, since)

    def all_busy_for(self, seconds: float) -> bool:
        now = time.monotonic()
        return all(0 < self.SLOT.unpack_from(self._map, self.SLOT.size * i)[0] <= now - seconds
                   for i in range(self.slots))


_board: tuple[BusyBoard, int] | None = None   # this process's board and slot, if it is a server process


def use_board(board: BusyBoard, slot: int) -> None:
    """Make this server process's in-process runner tell ``board`` (at ``slot``) when a query runs."""
    global _board
    _board = (board, slot)


class InProcessRunner:
    """Queries run in the server process, in its event loop: no round trip to a worker. While one runs, a
    watchdog thread (Oxigraph lets go of Python's lock while it evaluates) watches the clock; past the limit
    it writes the 503 answer (made by ``respond(scope, seconds)``, where the request's scope carries its
    connection's transport, see ``command.http_protocol``) to the client's socket and ends the process at once
    (``os._exit``): the query stops with it, and the supervisor (``processes.py``) starts a fresh process.
    Requests the process had taken but not answered are cut off with it (their connections close)."""

    def __init__(self, store: Store, context: dict[str, Any] | None, tick: float = 0.05) -> None:
        self.store = store
        self.context = context
        self.generation = 0
        self.respond: Callable[[Any, float], bytes | None] | None = None
        self._tick = tick
        self._lock = threading.Lock()
        self._armed: tuple[float, float, Any] | None = None   # (deadline, seconds, scope) of the running query
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    async def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="eventkg-query-watchdog", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()

    def invalidate(self) -> None:
        self.generation += 1

    async def run(self, job: dict[str, Any], timeout: float, scope: Any = None) -> tuple[dict[str, Any], Any]:
        now = time.monotonic()
        self._armed = (now + timeout, timeout, scope)
        board = _board
        if board is not None:
            board[0].set(board[1], now)
        try:
            return execute(self.store, job, self.context)
        finally:
            with self._lock:   # the watchdog holds it from the moment it acts: this answer is never sent
                self._armed = None
            if board is not None:
                board[0].set(board[1], 0.0)

    def _watch(self) -> None:
        while not self._stop.wait(self._tick):
            armed = self._armed
            if armed is not None and time.monotonic() >= armed[0]:
                with self._lock:
                    if self._armed is armed:
                        self._expire(armed[1], armed[2])

    def _expire(self, seconds: float, scope: Any) -> None:
        try:
            data = self.respond(scope, seconds) if self.respond is not None and scope is not None else None
            transport = scope.get("eventkg.transport") if data is not None else None
            if transport is not None and data is not None:
                _send_now(transport, data)
            log.warning("a query ran past its time limit of %g s: this server process stops it by ending "
                        "(pid %d)", seconds, os.getpid())
        except BaseException as e:  # noqa: BLE001 - the process ends whatever happens
            log.error("could not answer a query past its time limit: %r", e)
        finally:
            os._exit(EXIT_QUERY_TIMEOUT)


def _send_now(transport: Any, data: bytes) -> None:
    """Write ``data`` straight to the connection's socket from the watchdog thread (the event loop is stuck in
    the query), unless earlier answers still wait in the transport's buffer (they would be overtaken)."""
    import select

    pending = getattr(transport, "pending", None)
    if (pending is not None and pending()) or transport.get_write_buffer_size():
        return
    sock = transport.get_extra_info("socket")
    fd = sock.fileno()
    view = memoryview(data)
    deadline = time.monotonic() + 2.0
    while view and time.monotonic() < deadline:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [], 0.1)
            continue
        view = view[n:]


class _TimedStore:
    """Passes the time limit to the store's ``query`` (a remote store uses it as its HTTP timeout)."""

    def __init__(self, store: Store, timeout: float) -> None:
        self._store, self._timeout = store, timeout

    def query(self, sparql: str, **kw: Any) -> Any:
        return self._store.query(sparql, timeout=self._timeout, **kw)


def make_runner(store: Store, context_path: Path | None, context: dict[str, Any] | None,
                workers: int, in_process: bool = False) -> WorkerPool | InlineRunner | InProcessRunner:
    """The in-process runner for a server process of a read-only server (``in_process``), a worker pool for an
    on-disk embedded store, else the inline runner."""
    if in_process:
        return InProcessRunner(store, context)
    path = getattr(store, "path", None)
    if store.info.kind == "oxigraph-disk" and path is not None and workers > 0:
        return WorkerPool(Path(path), context_path, workers)
    return InlineRunner(store, context)


__all__ = ["WorkerPool", "InlineRunner", "InProcessRunner", "BusyBoard", "use_board", "make_runner", "EventKGError", "EXIT_QUERY_TIMEOUT"]
