# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _update_last_login(self):
        # a member's logins are not recorded (see res_device_log.py)
        if self.env.user.share:
            return
        return super()._update_last_login()
