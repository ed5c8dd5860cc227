# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo import api, fields, models

from ..tools.units import MB


class NologPolicy(models.Model):
    _name = "nolog.policy"
    _description = "no-log quota policy"
    _inherit = ["mail.thread"]
    _check_company_auto = True
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    quota_mb = fields.Integer(
        string="Quota (MB)",
        required=True,
        default=100,
        tracking=True,
        help="Contractual quota in MB (1 MB = 1,048,576 bytes, as in Dovecot).",
    )
    quota_bytes = fields.Float(
        string="Quota (bytes)",
        digits=(20, 0),
        compute="_compute_quota_bytes",
        store=True,
    )
    level_ids = fields.One2many(
        "nolog.policy.level", "policy_id", string="Warning levels", copy=True
    )
    warning_interval_days = fields.Integer(
        string="Days between warnings",
        required=True,
        default=7,
        tracking=True,
        help="Minimum number of days between two warnings of the same level "
        "to the same mailbox.",
    )
    trash_retention_days = fields.Integer(
        string="Trash retention (days)",
        required=True,
        default=30,
        tracking=True,
        help="Messages older than this in Trash are purged by a purge request. "
        "0 disables the purge.",
    )
    allow_suspension = fields.Boolean(
        string="Suspension allowed",
        tracking=True,
        help="Whether an operator may suspend an over-quota mailbox. Suspension "
        "is always a human decision, never automatic.",
    )
    mailbox_count = fields.Integer(compute="_compute_mailbox_count")

    _sql_constraints = [
        ("quota_positive", "CHECK(quota_mb > 0)", "The quota must be positive."),
        (
            "interval_positive",
            "CHECK(warning_interval_days >= 1)",
            "There must be at least one day between two warnings.",
        ),
        (
            "retention_positive",
            "CHECK(trash_retention_days >= 0)",
            "The Trash retention cannot be negative.",
        ),
    ]

    @api.depends("quota_mb")
    def _compute_quota_bytes(self):
        for policy in self:
            policy.quota_bytes = policy.quota_mb * MB

    def _compute_mailbox_count(self):
        groups = self.env["nolog.mailbox"]._read_group(
            [("policy_id", "in", self.ids)],
            groupby=["policy_id"],
            aggregates=["__count"],
        )
        counts = {policy.id: count for policy, count in groups}
        for policy in self:
            policy.mailbox_count = counts.get(policy.id, 0)

    def _dovecot_quota_rule(self):
        """Quota rule in Dovecot's form, e.g. ``*:storage=100M``."""
        self.ensure_one()
        return f"*:storage={self.quota_mb}M"
