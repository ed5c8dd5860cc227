from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    hosting_invoice_post = fields.Boolean(
        string="Post Hosting Invoices",
        help="When set, the recurring invoicing posts the invoices it creates and "
        "queues them for sending by email. Otherwise it leaves them as drafts "
        "for the treasurer to check.",
    )
