# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import http
from odoo.http import content_disposition, request

from .api import _feed_response


class NologDownload(http.Controller):
    """Downloads for logged-in operators."""

    @http.route("/nolog/feed/<int:server_id>/download", type="http", auth="user")
    def nolog_feed_download(self, server_id, **params):
        if not request.env.user.has_group(
            "globenet_nolog.group_globenet_nolog_operator"
        ):
            raise request.not_found()
        server = request.env["nolog.server"].browse(server_id).exists()
        if not server:
            raise request.not_found()
        server.check_access("read")
        response = _feed_response(server, params.get("format") or "dovecot")
        response.headers["Content-Disposition"] = content_disposition(
            f"nolog-quota-{server.hostname}.txt"
        )
        return response

    @http.route("/nolog/purge/<int:request_id>/commands", type="http", auth="user")
    def nolog_purge_commands(self, request_id, **params):
        if not request.env.user.has_group(
            "globenet_nolog.group_globenet_nolog_operator"
        ):
            raise request.not_found()
        purge = request.env["nolog.purge.request"].browse(request_id).exists()
        if not purge:
            raise request.not_found()
        purge.check_access("read")
        return request.make_response(
            purge._commands(),
            headers=[
                ("Content-Type", "text/plain; charset=utf-8"),
                (
                    "Content-Disposition",
                    content_disposition(f"nolog-purge-{purge.id}.sh"),
                ),
            ],
        )
