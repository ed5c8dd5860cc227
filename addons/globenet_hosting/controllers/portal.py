# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class HostingPortal(CustomerPortal):
    """Members see their hosting subscriptions, and resellers the ones they
    pay for, under /my/subscriptions. Record rules decide what is visible."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "hosting_subscription_count" in counters:
            Subscription = request.env["hosting.subscription"]
            values["hosting_subscription_count"] = (
                Subscription.search_count(self._hosting_subscription_domain())
                if Subscription.has_access("read")
                else 0
            )
        return values

    def _hosting_subscription_domain(self):
        return [("subscription_type", "=", "sale"), ("state", "!=", "draft")]

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
        count = Subscription.search_count(domain)
        pager = portal_pager(
            url="/my/subscriptions", total=count, page=page, step=self._items_per_page
        )
        subscriptions = Subscription.search(
            domain,
            order="state, name desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "subscriptions": subscriptions,
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
            return request.redirect("/my")
        values = self._get_page_view_values(
            subscription_sudo,
            access_token,
            {
                "subscription": subscription_sudo,
                "invoices": subscription_sudo.invoice_ids.filtered(
                    lambda m: m.state == "posted"
                ).sorted("hosting_period_start", reverse=True),
                "page_name": "hosting_subscription",
            },
            "my_hosting_subscriptions_history",
            False,
        )
        return request.render("globenet_hosting.portal_my_hosting_subscription", values)
