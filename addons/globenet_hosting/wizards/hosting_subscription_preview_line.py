# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HostingSubscriptionPreviewLine(models.TransientModel):
    _name = "hosting.subscription.preview.line"
    _description = "Hosting Invoicing Preview Line"
    _order = "invoice_date, subscription_id"

    preview_id = fields.Many2one(
        comodel_name="hosting.subscription.preview",
        required=True,
        ondelete="cascade",
    )
    subscription_id = fields.Many2one(
        comodel_name="hosting.subscription", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Invoiced Partner", readonly=True
    )
    period_start = fields.Date(readonly=True)
    period_end = fields.Date(readonly=True)
    invoice_date = fields.Date(readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed", readonly=True)
    amount_total = fields.Monetary(string="Total (estimated)", readonly=True)
