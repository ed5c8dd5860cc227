from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import HostingCommon

# Queries of one invoicing call, caches cold, after a warm-up call: a fixed
# cost of 75 (one reads the subscriptions' suspensions) plus 2 per
# subscription (its invoice and its line). Per subscription, the batch of 20
# costs less than the batch of 10.
QUERIES_10 = 95
QUERIES_20 = 115


@tagged("post_install", "-at_install")
class TestInvoicingQueryCount(HostingCommon):
    """The query count of one invoicing call grows by a small constant per
    subscription: never a query per line, per partner or per period on top."""

    def _make_subs(self, count):
        partners = self.env["res.partner"].create(
            [
                {"name": f"Member {i}", "email": f"m{i}@example.org"}
                for i in range(count)
            ]
        )
        subs = self.Subscription.create(
            [
                {
                    "partner_id": partner.id,
                    "date_start": date(2026, 1, 1),
                    "line_ids": [
                        Command.create({"product_id": self.product_hosting.id})
                    ],
                }
                for partner in partners
            ]
        )
        subs.action_activate()
        self.env.flush_all()
        self.env.invalidate_all()
        return subs

    def test_query_budget_flat(self):
        warm_up = self._make_subs(2)
        warm_up._invoice_periods(date(2026, 1, 1))
        subs_10 = self._make_subs(10)
        with self.assertQueryCount(QUERIES_10):
            subs_10._invoice_periods(date(2026, 1, 1))
            self.env.flush_all()
        subs_20 = self._make_subs(20)
        with self.assertQueryCount(QUERIES_20):
            subs_20._invoice_periods(date(2026, 1, 1))
            self.env.flush_all()
        self.assertEqual(len(subs_10.invoice_ids), 10)
        self.assertEqual(len(subs_20.invoice_ids), 20)
