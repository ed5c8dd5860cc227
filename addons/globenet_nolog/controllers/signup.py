# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import http
from odoo.http import request

HONEYPOT_FIELD = "homepage"


class NologSignup(http.Controller):
    """The public page where anyone asks for a no-log mailbox.

    The form keeps Odoo's CSRF token. Abuse protection: a rate limit that
    stores only a salted hash of the client (forgotten within the hour), a
    honeypot field that people do not see, the syntax of the requested name,
    reserved names, and the same answer whether the address exists or not.
    """

    def _render(self, values, status=200):
        Request = request.env["nolog.signup.request"]
        company = request.env.company
        values = dict(
            values,
            signups_open=Request._signups_open(company),
            company=company,
            closed_message=company.sudo().nolog_signup_closed_message,
            honeypot=HONEYPOT_FIELD,
            domain="no-log.org",
        )
        return request.render("globenet_nolog.nolog_signup_page", values, status=status)

    @http.route("/nolog/signup", type="http", auth="public", methods=["GET"])
    def nolog_signup(self, **kw):
        return self._render({})

    @http.route("/nolog/signup", type="http", auth="public", methods=["POST"])
    def nolog_signup_post(self, **post):
        Request = request.env["nolog.signup.request"]
        if not Request._signups_open(request.env.company):
            return self._render({})
        client = request.httprequest.remote_addr or ""
        if not request.env["nolog.signup.throttle"]._hit(client):
            return self._render(
                {
                    "error": request.env._(
                        "Too many requests from your connection. "
                        "Please try again in an hour."
                    )
                },
                status=429,
            )
        if post.get(HONEYPOT_FIELD):
            return self._render({"done": True})
        error = Request._submit(
            post.get("name", ""), post.get("contact_email", ""), post.get("message")
        )
        if error:
            return self._render({"error": error, "post": post}, status=400)
        return self._render({"done": True})
