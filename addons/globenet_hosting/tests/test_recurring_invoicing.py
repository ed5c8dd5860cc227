from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestRecurringInvoicing(HostingCommon):
    def test_monthly_in_advance(self):
        sub = self._create_sub(payment_method="sepa_dd")
        sub.action_activate()
        self.assertEqual(sub.next_invoice_date, date(2026, 1, 1))
        with freeze_time("2026-01-01"):
            self._run_cron()
        invoice = self._invoices(sub)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.partner_id, self.member)
        self.assertEqual(invoice.invoice_date, date(2026, 1, 1))
        self.assertEqual(invoice.hosting_payment_method, "sepa_dd")
        self.assertEqual(invoice.amount_untaxed, 12.0)
        # taxes come from the product: the company's default sale tax
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.tax_sale_a)
        self.assertEqual(
            invoice.invoice_line_ids.name, "Hosting — 01/01/2026–31/01/2026"
        )
        self.assertEqual(sub.next_period_start, date(2026, 2, 1))
        self.assertEqual(sub.next_invoice_date, date(2026, 2, 1))
        self.assertEqual(sub.invoice_count, 1)

    def test_recurrences(self):
        cases = [
            (
                {"recurring_rule_type": "monthly", "recurring_interval": 2},
                date(2026, 2, 28),
            ),
            ({"recurring_rule_type": "quarterly"}, date(2026, 3, 31)),
            ({"recurring_rule_type": "yearly"}, date(2026, 12, 31)),
        ]
        for vals, period_end in cases:
            with self.subTest(**vals):
                sub = self._create_sub(**vals)
                sub.action_activate()
                with freeze_time("2026-01-01"):
                    sub._invoice_periods(date(2026, 1, 1))
                self.assertEqual(self._periods(sub), [(date(2026, 1, 1), period_end)])
                self.assertEqual(
                    sub.next_period_start, date.fromordinal(period_end.toordinal() + 1)
                )

    def test_month_end_start(self):
        """A subscription started on 31 January keeps whole months."""
        sub = self._create_sub(date_start=date(2026, 1, 31))
        sub.action_activate()
        sub._invoice_periods(date(2026, 3, 30))
        self.assertEqual(
            self._periods(sub),
            [
                (date(2026, 1, 31), date(2026, 2, 27)),
                (date(2026, 2, 28), date(2026, 3, 30)),
            ],
        )
        self.assertEqual(sub.next_period_start, date(2026, 3, 31))

    def test_in_arrears(self):
        sub = self._create_sub(invoicing_mode="arrears")
        sub.action_activate()
        self.assertEqual(sub.next_invoice_date, date(2026, 2, 1))
        with freeze_time("2026-01-31"):
            self._run_cron()
        self.assertFalse(self._invoices(sub))
        with freeze_time("2026-02-01"):
            self._run_cron()
        invoice = self._invoices(sub)
        self.assertEqual(self._periods(sub), [(date(2026, 1, 1), date(2026, 1, 31))])
        self.assertEqual(invoice.invoice_date, date(2026, 2, 1))

    def test_catch_up_one_invoice_per_period_oldest_first(self):
        sub = self._create_sub(date_start=date(2025, 10, 1))
        sub.action_activate()
        with freeze_time("2026-01-10"):
            self._run_cron()
        invoices = self._invoices(sub)
        self.assertEqual(
            invoices.mapped("hosting_period_start"),
            [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)],
        )
        self.assertEqual(
            invoices.ids, sorted(invoices.ids), "oldest period created first"
        )
        self.assertEqual(
            invoices.mapped("invoice_date"), invoices.mapped("hosting_period_start")
        )
        self.assertEqual(sub.next_period_start, date(2026, 2, 1))

    def test_reseller_is_invoiced(self):
        reseller = self.env["res.partner"].create(
            {"name": "Presse Libre", "is_company": True}
        )
        newspaper = self.env["res.partner"].create({"name": "Le Petit Journal"})
        sub = self._create_sub(partner=newspaper, reseller_id=reseller.id)
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        invoice = self._invoices(sub)
        self.assertEqual(invoice.partner_id, reseller)
        self.assertIn("Le Petit Journal", invoice.invoice_line_ids.name)

    def test_price_change_applies_from_next_period(self):
        sub = self._create_sub()
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        with Form(sub) as form:
            with form.line_ids.edit(0) as line:
                line.price_unit = 15.0
        sub._invoice_periods(date(2026, 2, 1))
        self.assertEqual(self._invoices(sub).mapped("amount_untaxed"), [12.0, 15.0])
        self.assertIn("15.0", sub.message_ids[0].body)

    def test_posted_invoices_are_queued_for_email_outside_invoicing(self):
        self.env.company.hosting_invoice_post = True
        sub = self._create_sub()
        sub.action_activate()
        mails_before = self.env["mail.mail"].search_count([])
        sub._invoice_periods(date(2026, 1, 1))
        invoice = self._invoices(sub)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.hosting_send_pending)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.Subscription._cron_send_invoices()
        self.assertFalse(invoice.hosting_send_pending)
        self.assertTrue(invoice.is_move_sent)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(self.member, mail.recipient_ids)

    def test_subscription_override_of_company_policy(self):
        self.env.company.hosting_invoice_post = True
        sub = self._create_sub(invoice_policy="draft")
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        self.assertEqual(self._invoices(sub).state, "draft")
        self.assertFalse(self._invoices(sub).hosting_send_pending)

    def test_preview_creates_nothing(self):
        sub = self._create_sub(date_start=date(2025, 12, 1))
        sub.action_activate()
        with freeze_time("2026-01-05"):
            preview = self.env["hosting.subscription.preview"].create({})
            preview.action_compute()
        self.assertFalse(self._invoices(sub))
        lines = preview.line_ids.filtered(lambda line: line.subscription_id == sub)
        self.assertEqual(
            lines.mapped("period_start"), [date(2025, 12, 1), date(2026, 1, 1)]
        )
        self.assertEqual(lines.mapped("amount_untaxed"), [12.0, 12.0])
        expected_total = self.tax_sale_a.compute_all(12.0)["total_included"]
        self.assertAlmostEqual(lines[0].amount_total, expected_total)
        self.assertEqual(sub.next_period_start, date(2025, 12, 1))


@tagged("post_install", "-at_install")
class TestRecurringExpenses(HostingCommon):
    """Fixed monthly costs run on the same engine and produce vendor bills."""

    def test_supplier_subscription_makes_draft_vendor_bills(self):
        self.env.company.hosting_invoice_post = True  # about customer invoices only
        colocation = self._create_product(
            name="Colocation", type="service", standard_price=350.0, lst_price=0.0
        )
        datacenter = self.env["res.partner"].create({"name": "Datacenter SA"})
        sub = self.Subscription.create(
            {
                "subscription_type": "purchase",
                "partner_id": datacenter.id,
                "payment_method": "transfer",
                "date_start": date(2026, 1, 1),
                "line_ids": [Command.create({"product_id": colocation.id})],
            }
        )
        self.assertTrue(sub.name.startswith("SUP/"))
        self.assertEqual(sub.line_ids.price_unit, 350.0)
        self.assertEqual(sub.line_ids.tax_ids, self.tax_purchase_a)
        sub.action_activate()
        with freeze_time("2026-02-02"):
            self._run_cron()
        bills = self._invoices(sub)
        self.assertEqual(len(bills), 2)
        self.assertEqual(set(bills.mapped("move_type")), {"in_invoice"})
        self.assertEqual(set(bills.mapped("state")), {"draft"})
        self.assertEqual(bills.journal_id.type, "purchase")
        self.assertEqual(bills.partner_id, datacenter)
        self.assertEqual(bills.mapped("amount_untaxed"), [350.0, 350.0])
        self.assertFalse(any(bills.mapped("hosting_send_pending")))
