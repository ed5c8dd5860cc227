# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    hosting_legacy_ref = fields.Char(
        string="Legacy Reference",
        copy=False,
        index="btree_not_null",
        help="The member's reference in the old accounting base; a new import "
        "of the base finds the member by it.",
    )
