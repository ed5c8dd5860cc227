# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, create_index
from odoo.tools.sql import column_exists, create_column, table_exists

DEFAULT_HISTORY_DAYS = 400


class NologUsageHistory(models.Model):
    """One compact row per mailbox and day, written by the ingestion."""

    _name = "nolog.usage.history"
    _description = "no-log daily mailbox usage"
    _log_access = False
    _order = "date desc, mailbox_id"
    _rec_name = "date"

    mailbox_id = fields.Many2one(
        "nolog.mailbox", required=True, ondelete="cascade", index=False
    )
    company_id = fields.Many2one(related="mailbox_id.company_id", store=True)
    date = fields.Date(required=True)
    usage_bytes = fields.Float(string="Usage (bytes)", digits=(20, 0), aggregator="max")
    usage_mb = fields.Float(
        string="Usage (MB)", digits=(16, 1), compute="_compute_usage_mb"
    )
    message_count = fields.Integer(string="Messages", aggregator="max")
    trash_bytes = fields.Float(string="Trash (bytes)", digits=(20, 0), aggregator="max")

    _sql_constraints = [
        (
            "mailbox_date_uniq",
            "unique(mailbox_id, date)",
            "One usage row per mailbox and day.",
        ),
    ]

    def _auto_init(self):
        # The company became a stored field after rows existed: fill it in one
        # statement, as the ORM would recompute the whole table row by row.
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(
            cr, self._table, "company_id"
        ):
            create_column(cr, self._table, "company_id", "int4")
            cr.execute(
                SQL(
                    """
                    UPDATE nolog_usage_history h
                       SET company_id = m.company_id
                      FROM nolog_mailbox m
                     WHERE m.id = h.mailbox_id
                    """
                )
            )
        return super()._auto_init()

    def init(self):
        # a BRIN index is tiny and nearly free to maintain on rows that arrive
        # in date order; it serves the nightly purge of old rows
        create_index(
            self.env.cr,
            "nolog_usage_history_date_brin",
            self._table,
            ["date"],
            method="brin",
        )

    @api.depends("usage_bytes")
    def _compute_usage_mb(self):
        for row in self:
            row.usage_mb = row.usage_bytes / (1024 * 1024)

    @api.model
    def _history_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("globenet_nolog.history_days", DEFAULT_HISTORY_DAYS)
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_HISTORY_DAYS

    @api.model
    def _cron_purge_old(self, batch_size=50000):
        """Delete rows older than the kept period, in bounded batches."""
        limit_date = fields.Date.context_today(self) - timedelta(
            days=self._history_days()
        )
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM nolog_usage_history
                 WHERE id IN (
                        SELECT id FROM nolog_usage_history
                         WHERE date < %s LIMIT %s)
                """,
                limit_date,
                batch_size,
            )
        )
        done = self.env.cr.rowcount
        remaining = 0
        if done == batch_size:
            remaining = self.search_count([("date", "<", limit_date)])
        self.invalidate_model()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
