# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class HostingFollowupPortal(CustomerPortal):
    """The member's home page lists their overdue invoices with how to pay
    them. Read with the member's own rights: the invoice record rules of the
    portal let them read only their commercial partner's invoices."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:  # the home page itself, not the counters' JSON call
            values["hosting_overdue_invoices"] = self._hosting_overdue_invoices()
        return values

    def _hosting_overdue_invoices(self):
        Move = request.env["account.move"]
        if not Move.has_access("read"):
            return Move
        partner = request.env.user.partner_id.commercial_partner_id
        return Move.search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", fields.Date.context_today(Move)),
                ("commercial_partner_id", "=", partner.id),
                # repaid under an agreed payment plan: on the debts page
                ("hosting_followup_stop", "!=", "plan"),
            ],
            order="invoice_date_due, id",
        )
