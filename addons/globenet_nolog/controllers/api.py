# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Machine-to-machine endpoints for the mail servers.

Every call carries the server's key: ``Authorization: Bearer <key>``. The key
is checked first, with plain SQL and a constant-time comparison; only then
does the code read or write anything with elevated rights.
"""

import collections
import functools
import json
import threading
import time

from odoo import http
from odoo.http import request

from ..models.nolog_mailbox_portal import WIDGET_TOKEN_SECONDS

DEFAULT_MAX_REPORT_BYTES = 64 * 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TRUE_VALUES = ("1", "true", "yes", "on")
DEFAULT_RATE_LIMIT = 120  # calls per server and per minute
RATE_WINDOW = 60.0

# Recent call times per (database, server), in this process's memory only:
# nothing about the callers is written anywhere. With several workers each
# counts its own calls, so a server gets at most the limit times the workers.
_calls = collections.defaultdict(collections.deque)
_calls_lock = threading.Lock()


def _rate_limited(bucket, limit):
    """Record a call in ``bucket``; True when it is over ``limit`` a minute."""
    now = time.monotonic()
    with _calls_lock:
        calls = _calls[bucket]
        while calls and calls[0] <= now - RATE_WINDOW:
            calls.popleft()
        if len(calls) >= limit:
            return True
        calls.append(now)
        return False


def _json_error(status, code, message, **extra):
    return request.make_json_response(
        {"ok": False, "error": code, "message": message, **extra}, status=status
    )


def _flag(params, name):
    return str(params.get(name, "")).strip().lower() in TRUE_VALUES


def server_key_required(func):
    """Authenticate the calling mail server by its key before anything else.

    The wrapped route receives the server as its first argument. These routes
    are the only ones with ``csrf=False``: their client is a mail server with
    no session and no CSRF token, and the key check stands in its place.
    """

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        server = self._nolog_authenticate()
        if not server:
            return self._nolog_unauthorized()
        if _rate_limited((request.db, server.id), self._nolog_rate_limit()):
            return _json_error(
                429,
                "rate_limited",
                request.env._("Too many calls: wait a minute."),
            )
        return func(self, server, *args, **kwargs)

    return wrapper


class NologApi(http.Controller):
    def _nolog_authenticate(self):
        """Return the server authenticated by the request's key, or None."""
        headers = request.httprequest.headers
        key = headers.get("Authorization", "")
        if key.lower().startswith("bearer "):
            key = key[7:].strip()
        else:
            key = headers.get("X-Nolog-Key", "").strip()
        server_id = request.env["nolog.server"]._authenticate_key(key)
        if not server_id:
            return None
        server = request.env["nolog.server"].sudo().browse(server_id)
        return server.with_company(server.company_id)

    def _nolog_unauthorized(self):
        return _json_error(
            401, "unauthorized", request.env._("Missing or wrong mail server key.")
        )

    def _nolog_rate_limit(self):
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("globenet_nolog.api_rate_limit", DEFAULT_RATE_LIMIT)
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_RATE_LIMIT

    def _nolog_max_bytes(self):
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param("globenet_nolog.max_report_bytes", DEFAULT_MAX_REPORT_BYTES)
        )
        try:
            return int(value)
        except ValueError:
            return DEFAULT_MAX_REPORT_BYTES

    def _nolog_read_body(self, max_bytes):
        """Read the body up to ``max_bytes``; None when it is larger.

        The announced length is checked before anything is read; werkzeug also
        caps any body at Odoo's own maximum content length.
        """
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is not None and length > max_bytes:
            return None
        body = httprequest.get_data()
        if len(body) > max_bytes:
            return None
        return body

    @http.route(
        "/nolog/api/v1/usage",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    @server_key_required
    def nolog_usage(self, server, **params):
        if request.httprequest.mimetype in FORM_TYPES:
            return _json_error(
                415,
                "unsupported_media_type",
                request.env._(
                    "Send the report as the raw body, with Content-Type: text/plain."
                ),
            )
        max_bytes = self._nolog_max_bytes()
        body = self._nolog_read_body(max_bytes)
        if body is None:
            return _json_error(
                413,
                "too_large",
                request.env._("The report exceeds %(size)s bytes.", size=max_bytes),
                max_bytes=max_bytes,
            )
        file_format = params.get("format") or "auto"
        formats = ("auto", "doveadm_tab", "doveadm_json", "du", "csv")
        if file_format not in formats:
            return _json_error(
                400,
                "bad_format",
                request.env._(
                    "Unknown format. Use one of: %(formats)s",
                    formats=", ".join(formats),
                ),
            )
        ingestion = (
            request.env["nolog.ingestion"]
            .sudo()
            .with_company(server.company_id)
            ._ingest(
                server,
                body,
                file_format=file_format,
                create_unknown=_flag(params, "create_unknown"),
                apply_valid_only=_flag(params, "apply_valid_only"),
                source="api",
            )
        )
        summary = ingestion._summary()
        if ingestion.state == "rejected":
            return request.make_json_response(
                {
                    "ok": False,
                    "error": "rejected",
                    "message": request.env._(
                        "The report was rejected: nothing was applied. Fix the "
                        "lines listed, or send it again with apply_valid_only=1."
                    ),
                    **summary,
                },
                status=422,
            )
        return request.make_json_response({"ok": True, **summary})

    @http.route(
        "/nolog/api/v1/feed",
        type="http",
        auth="public",
        methods=["GET"],
        save_session=False,
    )
    @server_key_required
    def nolog_feed(self, server, **params):
        return _feed_response(server, params.get("format") or "json")

    @http.route(
        "/nolog/api/v1/purge",
        type="http",
        auth="public",
        methods=["GET"],
        save_session=False,
    )
    @server_key_required
    def nolog_purge_list(self, server, **params):
        requests = (
            request.env["nolog.purge.request"]
            .sudo()
            .search([("server_id", "=", server.id), ("state", "=", "requested")])
        )
        return request.make_json_response(
            {"ok": True, "requests": [purge._payload() for purge in requests]}
        )

    @http.route(
        "/nolog/api/v1/purge/<int:request_id>/done",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    @server_key_required
    def nolog_purge_done(self, server, request_id, **params):
        body = self._nolog_read_body(64 * 1024)
        if body is None:
            return _json_error(
                413, "too_large", request.env._("The body is too large.")
            )
        freed = None
        if body.strip():
            try:
                data = json.loads(body)
                freed = data.get("freed_bytes") if isinstance(data, dict) else None
                if freed is not None:
                    freed = int(freed)
                    if freed < 0:
                        raise ValueError(freed)
            except (ValueError, TypeError):
                return _json_error(
                    400,
                    "bad_request",
                    request.env._(
                        'Expected a JSON object such as {"freed_bytes": 123}.'
                    ),
                )
        purge = (
            request.env["nolog.purge.request"]
            .sudo()
            .search(
                [
                    ("id", "=", request_id),
                    ("server_id", "=", server.id),
                    ("state", "=", "requested"),
                ]
            )
        )
        if not purge:
            return _json_error(
                404,
                "not_found",
                request.env._("No pending purge request with this id."),
            )
        purge.action_mark_done(freed_bytes=freed)
        purge.message_post(
            body=request.env._("The mail server reported the purge done.")
        )
        return request.make_json_response({"ok": True, "id": purge.id})

    @http.route(
        "/nolog/api/v1/widget-token",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    @server_key_required
    def nolog_widget_token(self, server, address=None, **params):
        """A short-lived token for the usage widget of one of the server's
        mailboxes: the webmail hands it to the user's browser, or reads
        /nolog/widget/usage with it itself."""
        mailbox = (
            request.env["nolog.mailbox"]
            .sudo()
            .search(
                [
                    ("address", "=", (address or "").strip().lower()),
                    ("server_id", "=", server.id),
                ],
                limit=1,
            )
        )
        if not address or not mailbox:
            return _json_error(
                404,
                "not_found",
                request.env._("No mailbox with this address on this server."),
            )
        token = mailbox._widget_token()
        return request.make_json_response(
            {"ok": True, "token": token, "expires_in": WIDGET_TOKEN_SECONDS},
            headers=[("Cache-Control", "no-store")],
        )


def _feed_response(server, file_format):
    """Quota limits and states of the server's mailboxes."""
    mailboxes = (
        request.env["nolog.mailbox"]
        .sudo()
        .search_fetch(
            [("server_id", "=", server.id)],
            ["address", "state", "policy_id", "closure_date"],
        )
    )
    entries = [mailbox._feed_entry() for mailbox in mailboxes]
    if file_format == "dovecot":
        text = "".join(
            f"{entry['address']}\tuserdb_quota_rule={entry['quota_rule']}"
            f"\tstate={entry['state']}"
            + (f"\tdelete_from={entry['delete_from']}" if entry["delete_from"] else "")
            + "\n"
            for entry in entries
        )
        return request.make_response(
            text, headers=[("Content-Type", "text/plain; charset=utf-8")]
        )
    if file_format != "json":
        return _json_error(
            400, "bad_format", request.env._("Unknown format. Use json or dovecot.")
        )
    return request.make_json_response(
        {"ok": True, "server": server.hostname, "mailboxes": entries}
    )
