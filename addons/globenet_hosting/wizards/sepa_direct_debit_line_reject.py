# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SepaDirectDebitLineReject(models.TransientModel):
    _name = "sepa.direct.debit.line.reject"
    _description = "Reject a SEPA Direct Debit"

    line_id = fields.Many2one(
        comodel_name="sepa.direct.debit.batch.line",
        required=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(related="line_id.move_id")
    amount = fields.Monetary(related="line_id.amount")
    currency_id = fields.Many2one(related="line_id.currency_id")
    reason = fields.Text(
        required=True,
        help="The bank's reason code and text, e.g. AM04 insufficient funds.",
    )

    def action_reject(self):
        self.ensure_one()
        self.line_id._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
