# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmLeadHostingLine(models.Model):
    """A hosting service asked for in a request: it becomes a subscription
    line when the request is won."""

    _name = "crm.lead.hosting.line"
    _description = "Hosting Request Service"
    _order = "lead_id, sequence, id"

    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Hosting Request",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    currency_id = fields.Many2one(related="lead_id.company_currency")
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        required=True,
        domain="[('hosting_service_type', '!=', False), ('sale_ok', '=', True)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        help="Price of one period of the request's recurrence.",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True
    )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    def _prepare_subscription_line_vals(self):
        """Values of the subscription line this service becomes."""
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "quantity": self.quantity,
            "price_unit": self.price_unit,
        }
