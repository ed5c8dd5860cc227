# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import fields, models


class NologServerKeyShow(models.TransientModel):
    """Shows a new mail server key once; only its hash is kept."""

    _name = "nolog.server.key.show"
    _description = "Show a new mail server key"

    server_id = fields.Many2one("nolog.server", required=True, readonly=True)
    key = fields.Char(readonly=True)
