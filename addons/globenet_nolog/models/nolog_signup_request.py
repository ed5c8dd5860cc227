# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.usage_parser import is_valid_address, normalize_address

RESERVED_NAMES = frozenset(
    {
        "abuse",
        "admin",
        "administrateur",
        "administrator",
        "hostmaster",
        "info",
        "mailer-daemon",
        "noc",
        "no-reply",
        "noreply",
        "postmaster",
        "root",
        "security",
        "support",
        "webmaster",
        "www",
    }
)
LOCAL_PART_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")
SIGNUP_DOMAIN = "no-log.org"


class NologSignupRequest(models.Model):
    _name = "nolog.signup.request"
    _description = "no-log mailbox request"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "create_date desc, id desc"
    _rec_name = "address"

    address = fields.Char(string="Requested address", required=True, readonly=True)
    contact_email = fields.Char(
        required=True,
        readonly=True,
        help="Where the requester is told the decision.",
    )
    message = fields.Text(string="Requester's message", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("pending", "To review"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
    )
    decision_reason = fields.Text(
        string="Reason", tracking=True, help="Why the request was rejected."
    )
    reviewer_id = fields.Many2one("res.users", readonly=True)
    review_date = fields.Datetime(readonly=True)
    mailbox_id = fields.Many2one(
        "nolog.mailbox", readonly=True, check_company=True, ondelete="set null"
    )

    @api.model
    def _check_local_part(self, local_part):
        """Return the translated error of a requested name, or None."""
        name = (local_part or "").strip().lower()
        if not LOCAL_PART_RE.match(name) or ".." in name:
            return self.env._(
                "The name may hold letters, digits, dots, dashes and underscores, "
                "and must start and end with a letter or digit."
            )
        if name in RESERVED_NAMES or name.split(".")[0] in RESERVED_NAMES:
            return self.env._("This name is reserved. Please choose another.")
        return None

    @api.model
    def _submit(self, local_part, contact_email, message=None):
        """Record a request from the public page; return an error or None.

        An address that already exists or is already requested is silently
        not recorded: the page answers the same, so it reveals nothing."""
        error = self._check_local_part(local_part)
        if error:
            return error
        contact = normalize_address(contact_email)
        if not is_valid_address(contact):
            return self.env._("Please give a valid contact email address.")
        address = f"{local_part.strip().lower()}@{SIGNUP_DOMAIN}"
        taken = self.env["nolog.mailbox"].sudo().search_count(
            [("address", "=", address)], limit=1
        ) or self.sudo().search_count(
            [("address", "=", address), ("state", "=", "pending")], limit=1
        )
        if not taken:
            self.sudo().create(
                {
                    "address": address,
                    "contact_email": contact,
                    "message": (message or "")[:2000] or False,
                }
            )
        return None

    def _check_reviewable(self):
        self.env["nolog.mailbox"]._check_operator()
        self.check_access("write")
        if any(request.state != "pending" for request in self):
            raise UserError(self.env._("Only requests to review can be decided."))

    def action_approve(self):
        """Create each mailbox with its server's default policy, on a server
        whose signups are open and that has room, invite it to the portal
        (login: the address) and tell the requester, with the link to choose
        the portal password."""
        self._check_reviewable()
        template = self.env.ref("globenet_nolog.mail_template_nolog_signup_approved")
        for request in self:
            server = request._pick_server()
            if not server:
                raise UserError(
                    self.env._(
                        "No server has room for new accounts: open signups on "
                        "a server or add one."
                    )
                )
            if self.env["nolog.mailbox"].search_count(
                [("address", "=", request.address)]
            ):
                raise UserError(
                    self.env._("The address %s already exists.", request.address)
                )
            mailbox = self.env["nolog.mailbox"].create(
                {
                    "address": request.address,
                    "server_id": server.id,
                    "policy_id": server.policy_id.id,
                }
            )
            request.write(
                {
                    "state": "approved",
                    "mailbox_id": mailbox.id,
                    "reviewer_id": self.env.uid,
                    "review_date": fields.Datetime.now(),
                }
            )
            mailbox._portal_invite(send=False)
            template.with_context(
                nolog_portal_url=mailbox._portal_signup_urls()[mailbox.id]
            ).send_mail(request.id)

    def action_reject(self):
        self._check_reviewable()
        if any(not request.decision_reason for request in self):
            raise UserError(self.env._("Write the reason of the rejection first."))
        template = self.env.ref("globenet_nolog.mail_template_nolog_signup_rejected")
        self.write(
            {
                "state": "rejected",
                "reviewer_id": self.env.uid,
                "review_date": fields.Datetime.now(),
            }
        )
        for request in self:
            template.send_mail(request.id)

    def _pick_server(self):
        """The open mailbox server with the most free space and room left."""
        self.ensure_one()
        servers = self.env["nolog.server"].search(
            [
                ("role", "=", "mailstore"),
                ("signup_open", "=", True),
                ("policy_id", "!=", False),
                ("company_id", "=", self.company_id.id),
            ],
            order="free_bytes desc",
        )
        return servers.filtered(lambda server: server._has_room())[:1]

    @api.model
    def _signups_open(self, company=None):
        """True while the service and at least one server with room take
        signups."""
        company = company or self.env.company
        if not company.sudo().nolog_signup_open:
            return False
        servers = (
            self.env["nolog.server"]
            .sudo()
            .search(
                [
                    ("role", "=", "mailstore"),
                    ("signup_open", "=", True),
                    ("policy_id", "!=", False),
                    ("company_id", "=", company.id),
                ]
            )
        )
        return any(server._has_room() for server in servers)
