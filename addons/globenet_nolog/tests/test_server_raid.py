# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import NologCommon


@tagged("post_install", "-at_install")
class TestServerRaid(NologCommon):
    def _server(self, count, size, level):
        return self.env["nolog.server"].create(
            {
                "name": f"raid {level}",
                "hostname": f"raid{level}-{count}.test.example",
                "disk_count": count,
                "disk_size_gb": size,
                "raid_level": level,
            }
        )

    def test_raid5_bender(self):
        server = self._server(8, 250, "5")
        self.assertEqual(server.capacity_gb, 1750)
        self.assertEqual(server.capacity_bytes, 1_750_000_000_000)
        self.assertEqual(server.capacity_display, "1,750\N{NO-BREAK SPACE}GB")

    def test_all_levels(self):
        cases = [
            (4, 1000, "0", 4000),
            (2, 1000, "1", 1000),
            (3, 1000, "1", 1000),
            (3, 4000, "5", 8000),
            (6, 2000, "6", 8000),
            (4, 500, "10", 1000),
            (8, 250, "10", 1000),
            (1, 500, "0", 500),
        ]
        for count, size, level, expected in cases:
            with self.subTest(level=level, count=count):
                server = self._server(count, size, level)
                self.assertEqual(server.capacity_gb, expected)
                self.assertEqual(server.capacity_bytes, expected * 10**9)

    def test_capacity_follows_disks(self):
        server = self._server(8, 250, "5")
        server.raid_level = "6"
        self.assertEqual(server.capacity_gb, 1500)
        server.disk_count = 10
        self.assertEqual(server.capacity_gb, 2000)

    def test_impossible_layouts(self):
        for count, level in ((1, "1"), (2, "5"), (3, "6"), (3, "10"), (5, "10")):
            with (
                self.subTest(level=level, count=count),
                self.assertRaises(ValidationError),
            ):
                self._server(count, 1000, level)

    def test_used_and_free_after_report(self):
        self._ingest("alice@no-log.test,1000000\nbob@no-log.test,2000000\n")
        self.assertEqual(self.server.used_bytes, 3_000_000)
        self.assertEqual(self.server.free_bytes, 1_750_000_000_000 - 3_000_000)
        self.assertTrue(self.server.report_date)
        self.assertEqual(self.server.mailbox_count, 3)
