# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class NologKeepRequest(models.Model):
    """A member asks to keep a mailbox that a campaign is closing.

    Recorded from the signed link of the notice or the portal button; a
    manager decides. A kept mailbox leaves the campaign.
    """

    _name = "nolog.keep.request"
    _description = "no-log request to keep a mailbox"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "mailbox_id"

    line_id = fields.Many2one(
        "nolog.closure.campaign.line", required=True, ondelete="cascade", index=True
    )
    mailbox_id = fields.Many2one(related="line_id.mailbox_id", store=True)
    campaign_id = fields.Many2one(related="line_id.campaign_id", store=True)
    closure_date = fields.Date(related="line_id.closure_date")
    reason = fields.Text(help="What the member wrote.")
    channel = fields.Selection(
        [("link", "Link in the email"), ("portal", "Portal")],
        required=True,
        default="link",
    )
    state = fields.Selection(
        [("pending", "To decide"), ("accepted", "Kept"), ("refused", "Refused")],
        required=True,
        default="pending",
        readonly=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text()

    def _check_decider(self):
        self.env["nolog.mailbox"]._check_manager(
            self.env._("Only a no-log manager may decide on a keep request.")
        )
        if self.filtered(lambda request: request.state != "pending"):
            raise UserError(self.env._("This request was already decided."))

    def action_accept(self):
        """Keep the mailboxes: they leave their campaign and go back to the
        state their usage gives."""
        self._check_decider()
        self.write(
            {
                "state": "accepted",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        lines = self.line_id.filtered(lambda line: line.state == "notified")
        lines.flush_recordset()
        if lines:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE nolog_closure_campaign_line
                       SET state = 'kept', next_reminder_date = NULL
                     WHERE id IN %s
                    """,
                    tuple(lines.ids),
                )
            )
            lines.invalidate_recordset()
        mailboxes = lines.mailbox_id
        mailboxes.write({"closure_date": False, "closure_campaign_id": False})
        for mailbox in mailboxes:
            mailbox.action_reopen()
            mailbox.message_post(
                body=self.env._(
                    "Kept: the request to keep this mailbox was accepted by "
                    "%(user)s; it leaves the campaign %(name)s.",
                    user=self.env.user.name,
                    name=self.campaign_id.filtered(
                        lambda c, m=mailbox: m in c.line_ids.mailbox_id
                    )[:1].name,
                )
            )

    def action_refuse(self):
        self._check_decider()
        self.write(
            {
                "state": "refused",
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        for request in self:
            request.mailbox_id.message_post(
                body=self.env._(
                    "Request to keep this mailbox refused by %(user)s.",
                    user=self.env.user.name,
                )
            )
