# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..models.debt_plan import SCHEDULE_MODES


class DebtPlanRenegotiate(models.TransientModel):
    _name = "debt.plan.renegotiate"
    _description = "Renegotiate a Debt Repayment Plan"

    plan_id = fields.Many2one(
        comodel_name="debt.plan",
        required=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    amount_residual = fields.Monetary(
        related="plan_id.amount_residual",
        string="Unpaid Rest",
    )
    date = fields.Date(
        string="Renegotiation Date",
        required=True,
        default=fields.Date.context_today,
    )
    schedule_mode = fields.Selection(
        selection=SCHEDULE_MODES,
        string="Schedule By",
        required=True,
        default="amount",
    )
    instalment_amount = fields.Monetary()
    instalment_count = fields.Integer(string="Number of Instalments")
    first_due_date = fields.Date(required=True)
    reason = fields.Text(help="Agreement, court decision... Posted in the chatter.")

    def action_renegotiate(self):
        self.ensure_one()
        self.plan_id._renegotiate(
            self.first_due_date,
            self.schedule_mode,
            self.instalment_amount,
            self.instalment_count,
            date=self.date,
            reason=self.reason,
        )
        return {"type": "ir.actions.act_window_close"}
