from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import Form, tagged
from odoo.tools import SQL, format_date, mute_logger

from ..models.hosting_subscription import INVOICING_LOCK_KEY
from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestInvoiceContent(HostingCommon):
    """What goes on a recurring invoice: prices, taxes, currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax_reduced = cls.env["account.tax"].create(
            {"name": "TVA 5,5 % test", "amount": 5.5, "type_tax_use": "sale"}
        )
        cls.tax_export = cls.env["account.tax"].create(
            {"name": "TVA 0 % export test", "amount": 0.0, "type_tax_use": "sale"}
        )

    def _change_price(self, sub, price):
        with Form(sub) as form, form.line_ids.edit(0) as line:
            line.price_unit = price

    def _price_message(self, sub):
        return sub.message_ids.filtered(lambda m: "15.0" in (m.body or ""))

    def test_price_change_in_arrears_names_the_current_period(self):
        """In arrears the period under way is not invoiced yet: the new
        price applies to it, and the message says so."""
        sub = self._create_sub(invoicing_mode="arrears")
        sub.action_activate()
        with freeze_time("2026-02-01"):
            self._run_cron()
        with freeze_time("2026-02-15"):
            self._change_price(sub, 15.0)
        body = self._price_message(sub).body
        self.assertIn(format_date(self.env, date(2026, 2, 1)), body)
        self.assertIn(format_date(self.env, date(2026, 2, 28)), body)
        self.assertNotIn("next period", body)
        with freeze_time("2026-03-01"):
            self._run_cron()
        self.assertEqual(self._invoices(sub).mapped("amount_untaxed"), [12.0, 15.0])
        self.assertEqual(self._invoices(sub)[-1].hosting_period_start, date(2026, 2, 1))

    def test_price_change_in_advance_names_the_next_period(self):
        sub = self._create_sub()
        sub.action_activate()
        with freeze_time("2026-01-01"):
            self._run_cron()
        with freeze_time("2026-01-15"):
            self._change_price(sub, 15.0)
        body = self._price_message(sub).body
        self.assertIn(format_date(self.env, date(2026, 2, 1)), body)
        with freeze_time("2026-02-01"):
            self._run_cron()
        self.assertEqual(self._invoices(sub).mapped("amount_untaxed"), [12.0, 15.0])

    def test_line_taxes_go_on_the_invoice_mapped_by_fiscal_position(self):
        sub = self._create_sub()
        sub.line_ids.tax_ids = self.tax_reduced
        sub.action_activate()
        with freeze_time("2026-01-01"):
            preview = self.env["hosting.subscription.preview"].create(
                {"subscription_ids": [Command.set(sub.ids)]}
            )
            preview.action_compute()
            self._run_cron()
        invoice = self._invoices(sub)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_reduced)
        self.assertAlmostEqual(invoice.amount_total, 12.66)
        self.assertAlmostEqual(preview.amount_total, invoice.amount_total)

        fiscal_position = self.env["account.fiscal.position"].create(
            {
                "name": "Export test",
                "tax_ids": [
                    Command.create(
                        {
                            "tax_src_id": self.tax_reduced.id,
                            "tax_dest_id": self.tax_export.id,
                        }
                    )
                ],
            }
        )
        abroad = self.env["res.partner"].create(
            {
                "name": "Member abroad",
                "property_account_position_id": fiscal_position.id,
            }
        )
        sub = self._create_sub(partner=abroad)
        sub.line_ids.tax_ids = self.tax_reduced
        sub.action_activate()
        with freeze_time("2026-01-01"):
            preview = self.env["hosting.subscription.preview"].create(
                {"subscription_ids": [Command.set(sub.ids)]}
            )
            preview.action_compute()
            self._run_cron()
        invoice = self._invoices(sub)
        self.assertEqual(invoice.fiscal_position_id, fiscal_position)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_export)
        self.assertAlmostEqual(invoice.amount_total, 12.0)
        self.assertAlmostEqual(preview.amount_total, invoice.amount_total)

    def test_default_price_in_the_subscription_currency(self):
        other = self.setup_other_currency("USD", rates=[("2016-01-01", 2.0)])
        product = self._create_product(
            name="Hosting in euros",
            lst_price=12.0,
            company_id=self.env.company.id,
            hosting_service_type="shared_hosting",
        )
        self.assertNotEqual(product.currency_id, other)
        sub = self.Subscription.create(
            {
                "partner_id": self.member.id,
                "currency_id": other.id,
                "date_start": date(2026, 1, 1),
                "line_ids": [Command.create({"product_id": product.id})],
            }
        )
        self.assertEqual(sub.line_ids.price_unit, 24.0)
        sub.action_activate()
        with freeze_time("2026-01-01"):
            self._run_cron()
        invoice = self._invoices(sub)
        self.assertEqual(invoice.currency_id, other)
        self.assertAlmostEqual(invoice.amount_untaxed, 24.0)


@tagged("post_install", "-at_install")
class TestInvoiceNowLock(HostingCommon):
    def test_invoice_now_while_another_process_invoices(self):
        sub = self._create_sub()
        sub.action_activate()
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            # Another transaction invoices this subscription: it holds the
            # invoicing lock that every invoicing path takes.
            other.execute(
                SQL("SELECT pg_advisory_xact_lock(%s, %s)", INVOICING_LOCK_KEY, sub.id)
            )
            with freeze_time("2026-01-05"):
                with self.assertRaisesRegex(UserError, "being invoiced right now"):
                    sub.action_invoice_now()
                self.assertFalse(sub._lock_for_invoicing())
            self.assertFalse(self._invoices(sub))
        finally:
            other.rollback()
            other.close()
        with freeze_time("2026-01-05"):
            sub.action_invoice_now()
        self.assertEqual(len(self._invoices(sub)), 1)


@tagged("post_install", "-at_install")
class TestInvoiceSending(HostingCommon):
    def test_sent_through_odoo_pipeline_one_failure_isolated(self):
        self.env.company.hosting_invoice_post = True
        broken_layout = self.env["ir.actions.report"].create(
            {
                "name": "Broken invoice layout",
                "model": "account.move",
                "report_type": "qweb-pdf",
                "report_name": "globenet_hosting.no_such_invoice_layout",
                "is_invoice_report": True,
            }
        )
        unlucky = self.env["res.partner"].create(
            {
                "name": "Unlucky member",
                "email": "unlucky@example.org",
                "invoice_template_pdf_report_id": broken_layout.id,
            }
        )
        good = self._create_sub()
        bad = self._create_sub(partner=unlucky)
        (good | bad).action_activate()
        (good | bad)._invoice_periods(date(2026, 1, 1))
        good_invoice, bad_invoice = self._invoices(good), self._invoices(bad)
        self.assertTrue(good_invoice.hosting_send_pending)
        with mute_logger("odoo.addons.globenet_hosting.models.account_move"):
            self.Subscription._cron_send_invoices()

        # The good one: PDF stored on the invoice, email in its chatter.
        self.assertFalse(good_invoice.hosting_send_pending)
        self.assertFalse(good_invoice.hosting_send_error)
        self.assertTrue(good_invoice.is_move_sent)
        self.assertTrue(good_invoice.invoice_pdf_report_id)
        sent = good_invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.member in m.partner_ids
        )
        self.assertEqual(len(sent), 1)
        self.assertIn(
            good_invoice.invoice_pdf_report_id.name, sent.attachment_ids.mapped("name")
        )

        # The bad one: not sent, its error on the invoice, nothing lost.
        self.assertFalse(bad_invoice.hosting_send_pending)
        self.assertFalse(bad_invoice.is_move_sent)
        self.assertFalse(bad_invoice.invoice_pdf_report_id)
        self.assertIn("no_such_invoice_layout", bad_invoice.hosting_send_error)
        self.assertTrue(
            bad_invoice.message_ids.filtered(
                lambda m: "Sending this recurring invoice failed" in (m.body or "")
            )
        )
        self.assertEqual(bad_invoice.state, "posted")

    def test_pending_flag_has_a_partial_index(self):
        self.env.cr.execute(
            SQL(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'account_move' "
                "AND indexname = 'account_move_hosting_send_pending_idx'"
            )
        )
        (indexdef,) = self.env.cr.fetchone()
        self.assertIn("WHERE (hosting_send_pending = true)", indexdef)
