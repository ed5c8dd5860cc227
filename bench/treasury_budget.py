#!/usr/bin/env python3
# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark of the monthly treasury budget of globenet_hosting.

Builds a company with N active subscriptions (ORM, batches of 1,000) and
M months of posted invoices and vendor bills (SQL ``INSERT ... SELECT
generate_series``), then times ``treasury.budget.action_compute`` (budget,
actuals, bank balances, 12-month forecast and customer concentration) and
prints the figures and the peak Python memory. It prints; it asserts nothing.

    python3 bench/treasury_budget.py                 # own database, dropped
    python3 bench/treasury_budget.py --db mydb --keep-db
"""

import argparse
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date

from dateutil.relativedelta import relativedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import SQL, config

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def parse_args():
    default_addons = ",".join(
        [
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons"),
        ]
    )
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="existing database with globenet_hosting")
    parser.add_argument("--keep-db", action="store_true", help="do not drop it")
    parser.add_argument(
        "--skip-data", action="store_true", help="time only, on existing data"
    )
    parser.add_argument("--subscriptions", type=int, default=30000)
    parser.add_argument("--months", type=int, default=24, help="months of invoices")
    parser.add_argument("--resold", type=int, default=2000, help="subscriptions resold")
    parser.add_argument("--expenses", type=int, default=200, help="recurring expenses")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="root")
    parser.add_argument("--addons-path", default=default_addons)
    parser.add_argument("--runs", type=int, default=3, help="timed computations")
    return parser.parse_args()


def create_database(args, db):
    cmd = [
        "odoo",
        "-d",
        db,
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
        f"--addons-path={args.addons_path}",
        "-i",
        "globenet_hosting",
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
    ]
    print("Creating", db, "...", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"  installed in {time.perf_counter() - started:.0f} s", flush=True)


def build_data(env, args, month):
    """Subscriptions through the ORM, invoices through SQL."""
    company = env.company
    started = time.perf_counter()
    Partner = env["res.partner"].with_context(tracking_disable=True)
    partners = Partner.create(
        [{"name": f"Bench member {i}"} for i in range(args.subscriptions // 5 + 1)]
    )
    newspaper = Partner.create({"name": "Bench newspaper", "is_company": True})
    supplier = Partner.create({"name": "Bench supplier", "is_company": True})
    Product = env["product.product"]
    hosting = Product.create(
        {
            "name": "Bench hosting",
            "type": "service",
            "hosting_service_type": "shared_hosting",
        }
    )
    modem = Product.create(
        {
            "name": "Bench modem",
            "type": "service",
            "hosting_service_type": "modem_rental",
        }
    )
    transit = Product.create({"name": "Bench transit", "type": "service"})
    start = month - relativedelta(months=args.months)
    Subscription = env["hosting.subscription"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    rules = ["monthly"] * 7 + ["quarterly"] * 2 + ["yearly"]
    methods = ["sepa_dd"] * 6 + ["cheque"] * 3 + ["transfer"]
    total = args.subscriptions + args.expenses
    for offset in range(0, total, 1000):
        vals_list = []
        for i in range(offset, min(offset + 1000, total)):
            purchase = i >= args.subscriptions
            rule = rules[i % len(rules)]
            months = PERIOD_MONTHS[rule]
            next_start = month + relativedelta(months=i % months)
            product = transit if purchase else (modem if i % 20 == 0 else hosting)
            vals_list.append(
                {
                    "subscription_type": "purchase" if purchase else "sale",
                    "partner_id": (supplier if purchase else partners[i // 5]).id,
                    "reseller_id": newspaper.id
                    if not purchase and i < args.resold
                    else False,
                    "date_start": start,
                    "recurring_rule_type": rule,
                    "payment_method": methods[i % len(methods)],
                    "state": "active",
                    "next_period_start": next_start,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 1,
                                "price_unit": 5.0 + i % 7 * months,
                            }
                        )
                    ],
                }
            )
        Subscription.create(vals_list)
        env.flush_all()
        env.invalidate_all()
    print(
        f"  {total} subscriptions in {time.perf_counter() - started:.0f} s", flush=True
    )

    started = time.perf_counter()
    journals = {
        journal.type: journal
        for journal in env["account.journal"].search(
            [
                ("company_id", "=", company.id),
                ("type", "in", ("sale", "purchase", "bank")),
            ]
        )
    }
    receivable = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")],
        limit=1,
    )
    payable = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "liability_payable")],
        limit=1,
    )
    # Bulk load: skip the foreign-key triggers (checked per row at the end of
    # the statement); the values are consistent by construction.
    env.cr.execute(SQL("SET session_replication_role = replica"))
    env.cr.execute(
        SQL(
            """
            WITH occ AS (
                SELECT s.id AS sub_id, s.invoice_partner_id AS partner_id,
                       s.subscription_type, s.payment_method,
                       s.amount_untaxed AS amount, l.product_id,
                       (%(start)s::date + make_interval(months => g))::date AS day
                  FROM hosting_subscription s
                  JOIN hosting_subscription_line l ON l.subscription_id = s.id
                  CROSS JOIN generate_series(0, %(months)s - 1) AS g
                 WHERE s.company_id = %(company)s
                   AND mod(g + s.id, CASE s.recurring_rule_type
                                         WHEN 'monthly' THEN 1
                                         WHEN 'quarterly' THEN 3
                                         ELSE 12 END) = 0
            ), moves AS (
                INSERT INTO account_move (
                    name, journal_id, company_id, currency_id, state, move_type,
                    auto_post, date, invoice_date, partner_id,
                    commercial_partner_id, hosting_subscription_id,
                    hosting_payment_method, amount_untaxed, amount_untaxed_signed,
                    amount_total, amount_total_signed, amount_residual,
                    amount_residual_signed, payment_state, create_uid, write_uid,
                    create_date, write_date)
                SELECT 'BENCH/' || sub_id || '/' || day,
                       CASE subscription_type WHEN 'sale' THEN %(sale)s
                            ELSE %(purchase)s END,
                       %(company)s, %(currency)s, 'posted',
                       CASE subscription_type WHEN 'sale' THEN 'out_invoice'
                            ELSE 'in_invoice' END,
                       'no', day, day, partner_id, partner_id, sub_id,
                       payment_method, amount,
                       CASE subscription_type WHEN 'sale' THEN amount
                            ELSE -amount END,
                       amount,
                       CASE subscription_type WHEN 'sale' THEN amount
                            ELSE -amount END,
                       0, 0, 'paid', 1, 1, now(), now()
                  FROM occ
                RETURNING id, journal_id, move_type, date, partner_id,
                          amount_untaxed, hosting_subscription_id
            ), product_lines AS (
                INSERT INTO account_move_line (
                    move_id, journal_id, company_id, company_currency_id,
                    currency_id, account_id, partner_id, product_id, date,
                    parent_state, display_type, name, quantity, price_unit,
                    price_subtotal, price_total, debit, credit, balance,
                    amount_currency, create_uid, write_uid, create_date, write_date)
                SELECT m.id, m.journal_id, %(company)s, %(currency)s, %(currency)s,
                       CASE m.move_type WHEN 'out_invoice' THEN %(income)s
                            ELSE %(expense)s END,
                       m.partner_id, l.product_id, m.date, 'posted', 'product',
                       'Bench', 1, m.amount_untaxed, m.amount_untaxed,
                       m.amount_untaxed,
                       CASE m.move_type WHEN 'out_invoice' THEN 0
                            ELSE m.amount_untaxed END,
                       CASE m.move_type WHEN 'out_invoice' THEN m.amount_untaxed
                            ELSE 0 END,
                       CASE m.move_type WHEN 'out_invoice' THEN -m.amount_untaxed
                            ELSE m.amount_untaxed END,
                       CASE m.move_type WHEN 'out_invoice' THEN -m.amount_untaxed
                            ELSE m.amount_untaxed END,
                       1, 1, now(), now()
                  FROM moves m
                  JOIN hosting_subscription_line l
                    ON l.subscription_id = m.hosting_subscription_id
                RETURNING id
            )
            INSERT INTO account_move_line (
                move_id, journal_id, company_id, company_currency_id, currency_id,
                account_id, partner_id, date, parent_state, display_type, name,
                debit, credit, balance, amount_currency, create_uid, write_uid,
                create_date, write_date)
            SELECT m.id, m.journal_id, %(company)s, %(currency)s, %(currency)s,
                   CASE m.move_type WHEN 'out_invoice' THEN %(receivable)s
                        ELSE %(payable)s END,
                   m.partner_id, m.date, 'posted', 'payment_term', 'Bench',
                   CASE m.move_type WHEN 'out_invoice' THEN m.amount_untaxed
                        ELSE 0 END,
                   CASE m.move_type WHEN 'out_invoice' THEN 0
                        ELSE m.amount_untaxed END,
                   CASE m.move_type WHEN 'out_invoice' THEN m.amount_untaxed
                        ELSE -m.amount_untaxed END,
                   CASE m.move_type WHEN 'out_invoice' THEN m.amount_untaxed
                        ELSE -m.amount_untaxed END,
                   1, 1, now(), now()
              FROM moves m
            """,
            start=start,
            months=args.months + 1,
            company=company.id,
            currency=company.currency_id.id,
            sale=journals["sale"].id,
            purchase=journals["purchase"].id,
            income=journals["sale"].default_account_id.id,
            expense=journals["purchase"].default_account_id.id,
            receivable=receivable.id,
            payable=payable.id,
        )
    )
    # One bank deposit a day (direct-debit batches, cheques), balanced on the
    # receivable account.
    bank = journals["bank"]
    env.cr.execute(
        SQL(
            """
            WITH moves AS (
                INSERT INTO account_move (
                    name, journal_id, company_id, currency_id, state, move_type,
                    auto_post, date, create_uid, write_uid, create_date, write_date)
                SELECT 'BENCH/BNK/' || day::date, %(bank)s, %(company)s,
                       %(currency)s, 'posted', 'entry', 'no', day::date,
                       1, 1, now(), now()
                  FROM generate_series(%(start)s::date, %(end)s::date,
                                       interval '1 day') AS day
                RETURNING id, date
            )
            INSERT INTO account_move_line (
                move_id, journal_id, company_id, company_currency_id, currency_id,
                account_id, date, parent_state, display_type, name, debit, credit,
                balance, amount_currency, create_uid, write_uid, create_date,
                write_date)
            SELECT m.id, %(bank)s, %(company)s, %(currency)s, %(currency)s,
                   CASE WHEN side = 1 THEN %(bank_account)s ELSE %(receivable)s END,
                   m.date, 'posted', 'product', 'Bench deposit',
                   CASE WHEN side = 1 THEN 500 ELSE 0 END,
                   CASE WHEN side = 1 THEN 0 ELSE 500 END,
                   CASE WHEN side = 1 THEN 500 ELSE -500 END,
                   CASE WHEN side = 1 THEN 500 ELSE -500 END,
                   1, 1, now(), now()
              FROM moves m CROSS JOIN (VALUES (1), (2)) AS sides(side)
            """,
            bank=bank.id,
            bank_account=bank.default_account_id.id,
            receivable=receivable.id,
            company=company.id,
            currency=company.currency_id.id,
            start=start,
            end=month + relativedelta(day=31),
        )
    )
    env.cr.execute(SQL("SET session_replication_role = DEFAULT"))
    # What autovacuum does on a live database.
    for table in (
        "account_move",
        "account_move_line",
        "hosting_subscription",
        "hosting_subscription_line",
        "res_partner",
    ):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.cr.execute(
        SQL("SELECT count(*) FROM account_move WHERE name LIKE %s", "BENCH/%")
    )
    moves = env.cr.fetchone()[0]
    env.cr.execute(SQL("SELECT count(*) FROM account_move_line"))
    lines = env.cr.fetchone()[0]
    print(
        f"  {moves} posted moves, {lines} move lines in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )


def measure(registry, month, runs):
    timings = []
    peak = 0
    for run in range(runs):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            budget = env["treasury.budget"].search([("date_from", "=", month)])
            if not budget:
                budget = env["treasury.budget"].create({"date_from": month})
            env.flush_all()
            env.invalidate_all()
            queries = cr.sql_log_count
            tracemalloc.start()
            started = time.perf_counter()
            budget.action_compute()
            env.flush_all()
            elapsed = time.perf_counter() - started
            peak = max(peak, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            timings.append(elapsed)
            print(
                f"  run {run + 1}: {elapsed:.3f} s, "
                f"{cr.sql_log_count - queries} queries",
                flush=True,
            )
            if run == runs - 1:
                report(budget)
            cr.commit()
    return timings, peak


def report(budget):
    print(f"Budget {budget.name}:")
    for line in budget.line_ids:
        print(
            f"    {line.kind:18} expected {line.expected:14,.2f}  "
            f"actual {line.actual:14,.2f}"
        )
    print(
        f"    bank {budget.balance_start:,.2f} -> {budget.balance_end:,.2f}; "
        f"forecast cash after 12 months {budget.forecast_line_ids[-1:].cash:,.2f}"
    )
    risks = budget.concentration_line_ids.filtered("is_risk")
    print(
        "    dependency risks: "
        + ", ".join(f"{r.partner_id.name} {r.share:.1f} %" for r in risks)
    )


def main():
    args = parse_args()
    own_db = not args.db
    db = args.db or f"bench_treasury_{os.getpid()}"
    if own_db:
        create_database(args, db)
    config.parse_config(
        [
            f"--db_host={args.db_host}",
            f"--db_user={args.db_user}",
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
        ]
    )
    month = date.today().replace(day=1)
    try:
        registry = Registry(db)
        if not args.skip_data:
            with registry.cursor() as cr:
                build_data(api.Environment(cr, SUPERUSER_ID, {}), args, month)
        print(f"Computing the budget of {month:%Y-%m} ({args.runs} runs):", flush=True)
        timings, peak = measure(registry, month, args.runs)
        print(
            f"Budget compute + forecast: first {timings[0]:.3f} s, "
            f"best {min(timings):.3f} s (target < 2 s); "
            f"peak Python memory {peak / 2**20:.1f} MiB; "
            f"process max RSS "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
    finally:
        if own_db and not args.keep_db:
            odoo.sql_db.close_db(db)
            db_service.exp_drop(db)
            print("Dropped", db)
        elif own_db:
            print("Kept", db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
