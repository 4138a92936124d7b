"""Remote store backends for the tests: real servers on free loopback ports.

The Oxigraph server (PyPI ``oxigraph``, the ``oxigraph`` command beside this Python) starts once per session
in a temporary folder, at the first test that asks for it, and stops when the session ends; every store and
CLI test then runs on it too (``register``). Virtuoso (Debian ``virtuoso-opensource``) starts the same way
where it is installed; only the store tests in tests/remote use it (``virtuoso_server``).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ORIGINAL_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, seconds: float, proc: subprocess.Popen[bytes] | None = None, **kw: Any) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before answering at {url}")
        try:
            if httpx.get(url, timeout=1.0, **kw).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.03)
    raise RuntimeError(f"no answer at {url} within {seconds} s")


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the test process dies, even by SIGKILL (Linux), so no server outlives it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Server:
    """A server process on a loopback port, with its data in a temporary folder."""

    name = "server"

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.dir: Path | None = None
        self.port = 0

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def kill(self) -> None:
        """Stop at once, as a crash would (SIGKILL)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class OxigraphServer(Server):
    name = "oxigraph-server"

    def __init__(self, binary: str, union: bool = True) -> None:
        super().__init__()
        self.binary = binary
        self.union = union  # False: a server set up wrongly for eventkg (its default graph not the union)

    def start(self) -> "OxigraphServer":
        """Start (or restart, on the same folder and port) the server and wait until it answers."""
        if self.running:
            return self
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="eventkg-oxigraph-"))
        if not self.port:
            self.port = free_port()
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.dir / "data"), "--bind", f"127.0.0.1:{self.port}",
             *(["--union-default-graph"] if self.union else [])],
            stdout=subprocess.DEVNULL, stderr=open(self.dir / "server.log", "ab"), preexec_fn=_die_with_parent)
        wait_http(f"{self.base}/query?query=ASK%7B%7D", 20, self.proc)
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def urls(self) -> dict[str, str]:
        return {"query": f"{self.base}/query", "update": f"{self.base}/update", "gsp": f"{self.base}/store"}

    def clear(self) -> None:
        httpx.post(self.urls["update"], data={"update": "DROP ALL"}, timeout=60).raise_for_status()


class VirtuosoServer(Server):
    """Virtuoso on loopback: anonymous queries at /sparql, updates at /sparql-auth (Digest, dba/dba)."""

    name = "virtuoso"
    user, password = "dba", "dba"

    def start(self) -> "VirtuosoServer":
        if self.running:
            return self
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="eventkg-virtuoso-"))
        if not self.port:
            self.port = free_port()
        sql_port = free_port()
        ini = self.dir / "virtuoso.ini"
        ini.write_text(virtuoso_ini(ORIGINAL_INI.read_text(encoding="utf-8"), self.dir, sql_port, self.port),
                       encoding="utf-8")
        self.proc = subprocess.Popen([shutil.which("virtuoso-t") or "virtuoso-t", "+foreground", "+configfile",
                                      str(ini)], cwd=self.dir, stdout=subprocess.DEVNULL,
                                     stderr=open(self.dir / "server.log", "ab"), preexec_fn=_die_with_parent)
        wait_http(f"{self.base}/sparql?query=ASK%7B%7D", 60, self.proc)
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def urls(self) -> dict[str, str]:
        return {"query": f"{self.base}/sparql", "update": f"{self.base}/sparql-auth"}

    def clear(self, graphs: list[str]) -> None:
        if graphs:
            body = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
            httpx.post(self.urls["update"], data={"update": body}, timeout=60,
                       auth=httpx.DigestAuth(self.user, self.password)).raise_for_status()


def virtuoso_ini(original: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Debian's virtuoso.ini with the database in ``folder`` and both ports on loopback."""
    changes = {
        "Database": {"DatabaseFile": "virtuoso.db", "ErrorLogFile": "virtuoso.log", "LockFile": "virtuoso.lck",
                     "TransactionFile": "virtuoso.trx", "xa_persistent_file": "virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": "virtuoso-temp.db", "TransactionFile": "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}",
                       "DirsAllowed": f"., {folder}, /usr/share/virtuoso-opensource-7/vad"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
        # Virtuoso caps result sets at 10,000 rows by default: a dump would be cut short.
        "SPARQL": {"ResultSetMaxRows": "10000000", "MaxQueryExecutionTime": "600",
                   "MaxQueryCostEstimationTime": "0"},
    }
    paths = {"DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"}
    out, section = [], None
    for line in original.splitlines():
        m = re.match(r"\s*\[([^\]]+)\]", line)
        if m:
            section = m.group(1).strip()
        m = re.match(r"\s*(\w+)\s*=", line)
        if m and section in changes and m.group(1) in changes[section]:
            value = changes[section][m.group(1)]
            if m.group(1) in paths:
                value = str(folder / value)
            line = f"{m.group(1)} = {value}"
        out.append(line)
    return "\n".join(out) + "\n"


_oxigraph: OxigraphServer | None = None
_virtuoso: VirtuosoServer | None = None


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def oxigraph_server(request: Any = None) -> OxigraphServer:
    """The session's Oxigraph server, started on first use."""
    global _oxigraph
    if _oxigraph is None:
        binary = oxigraph_binary()
        assert binary, "the oxigraph server is not installed (pip install oxigraph)"
        _oxigraph = OxigraphServer(binary)
        atexit.register(_oxigraph.cleanup)
        if request is not None:
            request.config.add_cleanup(_oxigraph.cleanup)
    return _oxigraph.start()


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and ORIGINAL_INI.exists()


def virtuoso_server(request: Any = None) -> VirtuosoServer:
    global _virtuoso
    if _virtuoso is None:
        _virtuoso = VirtuosoServer()
        atexit.register(_virtuoso.cleanup)
        if request is not None:
            request.config.add_cleanup(_virtuoso.cleanup)
    return _virtuoso.start()


def oxigraph_store(tmp: Path, request: Any) -> Any:
    from eventkg.store.remote import RemoteStore

    server = oxigraph_server(request)
    server.clear()
    u = server.urls
    return RemoteStore(u["query"], u["update"], u["gsp"])


def oxigraph_cli(tmp: Path, request: Any) -> list[str]:
    server = oxigraph_server(request)
    server.clear()
    u = server.urls
    return ["--store", u["query"], "--update-url", u["update"], "--gsp-url", u["gsp"]]


def virtuoso_store(tmp: Path, request: Any) -> Any:
    from eventkg.store.remote import RemoteStore

    server = virtuoso_server(request)
    store = RemoteStore(server.urls["query"], server.urls["update"], username=server.user,
                        password=server.password)
    server.clear(store.records())
    return store


def register(backends: dict[str, Any], cli_specs: dict[str, Any] | None = None) -> None:
    """Add the Oxigraph server to the backends every store, query, CLI and HTTP test runs on."""
    if os.environ.get("EVENTKG_TEST_BACKENDS", "all") == "embedded" or oxigraph_binary() is None:
        return
    backends["oxigraph-server"] = oxigraph_store
    if cli_specs is not None:
        cli_specs["oxigraph-server"] = oxigraph_cli


__all__ = ["register", "_die_with_parent", "oxigraph_server", "virtuoso_server", "virtuoso_available", "free_port", "OxigraphServer",
           "VirtuosoServer", "oxigraph_store", "virtuoso_store", "wait_http"]
