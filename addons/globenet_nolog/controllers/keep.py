# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Keep a mailbox that a campaign closes: the signed link of the notice (GET
shows a confirmation page, the POST with its CSRF token records the request)
and the portal button."""

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal

REASON_MAX = 2000


class NologKeep(CustomerPortal):
    def _nolog_keep_line(self, line_id, token):
        line = request.env["nolog.closure.campaign.line"].sudo().browse(line_id)
        if not line.exists() or not line._check_keep_token(token):
            return None
        return line

    @http.route(
        "/nolog/keep/<int:line_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
    )
    def nolog_keep(self, line_id, token, reason=None, **kw):
        line = self._nolog_keep_line(line_id, token)
        values = {"error": None, "done": False}
        if line is None:
            values["error"] = request.env._(
                "This link is not valid or has expired. Write to the no-log team "
                "if you still need your mailbox."
            )
            return request.render("globenet_nolog.nolog_keep_page", values)
        values.update(
            {
                "address": line.mailbox_id.address,
                "closure_date": format_date(request.env, line.closure_date),
                "action_url": f"/nolog/keep/{line.id}/{token}",
            }
        )
        if request.httprequest.method == "POST":
            line._request_keep((reason or "")[:REASON_MAX].strip(), channel="link")
            values["done"] = True
        return request.render("globenet_nolog.nolog_keep_page", values)

    @http.route(
        "/my/mailboxes/<int:mailbox_id>/keep",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_nolog_mailbox_keep(self, mailbox_id, **kw):
        try:
            mailbox_sudo = self._document_check_access("nolog.mailbox", mailbox_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        line = (
            request.env["nolog.closure.campaign.line"]
            .sudo()
            .search(
                [
                    ("mailbox_id", "=", mailbox_sudo.id),
                    ("state", "=", "notified"),
                    ("closure_date", ">=", fields.Date.context_today(mailbox_sudo)),
                ],
                limit=1,
            )
        )
        if line:
            line._request_keep(channel="portal")
        return request.render(
            "globenet_nolog.nolog_keep_page",
            {
                "error": None
                if line
                else request.env._("This mailbox is not being closed."),
                "done": bool(line),
                "address": mailbox_sudo.address,
            },
        )
