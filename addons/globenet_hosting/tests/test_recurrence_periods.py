from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import HostingCommon

D = date

# One table of cases for the one definition of a period (the recurrence
# mixin), checked against its two callers: the invoicing of a subscription
# and the treasury budget's subscription schedule.
# (label, subscription values, suspensions, invoiced up to (a month's last
#  day, as the budget counts whole months), expected (start, end, invoice
#  date) of each period)
CASES = [
    (
        "31 January, monthly, leap year",
        {"date_start": D(2024, 1, 31)},
        [],
        D(2024, 4, 30),
        [
            (D(2024, 1, 31), D(2024, 2, 28), D(2024, 1, 31)),
            (D(2024, 2, 29), D(2024, 3, 30), D(2024, 2, 29)),
            (D(2024, 3, 31), D(2024, 4, 29), D(2024, 3, 31)),
            (D(2024, 4, 30), D(2024, 5, 30), D(2024, 4, 30)),
        ],
    ),
    (
        "31 January, monthly, in arrears",
        {"date_start": D(2025, 1, 31), "invoicing_mode": "arrears"},
        [],
        D(2025, 4, 30),
        [
            (D(2025, 1, 31), D(2025, 2, 27), D(2025, 2, 28)),
            (D(2025, 2, 28), D(2025, 3, 30), D(2025, 3, 31)),
            (D(2025, 3, 31), D(2025, 4, 29), D(2025, 4, 30)),
        ],
    ),
    (
        "quarterly from 30 November",
        {"date_start": D(2025, 11, 30), "recurring_rule_type": "quarterly"},
        [],
        D(2026, 8, 31),
        [
            (D(2025, 11, 30), D(2026, 2, 27), D(2025, 11, 30)),
            (D(2026, 2, 28), D(2026, 5, 29), D(2026, 2, 28)),
            (D(2026, 5, 30), D(2026, 8, 29), D(2026, 5, 30)),
            (D(2026, 8, 30), D(2026, 11, 29), D(2026, 8, 30)),
        ],
    ),
    (
        "yearly from 29 February",
        {"date_start": D(2024, 2, 29), "recurring_rule_type": "yearly"},
        [],
        D(2028, 2, 29),
        [
            (D(2024, 2, 29), D(2025, 2, 27), D(2024, 2, 29)),
            (D(2025, 2, 28), D(2026, 2, 27), D(2025, 2, 28)),
            (D(2026, 2, 28), D(2027, 2, 27), D(2026, 2, 28)),
            (D(2027, 2, 28), D(2028, 2, 28), D(2027, 2, 28)),
            (D(2028, 2, 29), D(2029, 2, 27), D(2028, 2, 29)),
        ],
    ),
    (
        "every 2 months, in arrears",
        {
            "date_start": D(2026, 1, 15),
            "recurring_interval": 2,
            "invoicing_mode": "arrears",
        },
        [],
        D(2026, 7, 31),
        [
            (D(2026, 1, 15), D(2026, 3, 14), D(2026, 3, 15)),
            (D(2026, 3, 15), D(2026, 5, 14), D(2026, 5, 15)),
            (D(2026, 5, 15), D(2026, 7, 14), D(2026, 7, 15)),
        ],
    ),
    (
        "every 5 months",
        {"date_start": D(2026, 3, 31), "recurring_interval": 5},
        [],
        D(2027, 5, 31),
        [
            (D(2026, 3, 31), D(2026, 8, 30), D(2026, 3, 31)),
            (D(2026, 8, 31), D(2027, 1, 30), D(2026, 8, 31)),
            (D(2027, 1, 31), D(2027, 6, 29), D(2027, 1, 31)),
        ],
    ),
    (
        "closing date mid-period",
        {"date_start": D(2026, 1, 1), "date_end": D(2026, 3, 10)},
        [],
        D(2026, 12, 31),
        [
            (D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 1)),
            (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 1)),
            (D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 1)),
        ],
    ),
    (
        "quarterly in arrears, closing date mid-period",
        {
            "date_start": D(2026, 1, 1),
            "recurring_rule_type": "quarterly",
            "invoicing_mode": "arrears",
            "date_end": D(2026, 5, 15),
        },
        [],
        D(2026, 12, 31),
        [
            (D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 1)),
            (D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 1)),
        ],
    ),
    (
        "two suspensions",
        {"date_start": D(2026, 1, 1)},
        [(D(2026, 2, 10), D(2026, 4, 5)), (D(2026, 5, 20), D(2026, 8, 3))],
        D(2026, 9, 30),
        [
            (D(2026, 1, 1), D(2026, 1, 31), D(2026, 1, 1)),
            (D(2026, 2, 1), D(2026, 2, 28), D(2026, 2, 1)),
            (D(2026, 4, 1), D(2026, 4, 30), D(2026, 4, 1)),
            (D(2026, 5, 1), D(2026, 5, 31), D(2026, 5, 1)),
            (D(2026, 8, 1), D(2026, 8, 31), D(2026, 8, 1)),
            (D(2026, 9, 1), D(2026, 9, 30), D(2026, 9, 1)),
        ],
    ),
]


def _month_index(day):
    return day.year * 12 + day.month - 1


@tagged("post_install", "-at_install")
class TestRecurrencePeriods(HostingCommon):
    def _make(self, vals, suspensions):
        sub = self._create_sub(price=10.0, **vals)
        sub.action_activate()
        if suspensions:
            sub.suspension_ids = [
                Command.create({"date_start": first, "date_resume": resume})
                for first, resume in suspensions
            ]
        return sub

    def test_subscription_periods(self):
        for label, vals, suspensions, until, expected in CASES:
            with self.subTest(label):
                sub = self._make(vals, suspensions)
                self.assertEqual(sub._get_due_periods(until, limit=100), expected)
                self.assertEqual(sub.next_invoice_date, expected[0][2])

    def test_budget_schedule(self):
        budget = self.env["treasury.budget"].create({"date_from": D(2024, 1, 1)})
        for label, vals, suspensions, until, expected in CASES:
            with self.subTest(label):
                sub = self._make(vals, suspensions)
                first = _month_index(vals["date_start"]) - 1
                schedule = budget._get_subscription_schedule(first, _month_index(until))
                months = {
                    month: amounts["receipt_sepa"]
                    for month, amounts in schedule.items()
                    if amounts.get("receipt_sepa")
                }
                sub.unlink()
                self.assertEqual(
                    months,
                    {_month_index(period[2]): 10.0 for period in expected},
                )

    def test_sql_and_python_agree_on_every_day(self):
        """The period starts and indexes of the SQL expressions equal the
        Python ones for every anchor day of a leap and a common year."""
        Recurrence = self.env["hosting.recurrence.mixin"]
        for months in (1, 3, 12, 5):
            with self.subTest(months=months):
                self.env.cr.execute(
                    SQL(
                        "SELECT a::date, k, %s FROM generate_series("
                        "'2024-01-01'::date, '2025-12-31'::date, '1 day') a, "
                        "generate_series(0, 30) k",
                        Recurrence._recurrence_period_start_sql(
                            SQL("a::date"), SQL("%s", months), SQL("k")
                        ),
                    )
                )
                for anchor, index, start in self.env.cr.fetchall():
                    self.assertEqual(
                        start,
                        Recurrence._recurrence_period_start(anchor, months, index),
                    )
