# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import hmac as odoo_hmac

from .common import MB, NologCommon


class CampaignCommon(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team(
            "nolog_campaign_operator", "nolog_campaign_manager"
        )
        cls.Campaign = cls.env["nolog.closure.campaign"]

    def _campaign(self, **vals):
        return self.Campaign.create(
            {"name": "Test campaign", "list_url": "https://lists.example/alt", **vals}
        )

    def _notices(self, mailboxes):
        return self.env["mail.mail"].search(
            [("model", "=", "nolog.mailbox"), ("res_id", "in", mailboxes.ids)]
        )


@tagged("post_install", "-at_install")
class TestCampaignSelection(CampaignCommon):
    def test_every_second_of_1001(self):
        """Every second account of 1,001 is 501: the 1st, 3rd... 1,001st by
        registration order (the documented rule)."""
        server = self.env["nolog.server"].create(
            {"name": "Big", "hostname": "big.test.example", "policy_id": self.policy.id}
        )
        mailboxes = self.env["nolog.mailbox"].create(
            [
                {
                    "address": f"member{index:04d}@no-log.test",
                    "server_id": server.id,
                    "policy_id": self.policy.id,
                }
                for index in range(1001)
            ]
        )
        campaign = self._campaign(rule="every_kth", every_k=2, server_id=server.id)
        self.assertEqual(campaign.preview_count, 501)
        selected = campaign._selected_mailboxes()
        self.assertEqual(selected.ids, mailboxes.sorted("id").ids[::2])
        campaign.every_k = 3
        self.assertEqual(campaign.preview_count, 334)
        # a closed account is not a candidate: the ranks move on
        mailboxes[0].action_close()
        campaign.every_k = 2
        self.assertEqual(campaign.preview_count, 500)
        self.assertEqual(campaign._selected_mailboxes()[0], mailboxes.sorted("id")[1])

    def test_rules(self):
        self._ingest(
            f"alice@no-log.test,{150 * MB}\n"
            f"bob@no-log.test,{20 * MB}\n"
            f"carol@no-log.test,{5 * MB}\n"
        )
        by_server = self._campaign(rule="server", server_id=self.other_server.id)
        self.assertEqual(by_server._selected_mailboxes(), self.zoe)
        size = self._campaign(rule="size", min_size_mb=100)
        self.assertEqual(size._selected_mailboxes(), self.alice)
        self.assertEqual(size.preview_bytes, 150 * MB)
        manual = self._campaign(
            rule="manual", manual_mailbox_ids=[(6, 0, self.bob.ids)]
        )
        self.assertEqual(manual._selected_mailboxes(), self.bob)
        with self.assertRaises(ValidationError):
            self._campaign(rule="server")
        with self.assertRaises(ValidationError):
            self._campaign(reminder_days="90,soon")

    def test_inactive_rule(self):
        today = date.today()
        History = self.env["nolog.usage.history"]
        (self.alice | self.bob | self.carol).write(
            {"open_date": today - timedelta(days=400)}
        )
        self.env.cr.execute(
            "UPDATE nolog_mailbox SET usage_bytes = 1000 WHERE id IN %s",
            [(self.alice.id, self.bob.id, self.carol.id)],
        )
        self.env["nolog.mailbox"].invalidate_model()
        # alice: same usage for 200 days; bob: changed 10 days ago;
        # carol: no history at all (never reported a change)
        History.create(
            [
                {
                    "mailbox_id": self.alice.id,
                    "date": today - timedelta(days=d),
                    "usage_bytes": 1000,
                }
                for d in (1, 50, 150)
            ]
            + [
                {
                    "mailbox_id": self.bob.id,
                    "date": today - timedelta(days=10),
                    "usage_bytes": 400,
                }
            ]
        )
        campaign = self._campaign(
            rule="inactive", inactive_days=180, server_id=self.server.id
        )
        self.assertEqual(campaign._selected_mailboxes(), self.alice | self.carol)


@tagged("post_install", "-at_install")
class TestCampaignLaunch(CampaignCommon):
    def test_only_managers_launch(self):
        campaign = self._campaign(server_id=self.server.id)
        with self.assertRaises(AccessError):
            campaign.with_user(self.operator).action_launch()
        with self.assertRaises(AccessError):
            self.Campaign.with_user(self.operator).create({"name": "No"})
        self.assertEqual(self.alice.state, "active")

    def test_launch_reminders_keep_and_closure(self):
        with freeze_time("2026-01-10"):
            campaign = self._campaign(rule="server", server_id=self.server.id)
            campaign.with_user(self.manager).action_launch()
        selected = self.alice | self.bob | self.carol
        self.assertEqual(set(selected.mapped("state")), {"closing"})
        self.assertEqual(set(selected.mapped("closure_date")), {date(2026, 7, 10)})
        self.assertEqual(self.zoe.state, "active")
        self.assertEqual(campaign.state, "running")
        self.assertEqual(campaign.notified_count, 3)
        notices = self._notices(selected)
        self.assertEqual(len(notices), 3)
        notice = notices.filtered(lambda mail: mail.res_id == self.alice.id)
        self.assertIn("alice@no-log.test", notice.email_to)
        self.assertIn("alice.member@example.org", notice.email_to)
        body = notice.body_html
        self.assertIn("alice@no-log.test", body)
        self.assertLess(body.index("fermera le"), body.index("will close on"))
        self.assertIn("10 juillet 2026", body)
        self.assertIn("July 10, 2026", body)
        self.assertIn("https://lists.example/alt", body)
        line = campaign.line_ids.filtered(lambda ln: ln.mailbox_id == self.alice)
        self.assertIn(f"/nolog/keep/{line.id}/", body)
        self.assertEqual(notice.state, "outgoing", "queued, not sent")
        # logged on the mailbox: the notice is in its chatter
        self.assertIn(notice.mail_message_id, self.alice.message_ids)
        with self.assertRaises(UserError):
            campaign.with_user(self.manager).action_launch()

        # reminders at 90, 30 and 7 days before the closure
        self.assertEqual(line.next_reminder_date, date(2026, 4, 11))
        with freeze_time("2026-04-10"):
            self.assertEqual(self.Campaign._cron_campaigns(), 0)
        with freeze_time("2026-04-11"):
            self.assertEqual(self.Campaign._cron_campaigns(), 3)
            self.assertEqual(self.Campaign._cron_campaigns(), 0, "sent once")
        self.assertEqual(len(self._notices(selected)), 6)
        self.assertEqual(line.reminder_count, 1)
        self.assertEqual(line.next_reminder_date, date(2026, 6, 10))
        self.assertEqual(campaign.reminded_count, 3)

        # bob asks to keep his mailbox through the signed link; a manager keeps it
        bob_line = campaign.line_ids.filtered(lambda ln: ln.mailbox_id == self.bob)
        token = campaign._keep_token(bob_line.id, self.bob.id)
        self.assertEqual(
            token,
            odoo_hmac(
                self.env(su=True),
                "globenet_nolog.keep",
                (bob_line.id, self.bob.id, "2026-07-10"),
            ),
            "the batch signer is Odoo's hmac with the database secret",
        )
        self.assertFalse(bob_line._check_keep_token(token[:-1] + "0"))
        self.assertFalse(line._check_keep_token(token), "signs one line only")
        with freeze_time("2026-05-01"):
            self.assertTrue(bob_line._check_keep_token(token))
            request = bob_line._request_keep("My association's archive")
            self.assertEqual(bob_line._request_keep(), request, "one pending request")
        self.assertEqual(campaign.keep_request_count, 1)
        with self.assertRaises(AccessError):
            request.with_user(self.operator).action_accept()
        request.with_user(self.manager).action_accept()
        self.assertEqual(request.decided_by_id, self.manager)
        self.assertEqual(self.bob.state, "active")
        self.assertFalse(self.bob.closure_date)
        self.assertEqual(bob_line.state, "kept")

        with freeze_time("2026-06-10"):
            self.assertEqual(self.Campaign._cron_campaigns(), 2, "bob left")
        with freeze_time("2026-07-03"):
            self.assertEqual(self.Campaign._cron_campaigns(), 2, "the 7-day one")
        self.assertEqual(line.reminder_count, 3)
        self.assertFalse(line.next_reminder_date)
        with freeze_time("2026-07-09"):
            self.assertEqual(self.Campaign._cron_campaigns(), 0)
            self.assertEqual(self.alice.state, "closing")
        with freeze_time("2026-07-10"):
            self.assertEqual(self.Campaign._cron_campaigns(), 2)
        self.assertEqual(
            (self.alice | self.carol).mapped("state"), ["closed", "closed"]
        )
        self.assertEqual(self.bob.state, "active")
        self.assertEqual(campaign.state, "done")
        self.assertEqual(
            (
                campaign.notified_count,
                campaign.reminded_count,
                campaign.keep_request_count,
                campaign.kept_count,
                campaign.closed_count,
            ),
            (3, 3, 1, 1, 2),
        )
        self.assertTrue(self.alice.exists(), "Odoo deletes nothing")
        entry = self.alice._feed_entry()
        self.assertEqual(entry["state"], "closed")
        self.assertFalse(entry["enabled"])
        self.assertEqual(entry["delete_from"], "2026-07-10")
        # after the closure the link has expired
        with freeze_time("2026-07-11"):
            self.assertFalse(
                line._check_keep_token(campaign._keep_token(line.id, self.alice.id))
            )

    def test_launch_query_count_is_flat(self):
        """The launch costs the same number of queries for 10 and 40 mailboxes
        (a first launch of 3 warms the caches of views and parameters)."""
        counts = []
        for size in (3, 10, 40):
            server = self.env["nolog.server"].create(
                {
                    "name": f"S{size}",
                    "hostname": f"s{size}.test.example",
                    "policy_id": self.policy.id,
                }
            )
            self.env["nolog.mailbox"].create(
                [
                    {
                        "address": f"q{size}x{index}@no-log.test",
                        "server_id": server.id,
                        "policy_id": self.policy.id,
                    }
                    for index in range(size)
                ]
            )
            campaign = self._campaign(rule="server", server_id=server.id, every_k=1)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            campaign.action_launch()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(len(campaign.line_ids), size)
        self.assertEqual(counts[1], counts[2])


@tagged("post_install", "-at_install")
class TestKeepLink(CampaignCommon, HttpCase):
    def test_signed_link_and_portal_button(self):
        campaign = self._campaign(rule="server", server_id=self.server.id)
        campaign.action_launch()
        line = campaign.line_ids.filtered(lambda ln: ln.mailbox_id == self.alice)
        url = campaign._keep_url(line.id, self.alice.id)
        path = url[url.index("/nolog/keep/") :]
        response = self.url_open(path[:-2] + "00")
        self.assertIn("not valid", response.text)
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        self.assertIn("alice@no-log.test", response.text)
        self.assertFalse(
            self.env["nolog.keep.request"].search([("line_id", "=", line.id)]),
            "a GET records nothing",
        )
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        response = self.url_open(path, data={"csrf_token": csrf, "reason": "Archive"})
        self.assertEqual(response.status_code, 200)
        request = self.env["nolog.keep.request"].search([("line_id", "=", line.id)])
        self.assertEqual(
            (request.reason, request.channel, request.state),
            ("Archive", "link", "pending"),
        )
        # without the CSRF token the POST is refused
        with mute_logger("odoo.http"):
            response = self.url_open(path, data={"reason": "Again"})
        self.assertEqual(response.status_code, 400)

        # the owner's portal shows the closure and a button
        new_test_user(
            self.env,
            login="nolog_keep_portal",
            password="nolog_keep_portal_pw",
            groups="base.group_portal",
            partner_id=self.partner.id,
        )
        bob_line = campaign.line_ids.filtered(lambda ln: ln.mailbox_id == self.bob)
        self.bob.partner_id = self.partner
        self.authenticate("nolog_keep_portal", "nolog_keep_portal_pw")
        response = self.url_open(f"/my/mailboxes/{self.bob.id}")
        self.assertIn(f"/my/mailboxes/{self.bob.id}/keep", response.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        response = self.url_open(
            f"/my/mailboxes/{self.bob.id}/keep", data={"csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["nolog.keep.request"].search([("line_id", "=", bob_line.id)])
        self.assertEqual(request.channel, "portal")
        # another member's mailbox: nothing recorded
        response = self.url_open(
            f"/my/mailboxes/{self.carol.id}/keep", data={"csrf_token": csrf}
        )
        self.assertFalse(
            self.env["nolog.keep.request"].search([("mailbox_id", "=", self.carol.id)])
        )


@tagged("post_install", "-at_install")
class TestClosureFeed(CampaignCommon, HttpCase):
    def test_feed_says_closed_and_from_when_to_delete(self):
        with freeze_time("2026-01-10"):
            campaign = self._campaign(
                rule="manual", manual_mailbox_ids=[(6, 0, (self.alice | self.bob).ids)]
            )
            campaign.action_launch()
        with freeze_time("2026-07-10"):
            self.Campaign._cron_campaigns()
        self.alice.invalidate_recordset()
        self.assertEqual(self.alice.state, "closed")
        # a mailbox closed by hand is deleted from its closing day
        self.carol.action_close()
        headers = {"Authorization": f"Bearer {self.key}"}
        response = self.url_open("/nolog/api/v1/feed", headers=headers)
        entries = {e["address"]: e for e in response.json()["mailboxes"]}
        alice = entries["alice@no-log.test"]
        self.assertEqual(
            (alice["state"], alice["enabled"], alice["delete_from"]),
            ("closed", False, "2026-07-10"),
        )
        self.assertEqual(
            entries["carol@no-log.test"]["delete_from"],
            self.carol.closure_date.isoformat(),
        )
        self.assertIsNone(alice["closure_date"], "closed: only delete_from")
        response = self.url_open("/nolog/api/v1/feed?format=dovecot", headers=headers)
        self.assertIn(
            "alice@no-log.test\tuserdb_quota_rule=*:storage=100M\tstate=closed"
            "\tdelete_from=2026-07-10\n",
            response.text,
        )
        self.assertTrue(self.alice.exists() and self.bob.exists(), "nothing deleted")

    def test_feed_gives_the_closure_date_of_a_closing_mailbox(self):
        campaign = self._campaign(
            rule="manual", manual_mailbox_ids=[(6, 0, self.bob.ids)]
        )
        campaign.action_launch()
        entry = self.bob._feed_entry()
        self.assertEqual(
            (
                entry["state"],
                entry["enabled"],
                entry["closure_date"],
                entry["delete_from"],
            ),
            ("closing", True, campaign.closure_date.isoformat(), None),
        )
