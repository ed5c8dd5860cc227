# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Rate limit of the public signup form that keeps no IP address.

Each request stores only a salted hash of the client's address. The salt is
a random secret that the hourly purge replaces, and the purge deletes every
row older than an hour: after that, nothing links a request to a client.
"""

import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

SALT_PARAM = "globenet_nolog.signup_salt"
MAX_PER_HOUR = 5


class NologSignupThrottle(models.Model):
    _name = "nolog.signup.throttle"
    _description = "no-log signup rate limit (salted hashes, kept one hour)"
    _log_access = False

    key = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def _salt(self):
        params = self.env["ir.config_parameter"].sudo()
        salt = params.get_param(SALT_PARAM)
        if not salt:
            salt = secrets.token_hex(16)
            params.set_param(SALT_PARAM, salt)
        return salt

    @api.model
    def _client_key(self, client):
        return hashlib.sha256(f"{self._salt()}|{client}".encode()).hexdigest()

    @api.model
    def _hit(self, client, limit=MAX_PER_HOUR):
        """Count one request of ``client``; return False when it passes the
        hourly limit."""
        key = self._client_key(client or "")
        since = fields.Datetime.now() - timedelta(hours=1)
        count = self.sudo().search_count([("key", "=", key), ("date", ">=", since)])
        if count >= limit:
            return False
        self.sudo().create({"key": key})
        return True

    @api.model
    def _cron_purge(self):
        """Forget the requests older than an hour and change the salt."""
        since = fields.Datetime.now() - timedelta(hours=1)
        self.flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM nolog_signup_throttle WHERE date < %s", since)
        )
        self.env["ir.config_parameter"].sudo().set_param(
            SALT_PARAM, secrets.token_hex(16)
        )
        self.invalidate_model()
