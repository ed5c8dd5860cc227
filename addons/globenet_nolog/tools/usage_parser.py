# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Parsers for the usage reports sent by the mail servers.

Each parser yields, in file order, either a :class:`UsageRow` or a
:class:`UsageError`. Nothing here touches the database: the ingestion model
stages the rows and applies them with set-based SQL.

Row kinds:

* ``S``: total storage of a mailbox (bytes, optionally messages);
* ``M``: total message count of a mailbox (messages only);
* ``F``: one folder of a mailbox (bytes, optionally messages).

An error carries a code and its parameters; the ingestion model turns them
into a translated sentence (see ``REASONS`` for the English text).
"""

import csv
import json
import re
from collections import namedtuple

UsageRow = namedtuple(
    "UsageRow", "line address kind folder group size messages", defaults=(None,)
)
UsageError = namedtuple("UsageError", "line code params", defaults=(None,))

FORMATS = ("doveadm_tab", "doveadm_json", "du", "csv")

ADDRESS_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
MAX_BYTES = 2**62
MAX_MESSAGES = 2**31 - 1

FOLDER_GROUPS = {
    "inbox": "inbox",
    "trash": "trash",
    "bin": "trash",
    "deleted items": "trash",
    "deleted messages": "trash",
    "corbeille": "trash",
    "spam": "spam",
    "junk": "spam",
    "junk e-mail": "spam",
    "junk mail": "spam",
    "indésirables": "spam",
    "sent": "sent",
    "sent items": "sent",
    "sent mail": "sent",
    "sent messages": "sent",
    "envoyés": "sent",
    "éléments envoyés": "sent",
}
MAILDIR_ROOTS = {"maildir", "mail", "mails", "mdbox", "sdbox"}
CSV_HEADERS = {"address", "email", "mailbox", "user", "username", "adresse"}


def normalize_address(address):
    return (address or "").strip().lower()


def is_valid_address(address):
    return len(address) <= 254 and bool(ADDRESS_RE.match(address))


def folder_group(folder):
    """Folder group (inbox, trash, spam, sent, other) of a folder name."""
    name = folder.strip().strip("/").lstrip(".")
    lowered = name.lower()
    for prefix in ("inbox.", "inbox/"):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :]
            break
    first = re.split(r"[./]", lowered, maxsplit=1)[0] if lowered else ""
    if lowered == "inbox":
        return "inbox"
    return FOLDER_GROUPS.get(lowered) or FOLDER_GROUPS.get(first) or "other"


# English text of the error codes, for code outside Odoo and for reference;
# nolog.ingestion holds the translatable version of each.
REASONS = {
    "not_integer": "%(what)s is not a non-negative integer: %(value)s",
    "too_large": "%(what)s is too large: %(value)s",
    "invalid_address": "invalid address: %(value)s",
    "unknown_type": "unknown quota type: %(value)s",
    "tab_columns": "expected at least 4 tab-separated columns",
    "invalid_json": "invalid JSON: %(value)s",
    "json_list": "expected a JSON list of quota entries",
    "json_object": "entry is not a JSON object",
    "json_keys": "entry needs username, type and value",
    "du_columns": "expected '<bytes> <path>'",
    "du_address": "no address in path: %(value)s",
    "csv_columns": "expected address, bytes[, messages][, folder]",
}


def _shown(value, size=80):
    return repr(str(value)[:size])


def _int(value, maximum, what):
    """Parse a non-negative integer; return (value, error code, params)."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit():
        return None, "not_integer", {"what": what, "value": _shown(text, 40)}
    number = int(text)
    if number > maximum:
        return None, "too_large", {"what": what, "value": text[:40]}
    return number, None, None


def detect_format(text):
    """Guess the format of a report from its first non-empty line."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "doveadm_json"
    first = next((line for line in stripped.splitlines() if line.strip()), "")
    columns = first.split("\t")
    if columns[0].strip().lower() == "username" or (
        len(columns) >= 4 and columns[2].strip().upper() in ("STORAGE", "MESSAGE")
    ):
        return "doveadm_tab"
    if re.match(r"^\d+\s+/", first):
        return "du"
    return "csv"


def parse(text, fmt):
    """Parse ``text`` in format ``fmt``; yield UsageRow and UsageError items."""
    parser = {
        "doveadm_tab": _parse_doveadm_tab,
        "doveadm_json": _parse_doveadm_json,
        "du": _parse_du,
        "csv": _parse_csv,
    }[fmt]
    yield from parser(text)


def _doveadm_row(line, username, qtype, value):
    address = normalize_address(username)
    if not is_valid_address(address):
        return UsageError(line, "invalid_address", {"value": _shown(username)})
    qtype = str(qtype or "").strip().upper()
    if qtype == "STORAGE":
        kib, code, params = _int(value, MAX_BYTES // 1024, "value")
        if code:
            return UsageError(line, code, params)
        return UsageRow(line, address, "S", "", "", kib * 1024)
    if qtype == "MESSAGE":
        count, code, params = _int(value, MAX_MESSAGES, "value")
        if code:
            return UsageError(line, code, params)
        return UsageRow(line, address, "M", "", "", None, count)
    return UsageError(line, "unknown_type", {"value": _shown(qtype, 40)})


def _parse_doveadm_tab(text):
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        columns = raw.split("\t")
        if columns[0].strip().lower() == "username":
            continue
        if len(columns) < 4:
            yield UsageError(number, "tab_columns")
            continue
        yield _doveadm_row(number, columns[0], columns[2], columns[3])


def _parse_doveadm_json(text):
    try:
        data = json.loads(text)
    except ValueError as error:
        yield UsageError(
            getattr(error, "lineno", 1), "invalid_json", {"value": str(error)}
        )
        return
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        yield UsageError(1, "json_list")
        return
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            yield UsageError(number, "json_object")
            continue
        entry = {str(key).lower(): value for key, value in entry.items()}
        username = entry.get("username", entry.get("user"))
        if username is None or "type" not in entry or "value" not in entry:
            yield UsageError(number, "json_keys")
            continue
        yield _doveadm_row(number, username, entry["type"], entry["value"])


def _address_from_path(path):
    """Address and folder from a maildir path.

    ``/var/vmail/example.org/alice/Maildir/.Trash`` gives
    ``("alice@example.org", "Trash")``; a component holding an ``@`` is taken
    as the address itself.
    """
    parts = [part for part in path.strip().rstrip("/").split("/") if part]
    folder = ""
    if parts and parts[-1].startswith(".") and len(parts[-1]) > 1:
        folder = parts.pop()[1:]
    if parts and parts[-1].lower() in MAILDIR_ROOTS:
        parts.pop()
    for index in range(len(parts) - 1, -1, -1):
        if "@" in parts[index]:
            return parts[index], folder
    if len(parts) < 2:
        return None, folder
    return f"{parts[-1]}@{parts[-2]}", folder


def _parse_du(text):
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        pieces = raw.strip().split(None, 1)
        if len(pieces) != 2:
            yield UsageError(number, "du_columns")
            continue
        size, code, params = _int(pieces[0], MAX_BYTES, "size")
        if code:
            yield UsageError(number, code, params)
            continue
        username, folder = _address_from_path(pieces[1])
        address = normalize_address(username)
        if not username or not is_valid_address(address):
            yield UsageError(number, "du_address", {"value": _shown(pieces[1])})
            continue
        if folder:
            group = folder_group(folder)
            yield UsageRow(number, address, "F", folder, group, size)
        else:
            yield UsageRow(number, address, "S", "", "", size)


def _parse_csv(text):
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    first = True
    for number, columns in enumerate(reader, start=1):
        if not columns or not "".join(columns).strip():
            continue
        if first:
            first = False
            if columns[0].strip().lower() in CSV_HEADERS:
                continue
        if len(columns) < 2 or len(columns) > 4:
            yield UsageError(number, "csv_columns")
            continue
        address = normalize_address(columns[0])
        if not is_valid_address(address):
            yield UsageError(number, "invalid_address", {"value": _shown(columns[0])})
            continue
        size, code, params = _int(columns[1], MAX_BYTES, "bytes")
        if code:
            yield UsageError(number, code, params)
            continue
        messages = None
        if len(columns) >= 3 and columns[2].strip():
            messages, code, params = _int(columns[2], MAX_MESSAGES, "messages")
            if code:
                yield UsageError(number, code, params)
                continue
        folder = columns[3].strip() if len(columns) == 4 else ""
        if folder:
            yield UsageRow(
                number, address, "F", folder, folder_group(folder), size, messages
            )
        else:
            yield UsageRow(number, address, "S", "", "", size, messages)
