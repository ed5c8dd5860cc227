# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    """Tell the debt plans when the journal items they settle are
    reconciled or unreconciled, so that their instalments follow."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["debt.plan"]._settled_lines_reconciled(
            partials.debit_move_id | partials.credit_move_id
        )
        return partials

    def unlink(self):
        lines = self.debit_move_id | self.credit_move_id
        res = super().unlink()
        self.env["debt.plan"]._settled_lines_reconciled(lines)
        return res
