# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A member's data: what they may download, and what a manager erases."""

from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

MANAGER_GROUP = "globenet_nolog.group_globenet_nolog_manager"
EXPORT_PARTNER_FIELDS = (
    "name",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "lang",
)
# Cleared on erasure in every case; the name and postal address stay when
# invoices name the partner (French law: an invoice keeps its customer's
# name and address for ten years, CGI art. 242 nonies A, L. 102 B LPF).
ERASED_CONTACT_FIELDS = ("email", "phone", "mobile", "website", "comment", "vat")
ERASED_ADDRESS_FIELDS = ("street", "street2", "zip", "city")


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _globenet_export_data(self):
        """The member's own data, as the portal's download gives it.

        Called with sudo on the user's commercial partner, after the route
        has taken the partner from the session: never from a parameter.
        """
        self.ensure_one()
        mailboxes = self.env["nolog.mailbox"].search(
            [("partner_id", "child_of", self.id)]
        )
        history = self.env["nolog.usage.history"].search_fetch(
            [("mailbox_id", "in", mailboxes.ids)],
            ["mailbox_id", "date", "usage_bytes", "message_count"],
            order="mailbox_id, date",
        )
        return {
            "partner": {
                name: self[name] or None
                for name in EXPORT_PARTNER_FIELDS
                if name in self._fields
            },
            "mailboxes": [
                {
                    **mailbox._widget_payload(),
                    "open_date": fields.Date.to_string(mailbox.open_date),
                    "usage_history": [
                        {
                            "date": fields.Date.to_string(row.date),
                            "usage_bytes": int(row.usage_bytes),
                            "message_count": row.message_count,
                        }
                        for row in history
                        if row.mailbox_id == mailbox
                    ],
                }
                for mailbox in mailboxes
            ],
        }

    def _globenet_keeps_invoices(self):
        """Whether accounting documents name the partner (kept by law)."""
        if "account.move" not in self.env:
            return False
        return bool(
            self.env["account.move"]
            .sudo()
            .search_count([("partner_id", "child_of", self.ids)], limit=1)
        )

    def action_globenet_erase_personal_data(self):
        """Erase the personal data of mailbox owners, at their request.

        The mailboxes stay (the service, known by its address alone) and lose
        their owner; the owner's contact details go; their portal logins are
        archived and renamed; Odoo's logs of their sessions go. When invoices
        name them, the name and postal address stay, as the law requires.
        """
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._("Only a no-log manager may erase personal data.")
            )
        for partner in self.sudo():
            family = partner.with_context(active_test=False).search(
                [("id", "child_of", partner.id)]
            )
            mailboxes = (
                self.env["nolog.mailbox"]
                .sudo()
                .search([("partner_id", "in", family.ids)])
            )
            mailboxes.with_context(tracking_disable=True).write({"partner_id": False})
            # the chatter of the mailboxes named their owner: that goes too
            self.env["mail.tracking.value"].sudo().search(
                [
                    ("field_id.model", "=", "nolog.mailbox"),
                    ("field_id.name", "=", "partner_id"),
                    ("mail_message_id.res_id", "in", mailboxes.ids),
                    ("mail_message_id.model", "=", "nolog.mailbox"),
                ]
            ).unlink()
            users = self.env["res.users"].with_context(active_test=False).sudo()
            users = users.search([("partner_id", "in", family.ids)])
            keep = partner._globenet_keeps_invoices()
            erased = self.env._("Erased member %(id)s", id=partner.id)
            vals = {name: False for name in ERASED_CONTACT_FIELDS}
            if not keep:
                vals.update({name: False for name in ERASED_ADDRESS_FIELDS})
                vals.update({"name": erased, "country_id": False})
            family.write(vals)
            for user in users:
                user.write({"login": f"erased-{user.id}", "active": False})
            if users:
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM res_device_log WHERE user_id IN %s",
                        tuple(users.ids),
                    )
                )
                self.env.cr.execute(
                    SQL(
                        "DELETE FROM res_users_log WHERE create_uid IN %s",
                        tuple(users.ids),
                    )
                )
            # the chatter's copies of the old values (tracking) go too
            self.env["mail.message"].sudo().search(
                [("model", "=", "res.partner"), ("res_id", "in", family.ids)]
            ).unlink()
        return True
