# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.units import MB, format_number, format_percent, format_size
from ..tools.usage_parser import is_valid_address, normalize_address

_logger = logging.getLogger(__name__)

AUTOMATIC_STATES = ("active", "warned", "over_quota")
MANAGER_GROUP = "globenet_nolog.group_globenet_nolog_manager"
OPERATOR_GROUP = "globenet_nolog.group_globenet_nolog_operator"
# A manager's decisions: the state (suspended, closing and closed are set by a
# manager; the other states follow the usage reports) and the suspension.
DECISION_FIELDS = (
    "state",
    "suspended_by_id",
    "suspended_date",
    "suspension_reason",
    "closure_date",
    "closure_campaign_id",
)


class NologMailbox(models.Model):
    _name = "nolog.mailbox"
    _description = "no-log mailbox"
    _inherit = ["mail.thread", "portal.mixin"]
    _check_company_auto = True
    _rec_name = "address"
    _order = "address"

    # Neither the address nor the owner is tracked: the chatter would keep
    # every former address and owner of the mailbox (mail.tracking.value).
    address = fields.Char(required=True)
    # No check_company: the mailbox's company is the server's (related), so
    # there is nothing to check, and its domain would hide every server while
    # a new mailbox has no server (hence no company) yet.
    server_id = fields.Many2one(
        "nolog.server",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="server_id.company_id", store=True, precompute=True
    )
    policy_id = fields.Many2one(
        "nolog.policy",
        string="Quota policy",
        required=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        index="btree_not_null",
        help="Member who owns this mailbox. Optional: a mailbox needs no "
        "personal data beyond its address.",
    )
    state = fields.Selection(
        [
            ("active", "Active"),
            ("warned", "Warned"),
            ("over_quota", "Over quota"),
            ("suspended", "Suspended"),
            ("closing", "Closing"),
            ("closed", "Closed"),
        ],
        required=True,
        default="active",
        tracking=True,
    )
    open_date = fields.Date(
        string="Creation date", required=True, default=fields.Date.context_today
    )
    usage_date = fields.Date(string="Last report", readonly=True)
    usage_bytes = fields.Float(
        string="Usage (bytes)", digits=(20, 0), readonly=True, aggregator="sum"
    )
    message_count = fields.Integer(string="Message count", readonly=True)
    inbox_bytes = fields.Float(string="INBOX (bytes)", digits=(20, 0), readonly=True)
    trash_bytes = fields.Float(
        string="Trash (bytes)", digits=(20, 0), readonly=True, aggregator="sum"
    )
    spam_bytes = fields.Float(string="Spam (bytes)", digits=(20, 0), readonly=True)
    sent_bytes = fields.Float(string="Sent (bytes)", digits=(20, 0), readonly=True)
    other_bytes = fields.Float(
        string="Other folders (bytes)", digits=(20, 0), readonly=True
    )
    quota_bytes = fields.Float(related="policy_id.quota_bytes")
    quota_mb = fields.Integer(related="policy_id.quota_mb")
    quota_percent = fields.Float(
        string="Quota used (%)",
        digits=(16, 1),
        compute="_compute_quota_percent",
        store=True,
        aggregator="max",
    )
    trash_share = fields.Float(
        string="Trash and Spam (%)",
        digits=(16, 1),
        compute="_compute_quota_percent",
        store=True,
        aggregator="avg",
        help="Share of the usage taken by the Trash and Spam folders.",
    )
    warning_level_id = fields.Many2one(
        "nolog.policy.level",
        string="Level reached",
        compute="_compute_warning_level_id",
        store=True,
        index="btree_not_null",
    )
    usage_mb = fields.Float(
        string="Usage (MB)", compute="_compute_sizes", digits=(16, 1)
    )
    trash_spam_mb = fields.Float(
        string="Trash and Spam (MB)", compute="_compute_sizes", digits=(16, 1)
    )
    usage_mb_text = fields.Char(
        string="Usage (MB, formatted)", compute="_compute_mb_texts"
    )
    trash_spam_mb_text = fields.Char(
        string="Trash and Spam (MB, formatted)", compute="_compute_mb_texts"
    )
    usage_mb_display = fields.Char(string="Usage in MB", compute="_compute_mb_texts")
    trash_spam_mb_display = fields.Char(
        string="Trash and Spam in MB", compute="_compute_mb_texts"
    )
    quota_mb_display = fields.Char(string="Quota in MB", compute="_compute_mb_texts")
    quota_percent_display = fields.Char(
        string="Quota used", compute="_compute_percent_displays"
    )
    trash_share_display = fields.Char(
        string="Trash and Spam share", compute="_compute_percent_displays"
    )
    usage_display = fields.Char(string="Usage", compute="_compute_size_displays")
    quota_display = fields.Char(string="Quota", compute="_compute_size_displays")
    inbox_display = fields.Char(string="INBOX", compute="_compute_size_displays")
    trash_display = fields.Char(string="Trash", compute="_compute_size_displays")
    spam_display = fields.Char(string="Spam", compute="_compute_size_displays")
    sent_display = fields.Char(string="Sent", compute="_compute_size_displays")
    other_display = fields.Char(
        string="Other folders", compute="_compute_size_displays"
    )
    suspended_by_id = fields.Many2one("res.users", string="Suspended by", readonly=True)
    suspended_date = fields.Datetime(string="Suspended on", readonly=True)
    suspension_reason = fields.Text(readonly=True)
    closure_date = fields.Date(
        readonly=True,
        help="Closing mailboxes: the date the mailbox closes. Closed mailboxes: "
        "the date from which the mail server may delete its data.",
    )
    closure_campaign_id = fields.Many2one(
        "nolog.closure.campaign",
        string="Closure campaign",
        readonly=True,
        index="btree_not_null",
    )
    warning_ids = fields.One2many("nolog.warning", "mailbox_id", string="Warnings")
    warning_count = fields.Integer(compute="_compute_warning_count")
    history_ids = fields.One2many(
        "nolog.usage.history", "mailbox_id", string="Usage history"
    )
    warning_lang = fields.Char(
        compute="_compute_warning_lang",
        help="Language of the warnings: the owner's, else French when installed.",
    )
    warning_due = fields.Boolean(
        compute="_compute_warning_due",
        search="_search_warning_due",
        help="A warning level is reached and no warning of that level was sent "
        "within the policy's interval.",
    )

    _sql_constraints = [
        ("address_uniq", "unique(address)", "This address is already registered."),
        (
            "address_lower",
            "CHECK(address = lower(address))",
            "Addresses are stored in lower case.",
        ),
    ]

    def init(self):
        # Room on each page lets the daily usage update be a HOT update, which
        # leaves the indexes alone. The table keeps few indexes for the same
        # reason: addresses are unique and lower case (so case-insensitive),
        # other searches go through the server.
        self.env.cr.execute(SQL("ALTER TABLE nolog_mailbox SET (fillfactor = 70)"))

    @api.depends("usage_bytes", "trash_bytes", "spam_bytes", "policy_id.quota_bytes")
    def _compute_quota_percent(self):
        for mailbox in self:
            quota = mailbox.policy_id.quota_bytes
            usage = mailbox.usage_bytes
            mailbox.quota_percent = usage * 100.0 / quota if quota else 0.0
            mailbox.trash_share = (
                (mailbox.trash_bytes + mailbox.spam_bytes) * 100.0 / usage
                if usage
                else 0.0
            )

    @api.depends("quota_percent", "policy_id.level_ids.percent")
    def _compute_warning_level_id(self):
        for mailbox in self:
            reached = mailbox.policy_id.level_ids.filtered(
                lambda level, pct=mailbox.quota_percent: level.percent <= pct
            ).sorted("percent")
            mailbox.warning_level_id = reached[-1:] if reached else False

    @api.depends("usage_bytes", "trash_bytes", "spam_bytes")
    def _compute_sizes(self):
        for mailbox in self:
            mailbox.usage_mb = mailbox.usage_bytes / MB
            mailbox.trash_spam_mb = (mailbox.trash_bytes + mailbox.spam_bytes) / MB

    @api.depends(
        "usage_bytes",
        "quota_bytes",
        "inbox_bytes",
        "trash_bytes",
        "spam_bytes",
        "sent_bytes",
        "other_bytes",
    )
    @api.depends_context("lang")
    def _compute_size_displays(self):
        """Sizes in the reader's language: '110.0 MB', '110,0 Mo' in French."""
        env = self.env
        for mailbox in self:
            mailbox.usage_display = format_size(env, mailbox.usage_bytes)
            mailbox.quota_display = format_size(env, mailbox.quota_bytes)
            mailbox.inbox_display = format_size(env, mailbox.inbox_bytes)
            mailbox.trash_display = format_size(env, mailbox.trash_bytes)
            mailbox.spam_display = format_size(env, mailbox.spam_bytes)
            mailbox.sent_display = format_size(env, mailbox.sent_bytes)
            mailbox.other_display = format_size(env, mailbox.other_bytes)

    @api.depends("usage_bytes", "trash_bytes", "spam_bytes", "quota_bytes")
    @api.depends_context("lang")
    def _compute_mb_texts(self):
        """Sizes in MB, as the warnings give them: '95,0 Mo' in French.

        The ``*_text`` fields hold the number alone (warning templates of
        earlier versions add the unit themselves), the ``*_display`` fields
        the number and its unit.
        """
        env = self.env
        for mailbox in self:
            trash_spam = mailbox.trash_bytes + mailbox.spam_bytes
            mailbox.usage_mb_text = format_number(env, mailbox.usage_bytes / MB)
            mailbox.trash_spam_mb_text = format_number(env, trash_spam / MB)
            mailbox.usage_mb_display = format_size(env, mailbox.usage_bytes, unit="MB")
            mailbox.trash_spam_mb_display = format_size(env, trash_spam, unit="MB")
            mailbox.quota_mb_display = format_size(
                env, mailbox.quota_bytes, unit="MB", digits=0
            )

    @api.depends("quota_percent", "trash_share")
    @api.depends_context("lang")
    def _compute_percent_displays(self):
        """Percentages in the reader's language: '95,0 %' in French."""
        env = self.env
        for mailbox in self:
            mailbox.quota_percent_display = format_percent(env, mailbox.quota_percent)
            mailbox.trash_share_display = format_percent(env, mailbox.trash_share)

    def _compute_warning_lang(self):
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for mailbox in self:
            mailbox.warning_lang = next(
                (
                    lang
                    for lang in (mailbox.partner_id.lang, "fr_FR")
                    if lang in installed
                ),
                False,
            )

    @api.depends("warning_ids")
    def _compute_warning_count(self):
        groups = self.env["nolog.warning"]._read_group(
            [("mailbox_id", "in", self.ids)],
            groupby=["mailbox_id"],
            aggregates=["__count"],
        )
        counts = {mailbox.id: count for mailbox, count in groups}
        for mailbox in self:
            mailbox.warning_count = counts.get(mailbox.id, 0)

    def _compute_warning_due(self):
        due = self.search([("id", "in", self.ids), ("warning_due", "=", True)])
        for mailbox in self:
            mailbox.warning_due = mailbox in due

    def _search_warning_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on warning due."))
        self.env["nolog.warning"].flush_model()
        self.flush_model(["warning_level_id", "state", "policy_id"])
        query = SQL(
            """
            SELECT m.id
              FROM nolog_mailbox m
              JOIN nolog_policy p ON p.id = m.policy_id
             WHERE m.warning_level_id IS NOT NULL
               AND m.state IN %(states)s
               AND NOT EXISTS (
                    SELECT 1 FROM nolog_warning w
                     WHERE w.mailbox_id = m.id
                       AND w.level_id = m.warning_level_id
                       AND w.sent_date > (now() AT TIME ZONE 'UTC')
                           - make_interval(days => p.warning_interval_days)
               )
            """,
            states=AUTOMATIC_STATES,
        )
        in_operator = "in" if (operator == "=") == value else "not in"
        return [("id", in_operator, SQL("(%s)", query))]

    @api.constrains("address")
    def _check_address(self):
        for mailbox in self:
            if not is_valid_address(mailbox.address):
                raise ValidationError(
                    self.env._(
                        "%(address)s is not a valid email address.",
                        address=mailbox.address,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("address"):
                vals["address"] = normalize_address(vals["address"])
            if vals.get("state", "active") not in AUTOMATIC_STATES or any(
                vals.get(fname) for fname in DECISION_FIELDS[1:]
            ):
                self._check_manager(
                    self.env._(
                        "Only a no-log manager may register a suspended or "
                        "closed mailbox."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("address"):
            vals["address"] = normalize_address(vals["address"])
        if any(fname in vals for fname in DECISION_FIELDS):
            self._check_manager(
                self.env._(
                    "Only a no-log manager may change the state of a mailbox "
                    "or its suspension: use the buttons of the mailbox."
                )
            )
        return super().write(vals)

    def _compute_access_url(self):
        for mailbox in self:
            mailbox.access_url = f"/my/mailboxes/{mailbox.id}"

    def action_view_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_nolog.nolog_warning_action"
        )
        action["domain"] = [("mailbox_id", "=", self.id)]
        return action

    def _is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _check_manager(self, message):
        """Raise ``message`` as an AccessError unless the user is a manager."""
        if not self._is_manager():
            raise AccessError(message)

    @api.model
    def _check_operator(self):
        """Raise an AccessError unless the user is a no-log operator: the
        read-only group reads everything and changes nothing, whatever the
        access rights of the records an action would go through."""
        if not (self.env.su or self.env.user.has_group(OPERATOR_GROUP)):
            raise AccessError(
                self.env._(
                    "Only no-log operators may do this: your access is read-only."
                )
            )

    def action_suspend(self):
        self.ensure_one()
        self._check_manager(self.env._("Only a no-log manager may suspend a mailbox."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Suspend mailbox"),
            "res_model": "nolog.mailbox.suspend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mailbox_ids": self.ids},
        }

    def action_unsuspend(self):
        self._check_manager(self.env._("Only a no-log manager may lift a suspension."))
        self.check_access("write")
        for mailbox in self:
            if mailbox.state != "suspended":
                continue
            mailbox.write(
                {
                    "state": mailbox._automatic_state(),
                    "suspended_by_id": False,
                    "suspended_date": False,
                    "suspension_reason": False,
                }
            )
            mailbox.message_post(body=self.env._("Suspension lifted."))

    def action_start_closing(self):
        self._check_manager(self.env._("Only a no-log manager may close a mailbox."))
        self.write({"state": "closing"})

    def action_close(self):
        self._check_manager(self.env._("Only a no-log manager may close a mailbox."))
        self.write({"state": "closed"})
        # the date from which the mail server may delete the data
        self.filtered(lambda mailbox: not mailbox.closure_date).write(
            {"closure_date": fields.Date.context_today(self)}
        )

    def action_reopen(self):
        self._check_manager(self.env._("Only a no-log manager may reopen a mailbox."))
        for mailbox in self:
            mailbox.state = mailbox._automatic_state()
        self.filtered("closure_date").write(
            {"closure_date": False, "closure_campaign_id": False}
        )

    def action_send_warning(self):
        self._check_operator()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send a warning"),
            "res_model": "nolog.mailbox.warn",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mailbox_ids": self.ids},
        }

    @api.model
    def _automatic_state_sql(self, mailbox_id, percent, level_id):
        """The rule of the automatic states, as one SQL expression.

        - ``over_quota``: the usage reached 100 % of the quota;
        - ``warned``: a warning level is reached and the mailbox was sent the
          warning of that level or of a higher one (a warning that could not be
          queued does not count);
        - ``active`` otherwise: a level reached but no warning sent yet is still
          active, the daily job sends it.

        ``mailbox_id``, ``percent`` and ``level_id`` are SQL expressions. The
        usage report and the mailbox (after a warning, or when a suspension is
        lifted) both use this one definition.
        """
        return SQL(
            """
            CASE
                WHEN %(percent)s >= 100 THEN 'over_quota'
                WHEN %(level_id)s IS NULL THEN 'active'
                WHEN EXISTS (
                    SELECT 1
                      FROM nolog_warning w
                      JOIN nolog_policy_level l ON l.id = %(level_id)s
                     WHERE w.mailbox_id = %(mailbox_id)s
                       AND w.error IS NULL
                       AND w.percent >= l.percent
                ) THEN 'warned'
                ELSE 'active'
            END
            """,
            mailbox_id=mailbox_id,
            percent=percent,
            level_id=level_id,
        )

    def _automatic_states(self):
        """{mailbox id: state given by its usage and the warnings sent}."""
        if not self.ids:
            return {}
        self.flush_recordset(["quota_percent", "warning_level_id"])
        self.env["nolog.warning"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT m.id, %s FROM nolog_mailbox m WHERE m.id IN %s",
                self._automatic_state_sql(
                    SQL("m.id"), SQL("m.quota_percent"), SQL("m.warning_level_id")
                ),
                tuple(self.ids),
            )
        )
        return dict(self.env.cr.fetchall())

    def _automatic_state(self):
        """State given by the usage and the warnings sent (active, warned or
        over quota), whatever the current state."""
        self.ensure_one()
        return self._automatic_states()[self.id]

    def _refresh_automatic_state(self):
        """Bring the mailboxes in an automatic state to the state of the rule.

        Set-based; the suspended, closing and closed mailboxes are left alone.
        """
        if not self.ids:
            return
        self.flush_recordset(["quota_percent", "warning_level_id", "state"])
        self.env["nolog.warning"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox m
                   SET state = v.state
                  FROM (SELECT x.id, %(rule)s AS state
                          FROM nolog_mailbox x
                         WHERE x.id IN %(ids)s AND x.state IN %(automatic)s) v
                 WHERE m.id = v.id AND m.state != v.state
                """,
                rule=self._automatic_state_sql(
                    SQL("x.id"), SQL("x.quota_percent"), SQL("x.warning_level_id")
                ),
                ids=tuple(self.ids),
                automatic=AUTOMATIC_STATES,
            )
        )
        self.invalidate_recordset(["state"])

    def _suspend(self, reason):
        """Suspend the mailboxes: a human decision, recorded with its reason."""
        self._check_manager(self.env._("Only a no-log manager may suspend a mailbox."))
        for mailbox in self:
            if not mailbox.policy_id.allow_suspension:
                raise UserError(
                    self.env._(
                        "The policy of %(address)s does not allow suspension.",
                        address=mailbox.address,
                    )
                )
            if mailbox.state in ("closing", "closed"):
                raise UserError(
                    self.env._("%(address)s is being closed.", address=mailbox.address)
                )
        self.write(
            {
                "state": "suspended",
                "suspended_by_id": self.env.user.id,
                "suspended_date": fields.Datetime.now(),
                "suspension_reason": reason,
            }
        )
        for mailbox in self:
            mailbox.message_post(
                body=self.env._("Mailbox suspended. Reason: %(reason)s", reason=reason)
            )

    def _feed_entry(self):
        self.ensure_one()
        return {
            "address": self.address,
            "quota_rule": self.policy_id._dovecot_quota_rule(),
            "quota_bytes": int(self.quota_bytes),
            "state": self.state,
            "enabled": self.state not in ("suspended", "closed"),
            # Odoo deletes nothing: the server may delete the data from then on.
            "closure_date": self.closure_date.isoformat()
            if self.closure_date and self.state == "closing"
            else None,
            "delete_from": self.closure_date.isoformat()
            if self.closure_date and self.state == "closed"
            else None,
        }

    def _send_warning(self, template, level=None, manual=False):
        """Queue ``template`` to the mailbox, keep a copy of the email in the
        warnings sent, and log it in the chatter."""
        self.ensure_one()
        mail_id = template.send_mail(self.id)
        level = level or self.env["nolog.policy.level"]
        NologWarning = self.env["nolog.warning"]
        NologWarning.create(
            {
                "mailbox_id": self.id,
                "level_id": level.id,
                "percent": level.percent,
                "usage_bytes": self.usage_bytes,
                "quota_percent": self.quota_percent,
                "mail_template_id": template.id,
                "mail_id": mail_id,
                "manual": manual,
                **NologWarning._email_copy_vals(mail_id),
            }
        )
        # the chatter names the mailbox, never its owner's email: the warning
        # sent keeps the exact recipients as long as the mailbox exists
        recipients = self.address
        if self.partner_id.email:
            recipients = self.env._("%(address)s and its owner", address=recipients)
        self.message_post(
            body=self.env._(
                "Warning “%(template)s” queued for %(recipients)s: %(usage)s used "
                "of %(quota)s (%(percent)s).",
                template=template.name,
                recipients=recipients,
                usage=self.usage_display,
                quota=self.quota_display,
                percent=self.quota_percent_display,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _cron_send_warnings(self, batch_size=200):
        """Send the warnings due, in bounded batches.

        A mailbox leaves the ``warning_due`` domain as soon as its warning is
        recorded, so each call makes progress and the scheduler may call again.
        """
        domain = [("warning_due", "=", True)]
        mailboxes = self.search(domain, limit=batch_size, order="quota_percent desc")
        sent = 0
        for mailbox in mailboxes:
            level = mailbox.warning_level_id
            try:
                with self.env.cr.savepoint():
                    mailbox._send_warning(level.mail_template_id, level)
            except Exception as error:  # noqa: BLE001 - one mailbox must not stop all
                _logger.warning("no-log warning to %s failed: %s", mailbox.id, error)
                # recorded, so the mailbox leaves the domain until the next interval
                self.env["nolog.warning"].create(
                    {
                        "mailbox_id": mailbox.id,
                        "level_id": level.id,
                        "percent": level.percent,
                        "usage_bytes": mailbox.usage_bytes,
                        "quota_percent": mailbox.quota_percent,
                        "mail_template_id": level.mail_template_id.id,
                        "error": str(error),
                    }
                )
            sent += 1
        remaining = self.search_count(domain) if len(mailboxes) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=sent, remaining=remaining)
        return sent
