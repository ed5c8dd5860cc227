# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from odoo import api, fields, models
from odoo.tools import format_date, formatLang

MAX_MONTHS = 60


class DebtPlanSummary(models.TransientModel):
    """When will we have paid most of our debts? A screen over
    ``debt.plan._get_debt_summary`` for the monthly accounting point."""

    _name = "debt.plan.summary"
    _description = "Debt Summary"

    date_from = fields.Date(
        string="From",
        required=True,
        default=fields.Date.context_today,
    )
    months = fields.Integer(required=True, default=12)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    summary_html = fields.Html(
        string="Summary",
        compute="_compute_summary_html",
        sanitize=False,
    )

    @api.depends("date_from", "months", "company_id")
    def _compute_summary_html(self):
        for wizard in self:
            if not wizard.date_from or not wizard.company_id or wizard.months < 1:
                wizard.summary_html = False
                continue
            summary = self.env["debt.plan"]._get_debt_summary(
                wizard.date_from,
                months=min(wizard.months, MAX_MONTHS),
                company=wizard.company_id,
            )
            wizard.summary_html = self.env["ir.qweb"]._render(
                "globenet_hosting.debt_plan_summary_table",
                wizard._prepare_summary_values(summary),
            )

    def _prepare_summary_values(self, summary):
        currency = summary["currency"]

        def amount(value):
            return formatLang(self.env, value, currency_obj=currency)

        def month(value):
            return format_date(self.env, value, date_format="MMMM y") if value else ""

        directions = ("payable", "receivable")
        return {
            "outstanding": [amount(summary["outstanding"][d]) for d in directions],
            "late": [amount(summary["late"][d]) for d in directions],
            "payoff": [month(summary["payoff_month"][d]) for d in directions],
            "rows": [
                {
                    "date": format_date(self.env, row["date"]),
                    "amounts": [amount(row[d]) for d in directions],
                }
                for row in summary["month_ends"]
            ],
            "plans": [
                {
                    "name": row["plan"].name,
                    "partner": row["partner"].display_name,
                    "payable": row["direction"] == "payable",
                    "residual": amount(row["residual"]),
                    "payoff": month(row["payoff_month"]),
                }
                for row in sorted(
                    summary["plans"],
                    key=lambda r: (r["direction"], r["payoff_date"] or date.max),
                )
            ],
        }
