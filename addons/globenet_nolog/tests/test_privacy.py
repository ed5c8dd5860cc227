# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

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
