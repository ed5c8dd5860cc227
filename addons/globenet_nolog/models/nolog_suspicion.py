# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Suspicious accounts: a score from readable, tunable rules, and a review list.

Nothing is suspended here: a person reads the reasons and records a decision.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .nolog_mailbox import AUTOMATIC_STATES

# The stem of an address: its local part without digits and separators, so
# that "colibri.00012" and "colibri-7" share the stem "colibri".
STEM_SQL = "regexp_replace(split_part(m.address, '@', 1), '[0-9._+-]+', '', 'g')"


class NologSuspicionRule(models.Model):
    _name = "nolog.suspicion.rule"
    _description = "no-log suspicious-account rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Selection(
        [
            ("burst", "Created in a burst"),
            ("never_used", "Never used"),
            ("list_like", "Tiny usage and list-like address"),
        ],
        required=True,
    )
    weight = fields.Integer(
        default=1, help="Points added to the score of a mailbox the rule matches."
    )
    window_minutes = fields.Integer(
        default=10,
        help="Burst: accounts with similar names created within this many "
        "minutes of each other.",
    )
    min_count = fields.Integer(
        default=5, help="Burst: how many such accounts make a burst."
    )
    days = fields.Integer(
        default=30, help="Never used: no message this many days after creation."
    )
    max_kb = fields.Integer(
        string="Max usage (KB)", default=64, help="List-like: usage at most this."
    )
    pattern = fields.Char(
        default="(^|[._-])(list|liste|news|info|abo|sub|inscri)|[0-9]{3,}$",
        help="List-like: a PostgreSQL regular expression matched against the "
        "local part of the address.",
    )

    def _matches(self):
        """{mailbox id: reason} of the mailboxes the rule matches, in SQL."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        stem = SQL(STEM_SQL)  # a constant expression of this module
        open_states = SQL("m.state IN %s", AUTOMATIC_STATES)
        if self.code == "burst":
            query = SQL(
                """
                SELECT id, n FROM (
                    SELECT m.id, count(*) OVER (
                           PARTITION BY %(stem)s ORDER BY m.create_date
                           RANGE BETWEEN %(window)s PRECEDING AND %(window)s FOLLOWING
                         ) AS n
                      FROM nolog_mailbox m
                     WHERE %(open)s
                ) b WHERE n >= %(min)s
                """,
                stem=stem,
                window=f"{int(self.window_minutes)} minutes",
                open=open_states,
                min=self.min_count,
            )
            reason = self.env._(
                "%(rule)s: %%s accounts with a similar name created within "
                "%(minutes)s minutes",
                rule=self.name,
                minutes=self.window_minutes,
            )
        elif self.code == "never_used":
            query = SQL(
                """
                SELECT m.id, m.open_date FROM nolog_mailbox m
                 WHERE %(open)s AND COALESCE(m.message_count, 0) = 0
                   AND m.open_date <= %(limit)s
                """,
                open=open_states,
                limit=fields.Date.subtract(today, days=self.days),
            )
            reason = self.env._(
                "%(rule)s: no message %(days)s days after its creation (on %%s)",
                rule=self.name,
                days=self.days,
            )
        else:
            query = SQL(
                """
                SELECT m.id, split_part(m.address, '@', 1) FROM nolog_mailbox m
                 WHERE %(open)s AND COALESCE(m.usage_bytes, 0) <= %(max)s
                   AND split_part(m.address, '@', 1) ~* %(pattern)s
                """,
                open=open_states,
                max=self.max_kb * 1024,
                pattern=self.pattern or "$^",
            )
            reason = self.env._(
                "%(rule)s: usage under %(kb)s KB and an address like a list "
                "subscriber (%%s)",
                rule=self.name,
                kb=self.max_kb,
            )
        self.env.cr.execute(query)
        return {
            mailbox_id: reason % (value,)
            for mailbox_id, value in self.env.cr.fetchall()
        }


class NologSuspicion(models.Model):
    _name = "nolog.suspicion"
    _description = "no-log suspicious account"
    _inherit = ["mail.thread"]
    _order = "state, score desc, id"
    _rec_name = "mailbox_id"

    mailbox_id = fields.Many2one(
        "nolog.mailbox", required=True, ondelete="cascade", index=True
    )
    address = fields.Char(related="mailbox_id.address")
    server_id = fields.Many2one(related="mailbox_id.server_id")
    open_date = fields.Date(related="mailbox_id.open_date")
    score = fields.Integer(readonly=True, aggregator="max")
    reasons = fields.Text(readonly=True)
    scored_date = fields.Datetime(readonly=True)
    state = fields.Selection(
        [
            ("to_review", "To review"),
            ("legitimate", "Legitimate"),
            ("abusive", "Abusive"),
        ],
        required=True,
        default="to_review",
        readonly=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decision_date = fields.Datetime(readonly=True)
    decision_note = fields.Text(tracking=True)

    _sql_constraints = [
        ("mailbox_uniq", "unique(mailbox_id)", "One review per mailbox."),
    ]

    @api.model
    def _score_mailboxes(self):
        """Score every open mailbox on the active rules and refresh the review
        list; decisions already taken are kept. Returns the rows to review."""
        self.env["nolog.mailbox"].flush_model()
        scores = {}
        reasons = {}
        for rule in self.env["nolog.suspicion.rule"].search([]):
            for mailbox_id, reason in rule._matches().items():
                scores[mailbox_id] = scores.get(mailbox_id, 0) + rule.weight
                reasons.setdefault(mailbox_id, []).append(reason)
        existing = {
            row.mailbox_id.id: row
            for row in self.search([("mailbox_id", "in", list(scores))])
        }
        now = fields.Datetime.now()
        to_create = []
        for mailbox_id, score in scores.items():
            if score <= 0:
                continue
            vals = {
                "score": score,
                "reasons": "\n".join(reasons[mailbox_id]),
                "scored_date": now,
            }
            row = existing.get(mailbox_id)
            if row:
                if (row.score, row.reasons) != (vals["score"], vals["reasons"]):
                    row.write(vals)
            else:
                to_create.append(dict(vals, mailbox_id=mailbox_id))
        created = self.create(to_create)
        # no longer matched and never decided: off the list
        stale = self.search(
            [("state", "=", "to_review"), ("mailbox_id", "not in", list(scores))]
        )
        stale.unlink()
        return created | self.search([("state", "=", "to_review")])

    @api.model
    def action_score(self):
        self.env["nolog.mailbox"]._check_operator()
        self.check_access("create")
        self._score_mailboxes()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_nolog.nolog_suspicion_action"
        )
        return action

    def _decide(self, state):
        self.env["nolog.mailbox"]._check_operator()
        self.check_access("write")
        if self.filtered(lambda row: row.state != "to_review"):
            raise UserError(self.env._("This account was already reviewed."))
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
            }
        )
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        for row in self:
            row.mailbox_id.message_post(
                body=self.env._(
                    "Suspicious-account review: %(decision)s, by %(user)s "
                    "(score %(score)s).",
                    decision=label,
                    user=self.env.user.name,
                    score=row.score,
                )
            )

    def action_mark_legitimate(self):
        self._decide("legitimate")

    def action_mark_abusive(self):
        self._decide("abusive")

    def action_reset(self):
        self.env["nolog.mailbox"]._check_operator()
        self.check_access("write")
        self.write(
            {"state": "to_review", "decided_by_id": False, "decision_date": False}
        )
