# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class NologWarning(models.Model):
    """A warning email sent to a mailbox, kept to respect the intervals."""

    _name = "nolog.warning"
    _description = "no-log quota warning"
    _order = "sent_date desc, id desc"
    _rec_name = "mailbox_id"

    mailbox_id = fields.Many2one(
        "nolog.mailbox", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="mailbox_id.company_id", store=True)
    server_id = fields.Many2one(related="mailbox_id.server_id")
    level_id = fields.Many2one("nolog.policy.level", ondelete="set null", index=True)
    percent = fields.Integer(string="Level (%)")
    sent_date = fields.Datetime(
        string="Sent on", required=True, default=fields.Datetime.now, index=True
    )
    usage_bytes = fields.Float(string="Usage (bytes)", digits=(20, 0))
    quota_percent = fields.Float(string="Quota used (%)", digits=(16, 1))
    mail_template_id = fields.Many2one("mail.template", string="Template")
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    manual = fields.Boolean(
        string="Sent by an operator",
        help="Sent from the operator screen rather than by the daily check.",
    )
    error = fields.Text(
        readonly=True,
        help="Why the warning could not be queued; it is tried again after the "
        "policy's interval.",
    )
    user_id = fields.Many2one(
        "res.users", string="Sent by", default=lambda self: self.env.user
    )
