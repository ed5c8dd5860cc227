# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import shlex

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.units import format_size

PREVIEW_LINES = 50


class NologPurgeRequest(models.Model):
    """Trash purge asked of a mail server. Odoo never touches mail itself."""

    _name = "nolog.purge.request"
    _description = "no-log Trash purge request"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    # The company is the server's (a related field): no check_company here. On
    # a new request the company is still empty, and check_company's domain
    # would then offer only servers without a company, i.e. none.
    server_id = fields.Many2one("nolog.server", required=True, tracking=True)
    company_id = fields.Many2one(related="server_id.company_id", store=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        tracking=True,
    )
    line_ids = fields.One2many(
        "nolog.purge.request.line", "request_id", string="Mailboxes", readonly=True
    )
    line_count = fields.Integer(string="Mailboxes to purge", readonly=True)
    estimated_bytes = fields.Float(
        string="Trash total (bytes)",
        digits=(20, 0),
        readonly=True,
        help="Sum of the Trash sizes last reported for these mailboxes.",
    )
    trash_total_display = fields.Char(
        string="Trash total",
        compute="_compute_estimated_display",
        help="Sum of the Trash sizes last reported for these mailboxes.",
    )
    estimated_display = fields.Char(
        string="Estimated gain",
        compute="_compute_estimated_display",
        help="At most the Trash total: the mail server reports the size of each "
        "Trash, not the age of its messages, and the purge removes only the "
        "messages older than the retention.",
    )
    estimate_note = fields.Char(
        string="About the estimate", compute="_compute_estimate_note"
    )
    requested_date = fields.Datetime(readonly=True)
    done_date = fields.Datetime(readonly=True)
    freed_bytes = fields.Float(
        string="Freed (bytes)",
        digits=(20, 0),
        readonly=True,
        help="Space freed, as reported by the mail server.",
    )
    commands_preview = fields.Text(
        string="Commands", compute="_compute_commands_preview"
    )

    @api.depends("estimated_bytes")
    @api.depends_context("lang")
    def _compute_estimated_display(self):
        for request in self:
            total = format_size(self.env, request.estimated_bytes)
            request.trash_total_display = total
            request.estimated_display = self.env._("up to %(size)s", size=total)

    @api.depends("line_ids.retention_days")
    def _compute_estimate_note(self):
        groups = self.env["nolog.purge.request.line"]._read_group(
            [("request_id", "in", self.ids)],
            groupby=["request_id"],
            aggregates=["retention_days:min", "retention_days:max"],
        )
        retention = {request.id: (low, high) for request, low, high in groups}
        for request in self:
            low, high = retention.get(request.id, (0, 0))
            if not low:
                request.estimate_note = False
                continue
            if low == high:
                older = self.env._("older than %(days)s days", days=low)
            else:
                older = self.env._(
                    "older than their policy's retention (%(low)s to %(high)s days)",
                    low=low,
                    high=high,
                )
            request.estimate_note = self.env._(
                "The mail server reports the size of each Trash, not the age of "
                "its messages. The purge removes only the messages %(older)s: it "
                "frees at most the Trash total, often less.",
                older=older,
            )

    @api.depends("line_ids")
    def _compute_commands_preview(self):
        for request in self:
            lines = request.line_ids[:PREVIEW_LINES]
            text = "\n".join(line._command() for line in lines)
            if request.line_count > PREVIEW_LINES:
                text += "\n" + self.env._(
                    "# … %(count)s more: download the full list.",
                    count=request.line_count - PREVIEW_LINES,
                )
            request.commands_preview = text

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "nolog.purge.request"
                ) or self.env._("New")
        return super().create(vals_list)

    def action_compute(self):
        """(Re)build the list of mailboxes to purge, with the estimated gain."""
        self.env["nolog.mailbox"]._check_operator()
        for request in self:
            if request.state != "draft":
                raise UserError(
                    self.env._("Only a draft purge request can be recomputed.")
                )
            request._build_lines()

    def action_request(self):
        self.env["nolog.mailbox"]._check_operator()
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft purge request can be sent."))
            if not request.line_count:
                raise UserError(
                    self.env._("There is no Trash to purge on this server.")
                )
        self.write({"state": "requested", "requested_date": fields.Datetime.now()})

    def action_cancel(self):
        self.env["nolog.mailbox"]._check_operator()
        self.filtered(lambda r: r.state in ("draft", "requested")).write(
            {"state": "cancel"}
        )

    def action_mark_done(self, freed_bytes=None):
        self.env["nolog.mailbox"]._check_operator()
        for request in self:
            if request.state != "requested":
                raise UserError(
                    self.env._("Only a requested purge can be marked done.")
                )
        vals = {"state": "done", "done_date": fields.Datetime.now()}
        if freed_bytes is not None:
            vals["freed_bytes"] = freed_bytes
        self.write(vals)

    def action_download_commands(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/nolog/purge/{self.id}/commands",
            "target": "self",
        }

    def _build_lines(self):
        """Fill the lines with set-based SQL, from the reported Trash sizes."""
        self.ensure_one()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL("DELETE FROM nolog_purge_request_line WHERE request_id = %s", self.id)
        )
        cr.execute(
            SQL(
                """
                INSERT INTO nolog_purge_request_line (
                    request_id, company_id, mailbox_id, address, retention_days,
                    trash_bytes, create_uid, create_date, write_uid, write_date)
                SELECT %(request)s, %(company)s, m.id, m.address,
                       p.trash_retention_days,
                       m.trash_bytes, %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM nolog_mailbox m
                  JOIN nolog_policy p ON p.id = m.policy_id
                 WHERE m.server_id = %(server)s
                   AND m.state != 'closed'
                   AND m.trash_bytes > 0
                   AND p.trash_retention_days > 0
                """,
                request=self.id,
                company=self.company_id.id,
                uid=self.env.uid,
                server=self.server_id.id,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE nolog_purge_request r
                   SET line_count = s.n, estimated_bytes = s.total
                  FROM (SELECT count(*) AS n, COALESCE(SUM(trash_bytes), 0) AS total
                          FROM nolog_purge_request_line
                         WHERE request_id = %(request)s) s
                 WHERE r.id = %(request)s
                """,
                request=self.id,
            )
        )
        self.env.invalidate_all()

    def _commands(self):
        """All the doveadm commands, one per mailbox, as a text."""
        self.ensure_one()
        lines = self.env["nolog.purge.request.line"].search_fetch(
            [("request_id", "=", self.id)], ["address", "retention_days"]
        )
        return "".join(line._command() + "\n" for line in lines)

    def _payload(self):
        """JSON-ready list that the mail server fetches with its key."""
        self.ensure_one()
        lines = self.env["nolog.purge.request.line"].search_fetch(
            [("request_id", "=", self.id)], ["address", "retention_days"]
        )
        return {
            "id": self.id,
            "name": self.name,
            "folder": "Trash",
            "mailboxes": [
                {
                    "address": line.address,
                    "savedbefore": f"{line.retention_days}d",
                    "command": line._command(),
                }
                for line in lines
            ],
        }

    @staticmethod
    def _shell_command(address, days):
        return (
            f"doveadm expunge -u {shlex.quote(address)} "
            f"mailbox Trash savedbefore {int(days)}d"
        )
