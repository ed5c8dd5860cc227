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

    def test_portal_member_debt_plan(self):
        """The portal member sees a repayment plan, paid up to date."""
        plan = self.env.ref("sample.portal_debt_plan")
        user = self.env.ref("sample.user_portal_member")
        self.assertEqual(plan.direction, "receivable")
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.amount_total, 360.0)
        self.assertFalse(plan.has_late)
        self.assertGreaterEqual(plan.amount_paid, 180.0)
        self.assertGreater(plan.amount_residual, 0.0)
        self.assertEqual(self.env["debt.plan"].with_user(user).search([]), plan)

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
        # The debit rejected last month is presented again.
        self.assertEqual(
            batch.line_ids.move_id,
            invoices.filtered(lambda m: m.hosting_payment_method == "sepa_dd")
            | self.Sample._sample_ref("followup_rejected_invoice"),
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

    def test_hosting_requests_in_pipeline(self):
        tag = self.env.ref("globenet_hosting.crm_tag_hosting")
        open_requests = self.env["crm.lead"].search(
            [
                ("tag_ids", "in", tag.id),
                ("type", "=", "opportunity"),
                ("probability", "<", 100),
            ]
        )
        self.assertGreaterEqual(len(open_requests), 3)
        self.assertTrue(open_requests.filtered("hosting_web_request"))
        # What the open requests would add each month: 3 virtual servers
        # (300), a shared hosting (20) and an extended one (50).
        [[monthly]] = self.env["crm.lead"]._read_group(
            [("id", "in", open_requests.ids)], aggregates=["expected_revenue:sum"]
        )
        self.assertEqual(monthly, 370.0)
        internews = self.env.ref("sample.request_internews_vps")
        self.assertEqual(internews.partner_id, self.env.ref("sample.partner_internews"))
        self.assertEqual(
            internews.hosting_line_ids.product_id.hosting_service_type, "virtual_server"
        )
        # Won, the request becomes a subscription for virtual servers.
        internews.action_set_won()
        action = internews.action_create_hosting_subscription()
        sub = (
            self.env["hosting.subscription"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(sub.partner_id, internews.partner_id)
        self.assertEqual(sub.service_type, "virtual_server")
        self.assertEqual(sub.amount_untaxed, 300.0)
        self.assertEqual(internews.hosting_subscription_ids, sub)

    def test_legacy_file_ready_to_import(self):
        attachment = self.env.ref("sample.legacy_file")
        mapping = self.env.ref("globenet_hosting.legacy_import_mapping_old_base")
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (mapping._name, mapping.id)
        )
        wizard = self.env["hosting.legacy.import"].create(
            {
                "file": attachment.datas,
                "filename": attachment.name,
                "mapping_id": mapping.id,
            }
        )
        wizard.action_dry_run()
        self.assertEqual((wizard.create_count, wizard.error_count), (6, 0))
        wizard.action_import()
        imported = self.env["hosting.subscription"].search(
            [("hosting_legacy_ref", "!=", False)]
        )
        self.assertEqual(len(imported), 6)
        self.assertIn("virtual_server", imported.mapped("service_type"))

    def test_followup_levels_and_rejected_debit(self):
        """Members at each follow-up level, reminded on their days, the last
        ones proposed for suspension; the portal member's rejected debit."""
        moves = self.Sample._sample_records("followup_invoice", "account.move")
        levels = self.env["hosting.followup.level"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(levels.mapped("delay"), [7, 21, 45])
        for level in levels:
            reached = moves.filtered(
                lambda m, lv=level: m.hosting_followup_level_id == lv
            )
            self.assertEqual(len(reached), 2, level.name)
        for move in moves:
            comments = move.message_ids.filtered(lambda m: m.message_type == "comment")
            # every level up to the one reached, each once
            levels_sent = levels.filtered(
                lambda lv, m=move: lv.delay <= m.hosting_followup_level_id.delay
            )
            self.assertEqual(len(comments), len(levels_sent), move.name)
            self.assertEqual(move.payment_state, "not_paid")
        last = moves.filtered(lambda m: m.hosting_followup_level_id.propose_suspension)
        self.assertEqual(len(last.hosting_subscription_id.activity_ids), 2)
        self.assertEqual(set(last.hosting_subscription_id.mapped("state")), {"active"})
        rejected = self.Sample._sample_ref("followup_rejected_invoice")
        self.assertEqual(
            rejected.commercial_partner_id,
            self.Sample._sample_ref("partner_portal_member"),
        )
        self.assertEqual(rejected.payment_state, "not_paid")
        self.assertEqual(rejected.hosting_followup_level_id, levels[0])
        self.assertIn("AM04", rejected.hosting_followup_reason)
        self.assertEqual(rejected.hosting_followup_date, self.today)
