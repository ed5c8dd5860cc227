# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models


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
    mail_id = fields.Many2one(
        "mail.mail", string="Email in the queue", ondelete="set null"
    )
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
    # A copy of the email as it was queued: the mail queue deletes an email
    # once it is sent, and the operator must still see what went out.
    email_to = fields.Char(string="Recipients", readonly=True)
    email_subject = fields.Char(string="Subject", readonly=True)
    email_body = fields.Html(string="Email sent", readonly=True, sanitize_style=True)
    email_state = fields.Selection(
        [
            ("queued", "In the mail queue"),
            ("sent", "Handed to the mail server"),
            ("failed", "Failed"),
            ("not_queued", "Not queued"),
        ],
        string="Email status",
        compute="_compute_email_state",
        help="In the mail queue: not sent yet. Handed to the mail server: the "
        "mail queue sent it (and then deleted its own copy). Failed: the mail "
        "server refused it, see the mail queue. Not queued: the email could not "
        "be written, see the error.",
    )

    @api.depends("mail_id", "error")
    def _compute_email_state(self):
        # mail.mail is readable by administrators only: read its state with
        # sudo, after checking that the user may read these warnings
        self.check_access("read")
        states = {mail.id: mail.state for mail in self.mail_id.sudo().exists()}
        for warning in self:
            mail_state = states.get(warning.mail_id.id)
            if warning.error:
                warning.email_state = "not_queued"
            elif mail_state == "outgoing":
                warning.email_state = "queued"
            elif mail_state in ("exception", "cancel"):
                warning.email_state = "failed"
            else:
                # sent, or deleted by the mail queue once sent
                warning.email_state = "sent"

    @api.model_create_multi
    def create(self, vals_list):
        warnings = super().create(vals_list)
        # "warned" means a warning was sent: bring the mailboxes' state along
        warnings.mailbox_id._refresh_automatic_state()
        return warnings

    @api.model
    def _email_copy_vals(self, mail_id):
        """The recipients, subject and body of the queued email ``mail_id``."""
        mail = self.env["mail.mail"].sudo().browse(mail_id).exists()
        if not mail:
            return {}
        recipients = [mail.email_to] if mail.email_to else []
        recipients += [
            partner.email_formatted
            for partner in mail.recipient_ids
            if partner.email_formatted
        ]
        return {
            "email_to": ", ".join(recipients),
            "email_subject": mail.subject,
            "email_body": mail.body_html,
        }
