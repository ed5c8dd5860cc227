# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

# The field a person never sees (hidden by the page's style) and a robot fills.
HONEYPOT_FIELD = "website_url"


class HostingRequestController(http.Controller):
    """The public hosting request form: /hosting/request.

    CSRF stays on (the form carries the session's token). A robot that fills
    the hidden field is thanked and nothing is stored. The rate limit counts
    the requests already stored (per email, and all together): no IP address
    is kept anywhere.
    """

    def _hosting_request_products(self):
        # Public visitors may not read products: list, after no check but
        # this fixed domain, the hosting services on sale.
        return request.env["crm.lead"].sudo()._hosting_request_products()

    def _hosting_request_render(self, values=None, errors=None):
        return request.render(
            "globenet_hosting.hosting_request_page",
            {
                "products": self._hosting_request_products(),
                "values": values or {},
                "errors": errors or {},
                "honeypot_field": HONEYPOT_FIELD,
            },
        )

    @http.route(
        "/hosting/request", type="http", auth="public", methods=["GET"], website=True
    )
    def hosting_request_form(self, **kwargs):
        return self._hosting_request_render()

    @http.route(
        "/hosting/request",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=True,
        website=True,
    )
    def hosting_request_submit(self, **post):
        if post.get(HONEYPOT_FIELD):
            return request.render("globenet_hosting.hosting_request_thanks", {})
        Lead = request.env["crm.lead"].sudo()
        products = self._hosting_request_products()
        quantities = {}
        for product in products:
            raw = (post.get(f"qty_{product.id}") or "").strip()
            if raw:
                quantities[product.id] = raw
        values = {
            "contact_name": post.get("contact_name", ""),
            "partner_name": post.get("partner_name", ""),
            "email_from": post.get("email_from", ""),
            "description": post.get("description", ""),
            "quantities": quantities,
        }
        errors = Lead._hosting_request_errors(values, products)
        if errors:
            return self._hosting_request_render(values, errors)
        Lead._hosting_request_create(values, products)
        return request.render("globenet_hosting.hosting_request_thanks", {})
