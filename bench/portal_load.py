#!/usr/bin/env python3
# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Load benchmark of the member's portal: the mailbox page and the widget.

Starts Odoo on 127.0.0.1 with ``--workers=2`` on a database that holds
Globenet's sample data (``tools/load-sample``), logs ``--clients`` members in
(one session each), then has them fetch, for ``--seconds``, in turn the
portal mailbox page (``/my/mailboxes/<id>``) and the webmail widget
(``/nolog/widget/usage``). Prints p50, p95 and p99 latency, requests per
second and errors, per endpoint and overall. Targets: p95 under 300 ms, no
error. A benchmark, not a test: it prints figures and asserts nothing.

Usage (Odoo 18.0 importable; PostgreSQL through PGHOST and PGUSER)::

    createdb -T <database with the sample> bench_portal
    python3 bench/portal_load.py --db bench_portal [--clients 20] [--seconds 30]
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

import requests

import odoo

HOST = "127.0.0.1"


def parse_args():
    default_addons = ",".join(
        [
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"),
            os.path.join(os.path.dirname(odoo.__file__), "addons"),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons"),
        ]
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="database with the sample")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", HOST))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--addons-path", default=default_addons)
    parser.add_argument("--login", default="membre")
    parser.add_argument("--password", default="membre")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_odoo(args, port):
    # odoo-bin rather than "python -m odoo": with workers, Odoo starts its
    # gevent process by running its own script again
    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    command = [
        sys.executable,
        odoo_bin if os.path.exists(odoo_bin) else shutil.which("odoo"),
        "-d",
        args.db,
        f"--db-filter=^{re.escape(args.db)}$",
        f"--addons-path={args.addons_path}",
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
        f"--http-interface={HOST}",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    print(f"Odoo on {HOST}:{port}, pid {server.pid}", flush=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://{HOST}:{port}/web/login", timeout=5).ok:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("Odoo did not answer on /web/login within 120 s")


def login(base, args):
    session = requests.Session()
    page = session.get(f"{base}/web/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(
        f"{base}/web/login",
        data={"login": args.login, "password": args.password, "csrf_token": token},
        timeout=30,
    )
    if "/web/login" in response.url:
        sys.exit(f"login as {args.login} failed")
    return session


def client(session, urls, stop_at, results):
    index = 0
    while time.monotonic() < stop_at:
        name, url = urls[index % len(urls)]
        index += 1
        start = time.perf_counter()
        try:
            response = session.get(url, timeout=30, allow_redirects=False)
            ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        results.append((name, time.perf_counter() - start, ok))


def percentile(values, pct):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def report(name, rows, seconds):
    latencies = [latency * 1000 for _name, latency, _ok in rows]
    errors = sum(1 for _name, _latency, ok in rows if not ok)
    print(
        f"{name:<14} {len(rows):>7} {len(rows) / seconds:>8.1f} "
        f"{percentile(latencies, 50):>8.1f} {percentile(latencies, 95):>8.1f} "
        f"{percentile(latencies, 99):>8.1f} {errors:>7}"
    )


def main():
    args = parse_args()
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_odoo(args, port)
    try:
        sessions = [login(base, args) for _client in range(args.clients)]
        listing = sessions[0].get(f"{base}/my/mailboxes", timeout=30).text
        mailbox_id = re.search(r"/my/mailboxes/(\d+)", listing).group(1)
        urls = [
            ("mailbox page", f"{base}/my/mailboxes/{mailbox_id}"),
            ("widget", f"{base}/nolog/widget/usage"),
        ]
        for session in sessions[:1]:  # warm the workers' caches
            for _name, url in urls * 3:
                session.get(url, timeout=30)
        results = []
        stop_at = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=client, args=(session, urls, stop_at, results))
            for session in sessions
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(
        f"{args.clients} clients, {elapsed:.1f} s, Odoo --workers={args.workers}, "
        f"database {args.db}"
    )
    print(
        f"{'endpoint':<14} {'requests':>7} {'req/s':>8} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for name, _url in urls:
        report(name, [row for row in results if row[0] == name], elapsed)
    report("all", results, elapsed)


if __name__ == "__main__":
    main()
