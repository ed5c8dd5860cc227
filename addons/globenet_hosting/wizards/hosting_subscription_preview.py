# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models


class HostingSubscriptionPreview(models.TransientModel):
    """Dry run of the recurring invoicing: what the next run would invoice,
    and for how much, without creating anything."""

    _name = "hosting.subscription.preview"
    _description = "Hosting Invoicing Preview"

    date = fields.Date(
        string="Invoicing Date",
        required=True,
        default=fields.Date.context_today,
        help="Show what a run of the scheduled action on this day would invoice.",
    )
    subscription_ids = fields.Many2many(
        comodel_name="hosting.subscription",
        string="Subscriptions",
        help="Leave empty to preview every active subscription.",
    )
    line_ids = fields.One2many(
        comodel_name="hosting.subscription.preview.line",
        inverse_name="preview_id",
        readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_totals")
    amount_untaxed = fields.Monetary(compute="_compute_totals")
    amount_total = fields.Monetary(compute="_compute_totals")
    currency_id = fields.Many2one(
        comodel_name="res.currency", default=lambda self: self.env.company.currency_id
    )

    @api.depends("line_ids.amount_untaxed", "line_ids.amount_total")
    def _compute_totals(self):
        for preview in self:
            lines = preview.line_ids.filtered(
                lambda line, c=preview.currency_id: line.currency_id == c
            )
            preview.invoice_count = len(preview.line_ids)
            preview.amount_untaxed = sum(lines.mapped("amount_untaxed"))
            preview.amount_total = sum(lines.mapped("amount_total"))

    def action_compute(self):
        self.ensure_one()
        Subscription = self.env["hosting.subscription"]
        if self.subscription_ids:
            subs = self.subscription_ids.filtered_domain(
                Subscription._get_due_domain(self.date)
            )
        else:
            subs = Subscription.search(Subscription._get_due_domain(self.date))
        invoiced = subs._get_invoiced_period_starts()
        fiscal_positions = subs._get_fiscal_positions()
        commands = [Command.clear()]
        for sub in subs:
            for start, end, invoice_date in sub._get_due_periods(self.date):
                if (sub.id, start) in invoiced:
                    continue
                untaxed, total = sub._estimate_period_amounts(fiscal_positions[sub])
                commands.append(
                    Command.create(
                        {
                            "subscription_id": sub.id,
                            "partner_id": sub.invoice_partner_id.id,
                            "period_start": start,
                            "period_end": end,
                            "invoice_date": invoice_date,
                            "currency_id": sub.currency_id.id,
                            "amount_untaxed": untaxed,
                            "amount_total": total,
                        }
                    )
                )
        self.line_ids = commands
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
