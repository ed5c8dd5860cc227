# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import time
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import hmac

from ..models.nolog_mailbox_portal import WIDGET_TOKEN_SCOPE
from .common import MB, NologCommon

WIDGET_URL = "/nolog/widget/usage"
TOKEN_URL = "/nolog/api/v1/widget-token"


@tagged("post_install", "-at_install")
class TestPortalWidget(NologCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="nolog_widget",
            password="nolog_widget_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )
        cls.other_partner = cls.env["res.partner"].create({"name": "Bob Member"})
        cls.bob.partner_id = cls.other_partner
        cls.other_user = new_test_user(
            cls.env,
            login="nolog_widget_bob",
            password="nolog_widget_bob_pw",
            groups="base.group_portal",
            partner_id=cls.other_partner.id,
        )
        cls.env["nolog.ingestion"]._ingest(
            cls.server,
            f"alice@no-log.test,{60 * MB},10,INBOX\n"
            f"alice@no-log.test,{30 * MB},2,Trash\n"
            f"bob@no-log.test,{20 * MB}\n",
        )
        today = fields.Date.context_today(cls.env["nolog.mailbox"])
        cls.env["nolog.usage.history"].create(
            [
                {
                    "mailbox_id": cls.alice.id,
                    "date": today - timedelta(days=day),
                    "usage_bytes": (90 - day) * MB,
                    "message_count": 12,
                }
                for day in range(1, 90)
            ]
        )

    def _get(self, url, headers=None):
        return self.url_open(url, headers=headers, timeout=30)

    def test_widget_with_session(self):
        self.authenticate("nolog_widget", "nolog_widget_pw")
        response = self._get(WIDGET_URL)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertTrue(data["ok"])
        self.assertEqual(
            [m["address"] for m in data["mailboxes"]], [self.alice.address]
        )
        usage = data["mailboxes"][0]
        self.assertEqual(usage["usage_bytes"], 90 * MB)
        self.assertEqual(usage["quota_bytes"], 100 * MB)
        self.assertEqual(usage["percent"], 90.0)
        self.assertEqual(usage["folders"]["inbox"], 60 * MB)
        self.assertEqual(usage["folders"]["trash"], 30 * MB)
        self.assertEqual(response.headers["Cache-Control"], "no-store")

    def test_widget_without_session(self):
        response = self._get(WIDGET_URL)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "login_required")
        self.assertNotIn("alice", response.text)

    def test_widget_with_token(self):
        token = self.alice._widget_token()
        for headers, url in (
            (None, f"{WIDGET_URL}?token={token}"),
            ({"Authorization": f"Bearer {token}"}, WIDGET_URL),
        ):
            response = self._get(url, headers=headers)
            self.assertEqual(response.status_code, 200)
            data = response.json()
            self.assertEqual(len(data["mailboxes"]), 1)
            self.assertEqual(data["mailboxes"][0]["address"], self.alice.address)
        # the token names alice only, even with bob's session
        self.authenticate("nolog_widget_bob", "nolog_widget_bob_pw")
        response = self._get(f"{WIDGET_URL}?token={token}")
        self.assertEqual(response.json()["mailboxes"][0]["address"], self.alice.address)

    def test_widget_forged_and_expired_token(self):
        token = self.alice._widget_token()
        mailbox_id, expiry, signature = token.split(".")
        expired_message = f"{mailbox_id}.{int(time.time()) - 10}"
        expired = (
            f"{expired_message}."
            f"{hmac(self.env(su=True), WIDGET_TOKEN_SCOPE, expired_message)}"
        )
        forged = {
            "other mailbox": f"{self.bob.id}.{expiry}.{signature}",
            "longer life": f"{mailbox_id}.{int(expiry) + 3600}.{signature}",
            "bad signature": f"{mailbox_id}.{expiry}.{'0' * len(signature)}",
            "garbage": "not-a-token",
        }
        for name, value in forged.items():
            with self.subTest(name):
                response = self._get(f"{WIDGET_URL}?token={value}")
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"], "invalid")
                self.assertNotIn("bob@", response.text)
        response = self._get(f"{WIDGET_URL}?token={expired}")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["error"], "expired")

    def test_token_from_the_mail_server(self):
        response = self.url_open(
            TOKEN_URL,
            data={"address": "alice@no-log.test"},
            headers={"Authorization": f"Bearer {self.key}"},
        )
        self.assertEqual(response.status_code, 200)
        token = response.json()["token"]
        response = self._get(f"{WIDGET_URL}?token={token}")
        self.assertEqual(response.json()["mailboxes"][0]["usage_bytes"], 90 * MB)
        # another server's key cannot get a token for alice
        response = self.url_open(
            TOKEN_URL,
            data={"address": "alice@no-log.test"},
            headers={"Authorization": f"Bearer {self.other_key}"},
        )
        self.assertEqual(response.status_code, 404)
        for key in (None, "nolog_1_wrong"):
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            response = self.url_open(
                TOKEN_URL, data={"address": "alice@no-log.test"}, headers=headers
            )
            self.assertEqual(response.status_code, 401)
            self.assertNotIn("token", response.json())

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "globenet_nolog.api_rate_limit", "3"
        )
        headers = {"Authorization": f"Bearer {self.other_key}"}
        statuses = [
            self.url_open("/nolog/api/v1/feed", headers=headers).status_code
            for _call in range(4)
        ]
        self.assertEqual(statuses, [200, 200, 200, 429])
        # another server has its own count
        response = self.url_open(
            "/nolog/api/v1/feed", headers={"Authorization": f"Bearer {self.key}"}
        )
        self.assertEqual(response.status_code, 200)

    def test_mailbox_page_chart_and_notices(self):
        self.alice.with_context(tracking_disable=True)._suspend("Test reason")
        self.authenticate("nolog_widget", "nolog_widget_pw")
        response = self._get(f"/my/mailboxes/{self.alice.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_nolog_usage_chart", response.text)
        self.assertIn("o_nolog_quota_line", response.text)
        self.assertIn("90 daily reports", response.text)
        self.assertIn("o_nolog_state_notice", response.text)
        self.assertIn("Test reason", response.text)
        chart = self.alice._portal_usage_chart()
        self.assertEqual(chart["day_count"], 90)
        self.assertEqual(len(chart["points"].split()), 90)
        # the other member is refused
        response = self._get(f"/my/mailboxes/{self.bob.id}")
        self.assertNotIn("bob@no-log.test", response.text)

    def test_mailbox_page_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.portal_user.lang = "fr_FR"
        self.authenticate("nolog_widget", "nolog_widget_pw")
        response = self._get(f"/my/mailboxes/{self.alice.id}")
        self.assertIn("90,0\N{NO-BREAK SPACE}", response.text)
        token = self.alice._widget_token()
        self.alice.partner_id.lang = "fr_FR"
        data = self._get(f"{WIDGET_URL}?token={token}").json()
        self.assertEqual(
            data["mailboxes"][0]["percent_display"], "90,0\N{NO-BREAK SPACE}%"
        )
