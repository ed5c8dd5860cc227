# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


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
        return values

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
                return request.redirect("/my")
        show_billing = self._hosting_billing_visible(subscription_sudo, access_token)
        invoices = subscription_sudo.invoice_ids.browse()
        if show_billing:
            invoices = subscription_sudo.invoice_ids.filtered(
                lambda m: m.state == "posted"
            ).sorted("hosting_period_start", reverse=True)
        values = self._get_page_view_values(
            subscription_sudo,
            access_token,
            {
                "subscription": subscription_sudo,
                "show_billing": show_billing,
                "invoices": invoices,
                "page_name": "hosting_subscription",
            },
            # no previous/next links: they would write access tokens
            False,
            False,
        )
        return request.render("globenet_hosting.portal_my_hosting_subscription", values)
