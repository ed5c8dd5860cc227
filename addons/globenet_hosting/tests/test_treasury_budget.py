# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestTreasuryBudget(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.Budget = cls.env["treasury.budget"]
        cls.product_modem = cls._create_product(
            name="Modem",
            type="consu",
            lst_price=5.0,
            hosting_service_type="modem_rental",
        )
        cls.product_cable = cls._create_product(name="Cable", lst_price=20.0)
        cls.product_transit = cls._create_product(
            name="IP transit", type="service", lst_price=100.0
        )
        cls.supplier = cls.env["res.partner"].create({"name": "Transit Provider"})
        cls.buyer = cls.env["res.partner"].create({"name": "Modem Buyer"})

        # Customer subscriptions: monthly direct debit with a rented modem,
        # quarterly by cheque; a supplier subscription (recurring expense).
        cls.sub_sepa = cls._create_sub(price=10.0, payment_method="sepa_dd")
        cls.sub_sepa.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_modem.id,
                            "quantity": 1,
                            "price_unit": 5.0,
                        }
                    )
                ]
            }
        )
        cls.sub_cheque = cls._create_sub(
            price=30.0,
            payment_method="cheque",
            recurring_rule_type="quarterly",
            date_start=date(2026, 3, 1),
        )
        cls.expense = cls._create_sub(
            partner=cls.supplier,
            price=100.0,
            product=cls.product_transit,
            subscription_type="purchase",
        )
        (cls.sub_sepa | cls.sub_cheque | cls.expense).action_activate()
        # January to March of the direct debit are invoiced; March is posted.
        invoices = cls.sub_sepa._invoice_periods(date(2026, 3, 31))
        invoices.filtered(lambda m: m.invoice_date == date(2026, 3, 1)).action_post()

        # One-off sales, a manual cheque hosting invoice and a vendor bill.
        cls._invoice(
            "out_invoice", cls.buyer, date(2026, 3, 10), [(cls.product_modem, 50)]
        )
        cls._invoice(
            "out_invoice", cls.buyer, date(2026, 3, 11), [(cls.product_cable, 20)]
        )
        cls._invoice(
            "out_invoice",
            cls.member,
            date(2026, 3, 12),
            [(cls.product_hosting, 30)],
            hosting_payment_method="cheque",
        )
        cls._invoice(
            "in_invoice", cls.supplier, date(2026, 3, 15), [(cls.product_transit, 40)]
        )
        # Not counted: a draft, and an invoice of April.
        cls._invoice(
            "out_invoice",
            cls.buyer,
            date(2026, 3, 20),
            [(cls.product_cable, 999)],
            post=False,
        )
        cls._invoice(
            "out_invoice", cls.buyer, date(2026, 4, 2), [(cls.product_cable, 777)]
        )
        # Bank: 1,500 before March, 200 more in March.
        cls._bank_entry(date(2026, 2, 15), 1500.0)
        cls._bank_entry(date(2026, 3, 20), 200.0)

    @classmethod
    def _invoice(cls, move_type, partner, day, lines, post=True, company=None, **vals):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "date": day,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "quantity": 1,
                                "price_unit": price,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, price in lines
                    ],
                    **vals,
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _bank_entry(cls, day, amount, company_data=None):
        company_data = company_data or cls.company_data
        journal = company_data["default_journal_bank"]
        move = (
            cls.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": day,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": journal.default_account_id.id,
                                "debit": amount,
                                "name": "Deposit",
                            }
                        ),
                        Command.create(
                            {
                                "account_id": company_data[
                                    "default_account_revenue"
                                ].id,
                                "credit": amount,
                                "name": "Deposit",
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _budget(self, day=date(2026, 3, 1), company=None, compute=True):
        budget = self.Budget.create(
            {"date_from": day, "company_id": (company or self.company).id}
        )
        if compute:
            budget.action_compute()
        return budget

    def _line(self, budget, kind):
        return budget.line_ids.filtered(
            lambda line: line.kind == kind and line.source == "computed"
        )

    def test_budget_and_actuals(self):
        budget = self._budget(date(2026, 3, 17))
        self.assertEqual(budget.date_from, date(2026, 3, 1))
        self.assertEqual(budget.date_to, date(2026, 3, 31))
        self.assertEqual(budget.name, "2026-03")
        expected = {
            # kind: (expected, actual)
            "receipt_sepa": (10.0, 10.0),
            "receipt_cheque": (30.0, 30.0),
            "receipt_oneoff": (5.0, 75.0),  # rented modem; modem + cable + rent
            "receipt_other": (0.0, 0.0),
            "expense_recurring": (100.0, 0.0),  # the vendor bill is a draft
            "expense_debt": (0.0, 0.0),
            "expense_other": (0.0, 40.0),
        }
        for kind, (exp, act) in expected.items():
            line = self._line(budget, kind)
            self.assertEqual(len(line), 1, kind)
            self.assertAlmostEqual(line.expected, exp, msg=kind)
            self.assertAlmostEqual(line.actual, act, msg=kind)
            self.assertAlmostEqual(line.difference, act - exp, msg=kind)
        self.assertAlmostEqual(budget.expected_receipts, 45.0)
        self.assertAlmostEqual(budget.actual_receipts, 115.0)
        self.assertAlmostEqual(budget.expected_expenses, 100.0)
        self.assertAlmostEqual(budget.actual_expenses, 40.0)
        self.assertAlmostEqual(budget.expected_net, -55.0)
        self.assertAlmostEqual(budget.actual_net, 75.0)
        self.assertAlmostEqual(budget.net_difference, 130.0)
        self.assertAlmostEqual(budget.balance_start, 1500.0)
        self.assertAlmostEqual(budget.balance_end, 1700.0)
        self.assertAlmostEqual(budget.expected_balance_end, 1445.0)

        # A manual line is kept by a new computation and counted once.
        budget.write(
            {
                "line_ids": [
                    Command.create(
                        {"kind": "expense_other", "name": "Insurance", "expected": 45.0}
                    )
                ]
            }
        )
        budget.action_compute()
        self.assertEqual(len(budget.line_ids), 8)
        self.assertAlmostEqual(budget.expected_expenses, 145.0)
        self.assertAlmostEqual(budget.forecast_line_ids[0].expenses, 145.0)

    def test_forecast(self):
        budget = self._budget()
        forecast = budget.forecast_line_ids.sorted("date")
        self.assertEqual(len(forecast), 12)
        self.assertEqual(forecast[0].date, date(2026, 3, 1))
        self.assertEqual(forecast[-1].date, date(2027, 2, 1))
        # 15 a month by direct debit (hosting and modem), 30 a quarter by
        # cheque from March, 100 of expenses every month.
        receipts = [
            45.0,
            15.0,
            15.0,
            45.0,
            15.0,
            15.0,
            45.0,
            15.0,
            15.0,
            45.0,
            15.0,
            15.0,
        ]
        self.assertEqual(forecast.mapped("receipts"), receipts)
        self.assertEqual(forecast.mapped("expenses"), [100.0] * 12)
        cash = 1500.0
        for line, receipt in zip(forecast, receipts, strict=True):
            cash += receipt - 100.0
            self.assertAlmostEqual(line.net, receipt - 100.0)
            self.assertAlmostEqual(line.cash, cash)
        # Ended subscriptions stop: the cheque one ends in August.
        budget.action_draft()
        self.sub_cheque.date_end = date(2026, 8, 31)
        budget.action_compute()
        receipts = budget.forecast_line_ids.sorted("date").mapped("receipts")
        self.assertEqual(receipts[6], 15.0)  # September
        self.assertEqual(receipts[3], 45.0)  # June

    def test_concentration(self):
        newspaper = self.env["res.partner"].create(
            {"name": "Le Quotidien", "is_company": True}
        )
        editor = self.env["res.partner"].create(
            {"name": "Editor", "parent_id": newspaper.id}
        )
        self._invoice(
            "out_invoice", newspaper, date(2025, 5, 3), [(self.product_hosting, 500)]
        )
        self._invoice(
            "out_invoice", editor, date(2025, 5, 4), [(self.product_hosting, 100)]
        )
        smalls = self.env["res.partner"].create(
            [{"name": f"Member {index}"} for index in range(10)]
        )
        for partner in smalls:
            self._invoice(
                "out_invoice", partner, date(2025, 4, 5), [(self.product_hosting, 40)]
            )
        # Before the 12-month window.
        self._invoice(
            "out_invoice", smalls[0], date(2024, 6, 1), [(self.product_hosting, 5000)]
        )
        budget = self._budget(date(2025, 6, 1))
        lines = budget.concentration_line_ids
        self.assertEqual(len(lines), 11)
        top = lines.filtered(lambda line: line.partner_id == newspaper)
        self.assertAlmostEqual(top.share, 60.0)
        self.assertAlmostEqual(top.amount, 600.0)
        self.assertTrue(top.is_risk)
        self.assertFalse((lines - top).filtered("is_risk"))
        self.assertEqual(budget.risk_count, 1)
        self.assertEqual(lines[0], top)
        self.company.treasury_concentration_threshold = 3.0
        self.assertEqual(len(lines.filtered("is_risk")), 11)
        self.company.treasury_concentration_threshold = 70.0
        self.assertFalse(lines.filtered("is_risk"))

    def test_declared_totals_mismatch(self):
        budget = self._budget()  # lines: 45 of receipts, 100 of expenses
        self.assertFalse(budget.total_mismatch)
        # Declared: a grant of 55 expected on top of the receipts.
        budget.write({"declared_receipts": 100.0, "declared_expenses": 100.0})
        self.assertTrue(budget.has_declared_total)
        self.assertTrue(budget.receipts_mismatch)
        self.assertFalse(budget.expenses_mismatch)
        self.assertAlmostEqual(budget.receipts_difference, -55.0)
        self.assertAlmostEqual(budget.expenses_difference, 0.0)
        self.assertIn(budget, self.Budget.search([("total_mismatch", "=", True)]))
        with self.assertRaisesRegex(UserError, "receipts declared 100.00"):
            budget.action_confirm()
        self.assertEqual(budget.state, "draft")
        # An imported line that brings the missing receipt resolves it.
        result = self.env["treasury.budget.line"].load(
            ["budget_id", "kind", "name", "expected"],
            [["2026-03", "Receipts: other", "Grant", "55"]],
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])
        self.assertFalse(budget.total_mismatch)
        budget.action_confirm()
        self.assertEqual(budget.state, "confirmed")
        # A confirmed budget cannot be put out of balance either.
        with self.assertRaises(ValidationError):
            budget.declared_expenses = 10.0
        with self.assertRaises(UserError):
            budget.action_compute()

    def test_declared_totals_from_minutes(self):
        """The meeting's minutes declare 5,700 of receipts and 4,790 of
        expenses; one expense line was misprinted 12,000 instead of 1,200."""
        budget = self._budget(date(2026, 6, 1), compute=False)
        lines = [
            ("receipt_sepa", "Direct-debit hosting", 3200.0),
            ("receipt_cheque", "Cheque hosting", 2000.0),
            ("receipt_other", "Donations", 500.0),
            ("expense_recurring", "Rent", 1500.0),
            ("expense_recurring", "IP transit", 2090.0),
            ("expense_other", "Electricity", 12000.0),
        ]
        budget.write(
            {
                "line_ids": [
                    Command.create({"kind": kind, "name": name, "expected": amount})
                    for kind, name, amount in lines
                ],
                "declared_receipts": 5700.0,
                "declared_expenses": 4790.0,
            }
        )
        self.assertAlmostEqual(budget.expected_receipts, 5700.0)
        self.assertFalse(budget.receipts_mismatch)
        self.assertTrue(budget.expenses_mismatch)
        self.assertTrue(budget.total_mismatch)
        self.assertAlmostEqual(budget.expenses_difference, 10800.0)
        with self.assertRaises(UserError) as caught:
            budget.action_confirm()
        message = str(caught.exception)
        self.assertIn("expenses declared", message)
        self.assertIn("15,590.00", message)
        self.assertIn("4,790.00", message)
        self.assertIn("10,800.00", message)
        self.assertNotIn("receipts declared", message)
        self.assertEqual(budget.state, "draft")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("globenet_hosting.treasury_budget_report", budget.ids)[0]
            .decode()
        )
        self.assertIn("Expenses declared", html)
        self.assertIn("10,800.00", html)
        self.assertNotIn("Receipts declared", html)
        # The misprint corrected, the budget is confirmed.
        budget.line_ids.filtered(
            lambda line: line.name == "Electricity"
        ).expected = 1200.0
        self.assertFalse(budget.total_mismatch)
        self.assertAlmostEqual(budget.expenses_difference, 0.0)
        budget.action_confirm()
        self.assertEqual(budget.state, "confirmed")

    def test_budget_form_single_company_user(self):
        """The form of a single-company user has no company field: ticking
        the declared totals must not need it."""
        treasurer = new_test_user(
            self.env,
            login="budget_single_company",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(treasurer.has_group("base.group_multi_company"))
        with Form(self.Budget.with_user(treasurer)) as form:
            form.date_from = date(2026, 7, 1)
            form.has_declared_total = True
            form.declared_receipts = 5700.0
            form.declared_expenses = 4790.0
            self.assertTrue(form.total_mismatch)
        budget = form.record
        self.assertEqual(budget.company_id, self.company)
        self.assertEqual(budget.currency_id, self.company.currency_id)
        self.assertAlmostEqual(budget.receipts_difference, -5700.0)
        self.assertAlmostEqual(budget.expenses_difference, -4790.0)

    def test_report_html(self):
        budget = self._budget()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("globenet_hosting.treasury_budget_report", budget.ids)[0]
            .decode()
        )
        self.assertIn("Monthly budget", html)
        self.assertIn("March 2026", html)
        self.assertIn("Direct-debit hosting", html)
        self.assertIn("1,500.00", html)
        self.assertIn("<svg", html)
        self.assertIn("<rect", html)
        html_fr = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR")
            ._render_qweb_html("globenet_hosting.treasury_budget_report", budget.ids)[0]
            .decode()
        )
        self.assertIn("mars 2026", html_fr)
        self.assertIn("500,00", html_fr)

    def test_labels_in_company_language(self):
        """The computed lines are labelled in the company's language, whoever
        clicks Compute."""
        self.env["ir.module.module"]._load_module_terms(
            ["globenet_hosting"], ["fr_FR"], overwrite=True
        )
        self.company.partner_id.lang = "fr_FR"
        budget = self._budget(compute=False)
        budget.with_context(lang="en_US").action_compute()
        self.assertEqual(
            self._line(budget, "receipt_sepa").name, "Hébergement payé par prélèvement"
        )
        self.assertEqual(self._line(budget, "expense_other").name, "Autres dépenses")
        # An English-speaking company gets English labels from a French user.
        budget.action_draft()
        self.company.partner_id.lang = "en_US"
        budget.with_context(lang="fr_FR").action_compute()
        self.assertEqual(
            self._line(budget, "receipt_sepa").name, "Direct-debit hosting"
        )

    def test_chart_amount_scale(self):
        nbsp = "\N{NO-BREAK SPACE}"
        budget = self._budget()
        # Values from 0 to 1,445 (cash at the end of March): four steps of 500.
        chart = budget._get_forecast_chart()
        self.assertEqual(
            [tick["text"] for tick in chart["ticks"]],
            [f"0{nbsp}€", f"500{nbsp}€", f"1,000{nbsp}€", f"1,500{nbsp}€"],
        )
        ys = [tick["y"] for tick in chart["ticks"]]
        self.assertEqual(ys, sorted(ys, reverse=True))
        self.assertEqual(ys[0], chart["zero"])
        # Every bar and the cash line lie between the lowest and highest ticks.
        for bar in chart["bars"]:
            self.assertGreaterEqual(bar["y"], ys[-1])
            self.assertLessEqual(bar["y"] + bar["height"], ys[0] + 0.1)
        chart_fr = budget.with_context(lang="fr_FR")._get_forecast_chart()
        self.assertEqual(chart_fr["ticks"][2]["text"], f"1{nbsp}000{nbsp}€")
        html = (
            self.env["ir.actions.report"]
            .with_context(lang="fr_FR")
            ._render_qweb_html("globenet_hosting.treasury_budget_report", budget.ids)[0]
            .decode()
        )
        self.assertEqual(html.count('class="o_treasury_chart_tick"'), 4)
        self.assertIn(f"1{nbsp}500{nbsp}€</text>", html)

    def test_access_rights(self):
        budget = self._budget()
        reader = new_test_user(
            self.env,
            login="budget_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        employee = new_test_user(
            self.env, login="budget_employee", groups="base.group_user"
        )
        as_reader = budget.with_user(reader)
        self.assertAlmostEqual(as_reader.expected_net, -55.0)
        self.assertTrue(as_reader.line_ids)
        with self.assertRaises(AccessError):
            as_reader.write({"declared_receipts": 1.0})
        with self.assertRaises(AccessError):
            as_reader.line_ids[0].write({"expected": 1.0})
        with self.assertRaises(AccessError):
            as_reader.action_compute()
        with self.assertRaises(AccessError):
            self.Budget.with_user(employee).search([])

    def test_multi_company(self):
        company_data_2 = self.setup_other_company(name="Globenet Bis")
        company_2 = company_data_2["company"]
        self._create_sub(
            price=1000.0,
            payment_method="sepa_dd",
            company_id=company_2.id,
            currency_id=company_2.currency_id.id,
        ).action_activate()
        self._invoice(
            "out_invoice",
            self.buyer,
            date(2026, 3, 5),
            [(self.product_cable, 3000)],
            company=company_2,
        )
        self._bank_entry(date(2026, 2, 1), 9000.0, company_data_2)
        budget_1 = self._budget()
        budget_2 = self._budget(company=company_2)
        self.assertAlmostEqual(self._line(budget_1, "receipt_sepa").expected, 10.0)
        self.assertAlmostEqual(self._line(budget_1, "receipt_oneoff").actual, 75.0)
        self.assertAlmostEqual(budget_1.balance_start, 1500.0)
        self.assertAlmostEqual(self._line(budget_2, "receipt_sepa").expected, 1000.0)
        self.assertAlmostEqual(self._line(budget_2, "receipt_oneoff").actual, 3000.0)
        self.assertAlmostEqual(budget_2.balance_start, 9000.0)
        user_1 = new_test_user(
            self.env,
            login="budget_company_1",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        budgets = self.Budget.with_user(user_1).search([])
        self.assertIn(budget_1, budgets)
        self.assertNotIn(budget_2, budgets)
        # One budget per company and month.
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._budget(compute=False)

    def test_debt_instalments(self):
        if "debt.plan.instalment" not in self.env:
            self.skipTest("Debt plans are not installed")
        creditor = self.env["res.partner"].create({"name": "Imprimerie Dupont"})
        bill = self._invoice(
            "in_invoice", creditor, date(2026, 1, 5), [(self.product_transit, 600)]
        )
        open_line = bill.line_ids.filtered(
            lambda line: line.account_type == "liability_payable"
        )
        Plan = self.env["debt.plan"]
        payable = Plan.create(
            {
                "partner_id": creditor.id,
                "settled_line_ids": [Command.set(open_line.ids)],
                "amount_total": 600.0,
                "instalment_amount": 200.0,
                "first_due_date": date(2026, 3, 31),
            }
        )
        arrears = self._invoice(
            "out_invoice", self.member, date(2026, 1, 5), [(self.product_hosting, 300)]
        )
        receivable = Plan.create(
            {
                "direction": "receivable",
                "partner_id": self.member.id,
                "settled_line_ids": [
                    Command.set(
                        arrears.line_ids.filtered(
                            lambda line: line.account_type == "asset_receivable"
                        ).ids
                    )
                ],
                "instalment_amount": 100.0,
                "first_due_date": date(2026, 3, 15),
            }
        )
        # A draft plan is not counted.
        Plan.create(
            {
                "partner_id": creditor.id,
                "amount_total": 900.0,
                "instalment_amount": 900.0,
                "first_due_date": date(2026, 3, 31),
            }
        )
        (payable | receivable).action_confirm()
        (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"amount": 150.0, "payment_date": date(2026, 3, 20)})
            ._create_payments()
        )
        budget = self._budget()
        debt = self._line(budget, "expense_debt")
        self.assertAlmostEqual(debt.expected, 200.0)
        self.assertAlmostEqual(debt.actual, 150.0)
        self.assertAlmostEqual(debt.difference, -50.0)
        received = budget.line_ids.filtered(
            lambda line: line.kind == "receipt_other" and line.expected
        )
        self.assertAlmostEqual(received.expected, 100.0)
        self.assertAlmostEqual(received.actual, 0.0)
        forecast = budget.forecast_line_ids.sorted("date")
        # March to May: 200 paid and 100 received each month on top of the
        # subscriptions; nothing from June.
        self.assertEqual(forecast.mapped("expenses")[:4], [300.0, 300.0, 300.0, 100.0])
        self.assertEqual(forecast.mapped("receipts")[:4], [145.0, 115.0, 115.0, 45.0])

    # ------------------------------------------------------------------
    # Forecast of the debts
    # ------------------------------------------------------------------
    def _debt_plan(self, amount, instalment, first_due, currency=None):
        creditor = self.env["res.partner"].create({"name": "Creditor"})
        bill = self.init_invoice(
            "in_invoice",
            partner=creditor,
            invoice_date=date(2026, 1, 5),
            amounts=[amount],
            taxes=[],
            post=True,
            currency=currency,
        )
        plan = self.env["debt.plan"].create(
            {
                "partner_id": creditor.id,
                "currency_id": (currency or self.company.currency_id).id,
                "settled_line_ids": [
                    Command.set(
                        bill.line_ids.filtered(
                            lambda line: line.account_type == "liability_payable"
                        ).ids
                    )
                ],
                "instalment_amount": instalment,
                "first_due_date": first_due,
            }
        )
        plan.action_confirm()
        return plan, bill

    def _pay(self, bill, amount, day):
        (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"amount": amount, "payment_date": day})
            ._create_payments()
        )

    def test_forecast_late_and_prepaid_instalments(self):
        # Late: 200 due on 31 January and 28 February, 150 paid in February:
        # the 250 left are due now, in the budget month (March); 50 of them
        # are paid on 5 March.
        _late, late_bill = self._debt_plan(400.0, 200.0, date(2026, 1, 31))
        self._pay(late_bill, 150.0, date(2026, 2, 10))
        self._pay(late_bill, 50.0, date(2026, 3, 5))
        # Paid ahead: 200 due at the end of March, April and May, 300 paid in
        # February, before the bank balance the forecast starts from: March
        # has nothing left to pay, April 100.
        _ahead, ahead_bill = self._debt_plan(600.0, 200.0, date(2026, 3, 31))
        self._pay(ahead_bill, 300.0, date(2026, 2, 20))
        budget = self._budget()
        debt = self._line(budget, "expense_debt")
        self.assertAlmostEqual(debt.expected, 250.0)  # 200 still late + 50 paid
        self.assertAlmostEqual(debt.actual, 50.0)  # paid in March
        self.assertIn("200.00", debt.note)
        expenses = budget.forecast_line_ids.sorted("date").mapped("expenses")
        # 100 of recurring expenses every month on top of the instalments.
        self.assertEqual(expenses[:4], [350.0, 200.0, 300.0, 100.0])

    def test_forecast_converts_other_currencies_at_budget_date(self):
        usd = self.setup_other_currency(
            "USD",
            rates=[("2026-01-01", 5.0), ("2026-03-01", 2.0), ("2026-06-01", 4.0)],
        )
        self._debt_plan(400.0, 200.0, date(2026, 3, 31), currency=usd)
        budget = self._budget()
        # 200 USD at the rate of 1 March (2 USD for 1 EUR): 100 EUR.
        self.assertAlmostEqual(self._line(budget, "expense_debt").expected, 100.0)
        expenses = budget.forecast_line_ids.sorted("date").mapped("expenses")
        self.assertEqual(expenses[:3], [200.0, 200.0, 100.0])

    def test_subscription_in_other_currency_converted_at_budget_date(self):
        usd = self.setup_other_currency(
            "USD",
            rates=[("2026-01-01", 5.0), ("2026-03-01", 2.0), ("2026-06-01", 4.0)],
        )
        budget = self._budget()
        before = self._line(budget, "receipt_sepa").expected
        sub = self._create_sub(price=60.0, payment_method="sepa_dd", currency_id=usd.id)
        sub.action_activate()
        budget.action_compute()
        # 60 USD at the rate of 1 March (2 USD for 1 EUR): 30 EUR more.
        self.assertAlmostEqual(
            self._line(budget, "receipt_sepa").expected, before + 30.0
        )

    # ------------------------------------------------------------------
    # Forecast screens
    # ------------------------------------------------------------------
    def _series(self, action):
        rows = self.env[action["res_model"]]._read_group(
            action["domain"], ["date:month", "series"], ["amount:sum"]
        )
        return {(month, series): amount for month, series, amount in rows}

    def test_forecast_graph_shows_receipts_expenses_and_cash(self):
        budget = self._budget()
        action = budget.action_view_forecast()
        series = self._series(action)
        self.assertEqual(len(series), 36)
        march = date(2026, 3, 1)
        self.assertAlmostEqual(series[march, "1_receipts"], 45.0)
        self.assertAlmostEqual(series[march, "2_expenses"], 100.0)
        self.assertAlmostEqual(series[march, "3_cash"], 1445.0)
        # The graph draws one measure, grouped by month and series.
        view = self.env[action["res_model"]].get_views([(False, "graph")])
        arch = view["views"]["graph"]["arch"]
        self.assertIn('name="series"', arch)
        self.assertIn('name="amount" type="measure"', arch)

    def test_cash_forecast_menu_shows_one_budget(self):
        reader = new_test_user(
            self.env,
            login="forecast_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        menu_action = self.env.ref(
            "globenet_hosting.treasury_forecast_line_menu"
        ).action
        # No budget yet: an empty screen whose help says how to get one.
        action = menu_action.with_user(reader).run()
        self.assertFalse(self._series(action))
        self.assertIn("Compute", action["help"])
        february = self._budget(date(2026, 2, 1))
        march = self._budget()
        self._budget(date(2026, 4, 1), compute=False)  # not computed yet
        action = menu_action.with_user(reader).run()
        self.assertEqual(action["domain"], [("budget_id", "=", march.id)])
        series = self._series(action)
        self.assertEqual(len(series), 36)
        self.assertAlmostEqual(series[date(2026, 3, 1), "2_expenses"], 100.0)
        # Another budget's forecast is chosen from that budget.
        action = february.action_view_forecast()
        self.assertEqual(action["domain"], [("budget_id", "=", february.id)])
        self.assertEqual(
            min(month for month, _series in self._series(action)), date(2026, 2, 1)
        )

    def test_debt_forecast_queries_do_not_grow_with_plans(self):
        budget = self._budget(compute=False)

        def read_debts():
            self.env.invalidate_all()
            budget._get_debt_schedule(date(2026, 3, 1), date(2027, 3, 1))
            budget._get_debt_paid()

        self._debt_plan(400.0, 200.0, date(2026, 1, 31))
        self.env.flush_all()
        read_debts()  # warm the caches that do not depend on the plans
        start = self.cr.sql_log_count
        read_debts()
        one_plan = self.cr.sql_log_count - start
        for _index in range(5):
            self._debt_plan(600.0, 100.0, date(2026, 2, 28))
        self.env.flush_all()
        with self.assertQueryCount(one_plan):
            read_debts()
