# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestPrivacy(NologCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="nolog_privacy",
            password="nolog_privacy_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )
        cls.partner.write(
            {
                "email": "alice.member@example.org",
                "phone": "+33 1 23 45 67 89",
                "street": "1 rue de la Paix",
            }
        )
        cls.manager = new_test_user(
            cls.env,
            login="nolog_privacy_manager",
            groups="base.group_user,globenet_nolog.group_globenet_nolog_manager",
        )
        cls.operator = new_test_user(
            cls.env,
            login="nolog_privacy_operator",
            groups="base.group_user,globenet_nolog.group_globenet_nolog_operator",
        )
        cls.env["nolog.ingestion"]._ingest(
            cls.server, f"alice@no-log.test,{60 * MB},10\nbob@no-log.test,{MB}\n"
        )

    def _device_logs(self, user):
        return self.env["res.device.log"].sudo().search([("user_id", "=", user.id)])

    def test_no_device_log_for_members(self):
        self.authenticate("nolog_privacy", "nolog_privacy_pw")
        self.assertEqual(self.url_open("/my/mailboxes").status_code, 200)
        self.assertFalse(self._device_logs(self.portal_user))
        # an employee's sessions are still logged, as Odoo does
        self.authenticate("nolog_privacy_operator", "nolog_privacy_operator")
        self.url_open("/my/mailboxes")
        self.assertTrue(self._device_logs(self.operator))

    def test_no_login_log_for_members(self):
        Log = self.env["res.users.log"].sudo()
        before = Log.search_count([])
        self.env["res.users"].with_user(self.portal_user)._update_last_login()
        self.assertEqual(Log.search_count([]), before)
        self.env["res.users"].with_user(self.operator)._update_last_login()
        self.assertEqual(Log.search_count([]), before + 1)

    def test_autovacuum_prunes_older_member_logs(self):
        """Logs kept before these addons were installed go at the next vacuum."""
        self.env["res.device.log"].sudo().create(
            {
                "session_identifier": "x" * 42,
                "user_id": self.portal_user.id,
                "ip_address": "192.0.2.1",
                "first_activity": "2026-01-01 00:00:00",
                "last_activity": "2026-01-01 00:00:00",
            }
        )
        self.env["res.users.log"].with_user(self.portal_user).sudo().create({})
        self.env["res.device.log"]._gc_portal_device_log()
        self.env["res.users.log"]._gc_portal_user_logs()
        self.assertFalse(self._device_logs(self.portal_user))
        self.assertFalse(
            self.env["res.users.log"]
            .sudo()
            .search([("create_uid", "=", self.portal_user.id)])
        )

    def test_data_export(self):
        self.env["nolog.usage.history"].create(
            {"mailbox_id": self.alice.id, "date": date(2026, 1, 1), "usage_bytes": MB}
        )
        self.authenticate("nolog_privacy", "nolog_privacy_pw")
        response = self.url_open("/my/privacy/export")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        data = response.json()
        self.assertEqual(data["partner"]["email"], "alice.member@example.org")
        self.assertEqual(data["partner"]["phone"], "+33 1 23 45 67 89")
        self.assertEqual(
            [m["address"] for m in data["mailboxes"]], ["alice@no-log.test"]
        )
        history = data["mailboxes"][0]["usage_history"]
        self.assertIn(
            {"date": "2026-01-01", "usage_bytes": MB, "message_count": 0}, history
        )
        self.assertNotIn("bob@no-log.test", response.text)
        # a parameter cannot name another partner
        response = self.url_open(f"/my/privacy/export?partner_id={self.bob.id}")
        self.assertNotIn("bob@no-log.test", response.text)
        # the home page offers the download
        self.assertIn("/my/privacy/export", self.url_open("/my/home").text)

    def test_erasure(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.operator).action_globenet_erase_personal_data()
        self.partner.with_user(self.manager).action_globenet_erase_personal_data()
        self.env.invalidate_all()
        # gone: the link to the mailbox, the contact details, the login
        self.assertFalse(self.alice.partner_id)
        self.assertFalse(self.partner.email)
        self.assertFalse(self.partner.phone)
        self.assertFalse(self.partner.street)
        self.assertNotIn("Alice", self.partner.name)
        self.assertFalse(self.portal_user.active)
        self.assertNotEqual(self.portal_user.login, "nolog_privacy")
        self.assertFalse(self._device_logs(self.portal_user))
        # stays: the mailbox (the service, known by its address) and its usage
        self.assertEqual(self.alice.address, "alice@no-log.test")
        self.assertEqual(self.alice.usage_bytes, 60 * MB)
        # the mailbox's chatter no longer names its former owner
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "nolog.mailbox"),
                    ("mail_message_id.res_id", "=", self.alice.id),
                ]
            )
        )
        self.assertNotIn("Alice", " ".join(trackings.mapped("old_value_char")))


@tagged("post_install", "-at_install")
class TestPrivacyOdooTables(NologCommon, MockEmail):
    """What Odoo itself would keep about mailbox owners: the chatter's
    tracking values, the mail queue after sending (through a mocked SMTP
    server, whatever the test runner)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="nolog_tables_manager",
            groups="globenet_nolog.group_globenet_nolog_manager",
        )
        cls.env["nolog.ingestion"]._ingest(cls.server, f"alice@no-log.test,{95 * MB}\n")

    def _trackings(self, mailbox):
        return (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "nolog.mailbox"),
                    ("mail_message_id.res_id", "=", mailbox.id),
                ]
            )
        )

    def test_owner_and_address_changes_not_tracked(self):
        other = self.env["res.partner"].create(
            {"name": "Bob Owner", "email": "bob.owner@example.org"}
        )
        bob = self.bob.with_user(self.manager).with_context(tracking_disable=False)
        bob.write({"partner_id": other.id})
        bob.write({"address": "robert@no-log.test"})
        bob.write({"partner_id": False})
        # a tracked field still is: the tracking works in this test
        bob.write({"policy_id": self.policy.copy({"name": "Other"}).id})
        self.env.flush_all()
        self.env.cr.precommit.run()
        trackings = self._trackings(self.bob)
        self.assertEqual(trackings.field_id.mapped("name"), ["policy_id"])
        bodies = " ".join(self.bob.message_ids.mapped("body"))
        for value in ("Bob Owner", "bob.owner@example.org", "bob@no-log.test"):
            self.assertNotIn(value, bodies)
            for column in ("old_value_char", "new_value_char"):
                self.assertNotIn(value, " ".join(trackings.mapped(column)))

    def test_sent_warning_leaves_no_email_in_the_queue(self):
        self.env["nolog.mailbox"]._cron_send_warnings()
        warning = self.alice.warning_ids
        mail = warning.mail_id
        self.assertTrue(mail.auto_delete)
        message = mail.mail_message_id
        with self.mock_mail_gateway(mail_unlink_sent=True):
            mail.send()
        self.assertFalse(mail.exists(), mail.exists().failure_reason)
        self.assertFalse(message.exists())
        self.assertFalse(
            self.env["mail.mail"].search([("body_html", "ilike", "alice@no-log.test")])
        )
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.partner.id)]
            )
        )
        # the warning keeps its copy (what the member was told)...
        self.assertIn("alice.member@example.org", warning.email_to)
        self.assertIn("alice@no-log.test", warning.email_subject)
        # ...and the chatter names the mailbox, not its owner's email
        bodies = " ".join(self.alice.message_ids.mapped("body"))
        self.assertIn("alice@no-log.test and its owner", bodies)
        self.assertNotIn("alice.member@example.org", bodies)

    def test_sent_closure_notice_leaves_no_email_in_the_queue(self):
        campaign = self.env["nolog.closure.campaign"].create(
            {
                "name": "Privacy campaign",
                "list_url": "https://lists.example/alt",
                "rule": "server",
                "server_id": self.server.id,
            }
        )
        campaign.with_user(self.manager).action_launch()
        notice = self.env["mail.mail"].search(
            [("model", "=", "nolog.mailbox"), ("res_id", "=", self.alice.id)]
        )
        self.assertEqual(len(notice), 1)
        message = notice.mail_message_id
        with self.mock_mail_gateway(mail_unlink_sent=True):
            notice.send()
        # the email (recipients, body) goes; the chatter keeps the notice
        self.assertFalse(notice.exists(), notice.exists().failure_reason)
        self.assertTrue(message.exists())
        self.assertIn(message, self.alice.message_ids)
        self.assertFalse(
            self.env["mail.mail"].search(
                [("email_to", "ilike", "alice.member@example.org")]
            )
        )
