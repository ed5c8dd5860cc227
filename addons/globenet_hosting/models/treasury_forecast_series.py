# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models, tools
from odoo.tools import SQL


class TreasuryForecastSeries(models.Model):
    """The forecast months of the budgets, one row per month and series
    (receipts, expenses, cash balance), so that a graph shows the three side
    by side: a graph view draws one measure at a time."""

    _name = "treasury.forecast.series"
    _description = "Treasury Forecast Series"
    _auto = False
    _order = "budget_id, date, series"

    budget_id = fields.Many2one(comodel_name="treasury.budget", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Month", readonly=True)
    series = fields.Selection(
        selection=[
            ("1_receipts", "Receipts"),
            ("2_expenses", "Expenses"),
            ("3_cash", "Cash at Month End"),
        ],
        readonly=True,
    )
    amount = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS
                SELECT line.id * 3 + s.offset_id AS id,
                       line.budget_id,
                       line.company_id,
                       line.date,
                       s.series,
                       CASE s.series
                           WHEN '1_receipts' THEN line.receipts
                           WHEN '2_expenses' THEN line.expenses
                           ELSE line.cash
                       END AS amount
                  FROM treasury_forecast_line line
                 CROSS JOIN (VALUES (0, '1_receipts'), (1, '2_expenses'),
                                    (2, '3_cash')) AS s(offset_id, series)
                """,
                view=SQL.identifier(self._table),
            )
        )
