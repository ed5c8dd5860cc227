# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""What a member sees of a mailbox: the portal chart and the webmail widget.

The widget token is ``<mailbox id>.<expiry, unix seconds>.<signature>``, the
signature an HMAC-SHA256 of the first two parts keyed by the database secret
(``odoo.tools.misc.hmac``). The expiry is inside the signed part: changing it
breaks the signature.
"""

import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq
from odoo.tools.misc import format_date, hmac

from ..tools.units import format_percent, format_size

WIDGET_TOKEN_SCOPE = "globenet_nolog.widget"
WIDGET_TOKEN_SECONDS = 300
CHART_DAYS = 90
CHART_WIDTH = 600
CHART_HEIGHT = 160


class NologMailbox(models.Model):
    _inherit = "nolog.mailbox"

    # --- webmail widget --------------------------------------------------
    def _widget_payload(self):
        """The usage of the mailbox as the webmail draws it."""
        self.ensure_one()
        env = self.env
        folders = {
            "inbox": self.inbox_bytes,
            "trash": self.trash_bytes,
            "spam": self.spam_bytes,
            "sent": self.sent_bytes,
            "other": self.other_bytes,
        }
        return {
            "address": self.address,
            "state": self.state,
            "usage_bytes": int(self.usage_bytes),
            "quota_bytes": int(self.quota_bytes),
            "percent": round(self.quota_percent, 1),
            "usage_display": format_size(env, self.usage_bytes),
            "quota_display": format_size(env, self.quota_bytes),
            "percent_display": format_percent(env, self.quota_percent),
            "last_report": fields.Date.to_string(self.usage_date) or None,
            "folders": {name: int(size) for name, size in folders.items()},
        }

    def _widget_token(self, seconds=WIDGET_TOKEN_SECONDS):
        """A token that reads this mailbox's usage for ``seconds``."""
        self.ensure_one()
        expiry = int(time.time()) + int(seconds)
        message = f"{self.id}.{expiry}"
        signature = hmac(self.env(su=True), WIDGET_TOKEN_SCOPE, message)
        return f"{message}.{signature}"

    @api.model
    def _widget_check_token(self, token):
        """Return ``(mailbox, error)``: the mailbox, or an empty set and
        ``"invalid"`` (forged or malformed) or ``"expired"``.

        The signature is checked first, in constant time: an expiry is
        believed only once it is known to be Odoo's.
        """
        empty = self.browse()
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return empty, "invalid"
        message = f"{parts[0]}.{parts[1]}"
        expected = hmac(self.env(su=True), WIDGET_TOKEN_SCOPE, message)
        if not consteq(expected, parts[2]):
            return empty, "invalid"
        if int(parts[1]) <= time.time():
            return empty, "expired"
        mailbox = self.sudo().browse(int(parts[0])).exists()
        if not mailbox:
            return empty, "invalid"
        return mailbox, None

    # --- portal chart ----------------------------------------------------
    def _portal_usage_chart(self, days=CHART_DAYS):
        """The last ``days`` days of usage, drawn as an inline SVG.

        Returns the values the template needs: a polyline's points, the quota
        line's height, and the labels of the axes in the reader's language.
        No script and no library: the page draws it as it loads.
        """
        self.ensure_one()
        end = self.usage_date or fields.Date.context_today(self)
        start = end - timedelta(days=days - 1)
        rows = (
            self.env["nolog.usage.history"]
            .sudo()
            .search_fetch(
                [
                    ("mailbox_id", "=", self.id),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["date", "usage_bytes"],
                order="date",
            )
        )
        if not rows:
            return {}
        quota = self.quota_bytes
        top = max(max(rows.mapped("usage_bytes")), quota, 1.0) * 1.05
        span = max(days - 1, 1)

        def x_of(date):
            return round((date - start).days * CHART_WIDTH / span, 1)

        def y_of(size):
            return round(CHART_HEIGHT - size * CHART_HEIGHT / top, 1)

        points = " ".join(f"{x_of(row.date)},{y_of(row.usage_bytes)}" for row in rows)
        env = self.env
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "points": points,
            "area": f"{x_of(rows[0].date)},{CHART_HEIGHT} {points} "
            f"{x_of(rows[-1].date)},{CHART_HEIGHT}",
            "quota_y": y_of(quota) if quota else None,
            "day_count": len(rows),
            "start_label": format_date(env, start),
            "end_label": format_date(env, end),
            "top_label": format_size(env, top),
            "quota_label": format_size(env, quota),
            "first_label": format_size(env, rows[0].usage_bytes),
            "last_label": format_size(env, rows[-1].usage_bytes),
        }

    def _portal_notices(self):
        """Warnings sent and closure or suspension notices, newest first."""
        self.ensure_one()
        return self.sudo().warning_ids.sorted("sent_date", reverse=True)[:10]
