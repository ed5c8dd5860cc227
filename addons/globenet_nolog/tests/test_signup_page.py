# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re

from odoo.tests import HttpCase, tagged

from .common import NologCommon

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestSignupPage(HttpCase, NologCommon):
    """The public signup page, rendered: open, closed, and each abuse
    protection."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["nolog.signup.request"]

    @staticmethod
    def _without_tokens(html):
        """The page without its CSRF tokens, which change on every page."""
        return re.sub(r"[0-9a-f]{40}o[0-9]+", "", html)

    def _page(self):
        response = self.url_open("/nolog/signup")
        self.assertEqual(response.status_code, 200)
        return response.text

    def _post(self, **data):
        token = CSRF_RE.search(self._page()).group(1)
        values = {"csrf_token": token, "contact_email": "me@example.org"}
        values.update(data)
        return self.url_open("/nolog/signup", data=values)

    def test_open_page_has_the_form(self):
        page = self._page()
        self.assertIn('id="nolog_signup_form"', page)
        self.assertRegex(page, CSRF_RE)
        self.assertIn('name="homepage"', page)
        self.assertNotIn("nolog_signup_closed", page)

    def test_closed_page_shows_the_message(self):
        self.env.company.nolog_signup_closed_message = (
            '<p>We are full. See <a href="https://hosts.example/">other hosts</a>.</p>'
        )
        self.env.company._nolog_set_signup_open(False, "full")
        page = self._page()
        self.assertIn('id="nolog_signup_closed"', page)
        self.assertIn('href="https://hosts.example/"', page)
        self.assertNotIn('id="nolog_signup_form"', page)

    def test_closed_when_no_server_has_room(self):
        (self.server | self.other_server)._set_signup_open(False, "full")
        self.assertIn('id="nolog_signup_closed"', self._page())

    def test_request_is_recorded(self):
        response = self._post(name="new.member", message="Hello")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="nolog_signup_done"', response.text)
        request = self.Request.search([])
        self.assertEqual(request.address, "new.member@no-log.org")
        self.assertEqual(request.state, "pending")

    def test_closed_post_records_nothing(self):
        token = CSRF_RE.search(self._page()).group(1)
        self.env.company._nolog_set_signup_open(False, "full")
        response = self.url_open(
            "/nolog/signup",
            data={"csrf_token": token, "name": "late", "contact_email": "a@b.org"},
        )
        self.assertIn('id="nolog_signup_closed"', response.text)
        self.assertFalse(self.Request.search([]))

    def test_honeypot(self):
        response = self._post(name="robot", homepage="http://spam.example")
        self.assertIn('id="nolog_signup_done"', response.text)
        self.assertFalse(self.Request.search([]))

    def test_reserved_name_and_syntax(self):
        response = self._post(name="postmaster")
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="nolog_signup_error"', response.text)
        self.assertIn("reserved", response.text)
        response = self._post(name="bad name!")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Request.search([]))

    def test_existing_address_is_not_revealed(self):
        self._mailbox("taken@no-log.org")
        taken = self._post(name="taken")
        fresh = self._post(name="fresh")
        self.assertEqual(taken.status_code, fresh.status_code)
        self.assertIn('id="nolog_signup_done"', taken.text)
        self.assertEqual(
            self._without_tokens(taken.text), self._without_tokens(fresh.text)
        )
        self.assertEqual(
            self.Request.search([]).mapped("address"), ["fresh@no-log.org"]
        )

    def test_rate_limit(self):
        for index in range(5):
            self.assertEqual(self._post(name=f"member{index}").status_code, 200)
        response = self._post(name="member5")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(self.Request.search([])), 5)
        stored = self.env["nolog.signup.throttle"].search([]).mapped("key")
        self.assertFalse([key for key in stored if "127.0.0.1" in key])

    def test_csrf_is_required(self):
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(
                "/nolog/signup", data={"name": "nocsrf", "contact_email": "a@b.org"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Request.search([]))
