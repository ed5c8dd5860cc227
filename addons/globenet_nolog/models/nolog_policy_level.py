# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from ..tools.units import format_percent


class NologPolicyLevel(models.Model):
    _name = "nolog.policy.level"
    _description = "no-log warning level"
    _order = "policy_id, percent"

    policy_id = fields.Many2one(
        "nolog.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    percent = fields.Integer(
        string="Level (% of quota)",
        required=True,
        help="The warning is sent when usage reaches this share of the quota.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        required=True,
        domain=[("model", "=", "nolog.mailbox")],
    )

    _sql_constraints = [
        (
            "percent_uniq",
            "unique(policy_id, percent)",
            "Each warning level appears once per policy.",
        ),
        ("percent_positive", "CHECK(percent > 0)", "A level must be positive."),
    ]

    @api.depends("percent")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for level in self:
            level.display_name = format_percent(self.env, level.percent, digits=0)
