from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HostingCommon

ENGINE_LOGGER = "odoo.addons.globenet_hosting.models.hosting_subscription"


@tagged("post_install", "-at_install")
class TestInvoicingRobustness(HostingCommon):
    def test_running_twice_invoices_once(self):
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-01-03"):
            self._run_cron()
            self._run_cron()
        self.assertEqual(len(self._invoices(sub)), 1)

    def test_retry_after_lost_progress_does_not_double_invoice(self):
        """If the pointer is ever behind the invoices (a restore, a manual
        edit), the already invoiced periods are skipped, not billed again."""
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-02-03"):
            self._run_cron()
            self.assertEqual(len(self._invoices(sub)), 2)
            sub.next_period_start = date(2026, 1, 1)
            self._run_cron()
        self.assertEqual(len(self._invoices(sub)), 2)
        self.assertEqual(sub.next_period_start, date(2026, 3, 1))
        self.assertFalse(sub.invoicing_error)

    def test_database_refuses_a_second_invoice_for_a_period(self):
        sub = self._create_sub()
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        invoice = self._invoices(sub)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                invoice.copy(
                    {
                        "hosting_subscription_id": sub.id,
                        "hosting_period_start": date(2026, 1, 1),
                    }
                )
        # a cancelled invoice frees its period
        invoice.button_cancel()
        sub.next_period_start = date(2026, 1, 1)
        sub._invoice_periods(date(2026, 1, 1))
        self.assertEqual(
            len(self._invoices(sub).filtered(lambda m: m.state != "cancel")), 1
        )

    def test_failing_subscription_is_isolated_and_flagged(self):
        bad_account = self.copy_account(self.company_data["default_account_revenue"])
        bad_product = self._create_product(
            name="Broken", type="service", property_account_income_id=bad_account.id
        )
        bad_account.deprecated = True
        good_1 = self._create_sub()
        bad = self._create_sub(product=bad_product)
        good_2 = self._create_sub()
        (good_1 | bad | good_2).action_activate()
        with freeze_time("2026-01-02"), mute_logger(ENGINE_LOGGER):
            self._run_cron()
            self.assertEqual(len(self._invoices(good_1)), 1)
            self.assertEqual(len(self._invoices(good_2)), 1)
            self.assertFalse(self._invoices(bad))
            self.assertIn("deprecated", bad.invoicing_error)
            self.assertEqual(bad.invoicing_error_date, date(2026, 1, 2))
            self.assertIn(bad, self.Subscription.search([("in_error", "=", True)]))
            self.assertIn("Recurring invoicing failed", bad.message_ids[0].body)
            # flagged today: the scheduler's next call today leaves it alone
            self.assertNotIn(
                bad,
                self.Subscription.search(
                    self.Subscription._get_due_domain(date(2026, 1, 2))
                ),
            )
        bad_account.deprecated = False
        with freeze_time("2026-01-03"):
            self._run_cron()
        self.assertEqual(len(self._invoices(bad)), 1)
        self.assertFalse(bad.invoicing_error)

    def test_failing_post_leaves_draft_and_flags(self):
        self.env.company.hosting_invoice_post = True
        good = self._create_sub()
        # a credit larger than the service: the invoice total is negative and
        # Odoo refuses to post it
        bad = self._create_sub(price=-5.0)
        (good | bad).action_activate()
        with freeze_time("2026-01-02"), mute_logger(ENGINE_LOGGER):
            self._run_cron()
        self.assertEqual(self._invoices(good).state, "posted")
        self.assertEqual(self._invoices(bad).state, "draft")
        self.assertFalse(self._invoices(bad).hosting_send_pending)
        self.assertIn("left as draft", bad.invoicing_error)

    def test_batches_report_progress_and_all_get_invoiced(self):
        subs = self.Subscription.create(
            [
                {
                    "partner_id": self.member.id,
                    "date_start": date(2026, 1, 1),
                    "line_ids": [
                        Command.create({"product_id": self.product_hosting.id})
                    ],
                }
                for _i in range(5)
            ]
        )
        subs.action_activate()
        progress = self.env["ir.cron.progress"].create(
            {
                "cron_id": self.env.ref(
                    "globenet_hosting.ir_cron_hosting_subscription_invoice"
                ).id
            }
        )
        Sub = self.Subscription.with_context(ir_cron_progress_id=progress.id)
        with freeze_time("2026-01-02"):
            Sub._cron_invoice_due(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (2, 3))
            Sub._cron_invoice_due(batch_size=2)
            Sub._cron_invoice_due(batch_size=2)
            self.assertEqual((progress.done, progress.remaining), (1, 0))
        moves = self.env["account.move"].search(
            [("hosting_subscription_id", "in", subs.ids)]
        )
        self.assertEqual(moves.hosting_subscription_id, subs)
        self.assertEqual(len(moves), 5)

    def test_multi_company(self):
        other = self.setup_other_company(name="Globenet Bis")
        company_2 = other["company"]
        product = self._create_product(
            name="Hosting 2",
            type="service",
            company_id=company_2.id,
            property_account_income_id=other["default_account_revenue"].id,
            taxes_id=[Command.set(other["default_tax_sale"].ids)],
        )
        sub_1 = self._create_sub()
        sub_2 = self.Subscription.with_company(company_2).create(
            {
                "partner_id": self.member.id,
                "company_id": company_2.id,
                "date_start": date(2026, 1, 1),
                "line_ids": [
                    Command.create({"product_id": product.id, "price_unit": 20.0})
                ],
            }
        )
        (sub_1 | sub_2).action_activate()
        with freeze_time("2026-01-02"):
            self._run_cron()
        invoice_2 = self._invoices(sub_2)
        self.assertEqual(invoice_2.company_id, company_2)
        self.assertEqual(invoice_2.journal_id, other["default_journal_sale"])
        self.assertEqual(self._invoices(sub_1).company_id, self.env.company)
        # a user of the first company only does not see the second's subscriptions
        user = self.env["res.users"].create(
            {
                "name": "Treasurer 1",
                "login": "treasurer_c1",
                "company_id": self.env.company.id,
                "company_ids": [Command.set(self.env.company.ids)],
                "groups_id": [
                    Command.set(
                        self.env.ref(
                            "globenet_hosting.group_globenet_hosting_manager"
                        ).ids
                    )
                ],
            }
        )
        visible = self.Subscription.with_user(user).search(
            [("id", "in", (sub_1 | sub_2).ids)]
        )
        self.assertEqual(visible, sub_1)
