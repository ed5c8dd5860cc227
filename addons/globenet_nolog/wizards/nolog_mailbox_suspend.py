# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class NologMailboxSuspend(models.TransientModel):
    """Suspension is a human decision: who took it and why are recorded."""

    _name = "nolog.mailbox.suspend"
    _description = "Suspend mailboxes"

    mailbox_ids = fields.Many2many("nolog.mailbox", string="Mailboxes", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.mailbox_ids.check_access("write")
        self.mailbox_ids._suspend(self.reason)
        return {"type": "ir.actions.act_window_close"}
