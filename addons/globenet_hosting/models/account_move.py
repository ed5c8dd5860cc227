# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import OperationalError
from psycopg2 import errors as pgerrors

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, format_amount, format_date, mute_logger

from .hosting_subscription import PAYMENT_METHODS

_logger = logging.getLogger(__name__)

OPEN_PAYMENT_STATES = ("not_paid", "partial")


class AccountMove(models.Model):
    _inherit = "account.move"

    hosting_subscription_id = fields.Many2one(
        comodel_name="hosting.subscription",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    hosting_period_start = fields.Date(readonly=True, copy=False)
    hosting_period_end = fields.Date(readonly=True, copy=False)
    hosting_payment_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Payment Method",
        copy=False,
        tracking=True,
        help="How the customer pays this invoice. Direct-debit batches select "
        "invoices by this field.",
    )
    hosting_send_pending = fields.Boolean(
        copy=False,
        readonly=True,
        help="Posted by the recurring invoicing and waiting to be emailed.",
    )
    hosting_send_error = fields.Text(
        string="Sending Error",
        copy=False,
        readonly=True,
        help="Why the scheduled action could not send this recurring invoice.",
    )

    sepa_line_ids = fields.One2many(
        comodel_name="sepa.direct.debit.batch.line",
        inverse_name="move_id",
        string="SEPA Direct Debits",
        readonly=True,
        copy=False,
    )

    @api.model
    def init(self):
        """One live invoice per subscription period, guaranteed by the database,
        whatever runs the invoicing (two workers, a retry, a manual click).
        A cancelled invoice frees its period."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS account_move_hosting_period_uniq "
                "ON account_move (hosting_subscription_id, hosting_period_start) "
                "WHERE hosting_subscription_id IS NOT NULL AND state != 'cancel'"
            )
        )
        # The sending cron looks for the few invoices waiting to be sent.
        create_index(
            self.env.cr,
            indexname="account_move_hosting_send_pending_idx",
            tablename="account_move",
            expressions=["id"],
            where="hosting_send_pending = TRUE",
        )
        self._init_hosting_followup()
        return res

    def _compute_name(self):
        """While a recurring invoicing run posts its invoices, number them
        per journal and day in one pass: the first invoice of each group gets
        the journal's next number as the Confirm button gives it, the others
        the numbers that follow, written together. If another process took
        one of these numbers meanwhile, they are numbered one by one as
        usual."""
        if not self.env.context.get("hosting_batch_post"):
            return super()._compute_name()
        batch = self.filtered(
            lambda m: m.state == "posted" and m.name in (False, "/") and m.date
        )
        if self - batch:
            super(AccountMove, self - batch)._compute_name()
        batch = batch.sorted(lambda m: (m.date, m.ref or "", m._origin.id))
        for moves in batch.grouped(lambda m: (m.journal_id, m.date)).values():
            moves[0]._set_next_sequence()
            if len(moves) > 1:
                moves[1:]._hosting_number_after(moves[0])
        batch._inverse_name()
        return None

    def _hosting_number_after(self, first):
        """Give these moves the numbers following ``first``'s, in order."""
        format_string, values = first._get_sequence_format_param(first.name)
        self.flush_recordset()
        registry = self.env.registry
        # as _set_next_sequence: recompute what depends on the number
        triggers = registry._field_triggers[self._fields[self._sequence_field]]
        for inverse_field, triggered_fields in triggers.items():
            for triggered_field in triggered_fields:
                if not triggered_field.store or not triggered_field.compute:
                    continue
                for field in (
                    registry.field_inverses[inverse_field[0]]
                    if inverse_field
                    else [None]
                ):
                    self.env.add_to_compute(
                        triggered_field, self[field.name] if field else self
                    )
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                for move in self:
                    values["seq"] += 1
                    move.name = format_string.format(**values)
                self._compute_split_sequence()
                self.flush_recordset(["name", "sequence_prefix", "sequence_number"])
        except (pgerrors.ExclusionViolation, pgerrors.UniqueViolation):
            _logger.info("Hosting posting: numbers taken meanwhile, one by one")
            self.name = "/"
            for move in self:
                move._set_next_sequence()

    def _hosting_post(self):
        """Post the invoices of a recurring invoicing run as the Confirm
        button does, with the per-invoice steps of posting done once for the
        whole run: the invoices are numbered per journal and day in one pass,
        each invoice's partner is subscribed as a follower of all
        the run's invoices at once, and each partner's rank is increased once
        by its number of invoices."""
        if not self:
            return
        self._hosting_subscribe_partners()
        pending = {}
        moves = self.with_context(
            hosting_pending_ranks=pending, hosting_batch_post=True
        )
        moves._hosting_prepare_post()
        moves.action_post()
        by_increment = defaultdict(list)
        for (field, partner_id), count in pending.items():
            by_increment[(field, count)].append(partner_id)
        Partner = self.env["res.partner"]
        for (field, count), partner_ids in by_increment.items():
            Partner.browse(partner_ids)._increase_rank(field, count)

    def _hosting_prepare_post(self):
        """Write, for all the moves at once, the two values that posting
        assigns one move at a time: ``checked`` from the journal's
        auto-check (``account``), and the delivery date of a French
        invoice, its invoice date (``l10n_fr_account``). Posting then finds
        them set: the delivery date is left alone, and the per-move write of
        ``checked`` becomes a no-op that ``write`` skips. Neither value
        touches the lines, so the invoice lines are not synchronised again.
        The tracked change of ``checked`` is logged on posting as usual."""
        moves = self.with_context(skip_invoice_sync=True)
        for checked, group in moves.grouped(
            lambda m: m.journal_id.autocheck_on_post
        ).items():
            group.filtered(lambda m, c=checked: m.checked != c).write(
                {"checked": checked}
            )
        undated = moves.filtered(
            lambda m: m.show_delivery_date and not m.delivery_date and m.invoice_date
        )
        for invoice_date, group in undated.grouped("invoice_date").items():
            group.write({"delivery_date": invoice_date})

    def write(self, vals):
        if self.env.context.get("hosting_batch_post"):
            # While a recurring invoicing run posts its invoices, ``_post``
            # assigns ``checked`` move by move; _hosting_prepare_post wrote
            # it for all of them already, so those writes change nothing.
            if vals.keys() == {"checked"} and all(
                move.checked == vals["checked"] for move in self
            ):
                return True
            # The change of state changes no line: the lines of the run's
            # invoices, just created and synchronised, are not compared
            # again before and after it.
            if vals.keys() <= {"state", "posted_before"}:
                moves = self.with_context(skip_invoice_sync=True)
                return super(AccountMove, moves).write(vals)
        return super().write(vals)

    def _hosting_subscribe_partners(self):
        """Subscribe each invoice's partner to it, as posting does, for all
        the invoices in a few queries: followers already there are kept,
        archived partners are not subscribed (as in ``message_subscribe``),
        customers get the public subtypes and internal users the defaults."""
        self.check_access("write")
        moves = self.filtered(lambda m: m.partner_id.active)
        if not moves:
            return
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (row["res_id"], row["partner_id"])
            for row in Followers.search_read(
                [("res_model", "=", self._name), ("res_id", "in", moves.ids)],
                ["res_id", "partner_id"],
                load=None,
            )
        }
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        customers = set(moves.partner_id.sudo().filtered("partner_share").ids)
        vals_list = []
        for move in moves:
            partner_id = move.partner_id.id
            if (move.id, partner_id) in existing:
                continue
            existing.add((move.id, partner_id))
            subtypes = external if partner_id in customers else default
            vals_list.append(
                {
                    "res_model": self._name,
                    "res_id": move.id,
                    "partner_id": partner_id,
                    "subtype_ids": [Command.set(subtypes.ids)],
                }
            )
        Followers.with_context(default_partner_id=False).create(vals_list)
        moves.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def _hosting_send_domain(self):
        return [
            ("hosting_send_pending", "=", True),
            ("state", "=", "posted"),
            ("move_type", "=", "out_invoice"),
        ]

    @api.model
    def _cron_hosting_send_invoices(self, batch_size=100):
        """Send a bounded batch of posted recurring invoices through Odoo's
        invoice-sending pipeline (the one of the Send button and of its
        scheduled action): the PDF is stored on the invoice, the email is
        logged in its chatter. An invoice that fails is left unsent with its
        error, and the others are sent."""
        domain = self._hosting_send_domain()
        moves = self.search(domain, limit=batch_size, order="id")
        moves._hosting_send()
        remaining = self.search_count(domain) if len(moves) >= batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)

    def _hosting_send(self):
        """Generate and send these invoices, in one batch when possible, else
        one by one so that a failure stays on its own invoice."""
        if not self:
            return
        errors = {}
        try:
            with self.env.cr.savepoint():
                self._hosting_send_batch()
        except OperationalError:
            raise
        except Exception:  # noqa: BLE001 - isolated below, one by one
            _logger.info("Hosting sending: batch failed, isolating failures")
            for move in self:
                try:
                    with self.env.cr.savepoint():
                        move._hosting_send_batch()
                except OperationalError:
                    raise
                except Exception as error:  # noqa: BLE001 - shown on the invoice
                    errors[move] = str(error) or repr(error)
        for move in self - self.browse([m.id for m in errors]):
            if move.sending_data and move.sending_data.get("error"):
                # The pipeline logged the cause in the invoice's chatter.
                errors[move] = self.env._(
                    "The invoice documents could not be generated: see the "
                    "messages of the invoice."
                )
        sent = self - self.browse([m.id for m in errors])
        sent.write({"hosting_send_pending": False, "hosting_send_error": False})
        for move, message in errors.items():
            move.write(
                {
                    "hosting_send_pending": False,
                    "hosting_send_error": message,
                    "sending_data": False,
                }
            )
            move.message_post(
                body=self.env._("Sending this recurring invoice failed: %s", message)
            )
            _logger.warning("Hosting sending failed for %s: %s", move.name, message)

    def _hosting_send_batch(self):
        """One call of the pipeline. Its emails wait in the mail queue rather
        than being sent by this scheduled action."""
        user = self.env.user
        moves = self.with_context(mail_notify_force_send=False)
        moves.env["account.move.send"]._generate_and_send_invoices(
            moves,
            from_cron=True,
            author_user_id=user.id,
            author_partner_id=user.partner_id.id,
        )

    def _get_invoice_in_payment_state(self):
        """An invoice debited by a SEPA batch stays "in payment" until the
        batch is marked collected (Community marks reconciled invoices paid at
        once; with the accountant module this is already 'in_payment')."""
        state = super()._get_invoice_in_payment_state()
        if (
            state == "paid"
            and len(self) == 1
            and any(line.state == "sent" for line in self.sudo().sepa_line_ids)
        ):
            return "in_payment"
        return state

    # ------------------------------------------------------------------
    # Follow-up of unpaid customer invoices
    # ------------------------------------------------------------------
    # Each invoice climbs its company's follow-up levels one by one: a level is
    # due ``delay`` days after the due date, and never sooner after the previous
    # level than the gap between the two levels' delays (so an invoice noticed
    # late still gets its reminders spaced out). Paying it, a payment plan over
    # its receivable item, or the treasurer's pause stops it.
    hosting_followup_level_id = fields.Many2one(
        comodel_name="hosting.followup.level",
        string="Follow-up Level",
        readonly=True,
        copy=False,
        ondelete="restrict",
        index="btree_not_null",
        help="The last follow-up email sent for this invoice.",
    )
    hosting_followup_date = fields.Date(
        string="Last Follow-up", readonly=True, copy=False
    )
    hosting_followup_reason = fields.Text(
        string="Follow-up Reason",
        readonly=True,
        copy=False,
        help="Why the follow-up started early, e.g. the bank's reason for "
        "rejecting the direct debit. Quoted in the emails.",
    )
    hosting_followup_blocked = fields.Boolean(
        string="Follow-up Paused",
        copy=False,
        tracking=True,
        help="No more reminders for this invoice, e.g. while an agreement with "
        "the member is being settled.",
    )
    hosting_followup_stop = fields.Selection(
        selection=[
            ("paid", "Paid"),
            ("plan", "Payment plan"),
            ("paused", "Paused"),
        ],
        string="Follow-up Stopped",
        compute="_compute_hosting_followup_stop",
        store=True,
    )
    hosting_followup_next_level_id = fields.Many2one(
        comodel_name="hosting.followup.level",
        string="Next Level",
        compute="_compute_hosting_followup_next",
        store=True,
    )
    hosting_followup_next_date = fields.Date(
        string="Next Follow-up",
        compute="_compute_hosting_followup_next",
        store=True,
        help="When the next follow-up level will be sent.",
    )
    hosting_days_late = fields.Integer(
        string="Days Late", compute="_compute_hosting_days_late"
    )
    hosting_followup_next_step = fields.Char(
        string="Next Step", compute="_compute_hosting_followup_next_step"
    )

    def _init_hosting_followup(self):
        # The daily scheduled action reads the few invoices with a next step.
        create_index(
            self.env.cr,
            indexname="account_move_hosting_followup_next_idx",
            tablename="account_move",
            expressions=["hosting_followup_next_date"],
            where="hosting_followup_next_date IS NOT NULL",
        )

    @api.depends(
        "payment_state",
        "hosting_followup_blocked",
        "line_ids.hosting_debt_plan_ids.state",
    )
    def _compute_hosting_followup_stop(self):
        for move in self:
            plans = move.line_ids.hosting_debt_plan_ids
            if move.payment_state not in OPEN_PAYMENT_STATES:
                move.hosting_followup_stop = "paid"
            elif any(plan.state in ("confirmed", "done") for plan in plans):
                move.hosting_followup_stop = "plan"
            elif move.hosting_followup_blocked:
                move.hosting_followup_stop = "paused"
            else:
                move.hosting_followup_stop = False

    @api.depends(
        "move_type",
        "state",
        "company_id",
        "invoice_date_due",
        "hosting_followup_stop",
        "hosting_followup_level_id",
        "hosting_followup_date",
    )
    def _compute_hosting_followup_next(self):
        # Only posted customer invoices are followed up: drafts (e.g. a batch
        # of recurring invoices being created) cost no query here.
        followed = self.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        (self - followed).hosting_followup_next_level_id = False
        (self - followed).hosting_followup_next_date = False
        levels = followed._hosting_followup_levels()
        for move in followed:
            level, date = move._hosting_followup_next_step(levels[move.company_id])
            move.hosting_followup_next_level_id = level
            move.hosting_followup_next_date = date

    @api.depends("invoice_date_due", "payment_state", "move_type", "state")
    def _compute_hosting_days_late(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.invoice_date_due
            late = (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.payment_state in OPEN_PAYMENT_STATES
                and due
                and due < today
            )
            move.hosting_days_late = (today - due).days if late else 0

    @api.depends(
        "hosting_followup_stop",
        "hosting_followup_next_level_id",
        "hosting_followup_next_date",
        "hosting_followup_level_id",
    )
    def _compute_hosting_followup_next_step(self):
        stops = dict(
            self._fields["hosting_followup_stop"]._description_selection(self.env)
        )
        for move in self:
            if move.hosting_followup_stop == "paid" or move.move_type != "out_invoice":
                step = False
            elif move.hosting_followup_stop:
                step = stops[move.hosting_followup_stop]
            elif move.hosting_followup_next_level_id:
                step = self.env._(
                    "%(level)s on %(date)s",
                    level=move.hosting_followup_next_level_id.name,
                    date=format_date(self.env, move.hosting_followup_next_date),
                )
            elif move.hosting_followup_level_id.propose_suspension:
                step = self.env._("Treasurer to decide on a suspension")
            elif move.hosting_followup_level_id:
                step = self.env._("Last reminder sent")
            else:
                step = False
            move.hosting_followup_next_step = step

    # ------------------------------------------------------------------
    # The rule: one definition of the next step
    # ------------------------------------------------------------------
    @api.model
    def _hosting_followup_open_domain(self, companies):
        return [
            ("company_id", "in", companies.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]

    def _hosting_followup_levels(self):
        """Active levels of the companies of ``self``, by delay."""
        levels = defaultdict(lambda: self.env["hosting.followup.level"])
        for level in (
            self.env["hosting.followup.level"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        ):
            levels[level.company_id] |= level
        return levels

    def _hosting_followup_next_step(self, levels):
        """(level, date) of the next reminder of this invoice, or (None, None).

        ``levels``: the company's active levels sorted by delay."""
        self.ensure_one()
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or self.hosting_followup_stop
            or not self.invoice_date_due
        ):
            return None, None
        current = self.hosting_followup_level_id
        following = levels.filtered(
            lambda lvl: not current or lvl.delay > current.delay
        )
        if not following:
            return None, None
        level = following[0]
        date = self.invoice_date_due + timedelta(days=level.delay)
        if current and self.hosting_followup_date:
            spaced = self.hosting_followup_date + timedelta(
                days=level.delay - current.delay
            )
            date = max(date, spaced)
        return level, date

    # ------------------------------------------------------------------
    # Scheduled action and sending
    # ------------------------------------------------------------------
    @api.model
    def _cron_hosting_followup(self, batch_size=100, date=None):
        """Send the follow-up levels due today (or on ``date``), a bounded
        batch at a time. A sent invoice's next step moves to a later date (or
        to none), so it leaves the search."""
        today = date or fields.Date.context_today(self)
        domain = [("hosting_followup_next_date", "<=", today)]
        moves = self.search(
            domain, limit=batch_size, order="hosting_followup_next_date, id"
        )
        moves._hosting_followup_send(date=today)
        remaining = self.search_count(domain) if len(moves) >= batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)

    def _hosting_followup_send(self, reason=None, date=None):
        """Send each invoice's next level now, whatever its date: the email in
        the member's language through the mail queue, logged on the invoice,
        a note on the member, and after a level that proposes it, an activity
        for the treasurer to decide on a suspension."""
        template = self.env.ref("globenet_hosting.mail_template_hosting_followup")
        today = date or fields.Date.context_today(self)
        levels = self._hosting_followup_levels()
        for move in self:
            level = move._hosting_followup_next_step(levels[move.company_id])[0]
            if not level:
                continue
            vals = {
                "hosting_followup_level_id": level.id,
                "hosting_followup_date": today,
            }
            if reason:
                vals["hosting_followup_reason"] = reason
            move.write(vals)
            move.with_context(mail_notify_force_send=False).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                force_send=False,
            )
            move._hosting_followup_log_on_member(level, today)
            if level.propose_suspension:
                move._hosting_followup_propose_suspension(level)

    def _hosting_followup_log_on_member(self, level, date):
        self.ensure_one()
        days = max((date - self.invoice_date_due).days, 0)
        self.commercial_partner_id.message_post(
            body=self.env._(
                'Follow-up "%(level)s" sent for invoice %(invoice)s: '
                "%(amount)s left to pay, %(days)s days late.",
                level=level.name,
                invoice=self.name,
                amount=format_amount(self.env, self.amount_residual, self.currency_id),
                days=days,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _hosting_followup_propose_suspension(self, level):
        """An activity for the treasurer: never an automatic suspension."""
        self.ensure_one()
        subscription = self.hosting_subscription_id
        target = subscription if subscription.state == "active" else self
        target.with_context(mail_notify_force_send=False).activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Unpaid: propose a suspension?"),
            note=self.env._(
                "%(member)s has not paid invoice %(invoice)s (%(amount)s, due "
                "on %(due)s) after the last reminder. Decide with the member "
                "whether to suspend the service or to agree on a payment plan.",
                member=self.commercial_partner_id.display_name,
                invoice=self.name,
                amount=format_amount(self.env, self.amount_residual, self.currency_id),
                due=format_date(self.env, self.invoice_date_due),
            ),
            user_id=(level.activity_user_id or self.env.user).id,
        )

    def _hosting_followup_start(self, reason):
        """Start (or hurry) the follow-up at once, e.g. when the bank rejects
        the direct debit: the next level goes now, quoting ``reason``."""
        self.flush_recordset()
        moves = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and not m.hosting_followup_stop
            )
        )
        moves._hosting_followup_send(reason=reason)

    def _hosting_followup_payment_instructions(self):
        """How to pay this invoice, in the language of ``self.env``."""
        self.ensure_one()
        company = self.company_id
        # The company's bank account is printed on every invoice: public.
        bank = (
            self.sudo().partner_bank_id
            or self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("type", "=", "bank"),
                    ("bank_account_id", "!=", False),
                ],
                order="sequence, id",
                limit=1,
            )
            .bank_account_id
        )
        reference = self.payment_reference or self.name
        if bank:
            return self.env._(
                "Please pay by bank transfer to %(holder)s, IBAN %(iban)s "
                "(BIC %(bic)s), with the reference %(reference)s, or by cheque "
                "to the order of %(holder)s.",
                holder=company.name,
                iban=bank.acc_number,
                bic=bank.bank_bic or "-",
                reference=reference,
            )
        return self.env._(
            "Please pay by cheque to the order of %(holder)s, with the reference "
            "%(reference)s.",
            holder=company.name,
            reference=reference,
        )

    def action_hosting_followup_pause(self):
        self.check_access("write")
        if not self.env.user.has_group(
            "globenet_hosting.group_globenet_hosting_manager"
        ):
            raise UserError(self.env._("Only the treasurer pauses the follow-up."))
        self.hosting_followup_blocked = True

    def action_hosting_followup_resume(self):
        self.check_access("write")
        if not self.env.user.has_group(
            "globenet_hosting.group_globenet_hosting_manager"
        ):
            raise UserError(self.env._("Only the treasurer resumes the follow-up."))
        self.hosting_followup_blocked = False
