# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    nolog_history_days = fields.Integer(
        string="Usage history kept (days)",
        config_parameter="globenet_nolog.history_days",
        default=400,
    )
    nolog_capacity_alert_days = fields.Integer(
        string="Capacity alert (days)",
        config_parameter="globenet_nolog.capacity_alert_days",
        default=60,
    )
    nolog_signup_open = fields.Boolean(
        related="company_id.nolog_signup_open", string="no-log signups open"
    )
    nolog_signup_closed_message = fields.Html(
        related="company_id.nolog_signup_closed_message", readonly=False
    )
