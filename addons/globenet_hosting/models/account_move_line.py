# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    hosting_debt_plan_ids = fields.Many2many(
        comodel_name="debt.plan",
        relation="debt_plan_account_move_line_rel",
        column1="line_id",
        column2="plan_id",
        string="Debt Plans",
        readonly=True,
        copy=False,
        help="The debt repayment plans that settle this journal item.",
    )
