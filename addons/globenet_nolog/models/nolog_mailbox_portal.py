# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""What a member sees of a mailbox: the portal chart and the webmail widget,
and the portal access of members whose only identity is an address.

The widget token is ``<mailbox id>.<expiry, unix seconds>.<signature>``, the
signature an HMAC-SHA256 of the first two parts keyed by the database secret
(``odoo.tools.misc.hmac``). The expiry is inside the signed part: changing it
breaks the signature.

- An operator invites a mailbox to the portal: a partner whose name and email
  are the address (nothing else), owner of the mailbox, and a portal user
  whose login is the address, with Odoo's signup token; the invitation goes
  to the address through the mail queue.
- A member links another mailbox to their account with a link emailed to
  that address: ``<user id>.<mailbox id>.<expiry>.<signature>``, signed as
  the widget token under its own scope.
"""

import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import consteq
from odoo.tools.misc import format_date, hmac

from ..tools.units import format_percent, format_size
from ..tools.usage_parser import is_valid_address, normalize_address

WIDGET_TOKEN_SCOPE = "globenet_nolog.widget"
WIDGET_TOKEN_SECONDS = 300
CHART_DAYS = 90
CHART_WIDTH = 600
CHART_HEIGHT = 160
LINK_TOKEN_SCOPE = "globenet_nolog.address_link"
LINK_TOKEN_SECONDS = 48 * 3600
LINK_REQUESTS_PER_HOUR = 5


class NologMailbox(models.Model):
    _inherit = "nolog.mailbox"

    # --- webmail widget --------------------------------------------------
    def _widget_payload(self):
        """The usage of the mailbox as the webmail draws it."""
        self.ensure_one()
        env = self.env
        folders = {
            "inbox": self.inbox_bytes,
            "trash": self.trash_bytes,
            "spam": self.spam_bytes,
            "sent": self.sent_bytes,
            "other": self.other_bytes,
        }
        return {
            "address": self.address,
            "state": self.state,
            "usage_bytes": int(self.usage_bytes),
            "quota_bytes": int(self.quota_bytes),
            "percent": round(self.quota_percent, 1),
            "usage_display": format_size(env, self.usage_bytes),
            "quota_display": format_size(env, self.quota_bytes),
            "percent_display": format_percent(env, self.quota_percent),
            "last_report": fields.Date.to_string(self.usage_date) or None,
            "folders": {name: int(size) for name, size in folders.items()},
        }

    def _widget_token(self, seconds=WIDGET_TOKEN_SECONDS):
        """A token that reads this mailbox's usage for ``seconds``."""
        self.ensure_one()
        expiry = int(time.time()) + int(seconds)
        message = f"{self.id}.{expiry}"
        signature = hmac(self.env(su=True), WIDGET_TOKEN_SCOPE, message)
        return f"{message}.{signature}"

    @api.model
    def _widget_check_token(self, token):
        """Return ``(mailbox, error)``: the mailbox, or an empty set and
        ``"invalid"`` (forged or malformed) or ``"expired"``.

        The signature is checked first, in constant time: an expiry is
        believed only once it is known to be Odoo's.
        """
        empty = self.browse()
        parts = (token or "").split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            return empty, "invalid"
        message = f"{parts[0]}.{parts[1]}"
        expected = hmac(self.env(su=True), WIDGET_TOKEN_SCOPE, message)
        if not consteq(expected, parts[2]):
            return empty, "invalid"
        if int(parts[1]) <= time.time():
            return empty, "expired"
        mailbox = self.sudo().browse(int(parts[0])).exists()
        if not mailbox:
            return empty, "invalid"
        return mailbox, None

    # --- portal chart ----------------------------------------------------
    def _portal_usage_chart(self, days=CHART_DAYS):
        """The last ``days`` days of usage, drawn as an inline SVG.

        Returns the values the template needs: a polyline's points, the quota
        line's height, and the labels of the axes in the reader's language.
        No script and no library: the page draws it as it loads.
        """
        self.ensure_one()
        end = self.usage_date or fields.Date.context_today(self)
        start = end - timedelta(days=days - 1)
        rows = (
            self.env["nolog.usage.history"]
            .sudo()
            .search_fetch(
                [
                    ("mailbox_id", "=", self.id),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                ["date", "usage_bytes"],
                order="date",
            )
        )
        if not rows:
            return {}
        quota = self.quota_bytes
        top = max(max(rows.mapped("usage_bytes")), quota, 1.0) * 1.05
        span = max(days - 1, 1)

        def x_of(date):
            return round((date - start).days * CHART_WIDTH / span, 1)

        def y_of(size):
            return round(CHART_HEIGHT - size * CHART_HEIGHT / top, 1)

        points = " ".join(f"{x_of(row.date)},{y_of(row.usage_bytes)}" for row in rows)
        env = self.env
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "points": points,
            "area": f"{x_of(rows[0].date)},{CHART_HEIGHT} {points} "
            f"{x_of(rows[-1].date)},{CHART_HEIGHT}",
            "quota_y": y_of(quota) if quota else None,
            "day_count": len(rows),
            "start_label": format_date(env, start),
            "end_label": format_date(env, end),
            "top_label": format_size(env, top),
            "quota_label": format_size(env, quota),
            "first_label": format_size(env, rows[0].usage_bytes),
            "last_label": format_size(env, rows[-1].usage_bytes),
        }

    def _portal_notices(self):
        """Warnings sent and closure or suspension notices, newest first."""
        self.ensure_one()
        return self.sudo().warning_ids.sorted("sent_date", reverse=True)[:10]

    # --- invitation by an operator ----------------------------------------
    def _check_portal_inviter(self):
        """Operators and managers invite, on mailboxes they may change."""
        self._check_operator()
        self.check_access("write")

    def action_invite_portal(self):
        """Invite each selected mailbox without owner to the portal."""
        invited, skipped = self._portal_invite()
        lines = []
        if invited:
            lines.append(
                self.env._(
                    "%(count)s mailbox(es) invited: %(addresses)s.",
                    count=len(invited),
                    addresses=", ".join(invited.mapped("address")),
                )
            )
        lines += [f"{mailbox.address}: {reason}" for mailbox, reason in skipped.items()]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Invite to the portal"),
                "message": "\n".join(lines),
                "type": "success" if invited and not skipped else "warning",
                "sticky": bool(skipped),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _portal_invite(self, send=True):
        """Give each mailbox without owner an owner made of its address only,
        and that owner a portal account whose login is the address.

        Return ``(invited mailboxes, {mailbox: reason skipped})``. With
        ``send``, the invitation (a link to choose a password) is queued to
        each address; without it, the caller sends the link (see
        ``_portal_signup_urls``).
        """
        self._check_portal_inviter()
        skipped = {}
        for mailbox in self.filtered("partner_id"):
            skipped[mailbox] = (
                self.env._("its owner already has a portal account.")
                if mailbox.partner_id.user_ids
                else self.env._("it already has an owner.")
            )
        candidates = self - self.filtered("partner_id")
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        taken = set(
            Users.search([("login", "in", candidates.mapped("address"))]).mapped(
                "login"
            )
        )
        for mailbox in candidates.filtered(lambda m: m.address in taken):
            skipped[mailbox] = self.env._("an account with this login already exists.")
        invited = candidates.filtered(lambda m: m.address not in taken)
        if not invited:
            return invited, skipped
        # checked above: operators and managers only, with write access
        partners = (
            self.env["res.partner"]
            .sudo()
            .create(
                [
                    {
                        "name": mailbox.address,
                        "email": mailbox.address,
                        "lang": mailbox.warning_lang,
                    }
                    for mailbox in invited
                ]
            )
        )
        for mailbox, partner in zip(invited, partners, strict=True):
            mailbox.partner_id = partner
            company = mailbox.company_id or self.env.company
            # Odoo's portal invitation: a copy of the portal template user
            Users.with_company(company)._create_user_from_template(
                {
                    "login": mailbox.address,
                    "email": mailbox.address,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
            )
        partners.signup_prepare()
        if send:
            template = self.env.ref("globenet_nolog.mail_template_nolog_portal_invite")
            template.with_context(
                nolog_signup_urls=invited._portal_signup_urls()
            ).send_mail_batch(invited.ids)
        for mailbox in invited:
            mailbox.message_post(
                body=self.env._(
                    "Invited to the portal: the login is the mailbox's address."
                )
            )
        return invited, skipped

    def _portal_signup_urls(self):
        """``{mailbox id: link to choose the owner's password}``."""
        urls = self.partner_id.sudo()._get_signup_url_for_action()
        return {mailbox.id: urls.get(mailbox.partner_id.id) for mailbox in self}

    # --- address linking by the member -------------------------------------
    def _link_token(self, user, seconds=LINK_TOKEN_SECONDS):
        """A link that lets ``user`` take this mailbox, for ``seconds``."""
        self.ensure_one()
        expiry = int(time.time()) + int(seconds)
        message = f"{user.id}.{self.id}.{expiry}"
        signature = hmac(self.env(su=True), LINK_TOKEN_SCOPE, message)
        return f"{message}.{signature}"

    @api.model
    def _link_check_token(self, token, user):
        """Return ``(mailbox, error)``: the mailbox, or an empty set and
        ``"invalid"`` (forged or malformed), ``"expired"`` or
        ``"other_user"`` (a link made for another account).

        The signature is checked first, in constant time.
        """
        empty = self.browse()
        parts = (token or "").split(".")
        if len(parts) != 4 or not all(part.isdigit() for part in parts[:3]):
            return empty, "invalid"
        message = ".".join(parts[:3])
        expected = hmac(self.env(su=True), LINK_TOKEN_SCOPE, message)
        if not consteq(expected, parts[3]):
            return empty, "invalid"
        if int(parts[2]) <= time.time():
            return empty, "expired"
        if int(parts[0]) != user.id:
            return empty, "other_user"
        mailbox = self.sudo().browse(int(parts[1])).exists()
        if not mailbox:
            return empty, "invalid"
        return mailbox, None

    @api.model
    def _link_request(self, address):
        """Email a link to ``address`` if it is a mailbox that the signed-in
        user does not own yet. Return ``"invalid"`` (not an address),
        ``"throttled"`` (too many requests this hour) or None: the caller
        answers the same whether the address exists or not.
        """
        user = self.env.user
        address = normalize_address(address or "")
        if not is_valid_address(address):
            return "invalid"
        throttle = self.env["nolog.signup.throttle"]
        if not throttle._hit(f"address-link:{user.id}", limit=LINK_REQUESTS_PER_HOUR):
            return "throttled"
        # the address comes from the form: the mailbox is read through sudo,
        # and nothing about it goes back to the requester
        mailbox = self.sudo().search([("address", "=", address)], limit=1)
        owner = user.partner_id.commercial_partner_id
        if not mailbox or (
            mailbox.partner_id and mailbox.partner_id.commercial_partner_id == owner
        ):
            return None
        template = self.env.ref("globenet_nolog.mail_template_nolog_address_link")
        token = mailbox._link_token(user)
        url = f"{mailbox.get_base_url()}/my/mailboxes/link?token={token}"
        template.sudo().with_context(
            lang=user.lang, nolog_link_url=url, nolog_link_login=user.login
        ).send_mail(mailbox.id)
        return None

    def _link_to_user(self, user):
        """Make ``user``'s partner the owner of this mailbox (after the check
        of a link) and note it in the chatter."""
        self.ensure_one()
        mailbox = self.sudo()
        if mailbox.partner_id == user.partner_id:
            return
        mailbox.partner_id = user.partner_id
        mailbox.message_post(
            body=self.env._(
                "Linked to the portal account %(login)s: its owner confirmed the "
                "link emailed to the address.",
                login=user.login,
            )
        )
