# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models
from odoo.tools import SQL


class NologServerUsageDaily(models.Model):
    """The daily used bytes and accounts of each server: one row per server
    and day, rolled up from the usage history when a report arrives.

    The forecast and its graph read these few rows (400 a server) instead of
    the millions of mailbox rows of the history."""

    _name = "nolog.server.usage.daily"
    _description = "no-log server daily usage"
    _log_access = False
    _order = "date"
    _rec_name = "date"

    server_id = fields.Many2one(
        "nolog.server", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="server_id.company_id", store=True)
    date = fields.Date(required=True, readonly=True)
    used_bytes = fields.Float(
        string="Used (bytes)", digits=(20, 0), readonly=True, aggregator="sum"
    )
    used_gb = fields.Float(
        string="Used (GB)", digits=(16, 1), readonly=True, aggregator="sum"
    )
    account_count = fields.Integer(string="Accounts", readonly=True, aggregator="sum")

    _sql_constraints = [
        (
            "server_date_uniq",
            "unique(server_id, date)",
            "One usage row per server and day.",
        ),
    ]

    @api.model
    def _refresh(self, server_ids=None, since=None):
        """Roll the usage history up into one row per server and day, from
        ``since`` on (everything when None), in one statement."""
        self.env["nolog.usage.history"].flush_model()
        self.env["nolog.mailbox"].flush_model(["server_id"])
        series = self.env["nolog.server"]._daily_series_sql(server_ids, since)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO nolog_server_usage_daily (
                    server_id, company_id, date, used_bytes, used_gb, account_count)
                SELECT d.server_id, s.company_id, d.date, d.used, d.used / 1e9,
                       d.accounts
                  FROM (%(series)s) d
                  JOIN nolog_server s ON s.id = d.server_id
                ON CONFLICT (server_id, date) DO UPDATE
                   SET used_bytes = EXCLUDED.used_bytes,
                       used_gb = EXCLUDED.used_gb,
                       account_count = EXCLUDED.account_count
                """,
                series=series,
            )
        )
        self.invalidate_model()

    def init(self):
        # A database upgraded with history already has its roll-up filled once.
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM nolog_server_usage_daily LIMIT 1"))
        if cr.fetchone():
            return
        cr.execute(SQL("SELECT 1 FROM nolog_usage_history LIMIT 1"))
        if cr.fetchone():
            self._refresh()
