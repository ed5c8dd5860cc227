# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two members, each with a subscription paid by direct debit, its invoice and
a repayment plan: each sees their own affairs, and is refused the other's,
through the HTTP routes and through RPC."""

import json
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.portal import mask_iban
from .common import HostingCommon

IBAN_A = "FR7630006000011234567890189"
IBAN_B = "FR7630004000031234567890143"


def assert_refused(case, response, url):
    """Another member's record: the addons' detail pages answer 404, the same
    as for a record that does not exist; Odoo's own invoice page sends the
    member back to /my."""
    if url.startswith("/my/invoices/"):
        case.assertTrue(response.url.endswith("/my"), url)
    else:
        case.assertEqual(response.status_code, 404, url)


@tagged("post_install", "-at_install")
class TestMemberPortal(HostingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_b = cls.env["res.partner"].create(
            {"name": "Dominique Petit", "email": "dominique@example.org"}
        )
        cls.user_a = new_test_user(
            cls.env,
            login="member_a",
            password="member_a_pw",
            groups="base.group_portal",
            partner_id=cls.member.id,
        )
        cls.user_b = new_test_user(
            cls.env,
            login="member_b",
            password="member_b_pw",
            groups="base.group_portal",
            partner_id=cls.member_b.id,
        )
        cls.sub_a = cls._create_sub()
        cls.sub_b = cls._create_sub(partner=cls.member_b)
        (cls.sub_a | cls.sub_b).action_activate()
        (cls.sub_a | cls.sub_b)._invoice_periods(date(2026, 1, 1))
        (cls.sub_a | cls.sub_b).invoice_ids.action_post()
        cls.mandate_a = cls._mandate(cls.member, IBAN_A, "GN-A-0001")
        cls.mandate_b = cls._mandate(cls.member_b, IBAN_B, "GN-B-0001")
        cls.plan_a = cls._plan(cls.member, 300.0)
        cls.plan_b = cls._plan(cls.member_b, 900.0)

    @classmethod
    def _mandate(cls, partner, iban, reference):
        bank = cls.env["res.partner.bank"].create(
            {"partner_id": partner.id, "acc_number": iban}
        )
        mandate = cls.env["sepa.mandate"].create(
            {
                "name": reference,
                "partner_id": partner.id,
                "partner_bank_id": bank.id,
                "signature_date": date(2026, 1, 15),
            }
        )
        mandate.action_validate()
        return mandate

    @classmethod
    def _plan(cls, partner, amount):
        invoice = cls.init_invoice(
            "out_invoice",
            partner=partner,
            invoice_date=date(2026, 1, 5),
            amounts=[amount],
            taxes=[],
            post=True,
        )
        line = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        plan = cls.env["debt.plan"].create(
            {
                "direction": "receivable",
                "partner_id": partner.id,
                "settled_line_ids": [Command.set(line.ids)],
                "schedule_mode": "count",
                "instalment_count": 3,
                "first_due_date": date(2026, 2, 10),
            }
        )
        plan.action_confirm()
        return plan

    def _counters(self):
        response = self.url_open(
            "/my/counters",
            data=json.dumps(
                {
                    "params": {
                        "counters": ["debt_plan_count", "hosting_subscription_count"]
                    }
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_rpc_each_member_reads_own_only(self):
        Plan = self.env["debt.plan"].with_user(self.user_a)
        self.assertEqual(Plan.search([]), self.plan_a)
        self.assertEqual(
            self.env["debt.plan.instalment"].with_user(self.user_a).search([]),
            self.plan_a.instalment_ids,
        )
        self.assertEqual(self.plan_a.with_user(self.user_a).amount_residual, 300.0)
        for records in (
            self.plan_b,
            self.plan_b.instalment_ids[:1],
            self.sub_b,
            self.sub_b.invoice_ids,
        ):
            with self.subTest(model=records._name):
                with self.assertRaises(AccessError):
                    records.with_user(self.user_a).read(["display_name"])
        with self.assertRaises(AccessError):
            self.plan_a.with_user(self.user_a).write({"note": "paid"})
        # a member never reads mandates, even their own: the portal shows it
        with self.assertRaises(AccessError):
            self.mandate_a.with_user(self.user_a).read(["iban"])

    def test_rpc_payable_plans_stay_hidden(self):
        """Globenet's own debts to a supplier who is also a member."""
        plan = self.env["debt.plan"].create(
            {
                "direction": "payable",
                "partner_id": self.member.id,
                "amount_total": 100.0,
                "instalment_amount": 50.0,
                "first_due_date": date(2026, 2, 10),
            }
        )
        self.assertNotIn(plan, self.env["debt.plan"].with_user(self.user_a).search([]))

    def test_debt_pages(self):
        self.authenticate("member_a", "member_a_pw")
        response = self.url_open("/my/debts")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.plan_a.name, response.text)
        self.assertNotIn(self.plan_b.name, response.text)
        response = self.url_open(f"/my/debts/{self.plan_a.id}")
        self.assertIn("o_debt_plan_schedule", response.text)
        self.assertEqual(response.text.count("<tr>"), 1 + 3)  # header, instalments
        # guessing the other member's ids
        for url in (
            f"/my/debts/{self.plan_b.id}",
            f"/my/subscriptions/{self.sub_b.id}",
            f"/my/subscriptions/{self.sub_b.id}?access_token=guess",
            f"/my/invoices/{self.sub_b.invoice_ids.id}",
            f"/my/invoices/{self.sub_b.invoice_ids.id}?access_token=guess",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                assert_refused(self, response, url)
                self.assertNotIn(self.plan_b.name, response.text)
                self.assertNotIn(self.sub_b.name, response.text)
        counters = self._counters()
        self.assertEqual(counters["debt_plan_count"], 1)
        self.assertEqual(counters["hosting_subscription_count"], 1)

    def test_member_without_plan_has_no_counter(self):
        other = self.env["res.partner"].create({"name": "Sans Dette"})
        new_test_user(
            self.env,
            login="member_c",
            password="member_c_pw",
            groups="base.group_portal",
            partner_id=other.id,
        )
        self.authenticate("member_c", "member_c_pw")
        self.assertEqual(self._counters()["debt_plan_count"], 0)
        response = self.url_open("/my/debts")
        self.assertIn("You have no repayment plan.", response.text)

    def test_subscription_page_shows_mandate_masked(self):
        self.authenticate("member_a", "member_a_pw")
        response = self.url_open(f"/my/subscriptions/{self.sub_a.id}")
        self.assertIn("GN-A-0001", response.text)
        self.assertIn(mask_iban(IBAN_A), response.text)
        self.assertNotIn(IBAN_A, response.text)
        self.assertNotIn("1234567890", response.text)
        self.assertNotIn("GN-B-0001", response.text)
        self.assertIn(self.sub_a.invoice_ids.name, response.text)

    def test_mask_iban(self):
        self.assertEqual(mask_iban(IBAN_A), "FR76 **** **** **** **** ***0 189")
        self.assertEqual(mask_iban(""), "")
        self.assertEqual(mask_iban("FR76"), "")

    def _require_nolog(self):
        # the download route and the erasure are the no-log addon's; the
        # project's test run installs both addons
        if "nolog.mailbox" not in self.env:
            self.skipTest("globenet_nolog is not installed")

    def test_data_export_has_subscriptions_and_invoices(self):
        self._require_nolog()
        self.authenticate("member_a", "member_a_pw")
        response = self.url_open("/my/privacy/export")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual([s["name"] for s in data["subscriptions"]], [self.sub_a.name])
        self.assertEqual(data["subscriptions"][0]["payment_method"], "sepa_dd")
        names = {invoice["name"] for invoice in data["invoices"]}
        self.assertIn(self.sub_a.invoice_ids.name, names)
        self.assertNotIn(self.sub_b.invoice_ids.name, names)
        self.assertNotIn(self.sub_b.name, response.text)

    def test_erasure_keeps_invoices_and_their_name(self):
        self._require_nolog()
        self.member.write({"phone": "+33 6 00 00 00 00", "street": "2 rue Haute"})
        invoice = self.sub_a.invoice_ids
        name = self.member.name
        self.member.sudo().action_globenet_erase_personal_data()
        self.env.invalidate_all()
        self.assertTrue(invoice.exists())
        self.assertEqual(invoice.partner_id, self.member)
        # invoices name the member: the name and postal address stay by law
        self.assertEqual(self.member.name, name)
        self.assertEqual(self.member.street, "2 rue Haute")
        self.assertFalse(self.member.email)
        self.assertFalse(self.member.phone)
        self.assertFalse(self.user_a.active)

    # ------------------------------------------------------------------
    # Two companies: a member of company A does not see, on A's portal, what
    # the same partner has in company B
    # ------------------------------------------------------------------
    def test_other_company_plan_subscription_invoice_hidden(self):
        company_b = self.setup_other_company(name="Globenet Bis")["company"]
        self.assertEqual(self.user_a.company_ids, self.env.company)
        invoice_b = self.init_invoice(
            "out_invoice",
            partner=self.member,
            invoice_date=date(2026, 1, 5),
            amounts=[700.0],
            taxes=[],
            post=True,
            company=company_b,
        )
        plan_b = (
            self.env["debt.plan"]
            .with_company(company_b)
            .create(
                {
                    "direction": "receivable",
                    "partner_id": self.member.id,
                    "settled_line_ids": [
                        Command.set(
                            invoice_b.line_ids.filtered(
                                lambda line: line.account_type == "asset_receivable"
                            ).ids
                        )
                    ],
                    "schedule_mode": "count",
                    "instalment_count": 2,
                    "first_due_date": date(2026, 2, 10),
                }
            )
        )
        plan_b.action_confirm()
        self.assertEqual(plan_b.company_id, company_b)
        sub_b = self.Subscription.with_company(company_b).create(
            {
                "partner_id": self.member.id,
                "date_start": date(2026, 1, 1),
                "line_ids": [
                    Command.create(
                        {"product_id": self.product_hosting.id, "price_unit": 55.0}
                    )
                ],
            }
        )
        self.assertEqual(sub_b.company_id, company_b)
        # a draft plan of company A is not shown either: only confirmed ones
        draft_a = self.env["debt.plan"].create(
            {
                "direction": "receivable",
                "partner_id": self.member.id,
                "amount_total": 80.0,
                "instalment_amount": 40.0,
                "first_due_date": date(2026, 2, 10),
            }
        )
        # RPC
        Plan = self.env["debt.plan"].with_user(self.user_a)
        self.assertEqual(Plan.search([]), self.plan_a)
        self.assertFalse(
            self.env["debt.plan.instalment"]
            .with_user(self.user_a)
            .search([("plan_id", "in", (plan_b | draft_a).ids)])
        )
        for records in (plan_b, plan_b.instalment_ids[:1], draft_a, sub_b, invoice_b):
            with self.subTest(model=records._name, id=records.id):
                with self.assertRaises(AccessError):
                    records.with_user(self.user_a).read(["display_name"])
        # HTTP
        self.authenticate("member_a", "member_a_pw")
        for url in (
            f"/my/debts/{plan_b.id}",
            f"/my/debts/{draft_a.id}",
            f"/my/subscriptions/{sub_b.id}",
            f"/my/invoices/{invoice_b.id}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                assert_refused(self, response, url)
        # each company numbers its own invoices: look for the links
        for url, hidden in (
            ("/my/debts", f"/my/debts/{plan_b.id}"),
            ("/my/subscriptions", f"/my/subscriptions/{sub_b.id}"),
            ("/my/invoices", f"/my/invoices/{invoice_b.id}"),
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(hidden, response.text)
        counters = self._counters()
        self.assertEqual(counters["debt_plan_count"], 1)
        self.assertEqual(counters["hosting_subscription_count"], 1)

    # ------------------------------------------------------------------
    # A reseller (member B) and its end customer
    # ------------------------------------------------------------------
    def test_reseller_and_end_customer_guessing_ids(self):
        customer = self.env["res.partner"].create(
            {"name": "Journal Voisin", "email": "redaction@voisin.example"}
        )
        new_test_user(
            self.env,
            login="end_customer",
            password="end_customer_pw",
            lang="en_US",
            groups="base.group_portal",
            partner_id=customer.id,
        )
        resold = self._create_sub(
            partner=customer, reseller_id=self.member_b.id, price=987.0
        )
        resold.action_activate()
        resold._invoice_periods(date(2026, 1, 1))
        resold.invoice_ids.action_post()
        invoice = resold.invoice_ids
        self.assertEqual(invoice.partner_id, self.member_b)
        token = invoice._portal_ensure_token()
        # the reseller: the resold subscription, its price, invoices, mandate
        self.authenticate("member_b", "member_b_pw")
        page = self.url_open(f"/my/subscriptions/{resold.id}")
        self.assertTrue(page.url.endswith(f"/my/subscriptions/{resold.id}"))
        self.assertIn("987.00", page.text)
        self.assertIn(f'href="/my/invoices/{invoice.id}', page.text)
        self.assertIn("GN-B-0001", page.text)
        self.assertIn(mask_iban(IBAN_B), page.text)
        self.assertEqual(self.url_open(f"/my/invoices/{invoice.id}").status_code, 200)
        # ...but not member A's subscription, invoice or plan
        for url in (
            f"/my/subscriptions/{self.sub_a.id}",
            f"/my/invoices/{self.sub_a.invoice_ids.id}",
            f"/my/debts/{self.plan_a.id}",
        ):
            with self.subTest(user="reseller", url=url):
                assert_refused(self, self.url_open(url), url)
        # the end customer: the service, never its price, invoices or mandate
        self.authenticate("end_customer", "end_customer_pw")
        page = self.url_open(f"/my/subscriptions/{resold.id}")
        self.assertTrue(page.url.endswith(f"/my/subscriptions/{resold.id}"))
        self.assertIn(resold.name, page.text)
        self.assertIn("Your reseller invoices this service", page.text)
        for hidden in (
            "987.00",
            "987,00",
            invoice.name,
            f"/my/invoices/{invoice.id}",
            token,
            "GN-B-0001",
            mask_iban(IBAN_B),
            "Payment method",
            "Next invoice",
        ):
            with self.subTest(user="end customer", hidden=hidden):
                self.assertNotIn(hidden, page.text)
        # guessing ids: the reseller's invoice, other subscriptions and plans
        for url in (
            f"/my/invoices/{invoice.id}",
            f"/my/invoices/{invoice.id}?access_token=guess",
            f"/my/subscriptions/{self.sub_b.id}",
            f"/my/subscriptions/{self.sub_a.id}?access_token=guess",
            f"/my/debts/{self.plan_b.id}",
        ):
            with self.subTest(user="end customer", url=url):
                response = self.url_open(url)
                assert_refused(self, response, url)
                self.assertNotIn("987.00", response.text)
        response = self.url_open("/my/invoices")
        self.assertNotIn(f"/my/invoices/{invoice.id}", response.text)
        # member A, unrelated, does not see the resold subscription
        self.authenticate("member_a", "member_a_pw")
        url = f"/my/subscriptions/{resold.id}"
        assert_refused(self, self.url_open(url), url)
