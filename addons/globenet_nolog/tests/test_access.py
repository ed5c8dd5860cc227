# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestAccess(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            login="nolog_operator",
            groups="globenet_nolog.group_globenet_nolog_operator",
        )
        cls.manager = new_test_user(
            cls.env,
            login="nolog_manager",
            groups="globenet_nolog.group_globenet_nolog_manager",
        )
        cls.employee = new_test_user(cls.env, login="nolog_employee")
        cls.portal_user = new_test_user(
            cls.env,
            login="nolog_portal",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )

    def test_operator(self):
        Mailbox = self.env["nolog.mailbox"].with_user(self.operator)
        self.assertEqual(len(Mailbox.search([])), 4)
        with self.assertRaises(AccessError):
            self.server.with_user(self.operator).write({"max_mailboxes": 3})
        with self.assertRaises(AccessError):
            self.policy.with_user(self.operator).write({"quota_mb": 1})
        with self.assertRaises(AccessError):
            self.alice.with_user(self.operator).unlink()
        with self.assertRaises(AccessError):
            self.server.with_user(self.operator).action_generate_key()
        with self.assertRaises(AccessError):
            self.carol.with_user(self.operator)._suspend("too big")

    def test_manager_suspends(self):
        self._ingest(f"carol@no-log.test,{200 * MB}\n")
        wizard = (
            self.env["nolog.mailbox.suspend"]
            .with_user(self.manager)
            .create({"mailbox_ids": [(6, 0, self.carol.ids)], "reason": "5 GB"})
        )
        wizard.action_confirm()
        self.assertEqual(self.carol.state, "suspended")
        self.assertEqual(self.carol.suspended_by_id, self.manager)
        self.assertEqual(self.carol.suspension_reason, "5 GB")
        # a report does not lift a suspension
        self._ingest(f"carol@no-log.test,{MB}\n")
        self.assertEqual(self.carol.state, "suspended")
        self.carol.with_user(self.manager).action_unsuspend()
        self.assertEqual(self.carol.state, "active")
        self.policy.allow_suspension = False
        with self.assertRaises(UserError):
            self.carol.with_user(self.manager)._suspend("no")

    def test_manager_key(self):
        action = self.server.with_user(self.manager).action_generate_key()
        key = self.env["nolog.server.key.show"].browse(action["res_id"]).key
        self.assertEqual(
            self.env["nolog.server"]._authenticate_key(key), self.server.id
        )
        self.assertFalse(self.env["nolog.server"]._authenticate_key(self.key))
        self.assertNotIn(key, str(self.server.sudo().key_hash))
        with self.assertRaises(AccessError):
            self.server.with_user(self.manager).read(["key_hash"])

    def test_employee_without_group(self):
        with self.assertRaises(AccessError):
            self.env["nolog.mailbox"].with_user(self.employee).search([])

    def test_portal_sees_own_only(self):
        Mailbox = self.env["nolog.mailbox"].with_user(self.portal_user)
        self.assertEqual(Mailbox.search([]), self.alice)
        self.alice.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.bob.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.bob.with_user(self.portal_user).read(["usage_bytes"])
        with self.assertRaises(AccessError):
            self.alice.with_user(self.portal_user).write({"state": "closed"})

    def test_portal_child_contact(self):
        company = self.env["res.partner"].create(
            {"name": "Association", "is_company": True}
        )
        self.partner.parent_id = company
        colleague = self.env["res.partner"].create(
            {"name": "Colleague", "parent_id": company.id}
        )
        self.bob.partner_id = colleague
        Mailbox = self.env["nolog.mailbox"].with_user(self.portal_user)
        self.assertEqual(Mailbox.search([]), self.alice | self.bob)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other host"})
        policy = self.env["nolog.policy"].create(
            {"name": "Other", "company_id": other_company.id}
        )
        server = self.env["nolog.server"].create(
            {
                "name": "Other",
                "hostname": "other.test.example",
                "company_id": other_company.id,
                "policy_id": policy.id,
            }
        )
        mailbox = self.env["nolog.mailbox"].create(
            {
                "address": "x@other.test",
                "server_id": server.id,
                "policy_id": policy.id,
            }
        )
        self.assertEqual(mailbox.company_id, other_company)
        Mailbox = self.env["nolog.mailbox"].with_user(self.manager)
        self.assertNotIn(mailbox, Mailbox.search([]))
        with self.assertRaises(AccessError):
            mailbox.with_user(self.manager).read(["address"])
        self.manager.company_ids |= other_company
        self.assertIn(
            mailbox,
            Mailbox.with_context(
                allowed_company_ids=[self.env.company.id, other_company.id]
            ).search([]),
        )
        with self.assertRaises(UserError):
            # a mailbox cannot use a policy of another company
            self.env["nolog.mailbox"].create(
                {
                    "address": "y@other.test",
                    "server_id": server.id,
                    "policy_id": self.policy.id,
                }
            )


@tagged("post_install", "-at_install")
class TestPortal(NologCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="nolog_portal",
            password="nolog_portal_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )

    def test_portal_pages(self):
        self._ingest(
            f"alice@no-log.test,{60 * MB},10,INBOX\n"
            f"alice@no-log.test,{30 * MB},2,Trash\n"
            f"bob@no-log.test,{20 * MB}\n"
        )
        self.authenticate("nolog_portal", "nolog_portal_pw")
        response = self.url_open("/my/mailboxes")
        self.assertEqual(response.status_code, 200)
        self.assertIn("alice@no-log.test", response.text)
        self.assertNotIn("bob@no-log.test", response.text)
        response = self.url_open(f"/my/mailboxes/{self.alice.id}")
        self.assertIn("90.0\N{NO-BREAK SPACE}MB", response.text)
        self.assertIn("90.0\N{NO-BREAK SPACE}%", response.text)
        self.assertIn("94,371,840", response.text)
        self.assertIn("30.0\N{NO-BREAK SPACE}MB", response.text)
        # another member's mailbox redirects to /my
        response = self.url_open(f"/my/mailboxes/{self.bob.id}")
        self.assertNotIn("bob@no-log.test", response.text)
        self.assertTrue(response.url.endswith("/my"))
        response = self.url_open("/my/home")
        self.assertIn("/my/mailboxes", response.text)
