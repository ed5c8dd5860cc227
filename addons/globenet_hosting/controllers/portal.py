# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


def mask_iban(iban):
    """'FR76 **** **** **** **** ***4 321': the country, the check digits and
    the last four characters, as banks print it on statements."""
    compact = (iban or "").replace(" ", "")
    if len(compact) < 8:
        return ""
    masked = compact[:4] + "*" * (len(compact) - 8) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


class HostingPortal(CustomerPortal):
    """Members see their hosting subscriptions under /my/subscriptions.

    Two kinds of readers share these pages:

    - the payer (the member, or the reseller that pays for its customers)
      sees the prices, the billing and the invoices;
    - the end customer of a reseller sees the service, its dates and its
      state, never what the reseller pays nor the reseller's invoices.

    The record rules let only the payer read a subscription; the end customer
    is let in here, after the explicit check that the subscription is theirs.
    Nothing on these pages writes an access token: links are plain URLs.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "hosting_subscription_count" in counters:
            Subscription = request.env["hosting.subscription"]
            values["hosting_subscription_count"] = (
                Subscription.sudo().search_count(self._hosting_subscription_domain())
                if Subscription.has_access("read")
                else 0
            )
        if "debt_plan_count" in counters:
            Plan = request.env["debt.plan"]
            values["debt_plan_count"] = (
                Plan.search_count(self._debt_plan_domain())
                if Plan.has_access("read")
                else 0
            )
        return values

    def _debt_plan_domain(self):
        """The repayment plans of what the user's commercial partner owes.

        Named explicitly, as for the subscriptions: an internal user who may
        read every plan lists only their own here.
        """
        partner = self._hosting_commercial_partner()
        return [
            ("direction", "=", "receivable"),
            ("state", "in", ("confirmed", "done")),
            ("partner_id", "child_of", partner.id),
            ("company_id", "in", request.env.companies.ids),
        ]

    def _hosting_mandate(self, subscription_sudo):
        """The direct-debit mandate that pays the subscription, if any."""
        if subscription_sudo.payment_method != "sepa_dd":
            return request.env["sepa.mandate"].sudo().browse()
        batch = request.env["sepa.direct.debit.batch"].sudo()
        batch = batch.new({"company_id": subscription_sudo.company_id.id})
        payer = subscription_sudo.invoice_partner_id.commercial_partner_id
        return batch._find_mandates(payer).get(
            payer.id, request.env["sepa.mandate"].sudo().browse()
        )

    def _hosting_commercial_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _hosting_subscription_domain(self):
        """The user's own subscriptions: as customer or as reseller.

        The domain names the user's commercial partner and companies
        explicitly, so it is the access check of the list, whatever the
        record rules let the user read (an internal user may read them all).
        """
        partner = self._hosting_commercial_partner()
        return [
            ("subscription_type", "=", "sale"),
            ("state", "!=", "draft"),
            ("company_id", "in", request.env.companies.ids),
            "|",
            ("partner_id", "child_of", partner.id),
            ("reseller_id", "child_of", partner.id),
        ]

    def _hosting_paid_subscriptions(self, subscriptions):
        """The subscriptions of ``subscriptions`` that the user pays for."""
        if request.env.user._is_public():
            return subscriptions.browse()
        partner = self._hosting_commercial_partner()
        return subscriptions.filtered_domain(
            [("invoice_partner_id", "child_of", partner.id)]
        )

    def _hosting_customer_subscription(self, subscription_id):
        """The subscription if the user is its customer, else an empty set."""
        subscription_sudo = (
            request.env["hosting.subscription"].sudo().browse(subscription_id).exists()
        )
        if not subscription_sudo or request.env.user._is_public():
            return subscription_sudo.browse()
        return subscription_sudo.filtered_domain(self._hosting_subscription_domain())

    def _hosting_billing_visible(self, subscription_sudo, access_token):
        """Whether the reader may see the prices and invoices.

        The payer may. An access token stands for the subscription's customer:
        it shows the billing only when that customer is also the payer.
        """
        if self._hosting_paid_subscriptions(subscription_sudo):
            return True
        return bool(
            access_token
            and not subscription_sudo.reseller_id
            and subscription_sudo.access_token
            and consteq(subscription_sudo.access_token, access_token)
        )

    @http.route(
        ["/my/subscriptions", "/my/subscriptions/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_hosting_subscriptions(self, page=1, **kw):
        Subscription = request.env["hosting.subscription"]
        if not Subscription.has_access("read"):
            return request.redirect("/my")
        domain = self._hosting_subscription_domain()
        # sudo: the domain restricts to the user's own commercial partner
        Subscription_sudo = Subscription.sudo()
        count = Subscription_sudo.search_count(domain)
        pager = portal_pager(
            url="/my/subscriptions", total=count, page=page, step=self._items_per_page
        )
        subscriptions = Subscription_sudo.search(
            domain,
            order="state, name desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "subscriptions": subscriptions,
                "paid_subscriptions": self._hosting_paid_subscriptions(subscriptions),
                "page_name": "hosting_subscription",
                "pager": pager,
                "default_url": "/my/subscriptions",
            }
        )
        return request.render(
            "globenet_hosting.portal_my_hosting_subscriptions", values
        )

    @http.route(
        ["/my/subscriptions/<int:subscription_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_hosting_subscription(self, subscription_id, access_token=None, **kw):
        try:
            subscription_sudo = self._document_check_access(
                "hosting.subscription", subscription_id, access_token
            )
        except (AccessError, MissingError):
            # the end customer of a reseller: the record rules let only the
            # payer in, the explicit check lets the customer see the service
            subscription_sudo = self._hosting_customer_subscription(subscription_id)
            if not subscription_sudo:
                # another member's subscription, or none: the same answer
                raise request.not_found() from None
        show_billing = self._hosting_billing_visible(subscription_sudo, access_token)
        invoices = subscription_sudo.invoice_ids.browse()
        if show_billing:
            invoices = subscription_sudo.invoice_ids.filtered(
                lambda m: m.state == "posted"
            ).sorted("hosting_period_start", reverse=True)
        mandate = (
            self._hosting_mandate(subscription_sudo)
            if show_billing
            else request.env["sepa.mandate"].browse()
        )
        values = self._get_page_view_values(
            subscription_sudo,
            access_token,
            {
                "subscription": subscription_sudo,
                "show_billing": show_billing,
                "invoices": invoices,
                "mandate": mandate,
                "masked_iban": mask_iban(mandate.iban),
                "page_name": "hosting_subscription",
            },
            # no previous/next links: they would write access tokens
            False,
            False,
        )
        return request.render("globenet_hosting.portal_my_hosting_subscription", values)

    def _privacy_export_values(self, partner_sudo):
        """The member's subscriptions and invoices, for the data download
        (the route is the no-log addon's)."""
        parent = getattr(super(), "_privacy_export_values", None)
        values = parent(partner_sudo) if parent else {}
        env = partner_sudo.env
        subscriptions = (
            env["hosting.subscription"]
            .sudo()
            .search(
                [
                    ("subscription_type", "=", "sale"),
                    ("partner_id", "child_of", partner_sudo.id),
                ]
            )
        )
        invoices = (
            env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("partner_id", "child_of", partner_sudo.id),
                ],
                order="invoice_date, id",
            )
        )
        paid = self._hosting_paid_subscriptions(subscriptions)
        values["subscriptions"] = [
            {
                "name": sub.name,
                "state": sub.state,
                "date_start": str(sub.date_start or ""),
                "date_end": str(sub.date_end or ""),
                "services": sub.line_ids.mapped("name"),
                "payment_method": sub.payment_method if sub in paid else None,
            }
            for sub in subscriptions
        ]
        values["invoices"] = [
            {
                "name": move.name,
                "date": str(move.invoice_date or ""),
                "amount_total": move.amount_total,
                "currency": move.currency_id.name,
                "payment_state": move.payment_state,
            }
            for move in invoices
        ]
        return values

    @http.route(
        ["/my/debts", "/my/debts/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_debt_plans(self, page=1, **kw):
        Plan = request.env["debt.plan"]
        if not Plan.has_access("read"):
            return request.redirect("/my")
        domain = self._debt_plan_domain()
        count = Plan.search_count(domain)
        pager = portal_pager(
            url="/my/debts", total=count, page=page, step=self._items_per_page
        )
        # the search runs with the user's rights and the domain names them
        plans = Plan.search(
            domain,
            order="state_sequence, first_due_date desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "plans": plans.sudo(),
                "page_name": "debt_plan",
                "pager": pager,
                "default_url": "/my/debts",
            }
        )
        return request.render("globenet_hosting.portal_my_debt_plans", values)

    @http.route(["/my/debts/<int:plan_id>"], type="http", auth="user", website=True)
    def portal_my_debt_plan(self, plan_id, **kw):
        Plan = request.env["debt.plan"]
        # the explicit check, then sudo for the computed figures
        plan = (
            Plan.search([("id", "=", plan_id), *self._debt_plan_domain()])
            if Plan.has_access("read")
            else Plan
        )
        if not plan:
            # another member's plan, or none: the same answer
            raise request.not_found() from None
        plan_sudo = plan.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "plan": plan_sudo,
                "instalments": plan_sudo.instalment_ids.filtered(
                    lambda i: not i.is_replaced
                ).sorted("due_date"),
                "page_name": "debt_plan",
            }
        )
        return request.render("globenet_hosting.portal_my_debt_plan", values)
