# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class TreasuryForecastLine(models.Model):
    _name = "treasury.forecast.line"
    _description = "Treasury Forecast Month"
    _order = "budget_id, date, id"

    budget_id = fields.Many2one(
        comodel_name="treasury.budget",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="budget_id.currency_id")
    date = fields.Date(string="Month", required=True)
    receipts = fields.Monetary(string="Expected Receipts")
    expenses = fields.Monetary(string="Expected Expenses")
    net = fields.Monetary()
    cash = fields.Monetary(
        string="Cash at Month End",
        aggregator="max",
        help="Bank balance at the start of the budget month plus the cumulated "
        "expected net up to the end of this month.",
    )
