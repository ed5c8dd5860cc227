# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class NologIngestionUpload(models.TransientModel):
    _name = "nolog.ingestion.upload"
    _description = "Upload a mailbox usage report"

    server_id = fields.Many2one("nolog.server", required=True)
    report_file = fields.Binary(string="Report", required=True)
    filename = fields.Char()
    file_format = fields.Selection(
        [
            ("auto", "Detect"),
            ("doveadm_tab", "doveadm -f tab quota get -A"),
            ("doveadm_json", "doveadm -f json quota get -A"),
            ("du", "du -sb per maildir"),
            ("csv", "CSV: address, bytes[, messages][, folder]"),
        ],
        string="Format",
        required=True,
        default="auto",
    )
    create_unknown = fields.Boolean(
        string="Create unknown addresses",
        help="Register the addresses of the report that are not in the registry, "
        "with the server's default policy.",
    )
    apply_valid_only = fields.Boolean(
        string="Apply valid lines only",
        help="By default nothing is applied when a line is bad.",
    )
    ingestion_id = fields.Many2one(
        "nolog.ingestion",
        string="Last attempt",
        readonly=True,
        help="The report last imported from this window, when it was rejected.",
    )
    ingestion_state = fields.Selection(related="ingestion_id.state")
    ingestion_errors = fields.Text(related="ingestion_id.errors")

    def action_import(self):
        self.ensure_one()
        self.env["nolog.mailbox"]._check_operator()
        self.env["nolog.ingestion"].check_access("create")
        self.env["nolog.mailbox"].check_access("write")
        # the report is applied with sudo below: the user must read the server
        # (the record rules keep out the servers of the user's other companies)
        self.server_id.check_access("read")
        if self.create_unknown and not self.server_id.policy_id:
            raise UserError(
                self.env._(
                    "Set a default policy on the server to create unknown addresses."
                )
            )
        payload = base64.b64decode(self.report_file or b"")
        ingestion = (
            self.env["nolog.ingestion"]
            .sudo()
            ._ingest(
                self.server_id.sudo(),
                payload,
                file_format=self.file_format,
                create_unknown=self.create_unknown,
                apply_valid_only=self.apply_valid_only,
                source="upload",
                filename=self.filename,
            )
        )
        ingestion.sudo().user_id = self.env.user
        if ingestion.state == "rejected":
            # nothing was applied: say why here, and let the operator change
            # the options or the file and import again
            self.ingestion_id = ingestion.id
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Upload a usage report"),
                "res_model": self._name,
                "res_id": self.id,
                "view_mode": "form",
                "target": "new",
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ingestion"),
            "res_model": "nolog.ingestion",
            "res_id": ingestion.id,
            "view_mode": "form",
            "target": "current",
        }
