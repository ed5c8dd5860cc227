"""Time the loading of Globenet's sample data (tools/load-sample).

Creates a fresh database (both addons, no Odoo demo data, French loaded),
then runs tools/load-sample on it twice: the first run loads everything (30,000
mailboxes and their 90 days of history included), the second must find it all
and change nothing. Prints the seconds and the peak memory (RSS) of each run.
Drops the database at the end unless --keep-db.

    python3 bench/sample_load.py [--db NAME --keep-db]
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "load-sample"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"bench_sample_{os.getpid()}")
    parser.add_argument("--keep-db", action="store_true", help="do not drop it")
    parser.add_argument("--reuse", action="store_true", help="--db already exists")
    return parser.parse_args()


def addons_path():
    import odoo

    package = Path(odoo.__file__).resolve().parent
    paths = [
        path
        for path in (package.parent / "addons", package / "addons")
        if path.is_dir() and any(path.glob("*/__manifest__.py"))
    ]
    return ",".join(str(path) for path in [*paths, REPO / "addons"])


def odoo_db_args():
    args = [f"--db_host={os.environ['PGHOST']}", f"--db_user={os.environ['PGUSER']}"]
    if os.environ.get("PGPORT"):
        args.append(f"--db_port={os.environ['PGPORT']}")
    if os.environ.get("PGPASSWORD"):
        args.append(f"--db_password={os.environ['PGPASSWORD']}")
    return args


def timed(command):
    """Run ``command``; return its seconds and its peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far: a smaller later run shows as 'n/a'
    return seconds, peak / 1024 if peak > before else None


def main():
    args = parse_args()
    os.environ.setdefault("PGHOST", "127.0.0.1")
    os.environ.setdefault("PGUSER", "root")
    try:
        if not args.reuse:
            seconds, _peak = timed(
                [
                    sys.executable,
                    "-m",
                    "odoo",
                    "-d",
                    args.db,
                    f"--addons-path={addons_path()}",
                    *odoo_db_args(),
                    "-i",
                    "globenet_hosting,globenet_nolog",
                    "--without-demo=all",
                    "--load-language=fr_FR",
                    "--stop-after-init",
                    "--no-http",
                    "--log-level=warn",
                ]
            )
            print(f"install (both addons, fr_FR, no demo): {seconds:7.1f} s")
        for label in ("first load", "second load"):
            seconds, peak = timed([sys.executable, str(TOOL), args.db])
            memory = f"{peak:7.0f} MB" if peak else "    n/a"
            print(f"tools/load-sample, {label:11}: {seconds:7.1f} s, peak RSS {memory}")
    finally:
        if not args.keep_db:
            subprocess.run(
                ["dropdb", "--if-exists", "--force", args.db],
                check=False,
            )


if __name__ == "__main__":
    main()
