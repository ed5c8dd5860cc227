# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.tests import BaseCase, tagged

from ..tools import usage_parser as up

DOVEADM_TAB = (
    "Username\tQuota name\tType\tValue\tLimit\t%\n"
    "alice@no-log.test\tUser quota\tSTORAGE\t1024\t102400\t1\n"
    "alice@no-log.test\tUser quota\tMESSAGE\t12\t-\t0\n"
)


@tagged("post_install", "-at_install")
class TestUsageParser(BaseCase):
    def test_detect(self):
        self.assertEqual(up.detect_format(DOVEADM_TAB), "doveadm_tab")
        self.assertEqual(up.detect_format('[{"username": "a@b.org"}]'), "doveadm_json")
        self.assertEqual(up.detect_format("123\t/var/vmail/b.org/a\n"), "du")
        self.assertEqual(up.detect_format("a@b.org,123\n"), "csv")

    def test_doveadm_tab_kib(self):
        rows = list(up.parse(DOVEADM_TAB, "doveadm_tab"))
        self.assertEqual(rows[0].size, 1024 * 1024)
        self.assertEqual(rows[0].kind, "S")
        self.assertEqual(rows[1].messages, 12)
        self.assertEqual(rows[1].kind, "M")
        self.assertEqual(rows[0].line, 2)

    def test_du_paths(self):
        text = (
            "2048\t/var/vmail/no-log.test/alice/Maildir\n"
            "1024\t/var/vmail/no-log.test/alice/Maildir/.Trash\n"
            "10\t/srv/mail/bob@no-log.test/.Junk\n"
            "10\t/nowhere\n"
        )
        rows = list(up.parse(text, "du"))
        self.assertEqual(rows[0].address, "alice@no-log.test")
        self.assertEqual((rows[1].folder, rows[1].group), ("Trash", "trash"))
        self.assertEqual((rows[2].address, rows[2].group), ("bob@no-log.test", "spam"))
        self.assertIsInstance(rows[3], up.UsageError)

    def test_folder_groups(self):
        cases = {
            "INBOX": "inbox",
            "Trash": "trash",
            "INBOX.Trash": "trash",
            "Trash/2019": "trash",
            "Junk": "spam",
            "Sent Messages": "sent",
            "Archives": "other",
        }
        for folder, group in cases.items():
            with self.subTest(folder=folder):
                self.assertEqual(up.folder_group(folder), group)

    def test_addresses(self):
        self.assertTrue(up.is_valid_address("a.b+c@no-log.org"))
        for bad in ("nobody", "a@b", "a b@c.org", "@c.org", "a@@c.org"):
            with self.subTest(bad=bad):
                self.assertFalse(up.is_valid_address(bad))
