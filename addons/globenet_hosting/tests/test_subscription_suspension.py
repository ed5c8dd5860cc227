from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestSubscriptionSuspension(HostingCommon):
    """A period that lies wholly inside a suspension is never invoiced, in
    advance or in arrears, however far behind the invoicing pointer is."""

    def _cron_on(self, *days):
        for day in days:
            with freeze_time(day):
                self._run_cron()

    def _suspend(self, sub, day):
        with freeze_time(day):
            sub.action_suspend()

    def _resume(self, sub, day):
        with freeze_time(day):
            sub.action_resume()

    def _starts(self, sub):
        return self._invoices(sub).mapped("hosting_period_start")

    def test_arrears_suspension_across_several_periods(self):
        """Suspended on 15 March, resumed on 10 June: March (served until the
        14th) and June (served from the 10th) are invoiced, April and May
        are not."""
        sub = self._create_sub(invoicing_mode="arrears")
        sub.action_activate()
        self._cron_on("2026-02-01", "2026-03-01")
        self._suspend(sub, "2026-03-15")
        self.assertEqual(sub.suspended_date, date(2026, 3, 15))
        self._cron_on("2026-04-01", "2026-05-01", "2026-06-01")
        self.assertEqual(len(self._invoices(sub)), 2)
        self._resume(sub, "2026-06-10")
        self._cron_on("2026-06-10")
        self.assertEqual(
            self._starts(sub), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
        )
        self.assertEqual(sub.next_invoice_date, date(2026, 7, 1))
        self._cron_on("2026-07-01")
        self.assertEqual(self._starts(sub)[-1], date(2026, 6, 1))
        self.assertEqual(len(self._invoices(sub)), 4)
        self.assertEqual(
            [(s.date_start, s.date_resume) for s in sub.suspension_ids],
            [(date(2026, 3, 15), date(2026, 6, 10))],
        )
        message = sub.message_ids.filtered(
            lambda m: "wholly inside the suspension" in (m.body or "")
        )
        self.assertIn("2 period(s)", message.body)

    def test_advance_suspension_across_several_periods(self):
        sub = self._create_sub()
        sub.action_activate()
        self._cron_on("2026-01-01", "2026-02-01", "2026-03-01")
        self._suspend(sub, "2026-03-15")
        self._cron_on("2026-04-01", "2026-05-01")
        self._resume(sub, "2026-06-10")
        self.assertEqual(sub.next_period_start, date(2026, 6, 1))
        self._cron_on("2026-06-10", "2026-07-01")
        self.assertEqual(
            self._starts(sub),
            [
                date(2026, 1, 1),
                date(2026, 2, 1),
                date(2026, 3, 1),
                date(2026, 6, 1),
                date(2026, 7, 1),
            ],
        )

    def test_advance_with_pointer_behind_skips_suspended_periods(self):
        """The scheduled action did not invoice February before the
        suspension (an invoicing error, say): February overlaps the service
        and is invoiced, March and April are not, May is."""
        sub = self._create_sub()
        sub.action_activate()
        self._cron_on("2026-01-01")
        self._suspend(sub, "2026-02-15")
        self._resume(sub, "2026-05-10")
        self.assertEqual(sub.next_period_start, date(2026, 2, 1))
        self._cron_on("2026-05-10")
        self.assertEqual(
            self._starts(sub), [date(2026, 1, 1), date(2026, 2, 1), date(2026, 5, 1)]
        )
        self.assertEqual(sub.next_invoice_date, date(2026, 6, 1))

    def test_resume_the_same_day_skips_nothing(self):
        for mode in ("advance", "arrears"):
            with self.subTest(mode=mode):
                sub = self._create_sub(invoicing_mode=mode)
                sub.action_activate()
                self._suspend(sub, "2026-01-15")
                self._resume(sub, "2026-01-15")
                self.assertEqual(sub.state, "active")
                self._cron_on("2026-02-01", "2026-03-01")
                expected = [date(2026, 1, 1), date(2026, 2, 1)]
                if mode == "advance":
                    expected.append(date(2026, 3, 1))
                self.assertEqual(self._starts(sub), expected)
                suspension = sub.suspension_ids
                self.assertEqual(suspension.date_start, suspension.date_resume)

    def test_two_suspensions(self):
        """Caught up in one run after two suspensions: each skips only the
        periods that lie wholly inside it."""
        sub = self._create_sub(invoicing_mode="arrears")
        sub.action_activate()
        self._suspend(sub, "2026-02-10")
        self._resume(sub, "2026-04-05")
        self._suspend(sub, "2026-05-20")
        self._resume(sub, "2026-08-03")
        self._cron_on("2026-09-01")
        self.assertEqual(
            self._starts(sub),
            [
                date(2026, 1, 1),
                date(2026, 2, 1),
                date(2026, 4, 1),
                date(2026, 5, 1),
                date(2026, 8, 1),
            ],
        )
        self.assertEqual(len(sub.suspension_ids), 2)
        self.assertEqual(sub.next_invoice_date, date(2026, 10, 1))

    def test_suspended_periods_not_previewed(self):
        sub = self._create_sub()
        sub.action_activate()
        self._suspend(sub, "2026-01-10")
        self._resume(sub, "2026-03-20")
        with freeze_time("2026-03-20"):
            preview = self.env["hosting.subscription.preview"].create(
                {"subscription_ids": [(6, 0, sub.ids)]}
            )
            preview.action_compute()
        self.assertEqual(
            preview.line_ids.mapped("period_start"),
            [date(2026, 1, 1), date(2026, 3, 1)],
        )

    def test_history_on_the_form(self):
        arch = self.Subscription.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="suspension_ids"', arch)
