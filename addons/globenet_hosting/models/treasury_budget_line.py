# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

LINE_KINDS = [
    ("receipt_sepa", "Receipts: direct-debit hosting"),
    ("receipt_cheque", "Receipts: cheque hosting"),
    ("receipt_oneoff", "Receipts: one-off sales"),
    ("receipt_other", "Receipts: other"),
    ("expense_recurring", "Expenses: recurring"),
    ("expense_debt", "Expenses: debt instalments"),
    ("expense_other", "Expenses: other"),
]
RECEIPT_KINDS = [kind for kind, _label in LINE_KINDS if kind.startswith("receipt_")]


class TreasuryBudgetLine(models.Model):
    _name = "treasury.budget.line"
    _description = "Treasury Budget Line"
    _order = "budget_id, sequence, kind, id"
    _check_company_auto = True

    budget_id = fields.Many2one(
        comodel_name="treasury.budget",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="budget_id.currency_id")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        selection=LINE_KINDS, required=True, default="receipt_other"
    )
    direction = fields.Selection(
        selection=[("receipt", "Receipt"), ("expense", "Expense")],
        compute="_compute_direction",
        store=True,
    )
    name = fields.Char(string="Label", required=True)
    expected = fields.Monetary(help="Expected amount for the month, untaxed.")
    actual = fields.Monetary(help="Posted amount of the month, untaxed.")
    difference = fields.Monetary(
        compute="_compute_difference",
        store=True,
        help="Actual minus expected.",
    )
    expected_signed = fields.Monetary(
        compute="_compute_difference",
        store=True,
        help="Expected amount, positive for receipts and negative for expenses.",
    )
    actual_signed = fields.Monetary(compute="_compute_difference", store=True)
    source = fields.Selection(
        selection=[("computed", "Computed"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
        help="Computed lines are rebuilt by Compute; manual lines are kept.",
    )
    note = fields.Char()

    @api.depends("kind")
    def _compute_direction(self):
        for line in self:
            line.direction = "receipt" if line.kind in RECEIPT_KINDS else "expense"

    @api.depends("expected", "actual", "kind")
    def _compute_difference(self):
        for line in self:
            sign = 1 if line.kind in RECEIPT_KINDS else -1
            line.difference = line.actual - line.expected
            line.expected_signed = sign * line.expected
            line.actual_signed = sign * line.actual
