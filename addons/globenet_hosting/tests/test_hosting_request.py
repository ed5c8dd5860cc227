# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HostingCommon


class HostingRequestCommon(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_vps = cls._create_product(
            name="Virtual server",
            type="service",
            lst_price=100.0,
            hosting_service_type="virtual_server",
        )
        cls.tag = cls.env.ref("globenet_hosting.crm_tag_hosting")

    def _web_leads(self):
        self.env.invalidate_all()
        return self.env["crm.lead"].search([("hosting_web_request", "=", True)])


@tagged("post_install", "-at_install")
class TestHostingRequestForm(HostingRequestCommon, HttpCase):
    """The public form: a valid request, then each abuse case, none stored."""

    def _post(self, with_token=True, **fields):
        page = self.url_open("/hosting/request")
        self.assertEqual(page.status_code, 200)
        data = {
            "contact_name": "Lou Bernard",
            "partner_name": "Radio Pavé",
            "email_from": "lou@radiopave.example",
            "description": "Our site and a server for streaming.",
            f"qty_{self.product_hosting.id}": "1",
            f"qty_{self.product_vps.id}": "2",
            **fields,
        }
        if with_token:
            data["csrf_token"] = re.search(
                r'name="csrf_token" value="([^"]+)"', page.text
            ).group(1)
        return self.url_open("/hosting/request", data=data)

    def test_valid_request_becomes_hosting_opportunity(self):
        page = self.url_open("/hosting/request")
        self.assertIn("Virtual server", page.text)
        self.assertIn('<textarea id="description"', page.text)
        response = self._post()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        lead = self._web_leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.tag_ids, self.tag)
        self.assertEqual(lead.contact_name, "Lou Bernard")
        self.assertEqual(lead.partner_name, "Radio Pavé")
        self.assertEqual(lead.email_from, "lou@radiopave.example")
        self.assertIn("streaming", lead.description)
        self.assertFalse(lead.user_id, "left for a volunteer, not the public user")
        self.assertFalse(lead.partner_id)
        self.assertEqual(
            sorted((ln.product_id.id, ln.quantity) for ln in lead.hosting_line_ids),
            sorted([(self.product_hosting.id, 1.0), (self.product_vps.id, 2.0)]),
        )
        # 12 + 2 × 100 a month.
        self.assertEqual(lead.hosting_monthly_amount, 212.0)
        self.assertEqual(lead.expected_revenue, 212.0)

    def test_no_csrf_token_refused(self):
        with mute_logger("odoo.http"):
            response = self._post(with_token=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._web_leads())

    def test_honeypot_stores_nothing(self):
        response = self._post(website_url="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text, "the robot is not told")
        self.assertFalse(self._web_leads())

    def test_invalid_input_keeps_what_was_typed(self):
        response = self._post(email_from="not-an-email", description="Kept text")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Please give a valid email address.", response.text)
        self.assertIn("Kept text", response.text)
        self.assertIn('value="Radio Pavé"', response.text)
        self.assertFalse(self._web_leads())

    def test_no_service_or_bad_quantity(self):
        response = self._post(
            **{f"qty_{self.product_hosting.id}": "0", f"qty_{self.product_vps.id}": ""}
        )
        self.assertIn("Please choose at least one service.", response.text)
        response = self._post(**{f"qty_{self.product_vps.id}": "5000"})
        self.assertIn("A quantity is a whole number from 0 to 100.", response.text)
        response = self._post(**{f"qty_{self.product_vps.id}": "-1"})
        self.assertIn("A quantity is a whole number from 0 to 100.", response.text)
        self.assertFalse(self._web_leads())

    def test_message_too_long(self):
        response = self._post(description="x" * 5001)
        self.assertIn("The message has at most", response.text)
        self.assertFalse(self._web_leads())

    def test_rate_limit_per_email(self):
        self.env["ir.config_parameter"].set_param(
            "globenet_hosting.request_limit_email_day", 2
        )
        self._post()
        self._post()
        response = self._post()
        self.assertIn("Too many requests were sent lately.", response.text)
        self.assertEqual(len(self._web_leads()), 2)
        # Another address is still welcome.
        self._post(email_from="other@example.org")
        self.assertEqual(len(self._web_leads()), 3)

    def test_rate_limit_overall(self):
        self.env["ir.config_parameter"].set_param(
            "globenet_hosting.request_limit_hour", 2
        )
        self._post(email_from="a@example.org")
        self._post(email_from="b@example.org")
        response = self._post(email_from="c@example.org")
        self.assertIn("Too many requests were sent lately.", response.text)
        self.assertEqual(len(self._web_leads()), 2)
        self.assertNotIn(
            "ip", self.env["crm.lead"]._fields, "no IP address is stored anywhere"
        )


@tagged("post_install", "-at_install")
class TestHostingRequestConversion(HostingRequestCommon):
    """A won request becomes a prefilled subscription linked both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="hosting_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.treasurer = new_test_user(
            cls.env,
            login="hosting_crm_treasurer",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,"
            "globenet_hosting.group_globenet_hosting_manager",
        )
        cls.reseller = cls.env["res.partner"].create(
            {"name": "Internews", "is_company": True}
        )

    def _lead(self, **vals):
        return (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create(
                {
                    "name": "Internews: virtual servers",
                    "type": "opportunity",
                    "tag_ids": [Command.link(self.tag.id)],
                    "hosting_line_ids": [
                        Command.create(
                            {"product_id": self.product_vps.id, "quantity": 2}
                        )
                    ],
                    **vals,
                }
            )
        )

    def _convert(self, lead):
        lead = lead.with_user(self.treasurer)
        action = lead.action_create_hosting_subscription()
        form = Form(
            self.env["hosting.subscription"]
            .with_user(self.treasurer)
            .with_context(**action["context"])
        )
        return form.save()

    def test_monthly_amount_is_expected_revenue(self):
        lead = self._lead(hosting_recurring_rule_type="quarterly")
        lead.hosting_line_ids.price_unit = 270.0
        # 2 × 270 a quarter is 180 a month.
        self.assertEqual(lead.hosting_monthly_amount, 180.0)
        self.assertEqual(lead.expected_revenue, 180.0)
        plain = self.env["crm.lead"].create(
            {"name": "Not hosting", "type": "opportunity", "expected_revenue": 999.0}
        )
        self.assertEqual(plain.expected_revenue, 999.0, "typed revenue kept")
        groups = self.env["crm.lead"]._read_group(
            [("id", "in", (lead | plain).ids)],
            aggregates=["hosting_monthly_amount:sum"],
        )
        self.assertEqual(groups[0][0], 180.0)

    def test_conversion_creates_new_customer(self):
        lead = self._lead(
            contact_name="Ana Diaz",
            partner_name="Collectif Vidéo Citoyenne",
            email_from="ana@video.example",
            hosting_payment_method="cheque",
        )
        lead.action_set_won()
        partners_before = self.env["res.partner"].search_count([])
        sub = self._convert(lead)
        self.assertEqual(sub.partner_id.name, "Collectif Vidéo Citoyenne")
        self.assertTrue(sub.partner_id.is_company)
        self.assertEqual(lead.partner_id.parent_id, sub.partner_id)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 2)
        self.assertFalse(sub.reseller_id)
        self.assertEqual(sub.payment_method, "cheque")
        self.assertEqual(sub.recurring_rule_type, "monthly")
        self.assertEqual(sub.line_ids.product_id, self.product_vps)
        self.assertEqual(sub.line_ids.quantity, 2.0)
        self.assertEqual(sub.line_ids.price_unit, 100.0)
        self.assertEqual(sub.state, "draft")
        self.assertEqual(sub.opportunity_id, lead)
        lead = lead.with_user(self.treasurer)
        self.assertEqual(lead.hosting_subscription_ids, sub)
        self.assertEqual(lead.hosting_subscription_count, 1)
        action = lead.action_view_hosting_subscriptions()
        self.assertEqual(action["res_id"], sub.id)

    def test_conversion_existing_partner_with_reseller(self):
        newspaper = self.env["res.partner"].create({"name": "Le Canard du Quartier"})
        contact = self.env["res.partner"].create(
            {"name": "Paul, rédaction", "parent_id": newspaper.id}
        )
        lead = self._lead(
            partner_id=contact.id,
            hosting_reseller_id=self.reseller.id,
            hosting_recurring_rule_type="yearly",
        )
        lead.hosting_line_ids.price_unit = 1100.0
        lead.action_set_won()
        partners_before = self.env["res.partner"].search_count([])
        sub = self._convert(lead)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        self.assertEqual(sub.partner_id, newspaper, "the customer's organisation")
        self.assertEqual(sub.reseller_id, self.reseller)
        self.assertEqual(sub.invoice_partner_id, self.reseller)
        self.assertEqual(sub.recurring_rule_type, "yearly")
        self.assertEqual(sub.line_ids.price_unit, 1100.0)
        self.assertEqual(sub.opportunity_id, lead)

    def test_only_won_requests_with_services(self):
        lead = self._lead(partner_id=self.member.id)
        with self.assertRaisesRegex(UserError, "mark it won first"):
            lead.with_user(self.treasurer).action_create_hosting_subscription()
        empty = self._lead(partner_id=self.member.id, hosting_line_ids=[])
        empty.action_set_won()
        with self.assertRaisesRegex(UserError, "lists no hosting service"):
            empty.with_user(self.treasurer).action_create_hosting_subscription()

    def test_salesman_cannot_create_subscription(self):
        lead = self._lead(partner_id=self.member.id)
        lead.action_set_won()
        self.assertEqual(lead.with_user(self.salesman).hosting_monthly_amount, 200.0)
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).action_create_hosting_subscription()
        with self.assertRaises(AccessError):
            self.env["hosting.subscription"].with_user(self.salesman).create(
                {"partner_id": self.member.id, "opportunity_id": lead.id}
            )
        sub = self._convert(lead)
        with self.assertRaises(AccessError):
            sub.with_user(self.salesman).read(["name"])
        # The salesperson's request screen still opens, without the count.
        form = Form(lead.with_user(self.salesman))
        self.assertEqual(form.hosting_monthly_amount, 200.0)
        self.assertEqual(lead.with_user(self.salesman).hosting_subscription_count, 0)

    def test_treasurer_without_crm_cannot_read_requests(self):
        treasurer = new_test_user(
            self.env,
            login="treasurer_only",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
        )
        lead = self._lead(partner_id=self.member.id)
        with self.assertRaises(AccessError):
            lead.with_user(treasurer).read(["name"])
        # The subscription screen still opens for the treasurer: the link to
        # the request is shown to salespeople only.
        sub = self._create_sub(opportunity_id=lead.id)
        Form(sub.with_user(treasurer))
