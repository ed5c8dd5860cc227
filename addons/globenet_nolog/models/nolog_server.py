# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import hashlib
import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, consteq

from ..tools.units import DISK_GB, RAID_MIN_DISKS, format_size, raid_data_disks

KEY_PREFIX = "nolog_"


class NologServer(models.Model):
    _name = "nolog.server"
    _description = "no-log mail server"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    hostname = fields.Char(required=True, tracking=True)
    role = fields.Selection(
        [
            ("mailstore", "Mailbox storage (IMAP)"),
            ("mx", "Incoming mail (MX)"),
            ("webmail", "Webmail"),
            ("backup", "Backup"),
        ],
        required=True,
        default="mailstore",
        tracking=True,
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    policy_id = fields.Many2one(
        "nolog.policy",
        string="Default policy",
        check_company=True,
        help="Quota policy given to mailboxes created from a usage report.",
    )
    disk_count = fields.Integer(string="Disks", required=True, default=2)
    disk_size_gb = fields.Integer(
        string="Disk size (GB)",
        required=True,
        default=1000,
        help="Size of one disk in decimal gigabytes (1 GB = 10^9 bytes), "
        "as printed by the disk maker.",
    )
    raid_level = fields.Selection(
        [
            ("0", "RAID 0"),
            ("1", "RAID 1"),
            ("5", "RAID 5"),
            ("6", "RAID 6"),
            ("10", "RAID 10"),
        ],
        string="RAID level",
        required=True,
        default="1",
    )
    capacity_gb = fields.Integer(
        string="Usable capacity (GB)",
        compute="_compute_capacity",
        store=True,
    )
    capacity_bytes = fields.Float(
        string="Usable capacity (bytes)",
        digits=(20, 0),
        compute="_compute_capacity",
        store=True,
    )
    used_bytes = fields.Float(string="Used (bytes)", digits=(20, 0), readonly=True)
    free_bytes = fields.Float(string="Free (bytes)", digits=(20, 0), readonly=True)
    used_percent = fields.Float(
        string="Used (%)", compute="_compute_used_percent", digits=(16, 1)
    )
    capacity_display = fields.Char(
        string="Usable capacity", compute="_compute_displays"
    )
    used_display = fields.Char(string="Used", compute="_compute_displays")
    free_display = fields.Char(string="Free", compute="_compute_displays")
    report_date = fields.Datetime(string="Last report", readonly=True)
    mailbox_ids = fields.One2many("nolog.mailbox", "server_id", string="Mailboxes")
    mailbox_count = fields.Integer(
        string="Accounts hosted", compute="_compute_mailbox_count"
    )
    max_mailboxes = fields.Integer(
        string="Maximum accounts",
        help="Number of accounts this server should hold at most.",
    )
    key_index = fields.Char(
        readonly=True, copy=False, index=True, groups="base.group_system"
    )
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    has_key = fields.Boolean(compute="_compute_has_key")

    _sql_constraints = [
        ("hostname_uniq", "unique(hostname)", "This hostname is already registered."),
        (
            "disk_positive",
            "CHECK(disk_count > 0 AND disk_size_gb > 0)",
            "Disk count and disk size must be positive.",
        ),
    ]

    @api.depends("disk_count", "disk_size_gb", "raid_level")
    def _compute_capacity(self):
        for server in self:
            data_disks = raid_data_disks(server.raid_level, server.disk_count) or 0
            server.capacity_gb = data_disks * server.disk_size_gb
            server.capacity_bytes = server.capacity_gb * DISK_GB

    @api.depends("used_bytes", "capacity_bytes")
    def _compute_used_percent(self):
        for server in self:
            server.used_percent = (
                server.used_bytes * 100.0 / server.capacity_bytes
                if server.capacity_bytes
                else 0.0
            )

    @api.depends("capacity_bytes", "used_bytes", "free_bytes")
    @api.depends_context("lang")
    def _compute_displays(self):
        """Disk sizes in decimal GB, in the reader's language: '1 748,0 Go'."""
        env = self.env
        for server in self:
            server.capacity_display = format_size(
                env, server.capacity_bytes, binary=False, unit="GB", digits=0
            )
            server.used_display = format_size(
                env, server.used_bytes, binary=False, unit="GB"
            )
            server.free_display = format_size(
                env, server.free_bytes, binary=False, unit="GB"
            )

    def _compute_mailbox_count(self):
        groups = self.env["nolog.mailbox"]._read_group(
            [("server_id", "in", self.ids), ("state", "!=", "closed")],
            groupby=["server_id"],
            aggregates=["__count"],
        )
        counts = {server.id: count for server, count in groups}
        for server in self:
            server.mailbox_count = counts.get(server.id, 0)

    def _compute_has_key(self):
        if not self.ids:
            self.has_key = False
            return
        self.flush_model(["key_hash"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM nolog_server WHERE id IN %s AND key_hash IS NOT NULL",
                tuple(self.ids),
            )
        )
        with_key = {row[0] for row in self.env.cr.fetchall()}
        for server in self:
            server.has_key = server.id in with_key

    @api.constrains("raid_level", "disk_count")
    def _check_raid_layout(self):
        for server in self:
            if raid_data_disks(server.raid_level, server.disk_count) is None:
                if server.raid_level == "10" and server.disk_count >= 4:
                    raise ValidationError(
                        self.env._("RAID 10 needs an even number of disks.")
                    )
                raise ValidationError(
                    self.env._(
                        "RAID %(level)s needs at least %(count)s disks.",
                        level=server.raid_level,
                        count=RAID_MIN_DISKS[server.raid_level],
                    )
                )

    def action_generate_key(self):
        """Create a new key for the mail server and show it once."""
        self.ensure_one()
        self.check_access("write")
        key = self._set_new_key()
        self.message_post(body=self.env._("A new mail server key was generated."))
        wizard = self.env["nolog.server.key.show"].create(
            {"server_id": self.id, "key": key}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mail server key"),
            "res_model": "nolog.server.key.show",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_mailboxes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_nolog.nolog_mailbox_action"
        )
        action["domain"] = [("server_id", "=", self.id)]
        action["context"] = {"default_server_id": self.id}
        return action

    def action_download_feed(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/nolog/feed/{self.id}/download",
            "target": "self",
        }

    def _set_new_key(self):
        """Store the hash of a new random key and return the key in clear."""
        self.ensure_one()
        index = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{index}_{secrets.token_urlsafe(32)}"
        self.sudo().write(
            {"key_index": index, "key_hash": self._hash_key(key)},
        )
        return key

    @api.model
    def _hash_key(self, key):
        return hashlib.sha256(key.encode()).hexdigest()

    @api.model
    def _authenticate_key(self, key):
        """Return the server id matching ``key``, or None.

        The lookup reads the hash with plain SQL, without sudo; the hashes are
        compared in constant time.
        """
        if not key or not key.startswith(KEY_PREFIX) or key.count("_") < 2:
            return None
        index = key[len(KEY_PREFIX) :].split("_", 1)[0]
        self.flush_model(["key_index", "key_hash", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT id, key_hash FROM nolog_server"
                " WHERE key_index = %s AND active AND key_hash IS NOT NULL",
                index,
            )
        )
        given = self._hash_key(key)
        server_id = None
        for row_id, stored in self.env.cr.fetchall():
            if consteq(given, stored):
                server_id = row_id
        return server_id

    def _refresh_used_bytes(self, reported_at):
        """Used bytes = sum of the last usage of the server's mailboxes."""
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE nolog_server s
                   SET used_bytes = u.used,
                       free_bytes = GREATEST(s.capacity_bytes - u.used, 0),
                       report_date = %(reported_at)s,
                       write_date = now() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM (
                        SELECT %(server)s AS server_id,
                               COALESCE(SUM(usage_bytes), 0) AS used
                          FROM nolog_mailbox
                         WHERE server_id = %(server)s AND state != 'closed'
                       ) u
                 WHERE s.id = u.server_id
                """,
                reported_at=reported_at,
                uid=self.env.uid,
                server=self.id,
            )
        )
        self.invalidate_recordset(
            ["used_bytes", "free_bytes", "report_date", "write_date", "write_uid"]
        )
