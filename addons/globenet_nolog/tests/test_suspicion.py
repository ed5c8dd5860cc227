# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import NologCommon


@tagged("post_install", "-at_install")
class TestSuspicion(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            login="nolog_suspicion_operator",
            groups="globenet_nolog.group_globenet_nolog_operator",
        )
        cls.Suspicion = cls.env["nolog.suspicion"]
        cls.burst_rule = cls.env.ref("globenet_nolog.nolog_suspicion_rule_burst")
        cls.never_rule = cls.env.ref("globenet_nolog.nolog_suspicion_rule_never_used")
        cls.list_rule = cls.env.ref("globenet_nolog.nolog_suspicion_rule_list_like")
        # the fixture's mailboxes are used: messages, sizes, created long ago
        cls.env.cr.execute(
            """UPDATE nolog_mailbox SET message_count = 10, usage_bytes = 5000000,
                      create_date = now() - interval '3 years'"""
        )
        cls.env["nolog.mailbox"].invalidate_model()

    def _mailboxes(self, addresses, opened_days_ago=0):
        return self.env["nolog.mailbox"].create(
            [
                {
                    "address": address,
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                    "open_date": date.today() - timedelta(days=opened_days_ago),
                }
                for address in addresses
            ]
        )

    def _row(self, mailbox):
        return self.Suspicion.search([("mailbox_id", "=", mailbox.id)])

    def test_rules_score_and_reasons(self):
        burst = self._mailboxes([f"promo.{i}@no-log.test" for i in range(6)])
        old = self._mailboxes(["silent@no-log.test"], opened_days_ago=60)
        subscriber = self._mailboxes(["abo.news123@no-log.test"], opened_days_ago=5)
        self.env.cr.execute(
            "UPDATE nolog_mailbox SET message_count = 3, usage_bytes = 2000 "
            "WHERE id = %s",
            [subscriber.id],
        )
        self.env["nolog.mailbox"].invalidate_model()
        self.Suspicion._score_mailboxes()
        row = self._row(burst[0])
        # burst (weight 2) + tiny usage and a name ending with digits? no:
        # "promo.0" has one digit, so only the burst matches
        self.assertEqual(row.score, 2)
        self.assertIn("6 accounts with a similar name", row.reasons)
        row = self._row(old)
        self.assertEqual(row.score, 1)
        self.assertIn("no message 30 days after its creation", row.reasons)
        row = self._row(subscriber)
        self.assertEqual(row.score, 1)
        self.assertIn("abo.news123", row.reasons)
        self.assertFalse(self._row(self.alice), "a used account is not listed")
        # tuning: a heavier never-used rule, a shorter burst size
        self.never_rule.weight = 3
        self.burst_rule.min_count = 7
        self.Suspicion._score_mailboxes()
        self.assertEqual(self._row(old).score, 3)
        self.assertFalse(self._row(burst[0]), "no longer a burst: off the list")
        # nothing was suspended
        self.assertEqual(set((burst | old | subscriber).mapped("state")), {"active"})

    def test_decision_is_recorded_and_kept(self):
        old = self._mailboxes(["dormant@no-log.test"], opened_days_ago=90)
        self.Suspicion._score_mailboxes()
        row = self._row(old).with_user(self.operator)
        row.action_mark_legitimate()
        self.assertEqual(row.state, "legitimate")
        self.assertEqual(row.decided_by_id, self.operator)
        self.assertIn("Legitimate", old.message_ids[0].body)
        with self.assertRaises(UserError):
            row.action_mark_abusive()
        self.Suspicion._score_mailboxes()
        self.assertEqual(self._row(old).state, "legitimate", "decision kept")
        self.assertEqual(old.state, "active")

    def test_access(self):
        employee = new_test_user(self.env, login="nolog_suspicion_employee")
        with self.assertRaises(AccessError):
            self.Suspicion.with_user(employee).search([])
        with self.assertRaises(AccessError):
            self.never_rule.with_user(self.operator).weight = 5
