# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Closure-notice campaign: tell a share of the accounts, months ahead, that
they will close, so that their owners have time to move elsewhere.

Selection order (documented, stable): the candidate mailboxes are the open
ones (active, warned or over quota) that the rule keeps, ranked by their
database id (the order of registration). "Every k-th account" keeps ranks 1,
1 + k, 1 + 2k...: of n candidates it keeps ceil(n / k), so every second
account of 1,001 is 501 accounts.
"""

import hashlib
import hmac as stdlib_hmac
import logging
from datetime import timedelta

from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date
from odoo.tools.mail import generate_tracking_message_id

from ..tools.units import format_number, format_size
from .nolog_mailbox import AUTOMATIC_STATES

_logger = logging.getLogger(__name__)

KEEP_LINK_SCOPE = "globenet_nolog.keep"
LAUNCH_BATCH = 2000


class NologClosureCampaign(models.Model):
    _name = "nolog.closure.campaign"
    _description = "no-log closure-notice campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    rule = fields.Selection(
        [
            ("every_kth", "Every k-th account"),
            ("server", "Accounts of one server"),
            ("inactive", "Inactive accounts"),
            ("size", "Accounts above a size"),
            ("manual", "Manual list"),
        ],
        string="Selection rule",
        required=True,
        default="every_kth",
    )
    every_k = fields.Integer(
        string="Every k-th",
        default=2,
        help="Keeps the 1st, (1 + k)th, (1 + 2k)th... open account, ranked by "
        "registration order: every second account of 1,001 is 501 accounts.",
    )
    server_id = fields.Many2one(
        "nolog.server",
        help="Limits every rule to this server; the 'one server' rule needs it.",
    )
    inactive_days = fields.Integer(
        default=180,
        help="Accounts whose usage did not change for more than this many days.",
    )
    min_size_mb = fields.Integer(string="Above (MB)", default=100)
    manual_mailbox_ids = fields.Many2many(
        "nolog.mailbox", string="Manual list", check_company=True
    )
    notice_months = fields.Integer(string="Notice period (months)", default=6)
    reminder_days = fields.Char(
        string="Reminders (days before closure)",
        default="90,30,7",
        help="Comma-separated days before the closure date at which a reminder "
        "is sent.",
    )
    message = fields.Html(
        help="Shown in the notice and the reminders, after the standard text "
        "(French first, then English).",
    )
    list_url = fields.Char(
        string="Mailing list",
        help="Address of the mailing list where members organise alternatives.",
    )
    launch_date = fields.Date(readonly=True)
    closure_date = fields.Date(readonly=True)
    launched_by_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many("nolog.closure.campaign.line", "campaign_id")
    keep_request_ids = fields.One2many("nolog.keep.request", "campaign_id")
    preview_count = fields.Integer(
        string="Selected accounts", compute="_compute_preview"
    )
    preview_bytes = fields.Float(compute="_compute_preview", digits=(20, 0))
    preview_bytes_display = fields.Char(
        string="Space freed", compute="_compute_preview"
    )
    notified_count = fields.Integer(string="Notified", compute="_compute_report")
    reminded_count = fields.Integer(string="Reminded", compute="_compute_report")
    keep_request_count = fields.Integer(
        string="Keep requests", compute="_compute_report"
    )
    kept_count = fields.Integer(string="Kept", compute="_compute_report")
    closed_count = fields.Integer(string="Closed", compute="_compute_report")
    freed_bytes_display = fields.Char(
        string="Space freed so far", compute="_compute_report"
    )

    @api.depends(
        "rule",
        "every_k",
        "server_id",
        "inactive_days",
        "min_size_mb",
        "manual_mailbox_ids",
        "state",
    )
    @api.depends_context("lang")
    def _compute_preview(self):
        for campaign in self:
            if campaign.state == "draft" and isinstance(campaign.id, int):
                count, total = campaign._selection_totals()
            else:
                count = len(campaign.line_ids)
                total = sum(campaign.line_ids.mapped("usage_bytes"))
            campaign.preview_count = count
            campaign.preview_bytes = total
            campaign.preview_bytes_display = format_size(self.env, total)

    @api.depends("line_ids.state", "line_ids.reminder_count", "keep_request_ids")
    @api.depends_context("lang")
    def _compute_report(self):
        Line = self.env["nolog.closure.campaign.line"]
        groups = Line._read_group(
            [("campaign_id", "in", self.ids)],
            groupby=["campaign_id", "state"],
            aggregates=["__count", "usage_bytes:sum"],
        )
        reminded = dict(
            Line._read_group(
                [("campaign_id", "in", self.ids), ("reminder_count", ">", 0)],
                groupby=["campaign_id"],
                aggregates=["__count"],
            )
        )
        keep_counts = dict(
            self.env["nolog.keep.request"]._read_group(
                [("campaign_id", "in", self.ids)],
                groupby=["campaign_id"],
                aggregates=["__count"],
            )
        )
        per_state = {}
        for campaign, state, count, usage in groups:
            per_state[campaign.id, state] = (count, usage)
        for campaign in self:
            total = sum(
                per_state.get((campaign.id, state), (0, 0))[0]
                for state in ("notified", "kept", "closed")
            )
            campaign.notified_count = total
            campaign.reminded_count = reminded.get(campaign, 0)
            campaign.keep_request_count = keep_counts.get(campaign, 0)
            campaign.kept_count = per_state.get((campaign.id, "kept"), (0, 0))[0]
            closed_count, closed_bytes = per_state.get((campaign.id, "closed"), (0, 0))
            campaign.closed_count = closed_count
            campaign.freed_bytes_display = format_size(self.env, closed_bytes or 0)

    @api.constrains("every_k", "notice_months", "reminder_days", "rule", "server_id")
    def _check_settings(self):
        for campaign in self:
            if campaign.every_k < 1:
                raise ValidationError(self.env._("k must be at least 1."))
            if campaign.notice_months < 1:
                raise ValidationError(
                    self.env._("The notice period is at least one month.")
                )
            if campaign.rule == "server" and not campaign.server_id:
                raise ValidationError(
                    self.env._("The 'one server' rule needs a server.")
                )
            campaign._reminder_offsets()

    def _reminder_offsets(self):
        """Days before the closure date of each reminder, largest first."""
        self.ensure_one()
        try:
            offsets = [
                int(part) for part in (self.reminder_days or "").split(",") if part
            ]
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "Reminders are days before the closure, separated by commas, "
                    "e.g. 90,30,7."
                )
            ) from error
        if any(offset < 1 for offset in offsets):
            raise ValidationError(self.env._("Reminder days must be positive numbers."))
        return sorted(set(offsets), reverse=True)

    # ------------------------------------------------------------------
    # Selection
    # ------------------------------------------------------------------
    def _selection_query(self):
        """SQL returning (id, usage_bytes) of the selected mailboxes."""
        self.ensure_one()
        Mailbox = self.env["nolog.mailbox"]
        Mailbox.flush_model()
        self.env["nolog.usage.history"].flush_model()
        conditions = [
            SQL("m.state IN %s", AUTOMATIC_STATES),
            SQL("m.company_id = %s", self.company_id.id),
        ]
        if self.server_id:
            conditions.append(SQL("m.server_id = %s", self.server_id.id))
        today = fields.Date.context_today(self)
        if self.rule == "inactive":
            # No usage change since the limit: the last history row whose
            # usage differs from today's is older than the limit (or none is).
            limit = today - timedelta(days=self.inactive_days)
            conditions.append(
                SQL(
                    """m.open_date < %(limit)s AND NOT EXISTS (
                        SELECT 1 FROM nolog_usage_history h
                         WHERE h.mailbox_id = m.id AND h.date >= %(limit)s
                           AND h.usage_bytes != m.usage_bytes)""",
                    limit=limit,
                )
            )
        elif self.rule == "size":
            conditions.append(
                SQL("m.usage_bytes > %s", self.min_size_mb * 1024.0 * 1024.0)
            )
        elif self.rule == "manual":
            conditions.append(
                SQL("m.id IN %s", tuple(self.manual_mailbox_ids.ids) or (0,))
            )
        where = SQL(" AND ").join(conditions)
        step = self.every_k if self.rule == "every_kth" else 1
        return SQL(
            """
            SELECT id, usage_bytes FROM (
                SELECT m.id, COALESCE(m.usage_bytes, 0) AS usage_bytes,
                       row_number() OVER (ORDER BY m.id) AS rank
                  FROM nolog_mailbox m
                 WHERE %(where)s
            ) ranked
             WHERE mod(rank - 1, %(step)s) = 0
            """,
            where=where,
            step=step,
        )

    def _selection_totals(self):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT count(*), COALESCE(sum(usage_bytes), 0) FROM (%s) s",
                self._selection_query(),
            )
        )
        count, total = self.env.cr.fetchone()
        return count, total

    def _selected_mailboxes(self):
        self.ensure_one()
        self.env.cr.execute(SQL("SELECT id FROM (%s) s", self._selection_query()))
        return self.env["nolog.mailbox"].browse(
            row[0] for row in self.env.cr.fetchall()
        )

    def action_preview(self):
        """The selected mailboxes, before anything is sent."""
        self.ensure_one()
        if self.state == "draft":
            ids = self._selected_mailboxes().ids
        else:
            ids = self.line_ids.mailbox_id.ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Selected by %(name)s", name=self.name),
            "res_model": "nolog.mailbox",
            "view_mode": "list,form",
            "domain": [("id", "in", ids)],
            "context": {"create": False},
        }

    def action_view_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "nolog.closure.campaign.line",
            "view_mode": "list",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_keep_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Keep requests"),
            "res_model": "nolog.keep.request",
            "view_mode": "list,form",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Launch
    # ------------------------------------------------------------------
    def action_launch(self):
        """Move the selected mailboxes to 'closing' and queue the notices.

        Managers only. Set-based: one INSERT for the lines, one UPDATE for the
        mailboxes, the notices created in batches with bodies rendered once
        per campaign.
        """
        self.ensure_one()
        self.env["nolog.mailbox"]._check_manager(
            self.env._("Only a no-log manager may launch a closure campaign.")
        )
        self.check_access("write")
        if self.state != "draft":
            raise UserError(self.env._("This campaign was already launched."))
        offsets = self._reminder_offsets()
        today = fields.Date.context_today(self)
        closure = today + relativedelta(months=self.notice_months)
        next_reminders = [
            closure - timedelta(days=offset)
            for offset in offsets
            if closure - timedelta(days=offset) > today
        ]
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO nolog_closure_campaign_line (
                    campaign_id, mailbox_id, state, closure_date,
                    next_reminder_date, reminder_count, usage_bytes,
                    create_uid, create_date, write_uid, write_date)
                SELECT %(campaign)s, s.id, 'notified', %(closure)s,
                       %(next)s, 0, s.usage_bytes,
                       %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM (%(selection)s) s
                RETURNING mailbox_id, id
                """,
                campaign=self.id,
                closure=closure,
                next=next_reminders[0] if next_reminders else None,
                uid=self.env.uid,
                selection=self._selection_query(),
            )
        )
        line_of_mailbox = dict(cr.fetchall())
        if not line_of_mailbox:
            raise UserError(self.env._("The rule selects no mailbox."))
        cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox
                   SET state = 'closing', closure_date = %(closure)s,
                       closure_campaign_id = %(campaign)s,
                       write_uid = %(uid)s, write_date = now() at time zone 'UTC'
                 WHERE id IN %(ids)s
                """,
                closure=closure,
                campaign=self.id,
                uid=self.env.uid,
                ids=tuple(line_of_mailbox),
            )
        )
        self.env["nolog.mailbox"].invalidate_model(
            ["state", "closure_date", "closure_campaign_id"]
        )
        self.env["nolog.closure.campaign.line"].invalidate_model()
        self.write(
            {
                "state": "running",
                "launch_date": today,
                "closure_date": closure,
                "launched_by_id": self.env.uid,
            }
        )
        self._queue_notices(line_of_mailbox, reminder=False)
        self.message_post(
            body=self.env._(
                "Campaign launched: %(count)s mailboxes notified, closure on %(date)s.",
                count=format_number(self.env, len(line_of_mailbox), digits=0),
                date=format_date(self.env, closure),
            )
        )
        return True

    # ------------------------------------------------------------------
    # Notices
    # ------------------------------------------------------------------
    def _keep_signer(self):
        """A function (line id, mailbox id) -> signature of the keep link.

        It is Odoo's ``hmac`` (database secret, scope, message) with the
        secret read once, for a launch signs tens of thousands of links. The
        closure date is part of the signed message: the link expires on that
        date (the controller refuses it afterwards)."""
        self.ensure_one()
        secret = (
            self.env["ir.config_parameter"].sudo().get_param("database.secret")
        ).encode()
        closure = self.closure_date.isoformat()

        def sign(line_id, mailbox_id):
            message = repr((KEEP_LINK_SCOPE, (int(line_id), int(mailbox_id), closure)))
            return stdlib_hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()

        return sign

    def _keep_token(self, line_id, mailbox_id):
        """Signature of the keep link of one line (see ``_keep_signer``)."""
        return self._keep_signer()(line_id, mailbox_id)

    def _keep_url(self, line_id, mailbox_id, signer=None, base=None):
        base = base or self.get_base_url()
        token = (signer or self._keep_signer())(line_id, mailbox_id)
        return f"{base}/nolog/keep/{int(line_id)}/{token}"

    def _notice_body(self, reminder):
        """The notice's HTML, rendered once per campaign: French, then English.

        Both languages are in every email (the owner's language is not known:
        a mailbox needs no personal data), so the template holds both texts
        and is not translated. ``__ADDRESS__`` and ``__KEEP_URL__`` are the
        only per-mailbox parts, filled in by string replacement when queued.
        """
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "globenet_nolog.closure_notice_body",
            {
                "campaign": self,
                "reminder": reminder,
                "date_fr": babel_format_date(
                    self.closure_date, format="long", locale="fr_FR"
                ),
                "date_en": babel_format_date(
                    self.closure_date, format="long", locale="en_US"
                ),
            },
        )

    def _notice_subject(self, reminder):
        date_fr = babel_format_date(self.closure_date, format="long", locale="fr_FR")
        date_en = babel_format_date(self.closure_date, format="long", locale="en_US")
        if reminder:
            return (
                f"Rappel : votre boîte no-log fermera le {date_fr} / "
                f"Reminder: your no-log mailbox closes on {date_en}"
            )
        return (
            f"Votre boîte no-log fermera le {date_fr} / "
            f"Your no-log mailbox closes on {date_en}"
        )

    def _queue_notices(self, line_of_mailbox, reminder):
        """Queue one email per mailbox ({mailbox id: line id}), in batches.

        Set-based: the body is rendered once (``_notice_body``), each email
        only fills in its address and signed link. The emails are written to
        the mail queue (``mail.message`` + ``mail.mail``, state outgoing) with
        one INSERT of each per batch, as the ORM would create them one by one
        at several milliseconds each; Odoo's mail queue sends them. Each email
        is linked to its mailbox, so it shows in the mailbox's chatter: the
        notice is logged where the mailbox's history is read. Once sent, the
        queue deletes the email (its recipient and copy of the body) and keeps
        the chatter message, as for Odoo's own notifications.
        """
        self.ensure_one()
        body = str(self._notice_body(reminder))
        subject = self._notice_subject(reminder)
        email_from = (
            self.company_id.email_formatted or self.env.user.email_formatted or "no-log"
        )
        if reminder:
            log = self.env._(
                "Closure reminder queued (campaign %(name)s, closure on %(date)s).",
                name=self.name,
                date=format_date(self.env, self.closure_date),
            )
        else:
            log = self.env._(
                "Closure notice queued (campaign %(name)s, closure on %(date)s).",
                name=self.name,
                date=format_date(self.env, self.closure_date),
            )
        log = str(Markup("<p>%s</p>") % log)
        signer = self._keep_signer()
        base = self.get_base_url()
        author = self.env.user.partner_id.id
        mailbox_ids = list(line_of_mailbox)
        Mailbox = self.env["nolog.mailbox"]
        self.env.flush_all()
        for start in range(0, len(mailbox_ids), LAUNCH_BATCH):
            rows = Mailbox.browse(mailbox_ids[start : start + LAUNCH_BATCH])
            rows.fetch(["address", "partner_id"])
            rows.partner_id.fetch(["email"])
            # computed once per batch, as mail.message would per email
            reply_to = rows._notify_get_reply_to(default=email_from)
            res_ids, addresses, replies, message_ids, bodies, recipients = (
                [],
                [],
                [],
                [],
                [],
                [],
            )
            for mailbox in rows:
                email_to = mailbox.address
                owner = mailbox.partner_id.email
                if owner and owner != email_to:
                    email_to = f"{email_to}, {owner}"
                url = self._keep_url(
                    line_of_mailbox[mailbox.id], mailbox.id, signer=signer, base=base
                )
                res_ids.append(mailbox.id)
                addresses.append(mailbox.address)
                replies.append(reply_to[mailbox.id])
                message_ids.append(
                    generate_tracking_message_id(f"{mailbox.id}-nolog.mailbox")
                )
                bodies.append(
                    body.replace("__ADDRESS__", str(escape(mailbox.address))).replace(
                        "__KEEP_URL__", str(escape(url))
                    )
                )
                recipients.append(email_to)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO mail_message (
                        subject, body, model, res_id, record_name, message_type,
                        email_from, reply_to, message_id, author_id, date,
                        is_internal, reply_to_force_new,
                        create_uid, create_date, write_uid, write_date)
                    SELECT %(subject)s, %(log)s, 'nolog.mailbox', r.res_id,
                           r.address, 'email_outgoing', %(email_from)s, r.reply_to,
                           r.message_id, %(author)s, now() at time zone 'UTC',
                           false, false,
                           %(uid)s, now() at time zone 'UTC',
                           %(uid)s, now() at time zone 'UTC'
                      FROM unnest(%(res_ids)s::int[], %(addresses)s::varchar[],
                                  %(replies)s::varchar[], %(message_ids)s::varchar[])
                           AS r(res_id, address, reply_to, message_id)
                    RETURNING res_id, id
                    """,
                    subject=subject,
                    log=log,
                    email_from=email_from,
                    author=author,
                    uid=self.env.uid,
                    res_ids=res_ids,
                    addresses=addresses,
                    replies=replies,
                    message_ids=message_ids,
                )
            )
            message_of = dict(self.env.cr.fetchall())
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO mail_mail (
                        mail_message_id, body_html, email_to, state, auto_delete,
                        is_notification, create_uid, create_date, write_uid,
                        write_date)
                    SELECT r.message_id, r.body, r.email_to, 'outgoing', true,
                           true, %(uid)s, now() at time zone 'UTC',
                           %(uid)s, now() at time zone 'UTC'
                      FROM unnest(%(message_ids)s::int[], %(bodies)s::text[],
                                  %(recipients)s::text[])
                           AS r(message_id, body, email_to)
                    """,
                    uid=self.env.uid,
                    message_ids=[message_of[res_id] for res_id in res_ids],
                    bodies=bodies,
                    recipients=recipients,
                )
            )
            Mailbox.invalidate_model()
        self.env["mail.message"].invalidate_model()
        self.env["mail.mail"].invalidate_model()

    # ------------------------------------------------------------------
    # Scheduled action: reminders and closures
    # ------------------------------------------------------------------
    @api.model
    def _cron_campaigns(self, batch_size=5000):
        """Send the reminders due and close the mailboxes whose date came.

        Bounded: each call handles at most ``batch_size`` lines; the lines
        handled leave the searched domains (their next reminder moves on,
        closed lines are no longer 'notified').
        """
        today = fields.Date.context_today(self)
        done = self._close_due(today, batch_size)
        done += self._remind_due(today, batch_size - done)
        Line = self.env["nolog.closure.campaign.line"]
        remaining = 0
        if done >= batch_size:
            remaining = Line.search_count(
                [
                    ("state", "=", "notified"),
                    "|",
                    ("closure_date", "<=", today),
                    ("next_reminder_date", "<=", today),
                ]
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _close_due(self, today, limit):
        """Closed in the feed on the closure date; Odoo deletes nothing."""
        if limit <= 0:
            return 0
        Line = self.env["nolog.closure.campaign.line"]
        lines = Line.search(
            [("state", "=", "notified"), ("closure_date", "<=", today)], limit=limit
        )
        if not lines:
            return 0
        lines.flush_recordset()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox m
                   SET state = 'closed', write_date = now() at time zone 'UTC'
                  FROM nolog_closure_campaign_line l
                 WHERE l.id IN %(lines)s AND m.id = l.mailbox_id
                   AND m.state = 'closing'
                """,
                lines=tuple(lines.ids),
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE nolog_closure_campaign_line
                   SET state = 'closed', next_reminder_date = NULL
                 WHERE id IN %s
                """,
                tuple(lines.ids),
            )
        )
        self.env["nolog.mailbox"].invalidate_model(["state"])
        Line.invalidate_model()
        # one note per mailbox, in bulk: the closure is logged where it happened
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": "nolog.mailbox",
                    "res_id": line.mailbox_id.id,
                    "message_type": "notification",
                    "subtype_id": self.env.ref("mail.mt_note").id,
                    "body": self.env._(
                        "Closed by the campaign %(name)s: the mail server may "
                        "delete its data from %(date)s.",
                        name=line.campaign_id.name,
                        date=format_date(self.env, line.closure_date),
                    ),
                }
                for line in lines
            ]
        )
        finished = lines.campaign_id.filtered(
            lambda c: not c.line_ids.filtered(lambda ln: ln.state == "notified")
        )
        finished.write({"state": "done"})
        return len(lines)

    @api.model
    def _remind_due(self, today, limit):
        if limit <= 0:
            return 0
        Line = self.env["nolog.closure.campaign.line"]
        lines = Line.search(
            [("state", "=", "notified"), ("next_reminder_date", "<=", today)],
            limit=limit,
        )
        for campaign in lines.campaign_id:
            mine = lines.filtered(lambda ln, c=campaign: ln.campaign_id == c)
            campaign._queue_notices(
                {line.mailbox_id.id: line.id for line in mine}, reminder=True
            )
            offsets = campaign._reminder_offsets()
            closure = campaign.closure_date
            upcoming = [
                closure - timedelta(days=offset)
                for offset in offsets
                if closure - timedelta(days=offset) > today
            ]
            mine.flush_recordset()
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE nolog_closure_campaign_line
                       SET reminder_count = reminder_count + 1,
                           last_reminder_date = %(today)s,
                           next_reminder_date = %(next)s
                     WHERE id IN %(ids)s
                    """,
                    today=today,
                    next=upcoming[0] if upcoming else None,
                    ids=tuple(mine.ids),
                )
            )
        Line.invalidate_model()
        return len(lines)
