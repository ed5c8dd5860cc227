# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class NologMailboxWarn(models.TransientModel):
    """Targeted warning sent by an operator to a selection of mailboxes."""

    _name = "nolog.mailbox.warn"
    _description = "Send a warning to mailboxes"

    mailbox_ids = fields.Many2many("nolog.mailbox", string="Mailboxes", required=True)
    mailbox_count = fields.Integer(
        string="Mailboxes selected", compute="_compute_mailbox_count"
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "nolog.mailbox")],
        help="Leave empty to use, for each mailbox, the template of the level it "
        "reached.",
    )

    @api.depends("mailbox_ids")
    def _compute_mailbox_count(self):
        for wizard in self:
            wizard.mailbox_count = len(wizard.mailbox_ids)

    def action_send(self):
        self.ensure_one()
        self.env["nolog.mailbox"]._check_operator()
        self.mailbox_ids.check_access("write")
        sent = 0
        for mailbox in self.mailbox_ids:
            template = (
                self.mail_template_id or mailbox.warning_level_id.mail_template_id
            )
            if not template:
                continue
            mailbox._send_warning(template, mailbox.warning_level_id, manual=True)
            sent += 1
        if not sent:
            raise UserError(
                self.env._(
                    "No mailbox reached a warning level: choose a template to send."
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s warning(s) queued.", count=sent),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
