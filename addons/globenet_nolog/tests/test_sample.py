# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.units import GB, MB


@tagged("post_install", "-at_install")
class TestNologSample(TransactionCase):
    """The no-log part of Globenet's sample data, loaded in this test's
    transaction (rolled back: the test database keeps no sample data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sample = cls.env["nolog.sample"]
        cls.first_steps = cls.Sample._load_sample()
        cls.bender = cls.env.ref("sample.nolog_server_bender")
        cls.Mailbox = cls.env["nolog.mailbox"]

    def test_bender_mailboxes(self):
        domain = [("server_id", "=", self.bender.id)]
        self.assertEqual(self.Mailbox.search_count(domain), 30000)
        over = self.Mailbox.search(domain + [("quota_percent", ">=", 100)])
        self.assertEqual(len(over), 1500)
        self.assertEqual(set(over.mapped("state")), {"over_quota"})
        largest = self.Mailbox.search(domain, order="usage_bytes desc", limit=13)
        self.assertEqual(largest[0].usage_bytes, 5 * GB)
        self.assertGreater(largest[-1].usage_bytes, GB)
        self.assertEqual(self.bender.raid_level, "5")
        self.assertGreater(self.bender.used_percent, 95)
        trash = sum(self.Mailbox.search(domain).mapped("trash_bytes"))
        self.assertAlmostEqual(trash / self.bender.used_bytes, 0.10, delta=0.02)
        test_server = self.env.ref("sample.nolog_server_test")
        self.assertEqual(
            (test_server.disk_count, test_server.disk_size_gb, test_server.raid_level),
            (8, 250, "5"),
        )

    def test_history_fills_bender_in_about_a_month(self):
        self.env.cr.execute(
            SQL(
                """
                SELECT h.date, SUM(h.usage_bytes)
                  FROM nolog_usage_history h
                  JOIN nolog_mailbox m ON m.id = h.mailbox_id
                 WHERE m.server_id = %s
                 GROUP BY h.date ORDER BY h.date
                """,
                self.bender.id,
            )
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), 90)
        # least-squares growth per day over the 90 days
        days = [(day - rows[0][0]).days for day, _used in rows]
        used = [float(value) for _day, value in rows]
        mean_x, mean_y = sum(days) / len(days), sum(used) / len(used)
        slope = sum(
            (x - mean_x) * (y - mean_y) for x, y in zip(days, used, strict=True)
        ) / sum((x - mean_x) ** 2 for x in days)
        self.assertGreater(slope, 0)
        days_to_full = (self.bender.capacity_bytes - used[-1]) / slope
        self.assertGreater(days_to_full, 20)
        self.assertLess(days_to_full, 45)

    def test_warnings_purge_and_portal(self):
        warnings = self.env["nolog.warning"].search(
            [("server_id", "=", self.bender.id)]
        )
        self.assertTrue(warnings)
        self.assertTrue(
            self.Mailbox.search_count([("warning_due", "=", True)]),
            "the daily scheduled action still has warnings to send",
        )
        purge = self.env.ref("sample.nolog_purge_bender")
        self.assertEqual(purge.state, "draft")
        self.assertGreater(purge.estimated_bytes, 100 * GB)
        anonymous = self.env.ref("sample.user_nolog_anonymous")
        mailbox = self.Mailbox.with_user(anonymous).search(
            [("address", "=", "colibri@no-log.org")]
        )
        self.assertTrue(mailbox)
        self.assertGreaterEqual(mailbox.usage_bytes, 90 * MB)
        # the portal's chart has its 90 days, and the widget reads the usage
        chart = mailbox.sudo()._portal_usage_chart()
        self.assertEqual(chart["day_count"], 90)
        token = mailbox._widget_token()
        self.assertEqual(self.Mailbox._widget_check_token(token), (mailbox, None))

    def test_mailbox_only_members(self):
        """``anonyme`` has two mailboxes, the second linked by the emailed
        link; a mailbox invited by an operator logs in with its address."""
        anonymous = self.env.ref("sample.user_nolog_anonymous")
        mailboxes = self.Mailbox.with_user(anonymous).search([])
        self.assertEqual(
            mailboxes.mapped("address"),
            ["colibri@no-log.org", "mesange.00002@no-log.org"],
        )
        self.assertTrue(
            mailboxes[1]
            .sudo()
            .message_ids.filtered(
                lambda message: "confirmed the link" in (message.body or "")
            )
        )
        invited = self.env.ref("sample.user_nolog_invited")
        self.assertEqual(invited.login, "loutre.00003@no-log.org")
        self.assertTrue(invited._is_portal())
        self.assertEqual(
            (invited.partner_id.name, invited.partner_id.email),
            ("loutre.00003@no-log.org",) * 2,
        )
        self.assertEqual(
            self.Mailbox.with_user(invited).search([]).mapped("address"),
            ["loutre.00003@no-log.org"],
        )

    def test_second_run_changes_nothing(self):
        self.assertTrue(self.first_steps)
        counts = {
            model: self.env[model].search_count([])
            for model in ("nolog.mailbox", "nolog.usage.history", "nolog.warning")
        }
        self.env.flush_all()
        query = SQL(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        self.env.cr.execute(query)
        before = self.env.cr.fetchone()[0]
        self.assertEqual(self.Sample._load_sample(), [])
        self.env.flush_all()
        self.env.cr.execute(query)
        self.assertEqual(self.env.cr.fetchone()[0], before, "no row written")
        for model, count in counts.items():
            self.assertEqual(self.env[model].search_count([]), count, model)

    def test_readonly_volunteer(self):
        user = self.env.ref("sample.user_nolog_readonly")
        self.assertEqual(user.login, "benevole")
        self.assertTrue(user.has_group("globenet_nolog.group_globenet_nolog_user"))
        self.assertFalse(user.has_group("globenet_nolog.group_globenet_nolog_operator"))
        self.assertEqual(
            self.Mailbox.with_user(user).search_count(
                [("server_id", "=", self.bender.id)]
            ),
            30000,
        )
        self.assertIn("readonly", self.first_steps)
        self.assertEqual(self.Sample._load_sample(), [])

    def test_capacity_and_signups(self):
        # Bender's forecast: full in about a month
        self.assertTrue(20 <= self.bender.forecast_days_left <= 40)
        self.assertEqual(self.bender.fill_threshold, 100)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "nolog.server"), ("res_id", "=", self.bender.id)]
        )
        self.assertEqual(len(activity), 1)
        # signups are closed: Bender by the capacity check, the rest by a manager
        self.assertFalse(self.bender.signup_open)
        self.assertTrue(self.bender.signup_log_ids.automatic)
        company = self.env.ref("base.main_company")
        self.assertFalse(company.nolog_signup_open)
        self.assertIn("chatons.org", company.nolog_signup_closed_message)
        self.assertFalse(self.env["nolog.signup.request"]._signups_open(company))
        self.assertEqual(
            self.env["nolog.signup.request"].search_count([("state", "=", "pending")]),
            2,
        )
        self.assertIn("capacity", self.first_steps)
        self.assertEqual(self.Sample._load_sample(), [])

    def test_campaign_ready_and_suspicious_accounts(self):
        """A draft campaign for every second account of Bender, ready to
        preview; a burst of list-subscriber accounts waits for review."""
        campaign = self.env.ref("sample.nolog_campaign_every_second")
        self.assertEqual(campaign.state, "draft")
        self.assertEqual(campaign.server_id, self.bender)
        candidates = self.Mailbox.search_count(
            [
                ("server_id", "=", self.bender.id),
                ("state", "in", ("active", "warned", "over_quota")),
            ]
        )
        self.assertEqual(campaign.preview_count, (candidates + 1) // 2)
        self.assertGreater(campaign.preview_bytes, 500 * GB)
        self.assertFalse(campaign.line_ids, "nothing sent")
        to_review = self.env["nolog.suspicion"].search([("state", "=", "to_review")])
        burst = to_review.filtered(lambda row: "abonne.lettre" in row.address)
        self.assertEqual(len(burst), 8)
        self.assertTrue(all("similar name" in row.reasons for row in burst))
        self.assertLessEqual(len(to_review), 30, "a few, not the whole service")
        self.assertEqual(set(burst.mailbox_id.mapped("state")), {"active"})
