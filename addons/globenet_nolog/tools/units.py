# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Byte units.

Mailbox sizes use binary units, as Dovecot does: 1 MB = 1,048,576 bytes,
so a quota of 100 MB is Dovecot's ``100M``. Disk sizes use the decimal
units of the disk makers: 1 GB = 1,000,000,000 bytes.
"""

from odoo.tools.misc import formatLang, get_lang

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


SIZE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def _unit_label(env, unit):
    """The unit's symbol in the reader's language: 'MB' in English, 'Mo' in French."""
    labels = {
        # Single letters are not translatable in Odoo: bytes are spelt out.
        "B": env._("bytes"),
        "kB": env._("kB"),
        "MB": env._("MB"),
        "GB": env._("GB"),
        "TB": env._("TB"),
        "PB": env._("PB"),
    }
    return labels[unit]


def format_number(env, value, digits=1):
    """A number in the reader's language: '1,748.0' in English, '1 748,0' in French.

    The decimal point and the thousands separator come from the ``res.lang``
    record of the environment's language, through Odoo's ``formatLang``.
    """
    return formatLang(env, float(value or 0), digits=digits)


def format_size(env, value, binary=True, unit=None, digits=1):
    """A byte count as text in the reader's language.

    '110.0 MB' and '1,748.0 GB' in English, '110,0 Mo' and '1 748,0 Go' in
    French. Without ``unit``, the largest unit that keeps the number at 1 or
    more is used; with ``unit`` (one of SIZE_UNITS) the size is given in it.
    ``binary`` chooses 1024 (mailboxes, as Dovecot) or 1000 (disks) as base.
    The number and its unit are joined by a no-break space.
    """
    value = float(value or 0)
    base = 1024 if binary else 1000
    if unit:
        index = SIZE_UNITS.index(unit)
        value /= base**index
    else:
        index = 0
        while abs(value) >= base and index < len(SIZE_UNITS) - 1:
            value /= base
            index += 1
    if index == 0:
        digits = 0
    # Without a language in the context, formatLang falls back on the
    # company's: the unit must follow the same language as the number.
    code = get_lang(env).code
    if env.lang != code:
        env = env(context=dict(env.context, lang=code))
    number = format_number(env, value, digits=digits)
    return f"{number}\N{NO-BREAK SPACE}{_unit_label(env, SIZE_UNITS[index])}"


def format_percent(env, value, digits=1):
    """A percentage in the reader's language: '95,0 %' in French.

    The number and the sign are joined by a no-break space.
    """
    return f"{format_number(env, value, digits=digits)}\N{NO-BREAK SPACE}%"
