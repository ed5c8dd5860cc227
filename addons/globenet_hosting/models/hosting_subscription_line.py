# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HostingSubscriptionLine(models.Model):
    _name = "hosting.subscription.line"
    _description = "Hosting Subscription Line"
    _order = "subscription_id, sequence, id"
    _check_company_auto = True

    subscription_id = fields.Many2one(
        comodel_name="hosting.subscription",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="subscription_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="subscription_id.currency_id")
    product_id = fields.Many2one(
        comodel_name="product.product",
        required=True,
        check_company=True,
    )
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
    )
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
    )
    tax_ids = fields.Many2many(
        comodel_name="account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        check_company=True,
        help="Taxes of the product. On the invoice they follow the partner's "
        "fiscal position.",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True
    )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            line.name = line.product_id.display_name

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            if line.subscription_id.subscription_type == "purchase":
                line.price_unit = line.product_id.standard_price
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends("product_id", "subscription_id.subscription_type")
    def _compute_tax_ids(self):
        for line in self:
            if line.subscription_id.subscription_type == "purchase":
                taxes = line.product_id.supplier_taxes_id
            else:
                taxes = line.product_id.taxes_id
            line.tax_ids = taxes.filtered(
                lambda t, c=line.company_id: t.company_id == c
            )

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.currency_id.round(
                line.quantity * line.price_unit
            )

    def write(self, vals):
        if "price_unit" not in vals and "quantity" not in vals:
            return super().write(vals)
        old = {line: (line.quantity, line.price_unit) for line in self}
        res = super().write(vals)
        for line in self:
            if old[line] != (line.quantity, line.price_unit):
                line.subscription_id.message_post(
                    body=self.env._(
                        "%(line)s: %(old_qty)s × %(old_price)s → "
                        "%(new_qty)s × %(new_price)s, from the next period.",
                        line=line.name,
                        old_qty=old[line][0],
                        old_price=old[line][1],
                        new_qty=line.quantity,
                        new_price=line.price_unit,
                    )
                )
        return res
