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
    kind = fields.Selection(
        [("history", "Measured"), ("forecast", "Forecast")],
        required=True,
        default="history",
        readonly=True,
    )

    _sql_constraints = [
        (
            "server_date_uniq",
            "unique(server_id, date, kind)",
            "One usage row per server, day and kind.",
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
                    server_id, company_id, date, used_bytes, used_gb, account_count,
                    kind)
                SELECT d.server_id, s.company_id, d.date, d.used, d.used / 1e9,
                       d.accounts, 'history'
                  FROM (%(series)s) d
                  JOIN nolog_server s ON s.id = d.server_id
                ON CONFLICT (server_id, date, kind) DO UPDATE
                   SET used_bytes = EXCLUDED.used_bytes,
                       used_gb = EXCLUDED.used_gb,
                       account_count = EXCLUDED.account_count
                """,
                series=series,
            )
        )
        self.invalidate_model()

    @api.model
    def _store_forecast(self, servers, horizon=365):
        """Replace the forecast rows of ``servers``: the fitted line from
        tomorrow to the day the fill threshold is reached (at most ``horizon``
        days), for the graph."""
        today = fields.Date.context_today(self)
        self.env.cr.execute(
            SQL(
                "DELETE FROM nolog_server_usage_daily"
                " WHERE kind = 'forecast' AND server_id IN %s",
                tuple(servers.ids) or (0,),
            )
        )
        rows = []
        for server in servers.filtered(lambda s: s.forecast_days_left >= 0):
            days = min(server.forecast_days_left, horizon)
            rows.append((server.id, server.company_id.id, days))
        if rows:
            fits = {
                server.id: (server.forecast_growth_bytes, server.forecast_today_bytes)
                for server in servers
            }
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO nolog_server_usage_daily (
                        server_id, company_id, date, used_bytes, used_gb,
                        account_count, kind)
                    SELECT v.server_id, v.company_id, %(today)s::date + n,
                           v.today_used + v.slope * n,
                           (v.today_used + v.slope * n) / 1e9, 0, 'forecast'
                      FROM (VALUES %(values)s) AS v(server_id, company_id, days,
                                                  slope, today_used)
                     CROSS JOIN LATERAL generate_series(1, v.days) AS n
                    """,
                    today=today,
                    values=SQL(", ").join(
                        SQL(
                            "(%s, %s, %s, %s::float, %s::float)",
                            server_id,
                            company_id,
                            days,
                            fits[server_id][0],
                            fits[server_id][1],
                        )
                        for server_id, company_id, days in rows
                    ),
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
