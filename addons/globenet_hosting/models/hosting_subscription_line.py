# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import format_date


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
        """The product's sales price (its cost for a recurring expense) in
        the subscription's currency, as Odoo prices an invoice line."""
        today = fields.Date.context_today(self)
        for line in self:
            sub = line.subscription_id
            if not line.product_id:
                line.price_unit = 0.0
                continue
            company = sub.company_id or self.env.company
            line.price_unit = line.product_id._get_tax_included_unit_price(
                company,
                sub.currency_id or company.currency_id,
                today,
                "purchase" if sub.subscription_type == "purchase" else "sale",
                product_uom=line.product_uom_id or line.product_id.uom_id,
            )

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

    def _get_invoice_taxes(self, fiscal_position):
        """The line's taxes as they go on the invoice: mapped by the fiscal
        position of the invoiced partner."""
        self.ensure_one()
        return fiscal_position.map_tax(self.tax_ids)

    def write(self, vals):
        if "price_unit" not in vals and "quantity" not in vals:
            return super().write(vals)
        old = {line: (line.quantity, line.price_unit) for line in self}
        res = super().write(vals)
        for line in self:
            if old[line] == (line.quantity, line.price_unit):
                continue
            sub = line.subscription_id
            first = sub._first_period_to_invoice()
            if first:
                end = sub._period_end(first)
                when = self.env._(
                    "from the period %(start)s–%(end)s, the first not invoiced yet",
                    start=format_date(self.env, first),
                    end=format_date(self.env, end),
                )
            else:
                when = self.env._("no period is left to invoice")
            sub.message_post(
                body=self.env._(
                    "%(line)s: %(old_qty)s × %(old_price)s → "
                    "%(new_qty)s × %(new_price)s, %(when)s.",
                    line=line.name,
                    old_qty=old[line][0],
                    old_price=old[line][1],
                    new_qty=line.quantity,
                    new_price=line.price_unit,
                    when=when,
                )
            )
        return res
