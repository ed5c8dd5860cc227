# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    nolog_signup_open = fields.Boolean(
        string="no-log signups open",
        default=True,
        readonly=True,
        help="Signups for the whole service; changed by a no-log manager, "
        "each change logged.",
    )
    nolog_signup_closed_message = fields.Html(
        string="Signups closed message",
        translate=True,
        sanitize=True,
        help="Shown on the public signup page while signups are closed: why, "
        "and links to other hosts.",
    )

    def _nolog_set_signup_open(self, is_open, reason):
        """Open or close the signups of the whole service, and log it."""
        self.env["nolog.server"]._check_signup_manager()
        for company in self.filtered(lambda c: c.nolog_signup_open != is_open):
            company.sudo().nolog_signup_open = is_open
            self.env["nolog.signup.log"].sudo().create(
                {"company_id": company.id, "open": is_open, "reason": reason}
            )
