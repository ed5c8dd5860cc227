from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, formatLang

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
        self.assertEqual(response.status_code, 404, "another member's page: not found")
        self.assertNotIn(self.other.name, response.text)


@tagged("post_install", "-at_install")
class TestHostingResellerPortal(HostingCommon, HttpCase):
    """The end customer of a reseller sees the service, never what the
    reseller pays nor the reseller's invoices; no page writes a token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reseller = cls.env["res.partner"].create(
            {"name": "Presse Libre", "email": "compta@presse-libre.example"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Journal Local", "email": "redaction@journal.example"}
        )
        cls.reseller_user = new_test_user(
            cls.env,
            login="reseller_portal",
            name="Presse Libre",
            lang="en_US",
            groups="base.group_portal",
            partner_id=cls.reseller.id,
        )
        cls.customer_user = new_test_user(
            cls.env,
            login="customer_portal",
            name="Journal Local",
            lang="en_US",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )
        cls.resold = cls._create_sub(
            partner=cls.customer, reseller_id=cls.reseller.id, price=4321.0
        )
        cls.resold.action_activate()
        cls.resold._invoice_periods(date(2026, 2, 1))
        cls.invoices = cls.resold.invoice_ids
        cls.invoices.action_post()
        # the page is in the reader's language: look for the amounts in both
        cls.amount_texts = {
            formatLang(cls.env(context={"lang": lang}), amount)
            for lang in ("en_US", "fr_FR")
            for amount in (4321.0, *cls.invoices.mapped("amount_total"))
        }

    def _tokens(self):
        """The access tokens stored in the database, read with SQL."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT access_token FROM hosting_subscription WHERE id = %s",
                self.resold.id,
            )
        )
        subscription_token = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL(
                "SELECT id, access_token FROM account_move WHERE id IN %s ORDER BY id",
                tuple(self.invoices.ids),
            )
        )
        return subscription_token, self.env.cr.fetchall()

    def _assert_no_amount(self, text):
        for amount in self.amount_texts:
            self.assertNotIn(amount, text)

    def test_rules_only_the_payer_reads_prices(self):
        self.assertGreaterEqual(len(self.invoices), 2)
        self.assertEqual(
            self.Subscription.with_user(self.reseller_user).search([]), self.resold
        )
        self.assertEqual(
            self.resold.with_user(self.reseller_user).line_ids.price_unit, 4321.0
        )
        self.assertFalse(self.Subscription.with_user(self.customer_user).search([]))
        with self.assertRaises(AccessError):
            self.resold.with_user(self.customer_user).read(["amount_untaxed"])
        with self.assertRaises(AccessError):
            self.resold.line_ids.with_user(self.customer_user).read(["price_unit"])

    def test_end_customer_sees_the_service_only(self):
        for invoice in self.invoices:
            invoice._portal_ensure_token()
        self.authenticate("customer_portal", "customer_portal")
        response = self.url_open("/my/subscriptions")
        self.assertEqual(response.status_code, 200)
        self._assert_no_amount(response.text)
        self.assertIn(self.resold.name, response.text)
        self.assertIn("Presse Libre", response.text)
        response = self.url_open(f"/my/subscriptions/{self.resold.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"/my/subscriptions/{self.resold.id}"))
        self._assert_no_amount(response.text)
        self.assertNotIn("access_token", response.text)
        for invoice in self.invoices:
            self.assertNotIn(invoice.name, response.text)
            self.assertNotIn(invoice.access_token, response.text)
            self.assertNotIn(f"/my/invoices/{invoice.id}", response.text)
        self.assertIn(self.resold.name, response.text)
        self.assertIn("Hosting", response.text)
        response = self.url_open("/my/home")
        self.assertIn("/my/subscriptions", response.text)

    def test_reseller_sees_the_billing(self):
        self.authenticate("reseller_portal", "reseller_portal")
        response = self.url_open("/my/subscriptions")
        self.assertIn(self.resold.name, response.text)
        self.assertTrue(any(a in response.text for a in self.amount_texts))
        response = self.url_open(f"/my/subscriptions/{self.resold.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(any(a in response.text for a in self.amount_texts))
        for invoice in self.invoices:
            self.assertIn(invoice.name, response.text)
            self.assertIn(f'href="/my/invoices/{invoice.id}"', response.text)
            # once, in the table: not in the breadcrumbs as well
            self.assertEqual(response.text.count(invoice.name), 1)

    def test_get_writes_no_access_token(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = NULL WHERE id IN %s",
                tuple(self.invoices.ids),
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE hosting_subscription SET access_token = NULL WHERE id = %s",
                self.resold.id,
            )
        )
        self.env.invalidate_all()
        before = self._tokens()
        self.assertIsNone(before[0])
        self.assertEqual({token for _id, token in before[1]}, {None})
        for login in ("customer_portal", "reseller_portal"):
            self.authenticate(login, login)
            for url in (
                "/my",
                "/my/subscriptions",
                f"/my/subscriptions/{self.resold.id}",
            ):
                self.assertEqual(self.url_open(url).status_code, 200)
            self.env.invalidate_all()
            self.assertEqual(self._tokens(), before, f"{login}'s pages wrote no token")

    def test_token_link_of_a_resold_subscription_shows_no_billing(self):
        token = self.resold._portal_ensure_token()
        self.authenticate(None, None)
        response = self.url_open(
            f"/my/subscriptions/{self.resold.id}?access_token={token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.resold.name, response.text)
        self._assert_no_amount(response.text)
        for invoice in self.invoices:
            self.assertNotIn(invoice.name, response.text)


@tagged("post_install", "-at_install")
class TestHostingPortalInternalUser(HostingCommon, HttpCase):
    """An internal user reads every subscription in the back office, yet
    /my/subscriptions lists only their own commercial partner's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.partner"].create(
            {"name": "Association Relais", "is_company": True}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Dominique Relais", "parent_id": company.id}
        )
        cls.staff = new_test_user(
            cls.env,
            login="hosting_staff",
            name="Dominique Relais",
            lang="en_US",
            groups="globenet_hosting.group_globenet_hosting_manager",
            partner_id=contact.id,
        )
        cls.own = cls._create_sub(partner=company)
        cls.others = cls._create_sub() | cls._create_sub(
            partner=cls.env["res.partner"].create({"name": "Someone Else"})
        )
        (cls.own | cls.others).action_activate()

    def test_internal_user_lists_own_subscriptions(self):
        self.assertEqual(
            self.Subscription.with_user(self.staff).search_count(
                [("id", "in", (self.own | self.others).ids)]
            ),
            3,
            "the back office shows every subscription",
        )
        self.authenticate("hosting_staff", "hosting_staff")
        response = self.url_open("/my/subscriptions")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        for other in self.others:
            self.assertNotIn(other.name, response.text)
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
