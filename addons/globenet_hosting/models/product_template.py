from odoo import fields, models

SERVICE_TYPES = [
    ("shared_hosting", "Shared hosting"),
    ("virtual_server", "Virtual server"),
    ("domain", "Domain name"),
    ("modem_rental", "Modem rental"),
    ("mailbox", "Mailbox"),
    ("other", "Other"),
]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    hosting_service_type = fields.Selection(
        selection=SERVICE_TYPES,
        help="Kind of hosting service this product stands for. Leave empty for "
        "products that are not hosting services.",
    )
