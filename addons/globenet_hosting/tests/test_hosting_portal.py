from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestHostingPortal(HostingCommon, HttpCase):
    """Members see their own subscriptions on the portal, and no one else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="member_portal",
            password="member_portal_pw",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )
        other = cls.env["res.partner"].create({"name": "Someone Else"})
        cls.own = cls._create_sub()
        cls.other = cls._create_sub(partner=other)
        (cls.own | cls.other).action_activate()

    def test_portal_rules(self):
        Subscription = self.Subscription.with_user(self.portal_user)
        self.assertEqual(Subscription.search([]), self.own)
        self.assertEqual(self.own.with_user(self.portal_user).line_ids.price_unit, 12.0)
        with self.assertRaises(AccessError):
            self.other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).write({"payment_method": "cheque"})
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).read(["invoicing_error"])

    def test_reseller_sees_what_it_pays_for(self):
        reseller = self.env["res.partner"].create({"name": "Presse Libre"})
        user = new_test_user(
            self.env,
            login="reseller_portal",
            groups="base.group_portal",
            partner_id=reseller.id,
        )
        sub = self._create_sub(
            partner=self.env["res.partner"].create({"name": "Journal"}),
            reseller_id=reseller.id,
        )
        self.assertEqual(self.Subscription.with_user(user).search([]), sub)

    def test_portal_pages(self):
        self.own._invoice_periods(date(2026, 1, 1))
        self.own.invoice_ids.action_post()
        self.authenticate("member_portal", "member_portal_pw")
        response = self.url_open("/my/subscriptions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        self.assertNotIn(self.other.name, response.text)
        response = self.url_open(f"/my/subscriptions/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.invoice_ids.name, response.text)
        response = self.url_open(f"/my/subscriptions/{self.other.id}")
        self.assertTrue(response.url.endswith("/my"), "another member's page redirects")
        self.assertNotIn(self.other.name, response.text)
