# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import zlib
from collections import defaultdict
from datetime import timedelta

from psycopg2 import OperationalError

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from .hosting_recurrence_mixin import PERIOD_MONTHS  # noqa: F401 - public name
from .product_template import SERVICE_TYPES

_logger = logging.getLogger(__name__)

# First key of the advisory lock held on a subscription while it is invoiced.
INVOICING_LOCK_KEY = zlib.crc32(b"hosting.subscription.invoicing") & 0x7FFFFFFF
PAYMENT_METHODS = [
    ("sepa_dd", "SEPA direct debit"),
    ("cheque", "Cheque"),
    ("transfer", "Bank transfer"),
]
# How many periods one subscription may catch up in one call of the
# scheduled action; a subscription with more stays due for the next call.
MAX_PERIODS_PER_CALL = 12


class HostingSubscription(models.Model):
    _name = "hosting.subscription"
    _description = "Hosting Subscription"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "hosting.recurrence.mixin",
    ]
    _order = "name desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    subscription_type = fields.Selection(
        selection=[("sale", "Customer"), ("purchase", "Supplier")],
        string="Type",
        required=True,
        default="sale",
        help="Customer subscriptions produce customer invoices; supplier "
        "subscriptions produce vendor bills for recurring costs.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        tracking=True,
        check_company=True,
        index=True,
    )
    reseller_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
        index=True,
        help="When set, the reseller is invoiced for this subscription instead "
        "of the customer, who is named on the invoice lines.",
    )
    invoice_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Invoiced Partner",
        compute="_compute_invoice_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        check_company=True,
        domain="[('type', '=', 'sale' if subscription_type == 'sale' else 'purchase')]",
        help="Journal of the invoices. Leave empty to use the company's first "
        "sales (or purchase) journal.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Last day of service. The period containing this day is the last "
        "one invoiced.",
    )
    recurring_rule_type = fields.Selection(
        selection=[
            ("monthly", "Month(s)"),
            ("quarterly", "Quarter(s)"),
            ("yearly", "Year(s)"),
        ],
        string="Recurrence",
        required=True,
        default="monthly",
        tracking=True,
    )
    recurring_interval = fields.Integer(
        string="Invoice Every",
        required=True,
        default=1,
        tracking=True,
        help="Invoice every N months, quarters or years.",
    )
    invoicing_mode = fields.Selection(
        selection=[("advance", "In advance"), ("arrears", "In arrears")],
        required=True,
        default="advance",
        tracking=True,
        help="In advance: a period is invoiced on its first day. In arrears: "
        "it is invoiced on the day after its last day.",
    )
    next_period_start = fields.Date(
        copy=False,
        help="First day of the next period to invoice. Set on activation and "
        "advanced by each invoice.",
    )
    next_invoice_date = fields.Date(
        compute="_compute_next_invoice_date",
        store=True,
        index=True,
    )
    payment_method = fields.Selection(
        selection=PAYMENT_METHODS,
        required=True,
        default="sepa_dd",
        tracking=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("closed", "Closed"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    suspension_ids = fields.One2many(
        comodel_name="hosting.subscription.suspension",
        inverse_name="subscription_id",
        string="Suspensions",
        readonly=True,
        copy=False,
    )
    suspended_date = fields.Date(
        compute="_compute_suspended_date",
        help="First day of the current suspension.",
    )
    close_reason = fields.Text(copy=False, tracking=True, groups="base.group_user")
    invoice_policy = fields.Selection(
        selection=[
            ("company", "Company default"),
            ("draft", "Draft invoices"),
            ("posted", "Posted invoices"),
        ],
        required=True,
        default="company",
        help="Whether the scheduled action leaves this subscription's invoices "
        "as drafts or posts them and queues them for sending.",
    )
    line_ids = fields.One2many(
        comodel_name="hosting.subscription.line",
        inverse_name="subscription_id",
        string="Lines",
        copy=True,
    )
    opportunity_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Hosting Request",
        copy=False,
        index="btree_not_null",
        help="The CRM request this subscription comes from.",
    )
    hosting_legacy_ref = fields.Char(
        string="Legacy Reference",
        copy=False,
        index="btree_not_null",
        help="The subscription's reference in the old accounting base.",
    )
    service_type = fields.Selection(
        selection=SERVICE_TYPES,
        compute="_compute_service_type",
        store=True,
        help="Service type of the subscription's main line.",
    )
    amount_untaxed = fields.Monetary(
        string="Amount per Period",
        compute="_compute_amount_untaxed",
        store=True,
    )
    invoice_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="hosting_subscription_id",
        string="Invoices",
        readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    invoicing_error = fields.Text(copy=False, readonly=True, groups="base.group_user")
    in_error = fields.Boolean(
        compute="_compute_in_error",
        store=True,
        help="The last invoicing of this subscription failed.",
    )
    invoicing_error_date = fields.Date(
        copy=False, readonly=True, groups="base.group_user"
    )
    note = fields.Html(groups="base.group_user")

    _sql_constraints = [
        (
            "recurring_interval_positive",
            "CHECK(recurring_interval > 0)",
            "The recurrence interval must be at least 1.",
        ),
        (
            "date_end_after_start",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "The end date cannot be before the start date.",
        ),
    ]

    @api.depends("partner_id", "reseller_id")
    def _compute_invoice_partner_id(self):
        for sub in self:
            sub.invoice_partner_id = sub.reseller_id or sub.partner_id

    @api.depends(
        "next_period_start",
        "date_start",
        "invoicing_mode",
        "recurring_rule_type",
        "recurring_interval",
        "suspension_ids.date_start",
        "suspension_ids.date_resume",
    )
    def _compute_next_invoice_date(self):
        """Invoice date of the first period from the pointer on that does
        not lie wholly inside a suspension."""
        for sub in self:
            if not sub.next_period_start or sub.recurring_interval < 1:
                sub.next_invoice_date = False
                continue
            period = next(sub._iter_billable_periods(sub.next_period_start), None)
            sub.next_invoice_date = period and period[2]

    @api.depends("suspension_ids.date_start", "suspension_ids.date_resume")
    def _compute_suspended_date(self):
        for sub in self:
            current = sub.suspension_ids.filtered(lambda s: not s.date_resume)[:1]
            sub.suspended_date = current.date_start

    @api.depends("line_ids.product_id.hosting_service_type", "line_ids.price_subtotal")
    def _compute_service_type(self):
        for sub in self:
            main = sub.line_ids.sorted("price_subtotal", reverse=True)[:1]
            sub.service_type = main.product_id.hosting_service_type

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_untaxed(self):
        for sub in self:
            sub.amount_untaxed = sum(sub.line_ids.mapped("price_subtotal"))

    @api.depends("invoicing_error")
    def _compute_in_error(self):
        for sub in self:
            sub.in_error = bool(sub.invoicing_error)

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for sub in self:
            sub.access_url = f"/my/subscriptions/{sub.id}"
        return res

    def _compute_invoice_count(self):
        """Invoices the user may read; none without access to invoices (a
        user who reads subscriptions only)."""
        if not self.env["account.move"].has_access("read"):
            self.invoice_count = 0
            return
        counts = dict(
            self.env["account.move"]._read_group(
                [("hosting_subscription_id", "in", self.ids)],
                groupby=["hosting_subscription_id"],
                aggregates=["__count"],
            )
        )
        for sub in self:
            sub.invoice_count = counts.get(sub, 0)

    @api.constrains("reseller_id", "partner_id")
    def _check_reseller(self):
        for sub in self:
            if sub.reseller_id and sub.reseller_id == sub.partner_id:
                raise ValidationError(
                    self.env._(
                        "A customer cannot be their own reseller (%s).", sub.name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                code = (
                    "hosting.subscription.purchase"
                    if vals.get("subscription_type") == "purchase"
                    else "hosting.subscription"
                )
                vals["name"] = self.env["ir.sequence"].next_by_code(code) or self.env._(
                    "New"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------
    def _get_suspension_ranges(self):
        self.ensure_one()
        return [(s.date_start, s.date_resume or None) for s in self.suspension_ids]

    def _get_due_periods(self, date_ref, limit=MAX_PERIODS_PER_CALL, ahead=False):
        """Periods of this subscription to invoice by ``date_ref``, oldest first.

        Returns a list of ``(start, end, invoice_date)``. With ``ahead``, the
        next period is returned even when it is not due yet.
        """
        self.ensure_one()
        periods = []
        if not self.next_period_start:
            return periods
        for start, end, invoice_date in self._iter_billable_periods(
            self.next_period_start
        ):
            if len(periods) >= limit or (self.date_end and start > self.date_end):
                break
            if invoice_date > date_ref and not (ahead and not periods):
                break
            periods.append((start, end, min(invoice_date, date_ref)))
        return periods

    def _first_period_to_invoice(self):
        """Start of the first period not invoiced yet (suspended periods
        skipped), or False."""
        self.ensure_one()
        if self.state == "draft" or not self.next_period_start:
            return self.date_start
        if self.date_end and self.next_period_start > self.date_end:
            return False
        period = next(self._iter_billable_periods(self.next_period_start), None)
        return period and period[0]

    def _get_fiscal_positions(self):
        """The invoiced partner's fiscal position per subscription, looked up
        once per (company, partner), as the invoice itself does."""
        FiscalPosition = self.env["account.fiscal.position"]
        cache = {}
        result = {}
        for sub in self:
            key = (sub.company_id, sub.invoice_partner_id)
            if key not in cache:
                cache[key] = FiscalPosition.with_company(
                    sub.company_id
                )._get_fiscal_position(sub.invoice_partner_id)
            result[sub] = cache[key]
        return result

    def _estimate_period_amounts(self, fiscal_position=None):
        """Untaxed and taxed amounts of one period, from the lines' taxes
        mapped by the fiscal position, as on the invoice."""
        self.ensure_one()
        if fiscal_position is None:
            fiscal_position = self._get_fiscal_positions()[self]
        untaxed = total = 0.0
        for line in self.line_ids:
            res = line._get_invoice_taxes(fiscal_position).compute_all(
                line.price_unit,
                currency=self.currency_id,
                quantity=line.quantity,
                product=line.product_id,
                partner=self.invoice_partner_id,
            )
            untaxed += res["total_excluded"]
            total += res["total_included"]
        return untaxed, total

    def _get_due_domain(self, date_ref):
        return [
            ("state", "=", "active"),
            ("next_invoice_date", "<=", date_ref),
            "|",
            ("invoicing_error_date", "=", False),
            ("invoicing_error_date", "<", date_ref),
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        for sub in self:
            if sub.state != "draft":
                raise UserError(
                    self.env._("Only draft subscriptions can be activated.")
                )
            if not sub.line_ids:
                raise UserError(
                    self.env._(
                        "Subscription %s has no line: nothing to invoice.", sub.name
                    )
                )
        to_start = self.filtered(lambda s: not s.next_period_start)
        for date_start, subs in to_start.grouped("date_start").items():
            subs.write({"state": "active", "next_period_start": date_start})
        (self - to_start).write({"state": "active"})
        return True

    def action_suspend(self):
        """Stop invoicing from today; the suspension is kept in the history."""
        if self.filtered(lambda s: s.state != "active"):
            raise UserError(self.env._("Only active subscriptions can be suspended."))
        today = fields.Date.context_today(self)
        self.write(
            {
                "state": "suspended",
                "suspension_ids": [Command.create({"date_start": today})],
            }
        )
        return True

    def action_resume(self):
        """Resume invoicing from today. Periods that lie wholly inside the
        suspension are not invoiced; a period that overlaps it is invoiced in
        full."""
        if self.filtered(lambda s: s.state != "suspended"):
            raise UserError(self.env._("Only suspended subscriptions can be resumed."))
        today = fields.Date.context_today(self)
        for sub in self:
            current = sub.suspension_ids.filtered(lambda s: not s.date_resume)
            resume = max([today, *current.mapped("date_start")])
            current.write({"date_resume": resume})
            vals = {"state": "active"}
            skipped = []
            start = sub.next_period_start
            ranges = [(first, resume) for first in current.mapped("date_start")]
            leading = True
            while (
                start and start < resume and (not sub.date_end or start <= sub.date_end)
            ):
                end = sub._period_end(start)
                if sub._recurrence_is_suspended(ranges, start, end):
                    skipped.append((start, end))
                    if leading:
                        vals["next_period_start"] = end + timedelta(days=1)
                else:
                    leading = False
                start = end + timedelta(days=1)
            sub.write(vals)
            if skipped:
                sub.message_post(
                    body=self.env._(
                        "%(count)s period(s) that lay wholly inside the suspension "
                        "are not invoiced: %(periods)s.",
                        count=len(skipped),
                        periods=", ".join(
                            f"{format_date(self.env, s)}–{format_date(self.env, e)}"
                            for s, e in skipped
                        ),
                    )
                )
        return True

    def action_close_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close Subscription"),
            "res_model": "hosting.subscription.close",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _close(self, date_end, reason):
        """Stop invoicing after the period containing ``date_end``."""
        for sub in self:
            if sub.state == "closed":
                raise UserError(
                    self.env._("Subscription %s is already closed.", sub.name)
                )
            if date_end < sub.date_start:
                raise UserError(
                    self.env._(
                        "The closing date cannot be before the start date of %s.",
                        sub.name,
                    )
                )
            vals = {"date_end": date_end, "close_reason": reason}
            if (
                sub.state == "draft"
                or not sub.next_period_start
                or sub.next_period_start > date_end
            ):
                vals["state"] = "closed"
            sub.write(vals)
            sub.message_post(
                body=self.env._(
                    "Closed on %(date)s: %(reason)s",
                    date=format_date(self.env, date_end),
                    reason=reason,
                )
            )

    def action_invoice_now(self):
        """Invoice the periods due today, or the next period ahead of time."""
        self.check_access("write")
        self.env["account.move"].check_access("create")
        if self.filtered(lambda s: s.state != "active"):
            raise UserError(self.env._("Only active subscriptions can be invoiced."))
        self._lock_for_invoicing_now()
        today = fields.Date.context_today(self)
        moves = self._invoice_periods(today, ahead=True, isolate=False)
        if not moves:
            raise UserError(self.env._("There is no period left to invoice."))
        return self._action_view_moves(moves)

    def action_view_invoices(self):
        self.ensure_one()
        return self._action_view_moves(self.invoice_ids)

    def _action_view_moves(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
            if self[:1].subscription_type != "purchase"
            else "account.action_move_in_invoice_type"
        )
        action["domain"] = [("id", "in", moves.ids)]
        action["context"] = {"create": False}
        if len(moves) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = moves.id
        return action

    def action_preview(self):
        """Open the dry run of the next scheduled invoicing."""
        preview = self.env["hosting.subscription.preview"].create(
            {"subscription_ids": [Command.set(self.ids)]}
        )
        preview.action_compute()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoicing Preview"),
            "res_model": "hosting.subscription.preview",
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Invoicing engine
    # ------------------------------------------------------------------
    @api.model
    def _cron_invoice_due(self, batch_size=200):
        """Invoice a bounded batch of due subscriptions and report progress.

        Every processed subscription leaves the due domain: it is advanced past
        its invoiced periods, closed, or flagged in error for today.
        """
        today = fields.Date.context_today(self)
        domain = self._get_due_domain(today)
        subs = self._search_due_locked(domain, batch_size)
        subs._invoice_periods(today)
        remaining = self.search_count(domain) if len(subs) >= batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(subs), remaining=remaining)
        _logger.info(
            "Hosting invoicing: %s subscriptions processed, %s remaining",
            len(subs),
            remaining,
        )

    @api.model
    def _search_due_locked(self, domain, limit):
        """Search and lock up to ``limit`` subscriptions of ``domain`` in one
        query, skipping those another process holds: two workers running the
        scheduled action at once take different subscriptions, instead of the
        second one finding the first one's batch locked and doing nothing.

        The rows come in the search's order; each is row-locked (``FOR UPDATE
        SKIP LOCKED``), then kept if the invoicing advisory lock is free too,
        until ``limit`` are kept: the rows are pulled one at a time through
        the limit, so the rows after the batch are neither examined nor
        locked."""
        query = self._search(domain, order="next_invoice_date, id")
        table = SQL.identifier(self._table)
        candidates = SQL(
            "%s FOR UPDATE OF %s SKIP LOCKED",
            query.select(SQL.identifier(self._table, "id")),
            table,
        )
        rows = self.env.execute_query(  # flushes what the domain reads
            SQL(
                # MATERIALIZED: PostgreSQL would otherwise push the advisory
                # lock down into the scan and take it on every due row.
                "WITH candidate AS MATERIALIZED (%s) SELECT candidate.id "
                "FROM candidate WHERE pg_try_advisory_xact_lock(%s, candidate.id) "
                "LIMIT %s",
                candidates,
                INVOICING_LOCK_KEY,
                limit,
            )
        )
        return self.browse([row[0] for row in rows])

    def _lock_for_invoicing(self):
        """Lock the subscriptions for invoicing until the end of the
        transaction: their rows, and an advisory lock on each that every
        invoicing path takes. Returns those locked, skipping the ones another
        process is invoicing."""
        if not self:
            return self
        query = SQL(
            "SELECT id FROM hosting_subscription WHERE id IN %s "
            "AND pg_try_advisory_xact_lock(%s, id) FOR UPDATE SKIP LOCKED",
            tuple(self.ids),
            INVOICING_LOCK_KEY,
        )
        self.env.cr.execute(query)
        locked = {row[0] for row in self.env.cr.fetchall()}
        return self.filtered(lambda s: s.id in locked)

    def _lock_for_invoicing_now(self):
        """Lock all the subscriptions, or explain that one is being invoiced."""
        busy = self - self._lock_for_invoicing()
        if busy:
            raise UserError(
                self.env._(
                    "Subscription %s is being invoiced right now by another "
                    "process (the scheduled action or another user). Try again "
                    "in a minute.",
                    ", ".join(busy.mapped("name")),
                )
            )

    def _get_invoiced_period_starts(self):
        """(subscription id, period start) pairs already on a live invoice."""
        if not self:
            return set()
        rows = self.env["account.move"].search_read(
            [
                ("hosting_subscription_id", "in", self.ids),
                ("hosting_period_start", ">=", min(self.mapped("next_period_start"))),
                ("state", "!=", "cancel"),
            ],
            ["hosting_subscription_id", "hosting_period_start"],
            load=None,
        )
        return {(r["hosting_subscription_id"], r["hosting_period_start"]) for r in rows}

    def _get_journals(self):
        """The default journal per (company, subscription type), in one query."""
        companies = self.company_id
        journals = self.env["account.journal"].search(
            [("company_id", "in", companies.ids), ("type", "in", ("sale", "purchase"))],
            order="sequence, id",
        )
        result = {}
        for journal in journals:
            result.setdefault((journal.company_id.id, journal.type), journal)
        return result

    def _prepare_invoice_vals(self, period, journal, fiscal_position=None):
        self.ensure_one()
        if fiscal_position is None:
            fiscal_position = self._get_fiscal_positions()[self]
        start, end, invoice_date = period
        if not journal:
            raise UserError(
                self.env._(
                    "No %(type)s journal in company %(company)s.",
                    type=self.subscription_type,
                    company=self.company_id.name,
                )
            )
        partner = self.invoice_partner_id
        lang = partner.lang or self.env.user.lang
        date_from = format_date(self.env, start, lang_code=lang)
        date_to = format_date(self.env, end, lang_code=lang)
        dates = f"{date_from}–{date_to}"
        lines = []
        for line in self.line_ids:
            label = line.name or line.product_id.display_name
            if self.reseller_id:
                label = f"{label} ({self.partner_id.display_name})"
            lines.append(
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": f"{label} — {dates}",
                        "quantity": line.quantity,
                        "price_unit": line.price_unit,
                        "product_uom_id": line.product_uom_id.id,
                        "tax_ids": [
                            Command.set(line._get_invoice_taxes(fiscal_position).ids)
                        ],
                    }
                )
            )
        return {
            # Numbered when posted. Without it, Odoo looks for the journal's
            # last number for every new draft, a look-up that scans all the
            # unnumbered drafts of the period, and may number a draft.
            "name": "/",
            "move_type": "out_invoice"
            if self.subscription_type == "sale"
            else "in_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "journal_id": journal.id,
            "currency_id": self.currency_id.id,
            "fiscal_position_id": fiscal_position.id,
            "invoice_date": invoice_date,
            "invoice_origin": self.name,
            "hosting_subscription_id": self.id,
            "hosting_period_start": start,
            "hosting_period_end": end,
            "hosting_payment_method": self.payment_method,
            "hosting_send_pending": self._must_post()
            and self.subscription_type == "sale",
            "invoice_line_ids": lines,
        }

    def _must_post(self):
        """Whether this subscription's invoices are posted when created.

        Vendor bills of recurring expenses stay drafts unless the subscription
        asks otherwise: the company setting is about customer invoices."""
        self.ensure_one()
        if self.invoice_policy == "company":
            return (
                self.subscription_type == "sale"
                and self.company_id.hosting_invoice_post
            )
        return self.invoice_policy == "posted"

    def _invoice_periods(self, date_ref, ahead=False, isolate=True):
        """Create one invoice per due period of each subscription, oldest first.

        With ``isolate``, a subscription that fails is rolled back to a
        savepoint and flagged with its error, and the others are invoiced.
        Returns the created invoices.
        """
        if not self:
            return self.env["account.move"]
        invoiced = self._get_invoiced_period_starts()
        journals = self._get_journals()
        fiscal_positions = self._get_fiscal_positions()
        plans = []  # (subscription, vals_list, next_period_start)
        errors = {}
        for sub in self:
            try:
                journal = sub.journal_id or journals.get(
                    (sub.company_id.id, sub.subscription_type)
                )
                periods = sub._get_due_periods(date_ref, ahead=ahead)
                vals_list = [
                    sub._prepare_invoice_vals(period, journal, fiscal_positions[sub])
                    for period in periods
                    if (sub.id, period[0]) not in invoiced
                ]
            except (UserError, ValidationError) as error:
                if not isolate:
                    raise
                errors[sub] = str(error)
                continue
            next_start = (
                periods[-1][1] + timedelta(days=1) if periods else sub.next_period_start
            )
            plans.append((sub, vals_list, next_start))

        moves = self._create_invoices(plans, errors, isolate)
        ok_plans = [plan for plan in plans if plan[0] not in errors]
        self._advance(ok_plans)
        moves = moves.filtered(lambda m: m.hosting_subscription_id not in errors)
        self._post_invoices(moves, errors, isolate)
        self._flag_errors(errors, date_ref)
        return moves

    def _create_invoices(self, plans, errors, isolate):
        """Create the invoices of ``plans`` per company, in one batch when
        possible, else one subscription at a time to isolate failures."""
        Move = self.env["account.move"].with_context(
            mail_create_nolog=True, mail_notrack=True
        )
        moves = Move.browse()
        by_company = defaultdict(list)
        for plan in plans:
            if plan[1]:
                by_company[plan[0].company_id].append(plan)
        for company, company_plans in by_company.items():
            CompanyMove = Move.with_company(company)
            vals_list = [vals for plan in company_plans for vals in plan[1]]
            if not isolate:
                moves |= CompanyMove.create(vals_list)
                continue
            try:
                with self.env.cr.savepoint():
                    moves |= CompanyMove.create(vals_list)
                continue
            except OperationalError:
                raise
            except Exception:  # noqa: BLE001 - isolated below, one by one
                _logger.info("Hosting invoicing: batch failed, isolating failures")
            for sub, sub_vals, _next_start in company_plans:
                try:
                    with self.env.cr.savepoint():
                        moves |= CompanyMove.create(sub_vals)
                except OperationalError:
                    raise
                except Exception as error:  # noqa: BLE001 - flagged on the record
                    errors[sub] = str(error)
        return moves

    def _advance(self, plans):
        """Move each subscription past its invoiced periods, closing those whose
        end date is reached. Writes are grouped by value."""
        by_value = defaultdict(list)
        for sub, _vals, next_start in plans:
            closed = bool(sub.date_end and next_start > sub.date_end)
            by_value[(next_start, closed)].append(sub.id)
        for (next_start, closed), ids in by_value.items():
            vals = {
                "next_period_start": next_start,
                "invoicing_error": False,
                "invoicing_error_date": False,
            }
            if closed:
                vals["state"] = "closed"
            self.browse(ids).write(vals)

    def _post_invoices(self, moves, errors, isolate):
        to_post = moves.filtered(lambda m: m.hosting_subscription_id._must_post())
        if not to_post:
            return
        # Created without tracking, posted with it as the Confirm button
        # posts a draft: the chatter logs the change of state and number.
        # Odoo tracks no change of a record created in the same transaction
        # until the creation is flushed; the savepoint flushes it (and runs
        # the chatter's hooks) first, for the scheduled action and for
        # Invoice Now alike.
        to_post = to_post.with_context(
            mail_notrack=self.env.context.get("mail_notrack", False)
        )
        try:
            with self.env.cr.savepoint():
                to_post._hosting_post()
            return
        except OperationalError:
            raise
        except Exception:
            if not isolate:
                raise
            _logger.info("Hosting invoicing: batch posting failed, isolating failures")
        for move in to_post:
            try:
                with self.env.cr.savepoint():
                    move._hosting_post()
            except OperationalError:
                raise
            except Exception as error:  # noqa: BLE001 - flagged on the record
                move.hosting_send_pending = False
                errors[move.hosting_subscription_id] = self.env._(
                    "Invoice %(move)s left as draft, posting failed: %(error)s",
                    move=move.display_name,
                    error=error,
                )

    def _flag_errors(self, errors, date_ref):
        for sub, message in errors.items():
            sub.write({"invoicing_error": message, "invoicing_error_date": date_ref})
            sub.message_post(body=self.env._("Recurring invoicing failed: %s", message))
            _logger.warning("Hosting invoicing failed for %s: %s", sub.name, message)

    @api.model
    def _cron_send_invoices(self, batch_size=100):
        """Send the posted recurring invoices, outside invoicing."""
        self.env["account.move"]._cron_hosting_send_invoices(batch_size=batch_size)
