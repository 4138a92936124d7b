"""`eventkg serve` as users start it, read-only over an on-disk store: a supervisor and server processes that
run their queries themselves, and a standby process. A query past the time limit is answered 503 and stopped
by ending the process that ran it; another takes its place and the others go on serving. The module's server
runs two server processes (three with the standby), so that a URL is checked on more than one; the default
(one and the standby) is started apart."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from httpsite import ROOT, SLOW, TOKEN, WORKSHOP, free_port

ASK = f"ASK {{ <{WORKSHOP}> a <https://schema.org/Event> }}"
SELECT = f"SELECT ?name WHERE {{ <{WORKSHOP}> <https://schema.org/name> ?name }}"
PROBLEM = "application/problem+json"
JSON = {"Accept": "application/sparql-results+json"}
PROCS = 3   # the module's server: --workers 2, and the standby


def eventkg(*args: str) -> list[str]:
    """The installed `eventkg` command (beside this Python), on the project's settings."""
    return [str(Path(sys.executable).parent / "eventkg"), "--project", str(ROOT), *args]


def children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


class Served:
    def __init__(self, proc: subprocess.Popen[str], url: str, store: Path) -> None:
        self.proc, self.url, self.store = proc, url, store

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def wait_children(self, n: int, seconds: float = 30) -> set[int]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            kids = {p for p in children(self.proc.pid) if alive(p)}
            if len(kids) == n:
                return kids
            time.sleep(0.05)
        raise AssertionError(f"expected {n} server processes, found {children(self.proc.pid)}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("served") / "store"
    env = dict(os.environ)
    subprocess.run(eventkg("--store", str(store), "load"), check=True, env=env, capture_output=True, timeout=300)
    port = free_port()
    proc = subprocess.Popen(eventkg("--store", str(store), "serve", "--port", str(port), "--timeout", "2",
                                    "--workers", "2"), env=env, stderr=subprocess.PIPE, text=True)
    wait_serving(proc, url := f"http://127.0.0.1:{port}")
    try:
        yield Served(proc, url, store)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)


def wait_serving(proc: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers=JSON).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"eventkg serve did not start: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.1)


def test_serves_from_server_processes_that_hold_nothing_for_writing(served: Served) -> None:
    kids = served.wait_children(PROCS)
    with served.client() as c:
        r = c.get("/sparql", params={"query": SELECT}, headers=JSON)
        assert r.status_code == 200
        assert [b["name"]["value"] for b in r.json()["results"]["bindings"]]
        assert r.headers["access-control-allow-origin"] == "*"
        r = c.get("/", headers={"Accept": "text/html"})
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        # read-only: updates and the records API are refused
        r = c.post("/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update",
                                                              "Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 403
    assert served.wait_children(PROCS) == kids


def test_the_store_is_held_while_serving(served: Served) -> None:
    """The supervisor holds the store: `eventkg load` beside it is refused and changes nothing."""
    r = subprocess.run(eventkg("--store", str(served.store), "load"), env=dict(os.environ), capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert "another process has it open" in r.stdout + r.stderr
    with served.client() as c:
        assert c.get("/sparql", params={"query": ASK}, headers=JSON).json()["boolean"] is True


def test_a_query_past_the_limit_is_answered_503_and_stopped_with_its_process(served: Served) -> None:
    before = served.wait_children(PROCS)
    answers: dict[str, object] = {}

    def slow() -> None:
        t0 = time.monotonic()
        with served.client() as c:
            r = c.get("/sparql", params={"query": SLOW}, headers=JSON)
        answers["elapsed"] = time.monotonic() - t0
        answers["response"] = r

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.5)
    # meanwhile the other process answers (a new connection goes to a process that is free)
    with served.client() as c:
        t0 = time.monotonic()
        r = c.get("/sparql", params={"query": ASK}, headers=JSON)
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert time.monotonic() - t0 < 1.0
    t.join(30)
    r = answers["response"]
    assert isinstance(r, httpx.Response)
    assert r.status_code == 503
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.json()["title"] == "Query timed out"
    assert "2 s" in r.json()["detail"]
    assert 1.9 < answers["elapsed"] < 5  # type: ignore[operator]
    # the process that ran it is gone (the query with it); a fresh one took its place
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and all(alive(p) for p in before):
        time.sleep(0.05)
    assert not all(alive(p) for p in before)
    after = served.wait_children(PROCS)
    assert len(after - before) == 1
    with served.client() as c:
        for _ in range(6):
            assert c.get("/sparql", params={"query": ASK}, headers=JSON).json()["boolean"] is True


def test_a_browser_gets_the_time_limit_as_a_page(served: Served) -> None:
    with served.client() as c:
        r = c.get("/sparql", params={"query": SLOW}, headers={"Accept": "text/html"})
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/html")
    assert "time limit of 2 s" in r.text
    served.wait_children(PROCS)


def test_a_query_past_the_limit_by_post_and_by_head(served: Served) -> None:
    served.wait_children(PROCS)
    with served.client() as c:
        r = c.post("/sparql", content=SLOW, headers={"Content-Type": "application/sparql-query", **JSON})
        assert r.status_code == 503 and r.json()["title"] == "Query timed out"
    served.wait_children(PROCS)
    with served.client() as c:
        r = c.head("/sparql", params={"query": SLOW}, headers=JSON)
        assert r.status_code == 503 and r.content == b""
        assert r.headers["content-type"] == PROBLEM
    served.wait_children(PROCS)


def test_the_supervisor_gives_up_when_server_processes_cannot_start(tmp_path: Path) -> None:
    """Server processes that end as soon as they start (here: no store to open) are not restarted forever:
    after a few in a row the supervisor stops with an error status."""
    from eventkg.config import load_settings
    from eventkg.server.app import Options
    from eventkg.server.processes import supervise

    settings = load_settings(ROOT, env={}, store=str(tmp_path / "no-store-here"))
    t0 = time.monotonic()
    assert supervise(settings, Options(timeout=2), "127.0.0.1", free_port(), 1) == 1
    assert time.monotonic() - t0 < 60


def test_every_process_gives_the_same_document(served: Served) -> None:
    """A URL gives the same bytes, ETag and Last-Modified whichever server process answers (new connections
    land on either), so one strong ETag names one representation and revalidation works."""
    served.wait_children(PROCS)
    paths = ["/doc/ontology.html", "/doc/shapes.html", "/doc/ontology.ttl", "/doc/shapes.ttl", "/doc/dataset.ttl",
             "/doc/id/event/aichr-tip-workshop-2018.html", "/doc/id/event/aichr-tip-workshop-2018.jsonld",
             "/", "/.well-known/void", "/sitemap.xml", "/dumps/eventkg.ttl", "/dumps/eventkg.jsonld"]
    for path in paths:
        seen = set()
        for _ in range(10):
            with served.client() as c:   # a new connection each time
                r = c.get(path, headers={"Accept": "text/html" if path == "/" else "*/*"})
            assert r.status_code == 200, (path, r.status_code)
            seen.add((r.headers.get("etag"), r.headers.get("last-modified"), hashlib.sha1(r.content).hexdigest()))
        assert len(seen) == 1, (path, seen)
        etag, last_modified, _ = seen.pop()
        with served.client() as c:
            if etag:
                assert c.get(path, headers={"If-None-Match": etag}).status_code == 304, path
            if last_modified and path.startswith("/dumps/"):
                assert c.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304, path


def connections_of(pid: int, port: int) -> int:
    """The established TCP connections to ``port`` that process ``pid`` holds (its sockets matched with the
    kernel's connection tables)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            link = os.readlink(fd)
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                if int(f[1].rsplit(":", 1)[1], 16) == port and f[3] == "01" and f[9] in inodes:
                    n += 1
    return n


def test_by_default_one_process_serves_and_the_standby_takes_connections_only_while_it_is_busy(
        tmp_path: Path) -> None:
    """`eventkg serve` as `make serve` runs it: one server process takes the connections (the standby none),
    and while it runs a slow query, a new connection is answered by the standby."""
    store = tmp_path / "store"
    subprocess.run(eventkg("--store", str(store), "load"), check=True, capture_output=True, timeout=300)
    port = free_port()
    proc = subprocess.Popen(eventkg("--store", str(store), "serve", "--port", str(port), "--timeout", "3"),
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_serving(proc, url := f"http://127.0.0.1:{port}")
        served = Served(proc, url, store)
        kids = sorted(served.wait_children(2))
        # four keep-alive connections, opened one after another, all on one process and none on the standby.
        # On a loaded machine the server process can be descheduled mid-query past the standby's threshold,
        # and then the standby rightly takes one: up to three tries, one of which must show [0, 4] (a standby
        # that listened would share the connections every time).
        for _ in range(3):
            clients = [served.client() for _ in range(4)]
            for c in clients:
                assert c.get("/sparql", params={"query": ASK}, headers=JSON).status_code == 200
            held = sorted(connections_of(p, port) for p in kids)
            if held == [0, 4]:
                break
            for c in clients:
                c.close()
            time.sleep(1)
        assert held == [0, 4], held
        answers: dict[str, object] = {}

        def slow() -> None:
            answers["response"] = clients[0].get("/sparql", params={"query": SLOW}, headers=JSON)

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.5)
        with served.client() as c:   # a new connection while the server process is busy
            t0 = time.monotonic()
            r = c.get("/sparql", params={"query": SELECT}, headers=JSON)
            assert r.status_code == 200 and r.json()["results"]["bindings"]
            assert time.monotonic() - t0 < 1.0
        t.join(30)
        assert isinstance(answers["response"], httpx.Response) and answers["response"].status_code == 503
        for c in clients:
            c.close()
        served.wait_children(2)   # the busy one ended at the limit and was replaced
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_stopping_the_server_stops_every_process(served: Served) -> None:   # last: it stops the server
    kids = served.wait_children(PROCS)
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(30) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in kids):
        time.sleep(0.05)
    assert not any(alive(p) for p in kids)
