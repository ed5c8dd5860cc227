# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user

MB = 1024 * 1024


class NologCommon(TransactionCase):
    @classmethod
    def _nolog_team(cls, operator_login, manager_login):
        """A no-log operator and a no-log manager (test users)."""
        return (
            new_test_user(
                cls.env,
                login=operator_login,
                groups="globenet_nolog.group_globenet_nolog_operator",
            ),
            new_test_user(
                cls.env,
                login=manager_login,
                groups="globenet_nolog.group_globenet_nolog_manager",
            ),
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.policy = cls.env["nolog.policy"].create(
            {
                "name": "Test 100 MB",
                "quota_mb": 100,
                "warning_interval_days": 7,
                "trash_retention_days": 30,
                "allow_suspension": True,
                "level_ids": [
                    Command.create(
                        {
                            "percent": percent,
                            "mail_template_id": cls.env.ref(
                                f"globenet_nolog.mail_template_nolog_warning_{percent}"
                            ).id,
                        }
                    )
                    for percent in (90, 100, 150)
                ],
            }
        )
        cls.level_90, cls.level_100, cls.level_150 = cls.policy.level_ids.sorted(
            "percent"
        )
        cls.server = cls.env["nolog.server"].create(
            {
                "name": "Test Bender",
                "hostname": "bender.test.example",
                "disk_count": 8,
                "disk_size_gb": 250,
                "raid_level": "5",
                "policy_id": cls.policy.id,
            }
        )
        cls.key = cls.server._set_new_key()
        cls.other_server = cls.env["nolog.server"].create(
            {
                "name": "Test Flexo",
                "hostname": "flexo.test.example",
                "disk_count": 2,
                "disk_size_gb": 1000,
                "raid_level": "1",
                "policy_id": cls.policy.id,
            }
        )
        cls.other_key = cls.other_server._set_new_key()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Alice Member", "email": "alice.member@example.org"}
        )
        cls.alice = cls._mailbox("alice@no-log.test", partner=cls.partner)
        cls.bob = cls._mailbox("bob@no-log.test")
        cls.carol = cls._mailbox("carol@no-log.test")
        cls.zoe = cls._mailbox("zoe@no-log.test", server=cls.other_server)

    @classmethod
    def _mailbox(cls, address, server=None, partner=None):
        return cls.env["nolog.mailbox"].create(
            {
                "address": address,
                "server_id": (server or cls.server).id,
                "policy_id": cls.policy.id,
                "partner_id": partner.id if partner else False,
            }
        )

    def _ingest(self, text, server=None, **kwargs):
        return self.env["nolog.ingestion"]._ingest(
            server or self.server, text, **kwargs
        )
