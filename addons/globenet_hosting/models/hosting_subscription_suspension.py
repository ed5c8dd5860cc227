# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class HostingSubscriptionSuspension(models.Model):
    """One suspension of a subscription: its service stopped from
    ``date_start`` until the day before ``date_resume``. A period that lies
    wholly inside it is not invoiced."""

    _name = "hosting.subscription.suspension"
    _description = "Hosting Subscription Suspension"
    _order = "subscription_id, date_start desc, id desc"
    _check_company_auto = True

    subscription_id = fields.Many2one(
        comodel_name="hosting.subscription",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="subscription_id.company_id", store=True, index=True
    )
    date_start = fields.Date(
        string="Suspended On",
        required=True,
        readonly=True,
        help="First day without service.",
    )
    date_resume = fields.Date(
        string="Resumed On",
        readonly=True,
        help="First day of service again. Empty while the suspension lasts.",
    )

    _sql_constraints = [
        (
            "resume_after_start",
            "CHECK(date_resume IS NULL OR date_resume >= date_start)",
            "A subscription cannot be resumed before it was suspended.",
        ),
    ]
