from datetime import date

from freezegun import freeze_time

from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.hosting_subscription import INVOICING_LOCK_KEY
from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestTwoWorkers(HostingCommon):
    """Two processes running the scheduled action take different
    subscriptions: the lock is taken inside the search, with its limit."""

    def _due_subs(self, count):
        subs = self.Subscription.browse()
        for _i in range(count):
            subs |= self._create_sub()
        subs.action_activate()
        self.env.flush_all()
        return subs

    def test_batch_skips_subscriptions_held_by_another_worker(self):
        first, second, third, fourth = self._due_subs(4)
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            # Another worker is invoicing the first due subscription.
            other.execute(
                SQL(
                    "SELECT pg_advisory_xact_lock(%s, %s)", INVOICING_LOCK_KEY, first.id
                )
            )
            with freeze_time("2026-01-02"):
                domain = self.Subscription._get_due_domain(date(2026, 1, 2))
                self.assertEqual(
                    self.Subscription._search_due_locked(domain, 2),
                    second | third,
                    "the batch is filled with free subscriptions, in order",
                )
                self.Subscription._cron_invoice_due(batch_size=2)
            self.assertFalse(self._invoices(first))
            self.assertEqual(len(self._invoices(second)), 1)
            self.assertEqual(len(self._invoices(third)), 1)
            self.assertFalse(self._invoices(fourth), "beyond the batch: not taken")
        finally:
            other.rollback()
            other.close()
        with freeze_time("2026-01-02"):
            self.Subscription._cron_invoice_due(batch_size=2)
        for sub in (first, second, third, fourth):
            self.assertEqual(len(self._invoices(sub)), 1, "each period invoiced once")

    def test_rows_after_the_batch_stay_free(self):
        """Only the batch is locked: another worker can take the rest."""
        subs = self._due_subs(3)
        domain = self.Subscription._get_due_domain(date(2026, 1, 2))
        taken = self.Subscription._search_due_locked(domain, 2)
        self.assertEqual(taken, subs[:2])
        self.env.cr.execute(
            SQL(
                "SELECT objid FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = %s AND pid = pg_backend_pid()",
                INVOICING_LOCK_KEY,
            )
        )
        held = {row[0] for row in self.env.cr.fetchall()}
        self.assertEqual(held & set(subs.ids), set(subs[:2].ids))
