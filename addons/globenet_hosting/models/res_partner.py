# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

RANK_FIELDS = ("customer_rank", "supplier_rank")


class ResPartner(models.Model):
    _inherit = "res.partner"

    hosting_legacy_ref = fields.Char(
        string="Legacy Reference",
        copy=False,
        index="btree_not_null",
        help="The member's reference in the old accounting base; a new import "
        "of the base finds the member by it.",
    )

    def _increase_rank(self, field, n=1):
        """While the recurring invoicing posts a run of invoices, note the
        ranks to add instead of updating them invoice by invoice; the run adds
        them once per partner (``account.move._hosting_post``)."""
        pending = self.env.context.get("hosting_pending_ranks")
        if pending is None or field not in RANK_FIELDS:
            return super()._increase_rank(field, n)
        for partner_id in self.ids:
            key = (field, partner_id)
            pending[key] = pending.get(key, 0) + n
        return None
