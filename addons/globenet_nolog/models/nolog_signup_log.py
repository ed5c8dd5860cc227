# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class NologSignupLog(models.Model):
    """Every opening or closing of signups: who or what changed it, and why."""

    _name = "nolog.signup.log"
    _description = "no-log signup change"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    server_id = fields.Many2one(
        "nolog.server",
        ondelete="cascade",
        index=True,
        readonly=True,
        help="Empty for the whole service.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    open = fields.Boolean(string="Signups open", readonly=True)
    reason = fields.Text(required=True, readonly=True)
    automatic = fields.Boolean(
        readonly=True, help="Changed by the scheduled capacity check."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Changed by",
        readonly=True,
        default=lambda self: self.env.user,
    )
