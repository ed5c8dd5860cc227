from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestHostingAccess(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub = cls._create_sub()
        cls.user = new_test_user(
            cls.env,
            login="hosting_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="hosting_treasurer",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user"
        )

    def test_user_reads_but_cannot_change(self):
        sub = self.sub.with_user(self.user)
        self.assertEqual(sub.partner_id, self.member)
        self.assertEqual(sub.line_ids.price_unit, 12.0)
        with self.assertRaises(AccessError):
            sub.write({"payment_method": "cheque"})
        with self.assertRaises(AccessError):
            sub.action_activate()
        with self.assertRaises(AccessError):
            self.Subscription.with_user(self.user).create(
                {"partner_id": self.member.id}
            )
        with self.assertRaises(AccessError):
            sub.line_ids.write({"price_unit": 1.0})

    def test_employee_without_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.Subscription.with_user(self.employee).search([])

    def test_manager_runs_the_whole_flow(self):
        sub = self.sub.with_user(self.manager)
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        self.assertEqual(len(sub.invoice_ids), 1)
        sub.action_suspend()
        sub.action_resume()
        sub._close(date(2026, 1, 31), "Test")
        self.assertEqual(sub.state, "closed")

    def test_user_cannot_invoice_now(self):
        self.sub.action_activate()
        with self.assertRaises(AccessError):
            self.sub.with_user(self.user).action_invoice_now()
        self.assertFalse(self.sub.invoice_ids)
