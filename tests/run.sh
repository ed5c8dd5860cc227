#!/usr/bin/env bash
# The project's single test command: bash tests/run.sh [extra pytest arguments]
#
# 1. Creates a fresh database globenet_test_<timestamp>_<pid> and installs
#    globenet_hosting and globenet_nolog in it, without demo data. Any WARNING,
#    ERROR or CRITICAL line in the install log fails the run.
# 2. Runs, in one pytest invocation, the addons' Odoo tests (through pytest-odoo)
#    and the end-to-end tests of tests/ (which start a real Odoo server and drive
#    it over XML-RPC). Odoo's logs go to files; WARNING/ERROR lines in them fail
#    the run too (tests/odoo_log_allowlist.txt lists accepted exceptions).
# 3. Drops the database, also on failure or interruption.
#
# Odoo 18.0 must be importable by $PYTHON (default python3). Otherwise, when a
# Docker engine answers, the script runs itself inside the docker compose stack
# (docker-compose.yml mounts tests/, addons/ and requirements.txt there).
# Otherwise it fails at once: tests are never skipped because Odoo is missing.
#
# PostgreSQL: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER ($USER),
# PGPASSWORD (empty). The role needs CREATEDB and must not be "postgres".
# Other knobs: PYTHON, GLOBENET_ADDONS_DIR (default <repo>/addons),
# GLOBENET_TEST_MODULES (default globenet_hosting,globenet_nolog),
# GLOBENET_TEST_LOG_DIR (default <repo>/logs/<database>).
set -euo pipefail

TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$TESTS_DIR")
ADDONS_DIR=${GLOBENET_ADDONS_DIR:-$REPO_DIR/addons}
MODULES=${GLOBENET_TEST_MODULES:-globenet_hosting,globenet_nolog}
PYTHON=${PYTHON:-python3}
export TZ=UTC  # as odoo-bin does: Odoo expects its processes to run in UTC

say() { printf 'run.sh: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 2
}

odoo_18_importable() {
    "$PYTHON" -c 'import sys, odoo.release as r; sys.exit(r.version_info[:2] != (18, 0))' \
        >/dev/null 2>&1
}

# --- Where is Odoo? -----------------------------------------------------------
if ! odoo_18_importable; then
    if [ -n "${GLOBENET_TEST_IN_DOCKER:-}" ]; then
        die "FAIL: Odoo 18.0 is not importable by $PYTHON inside the container."
    fi
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        say "Odoo 18.0 is not importable by $PYTHON: running the tests in the docker compose stack"
        cd "$REPO_DIR"
        exec docker compose run --rm -T \
            --entrypoint bash \
            -e PGHOST=db -e PGPORT=5432 -e PGUSER=odoo -e PGPASSWORD=odoo \
            -e GLOBENET_ADDONS_DIR=/mnt/extra-addons \
            -e GLOBENET_TEST_MODULES="$MODULES" \
            -e GLOBENET_TEST_IN_DOCKER=1 \
            odoo /mnt/tests/run.sh "$@"
    fi
    cat >&2 <<EOF
run.sh: FAIL: Odoo 18.0 is missing.
  '$PYTHON -c "import odoo"' does not give Odoo 18.0, and no Docker engine answers
  'docker info'. The tests need one of them; they are never skipped. Either:
  - start a Docker engine (with the compose plugin): this script then runs the
    tests inside the stack of docker-compose.yml (image odoo:18.0, postgres:16); or
  - install Odoo 18.0 from source, as Odoo's documentation describes
    (https://www.odoo.com/documentation/18.0/administration/on_premise/source.html):
      git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git
      pip install -e ./odoo   # plus its system dependencies and a PostgreSQL server
    then: pip install -r requirements.txt
EOF
    exit 2
fi

# --- Python test dependencies --------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/globenet_test.XXXXXX")
if ! "$PYTHON" -c 'import pytest_odoo' >/dev/null 2>&1; then
    if [ -n "${GLOBENET_TEST_IN_DOCKER:-}" ]; then
        say "installing the test requirements in the container"
        "$PYTHON" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
            --break-system-packages --target "$WORK/pydeps" -r /mnt/requirements.txt
        export PYTHONPATH="$WORK/pydeps${PYTHONPATH:+:$PYTHONPATH}"
    else
        rm -rf "$WORK"
        die "FAIL: pytest-odoo is not importable by $PYTHON: pip install -r $REPO_DIR/requirements.txt"
    fi
fi

# --- PostgreSQL and the test database -------------------------------------------
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-${USER:-$(id -un)}}
PGPASSWORD=${PGPASSWORD:-}
if [ -n "$PGPASSWORD" ]; then export PGPASSWORD; fi
if [ "$PGUSER" = postgres ]; then
    rm -rf "$WORK"
    die "FAIL: Odoo refuses to connect as the role 'postgres': set PGUSER to a role with CREATEDB"
fi

DB="globenet_test_$(date +%Y%m%d%H%M%S)_$$"
if [ -n "${GLOBENET_TEST_LOG_DIR:-}" ]; then
    LOG_DIR=$GLOBENET_TEST_LOG_DIR
elif [ -w "$REPO_DIR" ]; then
    LOG_DIR=$REPO_DIR/logs/$DB
else
    LOG_DIR=$WORK/logs
fi
mkdir -p "$LOG_DIR"

pg_admin() {  # run one SQL statement on the maintenance database "postgres"
    "$PYTHON" - "$1" <<'EOF'
import sys

import psycopg2

connection = psycopg2.connect(dbname="postgres")  # PGHOST, PGPORT, ... from the env
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(sys.argv[1])
connection.close()
EOF
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if ! pg_admin "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"; then
        say "WARNING: could not drop database $DB"
        [ "$rc" -ne 0 ] || rc=1
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ODOO_ADDONS=$("$PYTHON" - <<'EOF'
import os

import odoo

package = os.path.dirname(odoo.__file__)
candidates = [os.path.join(os.path.dirname(package), "addons"), os.path.join(package, "addons")]
print(",".join(
    path for path in candidates
    if os.path.isdir(path) and any(
        os.path.isfile(os.path.join(path, name, "__manifest__.py")) for name in os.listdir(path)
    )
))
EOF
)
[ -d "$ADDONS_DIR" ] || die "FAIL: no addons directory $ADDONS_DIR"
ADDONS_PATH="$ODOO_ADDONS,$(cd "$ADDONS_DIR" && pwd)"

CONF=$WORK/odoo.conf
(
    umask 077
    cat >"$CONF" <<EOF
[options]
addons_path = $ADDONS_PATH
data_dir = $WORK/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
db_name = $DB
dbfilter = ^$DB\$
list_db = False
http_interface = 127.0.0.1
max_cron_threads = 0
workers = 0
without_demo = all
log_level = info
EOF
)

ODOO_DB_ARGS=(--db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER")
if [ -n "$PGPASSWORD" ]; then ODOO_DB_ARGS+=(--db_password="$PGPASSWORD"); fi

say "Odoo $("$PYTHON" -c 'import odoo.release as r; print(r.version)') from $("$PYTHON" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')"
say "database $DB on $PGUSER@$PGHOST:$PGPORT; logs in $LOG_DIR"

# --- 1. Install ------------------------------------------------------------------
say "installing $MODULES (without demo data)..."
start=$SECONDS
if ! "$PYTHON" -m odoo server --config="$CONF" "${ODOO_DB_ARGS[@]}" \
    --database="$DB" --init="$MODULES" --without-demo=all --stop-after-init \
    --logfile="$LOG_DIR/install.log" --log-level=info; then
    say "FAIL: the install of $MODULES failed; end of $LOG_DIR/install.log:"
    tail -n 60 "$LOG_DIR/install.log" >&2 || true
    exit 1
fi
if ! "$PYTHON" "$TESTS_DIR/check_odoo_log.py" "$LOG_DIR/install.log" >&2; then
    say "FAIL: the install log has WARNING/ERROR lines (above)"
    exit 1
fi
# A module that failed to load does not always make odoo exit non-zero.
missing=$("$PYTHON" - "$DB" "$MODULES" <<'EOF'
import sys

import psycopg2

db, modules = sys.argv[1], sys.argv[2].split(",")
with psycopg2.connect(dbname=db) as connection, connection.cursor() as cursor:
    cursor.execute(
        "SELECT name FROM ir_module_module WHERE name = ANY(%s) AND state = 'installed'",
        (modules,),
    )
    installed = {row[0] for row in cursor.fetchall()}
print(" ".join(sorted(set(modules) - installed)))
EOF
)
[ -z "$missing" ] || die "FAIL: not installed after the install step: $missing"
say "installed in $((SECONDS - start)) s"

# --- 2. Tests ----------------------------------------------------------------------
test_paths=()
IFS=, read -r -a module_list <<<"$MODULES"
for module in "${module_list[@]}"; do
    if [ -d "$ADDONS_DIR/$module/tests" ]; then test_paths+=("$ADDONS_DIR/$module/tests"); fi
done
test_paths+=("$TESTS_DIR")

export GLOBENET_TEST_DB=$DB
export GLOBENET_TEST_ODOO_CONFIG=$CONF
export GLOBENET_TEST_ADDONS_PATH=$ADDONS_PATH
export GLOBENET_TEST_LOG_DIR=$LOG_DIR

pytest_rc=0
"$PYTHON" -m pytest -c "$TESTS_DIR/pytest.ini" --rootdir="$REPO_DIR" -p no:cacheprovider \
    --odoo-database="$DB" --odoo-config="$CONF" --odoo-log-level=info --odoo-http \
    --odoo-extra="logfile=$LOG_DIR/tests.log" \
    "${test_paths[@]}" "$@" || pytest_rc=$?

log_rc=0
test_logs=("$LOG_DIR/tests.log")
for log in "$LOG_DIR"/e2e-server*.log; do
    if [ -e "$log" ]; then test_logs+=("$log"); fi
done
"$PYTHON" "$TESTS_DIR/check_odoo_log.py" --allow "$TESTS_DIR/odoo_log_allowlist.txt" \
    "${test_logs[@]}" >&2 || log_rc=$?

if [ "$pytest_rc" -eq 5 ]; then
    say "FAIL: pytest collected no test"
fi
if [ "$log_rc" -ne 0 ]; then
    say "FAIL: Odoo logged WARNING/ERROR lines during the tests (above; logs in $LOG_DIR)"
    [ "$pytest_rc" -ne 0 ] || exit 1
fi
exit "$pytest_rc"
