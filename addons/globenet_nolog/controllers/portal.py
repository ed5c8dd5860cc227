# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import json

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager


class NologPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "nolog_mailbox_count" in counters:
            Mailbox = request.env["nolog.mailbox"]
            values["nolog_mailbox_count"] = (
                Mailbox.search_count(self._nolog_mailbox_domain())
                if Mailbox.has_access("read")
                else 0
            )
        return values

    def _nolog_mailbox_domain(self):
        """The user's own mailboxes, named explicitly: an operator may read
        every mailbox, yet lists only their own here."""
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "child_of", partner.id)]

    @http.route(
        ["/my/mailboxes", "/my/mailboxes/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_nolog_mailboxes(self, page=1, **kw):
        Mailbox = request.env["nolog.mailbox"]
        if not Mailbox.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        domain = self._nolog_mailbox_domain()
        count = Mailbox.search_count(domain)
        portal_pager = pager(
            url="/my/mailboxes", total=count, page=page, step=self._items_per_page
        )
        mailboxes = Mailbox.search(
            domain, limit=self._items_per_page, offset=portal_pager["offset"]
        )
        values.update(
            {
                # read through sudo only the records the search allowed
                "mailboxes": mailboxes.sudo(),
                "page_name": "nolog_mailbox",
                "pager": portal_pager,
                "default_url": "/my/mailboxes",
            }
        )
        return request.render("globenet_nolog.portal_my_nolog_mailboxes", values)

    @http.route(
        ["/my/mailboxes/<int:mailbox_id>"], type="http", auth="user", website=True
    )
    def portal_my_nolog_mailbox(self, mailbox_id, access_token=None, **kw):
        try:
            mailbox_sudo = self._document_check_access(
                "nolog.mailbox", mailbox_id, access_token
            )
        except (AccessError, MissingError):
            # another member's mailbox, or none: the same answer
            raise request.not_found() from None
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "mailbox": mailbox_sudo,
                "page_name": "nolog_mailbox",
                "history": mailbox_sudo.history_ids[:7],
                "chart": mailbox_sudo._portal_usage_chart(),
                "notices": mailbox_sudo._portal_notices(),
            }
        )
        return request.render("globenet_nolog.portal_my_nolog_mailbox", values)

    @http.route(
        "/nolog/widget/usage",
        type="http",
        auth="public",
        methods=["GET"],
        save_session=False,
    )
    def nolog_widget_usage(self, token=None, **kw):
        """The usage of the member's mailboxes, as JSON, for the webmail's bar.

        Read with the portal session (the member's own mailboxes), or with a
        short-lived token signed by Odoo (one mailbox): ``?token=`` or
        ``Authorization: Bearer``. A GET that changes nothing: no CSRF token.
        """
        header = request.httprequest.headers.get("Authorization", "")
        if not token and header.lower().startswith("bearer "):
            token = header[7:].strip()
        Mailbox = request.env["nolog.mailbox"]
        if token:
            mailbox_sudo, error = Mailbox._widget_check_token(token)
            if error:
                return self._nolog_widget_error(error)
            mailboxes_sudo = mailbox_sudo.with_context(lang=mailbox_sudo.warning_lang)
        elif request.env.user._is_public():
            return self._nolog_widget_error("login_required")
        else:
            if not Mailbox.has_access("read"):
                return self._nolog_widget_error("forbidden", status=403)
            # the search runs with the user's rights and names their partner
            mailboxes_sudo = Mailbox.search(self._nolog_mailbox_domain()).sudo()
        return request.make_json_response(
            {"ok": True, "mailboxes": [m._widget_payload() for m in mailboxes_sudo]},
            headers=[("Cache-Control", "no-store")],
        )

    def _nolog_widget_error(self, error, status=401):
        messages = {
            "invalid": request.env._("Invalid token."),
            "expired": request.env._("The token has expired."),
            "login_required": request.env._("Log in, or give a token."),
            "forbidden": request.env._("No access to mailboxes."),
        }
        return request.make_json_response(
            {"ok": False, "error": error, "message": messages[error]},
            status=status,
            headers=[("Cache-Control", "no-store")],
        )

    def _privacy_export_values(self, partner_sudo):
        """The member's data, per section. Other portal controllers add theirs
        (the hosting addon adds subscriptions and invoices)."""
        parent = getattr(super(), "_privacy_export_values", None)
        values = parent(partner_sudo) if parent else {}
        values.update(partner_sudo._globenet_export_data())
        return values

    @http.route("/my/privacy/export", type="http", auth="user", methods=["GET"])
    def portal_privacy_export(self, **kw):
        """Download, as JSON, what Globenet keeps about the signed-in member."""
        # the partner comes from the session alone, never from a parameter
        partner_sudo = request.env.user.partner_id.commercial_partner_id.sudo()
        data = {
            "generated": fields.Datetime.to_string(fields.Datetime.now()),
            **self._privacy_export_values(partner_sudo),
        }
        body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        return request.make_response(
            body,
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", content_disposition("my-data.json")),
                ("Cache-Control", "no-store"),
            ],
        )
