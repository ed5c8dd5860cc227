from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestSubscriptionLifecycle(HostingCommon):
    def test_draft_is_not_invoiced_and_activation_needs_lines(self):
        sub = self._create_sub()
        with freeze_time("2026-01-05"):
            self._run_cron()
        self.assertFalse(self._invoices(sub))
        empty = self.Subscription.create({"partner_id": self.member.id})
        with self.assertRaisesRegex(UserError, "no line"):
            empty.action_activate()
        self.assertEqual(empty.state, "draft")

    def test_sequence_and_computed_fields(self):
        sub = self._create_sub()
        self.assertTrue(sub.name.startswith("SUB/"))
        self.assertEqual(sub.service_type, "shared_hosting")
        self.assertEqual(sub.amount_untaxed, 12.0)
        self.assertEqual(sub.invoice_partner_id, self.member)

    def test_suspended_is_not_invoiced_and_resume_skips_whole_periods(self):
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-01-01"):
            self._run_cron()
        with freeze_time("2026-01-20"):
            sub.action_suspend()
        self.assertEqual(sub.state, "suspended")
        with freeze_time("2026-03-05"):
            self._run_cron()
            self.assertEqual(len(self._invoices(sub)), 1)
        with freeze_time("2026-03-10"):
            sub.action_resume()
            self.assertEqual(sub.state, "active")
            # February lay wholly inside the suspension; March overlaps it
            self.assertEqual(sub.next_period_start, date(2026, 3, 1))
            self._run_cron()
        self.assertEqual(
            self._invoices(sub).mapped("hosting_period_start"),
            [date(2026, 1, 1), date(2026, 3, 1)],
        )
        self.assertIn("wholly inside the suspension", sub.message_ids[0].body)

    def test_state_guards(self):
        sub = self._create_sub()
        with self.assertRaises(UserError):
            sub.action_suspend()
        with self.assertRaises(UserError):
            sub.action_resume()
        with self.assertRaises(UserError):
            sub.action_invoice_now()
        sub.action_activate()
        with self.assertRaises(UserError):
            sub.action_activate()

    def test_close_at_a_date_stops_after_last_period(self):
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-02-10"):
            self._run_cron()
            wizard = Form(
                self.env["hosting.subscription.close"].with_context(
                    active_model="hosting.subscription", active_ids=sub.ids
                )
            )
            wizard.date_end = date(2026, 2, 15)
            wizard.reason = "Member moved to another host"
            wizard.save().action_close()
        # February, which contains the closing date, is invoiced already
        self.assertEqual(sub.state, "closed")
        self.assertEqual(sub.date_end, date(2026, 2, 15))
        with freeze_time("2026-04-01"):
            self._run_cron()
        self.assertEqual(self._periods(sub)[-1], (date(2026, 2, 1), date(2026, 2, 28)))
        self.assertEqual(len(self._invoices(sub)), 2)

    def test_close_in_arrears_invoices_last_period_then_closes(self):
        sub = self._create_sub(invoicing_mode="arrears")
        sub.action_activate()
        with freeze_time("2026-01-20"):
            sub._close(date(2026, 1, 20), "Leaving")
        self.assertEqual(sub.state, "active")
        with freeze_time("2026-02-01"):
            self._run_cron()
        self.assertEqual(self._periods(sub), [(date(2026, 1, 1), date(2026, 1, 31))])
        self.assertEqual(sub.state, "closed")
        self.assertEqual(sub.close_reason, "Leaving")

    def test_close_when_nothing_left_closes_now(self):
        sub = self._create_sub()
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        sub._close(date(2026, 1, 31), "End of contract")
        self.assertEqual(sub.state, "closed")
        with self.assertRaises(UserError):
            sub._close(date(2026, 1, 31), "Again")
        with freeze_time("2026-03-01"):
            self._run_cron()
        self.assertEqual(len(self._invoices(sub)), 1)

    def test_invoice_now_invoices_next_period_ahead(self):
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-01-01"):
            sub._invoice_periods(date(2026, 1, 1))
        with freeze_time("2026-01-15"):
            action = sub.action_invoice_now()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.hosting_period_start, date(2026, 2, 1))
        self.assertEqual(invoice.invoice_date, date(2026, 1, 15))
        self.assertEqual(sub.next_period_start, date(2026, 3, 1))
        action = sub.action_view_invoices()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), self._invoices(sub)
        )

    def test_constraints(self):
        with self.assertRaises(ValidationError):
            self._create_sub(reseller_id=self.member.id)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._create_sub(recurring_interval=0)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self._create_sub(date_end=date(2025, 1, 1))

    def test_french_translation(self):
        """The users are French: labels and messages come in French."""
        self.env["ir.module.module"]._load_module_terms(
            ["globenet_hosting"], ["fr_FR"], overwrite=True
        )
        Subscription = self.Subscription.with_context(lang="fr_FR")
        selection = dict(
            Subscription.fields_get(["payment_method"])["payment_method"]["selection"]
        )
        self.assertEqual(selection["sepa_dd"], "Prélèvement SEPA")
        sub = self._create_sub().with_context(lang="fr_FR")
        with self.assertRaisesRegex(UserError, "Seuls les abonnements actifs"):
            sub.action_suspend()
