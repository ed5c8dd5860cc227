#!/usr/bin/env python3
# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Benchmark of the import of the old accounting base.

Builds a CSV export of the old base with N members (10,000 by default), each
with one subscription (one in two paying by SEPA direct debit, with its IBAN
and mandate), then times, each in a transaction that is rolled back:

1. the legacy import wizard (``hosting.legacy.import``): read, check, plan
   and write partners, subscriptions, bank accounts and mandates;
2. a second import of the same file on top of the first (nothing changes);
3. Odoo's own ``base_import`` path for the same rows: ``res.partner.load()``
   then ``hosting.subscription.load()`` with its lines (no mandates).

It prints the seconds, rows per second and the ratio of 1 to 3.

Usage (Odoo 18.0 importable; PostgreSQL through PGHOST and PGUSER, default
127.0.0.1 and root)::

    python3 bench/legacy_import.py [--rows 10000] [--db NAME] [--keep-db]
        [--addons-path PATHS]

Without ``--db`` it creates its own database ``bench_legacy_<pid>`` and drops
it at the end (unless ``--keep-db``).
"""

import argparse
import base64
import csv
import io
import os
import subprocess
import time
from datetime import date

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service

HEADER = [
    "Réf",
    "Nom",
    "Email",
    "Adresse",
    "CP",
    "Ville",
    "Produit",
    "Qté",
    "Prix",
    "Périodicité",
    "Règlement",
    "Début",
    "Prochaine facture",
    "IBAN",
    "BIC",
    "RUM",
    "Date mandat",
    "Solde",
]
PRODUCT = "Hébergement mutualisé (bench)"


def parse_args():
    default_addons = ",".join(
        [
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"),
            os.path.join(
                os.path.dirname(os.path.dirname(odoo.__file__)), "odoo", "addons"
            ),
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "addons"),
        ]
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="existing database with globenet_hosting")
    parser.add_argument("--keep-db", action="store_true", help="do not drop it")
    parser.add_argument("--db-host", default=os.environ.get("PGHOST", "127.0.0.1"))
    parser.add_argument("--db-user", default=os.environ.get("PGUSER", "root"))
    parser.add_argument("--addons-path", default=default_addons)
    parser.add_argument("--rows", type=int, default=10_000)
    return parser.parse_args()


def odoo_args(args):
    return [
        f"--db_host={args.db_host}",
        f"--db_user={args.db_user}",
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
    ]


def create_database(args, db):
    print(f"creating database {db} with globenet_hosting ...", flush=True)
    subprocess.run(
        [
            "python3",
            "-m",
            "odoo",
            "-d",
            db,
            "-i",
            "globenet_hosting",
            "--without-demo=all",
            "--stop-after-init",
            *odoo_args(args),
        ],
        check=True,
    )


def iban(index):
    from schwifty import IBAN

    return str(
        IBAN.generate(
            "FR", bank_code="30003", branch_code="00001", account_code=f"{index:011d}"
        )
    )


def legacy_rows(count):
    rows = []
    for index in range(count):
        sepa = index % 2 == 0
        rows.append(
            [
                f"L{index:06d}",
                f"Association n° {index}",
                f"tresorerie{index}@bench.example",
                f"{index} rue du Banc",
                "75010",
                "Paris",
                PRODUCT,
                "1",
                "20,00",
                "mensuel",
                "prélèvement" if sepa else "chèque",
                "01/01/2020",
                "01/12/2026",
                iban(index) if sepa else "",
                "",
                f"BENCH-{index:06d}" if sepa else "",
                "15/12/2019" if sepa else "",
                "",
            ]
        )
    return rows


def to_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def main():
    args = parse_args()
    own_db = not args.db
    database = args.db or f"bench_legacy_{os.getpid()}"
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
    rows = legacy_rows(args.rows)
    payload = to_csv(rows)
    print(f"file: {args.rows:,} members, {len(payload) / 1e6:.1f} MB", flush=True)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        product = env["product.product"].create(
            {
                "name": PRODUCT,
                "type": "service",
                "list_price": 20.0,
                "hosting_service_type": "shared_hosting",
            }
        )
        mapping = env.ref("globenet_hosting.legacy_import_mapping_old_base")

        def wizard():
            return env["hosting.legacy.import"].create(
                {
                    "file": base64.b64encode(payload),
                    "filename": "bench.csv",
                    "mapping_id": mapping.id,
                }
            )

        start = time.perf_counter()
        first = wizard()
        first.action_import()
        env.flush_all()
        legacy = time.perf_counter() - start
        print(
            f"legacy import wizard:      {legacy:7.2f} s  "
            f"{args.rows / legacy:7.0f} rows/s  "
            f"({first.create_count:,} created, {first.error_count} errors)",
            flush=True,
        )
        env.invalidate_all()
        start = time.perf_counter()
        second = wizard()
        second.action_import()
        env.flush_all()
        again = time.perf_counter() - start
        print(
            f"same file again:           {again:7.2f} s  "
            f"({second.create_count} created, {second.update_count} updated, "
            f"{second.unchanged_count:,} unchanged)",
            flush=True,
        )
        cr.rollback()

        env.invalidate_all()
        product = env["product.product"].create(
            {
                "name": PRODUCT,
                "type": "service",
                "list_price": 20.0,
                "hosting_service_type": "shared_hosting",
            }
        )
        start = time.perf_counter()
        partners = env["res.partner"].load(
            ["id", "name", "email", "street", "zip", "city", "is_company"],
            [
                [f"__bench__.p{i}", r[1], r[2], r[3], r[4], r[5], "1"]
                for i, r in enumerate(rows)
            ],
        )
        subs = env["hosting.subscription"].load(
            [
                "partner_id/id",
                "payment_method",
                "recurring_rule_type",
                "date_start",
                "next_period_start",
                "line_ids/product_id/.id",
                "line_ids/quantity",
                "line_ids/price_unit",
            ],
            [
                [
                    f"__bench__.p{i}",
                    "sepa_dd" if i % 2 == 0 else "cheque",
                    "monthly",
                    str(date(2020, 1, 1)),
                    str(date(2026, 12, 1)),
                    str(product.id),
                    "1",
                    "20.0",
                ]
                for i in range(len(rows))
            ],
        )
        env.flush_all()
        load = time.perf_counter() - start
        cr.rollback()
        errors = [
            m for m in partners["messages"] + subs["messages"] if m["type"] == "error"
        ]
        print(
            f"base_import load():        {load:7.2f} s  "
            f"{args.rows / load:7.0f} rows/s  "
            f"({len(subs['ids'] or []):,} subscriptions, {len(errors)} errors; "
            "no mandates)",
            flush=True,
        )
        print(f"ratio wizard / load():     {legacy / load:7.2f}")


if __name__ == "__main__":
    main()
