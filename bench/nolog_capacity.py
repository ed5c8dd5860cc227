#!/usr/bin/env python3
# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Benchmark of the no-log capacity dashboard.

Builds S mail servers (10 by default) with M mailboxes each (1,000) and D days
(400) of daily usage history (S x M x D rows, 4 million by default; the
history is written by one set-based INSERT), then times:

1. the first roll-up of the whole history into one row per server and day;
2. the roll-up of one day of one server, as each usage report does;
3. the capacity dashboard: the servers' list with fill, growth, days left,
   full date, accounts and signups, as the web client reads it, in a fresh
   environment (three runs, the best and the worst printed).

It prints the figures and the peak Python memory of the dashboard
(tracemalloc). Benchmarks print figures; the tests never assert timings.

Usage (Odoo 18.0 importable; PostgreSQL through PGHOST and PGUSER, default
127.0.0.1 and root)::

    python3 bench/nolog_capacity.py [--servers 10] [--mailboxes 3000]
        [--days 400] [--db NAME] [--keep-db] [--addons-path PATHS]
"""

import argparse
import os
import subprocess
import time
import tracemalloc

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import SQL

DASHBOARD_FIELDS = [
    "name",
    "capacity_display",
    "used_display",
    "used_percent",
    "forecast_growth_display",
    "forecast_days_left",
    "forecast_days_display",
    "forecast_full_date",
    "accounts_display",
    "signup_open",
    "company_id",
]


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
    parser.add_argument("--servers", type=int, default=10)
    parser.add_argument("--mailboxes", type=int, default=1000)
    parser.add_argument("--days", type=int, default=400)
    return parser.parse_args()


def odoo_args(args):
    return [
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
    ]


def main():
    args = parse_args()
    own_db = not args.db
    database = args.db or f"bench_nolog_capacity_{os.getpid()}"
    if own_db:
        print(f"creating database {database} with globenet_nolog ...", flush=True)
        subprocess.run(
            [
                "odoo",
                "-d",
                database,
                "-i",
                "globenet_nolog",
                "--without-demo=all",
                "--stop-after-init",
                *odoo_args(args),
            ],
            check=True,
        )
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


def build(env, args):
    policy = env["nolog.policy"].create({"name": "Bench 100 MB"})
    servers = env["nolog.server"].create(
        [
            {
                "name": f"Bench {index:02d}",
                "hostname": f"bench{index:02d}.test",
                "disk_count": 8,
                "disk_size_gb": 250,
                "raid_level": "5",
                "max_mailboxes": args.mailboxes * 2,
                "policy_id": policy.id,
            }
            for index in range(args.servers)
        ]
    )
    env.flush_all()
    today = fields.Date.context_today(env["nolog.server"])
    cr = env.cr
    cr.execute(
        SQL(
            """
            INSERT INTO nolog_mailbox (address, server_id, company_id, policy_id,
                                       state, open_date, usage_bytes)
            SELECT 'u' || s.id || '.' || n || '@bench.test', s.id, s.company_id,
                   %(policy)s, 'active', %(today)s, 1000000000 + n * 100000
              FROM nolog_server s CROSS JOIN generate_series(1, %(count)s) n
             WHERE s.id IN %(ids)s
            """,
            policy=policy.id,
            today=today,
            count=args.mailboxes,
            ids=tuple(servers.ids),
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO nolog_usage_history (mailbox_id, company_id, date,
                                             usage_bytes, message_count)
            SELECT m.id, m.company_id, %(today)s::date - d,
                   m.usage_bytes * (1 - d * (0.0005 + mod(m.server_id, 5) * 0.0002)),
                   100
              FROM nolog_mailbox m CROSS JOIN generate_series(0, %(days)s - 1) d
             WHERE m.server_id IN %(ids)s
            """,
            today=today,
            days=args.days,
            ids=tuple(servers.ids),
        )
    )
    for server in servers:
        server._refresh_used_bytes_only(fields.Datetime.now())
    return servers.ids


def run(args, database):
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = env["nolog.server"].search([("hostname", "=like", "bench%.test")]).ids
        if not ids:
            rows = args.servers * args.mailboxes * args.days
            print(f"building {rows:,} history rows ...", flush=True)
            start = time.perf_counter()
            ids = build(env, args)
            print(f"built in {time.perf_counter() - start:.1f} s", flush=True)
    conn = odoo.sql_db.db_connect(database).cursor()
    conn._cnx.autocommit = True
    conn.execute("VACUUM ANALYZE nolog_mailbox, nolog_usage_history")
    conn.close()

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        env["nolog.server.usage.daily"]._refresh()
        elapsed = time.perf_counter() - start
        count = env["nolog.server.usage.daily"].search_count([])
        print(f"first roll-up of the history:  {elapsed:7.2f} s  {count:,} daily rows")
        today = fields.Date.context_today(env["nolog.server"])
        start = time.perf_counter()
        env["nolog.server.usage.daily"]._refresh(ids[:1], since=today)
        elapsed = time.perf_counter() - start
        print(f"roll-up of one report's day:   {elapsed:7.3f} s  (one server)")

    timings = []
    peak = 0
    for attempt in range(3):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.invalidate_all()
            if attempt == 2:
                tracemalloc.start()
            start = time.perf_counter()
            result = env["nolog.server"].web_search_read(
                [("role", "=", "mailstore")],
                {name: {} for name in DASHBOARD_FIELDS},
            )
            timings.append(time.perf_counter() - start)
            if attempt == 2:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    print(
        f"capacity dashboard, {result['length']} servers x {args.days} days: "
        f"best {min(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms"
    )
    print(f"peak Python memory of the dashboard (tracemalloc): {peak / 1e6:.1f} MB")
    first = result["records"][0]
    print(
        f"e.g. {first['name']}: growth {first['forecast_growth_display']}/day, "
        f"full in {first['forecast_days_display']} ({first['forecast_full_date']})"
    )


if __name__ == "__main__":
    main()
