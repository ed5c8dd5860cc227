# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import json

from odoo.tests import HttpCase, tagged

from .common import MB, NologCommon

USAGE_URL = "/nolog/api/v1/usage"


@tagged("post_install", "-at_install")
class TestApi(NologCommon, HttpCase):
    def _post(self, body, key=None, params="", headers=None):
        all_headers = {"Content-Type": "text/plain"}
        if key is not False:
            all_headers["Authorization"] = f"Bearer {key or self.key}"
        all_headers.update(headers or {})
        return self.url_open(
            f"{USAGE_URL}{params}", data=body, headers=all_headers, timeout=30
        )

    def test_post_usage(self):
        response = self._post(f"alice@no-log.test,{95 * MB},12\n".encode())
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertTrue(data["ok"])
        self.assertEqual(data["updated"], 1)
        self.assertEqual(data["format"], "csv")
        self.env.invalidate_all()
        self.assertEqual(self.alice.usage_bytes, 95 * MB)
        ingestion = self.env["nolog.ingestion"].browse(data["ingestion_id"])
        self.assertEqual(ingestion.source, "api")
        self.assertEqual(ingestion.server_id, self.server)

    def test_wrong_key(self):
        body = f"alice@no-log.test,{MB}\n".encode()
        for key in (False, "nope", "nolog_abcd_wrong", self.key + "x"):
            with self.subTest(key=key):
                response = self._post(body, key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["error"], "unauthorized")
        self.env.invalidate_all()
        self.assertEqual(self.alice.usage_bytes, 0)

    def test_key_of_other_server(self):
        # zoe's server key cannot update alice, who lives on Bender
        response = self._post(f"alice@no-log.test,{MB}\n".encode(), key=self.other_key)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["other_server"], 1)
        self.env.invalidate_all()
        self.assertEqual(self.alice.usage_bytes, 0)

    def test_oversized(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "globenet_nolog.max_report_bytes", "100"
        )
        response = self._post(b"alice@no-log.test,1\n" * 10)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["error"], "too_large")

    def test_rejected_report(self):
        response = self._post(b"alice@no-log.test,1\ngarbage\n")
        self.assertEqual(response.status_code, 422)
        data = response.json()
        self.assertEqual(data["error"], "rejected")
        self.assertEqual(
            data["errors"], ["line 2: expected address, bytes[, messages][, folder]"]
        )
        response = self._post(
            b"alice@no-log.test,1\ngarbage\n", params="?apply_valid_only=1"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["state"], "partial")

    def test_form_body_refused(self):
        response = self._post(
            b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        self.assertEqual(response.status_code, 415)

    def test_bad_format(self):
        response = self._post(b"x", params="?format=xml")
        self.assertEqual(response.status_code, 400)

    def test_feed(self):
        self.bob.state = "suspended"
        response = self.url_open(
            "/nolog/api/v1/feed", headers={"Authorization": f"Bearer {self.key}"}
        )
        self.assertEqual(response.status_code, 200)
        entries = {e["address"]: e for e in response.json()["mailboxes"]}
        self.assertEqual(
            set(entries), {"alice@no-log.test", "bob@no-log.test", "carol@no-log.test"}
        )
        self.assertEqual(entries["alice@no-log.test"]["quota_rule"], "*:storage=100M")
        self.assertEqual(entries["bob@no-log.test"]["state"], "suspended")
        self.assertFalse(entries["bob@no-log.test"]["enabled"])
        response = self.url_open(
            "/nolog/api/v1/feed?format=dovecot",
            headers={"Authorization": f"Bearer {self.key}"},
        )
        self.assertIn(
            "alice@no-log.test\tuserdb_quota_rule=*:storage=100M\tstate=active\n",
            response.text,
        )
        response = self.url_open("/nolog/api/v1/feed")
        self.assertEqual(response.status_code, 401)

    def test_feed_download_for_operator(self):
        self.authenticate("admin", "admin")
        response = self.url_open(f"/nolog/feed/{self.server.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "carol@no-log.test\tuserdb_quota_rule=*:storage=100M", response.text
        )

    def test_purge_roundtrip(self):
        self._ingest(f"alice@no-log.test,{40 * MB},1,Trash\n")
        purge = self.env["nolog.purge.request"].create({"server_id": self.server.id})
        purge.action_compute()
        purge.action_request()
        headers = {"Authorization": f"Bearer {self.key}"}
        response = self.url_open("/nolog/api/v1/purge", headers=headers)
        self.assertEqual(response.status_code, 200)
        requests = response.json()["requests"]
        self.assertEqual(len(requests), 1)
        self.assertEqual(
            requests[0]["mailboxes"][0]["command"],
            "doveadm expunge -u alice@no-log.test mailbox Trash savedbefore 30d",
        )
        # another server's key sees nothing and cannot close it
        other = {"Authorization": f"Bearer {self.other_key}"}
        response = self.url_open("/nolog/api/v1/purge", headers=other)
        self.assertEqual(response.json()["requests"], [])
        url = f"/nolog/api/v1/purge/{purge.id}/done"
        response = self.url_open(url, data=b"{}", headers=other)
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            url, data=json.dumps({"freed_bytes": 1234}).encode(), headers=headers
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(purge.state, "done")
        self.assertEqual(purge.freed_bytes, 1234)
