"""Fail when an Odoo log file holds WARNING, ERROR or CRITICAL records.

Usage: python3 tests/check_odoo_log.py [--allow FILE] LOG [LOG ...]

An Odoo log record starts with "YYYY-MM-DD HH:MM:SS,mmm PID LEVEL DB LOGGER: ...";
the lines that follow it without a timestamp (tracebacks) belong to it. Each
offending record is printed whole (up to 40 lines). With --allow, records that
match one of the regular expressions of FILE (one a line, '#' starts a comment)
are accepted: keep that list empty unless a line is really expected.
Exit status: 0 when clean, 1 when an offending record was found, 2 on bad usage.
"""

import argparse
import re
import sys
from pathlib import Path

RECORD = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ (?P<level>[A-Z]+) "
)
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
MAX_LINES = 40


def read_allowlist(path):
    if not path:
        return []
    patterns = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            patterns.append(re.compile(line))
    return patterns


def records(path):
    current = None
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            match = RECORD.match(line)
            if match:
                if current:
                    yield current
                current = (match["level"], [line])
            elif current:
                current[1].append(line)
            elif line.strip():
                # Output before the first record (e.g. a crash before logging
                # was set up) counts as an error.
                current = ("ERROR", [line])
    if current:
        yield current


def check(path, allowed):
    bad = 0
    for level, lines in records(path):
        if level not in BAD_LEVELS:
            continue
        text = "\n".join(lines)
        if any(pattern.search(text) for pattern in allowed):
            continue
        bad += 1
        shown = lines[:MAX_LINES]
        if len(lines) > MAX_LINES:
            shown.append(f"    [... {len(lines) - MAX_LINES} more lines]")
        print(f"{path}: {level}")
        print("\n".join(shown))
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allow", help="file of regular expressions to accept")
    parser.add_argument("logs", nargs="+")
    args = parser.parse_args()
    allowed = read_allowlist(args.allow)
    bad = 0
    for log in args.logs:
        if not Path(log).is_file():
            print(f"{log}: missing log file")
            bad += 1
            continue
        bad += check(log, allowed)
    if bad:
        print(f"{bad} offending log record(s) (WARNING, ERROR or CRITICAL)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
