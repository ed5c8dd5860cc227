# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import base64
import json

from odoo.tests import tagged

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestIngestion(NologCommon):
    def _state(self):
        mailboxes = self.alice | self.bob | self.carol
        return [
            (
                m.address,
                m.usage_bytes,
                m.message_count,
                m.inbox_bytes,
                m.trash_bytes,
                m.spam_bytes,
                m.quota_percent,
                m.state,
            )
            for m in mailboxes
        ]

    def test_doveadm_tab(self):
        text = (
            "Username\tQuota name\tType\tValue\tLimit\t%\n"
            "alice@no-log.test\tUser quota\tSTORAGE\t97280\t102400\t95\n"
            "alice@no-log.test\tUser quota\tMESSAGE\t321\t-\t0\n"
            "Bob@No-Log.test\tUser quota\tSTORAGE\t10240\t102400\t10\n"
        )
        ingestion = self._ingest(text)
        self.assertEqual(ingestion.state, "done")
        self.assertEqual(ingestion.file_format, "doveadm_tab")
        self.assertEqual(ingestion.updated_count, 2)
        self.assertEqual(self.alice.usage_bytes, 97280 * 1024)
        self.assertEqual(self.alice.message_count, 321)
        self.assertEqual(self.alice.quota_percent, 95.0)
        self.assertEqual(self.alice.warning_level_id, self.level_90)
        # a level reached is not a warning sent: warned once the warning goes out
        self.assertEqual(self.alice.state, "active")
        self.assertEqual(self.bob.usage_bytes, 10 * MB)
        self.assertEqual(self.bob.state, "active")
        self.assertEqual(self.alice.usage_mb, 95.0)
        self.assertEqual(self.alice.usage_display, "95.0\N{NO-BREAK SPACE}MB")

    def test_doveadm_json(self):
        data = [
            {
                "username": "carol@no-log.test",
                "root": "User quota",
                "type": "STORAGE",
                "value": "204800",
                "limit": "102400",
                "percent": "200",
            },
            {
                "username": "carol@no-log.test",
                "root": "User quota",
                "type": "MESSAGE",
                "value": "5000",
                "limit": "-",
                "percent": "0",
            },
        ]
        ingestion = self._ingest(json.dumps(data))
        self.assertEqual(ingestion.file_format, "doveadm_json")
        self.assertEqual(ingestion.state, "done")
        self.assertEqual(self.carol.usage_bytes, 200 * MB)
        self.assertEqual(self.carol.message_count, 5000)
        self.assertEqual(self.carol.state, "over_quota")
        self.assertEqual(self.carol.warning_level_id, self.level_150)

    def test_du_with_folders(self):
        text = (
            f"{60 * MB}\t/var/vmail/no-log.test/alice/Maildir\n"
            f"{20 * MB}\t/var/vmail/no-log.test/alice/Maildir/.Trash\n"
            f"{5 * MB}\t/var/vmail/no-log.test/alice/Maildir/.Junk\n"
            f"{5 * MB}\t/var/vmail/no-log.test/alice/Maildir/.Sent\n"
        )
        ingestion = self._ingest(text)
        self.assertEqual(ingestion.file_format, "du")
        self.assertEqual(self.alice.usage_bytes, 60 * MB)
        self.assertEqual(self.alice.trash_bytes, 20 * MB)
        self.assertEqual(self.alice.spam_bytes, 5 * MB)
        self.assertEqual(self.alice.sent_bytes, 5 * MB)
        # the maildir root minus its folders is INBOX
        self.assertEqual(self.alice.inbox_bytes, 30 * MB)
        self.assertEqual(self.alice.trash_share, 41.7)

    def test_csv_with_header_and_folders(self):
        text = (
            "address,bytes,messages,folder\n"
            f"alice@no-log.test,{10 * MB},100,INBOX\n"
            f"alice@no-log.test,{30 * MB},50,Trash\n"
            f"alice@no-log.test,{2 * MB},,Archives\n"
            f"bob@no-log.test,{50 * MB},12\n"
        )
        ingestion = self._ingest(text, file_format="csv")
        self.assertEqual(ingestion.state, "done")
        self.assertEqual(self.alice.usage_bytes, 42 * MB)
        self.assertEqual(self.alice.message_count, 150)
        self.assertEqual(self.alice.other_bytes, 2 * MB)
        self.assertEqual(self.bob.message_count, 12)

    def test_report_without_folders_keeps_folders(self):
        self._ingest(f"alice@no-log.test,{30 * MB},10,Trash\n")
        self._ingest(f"alice@no-log.test,{50 * MB}\n")
        self.assertEqual(self.alice.usage_bytes, 50 * MB)
        self.assertEqual(self.alice.trash_bytes, 30 * MB)
        self.assertEqual(self.alice.message_count, 10)

    def test_malformed_rejects_everything(self):
        text = (
            f"alice@no-log.test,{10 * MB}\n"
            "not-an-address,123\n"
            "bob@no-log.test,-5\n"
            "carol@no-log.test\n"
        )
        ingestion = self._ingest(text, file_format="csv")
        self.assertEqual(ingestion.state, "rejected")
        self.assertEqual(ingestion.error_count, 3)
        self.assertIn("line 2: invalid address", ingestion.errors)
        self.assertIn("line 3: bytes is not a non-negative integer", ingestion.errors)
        self.assertIn("line 4: expected address", ingestion.errors)
        self.assertEqual(self.alice.usage_bytes, 0)
        self.assertFalse(self.env["nolog.usage.history"].search([]))

    def test_apply_valid_only(self):
        text = f"alice@no-log.test,{10 * MB}\nbroken line\n"
        ingestion = self._ingest(text, file_format="csv", apply_valid_only=True)
        self.assertEqual(ingestion.state, "partial")
        self.assertEqual(ingestion.error_count, 1)
        self.assertEqual(self.alice.usage_bytes, 10 * MB)

    def test_empty_file(self):
        for text in ("", "   \n\n", b""):
            with self.subTest(text=text):
                ingestion = self._ingest(text)
                self.assertEqual(ingestion.state, "rejected")
                self.assertIn("empty", ingestion.errors)
        ingestion = self._ingest("address,bytes\n", file_format="csv")
        self.assertEqual(ingestion.state, "rejected")

    def test_bad_json(self):
        ingestion = self._ingest("[{", file_format="doveadm_json")
        self.assertEqual(ingestion.state, "rejected")
        self.assertIn("invalid JSON", ingestion.errors)

    def test_duplicate_lines(self):
        text = (
            f"alice@no-log.test,{10 * MB}\n"
            f"bob@no-log.test,{20 * MB}\n"
            f"ALICE@no-log.test,{99 * MB}\n"
        )
        ingestion = self._ingest(text)
        self.assertEqual(ingestion.state, "rejected")
        self.assertIn("line 3: duplicate of line 1", ingestion.errors)
        ingestion = self._ingest(text, apply_valid_only=True)
        self.assertEqual(ingestion.state, "partial")
        self.assertEqual(self.alice.usage_bytes, 10 * MB)

    def test_idempotent(self):
        text = (
            f"alice@no-log.test,{95 * MB},10,INBOX\n"
            f"alice@no-log.test,{10 * MB},3,Trash\n"
            f"bob@no-log.test,{150 * MB},7\n"
        )
        self._ingest(text)
        first = self._state()
        history = self.env["nolog.usage.history"].search_read([], ["usage_bytes"])
        self._ingest(text)
        self.assertEqual(self._state(), first)
        self.assertEqual(
            self.env["nolog.usage.history"].search_read([], ["usage_bytes"]), history
        )
        self.assertEqual(len(history), 2)

    def test_unknown_addresses(self):
        text = f"alice@no-log.test,{MB}\nnew@no-log.test,{2 * MB}\nzoe@no-log.test,5\n"
        ingestion = self._ingest(text)
        self.assertEqual(ingestion.state, "done")
        self.assertEqual(ingestion.unknown_count, 1)
        self.assertEqual(ingestion.foreign_count, 1)
        self.assertEqual(ingestion.unknown_addresses, "new@no-log.test")
        Mailbox = self.env["nolog.mailbox"]
        self.assertFalse(Mailbox.search([("address", "=", "new@no-log.test")]))
        self.assertEqual(self.zoe.usage_bytes, 0)
        ingestion = self._ingest(text, create_unknown=True)
        self.assertEqual(ingestion.created_count, 1)
        new = Mailbox.search([("address", "=", "new@no-log.test")])
        self.assertEqual(new.server_id, self.server)
        self.assertEqual(new.policy_id, self.policy)
        self.assertEqual(new.usage_bytes, 2 * MB)
        self.assertEqual(new.company_id, self.server.company_id)

    def test_create_unknown_needs_policy(self):
        self.server.policy_id = False
        ingestion = self._ingest("new@no-log.test,5\n", create_unknown=True)
        self.assertEqual(ingestion.created_count, 0)
        self.assertIn("no default policy", ingestion.errors)

    def test_errors_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["globenet_nolog"], ["fr_FR"])
        ingestion = (
            self.env["nolog.ingestion"]
            .with_context(lang="fr_FR")
            ._ingest(self.server, "x@y,1\nalice@no-log.test,-1\n")
        )
        self.assertIn("ligne 1 : adresse invalide : 'x@y'", ingestion.errors)
        self.assertIn("ligne 2 : bytes n'est pas un entier positif", ingestion.errors)

    def test_manual_states_kept(self):
        self.carol.write({"state": "closing"})
        self._ingest(f"carol@no-log.test,{500 * MB}\n")
        self.assertEqual(self.carol.state, "closing")
        self.assertEqual(self.carol.quota_percent, 500.0)

    def test_history_one_row_per_day(self):
        self._ingest(f"alice@no-log.test,{MB}\n")
        self._ingest(f"alice@no-log.test,{2 * MB}\n")
        rows = self.env["nolog.usage.history"].search(
            [("mailbox_id", "=", self.alice.id)]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.usage_bytes, 2 * MB)

    def test_history_purge(self):
        self._ingest(f"alice@no-log.test,{MB}\n")
        History = self.env["nolog.usage.history"]
        History.search([]).write({"date": "2000-01-01"})
        History._cron_purge_old()
        self.assertFalse(History.search([]))

    def test_upload_wizard(self):
        wizard = self.env["nolog.ingestion.upload"].create(
            {
                "server_id": self.server.id,
                "report_file": base64.b64encode(f"bob@no-log.test,{MB}\n".encode()),
                "filename": "usage.csv",
            }
        )
        action = wizard.action_import()
        ingestion = self.env["nolog.ingestion"].browse(action["res_id"])
        self.assertEqual(ingestion.source, "upload")
        self.assertEqual(ingestion.filename, "usage.csv")
        self.assertEqual(self.bob.usage_bytes, MB)

    def test_query_count_flat(self):
        """The number of queries does not grow with the number of rows."""
        Mailbox = self.env["nolog.mailbox"]
        Mailbox.create(
            [
                {
                    "address": f"user{i}@bulk.test",
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                }
                for i in range(100)
            ]
        )
        small = "".join(f"user{i}@bulk.test,{i * 1000},{i}\n" for i in range(10))
        large = "".join(f"user{i}@bulk.test,{i * 2000},{i}\n" for i in range(100))
        self._ingest(small)  # warm the caches
        self.env.invalidate_all()
        # 16: the last one rolls the day up into the server's daily usage
        with self.assertQueryCount(__system__=16):
            self._ingest(small)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=16):
            self._ingest(large)
