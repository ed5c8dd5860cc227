# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# (key, label, required): what a legacy file's columns can fill.
LEGACY_TARGETS = [
    ("legacy_ref", "Legacy reference", True),
    ("name", "Member name", True),
    ("email", "Email", False),
    ("street", "Street", False),
    ("zip", "Zip", False),
    ("city", "City", False),
    ("product", "Product (internal reference or name)", True),
    ("quantity", "Quantity", False),
    ("price", "Unit price", True),
    ("recurrence", "Recurrence", False),
    ("payment_method", "Payment method", True),
    ("date_start", "Start date", True),
    ("next_invoice_date", "Next invoice date", True),
    ("iban", "IBAN", False),
    ("bic", "BIC", False),
    ("mandate_ref", "Mandate reference", False),
    ("mandate_date", "Mandate signature date", False),
    ("balance", "Opening balance", False),
]


class HostingLegacyImportMapping(models.Model):
    """Which column of the old base's files fills which field. Saved once,
    used by every later import."""

    _name = "hosting.legacy.import.mapping"
    _description = "Legacy Import Column Mapping"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    col_legacy_ref = fields.Char(string="Legacy reference column", required=True)
    col_name = fields.Char(string="Member name column", required=True)
    col_email = fields.Char(string="Email column")
    col_street = fields.Char(string="Street column")
    col_zip = fields.Char(string="Zip column")
    col_city = fields.Char(string="City column")
    col_product = fields.Char(string="Product column", required=True)
    col_quantity = fields.Char(string="Quantity column")
    col_price = fields.Char(string="Unit price column", required=True)
    col_recurrence = fields.Char(string="Recurrence column")
    col_payment_method = fields.Char(string="Payment method column", required=True)
    col_date_start = fields.Char(string="Start date column", required=True)
    col_next_invoice_date = fields.Char(
        string="Next invoice date column", required=True
    )
    col_iban = fields.Char(string="IBAN column")
    col_bic = fields.Char(string="BIC column")
    col_mandate_ref = fields.Char(string="Mandate reference column")
    col_mandate_date = fields.Char(string="Mandate date column")
    col_balance = fields.Char(string="Opening balance column")

    def _columns(self):
        """{target key: column header} of the mapped targets."""
        self.ensure_one()
        return {
            key: self[f"col_{key}"].strip()
            for key, _label, _required in LEGACY_TARGETS
            if self[f"col_{key}"] and self[f"col_{key}"].strip()
        }
