# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL

from .hosting_subscription import PAYMENT_METHODS


class AccountMove(models.Model):
    _inherit = "account.move"

    hosting_subscription_id = fields.Many2one(
        comodel_name="hosting.subscription",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    hosting_period_start = fields.Date(readonly=True, copy=False)
    hosting_period_end = fields.Date(readonly=True, copy=False)
    hosting_payment_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Payment Method",
        copy=False,
        tracking=True,
        help="How the customer pays this invoice. Direct-debit batches select "
        "invoices by this field.",
    )
    hosting_send_pending = fields.Boolean(
        copy=False,
        readonly=True,
        help="Posted by the recurring invoicing and waiting to be emailed.",
    )

    sepa_line_ids = fields.One2many(
        comodel_name="sepa.direct.debit.batch.line",
        inverse_name="move_id",
        string="SEPA Direct Debits",
        readonly=True,
        copy=False,
    )

    @api.model
    def init(self):
        """One live invoice per subscription period, guaranteed by the database,
        whatever runs the invoicing (two workers, a retry, a manual click).
        A cancelled invoice frees its period."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_move_hosting_period_uniq "
                "ON account_move (hosting_subscription_id, hosting_period_start) "
                "WHERE hosting_subscription_id IS NOT NULL AND state != 'cancel'"
            )
        )
        return res

    def _get_invoice_in_payment_state(self):
        """An invoice debited by a SEPA batch stays "in payment" until the
        batch is marked collected (Community marks reconciled invoices paid at
        once; with the accountant module this is already 'in_payment')."""
        state = super()._get_invoice_in_payment_state()
        if (
            state == "paid"
            and len(self) == 1
            and any(line.state == "sent" for line in self.sudo().sepa_line_ids)
        ):
            return "in_payment"
        return state
