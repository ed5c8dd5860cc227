# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestDebtPlan(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["debt.plan"]
        cls.creditor = cls.env["res.partner"].create({"name": "Imprimerie Dupont"})
        cls.treasurer = new_test_user(
            cls.env,
            login="debt_treasurer",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _create_plan(cls, **vals):
        vals.setdefault("partner_id", cls.creditor.id)
        vals.setdefault("first_due_date", date(2026, 1, 31))
        if "instalment_count" in vals:
            vals.setdefault("schedule_mode", "count")
        else:
            vals.setdefault("instalment_amount", 160.0)
        if "settled_line_ids" not in vals:
            # A plan repays journal items: an unpaid bill (or invoice) of the
            # total owed, unless the test is about an invalid total.
            total = vals.pop("amount_total", 2000.0)
            if total > 0:
                debt = cls._debt_move(
                    total,
                    cls.env["res.partner"].browse(vals["partner_id"]),
                    vals.get("direction", "payable"),
                )
                vals["settled_line_ids"] = [Command.set(cls._open_line(debt).ids)]
            else:
                vals["amount_total"] = total
        return cls.Plan.create(vals)

    @classmethod
    def _debt_move(cls, amount, partner, direction="payable", company=None):
        return cls.init_invoice(
            "in_invoice" if direction == "payable" else "out_invoice",
            partner=partner,
            invoice_date=date(2025, 12, 1),
            amounts=[amount],
            taxes=[],
            post=True,
            company=company,
        )

    def _bill(self, amount, move_type="in_invoice", partner=None):
        return self.init_invoice(
            move_type,
            partner=partner or self.creditor,
            invoice_date=date(2026, 1, 5),
            amounts=[amount],
            taxes=[],
            post=True,
        )

    @staticmethod
    def _open_line(move):
        return move.line_ids.filtered(
            lambda line: line.account_type in ("liability_payable", "asset_receivable")
        )

    def _pay(self, move, amount, pay_date):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"amount": amount, "payment_date": pay_date})
            ._create_payments()
        )

    def _states(self, plan):
        plan.invalidate_recordset()
        plan.instalment_ids.invalidate_recordset()
        return plan.instalment_ids.sorted(lambda i: (i.due_date, i.sequence)).mapped(
            "state"
        )

    def _activities(self, plan):
        return self.env["mail.activity"].search(
            [("res_model", "=", "debt.plan"), ("res_id", "=", plan.id)]
        )

    # ------------------------------------------------------------------
    # Schedules
    # ------------------------------------------------------------------
    def test_schedule_by_amount_last_takes_remainder(self):
        plan = self._create_plan()
        self.assertTrue(plan.name.startswith("DEBT/"))
        self.assertEqual(plan.state, "draft")
        plan.action_confirm()
        self.assertEqual(plan.state, "confirmed")
        insts = plan.instalment_ids
        self.assertEqual(len(insts), 13)
        self.assertEqual(insts.mapped("amount"), [160.0] * 12 + [80.0])
        self.assertAlmostEqual(sum(insts.mapped("amount")), 2000.0)
        self.assertEqual(insts[0].due_date, date(2026, 1, 31))
        self.assertEqual(insts[1].due_date, date(2026, 2, 28))
        self.assertEqual(insts[2].due_date, date(2026, 3, 31))
        self.assertEqual(insts[-1].due_date, date(2027, 1, 31))
        self.assertEqual(plan.amount_residual, 2000.0)
        self.assertEqual(plan.next_due_date, date(2026, 1, 31))
        with freeze_time("2026-01-10"):
            plan.invalidate_recordset(["payoff_date"])
            self.assertEqual(plan.payoff_date, date(2027, 1, 31))
        with self.assertRaises(UserError):
            plan.action_confirm()

    def test_schedule_by_count_exact_to_the_cent(self):
        plan = self._create_plan(instalment_count=3, frequency="quarterly")
        plan.action_confirm()
        self.assertEqual(plan.instalment_ids.mapped("amount"), [666.67, 666.67, 666.66])
        self.assertEqual(
            plan.instalment_ids.mapped("due_date"),
            [date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31)],
        )

    def test_constraints(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._create_plan(amount_total=0.0)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._create_plan(instalment_amount=-5.0)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self._create_plan(instalment_count=0)

    # ------------------------------------------------------------------
    # Payments read from accounting
    # ------------------------------------------------------------------
    def test_partial_and_late_payments(self):
        bill = self._bill(2000.0)
        with freeze_time("2026-01-10"):
            plan = self._create_plan(
                settled_line_ids=[(6, 0, self._open_line(bill).ids)]
            )
            self.assertEqual(plan.amount_total, 2000.0)
            plan.action_confirm()
            self.assertEqual(plan.residual_at_confirmation, 2000.0)
            self.assertEqual(self._states(plan), ["to_pay"] * 13)

            self._pay(bill, 160.0, date(2026, 1, 30))
            self.assertEqual(plan.amount_paid, 160.0)
            self.assertEqual(self._states(plan)[:3], ["paid", "to_pay", "to_pay"])

            self._pay(bill, 300.0, date(2026, 2, 25))
            self.assertEqual(plan.amount_paid, 460.0)
            self.assertEqual(plan.amount_residual, 1540.0)
            states = self._states(plan)
            self.assertEqual(states[:4], ["paid", "paid", "partial", "to_pay"])
            third = plan.instalment_ids.filtered(lambda i: i.sequence == 3)
            self.assertEqual((third.amount_paid, third.amount_residual), (140.0, 20.0))
            self.assertEqual(plan.next_due_date, date(2026, 3, 31))
            self.assertEqual(plan.next_due_amount, 20.0)
            self.assertFalse(plan.has_late)

        with freeze_time("2026-04-05"):
            self.assertEqual(
                self._states(plan)[:5], ["paid", "paid", "late", "to_pay", "to_pay"]
            )
            self.assertTrue(plan.has_late)
            self.assertEqual(plan.amount_late, 20.0)
            self.assertEqual(self.Plan.search([("has_late", "=", True)]), plan)
            on_time = self._create_plan(first_due_date=date(2026, 5, 31))
            on_time.action_confirm()
            not_late = self.Plan.search([("has_late", "=", False)])
            self.assertIn(on_time, not_late)
            self.assertNotIn(plan, not_late)
            self.assertEqual(self.Plan.search([("has_late", "!=", True)]), not_late)
            late = self.env["debt.plan.instalment"].search([("state", "=", "late")])
            self.assertEqual(late, third)
            # Late: the payoff is projected at the pace paid so far, later than
            # the last due date.
            self.assertGreater(plan.payoff_date, date(2027, 1, 31))

        # Unreconciling a payment gives the instalment back.
        self._open_line(bill).matched_debit_ids.sorted("id")[-1:].unlink()
        self.assertEqual(plan.amount_paid, 160.0)
        with freeze_time("2026-01-10"):
            self.assertEqual(self._states(plan)[:2], ["paid", "to_pay"])

    def test_form_takes_total_from_journal_items(self):
        bill = self._bill(750.0)
        with Form(self.Plan) as form:
            form.partner_id = self.creditor
            form.settled_line_ids.add(self._open_line(bill))
            self.assertEqual(form.amount_total, 750.0)
            form.instalment_amount = 300.0
        plan = form.record
        plan.action_confirm()
        self.assertEqual(plan.instalment_ids.mapped("amount"), [300.0, 300.0, 150.0])
        self.assertEqual(plan.user_id, self.env.user)

    def test_fully_paid_plan_is_done(self):
        bill = self._bill(480.0)
        plan = self._create_plan(settled_line_ids=[(6, 0, self._open_line(bill).ids)])
        plan.action_confirm()
        self.assertEqual(len(plan.instalment_ids), 3)
        self._pay(bill, 480.0, date(2026, 1, 30))
        self.assertEqual(plan.state, "done")
        self.assertEqual(self._states(plan), ["paid"] * 3)
        self.assertFalse(plan.next_due_date)

    def test_confirm_requires_settled_items(self):
        """A plan without journal items would never be paid: it could never
        reach Repaid and would remind every instalment as late forever."""
        plan = self.Plan.create(
            {
                "partner_id": self.creditor.id,
                "amount_total": 500.0,
                "instalment_amount": 100.0,
                "first_due_date": date(2026, 1, 31),
            }
        )
        with self.assertRaisesRegex(UserError, "Settled Journal Items"):
            plan.action_confirm()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.instalment_ids)

    def test_activities_cleared_when_repaid_or_cancelled(self):
        bill = self._bill(480.0)
        repaid = self._create_plan(
            settled_line_ids=[(6, 0, self._open_line(bill).ids)],
            first_due_date=date(2026, 1, 31),
        )
        cancelled = self._create_plan(amount_total=300.0, instalment_amount=100.0)
        (repaid | cancelled).action_confirm()
        with freeze_time("2026-03-05"):
            self.Plan._cron_instalment_reminders()
            # Two instalments of each are late.
            self.assertEqual(len(self._activities(repaid)), 2)
            self.assertEqual(len(self._activities(cancelled)), 2)
            self._pay(bill, 480.0, date(2026, 3, 5))
            self.assertEqual(repaid.state, "done")
            self.assertFalse(self._activities(repaid))
            cancelled.with_user(self.treasurer).action_cancel()
            self.assertEqual(cancelled.state, "cancelled")
            self.assertFalse(self._activities(cancelled))
            # Nothing is raised for them afterwards.
            self.Plan._cron_instalment_reminders()
            self.assertFalse(self._activities(repaid))
            self.assertFalse(self._activities(cancelled))

    def test_settled_lines_checks(self):
        bill = self._bill(500.0)
        line = self._open_line(bill)
        with self.assertRaises(ValidationError):
            self._create_plan(
                direction="receivable", settled_line_ids=[(6, 0, line.ids)]
            )
        with self.assertRaises(ValidationError):
            self._create_plan(
                partner_id=self.member.id, settled_line_ids=[(6, 0, line.ids)]
            )
        plan = self._create_plan(settled_line_ids=[(6, 0, line.ids)])
        with self.assertRaises(ValidationError):
            self._create_plan(settled_line_ids=[(6, 0, line.ids)])
        plan.action_confirm()
        with self.assertRaises(UserError):
            plan.amount_total = 400.0
        with self.assertRaises(UserError):
            plan.unlink()

    def test_receivable_member_arrears(self):
        invoice = self._bill(600.0, move_type="out_invoice", partner=self.member)
        plan = self._create_plan(
            direction="receivable",
            partner_id=self.member.id,
            settled_line_ids=[(6, 0, self._open_line(invoice).ids)],
            instalment_count=3,
            first_due_date=date(2026, 2, 10),
        )
        self.assertEqual(plan.amount_total, 600.0)
        plan.action_confirm()
        self.assertEqual(plan.instalment_ids.mapped("amount"), [200.0] * 3)
        with freeze_time("2026-02-01"):
            self._pay(invoice, 250.0, date(2026, 2, 1))
            self.assertEqual(self._states(plan), ["paid", "partial", "to_pay"])
        self.assertEqual(plan.amount_residual, 350.0)

    # ------------------------------------------------------------------
    # Renegotiation
    # ------------------------------------------------------------------
    def test_renegotiation_keeps_history(self):
        bill = self._bill(2000.0)
        with freeze_time("2026-03-01"):
            plan = self._create_plan(
                settled_line_ids=[(6, 0, self._open_line(bill).ids)]
            )
            plan.action_confirm()
            self._pay(bill, 460.0, date(2026, 3, 1))
            action = plan.action_renegotiate()
            wizard = (
                self.env[action["res_model"]]
                .with_context(**action["context"])
                .create(
                    {
                        "schedule_mode": "amount",
                        "instalment_amount": 100.0,
                        "first_due_date": date(2026, 5, 1),
                        "reason": "Court hearing of 1 March",
                    }
                )
            )
            self.assertEqual(wizard.amount_residual, 1540.0)
            wizard.action_renegotiate()

        insts = plan.instalment_ids
        self.assertEqual(len(insts), 13 + 16, "nothing is deleted")
        replaced = insts.filtered("is_replaced")
        self.assertEqual(len(replaced), 11)
        self.assertEqual(set(replaced.mapped("state")), {"replaced"})
        self.assertEqual(set(replaced.mapped("replaced_date")), {date(2026, 3, 1)})
        self.assertEqual(sum(replaced.mapped("replaced_amount_paid")), 140.0)
        new = insts.filtered(lambda i: i.schedule_version == 2)
        self.assertEqual(len(new), 16)
        self.assertEqual(new.mapped("amount"), [100.0] * 15 + [40.0])
        self.assertAlmostEqual(sum(new.mapped("amount")), 1540.0)
        self.assertEqual(new[0].due_date, date(2026, 5, 1))
        self.assertEqual(min(new.mapped("sequence")), 14)
        self.assertEqual(plan.amount_paid, 460.0)
        self.assertEqual(plan.amount_residual, 1540.0)
        self.assertEqual(plan.renegotiation_count, 1)
        self.assertEqual(plan.last_renegotiation_date, date(2026, 3, 1))
        self.assertEqual(plan.next_due_date, date(2026, 5, 1))
        self.assertEqual(sum(new.mapped("amount_paid")), 0.0)
        self.assertIn("Court hearing", plan.message_ids[0].body)

        # The next payment pays the new schedule.
        self._pay(bill, 150.0, date(2026, 5, 1))
        with freeze_time("2026-05-02"):
            new = new.sorted("sequence")
            self.assertEqual(self._states(plan).count("paid"), 3)
            self.assertEqual(new[:2].mapped("state"), ["paid", "partial"])
            self.assertEqual(new[1].amount_paid, 50.0)

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    def test_due_and_late_activities_without_duplicates(self):
        plan = self._create_plan(
            first_due_date=date(2026, 2, 1), user_id=self.treasurer.id
        )
        plan.action_confirm()
        with freeze_time("2026-01-20"):
            self.Plan._cron_instalment_reminders()
            self.assertFalse(self._activities(plan))
        with freeze_time("2026-01-27"):
            self.Plan._cron_instalment_reminders()
            self.Plan._cron_instalment_reminders()
            activities = self._activities(plan)
            self.assertEqual(len(activities), 1)
            self.assertEqual(activities.user_id, self.treasurer)
            self.assertEqual(
                activities.activity_type_id,
                self.env.ref("mail.mail_activity_data_todo"),
            )
            self.assertEqual(activities.date_deadline, date(2026, 2, 1))
        with freeze_time("2026-02-03"):
            self.Plan._cron_instalment_reminders()
            self.Plan._cron_instalment_reminders()
            activities = self._activities(plan)
            self.assertEqual(len(activities), 2)
            self.assertIn("Late", " ".join(activities.mapped("summary")))
        with freeze_time("2026-02-25"):
            # Instalment 2 (1 March) is now due soon; instalment 1 still late,
            # but already reminded.
            self.Plan._cron_instalment_reminders()
            self.Plan._cron_instalment_reminders()
            self.assertEqual(len(self._activities(plan)), 3)

    def test_cron_batches(self):
        plan = self._create_plan(first_due_date=date(2025, 1, 1))
        plan.action_confirm()
        with freeze_time("2026-06-01"):
            self.Plan._cron_instalment_reminders(batch_size=5)
            self.assertEqual(len(self._activities(plan)), 5)
            self.Plan._cron_instalment_reminders(batch_size=5)
            self.Plan._cron_instalment_reminders(batch_size=5)
            self.Plan._cron_instalment_reminders(batch_size=5)
            # 13 late instalments, plus none due soon.
            self.assertEqual(len(self._activities(plan)), 13)

    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------
    def test_debt_summary(self):
        payable = self._create_plan()
        receivable = self._create_plan(
            direction="receivable",
            partner_id=self.member.id,
            amount_total=600.0,
            instalment_count=3,
            first_due_date=date(2026, 2, 28),
        )
        draft = self._create_plan(amount_total=999.0)
        (payable | receivable).action_confirm()
        with freeze_time("2026-01-01"):
            summary = self.Plan._get_debt_summary(date(2026, 1, 1), months=12)
        self.assertEqual(
            summary["outstanding"], {"payable": 2000.0, "receivable": 600.0}
        )
        self.assertEqual(summary["late"], {"payable": 0.0, "receivable": 0.0})
        rows = summary["month_ends"]
        self.assertEqual(len(rows), 12)
        self.assertEqual(
            rows[0], {"date": date(2026, 1, 31), "payable": 1840.0, "receivable": 600.0}
        )
        self.assertEqual(
            rows[1], {"date": date(2026, 2, 28), "payable": 1680.0, "receivable": 400.0}
        )
        self.assertEqual(rows[3]["receivable"], 0.0)
        self.assertEqual(
            rows[11], {"date": date(2026, 12, 31), "payable": 80.0, "receivable": 0.0}
        )
        self.assertEqual(
            summary["payoff_month"],
            {"payable": date(2027, 1, 1), "receivable": date(2026, 4, 1)},
        )
        by_plan = {row["plan"]: row for row in summary["plans"]}
        self.assertNotIn(draft, by_plan)
        self.assertEqual(by_plan[payable]["payoff_month"], date(2027, 1, 1))
        self.assertEqual(by_plan[receivable]["payoff_date"], date(2026, 4, 28))
        self.assertEqual(by_plan[payable]["residual"], 2000.0)

        # Later, with the first two payable instalments unpaid: they are late.
        with freeze_time("2026-03-15"):
            summary = self.Plan._get_debt_summary(date(2026, 3, 15), months=3)
        self.assertEqual(summary["late"]["payable"], 320.0)
        self.assertEqual(len(summary["month_ends"]), 3)
        self.assertEqual(summary["month_ends"][0]["payable"], 2000.0 - 3 * 160.0)

    def test_debt_summary_screen(self):
        plan = self._create_plan()
        plan.action_confirm()
        with freeze_time("2026-01-01"):
            screen = self.env["debt.plan.summary"].create(
                {"date_from": date(2026, 1, 1), "months": 3}
            )
            html = str(screen.summary_html)
        self.assertIn(plan.name, html)
        self.assertIn(self.creditor.name, html)
        # Outstanding at the end of January, February and March only.
        for amount in ("2,000.00", "1,840.00", "1,680.00", "1,520.00"):
            self.assertIn(amount, html)
        self.assertNotIn("1,360.00", html)

    # ------------------------------------------------------------------
    # Security
    # ------------------------------------------------------------------
    def test_access_rights(self):
        plan = self._create_plan()
        plan.action_confirm()
        reader = new_test_user(
            self.env,
            login="debt_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        employee = new_test_user(
            self.env, login="debt_employee", groups="base.group_user"
        )
        portal = new_test_user(
            self.env, login="debt_portal", groups="base.group_portal"
        )

        as_reader = plan.with_user(reader)
        self.assertEqual(as_reader.amount_residual, 2000.0)
        self.assertEqual(len(as_reader.instalment_ids), 13)
        with self.assertRaises(AccessError):
            as_reader.write({"legal_reference": "RG 26/00042"})
        with self.assertRaises(AccessError):
            as_reader.action_cancel()
        with self.assertRaises(AccessError):
            as_reader._renegotiate(date(2026, 6, 1), "amount", 10.0, 0)
        with self.assertRaises(AccessError):
            as_reader.instalment_ids[0].write({"amount": 1.0})

        with self.assertRaises(AccessError):
            self.Plan.with_user(employee).search([])
        # a portal member reads only the receivable plans of what they owe
        # (test_member_portal.py): never Globenet's own debts
        self.assertFalse(self.Plan.with_user(portal).search([]))
        for user in (employee, portal):
            with self.assertRaises(AccessError):
                plan.with_user(user).read(["amount_total"])

        as_treasurer = plan.with_user(self.treasurer)
        as_treasurer.write({"legal_reference": "RG 26/00042"})
        as_treasurer._renegotiate(date(2026, 6, 1), "count", 0.0, 10)
        self.assertEqual(len(plan.instalment_ids.filtered("is_replaced")), 13)

    def test_multi_company(self):
        company_2 = self.setup_other_company(name="Globenet 2")["company"]
        bill_2 = self._debt_move(1000.0, self.creditor, company=company_2)
        plan_2 = self.Plan.with_company(company_2).create(
            {
                "partner_id": self.creditor.id,
                "settled_line_ids": [Command.set(self._open_line(bill_2).ids)],
                "instalment_amount": 100.0,
                "first_due_date": date(2026, 1, 31),
            }
        )
        self.assertEqual(plan_2.company_id, company_2)
        plan_2.action_confirm()
        plan_1 = self._create_plan()
        plan_1.action_confirm()
        user_1 = new_test_user(
            self.env,
            login="debt_company_1",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        Plan = self.Plan.with_user(user_1)
        self.assertEqual(Plan.search([]), plan_1)
        self.assertFalse(
            self.env["debt.plan.instalment"]
            .with_user(user_1)
            .search([("plan_id", "=", plan_2.id)])
        )
        with self.assertRaises(AccessError):
            plan_2.with_user(user_1).read(["name"])
        summary = Plan._get_debt_summary(date(2026, 1, 1))
        self.assertEqual(summary["outstanding"]["payable"], 2000.0)
        summary_2 = self.Plan._get_debt_summary(date(2026, 1, 1), company=company_2)
        self.assertEqual(summary_2["outstanding"]["payable"], 1000.0)
