# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""no-log keeps no address, browser or place of its members.

Odoo records, for every session, a device log: the IP address, the browser,
the platform, and the country and city guessed from the address
(``res.device.log``), and a line per login (``res.users.log``). For portal
users (members, mailbox owners) these addons switch both off, and the
autovacuum deletes any that an earlier version kept.
"""

from odoo import api, models
from odoo.tools import SQL


class ResDeviceLog(models.Model):
    _inherit = "res.device.log"

    @api.model
    def _update_device(self, request):
        uid = request.session.uid
        if uid and self.env["res.users"].sudo().browse(uid).share:
            # no trace in the session file either: update_trace is not called
            return
        return super()._update_device(request)

    @api.autovacuum
    def _gc_portal_device_log(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM res_device_log d USING res_users u"
                " WHERE d.user_id = u.id AND u.share"
            )
        )


class ResUsersLog(models.Model):
    _inherit = "res.users.log"

    @api.autovacuum
    def _gc_portal_user_logs(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM res_users_log l USING res_users u"
                " WHERE l.create_uid = u.id AND u.share"
            )
        )
