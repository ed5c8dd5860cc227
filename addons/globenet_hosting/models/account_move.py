# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from collections import defaultdict

from psycopg2 import OperationalError
from psycopg2 import errors as pgerrors

from odoo import Command, api, fields, models
from odoo.tools import SQL, create_index, mute_logger

from .hosting_subscription import PAYMENT_METHODS

_logger = logging.getLogger(__name__)


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
        return res

    def _compute_name(self):
        """While a recurring invoicing run posts its invoices, number them
        per journal and day in one pass: the first invoice of each group gets
        the journal's next number as the Confirm button gives it, the others
        the numbers that follow, written together. If another process took
        one of these numbers meanwhile, they are numbered one by one as
        usual."""
        if not self.env.context.get("hosting_batch_numbering"):
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
        self.with_context(
            hosting_pending_ranks=pending, hosting_batch_numbering=True
        ).action_post()
        by_increment = defaultdict(list)
        for (field, partner_id), count in pending.items():
            by_increment[(field, count)].append(partner_id)
        Partner = self.env["res.partner"]
        for (field, count), partner_ids in by_increment.items():
            Partner.browse(partner_ids)._increase_rank(field, count)

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
