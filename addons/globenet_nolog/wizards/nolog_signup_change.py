# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class NologSignupChange(models.TransientModel):
    """Open or close signups, for one server or the whole service, with the
    reason that goes to the log."""

    _name = "nolog.signup.change"
    _description = "Open or close no-log signups"

    server_id = fields.Many2one(
        "nolog.server", help="Leave empty for the whole service."
    )
    open = fields.Boolean(string="Open signups")
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        if self.server_id:
            self.server_id._set_signup_open(self.open, self.reason)
        else:
            self.env.company._nolog_set_signup_open(self.open, self.reason)
        return {"type": "ir.actions.act_window_close"}
