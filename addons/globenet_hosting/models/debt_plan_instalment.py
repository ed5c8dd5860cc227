# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class DebtPlanInstalment(models.Model):
    _name = "debt.plan.instalment"
    _description = "Debt Repayment Instalment"
    _order = "plan_id, due_date, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        comodel_name="debt.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(string="No.", required=True, default=1)
    due_date = fields.Date(required=True, index=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_amount_paid",
        store=True,
        help="Share of the payments reconciled with the plan's journal items, "
        "allocated to the instalments in due-date order.",
    )
    amount_residual = fields.Monetary(
        string="Left to Pay",
        compute="_compute_amount_paid",
        store=True,
    )
    state = fields.Selection(
        selection=[
            ("to_pay", "To Pay"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
            ("late", "Late"),
            ("replaced", "Replaced"),
        ],
        compute="_compute_state",
        search="_search_state",
    )
    schedule_version = fields.Integer(
        string="Schedule",
        default=1,
        readonly=True,
        help="1 for the original schedule, 2 after the first renegotiation...",
    )
    is_replaced = fields.Boolean(string="Replaced", readonly=True, index=True)
    replaced_date = fields.Date(
        string="Renegotiated On",
        readonly=True,
        help="Date of the renegotiation that replaced this instalment.",
    )
    replaced_amount_paid = fields.Monetary(
        readonly=True,
        help="What this instalment had received when it was replaced.",
    )
    reminder_date = fields.Date(
        compute="_compute_reminder_date",
        store=True,
        index=True,
    )
    due_reminded = fields.Boolean(readonly=True, copy=False)
    late_reminded = fields.Boolean(readonly=True, copy=False)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    direction = fields.Selection(related="plan_id.direction", store=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    plan_state = fields.Selection(
        related="plan_id.state", string="Plan Status", store=True
    )

    _sql_constraints = (
        (
            "amount_positive",
            "CHECK(amount > 0)",
            "An instalment amount must be positive.",
        ),
    )

    @api.depends(
        "amount",
        "due_date",
        "sequence",
        "is_replaced",
        "replaced_amount_paid",
        "plan_id.amount_paid",
        "plan_id.instalment_ids.amount",
        "plan_id.instalment_ids.due_date",
        "plan_id.instalment_ids.is_replaced",
        "plan_id.instalment_ids.replaced_amount_paid",
    )
    def _compute_amount_paid(self):
        allocation = {}
        for plan in self.plan_id:
            allocation.update(plan.instalment_ids._allocate(plan.amount_paid))
        for inst in self:
            paid = allocation.get(inst.id, 0.0)
            inst.amount_paid = paid
            inst.amount_residual = 0.0 if inst.is_replaced else inst.amount - paid

    def _allocate(self, paid):
        """Split ``paid`` over these instalments of one plan, oldest due date
        first. Replaced instalments keep what they had when replaced."""
        result = {}
        replaced = self.filtered("is_replaced")
        for inst in replaced:
            result[inst.id] = inst.replaced_amount_paid
        available = paid - sum(replaced.mapped("replaced_amount_paid"))
        for inst in (self - replaced).sorted(lambda i: (i.due_date, i.sequence)):
            share = inst.currency_id.round(max(min(inst.amount, available), 0.0))
            result[inst.id] = share
            available -= share
        return result

    @api.depends("amount_paid", "amount_residual", "due_date", "is_replaced")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for inst in self:
            currency = inst.currency_id
            if inst.is_replaced:
                inst.state = "replaced"
            elif currency.compare_amounts(inst.amount_residual, 0) <= 0:
                inst.state = "paid"
            elif inst.due_date and inst.due_date < today:
                inst.state = "late"
            elif currency.compare_amounts(inst.amount_paid, 0) > 0:
                inst.state = "partial"
            else:
                inst.state = "to_pay"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on instalment status."))
        values = [value] if isinstance(value, str) else list(value)
        today = fields.Date.context_today(self)
        current = [("is_replaced", "=", False)]
        unpaid = [*current, ("amount_residual", ">", 0)]
        domains = {
            "replaced": [("is_replaced", "=", True)],
            "paid": [*current, ("amount_residual", "<=", 0)],
            "late": [*unpaid, ("due_date", "<", today)],
            "partial": [*unpaid, ("due_date", ">=", today), ("amount_paid", ">", 0)],
            "to_pay": [*unpaid, ("due_date", ">=", today), ("amount_paid", "<=", 0)],
        }
        domain = expression.OR([domains[v] for v in values if v in domains] or [[]])
        if operator in ("!=", "not in"):
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.depends("due_date", "plan_id.reminder_days")
    def _compute_reminder_date(self):
        for inst in self:
            inst.reminder_date = inst.due_date and inst.due_date - relativedelta(
                days=inst.plan_id.reminder_days
            )

    @api.depends("plan_id.name", "sequence")
    def _compute_display_name(self):
        for inst in self:
            inst.display_name = self.env._(
                "%(plan)s, instalment %(number)s",
                plan=inst.plan_id.name,
                number=inst.sequence,
            )

    @api.model
    def _reminder_domain(self, today, reason):
        domain = [
            ("plan_state", "=", "confirmed"),
            ("is_replaced", "=", False),
            ("amount_residual", ">", 0),
        ]
        if reason == "late":
            return [*domain, ("late_reminded", "=", False), ("due_date", "<", today)]
        return [
            *domain,
            ("due_reminded", "=", False),
            ("reminder_date", "<=", today),
            ("due_date", ">=", today),
        ]

    def _raise_activity(self, reason):
        """One to-do activity on the plan per instalment and reason."""
        today = fields.Date.context_today(self)
        for inst in self:
            plan = inst.plan_id
            summary = (
                self.env._("Late instalment %s", inst.sequence)
                if reason == "late"
                else self.env._("Instalment %s due soon", inst.sequence)
            )
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today if reason == "late" else inst.due_date,
                summary=summary,
                note=plan._get_reminder_note(inst, reason),
                user_id=plan.user_id.id,
            )
        vals = {"due_reminded": True}
        if reason == "late":
            vals["late_reminded"] = True
        self.write(vals)
