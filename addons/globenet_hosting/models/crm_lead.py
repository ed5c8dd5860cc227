# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError

from .hosting_recurrence_mixin import PERIOD_MONTHS
from .hosting_subscription import PAYMENT_METHODS

# Longest message accepted from the public form.
MESSAGE_MAX_LENGTH = 5000


class CrmLead(models.Model):
    """A hosting request: an opportunity tagged hosting, with the services
    asked for; their monthly amount is the expected revenue, so the pipeline
    adds up the monthly receipts that open requests would bring."""

    _inherit = "crm.lead"

    hosting_line_ids = fields.One2many(
        comodel_name="crm.lead.hosting.line",
        inverse_name="lead_id",
        string="Hosting Services",
        copy=True,
    )
    hosting_reseller_id = fields.Many2one(
        comodel_name="res.partner",
        string="Reseller",
        help="The reseller that will pay for this customer's subscription, if any.",
    )
    hosting_payment_method = fields.Selection(
        selection=PAYMENT_METHODS,
        string="Payment Method",
        default="sepa_dd",
    )
    hosting_recurring_rule_type = fields.Selection(
        selection=[
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("yearly", "Yearly"),
        ],
        string="Invoiced",
        default="monthly",
        help="The services' prices are per period of this recurrence.",
    )
    hosting_monthly_amount = fields.Monetary(
        string="Monthly Receipts",
        currency_field="company_currency",
        compute="_compute_hosting_monthly_amount",
        store=True,
        aggregator="sum",
        help="What the requested services would bring in a month.",
    )
    # No default: a request's services set it, or a salesperson types it.
    expected_revenue = fields.Monetary(
        compute="_compute_expected_revenue", store=True, readonly=False, default=None
    )
    hosting_subscription_ids = fields.One2many(
        comodel_name="hosting.subscription",
        inverse_name="opportunity_id",
        string="Subscriptions",
        groups="globenet_hosting.group_globenet_hosting_user",
    )
    hosting_subscription_count = fields.Integer(
        compute="_compute_hosting_subscription_count"
    )
    hosting_web_request = fields.Boolean(
        string="Requested Online",
        readonly=True,
        copy=False,
        help="Sent through the public hosting request form.",
    )

    @api.depends("hosting_line_ids.price_subtotal", "hosting_recurring_rule_type")
    def _compute_hosting_monthly_amount(self):
        for lead in self:
            months = PERIOD_MONTHS.get(lead.hosting_recurring_rule_type or "monthly")
            total = sum(lead.hosting_line_ids.mapped("price_subtotal"))
            lead.hosting_monthly_amount = total / months

    @api.depends("hosting_monthly_amount")
    def _compute_expected_revenue(self):
        # Requests without services keep the revenue typed by hand.
        for lead in self.filtered("hosting_line_ids"):
            lead.expected_revenue = lead.hosting_monthly_amount

    def _compute_hosting_subscription_count(self):
        # Salespeople without access to subscriptions see no count.
        if not self.env["hosting.subscription"].has_access("read"):
            self.hosting_subscription_count = 0
            return
        counts = dict(
            self.env["hosting.subscription"]._read_group(
                [("opportunity_id", "in", self.ids)],
                groupby=["opportunity_id"],
                aggregates=["__count"],
            )
        )
        for lead in self:
            lead.hosting_subscription_count = counts.get(lead, 0)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_create_hosting_subscription(self):
        """Open a new subscription prefilled from this won request.

        The customer is created from the request when it has none. The
        subscription, once saved, links back to the request.
        """
        self.ensure_one()
        Subscription = self.env["hosting.subscription"]
        Subscription.check_access("create")
        if not self.active or self.probability < 100:
            raise UserError(
                self.env._(
                    "Only a won request becomes a subscription: mark it won first."
                )
            )
        if not self.hosting_line_ids:
            raise UserError(
                self.env._(
                    "The request %(name)s lists no hosting service: add the "
                    "services to subscribe first.",
                    name=self.name,
                )
            )
        self._handle_partner_assignment(create_missing=True)
        customer = self.partner_id.commercial_partner_id
        context = {
            "default_subscription_type": "sale",
            "default_partner_id": customer.id,
            "default_reseller_id": self.hosting_reseller_id.id,
            "default_payment_method": self.hosting_payment_method or "sepa_dd",
            "default_recurring_rule_type": self.hosting_recurring_rule_type
            or "monthly",
            "default_opportunity_id": self.id,
            "default_company_id": self.company_id.id or self.env.company.id,
            "default_line_ids": [
                Command.create(line._prepare_subscription_line_vals())
                for line in self.hosting_line_ids
            ],
        }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Subscription"),
            "res_model": "hosting.subscription",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": context,
        }

    def action_view_hosting_subscriptions(self):
        self.ensure_one()
        subscriptions = self.hosting_subscription_ids
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Subscriptions"),
            "res_model": "hosting.subscription",
            "domain": [("id", "in", subscriptions.ids)],
            "view_mode": "list,form",
        }
        if len(subscriptions) == 1:
            action.update(
                res_id=subscriptions.id, view_mode="form", views=[(False, "form")]
            )
        return action

    # ------------------------------------------------------------------
    # Public request form
    # ------------------------------------------------------------------
    @api.model
    def _hosting_request_products(self):
        """The hosting services a visitor may ask for."""
        return self.env["product.product"].search(
            [
                ("hosting_service_type", "!=", False),
                ("sale_ok", "=", True),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            order="hosting_service_type, name",
        )

    @api.model
    def _hosting_request_limits(self):
        """(requests per email per day, requests per hour in all)."""
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(params.get_param("globenet_hosting.request_limit_email_day", 3)),
            int(params.get_param("globenet_hosting.request_limit_hour", 30)),
        )

    @api.model
    def _hosting_request_errors(self, values, products):
        """Why the request ``values`` cannot be stored, per form field
        (empty when it can). The rate limit counts stored requests only."""
        _ = self.env._
        errors = {}
        if not values["contact_name"].strip():
            errors["contact_name"] = _("Please give your name.")
        if len(values["contact_name"]) > 200 or len(values["partner_name"]) > 200:
            errors["partner_name"] = _("A name has at most 200 characters.")
        email = tools.email_normalize(values["email_from"])
        if not email:
            errors["email_from"] = _("Please give a valid email address.")
        if len(values["description"]) > MESSAGE_MAX_LENGTH:
            errors["description"] = _(
                "The message has at most %(count)s characters.",
                count=MESSAGE_MAX_LENGTH,
            )
        known = set(products.ids)
        if not values["quantities"]:
            errors["services"] = _("Please choose at least one service.")
        for product_id, raw in values["quantities"].items():
            try:
                quantity = int(raw)
            except ValueError:
                quantity = 0
            if product_id not in known or not 0 <= quantity <= 100:
                errors["services"] = _("A quantity is a whole number from 0 to 100.")
        if values["quantities"] and not any(
            (raw.isdigit() and int(raw) > 0) for raw in values["quantities"].values()
        ):
            errors["services"] = _("Please choose at least one service.")
        if not errors:
            per_email, per_hour = self._hosting_request_limits()
            now = fields.Datetime.now()
            web = [("hosting_web_request", "=", True), ("active", "in", [True, False])]
            recent_email = self.search_count(
                [
                    *web,
                    ("email_normalized", "=", email),
                    ("create_date", ">=", now - timedelta(days=1)),
                ]
            )
            recent_all = self.search_count(
                [*web, ("create_date", ">=", now - timedelta(hours=1))]
            )
            if recent_email >= per_email or recent_all >= per_hour:
                errors["limit"] = _(
                    "Too many requests were sent lately. Please try again later, "
                    "or write to us: we answer every message."
                )
        return errors

    @api.model
    def _hosting_request_create(self, values, products):
        """Store a checked request from the form as a hosting opportunity."""
        organisation = values["partner_name"].strip()
        contact = values["contact_name"].strip()
        lines = [
            Command.create({"product_id": product.id, "quantity": int(raw)})
            for product in products
            if (raw := values["quantities"].get(product.id)) and int(raw) > 0
        ]
        return self.create(
            {
                "name": self.env._(
                    "Hosting request: %(who)s", who=organisation or contact
                ),
                "type": "opportunity",
                "contact_name": contact,
                "partner_name": organisation,
                "email_from": values["email_from"].strip(),
                "description": tools.plaintext2html(values["description"].strip()),
                "tag_ids": [
                    Command.link(self.env.ref("globenet_hosting.crm_tag_hosting").id)
                ],
                "hosting_web_request": True,
                "hosting_line_ids": lines,
                # Left for a volunteer to take, not given to the public user.
                "user_id": False,
            }
        )
