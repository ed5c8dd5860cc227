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
