# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

RANK_FIELDS = ("customer_rank", "supplier_rank")


class ResPartner(models.Model):
    _inherit = "res.partner"

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
