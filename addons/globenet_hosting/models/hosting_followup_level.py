# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class HostingFollowupLevel(models.Model):
    """One step of the follow-up of unpaid invoices: the email a member gets
    when an invoice is ``delay`` days late. Levels are sent in the order of
    their delays, never skipped, and never twice for one invoice."""

    _name = "hosting.followup.level"
    _description = "Unpaid Invoice Follow-up Level"
    _order = "company_id, delay, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    delay = fields.Integer(
        string="Days Late",
        required=True,
        help="Days after the due date of the invoice when this level is sent.",
    )
    message = fields.Text(
        required=True,
        translate=True,
        help="Opening text of the email, in the member's language.",
    )
    propose_suspension = fields.Boolean(
        help="Once this level is sent, the treasurer gets an activity proposing "
        "to suspend the member's subscription. Nothing is suspended "
        "automatically.",
    )
    activity_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Treasurer",
        default=lambda self: self.env.user,
        help="Receives the activity proposing the suspension.",
    )

    _sql_constraints = [
        (
            "delay_positive",
            "CHECK(delay > 0)",
            "A follow-up level is sent at least one day after the due date.",
        ),
        (
            "delay_company_uniq",
            "UNIQUE(company_id, delay)",
            "Two follow-up levels of a company cannot have the same delay.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        levels = super().create(vals_list)
        levels._recompute_followup_next()
        return levels

    def write(self, vals):
        companies = self.company_id
        res = super().write(vals)
        if {"delay", "active", "company_id"} & set(vals):
            self._recompute_followup_next(companies | self.company_id)
        return res

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        self._recompute_followup_next(companies)
        return res

    def _recompute_followup_next(self, companies=None):
        """The next step of open invoices depends on their company's levels."""
        companies = companies or self.company_id
        Move = self.env["account.move"]
        moves = Move.sudo().search(Move._hosting_followup_open_domain(companies))
        for name in ("hosting_followup_next_date", "hosting_followup_next_level_id"):
            self.env.add_to_compute(Move._fields[name], moves)
