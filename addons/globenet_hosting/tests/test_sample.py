# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64

from lxml import etree

from odoo import fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def table_writes(env):
    """Rows inserted, updated and deleted so far in this transaction."""
    env.flush_all()
    env.cr.execute(
        SQL(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
    )
    return env.cr.fetchone()[0]


@tagged("post_install", "-at_install")
class TestHostingSample(TransactionCase):
    """The hosting part of Globenet's sample data, loaded in this test's
    transaction (rolled back: the test database keeps no sample data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sample = cls.env["hosting.sample"]
        cls.first_steps = cls.Sample._load_sample()
        cls.company = cls.env.ref("base.main_company")
        cls.today = fields.Date.context_today(cls.Sample)
        cls.month_start = cls.today.replace(day=1)

    def test_company_is_globenet(self):
        self.assertEqual(self.company.name, "Globenet")
        self.assertEqual(self.company.country_id.code, "FR")
        self.assertEqual(self.company.currency_id.name, "EUR")
        self.assertEqual(self.company.chart_template, "fr")
        self.assertEqual(self.env.ref("base.user_admin").lang, "fr_FR")
        self.assertTrue(self.env["res.lang"]._lang_get("en_US"))

    def test_members_and_mandates(self):
        subs = self.env["hosting.subscription"].search(
            [("company_id", "=", self.company.id), ("subscription_type", "=", "sale")]
        )
        members = subs.partner_id.filtered(
            lambda p: (
                not subs.filtered(lambda s, p=p: s.partner_id == p and s.reseller_id)
            )
        )
        self.assertGreaterEqual(len(members), 55)
        self.assertLessEqual(len(members), 65)
        sepa = subs.filtered(lambda s: s.payment_method == "sepa_dd")
        self.assertGreater(len(sepa), len(subs) / 2, "most pay by direct debit")
        mandates = self.env["sepa.mandate"].search([("state", "=", "valid")])
        self.assertTrue(
            all(
                mandates.filtered(
                    lambda m, s=sub: (
                        m.commercial_partner_id
                        == s.invoice_partner_id.commercial_partner_id
                    )
                )
                for sub in sepa
            ),
            "every member paying by direct debit has a valid mandate",
        )
        internews = self.env.ref("sample.partner_internews")
        press = subs.filtered(lambda s: s.reseller_id == internews)
        self.assertEqual(len(press), 10)
        self.assertEqual(sum(press.mapped("amount_untaxed")), 300.0)

    def test_budget_figures(self):
        budget = self.env.ref("sample.budget_current")
        self.assertEqual(budget.date_from, self.month_start)
        self.assertEqual(budget.expected_receipts, 5700.0)
        self.assertEqual(budget.expected_expenses, 4790.0)
        self.assertEqual(budget.expected_net, 910.0)
        lines = {line.kind: line.expected for line in budget.line_ids}
        self.assertEqual(lines["receipt_sepa"], 2200.0)
        self.assertEqual(lines["receipt_cheque"], 1000.0)
        self.assertEqual(lines["receipt_oneoff"], 2500.0)
        self.assertEqual(lines["expense_debt"], 560.0)
        self.assertEqual(len(budget.forecast_line_ids), 12)
        self.assertAlmostEqual(budget.balance_start, 1512.40)
        risks = budget.concentration_line_ids.filtered("is_risk")
        self.assertEqual(risks.partner_id, self.env.ref("sample.partner_internews"))

    def test_debt_plans(self):
        court = self.env.ref("sample.debt_plan_reunica")
        self.assertEqual(court.state, "confirmed")
        self.assertEqual(court.instalment_ids[:1].amount, 160.0)
        self.assertFalse(court.has_late)
        paid = court.instalment_ids.filtered(lambda i: i.state == "paid")
        due = court.instalment_ids.filtered(lambda i: i.due_date <= self.today)
        self.assertEqual(paid, due)
        self.assertGreaterEqual(len(paid), 3, "its first instalments are paid")
        self.assertEqual(court.amount_paid, 160.0 * len(paid))
        settled = court.settled_line_ids
        self.assertEqual(len(settled), 1)
        self.assertEqual(settled.amount_residual, -(5760.0 - court.amount_paid))
        second = self.env.ref("sample.debt_plan_urssaf")
        self.assertLess(second.amount_total, court.amount_total)
        self.assertFalse(second.has_late)
        self.assertGreaterEqual(
            len(second.instalment_ids.filtered(lambda i: i.state == "paid")), 2
        )

    def test_second_run_changes_nothing(self):
        self.assertTrue(self.first_steps)
        counts = {
            model: self.env[model].search_count([])
            for model in (
                "res.partner",
                "hosting.subscription",
                "account.move",
                "account.payment",
                "debt.plan",
                "treasury.budget",
                "sepa.mandate",
            )
        }
        before = table_writes(self.env)
        self.assertEqual(self.Sample._load_sample(), [])
        self.assertEqual(table_writes(self.env), before, "no row written")
        for model, count in counts.items():
            self.assertEqual(self.env[model].search_count([]), count, model)

    def test_invoicing_cron_then_sepa_batch(self):
        Move = self.env["account.move"]
        Subscription = self.env["hosting.subscription"]
        domain = [
            ("move_type", "=", "out_invoice"),
            ("hosting_period_start", "=", self.month_start),
        ]
        self.assertFalse(Move.search_count(domain), "left to the scheduled action")
        monthly = Subscription.search(
            [
                ("subscription_type", "=", "sale"),
                ("state", "=", "active"),
                ("recurring_rule_type", "=", "monthly"),
            ]
        )
        Subscription._cron_invoice_due()
        Subscription._cron_invoice_due()
        invoices = Move.search(domain)
        self.assertEqual(len(invoices), len(monthly))
        self.assertEqual(invoices.hosting_subscription_id, monthly)
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(sum(invoices.mapped("amount_untaxed")), 5700.0)
        # posted in one pass, as by hand: consecutive numbers, the customer
        # following each invoice
        numbers = sorted(invoices.mapped("sequence_number"))
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + len(numbers))))
        self.assertFalse(any(invoices.mapped("made_sequence_gap")))
        for invoice in invoices:
            self.assertIn(invoice.partner_id, invoice.message_partner_ids)

        batch = self.env["sepa.direct.debit.batch"].create(
            {"collection_date": self.today}
        )
        batch.action_prepare()
        self.assertEqual(
            batch.line_ids.move_id,
            invoices.filtered(lambda m: m.hosting_payment_method == "sepa_dd"),
        )
        batch.action_generate()
        root = etree.fromstring(base64.b64decode(batch.attachment_id.datas))
        self.assertEqual(
            int(root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS)),
            len(batch.line_ids),
        )
        self.assertEqual(
            float(root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS)),
            batch.amount_total,
        )
        self.assertEqual(
            root.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS),
            "FR72ZZZ123456",
        )
