# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models
from odoo.tools import consteq


class NologClosureCampaignLine(models.Model):
    """One mailbox notified by a campaign: its dates and what became of it."""

    _name = "nolog.closure.campaign.line"
    _description = "no-log mailbox notified by a closure campaign"
    _order = "campaign_id desc, mailbox_id"
    _rec_name = "mailbox_id"

    campaign_id = fields.Many2one(
        "nolog.closure.campaign", required=True, ondelete="cascade", index=True
    )
    mailbox_id = fields.Many2one(
        "nolog.mailbox", required=True, ondelete="cascade", index=True
    )
    state = fields.Selection(
        [("notified", "Notified"), ("kept", "Kept"), ("closed", "Closed")],
        required=True,
        default="notified",
        readonly=True,
    )
    closure_date = fields.Date(readonly=True)
    next_reminder_date = fields.Date(readonly=True)
    last_reminder_date = fields.Date(readonly=True)
    reminder_count = fields.Integer(string="Reminders sent", readonly=True)
    usage_bytes = fields.Float(
        string="Usage at launch (bytes)", digits=(20, 0), readonly=True
    )

    _sql_constraints = [
        (
            "campaign_mailbox_uniq",
            "unique(campaign_id, mailbox_id)",
            "A mailbox is notified once per campaign.",
        ),
    ]

    def _check_keep_token(self, token):
        """True when ``token`` signs this line and the closure is still ahead."""
        self.ensure_one()
        if not token or self.state != "notified" or not self.closure_date:
            return False
        if self.closure_date < fields.Date.context_today(self):
            return False
        expected = self.campaign_id._keep_token(self.id, self.mailbox_id.id)
        return consteq(expected, token)

    def _request_keep(self, reason=None, channel="link"):
        """Record the member's request (one pending request per line)."""
        self.ensure_one()
        Request = self.env["nolog.keep.request"]
        pending = Request.search(
            [("line_id", "=", self.id), ("state", "=", "pending")], limit=1
        )
        if pending:
            if reason:
                pending.reason = reason
            return pending
        request = Request.create(
            {"line_id": self.id, "reason": reason or False, "channel": channel}
        )
        self.mailbox_id.message_post(
            body=self.env._(
                "The member asked to keep this mailbox (campaign %(name)s); "
                "a manager decides.",
                name=self.campaign_id.name,
            )
        )
        return request
