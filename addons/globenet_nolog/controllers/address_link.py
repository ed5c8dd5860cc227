# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A member adds another mailbox to their portal account: they give its
address, a signed link is emailed to it, and the link (opened while signed in
to the same account) asks for a confirmation. The POSTs keep Odoo's CSRF
token."""

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

ADDRESS_MAX = 254


class NologAddressLink(CustomerPortal):
    def _nolog_link_render(self, template, values, status=200):
        page = self._prepare_portal_layout_values()
        page.update(values, page_name="nolog_mailbox_link")
        return request.render(template, page, status=status)

    @http.route(
        "/my/mailboxes/add",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def portal_my_nolog_mailbox_add(self, address=None, **kw):
        values = {"sent": False, "error": None, "address": ""}
        status = 200
        if request.httprequest.method == "POST":
            address = (address or "")[:ADDRESS_MAX].strip()
            error = request.env["nolog.mailbox"]._link_request(address)
            if error == "invalid":
                values.update(
                    address=address,
                    error=request.env._("Please give a valid email address."),
                )
                status = 400
            elif error == "throttled":
                values["error"] = request.env._(
                    "Too many requests from your account. Please try again in an hour."
                )
                status = 429
            else:
                # the same answer whether the address is a mailbox or not
                values["sent"] = True
        return self._nolog_link_render(
            "globenet_nolog.portal_my_nolog_mailbox_add", values, status=status
        )

    @http.route(
        "/my/mailboxes/link",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def portal_my_nolog_mailbox_link(self, token=None, **kw):
        user = request.env.user
        mailbox_sudo, error = request.env["nolog.mailbox"]._link_check_token(
            token, user
        )
        if error:
            messages = {
                "invalid": request.env._(
                    "This link is not valid. Ask for a new one from your "
                    "mailboxes page."
                ),
                "expired": request.env._(
                    "This link has expired. Ask for a new one from your mailboxes page."
                ),
                "other_user": request.env._(
                    "This link was made for another portal account. Sign in "
                    "with the account that asked for it."
                ),
            }
            return self._nolog_link_render(
                "globenet_nolog.portal_my_nolog_mailbox_link",
                {"error": messages[error]},
                status=403 if error == "other_user" else 400,
            )
        done = False
        if request.httprequest.method == "POST":
            mailbox_sudo._link_to_user(user)
            done = True
        return self._nolog_link_render(
            "globenet_nolog.portal_my_nolog_mailbox_link",
            {
                "error": None,
                "done": done,
                "link_address": mailbox_sudo.address,
                "link_mailbox_id": mailbox_sudo.id,
                "token": token,
            },
        )
