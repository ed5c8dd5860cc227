# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestAccess(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team("nolog_operator", "nolog_manager")
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
        # another member's mailbox: not found, as a mailbox that does not exist
        response = self.url_open(f"/my/mailboxes/{self.bob.id}")
        self.assertNotIn("bob@no-log.test", response.text)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.url_open("/my/mailboxes/999999").status_code, 404)
        response = self.url_open("/my/home")
        self.assertIn("/my/mailboxes", response.text)


@tagged("post_install", "-at_install")
class TestManagerDecisions(NologCommon):
    """Suspending, lifting a suspension, closing and reopening are a
    manager's decisions: the model refuses them to an operator, whatever the
    view shows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team("nolog_operator", "nolog_manager")
        cls.carol.with_user(cls.manager)._suspend("Spam source")

    def test_operator_cannot_lift_a_suspension(self):
        with self.assertRaises(AccessError):
            self.carol.with_user(self.operator).action_unsuspend()
        self.assertEqual(self.carol.state, "suspended")
        self.assertEqual(self.carol.suspension_reason, "Spam source")
        self.carol.with_user(self.manager).action_unsuspend()
        self.assertEqual(self.carol.state, "active")
        self.assertFalse(self.carol.suspended_by_id)

    def test_operator_cannot_write_the_state(self):
        Mailbox = self.env["nolog.mailbox"].with_user(self.operator)
        for mailbox, vals in (
            (self.bob, {"state": "suspended"}),
            (self.bob, {"state": "closed"}),
            (self.carol, {"state": "active"}),
            (self.carol, {"suspension_reason": False}),
            (self.bob, {"suspended_by_id": self.operator.id}),
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                mailbox.with_user(self.operator).write(vals)
        self.assertEqual(self.bob.state, "active")
        self.assertEqual(self.carol.state, "suspended")
        self.assertEqual(self.carol.suspension_reason, "Spam source")
        with self.assertRaises(AccessError):
            Mailbox.create(
                {
                    "address": "dave@no-log.test",
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                    "state": "suspended",
                }
            )
        # the rest of the mailbox stays the operator's to edit
        self.bob.with_user(self.operator).write({"partner_id": self.partner.id})
        self.assertEqual(self.bob.partner_id, self.partner)
        created = Mailbox.create(
            {
                "address": "erin@no-log.test",
                "server_id": self.server.id,
                "policy_id": self.policy.id,
            }
        )
        self.assertEqual(created.state, "active")

    def test_operator_cannot_close_or_reopen(self):
        bob = self.bob.with_user(self.operator)
        with self.assertRaises(AccessError):
            bob.action_start_closing()
        with self.assertRaises(AccessError):
            bob.action_suspend()
        self.bob.with_user(self.manager).action_start_closing()
        self.assertEqual(self.bob.state, "closing")
        with self.assertRaises(AccessError):
            bob.action_close()
        with self.assertRaises(AccessError):
            bob.action_reopen()
        self.assertEqual(self.bob.state, "closing")
        self.bob.with_user(self.manager).action_close()
        self.assertEqual(self.bob.state, "closed")
        self.bob.with_user(self.manager).action_reopen()
        self.assertEqual(self.bob.state, "active")

    def test_suspend_wizard_is_the_managers(self):
        with self.assertRaises(AccessError):
            self.env["nolog.mailbox.suspend"].with_user(self.operator).create(
                {"mailbox_ids": [(6, 0, self.bob.ids)], "reason": "no"}
            )
        self.assertEqual(self.bob.state, "active")


@tagged("post_install", "-at_install")
class TestMultiCompanyRecords(NologCommon):
    """Usage history, warning levels and purge lines follow the company of
    their mailbox, policy or request; the upload wizard checks the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other host"})
        cls.other_policy = cls.env["nolog.policy"].create(
            {
                "name": "Other 100 MB",
                "quota_mb": 100,
                "trash_retention_days": 30,
                "company_id": cls.other_company.id,
                "level_ids": [
                    Command.create(
                        {
                            "percent": 90,
                            "mail_template_id": cls.env.ref(
                                "globenet_nolog.mail_template_nolog_warning_90"
                            ).id,
                        }
                    )
                ],
            }
        )
        cls.other_host = cls.env["nolog.server"].create(
            {
                "name": "Other",
                "hostname": "other.test.example",
                "company_id": cls.other_company.id,
                "policy_id": cls.other_policy.id,
            }
        )
        cls.yann = cls.env["nolog.mailbox"].create(
            {
                "address": "yann@other.test",
                "server_id": cls.other_host.id,
                "policy_id": cls.other_policy.id,
            }
        )
        cls.operator, cls.manager = cls._nolog_team("nolog_operator", "nolog_manager")

    def test_usage_history(self):
        self._ingest(f"alice@no-log.test,{10 * MB},1,Trash\n")
        self._ingest(f"yann@other.test,{20 * MB},1,Trash\n", server=self.other_host)
        History = self.env["nolog.usage.history"]
        own = History.search([("mailbox_id", "=", self.alice.id)])
        other = History.search([("mailbox_id", "=", self.yann.id)])
        self.assertEqual(own.company_id, self.env.company)
        self.assertEqual(other.company_id, self.other_company)
        self.assertEqual(
            History.search([("company_id", "=", self.other_company.id)]), other
        )
        History = History.with_user(self.manager)
        self.assertEqual(
            History.search([("mailbox_id", "in", (self.alice | self.yann).ids)]), own
        )
        with self.assertRaises(AccessError):
            other.with_user(self.manager).read(["usage_bytes"])
        self.manager.company_ids |= self.other_company
        self.assertEqual(
            History.with_context(
                allowed_company_ids=[self.env.company.id, self.other_company.id]
            ).search([("mailbox_id", "in", (self.alice | self.yann).ids)]),
            own | other,
        )

    def test_policy_levels(self):
        Level = self.env["nolog.policy.level"].with_user(self.manager)
        self.assertEqual(
            Level.search([("policy_id", "in", (self.policy | self.other_policy).ids)]),
            self.policy.level_ids,
        )
        with self.assertRaises(AccessError):
            self.other_policy.level_ids.with_user(self.manager).read(["percent"])

    def test_purge_request_lines(self):
        self._ingest(f"alice@no-log.test,{10 * MB},1,Trash\n")
        self._ingest(f"yann@other.test,{20 * MB},1,Trash\n", server=self.other_host)
        own = self.env["nolog.purge.request"].create({"server_id": self.server.id})
        other = self.env["nolog.purge.request"].create(
            {"server_id": self.other_host.id}
        )
        (own | other).action_compute()
        self.assertEqual(other.line_ids.company_id, self.other_company)
        self.assertEqual(own.line_ids.company_id, self.env.company)
        Line = self.env["nolog.purge.request.line"].with_user(self.operator)
        self.assertEqual(
            Line.search([("request_id", "in", (own | other).ids)]), own.line_ids
        )
        with self.assertRaises(AccessError):
            other.line_ids.with_user(self.operator).read(["address"])

    def test_upload_to_a_server_of_another_company(self):
        wizard = (
            self.env["nolog.ingestion.upload"]
            .with_user(self.operator)
            .create(
                {
                    "server_id": self.other_host.id,
                    "report_file": base64.b64encode(
                        f"yann@other.test,{50 * MB}\n".encode()
                    ),
                    "filename": "usage.csv",
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_import()
        self.assertFalse(
            self.env["nolog.ingestion"].search([("server_id", "=", self.other_host.id)])
        )
        self.assertEqual(self.yann.usage_bytes, 0)
        # the operator's own server is ingested
        wizard = (
            self.env["nolog.ingestion.upload"]
            .with_user(self.operator)
            .create(
                {
                    "server_id": self.server.id,
                    "report_file": base64.b64encode(
                        f"alice@no-log.test,{50 * MB}\n".encode()
                    ),
                    "filename": "usage.csv",
                }
            )
        )
        wizard.action_import()
        self.assertEqual(self.alice.usage_bytes, 50 * MB)


@tagged("post_install", "-at_install")
class TestPortalInternalUser(NologCommon, HttpCase):
    """An operator reads every mailbox in the back office, yet /my/mailboxes
    lists only their own commercial partner's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(
            cls.env,
            login="nolog_operator",
            name="Olivia Operator",
            groups="globenet_nolog.group_globenet_nolog_operator",
        )
        cls.carol.partner_id = cls.operator.partner_id

    def test_internal_user_lists_own_mailboxes(self):
        mailboxes = self.alice | self.bob | self.carol | self.zoe
        self.assertEqual(
            self.env["nolog.mailbox"]
            .with_user(self.operator)
            .search([("id", "in", mailboxes.ids)]),
            mailboxes,
            "the back office shows every mailbox",
        )
        self.authenticate("nolog_operator", "nolog_operator")
        response = self.url_open("/my/mailboxes")
        self.assertEqual(response.status_code, 200)
        self.assertIn("carol@no-log.test", response.text)
        for address in ("alice@no-log.test", "bob@no-log.test", "zoe@no-log.test"):
            self.assertNotIn(address, response.text)
