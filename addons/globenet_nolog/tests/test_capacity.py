# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import NologCommon

GB = 10**9


@tagged("post_install", "-at_install")
class TestCapacityForecast(NologCommon):
    """The growth fit, days left and date, on a synthetic daily series."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["nolog.server"])
        # Alice grows by 3 GB a day, Bob by 2 GB: the server by 5 GB a day,
        # 1,000 GB today, over 40 days.
        rows = []
        for offset in range(-39, 1):
            day = cls.today + timedelta(days=offset)
            rows.append(
                {
                    "mailbox_id": cls.alice.id,
                    "date": day,
                    "usage_bytes": 600 * GB + 3 * GB * offset,
                }
            )
            rows.append(
                {
                    "mailbox_id": cls.bob.id,
                    "date": day,
                    "usage_bytes": 400 * GB + 2 * GB * offset,
                }
            )
        cls.env["nolog.usage.history"].create(rows)
        cls.env["nolog.server.usage.daily"]._refresh()

    def test_daily_series_rolls_up_the_history(self):
        daily = self.env["nolog.server.usage.daily"].search(
            [("server_id", "=", self.server.id), ("kind", "=", "history")]
        )
        self.assertEqual(len(daily), 40)
        last = daily.filtered(lambda row: row.date == self.today)
        self.assertEqual(last.used_bytes, 1000 * GB)
        self.assertEqual(last.account_count, 2)

    def test_growth_and_days_left(self):
        # 1,750 GB usable (8 x 250 GB, RAID 5); full at 90 %: 1,575 GB.
        self.assertEqual(self.server.capacity_gb, 1750)
        self.assertEqual(self.server.forecast_window_days, 30)
        self.assertEqual(self.server.fill_threshold, 90)
        self.assertAlmostEqual(self.server.forecast_growth_bytes, 5 * GB, delta=1)
        self.assertEqual(self.server.forecast_days_left, 115)  # (1575-1000)/5
        self.assertEqual(
            self.server.forecast_full_date, self.today + timedelta(days=115)
        )
        self.server.fill_threshold = 100
        self.assertEqual(self.server.forecast_days_left, 150)  # (1750-1000)/5

    def test_window_chooses_the_days(self):
        # A burst 20 days ago is outside a 10-day window, inside the 30-day one.
        History = self.env["nolog.usage.history"]
        History.search(
            [
                ("mailbox_id", "=", self.alice.id),
                ("date", "<=", self.today - timedelta(days=20)),
            ]
        ).write({"usage_bytes": 0})
        self.env["nolog.server.usage.daily"]._refresh([self.server.id])
        self.server.forecast_window_days = 10
        self.assertAlmostEqual(self.server.forecast_growth_bytes, 5 * GB, delta=1)
        self.server.forecast_window_days = 30
        self.server.invalidate_recordset()
        self.assertGreater(self.server.forecast_growth_bytes, 5 * GB)

    def test_forecast_line_for_the_graph(self):
        action = self.server.action_view_forecast()
        self.assertEqual(action["res_model"], "nolog.server.usage.daily")
        forecast = self.env["nolog.server.usage.daily"].search(
            [("server_id", "=", self.server.id), ("kind", "=", "forecast")]
        )
        self.assertEqual(len(forecast), 115)  # tomorrow to day 115
        last = forecast.sorted("date")[-1]
        self.assertEqual(last.date, self.server.forecast_full_date)
        self.assertAlmostEqual(last.used_bytes, 1575 * GB, delta=5 * GB)
        self.other_server.action_view_forecast()  # not growing: no line
        self.assertFalse(
            self.env["nolog.server.usage.daily"].search(
                [("server_id", "=", self.other_server.id), ("kind", "=", "forecast")]
            )
        )

    def test_not_growing(self):
        self.assertEqual(self.other_server.forecast_days_left, -1)
        self.assertFalse(self.other_server.forecast_full_date)

    def test_bad_settings(self):
        with self.assertRaises(ValidationError):
            self.server.fill_threshold = 120
        with self.assertRaises(ValidationError):
            self.server.forecast_window_days = 1

    def test_forecast_query_count_is_flat(self):
        Server = self.env["nolog.server"]
        one = Server.browse(self.server.id)
        two = Server.browse([self.server.id, self.other_server.id])
        two.mapped("forecast_days_left")  # warm the language caches
        for servers in (one, two):
            servers.invalidate_recordset(["forecast_days_left"])
            with self.assertQueryCount(1):
                servers.mapped("forecast_days_left")

    def test_cron_raises_one_activity(self):
        self.env["ir.config_parameter"].set_param(
            "globenet_nolog.capacity_alert_days", 200
        )
        Server = self.env["nolog.server"]
        Server._cron_capacity_check()
        Server._cron_capacity_check()
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "nolog.server"), ("res_id", "=", self.server.id)]
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("115", activities.summary)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "nolog.server"),
                    ("res_id", "=", self.other_server.id),
                ]
            )
        )
        self.env["ir.config_parameter"].set_param(
            "globenet_nolog.capacity_alert_days", 60
        )
        activities.unlink()
        Server._cron_capacity_check()
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "nolog.server")])
        )


@tagged("post_install", "-at_install")
class TestCapacityPlanner(NologCommon):
    def test_meeting_figures(self):
        Planner = self.env["nolog.capacity.planner"].with_context(lang="en_US")
        one = Planner.create({"account_count": 30000})
        self.assertEqual(one.mail_servers, 1)
        big = Planner.create({"account_count": 100000})
        self.assertEqual(big.mail_servers, 4)
        self.assertEqual(big.total_servers, 8)
        self.assertEqual(big.switches, 2)
        self.assertEqual(big.disks, 64)
        self.assertEqual(big.cost, 40000)
        self.assertIn("100,000 / 30,000 per server = 4", big.explanation)
        self.assertIn("8 x 4,000 + 2 x 4,000 = 40,000", big.explanation)

    def test_space_can_decide(self):
        planner = self.env["nolog.capacity.planner"].create(
            {"account_count": 30000, "mailbox_mb": 100}
        )
        # 30,000 x 100 MB = 3,146 GB > 1,575 GB a server: two mail servers
        self.assertEqual(planner.mail_servers, 2)

    def test_raid_planner(self):
        planner = self.env["nolog.capacity.planner"].create(
            {"disk_count": 8, "disk_size_gb": 250}
        )
        self.assertEqual(
            (
                planner.raid0_gb,
                planner.raid1_gb,
                planner.raid5_gb,
                planner.raid6_gb,
                planner.raid10_gb,
            ),
            (2000, 250, 1750, 1500, 1000),
        )
        # the server's own computation gives the same figure
        self.assertEqual(self.server.capacity_gb, planner.raid5_gb)
        planner.disk_count = 3
        self.assertEqual(planner.raid10_gb, 0)  # impossible layout
        self.assertEqual(planner.raid5_gb, 500)


@tagged("post_install", "-at_install")
class TestSignups(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team("cap_operator", "cap_manager")
        cls.Request = cls.env["nolog.signup.request"]

    def test_closes_at_account_maximum(self):
        self.server.max_mailboxes = 3  # alice, bob, carol
        self.env["nolog.server"]._cron_capacity_check()
        self.assertFalse(self.server.signup_open)
        log = self.server.signup_log_ids
        self.assertEqual(len(log), 1)
        self.assertTrue(log.automatic)
        self.assertIn("maximum", log.reason)
        self.assertTrue(self.other_server.signup_open)

    def test_closes_at_fill_threshold(self):
        self.env["nolog.ingestion"]._ingest(
            self.other_server, "zoe@no-log.test,950000000000,10,INBOX\n"
        )
        self.assertGreaterEqual(self.other_server.used_percent, 90)
        self.env["nolog.server"]._cron_capacity_check()
        self.assertFalse(self.other_server.signup_open)
        self.assertIn("threshold", self.other_server.signup_log_ids.reason)
        self.assertTrue(self.server.signup_open)

    def test_only_managers_change_signups(self):
        with self.assertRaises(AccessError):
            self.server.with_user(self.operator)._set_signup_open(False, "no")
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.operator)._nolog_set_signup_open(
                False, "no"
            )
        with self.assertRaises(AccessError):
            self.env["nolog.signup.change"].with_user(self.operator).create(
                {"open": False, "reason": "no"}
            )
        change = (
            self.env["nolog.signup.change"]
            .with_user(self.manager)
            .create({"server_id": self.server.id, "open": False, "reason": "Full"})
        )
        change.action_apply()
        self.assertFalse(self.server.signup_open)
        log = self.server.signup_log_ids
        self.assertEqual(
            (log.user_id, log.reason, log.open), (self.manager, "Full", False)
        )
        self.assertFalse(log.automatic)
        service = (
            self.env["nolog.signup.change"]
            .with_user(self.manager)
            .create({"open": False, "reason": "Meeting"})
        )
        service.action_apply()
        self.assertFalse(self.env.company.nolog_signup_open)
        self.assertTrue(
            self.env["nolog.signup.log"].search(
                [("server_id", "=", False), ("reason", "=", "Meeting")]
            )
        )
        self.assertFalse(self.Request._signups_open())

    def test_signups_open_needs_a_server_with_room(self):
        self.assertTrue(self.Request._signups_open())
        (self.server | self.other_server)._set_signup_open(False, "full")
        self.assertFalse(self.Request._signups_open())

    def test_submit_checks_the_name(self):
        for name in ("postmaster", "Abuse", "admin.team", "a..b", "-x", "é", ""):
            self.assertTrue(self.Request._submit(name, "me@example.org"), name)
        self.assertTrue(self.Request._submit("good", "not an email"))
        self.assertFalse(self.Request.search([]))
        self.assertIsNone(self.Request._submit("New.Member", "Me@Example.org"))
        request = self.Request.search([])
        self.assertEqual(request.address, "new.member@no-log.org")
        self.assertEqual(request.contact_email, "me@example.org")

    def test_submit_reveals_no_existing_address(self):
        self._mailbox("taken@no-log.org")
        self.assertIsNone(self.Request._submit("taken", "me@example.org"))
        self.assertIsNone(self.Request._submit("fresh", "me@example.org"))
        self.assertIsNone(self.Request._submit("fresh", "other@example.org"))
        self.assertEqual(
            self.Request.search([]).mapped("address"), ["fresh@no-log.org"]
        )

    def test_operator_approves_and_owner_is_told(self):
        self.Request._submit("newbie", "newbie@example.org")
        request = self.Request.search([]).with_user(self.operator)
        self.server.max_mailboxes = 3  # full: the other server takes it
        request.action_approve()
        self.assertEqual(request.state, "approved")
        mailbox = request.mailbox_id
        self.assertEqual(mailbox.address, "newbie@no-log.org")
        self.assertEqual(mailbox.server_id, self.other_server)
        self.assertEqual(mailbox.policy_id, self.other_server.policy_id)
        self.assertEqual(request.reviewer_id, self.operator)
        mail = self.env["mail.mail"].search([("email_to", "=", "newbie@example.org")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        with self.assertRaises(UserError):
            request.action_approve()

    def test_reject_needs_a_reason(self):
        self.Request._submit("maybe", "maybe@example.org")
        request = self.Request.search([]).with_user(self.operator)
        with self.assertRaises(UserError):
            request.action_reject()
        request.decision_reason = "Looks like a bulk request."
        request.action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertFalse(
            self.env["nolog.mailbox"].search([("address", "=", "maybe@no-log.org")])
        )
        mail = self.env["mail.mail"].search([("email_to", "=", "maybe@example.org")])
        self.assertIn("bulk request", mail.body_html)

    def test_approve_without_room(self):
        self.Request._submit("late", "late@example.org")
        (self.server | self.other_server)._set_signup_open(False, "full")
        with self.assertRaises(UserError):
            self.Request.search([]).with_user(self.operator).action_approve()

    def test_portal_user_cannot_review(self):
        portal = new_test_user(self.env, login="cap_portal", groups="base.group_portal")
        self.Request._submit("someone", "someone@example.org")
        with self.assertRaises(AccessError):
            self.Request.with_user(portal).search([])

    def test_other_company_is_hidden(self):
        other = self.env["res.company"].create({"name": "Other host"})
        self.env["nolog.signup.request"].create(
            {
                "address": "elsewhere@no-log.org",
                "contact_email": "x@example.org",
                "company_id": other.id,
            }
        )
        other._nolog_set_signup_open(False, "their reason")
        Request = self.env["nolog.signup.request"].with_user(self.operator)
        self.assertFalse(Request.search([("address", "=", "elsewhere@no-log.org")]))
        Log = self.env["nolog.signup.log"].with_user(self.operator)
        self.assertFalse(Log.search([("reason", "=", "their reason")]))
        self.assertTrue(self.env.company.nolog_signup_open)

    def test_rate_limit_keeps_no_address(self):
        Throttle = self.env["nolog.signup.throttle"]
        for _attempt in range(5):
            self.assertTrue(Throttle._hit("203.0.113.7"))
        self.assertFalse(Throttle._hit("203.0.113.7"))
        self.assertTrue(Throttle._hit("198.51.100.1"))
        keys = Throttle.search([]).mapped("key")
        self.assertFalse([key for key in keys if "203.0.113" in key])
        self.env.cr.execute("SELECT key FROM nolog_signup_throttle")
        self.assertFalse([row for row in self.env.cr.fetchall() if "203" in row[0]])
        Throttle.search([]).write({"date": fields.Datetime.now() - timedelta(hours=2)})
        salt = Throttle._salt()
        Throttle._cron_purge()
        self.assertFalse(Throttle.search([]))
        self.assertNotEqual(Throttle._salt(), salt)
        self.assertTrue(Throttle._hit("203.0.113.7"))
