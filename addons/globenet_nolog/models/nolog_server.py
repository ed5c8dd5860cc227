# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import hashlib
import math
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, consteq, format_date

from ..tools.units import (
    DISK_GB,
    RAID_MIN_DISKS,
    format_number,
    format_percent,
    format_size,
    raid_data_disks,
)

KEY_PREFIX = "nolog_"
MANAGER_GROUP = "globenet_nolog.group_globenet_nolog_manager"
DEFAULT_ALERT_DAYS = 60


class NologServer(models.Model):
    _name = "nolog.server"
    _description = "no-log mail server"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    # Capacity forecast and signups
    forecast_window_days = fields.Integer(
        string="Forecast window (days)",
        default=30,
        help="The growth is a least-squares line fitted over the daily used "
        "bytes of this many last days.",
    )
    fill_threshold = fields.Integer(
        string="Fill threshold (%)",
        default=90,
        help="The disks count as full at this fill level: the forecast gives "
        "the day it is reached, and signups close when it is passed.",
    )
    forecast_growth_bytes = fields.Float(
        string="Growth per day (bytes)", digits=(20, 0), compute="_compute_forecast"
    )
    forecast_days_left = fields.Integer(
        string="Days left",
        compute="_compute_forecast",
        help="Days until the fill threshold is reached at the fitted growth; "
        "-1 when the usage does not grow.",
    )
    forecast_full_date = fields.Date(string="Full on", compute="_compute_forecast")
    forecast_today_bytes = fields.Float(
        string="Fitted usage today (bytes)", digits=(20, 0), compute="_compute_forecast"
    )
    forecast_growth_display = fields.Char(
        string="Growth per day", compute="_compute_forecast"
    )
    forecast_days_display = fields.Char(string="Full in", compute="_compute_forecast")
    used_percent_display = fields.Char(string="Fill", compute="_compute_forecast")
    accounts_display = fields.Char(
        string="Accounts", compute="_compute_accounts_display"
    )
    signup_open = fields.Boolean(
        string="Signups open",
        default=True,
        readonly=True,
        help="Changed by a no-log manager, or closed automatically when the "
        "server passes its maximum accounts or its fill threshold.",
    )
    signup_log_ids = fields.One2many(
        "nolog.signup.log", "server_id", string="Signup changes"
    )

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
            server.capacity_gb = (
                self._raid_capacity_gb(
                    server.raid_level, server.disk_count, server.disk_size_gb
                )
                or 0
            )
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

    @api.model
    def _raid_capacity_gb(self, level, disk_count, disk_size_gb):
        """Usable GB of ``disk_count`` disks of ``disk_size_gb`` in RAID
        ``level``, or None when the layout is impossible: the one rule used by
        the servers and the planners."""
        data_disks = raid_data_disks(level, disk_count)
        if data_disks is None:
            return None
        return data_disks * (disk_size_gb or 0)

    @api.model
    def _daily_series_sql(self, server_ids=None, since=None):
        """Daily used bytes and account count per server, from the usage
        history: one row per server and day."""
        conditions = [SQL("TRUE")]
        if server_ids is not None:
            conditions.append(SQL("m.server_id IN %s", tuple(server_ids) or (0,)))
        if since is not None:
            conditions.append(SQL("h.date >= %s", since))
        return SQL(
            """
            SELECT m.server_id, h.date,
                   SUM(h.usage_bytes) AS used, COUNT(*) AS accounts
              FROM nolog_usage_history h
              JOIN nolog_mailbox m ON m.id = h.mailbox_id
             WHERE %s
             GROUP BY m.server_id, h.date
            """,
            SQL(" AND ").join(conditions),
        )

    @api.model
    def _forecast_fit_sql(self, server_ids, today):
        """Least-squares fit of the daily used bytes of each server over its
        window: slope (bytes a day) and the fitted usage today.

        One query for all the servers over the daily roll-up; x is the day's
        offset from today, so the intercept is the fitted usage today."""
        return SQL(
            """
            SELECT d.server_id,
                   regr_slope(d.used_bytes, d.date - %(today)s::date) AS slope,
                   regr_intercept(d.used_bytes, d.date - %(today)s::date),
                   COUNT(*) AS days
              FROM nolog_server_usage_daily d
              JOIN nolog_server s ON s.id = d.server_id
             WHERE d.server_id IN %(ids)s
               AND d.date > %(today)s::date - GREATEST(s.forecast_window_days, 2)
               AND d.date <= %(today)s::date
             GROUP BY d.server_id
            """,
            today=today,
            ids=tuple(server_ids) or (0,),
        )

    @api.depends(
        "forecast_window_days", "fill_threshold", "capacity_bytes", "used_bytes"
    )
    @api.depends_context("lang")
    def _compute_forecast(self):
        today = fields.Date.context_today(self)
        fits = {}
        ids = [server_id for server_id in self.ids if server_id]
        if ids:
            self.env["nolog.server.usage.daily"].flush_model()
            self.flush_model(["forecast_window_days"])
            self.env.cr.execute(self._forecast_fit_sql(ids, today))
            fits = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        env = self.env
        for server in self:
            slope, today_used, days = fits.get(server.id) or (None, None, 0)
            server.forecast_today_bytes = today_used or 0.0
            server.used_percent_display = format_percent(env, server.used_percent)
            server.forecast_growth_bytes = slope or 0.0
            server.forecast_growth_display = format_size(
                env, slope or 0.0, binary=False, unit="GB"
            )
            full_at = server.capacity_bytes * (server.fill_threshold or 100) / 100.0
            if not slope or slope <= 0 or days < 2:
                server.forecast_days_left = -1
                server.forecast_full_date = False
                server.forecast_days_display = env._("not growing")
                continue
            # a hair of tolerance: a fit of an exact line lands on whole days
            days_left = max(math.floor((full_at - today_used) / slope + 1e-6), 0)
            server.forecast_days_left = days_left
            server.forecast_full_date = today + timedelta(days=days_left)
            server.forecast_days_display = env._(
                "%(days)s days", days=format_number(env, days_left, digits=0)
            )

    @api.depends("mailbox_count", "max_mailboxes")
    @api.depends_context("lang")
    def _compute_accounts_display(self):
        env = self.env
        for server in self:
            count = format_number(env, server.mailbox_count, digits=0)
            if server.max_mailboxes:
                server.accounts_display = env._(
                    "%(count)s of %(max)s",
                    count=count,
                    max=format_number(env, server.max_mailboxes, digits=0),
                )
            else:
                server.accounts_display = count

    @api.constrains("fill_threshold", "forecast_window_days")
    def _check_forecast_settings(self):
        for server in self:
            if not 1 <= server.fill_threshold <= 100:
                raise ValidationError(
                    self.env._("The fill threshold is a percentage from 1 to 100.")
                )
            if server.forecast_window_days < 2:
                raise ValidationError(
                    self.env._("The forecast window needs at least 2 days.")
                )

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

    def action_view_forecast(self):
        self.ensure_one()
        self.env["nolog.server.usage.daily"]._store_forecast(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_nolog.nolog_server_usage_daily_action"
        )
        action["domain"] = [("server_id", "=", self.id)]
        action["display_name"] = self.env._("Forecast: %s", self.name)
        return action

    def action_change_signups(self):
        """Open the dialog that opens or closes this server's signups."""
        self.ensure_one()
        self._check_signup_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Open or close signups"),
            "res_model": "nolog.signup.change",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_server_id": self.id,
                "default_open": not self.signup_open,
            },
        }

    def _check_signup_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only no-log managers open or close signups."))

    def _set_signup_open(self, is_open, reason, automatic=False):
        """Open or close the signups of these servers, and log who or what
        changed them, and why."""
        if not automatic:
            self._check_signup_manager()
        changed = self.filtered(lambda server: server.signup_open != is_open)
        if not changed:
            return changed
        changed.sudo().signup_open = is_open
        self.env["nolog.signup.log"].sudo().create(
            [
                {
                    "server_id": server.id,
                    "company_id": server.company_id.id,
                    "open": is_open,
                    "reason": reason,
                    "automatic": automatic,
                }
                for server in changed
            ]
        )
        return changed

    def _has_room(self):
        """True when the server can take one more account."""
        self.ensure_one()
        if self.max_mailboxes and self.mailbox_count >= self.max_mailboxes:
            return False
        return self.used_percent < (self.fill_threshold or 100)

    def _close_full_signups(self):
        """Close the signups of the servers past their maximum accounts or
        their fill threshold."""
        env = self.env
        for server in self.filtered("signup_open"):
            if server.max_mailboxes and server.mailbox_count >= server.max_mailboxes:
                reason = env._(
                    "%(count)s accounts reached the maximum of %(max)s.",
                    count=format_number(env, server.mailbox_count, digits=0),
                    max=format_number(env, server.max_mailboxes, digits=0),
                )
            elif server.used_percent >= (server.fill_threshold or 100):
                reason = env._(
                    "The disks are %(used)s full, past the threshold of %(limit)s.",
                    used=format_percent(env, server.used_percent),
                    limit=format_percent(env, server.fill_threshold),
                )
            else:
                continue
            server._set_signup_open(False, reason, automatic=True)

    @api.model
    def _alert_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("globenet_nolog.capacity_alert_days", DEFAULT_ALERT_DAYS)
        )
        try:
            return int(value)
        except ValueError:
            return DEFAULT_ALERT_DAYS

    @api.model
    def _cron_capacity_check(self):
        """Close the signups of full servers, and raise one activity for the
        no-log managers on each server whose forecast falls under the alert
        threshold (only while none is open)."""
        servers = self.search([("role", "=", "mailstore")])
        servers._close_full_signups()
        self.env["nolog.server.usage.daily"]._store_forecast(servers)
        alert_days = self._alert_days()
        short = servers.filtered(
            lambda server: 0 <= server.forecast_days_left < alert_days
        )
        if not short:
            return
        activity_type = self.env.ref("globenet_nolog.mail_activity_type_capacity")
        open_ids = {
            activity.res_id
            for activity in self.env["mail.activity"].search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", short.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        managers = self.env.ref(MANAGER_GROUP).users.filtered(
            lambda user: not user.share and user.active and user.id != 1
        )
        for server in short.filtered(lambda server: server.id not in open_ids):
            responsible = managers.filtered(
                lambda user, server=server: server.company_id in user.company_ids
            )[:1]
            server.activity_schedule(
                act_type_xmlid="globenet_nolog.mail_activity_type_capacity",
                summary=self.env._(
                    "%(server)s full in %(days)s days",
                    server=server.name,
                    days=server.forecast_days_left,
                ),
                note=self.env._(
                    "At %(growth)s a day, the disks reach %(limit)s on %(date)s. "
                    "Plan more space or close signups.",
                    growth=server.forecast_growth_display,
                    limit=format_percent(self.env, server.fill_threshold),
                    date=format_date(self.env, server.forecast_full_date),
                ),
                user_id=(responsible or self.env.user).id,
            )

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
        """Used bytes = sum of the last usage of the server's mailboxes; the
        day's row of the daily roll-up follows."""
        self._refresh_used_bytes_only(reported_at)
        self.env["nolog.server.usage.daily"]._refresh(
            self.ids, since=fields.Date.to_date(reported_at)
        )

    def _refresh_used_bytes_only(self, reported_at):
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
