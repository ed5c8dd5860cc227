"""Fixtures of the end-to-end tests: a real Odoo server, driven over HTTP/XML-RPC.

tests/run.sh sets the environment: GLOBENET_TEST_DB (the database, already
created with the addons installed), GLOBENET_TEST_ODOO_CONFIG (its Odoo
configuration file), GLOBENET_TEST_ADDONS_PATH, GLOBENET_TEST_LOG_DIR and the
PG* variables of libpq. Without GLOBENET_TEST_DB the end-to-end tests fail:
they are not skipped.
"""

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from pathlib import Path
from types import SimpleNamespace

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin"  # the password of a database created without demo data
START_TIMEOUT = float(os.environ.get("GLOBENET_TEST_SERVER_TIMEOUT", "120"))
RPC_TIMEOUT = 300
LOG_TAIL_LINES = 60


def pytest_configure(config):
    if not config.getoption("--odoo-database", default=None):
        raise pytest.UsageError(
            "these tests run against an Odoo database through pytest-odoo: run "
            "them with `bash tests/run.sh` (or pass --odoo-database, --odoo-config "
            "and the GLOBENET_TEST_* variables that run.sh sets)"
        )


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _addons_path():
    if os.environ.get("GLOBENET_TEST_ADDONS_PATH"):
        return os.environ["GLOBENET_TEST_ADDONS_PATH"]
    import odoo

    package = Path(odoo.__file__).resolve().parent
    paths = [
        path
        for path in (package.parent / "addons", package / "addons")
        if path.is_dir() and any(path.glob("*/__manifest__.py"))
    ]
    paths.append(REPO_DIR / "addons")
    return ",".join(str(path) for path in paths)


def _tail(*paths):
    chunks = []
    for path in paths:
        if path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            chunks.append(f"--- last lines of {path} ---")
            chunks.extend(lines[-LOG_TAIL_LINES:])
    return "\n".join(chunks)


def _json_rpc(url, timeout):
    payload = json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}})
    request = urllib.request.Request(
        url, data=payload.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)["result"]


def _stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    """Start `python -m odoo server` on a free port of 127.0.0.1; stop it at the end.

    The server runs in threaded mode with HTTP on and no cron thread: tests run
    scheduled actions themselves. Its log goes to <log dir>/e2e-server.log, which
    tests/run.sh checks for WARNING/ERROR lines.
    """
    db = os.environ.get("GLOBENET_TEST_DB")
    if not db:
        pytest.fail(
            "GLOBENET_TEST_DB is not set: the end-to-end tests need a database with "
            "the addons installed. Run them with: bash tests/run.sh",
            pytrace=False,
        )
    log_dir = Path(
        os.environ.get("GLOBENET_TEST_LOG_DIR") or tmp_path_factory.mktemp("logs")
    )
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "e2e-server.log"
    output_file = log_dir / "e2e-server.stdout"
    port = _free_port()

    command = [sys.executable, "-m", "odoo", "server"]
    if os.environ.get("GLOBENET_TEST_ODOO_CONFIG"):
        command.append(f"--config={os.environ['GLOBENET_TEST_ODOO_CONFIG']}")
    command += [
        f"--database={db}",
        f"--db-filter=^{db}$",
        f"--addons-path={_addons_path()}",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--workers=0",
        "--max-cron-threads=0",
        "--no-database-list",
        f"--logfile={log_file}",
        "--log-level=info",
    ]
    for variable, option in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(variable):
            command.append(f"{option}={os.environ[variable]}")

    env = dict(os.environ, TZ="UTC")
    with open(output_file, "wb") as output:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    atexit.register(_stop, process)  # in case the session is interrupted

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(
                f"the Odoo server exited with code {process.returncode} before "
                f"answering on {url}\n{_tail(output_file, log_file)}",
                pytrace=False,
            )
        try:
            version = _json_rpc(f"{url}/web/webclient/version_info", timeout=5)
            break
        except (OSError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            _stop(process)
            pytest.fail(
                f"the Odoo server did not answer on {url} within {START_TIMEOUT:.0f} s"
                f"\n{_tail(output_file, log_file)}",
                pytrace=False,
            )
        time.sleep(0.5)

    yield SimpleNamespace(
        url=url, db=db, port=port, version=version, log_file=log_file, process=process
    )
    _stop(process)


class _TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = RPC_TIMEOUT
        return connection


class OdooRpc:
    """Call models over XML-RPC as one user: rpc(model, method, *args, **kwargs)."""

    def __init__(self, url, db, login, password):
        self.db = db
        self.password = password
        common = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/common", transport=_TimeoutTransport(), allow_none=True
        )
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            pytest.fail(f"cannot log in as {login!r} on {db}", pytrace=False)
        self.models = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", transport=_TimeoutTransport(), allow_none=True
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def ref(self, module, name):
        """Model and id of the record with XML id module.name."""
        data = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["model", "res_id"],
        )
        assert len(data) == 1, f"no record with XML id {module}.{name}"
        return data[0]["model"], data[0]["res_id"]


@pytest.fixture(scope="session")
def odoo_rpc(odoo_server):
    """XML-RPC access to the e2e server as the administrator (admin / admin)."""
    return OdooRpc(odoo_server.url, odoo_server.db, ADMIN_LOGIN, ADMIN_PASSWORD)
