from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hosting_invoice_post = fields.Boolean(
        related="company_id.hosting_invoice_post",
        readonly=False,
    )
    treasury_concentration_threshold = fields.Float(
        related="company_id.treasury_concentration_threshold",
        readonly=False,
    )

    sepa_creditor_identifier = fields.Char(
        related="company_id.sepa_creditor_identifier",
        readonly=False,
    )
