# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HostingSubscriptionClose(models.TransientModel):
    _name = "hosting.subscription.close"
    _description = "Close Hosting Subscriptions"

    subscription_ids = fields.Many2many(
        comodel_name="hosting.subscription",
        string="Subscriptions",
        required=True,
    )
    date_end = fields.Date(
        string="Closing Date",
        required=True,
        default=fields.Date.context_today,
        help="Last day of service. The period containing it is still invoiced; "
        "nothing after it is.",
    )
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if (
            self.env.context.get("active_model") == "hosting.subscription"
            and "subscription_ids" in fields_list
        ):
            res["subscription_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return res

    def action_close(self):
        self.ensure_one()
        self.subscription_ids.check_access("write")
        self.subscription_ids._close(self.date_end, self.reason)
        return {"type": "ir.actions.act_window_close"}
