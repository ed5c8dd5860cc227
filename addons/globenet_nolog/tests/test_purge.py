# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestPurge(NologCommon):
    def test_estimate_and_commands(self):
        self._ingest(
            f"alice@no-log.test,{40 * MB},1,Trash\n"
            f"alice@no-log.test,{10 * MB},1,INBOX\n"
            f"bob@no-log.test,{5 * MB},1,Trash\n"
            f"carol@no-log.test,{50 * MB},1,INBOX\n"
            f"zoe@no-log.test,{70 * MB},1,Trash\n"
        )
        self._ingest(f"zoe@no-log.test,{70 * MB},1,Trash\n", server=self.other_server)
        purge = self.env["nolog.purge.request"].create({"server_id": self.server.id})
        self.assertTrue(purge.name.startswith("PURGE/"))
        purge.action_compute()
        self.assertEqual(purge.line_count, 2)
        self.assertEqual(purge.estimated_bytes, 45 * MB)
        self.assertEqual(purge.trash_total_display, "45.0\N{NO-BREAK SPACE}MB")
        self.assertEqual(purge.estimated_display, "up to 45.0\N{NO-BREAK SPACE}MB")
        self.assertEqual(
            purge._commands(),
            "doveadm expunge -u alice@no-log.test mailbox Trash savedbefore 30d\n"
            "doveadm expunge -u bob@no-log.test mailbox Trash savedbefore 30d\n",
        )
        self.assertIn("bob@no-log.test", purge.commands_preview)
        # the estimate is frozen at request time; a recompute follows new reports
        purge.action_request()
        self.assertEqual(purge.state, "requested")
        with self.assertRaises(UserError):
            purge.action_compute()
        purge.action_mark_done(freed_bytes=10)
        self.assertEqual(purge.state, "done")

    def test_retention_zero_and_closed(self):
        self._ingest(f"alice@no-log.test,{40 * MB},1,Trash\n")
        self.alice.state = "closed"
        purge = self.env["nolog.purge.request"].create({"server_id": self.server.id})
        purge.action_compute()
        self.assertEqual(purge.line_count, 0)
        with self.assertRaises(UserError):
            purge.action_request()
        self.alice.state = "active"
        self.policy.trash_retention_days = 0
        purge.action_compute()
        self.assertEqual(purge.line_count, 0)

    def test_odd_address_is_quoted(self):
        command = self.env["nolog.purge.request"]._shell_command("o'neil@x.test", 7)
        self.assertEqual(
            command,
            "doveadm expunge -u 'o'\"'\"'neil@x.test' mailbox Trash savedbefore 7d",
        )
