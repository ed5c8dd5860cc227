# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Byte units.

Mailbox sizes use binary units, as Dovecot does: 1 MB = 1,048,576 bytes,
so a quota of 100 MB is Dovecot's ``100M``. Disk sizes use the decimal
units of the disk makers: 1 GB = 1,000,000,000 bytes.
"""

MB = 1024 * 1024
GB = 1024 * MB
DISK_GB = 1000**3

RAID_MIN_DISKS = {"0": 1, "1": 2, "5": 3, "6": 4, "10": 4}


def raid_data_disks(level, count):
    """Number of disks' worth of usable space for ``count`` disks in ``level``.

    Return None when the layout is impossible.
    """
    count = int(count or 0)
    if level not in RAID_MIN_DISKS or count < RAID_MIN_DISKS[level]:
        return None
    if level == "0":
        return count
    if level == "1":
        return 1
    if level == "5":
        return count - 1
    if level == "6":
        return count - 2
    if count % 2:
        return None
    return count // 2


def human_size(value, binary=True):
    """Short human text for a byte count: '152.3 MB', '1.2 GB', '512 B'."""
    value = float(value or 0)
    base = 1024 if binary else 1000
    units = ["B", "kB", "MB", "GB", "TB", "PB"]
    index = 0
    while abs(value) >= base and index < len(units) - 1:
        value /= base
        index += 1
    if index == 0:
        return f"{int(value)} B"
    return f"{value:,.1f} {units[index]}"
