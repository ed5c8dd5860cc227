#!/usr/bin/env python3
# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Benchmark of the no-log usage ingestion.

Builds N mailboxes (100,000 by default) on a server, then times:

1. the ingestion of a ``doveadm -f tab quota get -A`` report for all of them,
   end to end (parse, stage, apply, history, server refresh, commit);
2. the same report again (idempotent: nothing changes, nothing is written);
3. the same usage data through Odoo's own import, ``load()``, on a sample of
   rows (default 5,000), extrapolated linearly to N rows.

Before each ingestion it runs ``VACUUM ANALYZE`` on the mailbox and history
tables, as autovacuum does between two daily reports. It prints the figures,
the ratio, and the peak Python memory of one ingestion
(tracemalloc) and the peak RSS of the process. Benchmarks print figures; the
tests never assert timings.

Usage (Odoo 18.0 importable; PostgreSQL through PGHOST and PGUSER, default
127.0.0.1 and root)::

    python3 bench/nolog_ingestion.py [--rows 100000] [--load-rows 5000]
        [--db NAME] [--keep-db] [--addons-path PATHS]

Without ``--db`` it creates its own database ``bench_nolog_<pid>`` and drops
it at the end (unless ``--keep-db``).
"""

import argparse
import os
import random
import resource
import subprocess
import time
import tracemalloc

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service

KIB = 1024


def parse_args():
    default_addons = ",".join(
        [
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons"),
        ]
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="existing database with globenet_nolog")
    parser.add_argument("--keep-db", action="store_true", help="do not drop it")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--addons-path", default=default_addons)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--load-rows", type=int, default=5_000)
    return parser.parse_args()


def odoo_args(args):
    return [
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
    ]


def create_database(args, db):
    print(f"creating database {db} with globenet_nolog ...", flush=True)
    subprocess.run(
        [
            "odoo",
            "-d",
            db,
            "-i",
            "globenet_nolog",
            "--without-demo=all",
            "--stop-after-init",
            *odoo_args(args),
        ],
        check=True,
    )


def report(rows, seed):
    rng = random.Random(seed)
    lines = ["Username\tQuota name\tType\tValue\tLimit\t%"]
    for i in range(rows):
        kib = int(rng.lognormvariate(10.5, 1.6))
        address = f"user{i:06d}@bench.no-log.test"
        lines.append(f"{address}\tUser quota\tSTORAGE\t{kib}\t102400\t{kib // 1024}")
        lines.append(f"{address}\tUser quota\tMESSAGE\t{kib // 40}\t-\t0")
    return ("\n".join(lines) + "\n").encode()


def main():
    args = parse_args()
    own_db = not args.db
    database = args.db or f"bench_nolog_{os.getpid()}"
    if own_db:
        create_database(args, database)
    odoo.tools.config.parse_config(odoo_args(args))
    try:
        run(args, database)
    finally:
        if own_db and not args.keep_db:
            odoo.sql_db.close_db(database)
            db_service.exp_drop(database)
            print(f"dropped {database}")
        elif own_db:
            print(f"kept {database}")


def run(args, database):
    registry = Registry(database)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        server = env["nolog.server"].search([("hostname", "=", "bench.test")])
        if not server:
            policy = env["nolog.policy"].create({"name": "Bench 100 MB"})
            server = env["nolog.server"].create(
                {
                    "name": "Bench",
                    "hostname": "bench.test",
                    "disk_count": 8,
                    "disk_size_gb": 250,
                    "raid_level": "5",
                    "policy_id": policy.id,
                }
            )
        server_id = server.id
        existing = env["nolog.mailbox"].search_count([("server_id", "=", server_id)])

    if existing < args.rows:
        print(f"building {args.rows:,} mailboxes ...", flush=True)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["nolog.ingestion"]._ingest(
                env["nolog.server"].browse(server_id),
                report(args.rows, seed=1),
                create_unknown=True,
            )

    def vacuum():
        """What autovacuum does between two daily reports."""
        cr = odoo.sql_db.db_connect(database).cursor()
        try:
            cr._cnx.autocommit = True
            cr.execute("VACUUM ANALYZE nolog_mailbox, nolog_usage_history")
        finally:
            cr.close()

    def ingest(payload, trace=False):
        vacuum()
        if trace:
            tracemalloc.start()
        start = time.perf_counter()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ingestion = env["nolog.ingestion"]._ingest(
                env["nolog.server"].browse(server_id), payload
            )
            state, updated = ingestion.state, ingestion.updated_count
        elapsed = time.perf_counter() - start
        peak = None
        if trace:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return elapsed, state, updated, peak

    payload = report(args.rows, seed=2)
    print(f"report: {args.rows:,} mailboxes, {len(payload) / 1e6:.1f} MB", flush=True)
    first, state, updated, _peak = ingest(payload)
    print(f"ingestion (new figures):   {first:7.2f} s  {state}, {updated:,} updated")
    second, state, updated, _peak = ingest(payload)
    print(f"ingestion (same report):   {second:7.2f} s  {state}, {updated:,} updated")
    _elapsed, _state, _updated, peak = ingest(report(args.rows, seed=3), trace=True)
    print(f"peak Python memory of one ingestion (tracemalloc): {peak / 1e6:.1f} MB")

    # The same usage data through Odoo's own import, on a sample.
    sample = min(args.load_rows, args.rows)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        mailboxes = env["nolog.mailbox"].search_fetch(
            [("server_id", "=", server_id)], ["address"], limit=sample, order="id"
        )
        rng = random.Random(4)
        data = [
            [str(m.id), str(rng.randint(0, 10**9)), str(rng.randint(0, 10**5))]
            for m in mailboxes
        ]
        env.invalidate_all()
        start = time.perf_counter()
        result = env["nolog.mailbox"].load(
            [".id", "usage_bytes", "message_count"], data
        )
        cr.commit()
        load_time = time.perf_counter() - start
        errors = [m for m in result["messages"] if m.get("type") == "error"]
    per_row = load_time / sample
    extrapolated = per_row * args.rows
    print(
        f"load() on {sample:,} rows:     {load_time:7.2f} s "
        f"({per_row * 1000:.2f} ms/row, {len(errors)} errors)"
    )
    label = "measured" if sample == args.rows else "extrapolated"
    print(f"load() for {args.rows:,} rows:  {extrapolated:7.2f} s ({label})")
    print(f"ratio load() / ingestion:  {extrapolated / first:7.1f}x (target >= 20x)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * KIB
    print(f"peak RSS of this process:  {rss / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
