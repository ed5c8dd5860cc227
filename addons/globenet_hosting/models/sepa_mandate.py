# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

try:
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException
except ImportError:  # pragma: no cover - declared in external_dependencies
    _logger.debug("schwifty is not installed")
    BIC = IBAN = None
    SchwiftyException = ValueError


# EPC: a mandate reference has at most 35 characters of the SEPA Latin subset.
MANDATE_REFERENCE_RE = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]{1,35}$")


def sepa_iban_error(env, value):
    """Return why ``value`` is not a valid IBAN, or False when it is."""
    if not value:
        return env._("no IBAN")
    try:
        IBAN(value)
    except SchwiftyException as error:
        return env._("invalid IBAN %(iban)s (%(error)s)", iban=value, error=error)
    return False


def sepa_bic_error(env, value):
    """Return why ``value`` is not a valid BIC, or False when it is."""
    try:
        BIC(value)
    except SchwiftyException as error:
        return env._("invalid BIC %(bic)s (%(error)s)", bic=value, error=error)
    return False


class SepaMandate(models.Model):
    _name = "sepa.mandate"
    _description = "SEPA Direct Debit Mandate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "signature_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Mandate Reference",
        required=True,
        copy=False,
        tracking=True,
        default=lambda self: self.env._("New"),
        help="Unique mandate reference (RUM), written in every debit. Left to "
        "New, it is taken from the mandate sequence when saved.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Member",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    partner_bank_id = fields.Many2one(
        comodel_name="res.partner.bank",
        string="Bank Account",
        required=True,
        tracking=True,
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The member's account (IBAN) that is debited.",
    )
    iban = fields.Char(
        string="IBAN",
        related="partner_bank_id.acc_number",
    )
    bic = fields.Char(
        string="BIC",
        compute="_compute_bic",
        store=True,
        readonly=False,
        tracking=True,
        help="BIC of the member's bank; filled from the bank account or, for "
        "French banks, derived from the IBAN.",
    )
    signature_date = fields.Date(
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    sequence_type = fields.Selection(
        selection=[("FRST", "First"), ("RCUR", "Recurring")],
        required=True,
        default="FRST",
        tracking=True,
        help="First until a first debit has been sent to the bank under this "
        "mandate, recurring afterwards.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("valid", "Valid"),
            ("revoked", "Revoked"),
            ("expired", "Expired"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    batch_line_ids = fields.One2many(
        comodel_name="sepa.direct.debit.batch.line",
        inverse_name="mandate_id",
        string="Debits",
        readonly=True,
    )
    last_debit_date = fields.Date(readonly=True, copy=False)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A mandate reference must be unique per company.",
        ),
    ]

    @api.depends("partner_bank_id")
    def _compute_bic(self):
        for mandate in self:
            bank = mandate.partner_bank_id
            bic = bank.bank_bic
            if not bic and bank.acc_number:
                try:
                    bic = IBAN(bank.acc_number).bic
                except SchwiftyException:
                    bic = False
            mandate.bic = str(bic) if bic else False

    @api.constrains("partner_bank_id", "bic")
    def _check_iban_bic(self):
        for mandate in self:
            error = sepa_iban_error(self.env, mandate.partner_bank_id.acc_number)
            if not error and mandate.bic:
                error = sepa_bic_error(self.env, mandate.bic)
            if error:
                raise ValidationError(
                    self.env._(
                        "Mandate %(mandate)s: %(error)s.",
                        mandate=mandate.name,
                        error=error,
                    )
                )

    @api.constrains("name")
    def _check_name(self):
        for mandate in self:
            if not MANDATE_REFERENCE_RE.match(mandate.name or ""):
                raise ValidationError(
                    self.env._(
                        "The mandate reference %(reference)s is not valid: at most "
                        "35 characters among letters without accents, digits, "
                        "spaces and / - ? : ( ) . , ' +",
                        reference=mandate.name,
                    )
                )

    @api.constrains("partner_id", "partner_bank_id")
    def _check_partner_bank(self):
        for mandate in self:
            bank_partner = mandate.partner_bank_id.partner_id.commercial_partner_id
            if bank_partner != mandate.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Mandate %(mandate)s: the bank account %(account)s does "
                        "not belong to %(partner)s.",
                        mandate=mandate.name,
                        account=mandate.partner_bank_id.display_name,
                        partner=mandate.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) in (self.env._("New"), "New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sepa.mandate"
                ) or self.env._("New")
        return super().create(vals_list)

    def _reset_after_cancelled_debits(self, first_mandates):
        """After debits of these mandates were cancelled: one of
        ``first_mandates`` (whose cancelled debit was its first) without any
        debit left at the bank is first again; the last debit date is that
        of the latest debit still standing."""
        for mandate in self:
            standing = mandate.batch_line_ids.filtered(
                lambda line: line.state in ("sent", "collected")
            )
            vals = {
                "last_debit_date": max(
                    standing.batch_id.mapped("collection_date"), default=False
                )
            }
            if not standing and mandate in first_mandates:
                vals["sequence_type"] = "FRST"
            mandate.write(vals)

    def action_validate(self):
        self.write({"state": "valid"})

    def action_revoke(self):
        self.write({"state": "revoked"})

    def action_expire(self):
        self.write({"state": "expired"})

    def action_draft(self):
        self.write({"state": "draft"})
