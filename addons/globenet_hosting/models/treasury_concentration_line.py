# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class TreasuryConcentrationLine(models.Model):
    _name = "treasury.concentration.line"
    _description = "Treasury Customer Concentration"
    _order = "budget_id, share desc, id"
    _check_company_auto = True

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
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True
    )
    amount = fields.Monetary(string="Invoiced (12 months)")
    share = fields.Float(string="Share (%)", digits=(5, 2), aggregator="sum")
    is_risk = fields.Boolean(
        string="Dependency Risk",
        compute="_compute_is_risk",
        store=True,
        help="The customer's share of receipts is above the company's threshold.",
    )

    @api.depends("share", "company_id.treasury_concentration_threshold")
    def _compute_is_risk(self):
        for line in self:
            line.is_risk = line.share > line.company_id.treasury_concentration_threshold
