# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# SEPA creditor identifier (EPC262-08): country code, two check digits, a
# three-character creditor business code (ZZZ when unused), then the national
# identifier, which is six characters in France (the "ICS").
CREDITOR_ID_RE = re.compile(r"^([A-Z]{2})([0-9]{2})([A-Z0-9]{3})([A-Z0-9]{1,28})$")
CREDITOR_ID_NATIONAL_LENGTH = {"FR": 6}


def normalize_creditor_identifier(value):
    return re.sub(r"\s+", "", value or "").upper()


def is_valid_creditor_identifier(value):
    """Check a SEPA creditor identifier as EPC262-08 defines it.

    The check digits are ISO 7064 MOD 97-10 over the national identifier
    followed by the country code and the check digits, the business code being
    left out, and letters being read as numbers (A=10 ... Z=35), as for an IBAN.
    """
    match = CREDITOR_ID_RE.match(normalize_creditor_identifier(value))
    if not match:
        return False
    country, check_digits, _business_code, national_id = match.groups()
    expected_length = CREDITOR_ID_NATIONAL_LENGTH.get(country)
    if expected_length and len(national_id) != expected_length:
        return False
    digits = "".join(str(int(char, 36)) for char in national_id + country)
    return int(digits + check_digits) % 97 == 1


class ResCompany(models.Model):
    _inherit = "res.company"

    hosting_invoice_post = fields.Boolean(
        string="Post Hosting Invoices",
        help="When set, the recurring invoicing posts the invoices it creates and "
        "queues them for sending by email. Otherwise it leaves them as drafts "
        "for the treasurer to check.",
    )
    treasury_concentration_threshold = fields.Float(
        string="Customer Dependency Threshold (%)",
        default=5.0,
        help="A customer whose share of the receipts of the last 12 months is "
        "above this percentage is flagged as a dependency risk in the budget.",
    )

    sepa_creditor_identifier = fields.Char(
        string="SEPA Creditor Identifier",
        help="Identifiant créancier SEPA (ICS) given by the bank, e.g. "
        "FR72ZZZ123456. It is written in every direct-debit file.",
    )

    @api.constrains("sepa_creditor_identifier")
    def _check_sepa_creditor_identifier(self):
        for company in self:
            value = company.sepa_creditor_identifier
            if value and not is_valid_creditor_identifier(value):
                raise ValidationError(
                    self.env._(
                        "The SEPA creditor identifier %(value)s of %(company)s is "
                        "not valid: expected a country code, two check digits, "
                        "a three-character business code and the national "
                        "identifier, e.g. FR72ZZZ123456, with correct check "
                        "digits.",
                        value=value,
                        company=company.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("sepa_creditor_identifier"):
                vals["sepa_creditor_identifier"] = normalize_creditor_identifier(
                    vals["sepa_creditor_identifier"]
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("sepa_creditor_identifier"):
            vals["sepa_creditor_identifier"] = normalize_creditor_identifier(
                vals["sepa_creditor_identifier"]
            )
        return super().write(vals)
