from datetime import date

from freezegun import freeze_time

from odoo.sql_db import db_connect
from odoo.tests import Form, tagged
from odoo.tools import SQL

from ..models.hosting_subscription import INVOICING_LOCK_KEY
from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestTwoWorkers(HostingCommon):
    """Two processes running the scheduled action take different
    subscriptions: the lock is taken inside the search, with its limit."""

    def _due_subs(self, count):
        subs = self.Subscription.browse()
        for _i in range(count):
            subs |= self._create_sub()
        subs.action_activate()
        self.env.flush_all()
        return subs

    def test_batch_skips_subscriptions_held_by_another_worker(self):
        first, second, third, fourth = self._due_subs(4)
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            # Another worker is invoicing the first due subscription.
            other.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%s, %s)", INVOICING_LOCK_KEY, first.id
                )
            )
            with freeze_time("2026-01-02"):
                domain = self.Subscription._get_due_domain(date(2026, 1, 2))
                self.assertEqual(
                    self.Subscription._search_due_locked(domain, 2),
                    second | third,
                    "the batch is filled with free subscriptions, in order",
                )
                self.Subscription._cron_invoice_due(batch_size=2)
            self.assertFalse(self._invoices(first))
            self.assertEqual(len(self._invoices(second)), 1)
            self.assertEqual(len(self._invoices(third)), 1)
            self.assertFalse(self._invoices(fourth), "beyond the batch: not taken")
        finally:
            other.rollback()
            other.close()
        with freeze_time("2026-01-02"):
            self.Subscription._cron_invoice_due(batch_size=2)
        for sub in (first, second, third, fourth):
            self.assertEqual(len(self._invoices(sub)), 1, "each period invoiced once")

    def test_rows_after_the_batch_stay_free(self):
        """Only the batch is locked: another worker can take the rest."""
        subs = self._due_subs(3)
        domain = self.Subscription._get_due_domain(date(2026, 1, 2))
        taken = self.Subscription._search_due_locked(domain, 2)
        self.assertEqual(taken, subs[:2])
        self.env.cr.execute(
            SQL(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND pid = pg_backend_pid()",
                INVOICING_LOCK_KEY,
            )
        )
        held = {row[0] for row in self.env.cr.fetchall()}
        self.assertEqual(held & set(subs.ids), set(subs[:2].ids))


@tagged("post_install", "-at_install")
class TestPostingEquivalence(HostingCommon):
    """An invoice posted by the engine is the invoice a treasurer would get by
    confirming the same invoice by hand."""

    def _snapshot(self, move):
        # the chatter's tracking messages are written when the transaction
        # is about to commit: run those hooks first
        self.env.cr.flush()
        return {
            "prefix": move.sequence_prefix,
            "state": move.state,
            "lines": sorted(
                (
                    line.account_id.id,
                    line.display_type,
                    line.partner_id.id,
                    line.debit,
                    line.credit,
                    tuple(line.tax_ids.ids),
                    line.date_maturity,
                )
                for line in move.line_ids
            ),
            "followers": move.message_partner_ids,
            "subtypes": move.message_follower_ids.subtype_ids,
            "chatter": [
                (
                    message.message_type,
                    message.subtype_id,
                    message.body,
                    sorted(
                        (
                            value.field_id.name,
                            value.old_value_char,
                            # each invoice has its own number
                            "<number>"
                            if value.new_value_char == move.name
                            else value.new_value_char,
                        )
                        for value in message.sudo().tracking_value_ids
                    ),
                )
                for message in move.message_ids
            ],
            "checked": move.checked,
            "delivery_date": move.delivery_date,
            "rank": move.partner_id.customer_rank,
        }

    def test_engine_posting_equals_confirm_button(self):
        self.env.company.hosting_invoice_post = True
        # with the chatter's tracking on, as in production
        self.env = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )
        by_hand_partner = self.member.copy({"name": "Dominique Petit"})
        sub = self._create_sub().with_env(self.env)
        sub.action_activate()
        with freeze_time("2026-01-02"):
            self.env["hosting.subscription"]._cron_invoice_due()
            engine_move = self._invoices(sub)
            # The same invoice, created as a draft and confirmed on its form.
            vals = sub._prepare_invoice_vals(
                (date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 2)),
                engine_move.journal_id,
            )
            vals.update(partner_id=by_hand_partner.id, hosting_subscription_id=False)
            vals.pop("hosting_period_start")
            by_hand = self.env["account.move"].create(vals)
            by_hand_before = self._snapshot(by_hand)
            with Form(by_hand) as form:
                self.assertEqual(form.state, "draft")
            by_hand.action_post()
        engine, manual = self._snapshot(engine_move), self._snapshot(by_hand)
        self.assertEqual(engine["state"], "posted")
        self.assertTrue(engine["checked"])
        self.assertEqual(engine["checked"], manual["checked"])
        # a French invoice is delivered on its invoice date, set on posting
        self.assertEqual(engine["delivery_date"], engine_move.invoice_date)
        self.assertEqual(manual["delivery_date"], by_hand.invoice_date)
        self.assertEqual(engine["prefix"], manual["prefix"])
        self.assertEqual(by_hand.sequence_number, engine_move.sequence_number + 1)
        self.assertEqual(
            [line[:2] + line[3:] for line in engine["lines"]],
            [line[:2] + line[3:] for line in manual["lines"]],
        )
        self.assertEqual(engine["followers"], self.member)
        self.assertEqual(manual["followers"], by_hand_partner)
        self.assertTrue(engine["subtypes"])
        self.assertEqual(engine["subtypes"], manual["subtypes"])
        self.assertEqual(engine["rank"], 1)
        self.assertEqual(manual["rank"], 1)
        new_messages = manual["chatter"][
            : len(manual["chatter"]) - len(by_hand_before["chatter"])
        ]
        self.assertIn(
            "state",
            [value[0] for message in new_messages for value in message[3]],
            "posting by hand logs the change of state",
        )
        self.assertEqual(engine["chatter"], new_messages)

    def test_invoice_now_logs_the_posting(self):
        """Invoice Now (one transaction, no isolation) logs the posting in
        the chatter as the scheduled action does."""
        self.env.company.hosting_invoice_post = True
        self.env = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )
        sub = self._create_sub().with_env(self.env)
        sub.action_activate()
        with freeze_time("2026-01-02"):
            sub.action_invoice_now()
        move = self._invoices(sub)
        self.assertEqual(move.state, "posted")
        self.env.cr.flush()
        tracked = move.message_ids.sudo().tracking_value_ids.field_id.mapped("name")
        self.assertIn("state", tracked)
        self.assertIn("name", tracked)

    def test_run_numbered_in_one_pass_in_sequence(self):
        self.env.company.hosting_invoice_post = True
        subs = self._create_sub() | self._create_sub() | self._create_sub()
        subs.action_activate()
        with freeze_time("2026-01-02"):
            self._run_cron()
        moves = subs.invoice_ids.sorted("id")
        numbers = moves.mapped("sequence_number")
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
        self.assertEqual(len(set(moves.mapped("sequence_prefix"))), 1)
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT name FROM account_move WHERE id IN %s ORDER BY id", moves._ids)
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()], moves.mapped("name")
        )
        self.assertEqual(moves.mapped("payment_reference"), moves.mapped("name"))
        self.assertFalse(any(moves.mapped("made_sequence_gap")))

    def test_numbers_taken_meanwhile_numbered_one_by_one(self):
        """If another process took the numbers that follow, the run's
        invoices get the next free ones instead of failing."""
        first, taken, third, fourth = (
            self.init_invoice("out_invoice", amounts=[10.0], invoice_date="2026-01-02")
            for _i in range(4)
        )
        (first | taken).action_post()
        (third | fourth).action_post()
        (third | fourth).name = "/"
        # as while the names are computed during posting
        protected = [third._fields[f] for f in ("name", "sequence_prefix")]
        with self.env.protecting(protected, third | fourth):
            (third | fourth)._hosting_number_after(first)
        self.env.flush_all()
        self.assertEqual(third.sequence_number, taken.sequence_number + 1)
        self.assertEqual(fourth.sequence_number, taken.sequence_number + 2)
        self.env.cr.execute(
            SQL(
                "SELECT name FROM account_move WHERE id IN %s ORDER BY id",
                (third | fourth)._ids,
            )
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()], (third | fourth).mapped("name")
        )

    def test_ranks_added_once_per_partner_as_posting_one_by_one(self):
        self.env.company.hosting_invoice_post = True
        company = self.env["res.partner"].create(
            {"name": "Le Journal", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Rédaction", "parent_id": company.id, "type": "invoice"}
        )
        subs = self._create_sub(partner=contact) | self._create_sub(partner=contact)
        subs |= self._create_sub()
        subs.action_activate()
        with freeze_time("2026-01-02"):
            self._run_cron()
        self.assertEqual(subs.invoice_ids.mapped("state"), ["posted"] * 3)
        self.assertEqual(contact.customer_rank, 2)
        self.assertEqual(company.customer_rank, 2)
        self.assertEqual(self.member.customer_rank, 1)
        for move in subs.invoice_ids:
            self.assertEqual(move.message_partner_ids, move.partner_id)


# Queries of one invoicing call that posts, caches cold, after a warm-up call:
# a fixed part (one query of it schedules the unpaid follow-up of the new
# invoices) and 11 per invoice, 9 of them Odoo's message_post of the chatter's
# "posted" tracking message, which the Confirm button posts too.
POSTED_QUERIES_10 = 218
POSTED_QUERIES_20 = 328


@tagged("post_install", "-at_install")
class TestPostingQueryCount(HostingCommon):
    """Posting a run costs a constant per invoice (with the chatter's
    tracking message of each invoice), not a follower subscription, a rank
    update, a delivery date and a review flag written per invoice."""

    def _make_subs(self, count):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Member {i}", "email": f"m{i}@example.org"}
                for i in range(count)
            ]
        )
        subs = self.Subscription.browse()
        for partner in partners:
            subs |= self._create_sub(partner=partner)
        subs.action_activate()
        self.env.flush_all()
        self.env.invalidate_all()
        return subs

    def test_posting_query_budget_flat(self):
        self.env.company.hosting_invoice_post = True
        # the chatter logs each posting, as in production
        self.env = self.env(
            context=dict(self.env.context, tracking_disable=False, mail_notrack=False)
        )
        self._make_subs(2).with_env(self.env)._invoice_periods(date(2026, 1, 1))
        self.env.cr.flush()
        subs_10 = self._make_subs(10).with_env(self.env)
        with self.assertQueryCount(POSTED_QUERIES_10):
            subs_10._invoice_periods(date(2026, 1, 1))
            self.env.cr.flush()  # flushes, then writes the tracking messages
        subs_20 = self._make_subs(20).with_env(self.env)
        with self.assertQueryCount(POSTED_QUERIES_20):
            subs_20._invoice_periods(date(2026, 1, 1))
            self.env.cr.flush()
        self.assertEqual(subs_20.invoice_ids.mapped("state"), ["posted"] * 20)
