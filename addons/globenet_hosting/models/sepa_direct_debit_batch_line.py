# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import UserError


class SepaDirectDebitBatchLine(models.Model):
    _name = "sepa.direct.debit.batch.line"
    _description = "SEPA Direct Debit Transaction"
    _order = "batch_id, partner_id, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="sepa.direct.debit.batch",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id",
        store=True,
        index=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        related="move_id.commercial_partner_id",
        store=True,
        string="Member",
    )
    mandate_id = fields.Many2one(
        comodel_name="sepa.mandate",
        ondelete="restrict",
        check_company=True,
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary(required=True)
    sequence_type = fields.Selection(
        selection=[("FRST", "First"), ("RCUR", "Recurring")],
        help="Sequence type written in the file for this debit.",
    )
    end_to_end_id = fields.Char(string="End-to-end Reference", readonly=True)
    payment_id = fields.Many2one(
        comodel_name="account.payment",
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "To Collect"),
            ("sent", "In Payment"),
            ("collected", "Collected"),
            ("rejected", "Rejected"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
    )
    reject_reason = fields.Text(readonly=True)

    def action_reject(self):
        self.ensure_one()
        if self.state not in ("sent", "collected"):
            raise UserError(
                self.env._("Only a debit sent to the bank can be rejected.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Direct Debit"),
            "res_model": "sepa.direct.debit.line.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    def _reject(self, reason):
        """Record the bank's rejection: cancel the payment so that the invoice
        is open again, put the mandate back to first debit if this was its only
        one, and ask the treasurer to follow the invoice up."""
        self.check_access("write")
        for line in self:
            if line.state not in ("sent", "collected"):
                raise UserError(
                    self.env._(
                        "The debit of %(invoice)s is not in payment.",
                        invoice=line.move_id.display_name,
                    )
                )
            line.write({"state": "rejected", "reject_reason": reason})
            if line.payment_id and line.payment_id.state != "canceled":
                line.payment_id.action_cancel()
            mandate = line.mandate_id
            if (
                line.sequence_type == "FRST"
                and mandate
                and not mandate.batch_line_ids.filtered(
                    lambda other: other.state in ("sent", "collected")
                )
            ):
                mandate.sequence_type = "FRST"
            line.move_id.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("SEPA direct debit rejected"),
                note=self.env._(
                    "The direct debit of batch %(batch)s was rejected: %(reason)s",
                    batch=line.batch_id.name,
                    reason=reason,
                ),
                user_id=(line.batch_id.user_id or self.env.user).id,
            )
            line.batch_id.message_post(
                body=self.env._(
                    "Debit of %(invoice)s rejected: %(reason)s",
                    invoice=line.move_id.display_name,
                    reason=reason,
                )
            )
            # The member is reminded at once, with the bank's reason.
            line.move_id._hosting_followup_start(reason)
