from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hosting_invoice_post = fields.Boolean(
        related="company_id.hosting_invoice_post",
        readonly=False,
    )
