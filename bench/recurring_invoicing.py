# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Benchmark the recurring invoicing of globenet_hosting against OCA ``contract``.

What it measures
----------------
On a fresh database (French chart of accounts, no demo data) it builds N members,
one service product at 12.00 taxed at the company's default sale tax, N monthly
``hosting.subscription`` invoiced in advance from the first day of the current
month (activated), and N OCA ``contract.contract`` with the same partner, product,
price and recurrence (pre-paid, next invoice on the first day of the month). Each
subscription and each contract is due for exactly one invoice today.

The set-up is committed and the database copied to ``<db>_snap``. Each scenario
then runs in its own cursor (a fresh transaction and record cache) and all start
from the same state:

``globenet drafts``
    ``hosting.subscription._cron_invoice_due(batch_size=200)`` called as Odoo's
    scheduler calls it: with an ``ir.cron.progress`` record in the context,
    again while it reports remaining work, committing after each call, in runs
    of at most 10 calls each with a new cursor and environment, as
    ``ir.cron._run_job`` does (not one artificially long transaction), in a
    separate, freshly started process (as an Odoo server's scheduler), whose
    peak RSS growth is the memory of the run alone. The database is then
    restored from the copy.
``globenet posted``
    The same with ``company.hosting_invoice_post`` set: the invoices are created
    and posted.
``contract drafts``
    OCA contract's own scheduled action, ``cron_recurring_create_invoice()``,
    which creates draft invoices of all due contracts in one call, in one
    transaction, then rolled back.

For each it reports the invoices created, wall time, invoices per second, SQL
queries per invoice (and the time spent in SQL), the tracemalloc peak and the
growth of the process's peak RSS. It prints the speed ratios of globenet to
contract, with their targets (drafts at least 3x, posted at least 1.2x), each
MET or MISSED. With ``--scale 2000,30000`` it tops the data up from one size to
the next and prints the cost per invoice and the peak memory at each size,
whose ratios should stay under 1.2. With ``--workers 10000`` it runs the
scheduled action on 10,000 subscriptions in one process, then in two processes
at once (target: 1.5x the throughput), and checks that no period was invoiced
twice.

A small warm-up (five invoices of each kind, rolled back) runs before each
scenario, so that none pays for ormcache filling and lazy imports. The peak RSS growth
comes from the kernel (its high-water mark is reset before each run). tracemalloc
slows Python down about five times, so it never runs during the timing:
``--tracemalloc`` runs each scenario a second time under it for its peak MB.
``--profile SCENARIO`` runs that scenario once more under cProfile and prints the
heaviest functions.

Usage::

    python3 bench/recurring_invoicing.py [--n 2000] [--db NAME] [--keep-db]
    python3 bench/recurring_invoicing.py --scale 2000,30000 --skip-contract
"""

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import threading
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg2.errors

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL, config

BATCH_SIZE = 200
PRICE = 12.0
MODULES = ("globenet_hosting", "contract")
TARGET_DRAFTS = 3.0
TARGET_POSTED = 1.2
TARGET_SCALE = 1.2
TARGET_MEMORY = 1.2
MEMORY_SLACK_MB = 16.0
TARGET_WORKERS = 1.5
# Odoo's scheduler calls a job's method up to this many times per run, with
# a commit between calls, then starts a new run (ir_cron.MAX_BATCH_PER_CRON_JOB).
CALLS_PER_RUN = 10
SCENARIOS = ("globenet_drafts", "globenet_posted", "contract_drafts")
LABELS = {
    "globenet_drafts": "globenet drafts",
    "globenet_posted": "globenet posted",
    "contract_drafts": "contract drafts",
}


@dataclass
class Result:
    scenario: str
    invoices: int
    posted: int
    seconds: float
    queries: int
    sql_seconds: float
    calls: int
    peak_mb: float
    rss_mb: float

    @property
    def rate(self):
        return self.invoices / self.seconds if self.seconds else 0.0

    @property
    def ms_per_invoice(self):
        return 1000.0 * self.seconds / self.invoices if self.invoices else 0.0

    @property
    def queries_per_invoice(self):
        return self.queries / self.invoices if self.invoices else 0.0


# ----------------------------------------------------------------------
# Database and configuration
# ----------------------------------------------------------------------
def addons_path():
    odoo_addons = Path(odoo.__file__).resolve().parent.parent / "addons"
    repo_addons = Path(__file__).resolve().parent.parent / "addons"
    return f"{odoo_addons},{repo_addons}"


def server_options(db):
    return [
        f"--database={db}",
        f"--addons-path={addons_path()}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_user={os.environ.get('PGUSER', 'root')}",
        "--without-demo=all",
        "--log-level=warn",
    ]


def install(db, modules):
    """Create ``db`` and install ``modules``, in a separate process so that the
    benchmark starts with a lean interpreter."""
    odoo_bin = shutil.which("odoo")
    if not odoo_bin:
        sys.exit("The `odoo` command is not on PATH.")
    cmd = [
        odoo_bin,
        *server_options(db),
        f"--init={','.join(modules)}",
        "--stop-after-init",
    ]
    print(f"Installing {', '.join(modules)} in {db}...", flush=True)
    started = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"  installed in {time.perf_counter() - started:.0f} s", flush=True)


def admin_sql(*queries):
    """Run database-level statements (outside a transaction)."""
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        for query in queries:
            cr.execute(query)


def drop_database(db, quiet=False):
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    admin_sql(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(db)))
    if not quiet:
        print(f"Dropped {db}.")


def snapshot(db):
    """Copy ``db`` to ``<db>_snap``, to restore it after a committed run."""
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    snap = f"{db}_snap"
    admin_sql(
        SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(snap)),
        SQL("CREATE DATABASE %s TEMPLATE %s", SQL.identifier(snap), SQL.identifier(db)),
    )
    return odoo.modules.registry.Registry(db)


def restore(db):
    """Put ``db`` back as it was at the last snapshot; return its registry."""
    drop_database(db, quiet=True)
    admin_sql(
        SQL(
            "CREATE DATABASE %s TEMPLATE %s",
            SQL.identifier(db),
            SQL.identifier(f"{db}_snap"),
        )
    )
    return odoo.modules.registry.Registry(db)


def ensure_french_chart(env):
    """Give the main company the French chart of accounts, as production has."""
    company = env.company
    if company.chart_template != "fr":
        company.country_id = env.ref("base.fr")
        env["account.chart.template"].try_loading("fr", company=company)
        print("  French chart of accounts loaded.", flush=True)
    if not company.account_sale_tax_id:
        sys.exit("The company has no default sale tax.")


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def get_product(env):
    product = env["product.product"].search([("default_code", "=", "BENCH-HOSTING")])
    if product:
        return product
    return env["product.product"].create(
        {
            "name": "Bench hosting",
            "default_code": "BENCH-HOSTING",
            "type": "service",
            "lst_price": PRICE,
            "hosting_service_type": "shared_hosting",
            "taxes_id": [Command.set(env.company.account_sale_tax_id.ids)],
        }
    )


def top_up(env, size, with_contracts):
    """Create members, subscriptions and contracts until there are ``size`` of
    each, all due for one invoice today."""
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    product = get_product(env)
    start = date.today().replace(day=1)
    Sub = env["hosting.subscription"]
    existing = Sub.search_count([("partner_id.ref", "=like", "BENCH-%")])
    count = size - existing
    if count <= 0:
        return
    timings = []
    started = time.perf_counter()
    partners = env["res.partner"].create(
        [
            {"name": f"Member {i}", "ref": f"BENCH-{i}", "email": f"m{i}@example.org"}
            for i in range(existing, size)
        ]
    )
    timings.append(("members", time.perf_counter() - started))

    started = time.perf_counter()
    subs = Sub.create(
        [
            {
                "partner_id": partner.id,
                "date_start": start,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "invoicing_mode": "advance",
                "line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1, "price_unit": PRICE}
                    )
                ],
            }
            for partner in partners
        ]
    )
    env.flush_all()
    timings.append(("subscriptions", time.perf_counter() - started))
    started = time.perf_counter()
    subs.action_activate()
    env.flush_all()
    timings.append(("activation", time.perf_counter() - started))

    if with_contracts:
        started = time.perf_counter()
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
        )
        env["contract.contract"].create(
            [
                {
                    "name": f"Contract {partner.ref}",
                    "partner_id": partner.id,
                    "contract_type": "sale",
                    "journal_id": journal.id,
                    "date_start": start,
                    "recurring_rule_type": "monthly",
                    "recurring_interval": 1,
                    "recurring_invoicing_type": "pre-paid",
                    "contract_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": product.name,
                                "quantity": 1,
                                "uom_id": product.uom_id.id,
                                "automatic_price": False,
                                "specific_price": PRICE,
                            }
                        )
                    ],
                }
                for partner in partners
            ]
        )
        env.flush_all()
        timings.append(("contracts", time.perf_counter() - started))
    env.cr.commit()
    print(
        f"  set-up to {size}: "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings),
        flush=True,
    )


# ----------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------
def run_globenet(env, stats=None):
    """Run the scheduled action as Odoo's scheduler does, until it reports no
    work: runs of up to ``CALLS_PER_RUN`` calls, each call with its own
    ``ir.cron.progress`` and followed by a commit, each run in a new cursor
    and environment. ``env`` only gives the registry; ``stats`` counts the
    calls that did nothing (``idle``) and the serialization failures
    (``retried``, the call then rolled back and run again as the scheduler's
    next run would)."""
    registry = env.registry
    stats = stats if stats is not None else {}
    stats.setdefault("idle", 0)
    stats.setdefault("retried", 0)
    calls = 0
    while True:
        with registry.cursor() as cr:
            run_env = api.Environment(cr, SUPERUSER_ID, {})
            Sub = run_env["hosting.subscription"]
            cron = run_env.ref("globenet_hosting.ir_cron_hosting_subscription_invoice")
            for _call in range(CALLS_PER_RUN):
                progress = run_env["ir.cron.progress"].create({"cron_id": cron.id})
                cr.commit()
                try:
                    Sub.with_context(ir_cron_progress_id=progress.id)._cron_invoice_due(
                        batch_size=BATCH_SIZE
                    )
                    cr.commit()  # as the scheduler does after each call
                except psycopg2.errors.SerializationFailure:
                    cr.rollback()
                    stats["retried"] += 1
                    break
                calls += 1
                done, remaining = progress.done, progress.remaining
                if not done:
                    stats["idle"] += 1
                if not done or not remaining:
                    return calls


def run_contract(env):
    env["contract.contract"].cron_recurring_create_invoice()
    env.flush_all()
    return 1


def prepare(env, scenario):
    if scenario == "globenet_posted":
        env.company.hosting_invoice_post = True
    env.flush_all()


def warm_up(registry, with_contracts):
    """Invoice a few subscriptions and contracts, then roll back."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        today = date.today()
        Sub = env["hosting.subscription"]
        subs = Sub.search(Sub._get_due_domain(today), limit=5)
        moves = subs._invoice_periods(today)  # posted if the company says so
        moves.filtered(lambda m: m.state == "draft").action_post()
        if with_contracts:
            Contract = env["contract.contract"]
            contracts = Contract.search(
                Contract._get_contracts_to_invoice_domain(today), limit=5
            )
            contracts._recurring_create_invoice(today)
        env.flush_all()
        cr.rollback()


def peak_rss_reset():
    """Reset the kernel's high-water mark of our RSS when Linux allows it, and
    return the current peak in MB."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    return peak_rss()


def peak_rss():
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(registry, scenario, mode="time"):
    """Run ``scenario`` in a transaction of its own, then roll it back.

    ``mode`` is ``time`` (wall time, queries, peak RSS), ``memory`` (the same
    under tracemalloc, which slows Python down several times, hence a separate
    run) or ``profile`` (under cProfile, printed).
    """
    if mode == "time" and scenario != "contract_drafts":
        return measure_in_worker(registry, scenario)
    run = run_contract if scenario == "contract_drafts" else run_globenet
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Move = env["account.move"]
        last_id = Move.search([], order="id desc", limit=1).id or 0
        prepare(env, scenario)
        if scenario != "contract_drafts":
            cr.commit()  # the scheduler's cursors must see the setting
        env.invalidate_all()
        gc.collect()
        thread = threading.current_thread()
        thread.query_count, thread.query_time = 0, 0.0
        rss_before = peak_rss_reset()
        if mode == "memory":
            tracemalloc.start()
        profiler = cProfile.Profile() if mode == "profile" else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        calls = run(env)
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        queries, sql_seconds = thread.query_count, thread.query_time
        peak = tracemalloc.get_traced_memory()[1] if mode == "memory" else 0
        tracemalloc.stop()
        rss = peak_rss() - rss_before
        del thread.query_count, thread.query_time
        if scenario != "contract_drafts":
            cr.commit()  # a new snapshot, which sees the runs' invoices
        new_moves = [("id", ">", last_id), ("move_type", "=", "out_invoice")]
        invoices = Move.search_count(new_moves)
        posted = Move.search_count([*new_moves, ("state", "=", "posted")])
        cr.rollback()
    if profiler:
        print_profile(profiler, LABELS[scenario])
    return Result(
        scenario=scenario,
        invoices=invoices,
        posted=posted,
        seconds=seconds,
        queries=queries,
        sql_seconds=sql_seconds,
        calls=calls,
        peak_mb=peak / 2**20,
        rss_mb=rss,
    )


def measure_in_worker(registry, scenario):
    """Time ``scenario`` (committed) in one fresh scheduler process, as an
    Odoo server runs its scheduled actions: its peak RSS growth is the
    memory of the run alone."""
    db = registry.db_name
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        last_id = env["account.move"].search([], order="id desc", limit=1).id or 0
        prepare(env, scenario)
        cr.commit()
    (report,) = spawn_workers(db, 1)
    with registry.cursor() as cr:
        Move = api.Environment(cr, SUPERUSER_ID, {})["account.move"]
        new_moves = [("id", ">", last_id), ("move_type", "=", "out_invoice")]
        invoices = Move.search_count(new_moves)
        posted = Move.search_count([*new_moves, ("state", "=", "posted")])
    return Result(
        scenario=scenario,
        invoices=invoices,
        posted=posted,
        seconds=report["ended"] - report["started"],
        queries=report["queries"],
        sql_seconds=report["sql_seconds"],
        calls=report["calls"],
        peak_mb=0.0,
        rss_mb=report["rss_mb"],
    )


# ----------------------------------------------------------------------
# Two workers
# ----------------------------------------------------------------------
def worker_main(db):
    """``--worker``: one scheduler process. It loads the registry and warms
    up, says ``ready``, waits for a line on stdin, runs the scheduled action
    as the scheduler does until it reports no work, and prints one JSON line:
    its start and end, calls, SQL queries and seconds, and the growth of its
    peak RSS during the run (the process starts lean: no set-up data was
    created in it)."""
    config.parse_config(server_options(db))
    registry = odoo.modules.registry.Registry(db)
    warm_up(registry, with_contracts=False)
    gc.collect()
    print("ready", flush=True)
    sys.stdin.readline()
    stats = {}
    thread = threading.current_thread()
    thread.query_count, thread.query_time = 0, 0.0
    rss_before = peak_rss_reset()
    started = time.time()
    with registry.cursor() as cr:
        calls = run_globenet(api.Environment(cr, SUPERUSER_ID, {}), stats)
    ended = time.time()
    report = {
        "started": started,
        "ended": ended,
        "calls": calls,
        "queries": thread.query_count,
        "sql_seconds": thread.query_time,
        "rss_mb": peak_rss() - rss_before,
        **stats,
    }
    print(json.dumps(report))
    return 0


def count_invoiced(registry):
    """Invoices of the bench subscriptions, and periods invoiced more than
    once (the unique index forbids them: this checks it held)."""
    with registry.cursor() as cr:
        cr.execute(
            SQL(
                "SELECT count(*), count(DISTINCT (m.hosting_subscription_id, "
                "m.hosting_period_start)) FROM account_move m "
                "JOIN hosting_subscription s ON s.id = m.hosting_subscription_id "
                "WHERE m.state != 'cancel'"
            )
        )
        invoices, periods = cr.fetchone()
    return invoices, invoices - periods


def spawn_workers(db, count):
    """Start ``count`` scheduler processes, let them go at once when all are
    ready, and return their JSON reports."""
    odoo.sql_db.close_db(db)  # no idle connection of ours in their way
    cmd = [sys.executable, __file__, "--worker", "--db", db]
    procs = [
        subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _i in range(count)
    ]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            sys.exit("A worker failed to start.")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        reports.append(json.loads(proc.stdout.readline()))
        if proc.wait():
            sys.exit("A worker failed.")
    return reports


def run_workers(registry, db, count):
    """Run ``count`` worker processes at once on the committed data; return
    the wall time from the first start to the last end, and their stats."""
    before, _twice = count_invoiced(registry)
    reports = spawn_workers(db, count)
    seconds = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    invoices, twice = count_invoiced(registry)
    return {
        "workers": count,
        "invoices": invoices - before,
        "twice": twice,
        "seconds": seconds,
        "calls": sum(r["calls"] for r in reports),
        "idle": sum(r["idle"] for r in reports),
        "retried": sum(r["retried"] for r in reports),
    }


def print_workers(size, results):
    print(
        f"\nTwo workers vs one on N = {size} (drafts, separate processes, each "
        f"running the scheduled action as Odoo's scheduler does)"
    )
    header = (
        f"{'workers':>7} {'invoices':>8} {'s':>8} {'inv/s':>8} {'calls':>6} "
        f"{'idle':>5} {'retried':>7} {'twice':>5}"
    )
    print(header)
    print("-" * len(header))
    for res in results:
        rate = res["invoices"] / res["seconds"] if res["seconds"] else 0.0
        res["rate"] = rate
        print(
            f"{res['workers']:>7} {res['invoices']:>8} {res['seconds']:>8.2f} "
            f"{rate:>8.1f} {res['calls']:>6} {res['idle']:>5} {res['retried']:>7} "
            f"{res['twice']:>5}"
        )
    one, two = results
    ratio = two["rate"] / one["rate"] if one["rate"] else 0.0
    print(
        f"2 workers / 1 worker: {ratio:.2f}x (target >= {TARGET_WORKERS:g}x) "
        f"{verdict(ratio >= TARGET_WORKERS)}"
    )
    complete = all(res["invoices"] == size for res in results)
    never_twice = not any(res["twice"] for res in results)
    print(
        f"every subscription invoiced once ({size} invoices per run): "
        f"{verdict(complete)}; no period invoiced twice: {verdict(never_twice)}"
    )
    if not (complete and never_twice):
        sys.exit("Two workers invoiced a period twice or missed one.")


def verdict(met):
    return "MET" if met else "MISSED"


def print_profile(profiler, label, limit=30):
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(sort).print_stats(limit)
        print(f"\n--- cProfile of {label}, by {sort} ---")
        print(out.getvalue())


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------
def print_table(size, results):
    print(f"\nN = {size}")
    header = (
        f"{'scenario':<16} {'invoices':>8} {'posted':>7} {'calls':>5} {'s':>8} "
        f"{'inv/s':>8} {'ms/inv':>7} {'q/inv':>6} {'sql s':>7} "
        f"{'peak MB':>8} {'RSS+ MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for res in results.values():
        print(
            f"{LABELS[res.scenario]:<16} {res.invoices:>8} {res.posted:>7} "
            f"{res.calls:>5} {res.seconds:>8.2f} {res.rate:>8.1f} "
            f"{res.ms_per_invoice:>7.2f} {res.queries_per_invoice:>6.1f} "
            f"{res.sql_seconds:>7.2f} {res.peak_mb:>8.1f} {res.rss_mb:>8.1f}"
        )
    contract = results.get("contract_drafts")
    if not contract or not contract.rate:
        return
    for scenario, target in (
        ("globenet_drafts", TARGET_DRAFTS),
        ("globenet_posted", TARGET_POSTED),
    ):
        if scenario in results:
            ratio = results[scenario].rate / contract.rate
            print(
                f"{LABELS[scenario]} / contract drafts: {ratio:.2f}x "
                f"(target >= {target:g}x) {verdict(ratio >= target)}"
            )


def print_scaling(by_size):
    sizes = sorted(by_size)
    print(f"\nCost per invoice from N = {sizes[0]} to N = {sizes[-1]}")
    for scenario in SCENARIOS:
        if not all(scenario in by_size[size] for size in sizes):
            continue
        costs = [by_size[size][scenario].ms_per_invoice for size in sizes]
        queries = [by_size[size][scenario].queries_per_invoice for size in sizes]
        ratio = costs[-1] / costs[0] if costs[0] else 0.0
        detail = ", ".join(
            f"{cost:.2f} ms ({q:.1f} q)" for cost, q in zip(costs, queries, strict=True)
        )
        print(
            f"{LABELS[scenario]:<16} {detail}: ratio {ratio:.2f} "
            f"(target <= {TARGET_SCALE:g}) {verdict(ratio <= TARGET_SCALE)}"
        )
    print(
        f"\nPeak memory of a run from N = {sizes[0]} to N = {sizes[-1]} (growth of "
        f"the process's peak RSS during the run; tracemalloc peak with "
        f"--tracemalloc); target: at most {TARGET_MEMORY:g}x, or "
        f"{MEMORY_SLACK_MB:g} MB more"
    )
    for scenario in SCENARIOS:
        if not all(scenario in by_size[size] for size in sizes):
            continue
        first, last = by_size[sizes[0]][scenario], by_size[sizes[-1]][scenario]
        for label, low, high in (
            ("RSS+", first.rss_mb, last.rss_mb),
            ("tracemalloc", first.peak_mb, last.peak_mb),
        ):
            if label == "tracemalloc" and not (low or high):
                continue  # not measured: run with --tracemalloc
            met = high <= max(low * TARGET_MEMORY, low + MEMORY_SLACK_MB)
            print(
                f"{LABELS[scenario]:<16} {label:<11} {low:.1f} MB -> {high:.1f} MB "
                f"{verdict(met)}"
            )


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------
def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="records of each kind")
    parser.add_argument(
        "--scale",
        help="comma-separated sizes, run one after the other on the same data "
        "(e.g. 2000,30000); overrides --n",
    )
    parser.add_argument("--db", help="use this database instead of a fresh one")
    parser.add_argument("--keep-db", action="store_true", help="do not drop it")
    parser.add_argument("--skip-contract", action="store_true")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="also run the scheduled action on N subscriptions in one process, "
        "then in two processes at once, and compare (drafts)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-posted", action="store_true")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="run each scenario a second time under tracemalloc for its peak MB "
        "(about five times slower)",
    )
    parser.add_argument(
        "--profile",
        choices=SCENARIOS,
        help="run this scenario once more under cProfile (at the largest size)",
    )
    args = parser.parse_args()
    args.sizes = sorted(
        {int(size) for size in args.scale.split(",")} if args.scale else {args.n}
    )
    if args.sizes[0] <= 0:
        parser.error("sizes must be positive")
    return args


def main():
    args = parse_args()
    if args.worker:
        return worker_main(args.db)
    db = args.db or f"bench_recurring_{uuid.uuid4().hex[:8]}"
    config.parse_config(server_options(db))
    scenarios = [
        scenario
        for scenario in SCENARIOS
        if not (args.skip_contract and scenario == "contract_drafts")
        and not (args.skip_posted and scenario == "globenet_posted")
    ]
    with_contracts = not args.skip_contract
    try:
        if not args.db:
            install(db, MODULES[:1] if args.skip_contract else MODULES)
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            ensure_french_chart(api.Environment(cr, SUPERUSER_ID, {}))
        by_size = {}
        for size in args.sizes:
            with registry.cursor() as cr:
                top_up(api.Environment(cr, SUPERUSER_ID, {}), size, with_contracts)
            registry = snapshot(db)
            warm_up(registry, with_contracts)
            by_size[size] = {}

            def run(scenario, mode="time"):
                nonlocal registry
                result = measure(registry, scenario, mode)
                if scenario != "contract_drafts":  # it committed: restore
                    registry = restore(db)
                    warm_up(registry, with_contracts)
                return result

            for scenario in scenarios:
                result = run(scenario)
                if args.tracemalloc:
                    result.peak_mb = run(scenario, "memory").peak_mb
                by_size[size][scenario] = result
                print(f"  {LABELS[scenario]}: {result.seconds:.1f} s", flush=True)
                if args.profile == scenario and size == args.sizes[-1]:
                    run(scenario, "profile")
            print_table(size, by_size[size])
        if len(by_size) > 1:
            print_scaling(by_size)
        if args.workers:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                top_up(env, args.workers, with_contracts=False)
                env["hosting.subscription"].search(
                    [("partner_id.ref", "=like", "BENCH-%")], order="id"
                )[args.workers :].write({"state": "closed"})
            registry = snapshot(db)
            results = []
            for count in (1, 2):
                results.append(run_workers(registry, db, count))
                registry = restore(db)
            print_workers(args.workers, results)
        print(
            "\nThe scheduled action runs as Odoo's scheduler runs it: runs of up to "
            f"{CALLS_PER_RUN} calls of {BATCH_SIZE} subscriptions, a commit after "
            "each call, a new cursor for each run (not one long transaction), in "
            "a freshly started process of its own."
        )
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        drop_database(f"{db}_snap", quiet=True)
        if args.keep_db:
            print(f"Kept database {db}.")
        else:
            drop_database(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
