# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Every route of the Globenet addons, checked against a table of reasons.

A route that turns CSRF off, or that answers anonymous visitors, must be
listed below with the reason. Add your route to the table, with its reason,
when you add one: the test fails for a route that is not there.
"""

import re

from odoo import http
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import NologCommon

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


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
URL_ARG_RE = re.compile(r"<(?:(int|string|path)(?:\([^)]*\))?:)?[a-z_]+>")


@tagged("post_install", "-at_install")
class TestCsrfRejection(NologCommon, HttpCase):
    """A POST without its CSRF token is refused with Odoo's 400 "Session
    expired (invalid CSRF token)" (website pages show their 400 page), on
    every route of both addons that a browser session may POST to, and
    changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = new_test_user(
            cls.env,
            login="nolog_csrf_member",
            password="nolog_csrf_member_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )
        campaign = cls.env["nolog.closure.campaign"].create(
            {
                "name": "CSRF campaign",
                "list_url": "https://lists.example/alt",
                "rule": "server",
                "server_id": cls.server.id,
            }
        )
        campaign.action_launch()
        cls.line = campaign.line_ids.filtered(lambda ln: ln.mailbox_id == cls.alice)

    def _counts(self):
        models = ["nolog.keep.request", "nolog.signup.request", "nolog.mailbox"]
        if "crm.lead" in self.env:
            models.append("crm.lead")
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
            for model in models
        }

    def test_every_session_post_refused_without_token(self):
        self.authenticate("nolog_csrf_member", "nolog_csrf_member_pw")
        before = self._counts()
        tested = set()
        for url, routing in globenet_routes(self.env):
            methods = routing.get("methods") or ["GET", "POST"]
            if (
                routing.get("type") != "http"
                or "POST" not in methods
                or routing.get("csrf", True) is False
            ):
                continue
            path = URL_ARG_RE.sub(
                lambda m: str(self.alice.id) if m.group(1) == "int" else "x", url
            )
            with self.subTest(url=url), mute_logger("odoo.http"):
                response = self.url_open(path, data={"reason": "no token"})
                self.assertEqual(response.status_code, 400)
                # website pages show their own "Bad request" page instead
                if not routing.get("website"):
                    self.assertIn("Session expired (invalid CSRF token)", response.text)
            tested.add(url)
        self.assertEqual(self._counts(), before)
        for url in (
            "/nolog/signup",
            "/my/mailboxes/<int:mailbox_id>/keep",
            "/nolog/keep/<int:line_id>/<string:token>",
            "/my/mailboxes/<int:mailbox_id>",
        ):
            self.assertIn(url, tested)
        if "globenet_hosting" in self.env.registry._init_modules:
            self.assertIn("/hosting/request", tested)
            self.assertIn("/my/subscriptions/<int:subscription_id>", tested)

    def test_portal_keep_button(self):
        """The member's "keep my mailbox" button: without the token nothing
        is recorded, with it the request is."""
        self.authenticate("nolog_csrf_member", "nolog_csrf_member_pw")
        page = self.url_open(f"/my/mailboxes/{self.alice.id}")
        token = CSRF_RE.search(page.text).group(1)
        url = f"/my/mailboxes/{self.alice.id}/keep"
        KeepRequest = self.env["nolog.keep.request"]
        with mute_logger("odoo.http"):
            response = self.url_open(url, data={"reason": "no token"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(KeepRequest.search([("line_id", "=", self.line.id)]))
        with mute_logger("odoo.http"):
            response = self.url_open(url, data={"csrf_token": "forged"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(KeepRequest.search([("line_id", "=", self.line.id)]))
        response = self.url_open(url, data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            KeepRequest.search([("line_id", "=", self.line.id)]).channel, "portal"
        )
