# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Every route of the Globenet addons, checked against a table of reasons.

A route that turns CSRF off, or that answers anonymous visitors, must be
listed below with the reason. Add your route to the table, with its reason,
when you add one: the test fails for a route that is not there.
"""

from odoo import http
from odoo.tests import TransactionCase, tagged

# csrf=False: only for routes whose client has no session, and that check a
# key of their own before anything else. Value: the check that replaces CSRF.
CSRF_EXEMPT = {
    "/nolog/api/v1/usage": "mail server key (server_key_required)",
    "/nolog/api/v1/purge/<int:request_id>/done": "mail server key "
    "(server_key_required)",
    "/nolog/api/v1/widget-token": "mail server key (server_key_required)",
}

# auth="public": why an anonymous visitor may call the route.
PUBLIC_ROUTES = {
    "/nolog/api/v1/usage": "mail servers have no session: key checked first",
    "/nolog/api/v1/feed": "mail servers have no session: key checked first",
    "/nolog/api/v1/purge": "mail servers have no session: key checked first",
    "/nolog/api/v1/purge/<int:request_id>/done": "mail servers have no "
    "session: key checked first",
    "/nolog/api/v1/widget-token": "mail servers have no session: key checked first",
    "/nolog/widget/usage": "the webmail reads it with a signed short-lived "
    "token; without a valid token or a session it answers 401",
    "/nolog/signup": "the public signup page: anyone may ask for a mailbox; "
    "CSRF on, honeypot, rate limit storing no address, no answer revealing "
    "whether an address exists",
    "/nolog/keep/<int:line_id>/<string:token>": "the keep link of a closure "
    "notice: HMAC-signed and expiring; GET only shows a confirmation, the POST "
    "keeps CSRF",
    "/hosting/request": "the public hosting request form: CSRF on, honeypot, "
    "rate limit per email and overall, no IP stored",
    "/my/subscriptions/<int:subscription_id>": "the portal's access token "
    "links (Odoo's _document_check_access); without one, only the payer or "
    "the customer",
}

MODULE_PREFIX = "odoo.addons.globenet_"


def globenet_routes(env):
    """(url, routing) of every route that a Globenet addon defines or overrides."""
    modules = [
        name
        for name in env.registry._init_modules
        if name.startswith("globenet_") or name in ("web", "portal", "mail", "base")
    ]
    for url, endpoint in http._generate_routing_rules(modules, nodb_only=False):
        func = getattr(endpoint, "original_endpoint", endpoint)
        if func.__module__.startswith(MODULE_PREFIX):
            yield url, endpoint.routing


@tagged("post_install", "-at_install")
class TestRouteScan(TransactionCase):
    def test_routes_have_reasons(self):
        routes = list(globenet_routes(self.env))
        urls = {url for url, _routing in routes}
        self.assertIn("/nolog/api/v1/usage", urls, "the scan finds no route")
        self.assertIn("/my/mailboxes/<int:mailbox_id>", urls)
        for url, routing in routes:
            with self.subTest(url=url):
                if routing.get("csrf", True) is False:
                    self.assertIn(
                        url,
                        CSRF_EXEMPT,
                        "csrf=False without a key check recorded in CSRF_EXEMPT",
                    )
                if routing.get("auth") in ("public", "none"):
                    self.assertIn(
                        url,
                        PUBLIC_ROUTES,
                        "auth='public' without a reason recorded in PUBLIC_ROUTES",
                    )

    def test_session_posts_keep_csrf(self):
        """A route that a logged-in user may POST to keeps CSRF."""
        for url, routing in globenet_routes(self.env):
            methods = routing.get("methods") or ["GET", "POST"]
            if (
                routing.get("type") == "http"
                and "POST" in methods
                and routing.get("auth") == "user"
            ):
                with self.subTest(url=url):
                    self.assertIsNot(routing.get("csrf", True), False)
