# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import HostingCommon

DUE = date(2026, 3, 1)
ICS = "FR72ZZZ123456"
IBAN_COMPANY = "FR7630004000000000012345632"
IBAN_MEMBER = "FR7630006000011234567890189"


@tagged("post_install", "-at_install")
class TestFollowup(HostingCommon):
    """Follow-up of unpaid invoices: the scheduled action run on chosen days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["globenet_hosting"], ["fr_FR"], overwrite=True
        )
        cls.company = cls.env.company
        cls.Move = cls.env["account.move"]
        cls.treasurer = new_test_user(
            cls.env,
            login="followup_treasurer",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="followup_billing",
            groups="base.group_user,account.group_account_invoice",
        )
        Level = cls.env["hosting.followup.level"]
        cls.level_1, cls.level_2, cls.level_3 = Level.create(
            [
                {"name": "Friendly reminder", "delay": 7, "message": "Oversight?"},
                {"name": "Second reminder", "delay": 21, "message": "Still unpaid."},
                {
                    "name": "Last reminder",
                    "delay": 45,
                    "message": "We may suspend the service.",
                    "propose_suspension": True,
                    "activity_user_id": cls.treasurer.id,
                },
            ]
        )
        for level, name in zip(
            cls.level_1 | cls.level_2 | cls.level_3,
            ("Premier rappel", "Deuxième rappel", "Dernier rappel"),
            strict=True,
        ):
            level.with_context(lang="fr_FR").name = name
        cls.english = cls.env["res.partner"].create(
            {"name": "Sam Jones", "email": "sam@example.org", "lang": "en_US"}
        )
        cls.sub = cls._create_sub(payment_method="cheque")
        cls.sub.action_activate()

    def _invoice(self, partner=None, amount=120.0, due=DUE, **vals):
        invoice = self.Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.member).id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Hosting",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
                **vals,
            }
        )
        invoice.action_post()
        return invoice

    def _run(self, day):
        with freeze_time(day):
            self.Move._cron_hosting_followup()
        self.env.flush_all()

    def _followups(self, invoice):
        """The follow-up emails logged on the invoice, oldest first."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("message_type", "=", "comment"),
            ],
            order="id",
        )

    def _pay(self, invoice, amount, day):
        with freeze_time(day):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount, "payment_date": day})._create_payments()

    def setUp(self):
        super().setUp()
        self._open_ids = []

    def test_each_level_at_its_day(self):
        invoice = self._invoice(hosting_subscription_id=self.sub.id)
        self.assertEqual(invoice.hosting_followup_next_level_id, self.level_1)
        self.assertEqual(invoice.hosting_followup_next_date, date(2026, 3, 8))
        expected = [
            ("2026-03-07", False, 0),
            ("2026-03-08", self.level_1, 1),
            ("2026-03-21", self.level_1, 1),
            ("2026-03-22", self.level_2, 2),
            ("2026-04-14", self.level_2, 2),
            ("2026-04-15", self.level_3, 3),
            ("2026-05-30", self.level_3, 3),
        ]
        for day, level, count in expected:
            self._run(day)
            self.assertEqual(
                invoice.hosting_followup_level_id,
                level or self.env["hosting.followup.level"],
                day,
            )
            self.assertEqual(len(self._followups(invoice)), count, day)
        messages = self._followups(invoice)
        # In the member's language (French), to the member, through the queue.
        self.assertIn("Dernier rappel", messages[-1].subject)
        self.assertIn("Bonjour", str(messages[-1].body))
        self.assertIn("We may suspend", str(messages[-1].body))
        self.assertEqual(messages.partner_ids, self.member)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        self.assertEqual(len(mails), 3)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        # Logged on the member too.
        notes = self.member.message_ids.filtered(lambda m: invoice.name in str(m.body))
        self.assertEqual(len(notes), 3)
        # After the last level: an activity for the treasurer, no suspension.
        activity = self.sub.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.treasurer)
        self.assertIn(invoice.name, str(activity.note))
        self.assertEqual(self.sub.state, "active")
        self.assertFalse(invoice.hosting_followup_next_date)
        with freeze_time("2026-04-20"):
            invoice.invalidate_recordset(["hosting_followup_next_step"])
            self.assertEqual(
                invoice.hosting_followup_next_step,
                "Treasurer to decide on a suspension",
            )
            self.assertEqual(invoice.hosting_days_late, 50)

    def test_english_member_gets_english(self):
        invoice = self._invoice(partner=self.english)
        self._run("2026-03-08")
        message = self._followups(invoice)
        self.assertEqual(len(message), 1)
        self.assertIn("Friendly reminder", message.subject)
        self.assertIn("Hello", str(message.body))
        self.assertIn(f"with the reference {invoice.name}", str(message.body))

    def test_no_email_twice_for_one_level(self):
        invoice = self._invoice()
        for day in ("2026-03-08", "2026-03-08", "2026-03-09", "2026-03-20"):
            self._run(day)
        self.assertEqual(len(self._followups(invoice)), 1)
        # Sending by hand what was already sent moves on, never repeats.
        with freeze_time("2026-03-09"):
            invoice._hosting_followup_send()
        self.assertEqual(invoice.hosting_followup_level_id, self.level_2)
        self.assertEqual(len(self._followups(invoice)), 2)

    def test_late_invoice_gets_levels_spaced_out(self):
        """An invoice 60 days late when the follow-up first sees it gets the
        first level, then each next one after the gap between the levels."""
        invoice = self._invoice()
        self._run("2026-04-30")
        self.assertEqual(invoice.hosting_followup_level_id, self.level_1)
        self.assertEqual(invoice.hosting_followup_next_date, date(2026, 5, 14))
        self._run("2026-05-13")
        self.assertEqual(len(self._followups(invoice)), 1)
        self._run("2026-05-14")
        self.assertEqual(invoice.hosting_followup_level_id, self.level_2)
        self.assertEqual(invoice.hosting_followup_next_date, date(2026, 6, 7))

    def test_partial_payment_goes_on_with_the_rest(self):
        invoice = self._invoice()
        self._run("2026-03-08")
        self._pay(invoice, 50.0, "2026-03-10")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(invoice.hosting_followup_stop)
        self._run("2026-03-22")
        second = self._followups(invoice)[-1]
        self.assertEqual(invoice.hosting_followup_level_id, self.level_2)
        self.assertIn("70,00", str(second.body))

    def test_payment_stops_the_follow_up(self):
        invoice = self._invoice()
        self._run("2026-03-08")
        self._pay(invoice, 120.0, "2026-03-15")
        self.assertEqual(invoice.hosting_followup_stop, "paid")
        self.assertFalse(invoice.hosting_followup_next_date)
        for day in ("2026-03-22", "2026-04-15"):
            self._run(day)
        self.assertEqual(len(self._followups(invoice)), 1)
        self.assertFalse(self.sub.activity_ids)

    def test_payment_plan_stops_the_follow_up(self):
        invoice = self._invoice()
        self._run("2026-03-08")
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        plan = self.env["debt.plan"].create(
            {
                "direction": "receivable",
                "partner_id": self.member.id,
                "first_due_date": date(2026, 4, 1),
                "instalment_amount": 40.0,
                "settled_line_ids": [Command.set(receivable.ids)],
            }
        )
        self.assertFalse(invoice.hosting_followup_stop, "a draft plan is no agreement")
        plan.action_confirm()
        self.assertEqual(invoice.hosting_followup_stop, "plan")
        self._run("2026-04-15")
        self.assertEqual(len(self._followups(invoice)), 1)

    def test_pause_is_the_treasurers(self):
        invoice = self._invoice()
        with self.assertRaises(UserError):
            invoice.with_user(self.accountant).action_hosting_followup_pause()
        invoice.with_user(self.treasurer).action_hosting_followup_pause()
        self.assertEqual(invoice.hosting_followup_stop, "paused")
        self._run("2026-03-08")
        self.assertFalse(self._followups(invoice))
        invoice.with_user(self.treasurer).action_hosting_followup_resume()
        self._run("2026-03-09")
        self.assertEqual(len(self._followups(invoice)), 1)

    def test_level_changes_reschedule(self):
        invoice = self._invoice()
        self.level_1.delay = 10
        self.env.flush_all()
        self.assertEqual(invoice.hosting_followup_next_date, date(2026, 3, 11))
        self.level_1.active = False
        self.env.flush_all()
        self.assertEqual(invoice.hosting_followup_next_level_id, self.level_2)

    def test_levels_are_per_company(self):
        other = self.setup_other_company()["company"]
        invoice = self._invoice(company_id=other.id)
        self.assertFalse(invoice.hosting_followup_next_date)
        self._run("2026-03-08")
        self.assertFalse(self._followups(invoice))
        level = self.env["hosting.followup.level"].with_user(self.treasurer)
        self.assertNotIn(other, level.search([]).company_id)

    def test_rejected_debit_starts_at_once(self):
        self.company.sepa_creditor_identifier = ICS
        journal = self.company_data["default_journal_bank"]
        journal.bank_account_id = self.env["res.partner.bank"].create(
            {
                "partner_id": self.company.partner_id.id,
                "acc_number": IBAN_COMPANY,
                "bank_id": self.env["res.bank"]
                .create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
                .id,
            }
        )
        mandate = self.env["sepa.mandate"].create(
            {
                "name": "GN-0001",
                "partner_id": self.member.id,
                "partner_bank_id": self.env["res.partner.bank"]
                .create({"partner_id": self.member.id, "acc_number": IBAN_MEMBER})
                .id,
                "signature_date": date(2026, 1, 15),
            }
        )
        mandate.action_validate()
        with freeze_time("2026-02-20"):
            invoice = self._invoice(hosting_payment_method="sepa_dd")
            batch = self.env["sepa.direct.debit.batch"].create(
                {"collection_date": DUE, "journal_id": journal.id}
            )
            batch.action_generate()
        self.assertEqual(invoice.payment_state, "in_payment")
        self.assertFalse(invoice.hosting_followup_next_date)
        self._run("2026-03-08")
        self.assertFalse(self._followups(invoice))
        with freeze_time("2026-03-04"):
            line = batch.line_ids
            action = line.action_reject()
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            wizard.reason = "AM04 insufficient funds"
            wizard.save().action_reject()
        self.env.flush_all()
        messages = self._followups(invoice)
        self.assertEqual(len(messages), 1)
        self.assertIn("AM04 insufficient funds", str(messages.body))
        self.assertEqual(invoice.hosting_followup_level_id, self.level_1)
        self.assertEqual(invoice.hosting_followup_reason, "AM04 insufficient funds")
        self.assertEqual(invoice.hosting_followup_date, date(2026, 3, 4))
        # The next level comes after the usual gap from the rejection.
        self.assertEqual(invoice.hosting_followup_next_date, date(2026, 3, 22))
        self._run("2026-03-08")
        self.assertEqual(len(self._followups(invoice)), 1)

    def test_access(self):
        reader = new_test_user(
            self.env,
            login="followup_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        self.assertTrue(self.level_1.with_user(reader).name)
        self.assertTrue(self.level_1.with_user(self.accountant).name)
        with self.assertRaises(AccessError):
            self.level_1.with_user(reader).write({"delay": 3})
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.accountant).write({"delay": 3})
        self.level_1.with_user(self.treasurer).write({"delay": 8})
        self.assertEqual(self.level_1.delay, 8)

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_batch_cost_is_flat(self):
        """Rescheduling the open invoices after a level change, and a run of
        the scheduled action that sends nothing, cost the same queries for 2
        invoices as for 8."""
        counts = []
        delay = 7
        for size in (1, 2, 8):  # the first one warms the caches up
            for _index in range(
                size - len(self.Move.search([("id", "in", self._open_ids)]))
            ):
                self._open_ids.append(self._invoice().id)
            delay += 1

            def reschedule(delay=delay):
                self.level_1.delay = delay

            counts.append(
                (
                    self._queries(reschedule),
                    self._queries(lambda: self._run("2026-03-01")),
                )
            )
        self.assertEqual(
            self.Move.browse(self._open_ids).mapped("hosting_followup_next_date"),
            [date(2026, 3, 11)] * 8,
        )
        self.assertEqual(counts[1], counts[2])


@tagged("post_install", "-at_install")
class TestFollowupPortal(HostingCommon, HttpCase):
    """The member's portal home lists their overdue invoices, and only theirs,
    with how to pay them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.module.module"]._load_module_terms(
            ["globenet_hosting"], ["fr_FR"], overwrite=True
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="followup_portal",
            password="followup_portal_pw",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )
        cls.other = cls.env["res.partner"].create({"name": "Someone Else"})

    def _invoice(self, partner, due, amount):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Hosting",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_home_lists_own_overdue_invoices(self):
        today = date.today()
        overdue = self._invoice(self.member, today - timedelta(days=12), 120.0)
        not_due = self._invoice(self.member, today + timedelta(days=5), 77.0)
        others = self._invoice(self.other, today - timedelta(days=30), 99.0)
        overdue.hosting_followup_reason = "AM04 insufficient funds"
        # an overdue invoice repaid under an agreed payment plan is not listed
        in_plan = self._invoice(self.member, today - timedelta(days=40), 60.0)
        plan = self.env["debt.plan"].create(
            {
                "direction": "receivable",
                "partner_id": self.member.id,
                "first_due_date": today + timedelta(days=10),
                "instalment_amount": 20.0,
                "settled_line_ids": [
                    Command.set(
                        in_plan.line_ids.filtered(
                            lambda line: line.account_type == "asset_receivable"
                        ).ids
                    )
                ],
            }
        )
        plan.action_confirm()
        self.authenticate("followup_portal", "followup_portal_pw")
        page = self.url_open("/my").text
        self.assertNotIn(in_plan.name, page)
        self.assertIn("hosting_overdue_invoices", page)
        self.assertIn(overdue.name, page)
        self.assertNotIn(not_due.name, page)
        self.assertNotIn(others.name, page)
        # In the member's language (French), with the payment instructions.
        self.assertIn("Factures en retard", page)
        self.assertIn("AM04 insufficient funds", page)
        self.assertIn(f"avec la référence {overdue.payment_reference}", page)

    def test_nothing_when_up_to_date(self):
        self._invoice(self.other, date.today() - timedelta(days=30), 99.0)
        self.authenticate("followup_portal", "followup_portal_pw")
        self.assertNotIn("hosting_overdue_invoices", self.url_open("/my").text)
