#!/usr/bin/env python3
# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Benchmark of the no-log closure-notice campaign.

In an existing database with globenet_nolog installed, builds N mailboxes
(100,000 by default) on a new server in one INSERT, then times:

1. the selection of every second account (the preview: count and space);
2. the launch: lines, mailboxes moved to 'closing', and one queued notice
   per selected mailbox (50,000 for 100,000 mailboxes);
3. the scheduled action sending the first reminder to all of them
   (optional, ``--reminders``).

Everything runs in one transaction that is rolled back at the end: the
database is left as it was. It prints the times, the notices queued, the
peak Python memory of the launch (tracemalloc) and the peak RSS.
Benchmarks print figures; the tests never assert timings.

Usage (Odoo 18.0 importable; PostgreSQL through PGHOST and PGUSER)::

    python3 bench/nolog_campaign.py --db NAME [--rows 100000] [--k 2]
        [--reminders] [--addons-path PATHS]
"""

import argparse
import os
import resource
import time
import tracemalloc
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tools import SQL


def parse_args():
    default_addons = ",".join(
        [
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons"),
        ]
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="database with globenet_nolog")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--addons-path", default=default_addons)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=2)
    parser.add_argument("--reminders", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    odoo.tools.config.parse_config(
        [
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
        ]
    )
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            run(env, args)
        finally:
            cr.rollback()


def run(env, args):
    policy = env["nolog.policy"].create({"name": "Bench 100 MB", "quota_mb": 100})
    server = env["nolog.server"].create(
        {"name": "Bench", "hostname": "bench.example", "policy_id": policy.id}
    )
    env.flush_all()
    start = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            INSERT INTO nolog_mailbox (address, server_id, company_id, policy_id,
                   state, open_date, usage_bytes, message_count, quota_percent,
                   trash_share, create_date, write_date, create_uid, write_uid)
            SELECT 'bench' || n || '@no-log.example', %(server)s, %(company)s,
                   %(policy)s, 'active', CURRENT_DATE - 400,
                   mod(n * 7919, 100) * 1048576, 10, 0, 0,
                   now(), now(), 1, 1
              FROM generate_series(1, %(rows)s) AS n
            """,
            server=server.id,
            company=server.company_id.id,
            policy=policy.id,
            rows=args.rows,
        )
    )
    env.cr.execute(SQL("ANALYZE nolog_mailbox"))
    print(f"{args.rows:,} mailboxes built in {time.perf_counter() - start:.1f} s")

    campaign = env["nolog.closure.campaign"].create(
        {
            "name": "Bench: every k-th",
            "rule": "every_kth",
            "every_k": args.k,
            "server_id": server.id,
            "list_url": "https://lists.example/alternatives",
        }
    )
    start = time.perf_counter()
    count, total = campaign._selection_totals()
    selection = time.perf_counter() - start
    print(
        f"selection (preview): {count:,} mailboxes, {total / 1024**3:,.1f} GiB, "
        f"{selection:.2f} s"
    )

    mails_before = env["mail.mail"].search_count([])
    tracemalloc.start()
    start = time.perf_counter()
    campaign.action_launch()
    env.flush_all()
    launch = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queued = env["mail.mail"].search_count([]) - mails_before
    print(
        f"launch: {queued:,} notices queued, {len(campaign.line_ids):,} lines, "
        f"{launch:.1f} s ({launch / max(queued, 1) * 1000:.2f} ms per notice), "
        f"peak Python memory {peak / 1024**2:.0f} MiB"
    )
    print(f"selection + launch: {selection + launch:.1f} s (target < 60 s)")

    if args.reminders:
        env["nolog.closure.campaign.line"].flush_model()
        env.cr.execute(
            SQL(
                "UPDATE nolog_closure_campaign_line SET next_reminder_date = %s"
                " WHERE campaign_id = %s",
                fields.Date.today() - timedelta(days=1),
                campaign.id,
            )
        )
        env["nolog.closure.campaign.line"].invalidate_model()
        start = time.perf_counter()
        sent = env["nolog.closure.campaign"]._cron_campaigns(batch_size=count)
        env.flush_all()
        print(f"reminders: {sent:,} in {time.perf_counter() - start:.1f} s")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process: {rss:.0f} MiB")
    print("rolled back: the database is unchanged")


if __name__ == "__main__":
    main()
