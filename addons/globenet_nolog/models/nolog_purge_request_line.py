# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from ..tools.units import format_size


class NologPurgeRequestLine(models.Model):
    _name = "nolog.purge.request.line"
    _description = "no-log Trash purge request line"
    _order = "trash_bytes desc, id"
    _rec_name = "address"

    request_id = fields.Many2one(
        "nolog.purge.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    mailbox_id = fields.Many2one("nolog.mailbox", required=True, ondelete="cascade")
    address = fields.Char(required=True)
    retention_days = fields.Integer(required=True)
    trash_bytes = fields.Float(string="Trash (bytes)", digits=(20, 0))
    trash_display = fields.Char(string="Trash", compute="_compute_trash_display")

    @api.depends("trash_bytes")
    @api.depends_context("lang")
    def _compute_trash_display(self):
        for line in self:
            line.trash_display = format_size(self.env, line.trash_bytes)

    def _command(self):
        self.ensure_one()
        return self.env["nolog.purge.request"]._shell_command(
            self.address, self.retention_days
        )
