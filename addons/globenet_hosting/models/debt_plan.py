# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import date_utils, format_date, formatLang

# Frequency -> relativedelta keyword arguments of one step.
FREQUENCY_STEPS = {
    "weekly": {"weeks": 1},
    "monthly": {"months": 1},
    "quarterly": {"months": 3},
    "semiannual": {"months": 6},
    "yearly": {"years": 1},
}
# A schedule longer than this is most likely a typo in the instalment amount.
MAX_INSTALMENTS = 600
SCHEDULE_MODES = [
    ("amount", "Instalment amount"),
    ("count", "Number of instalments"),
]
ACCOUNT_TYPES = {"payable": "liability_payable", "receivable": "asset_receivable"}


class DebtPlan(models.Model):
    """A repayment schedule over debts that stay in accounting as they are.

    The journal items it settles (unpaid bills or invoices) remain the legal
    debt; payments are reconciled with them as usual. The plan reads how much
    of them has been reconciled since its confirmation and allocates that to
    its instalments, oldest due date first.
    """

    _name = "debt.plan"
    _description = "Debt Repayment Plan"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "state_sequence, next_due_date, name desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    direction = fields.Selection(
        selection=[
            ("payable", "Globenet owes (payable)"),
            ("receivable", "A member owes (receivable)"),
        ],
        required=True,
        default="payable",
        tracking=True,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Counterpart",
        required=True,
        tracking=True,
        check_company=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Treasurer",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives a to-do activity for every instalment due soon or late.",
    )
    settled_line_ids = fields.Many2many(
        comodel_name="account.move.line",
        relation="debt_plan_account_move_line_rel",
        column1="plan_id",
        column2="line_id",
        string="Settled Journal Items",
        check_company=True,
        copy=False,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id),"
        " ('account_type', '=', account_type), ('parent_state', '=', 'posted'),"
        " ('reconciled', '=', False)]",
        help="Unpaid bills or invoices (their payable or receivable items) that "
        "this plan repays. Payments reconciled with them after the plan's "
        "confirmation pay its instalments.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
    )
    account_type = fields.Char(compute="_compute_account_type")
    amount_total = fields.Monetary(
        string="Total Owed",
        compute="_compute_amount_total",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Defaults to the open amount of the settled journal items.",
    )
    schedule_mode = fields.Selection(
        selection=SCHEDULE_MODES,
        string="Schedule By",
        required=True,
        default="amount",
        tracking=True,
    )
    instalment_amount = fields.Monetary(
        tracking=True,
        help="Amount of each instalment; the last one takes the remainder.",
    )
    instalment_count = fields.Integer(
        string="Number of Instalments",
        tracking=True,
    )
    frequency = fields.Selection(
        selection=[
            ("weekly", "Weekly"),
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("semiannual", "Every six months"),
            ("yearly", "Yearly"),
        ],
        required=True,
        default="monthly",
        tracking=True,
    )
    first_due_date = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self),
        tracking=True,
    )
    reminder_days = fields.Integer(
        string="Remind Days Before",
        default=7,
        help="A to-do activity is raised this many days before each due date.",
    )
    legal_reference = fields.Char(
        tracking=True,
        help="Court case number, judgment or agreement reference.",
    )
    agreement_date = fields.Date(tracking=True)
    note = fields.Html()
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("done", "Repaid"),
            ("cancelled", "Cancelled"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="Repaid as soon as the reconciled payments cover the total owed.",
    )
    state_sequence = fields.Integer(compute="_compute_state", store=True)
    confirmation_date = fields.Date(readonly=True, copy=False, tracking=True)
    cancel_date = fields.Date(readonly=True, copy=False, tracking=True)
    residual_at_confirmation = fields.Monetary(
        readonly=True,
        copy=False,
        help="Open amount of the settled journal items when the plan was "
        "confirmed; what has been reconciled since then is paid.",
    )
    instalment_ids = fields.One2many(
        comodel_name="debt.plan.instalment",
        inverse_name="plan_id",
        string="Instalments",
        readonly=True,
        copy=False,
    )
    renegotiation_count = fields.Integer(readonly=True, copy=False)
    last_renegotiation_date = fields.Date(readonly=True, copy=False)
    amount_paid = fields.Monetary(
        string="Paid to Date",
        compute="_compute_amount_paid",
        store=True,
    )
    amount_residual = fields.Monetary(
        string="Remaining Balance",
        compute="_compute_amount_paid",
        store=True,
    )
    next_due_date = fields.Date(compute="_compute_next_due", store=True)
    next_due_amount = fields.Monetary(compute="_compute_next_due", store=True)
    has_late = fields.Boolean(
        string="Late",
        compute="_compute_late",
        search="_search_has_late",
    )
    amount_late = fields.Monetary(compute="_compute_late")
    payoff_date = fields.Date(
        string="Expected Payoff",
        compute="_compute_payoff_date",
        help="Due date of the last instalment or, when the plan is late, the "
        "date the remaining balance is covered at the pace paid so far.",
    )

    _sql_constraints = (
        (
            "amount_total_positive",
            "CHECK(amount_total > 0)",
            "The total owed must be positive.",
        ),
        (
            "instalment_amount_positive",
            "CHECK(schedule_mode != 'amount' OR instalment_amount > 0)",
            "The instalment amount must be positive.",
        ),
        (
            "instalment_count_positive",
            "CHECK(schedule_mode != 'count' OR instalment_count > 0)",
            "The number of instalments must be at least 1.",
        ),
        (
            "reminder_days_positive",
            "CHECK(reminder_days >= 0)",
            "The reminder delay cannot be negative.",
        ),
    )

    @api.depends("direction")
    def _compute_account_type(self):
        for plan in self:
            plan.account_type = ACCOUNT_TYPES[plan.direction or "payable"]

    @api.depends("settled_line_ids")
    def _compute_amount_total(self):
        for plan in self:
            if not plan.confirmation_date and plan.settled_line_ids:
                plan.amount_total = plan._settled_residual()
            else:
                plan.amount_total = plan.amount_total

    @api.depends("confirmation_date", "cancel_date", "amount_residual")
    def _compute_state(self):
        sequences = {"confirmed": 1, "draft": 2, "done": 3, "cancelled": 4}
        for plan in self:
            if plan.cancel_date:
                state = "cancelled"
            elif not plan.confirmation_date:
                state = "draft"
            elif plan.currency_id.compare_amounts(plan.amount_residual, 0) <= 0:
                state = "done"
            else:
                state = "confirmed"
            plan.state = state
            plan.state_sequence = sequences[state]

    @api.depends(
        "amount_total",
        "confirmation_date",
        "residual_at_confirmation",
        "settled_line_ids",
    )
    def _compute_amount_paid(self):
        # Reconciliations trigger this through _settled_lines_reconciled rather
        # than a "settled_line_ids.amount_residual" dependency: that one would
        # cost a query on every change of any journal item's residual.
        for plan in self:
            paid = 0.0
            if plan.confirmation_date and plan.settled_line_ids:
                paid = plan.residual_at_confirmation - plan._settled_residual()
                paid = plan.currency_id.round(min(max(paid, 0.0), plan.amount_total))
            plan.amount_paid = paid
            plan.amount_residual = plan.amount_total - paid

    @api.depends(
        "instalment_ids.amount_residual",
        "instalment_ids.due_date",
        "instalment_ids.is_replaced",
    )
    def _compute_next_due(self):
        for plan in self:
            nxt = plan._open_instalments()[:1]
            plan.next_due_date = nxt.due_date
            plan.next_due_amount = nxt.amount_residual

    def _compute_late(self):
        today = fields.Date.context_today(self)
        for plan in self:
            late = plan._open_instalments().filtered(lambda i: i.due_date < today)
            plan.has_late = bool(late) and plan.state == "confirmed"
            plan.amount_late = sum(late.mapped("amount_residual"))

    def _search_has_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late plans."))
        today = fields.Date.context_today(self)
        domain = [
            ("state", "=", "confirmed"),
            (
                "instalment_ids",
                "any",
                [
                    ("is_replaced", "=", False),
                    ("amount_residual", ">", 0),
                    ("due_date", "<", today),
                ],
            ),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _compute_payoff_date(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.payoff_date = plan._expected_payoff_date(today)

    @api.constrains("settled_line_ids", "partner_id", "direction")
    def _check_settled_lines(self):
        for plan in self:
            partner = plan.partner_id.commercial_partner_id
            for line in plan.settled_line_ids:
                if line.account_type != ACCOUNT_TYPES[plan.direction]:
                    raise ValidationError(
                        self.env._(
                            "Journal item %(line)s is not a %(direction)s item.",
                            line=line.display_name,
                            direction=plan._fields["direction"]
                            .convert_to_export(plan.direction, plan)
                            .lower(),
                        )
                    )
                if line.partner_id.commercial_partner_id != partner:
                    raise ValidationError(
                        self.env._(
                            "Journal item %(line)s belongs to another partner.",
                            line=line.display_name,
                        )
                    )
            others = self.search(
                [
                    ("id", "!=", plan.id),
                    ("state", "!=", "cancelled"),
                    ("settled_line_ids", "in", plan.settled_line_ids.ids),
                ],
                limit=1,
            )
            if others and plan.state != "cancelled":
                raise ValidationError(
                    self.env._(
                        "A journal item of %(plan)s is already settled by %(other)s.",
                        plan=plan.name,
                        other=others.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "debt.plan"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"settled_line_ids", "amount_total", "currency_id", "company_id"}
        if frozen & set(vals) and self.filtered("confirmation_date"):
            raise UserError(
                self.env._(
                    "The debt and its journal items cannot change once the plan "
                    "is confirmed. Cancel it and create a new plan instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered("confirmation_date"):
            raise UserError(
                self.env._(
                    "A confirmed plan is kept: cancel it instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("Only draft plans can be confirmed (%s).", plan.name)
                )
            if not plan.settled_line_ids:
                raise UserError(
                    self.env._(
                        "Select the unpaid bills or invoices that %(plan)s repays "
                        "(Settled Journal Items) before confirming it: its "
                        "instalments are paid by the payments reconciled with them.",
                        plan=plan.name,
                    )
                )
            if (
                plan.settled_line_ids
                and plan.currency_id.compare_amounts(
                    plan.amount_total, plan._settled_residual()
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "The total owed by %(plan)s (%(total)s) is more than the open "
                        "amount of its journal items (%(open)s).",
                        plan=plan.name,
                        total=formatLang(
                            self.env, plan.amount_total, currency_obj=plan.currency_id
                        ),
                        open=formatLang(
                            self.env,
                            plan._settled_residual(),
                            currency_obj=plan.currency_id,
                        ),
                    )
                )
        for plan in self:
            vals_list = plan._prepare_schedule(
                plan.amount_total,
                plan.first_due_date,
                plan.schedule_mode,
                plan.instalment_amount,
                plan.instalment_count,
            )
            plan.write(
                {
                    "confirmation_date": fields.Date.context_today(plan),
                    "residual_at_confirmation": plan._settled_residual(),
                    "instalment_ids": [Command.create(vals) for vals in vals_list],
                }
            )
        return True

    def action_cancel(self):
        if self.filtered(lambda p: p.state not in ("draft", "confirmed")):
            raise UserError(self.env._("Only draft or running plans can be cancelled."))
        self.write({"cancel_date": fields.Date.context_today(self)})
        self._clear_closed_activities()
        return True

    def action_renegotiate(self):
        self.ensure_one()
        if self.state != "confirmed":
            raise UserError(self.env._("Only running plans can be renegotiated."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renegotiate %s", self.name),
            "res_model": "debt.plan.renegotiate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_view_settled_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Settled Journal Items"),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [("id", "in", self.settled_line_ids.ids)],
            "context": {"create": False},
        }

    @api.model
    def _settled_lines_reconciled(self, lines):
        """Recompute what is paid on the plans settling ``lines``, after a
        reconciliation was made or undone on them."""
        if not lines:
            return
        plans = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("settled_line_ids", "in", lines.ids),
                    ("confirmation_date", "!=", False),
                ]
            )
        )
        # Marks amount_paid and everything depending on it (instalments,
        # state, next due date) for recomputation.
        plans.modified(["residual_at_confirmation"])
        plans._clear_closed_activities()

    def _clear_closed_activities(self):
        """A repaid or cancelled plan has nothing left to remind: remove its
        activities (the instalment reminders and any other to-do)."""
        closed = self.filtered(lambda plan: plan.state in ("done", "cancelled"))
        if closed:
            self.env["mail.activity"].sudo().search(
                [("res_model", "=", self._name), ("res_id", "in", closed.ids)]
            ).unlink()

    # ------------------------------------------------------------------
    # Schedule
    # ------------------------------------------------------------------
    def _settled_residual(self):
        """Open amount of the settled journal items, in the plan's currency."""
        self.ensure_one()
        total = 0.0
        for line in self.settled_line_ids:
            if line.currency_id == self.currency_id:
                total += abs(line.amount_residual_currency)
            else:
                total += line.company_currency_id._convert(
                    abs(line.amount_residual),
                    self.currency_id,
                    self.company_id,
                    line.date,
                )
        return self.currency_id.round(total)

    def _open_instalments(self):
        """Current instalments not fully paid, oldest due date first."""
        return self.instalment_ids.filtered(
            lambda i: (
                not i.is_replaced
                and i.currency_id.compare_amounts(i.amount_residual, 0) > 0
            )
        ).sorted(lambda i: (i.due_date, i.sequence))

    def _due_date(self, first_due_date, index):
        """Due date of instalment ``index`` (0-based), anchored on the first
        date so that the 31st gives 28 February then 31 March."""
        step = FREQUENCY_STEPS[self.frequency]
        return first_due_date + relativedelta(**{k: v * index for k, v in step.items()})

    def _prepare_schedule(self, total, first_due_date, mode, amount, count, start=1):
        """Values of the instalments repaying ``total``. The last instalment
        takes the remainder, so that their sum is exact to the cent."""
        self.ensure_one()
        currency = self.currency_id
        total = currency.round(total)
        if mode == "amount":
            if currency.compare_amounts(amount, 0) <= 0:
                raise UserError(self.env._("The instalment amount must be positive."))
            amount = currency.round(min(amount, total))
            count = math.ceil(currency.round(total / amount) - 1e-9)
            if currency.compare_amounts(amount * count, total) < 0:
                count += 1
        else:
            if count < 1:
                raise UserError(
                    self.env._("The number of instalments must be at least 1.")
                )
            amount = currency.round(total / count)
        if count > MAX_INSTALMENTS:
            raise UserError(
                self.env._(
                    "This schedule would have %(count)s instalments, more than "
                    "%(max)s. Check the instalment amount.",
                    count=count,
                    max=MAX_INSTALMENTS,
                )
            )
        vals_list = []
        for index in range(count):
            value = amount
            if index == count - 1:
                value = currency.round(total - amount * (count - 1))
            vals_list.append(
                {
                    "sequence": start + index,
                    "due_date": self._due_date(first_due_date, index),
                    "amount": value,
                    "schedule_version": self.renegotiation_count + 1,
                }
            )
        if vals_list and currency.compare_amounts(vals_list[-1]["amount"], 0) <= 0:
            # Rounding by count (e.g. 0.05 in 3) can leave nothing to the last.
            vals_list.pop()
            vals_list[-1]["amount"] = currency.round(
                total - amount * (len(vals_list) - 1)
            )
        return vals_list

    def _renegotiate(self, first_due_date, mode, amount, count, date=None, reason=None):
        """Replace the unpaid part of the schedule with a new one. Old
        instalments are kept, marked as replaced, with what they had received."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "confirmed":
            raise UserError(self.env._("Only running plans can be renegotiated."))
        date = date or fields.Date.context_today(self)
        rest = self.amount_residual
        replaced = self.instalment_ids.filtered(
            lambda i: not i.is_replaced and i.state != "paid"
        )
        old_summary = self._schedule_summary(replaced)
        for inst in replaced:
            inst.write(
                {
                    "is_replaced": True,
                    "replaced_date": date,
                    "replaced_amount_paid": inst.amount_paid,
                }
            )
        self.renegotiation_count += 1
        start = max(self.instalment_ids.mapped("sequence") or [0]) + 1
        vals_list = self._prepare_schedule(
            rest, first_due_date, mode, amount, count, start=start
        )
        self.write(
            {
                "schedule_mode": mode,
                "instalment_amount": amount if mode == "amount" else 0.0,
                "instalment_count": count if mode == "count" else len(vals_list),
                "first_due_date": first_due_date,
                "last_renegotiation_date": date,
                "instalment_ids": [Command.create(vals) for vals in vals_list],
            }
        )
        new = self.instalment_ids.filtered(
            lambda i: i.schedule_version == self.renegotiation_count + 1
        )
        body = self.env._(
            "Schedule renegotiated on %(date)s. Unpaid rest: %(rest)s. "
            "Replaced: %(old)s. New: %(new)s.",
            date=format_date(self.env, date),
            rest=formatLang(self.env, rest, currency_obj=self.currency_id),
            old=old_summary,
            new=self._schedule_summary(new),
        )
        if reason:
            body = f"{body} {self.env._('Reason: %s', reason)}"
        self.message_post(body=body)
        return new

    def _schedule_summary(self, instalments):
        if not instalments:
            return self.env._("none")
        instalments = instalments.sorted(lambda i: (i.due_date, i.sequence))
        return self.env._(
            "%(count)s instalment(s) from %(first)s to %(last)s",
            count=len(instalments),
            first=format_date(self.env, instalments[0].due_date),
            last=format_date(self.env, instalments[-1].due_date),
        )

    def _expected_payoff_date(self, today):
        self.ensure_one()
        if self.state in ("draft", "cancelled"):
            return False
        open_insts = self._open_instalments()
        if not open_insts:
            return False
        last_due = open_insts[-1].due_date
        if not open_insts.filtered(lambda i: i.due_date < today):
            return last_due
        # Late: project at the pace paid since the confirmation.
        start = min(self.confirmation_date, self.instalment_ids[:1].due_date or today)
        months = max((today - start).days / 30.4375, 1.0)
        pace = self.amount_paid / months
        if self.currency_id.compare_amounts(pace, 0) <= 0:
            return False
        return max(
            last_due,
            today + relativedelta(months=math.ceil(self.amount_residual / pace)),
        )

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    @api.model
    def _cron_instalment_reminders(self, batch_size=200):
        """Raise one to-do activity per instalment due soon and per late one.
        Each instalment records what it was reminded of, so that the next run
        never raises the same activity twice."""
        Instalment = self.env["debt.plan.instalment"]
        today = fields.Date.context_today(self)
        late_domain = Instalment._reminder_domain(today, "late")
        due_domain = Instalment._reminder_domain(today, "due")
        late = Instalment.search(late_domain, limit=batch_size)
        late._raise_activity("late")
        due = Instalment.browse()
        if len(late) < batch_size:
            due = Instalment.search(due_domain, limit=batch_size - len(late))
            due._raise_activity("due")
        done = len(late) + len(due)
        remaining = 0
        if done >= batch_size:
            remaining = Instalment.search_count(late_domain) + Instalment.search_count(
                due_domain
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------
    @api.model
    def _get_debt_summary(self, date_from=None, months=12, company=None):
        """Outstanding debts of running plans, in the company's currency.

        Returns a dict::

            {
                "date": date_from,
                "currency": res.currency,
                "outstanding": {"payable": x, "receivable": y},
                "late": {"payable": x, "receivable": y},
                "month_ends": [{"date": d, "payable": x, "receivable": y}, ...],
                "payoff_month": {"payable": date or False, "receivable": ...},
                "plans": [{"plan": debt.plan, "direction", "partner",
                           "residual", "payoff_date", "payoff_month"}, ...],
            }

        The outstanding at a month-end assumes each instalment is paid on its
        due date (late ones included), i.e. it is what the schedules promise.
        """
        company = company or self.env.company
        date_from = date_from or fields.Date.context_today(self)
        currency = company.currency_id
        month_ends = [
            date_utils.end_of(date_from + relativedelta(months=i), "month")
            for i in range(months)
        ]
        Instalment = self.env["debt.plan.instalment"]
        domain = [
            ("company_id", "=", company.id),
            ("plan_state", "=", "confirmed"),
            ("is_replaced", "=", False),
            ("amount_residual", ">", 0),
        ]
        groups = Instalment._read_group(
            domain,
            groupby=["direction", "currency_id", "due_date:month"],
            aggregates=["amount_residual:sum"],
        )
        outstanding = defaultdict(float)
        by_month = defaultdict(float)  # (direction, first day of month) -> due
        for direction, group_currency, month, residual in groups:
            amount = group_currency._convert(residual, currency, company, date_from)
            outstanding[direction] += amount
            by_month[direction, month] += amount
        late = defaultdict(float)
        for direction, group_currency, residual in Instalment._read_group(
            [*domain, ("due_date", "<", date_from)],
            groupby=["direction", "currency_id"],
            aggregates=["amount_residual:sum"],
        ):
            late[direction] += group_currency._convert(
                residual, currency, company, date_from
            )
        directions = ("payable", "receivable")
        rows = []
        for month_end in month_ends:
            row = {"date": month_end}
            for direction in directions:
                due_after = sum(
                    amount
                    for (dir_, month), amount in by_month.items()
                    if dir_ == direction and month > month_end
                )
                row[direction] = currency.round(due_after)
            rows.append(row)
        plans = self.search(
            [("company_id", "=", company.id), ("state", "=", "confirmed")]
        )
        plan_rows = []
        for plan in plans:
            payoff = plan._expected_payoff_date(date_from)
            plan_rows.append(
                {
                    "plan": plan,
                    "direction": plan.direction,
                    "partner": plan.partner_id,
                    "residual": plan.currency_id._convert(
                        plan.amount_residual, currency, company, date_from
                    ),
                    "payoff_date": payoff,
                    "payoff_month": payoff and date_utils.start_of(payoff, "month"),
                }
            )
        payoff_month = {}
        for direction in directions:
            dates = [
                r["payoff_month"] for r in plan_rows if r["direction"] == direction
            ]
            payoff_month[direction] = (
                False if not dates or not all(dates) else max(dates)
            )
        return {
            "date": date_from,
            "currency": currency,
            "outstanding": {d: currency.round(outstanding[d]) for d in directions},
            "late": {d: currency.round(late[d]) for d in directions},
            "month_ends": rows,
            "payoff_month": payoff_month,
            "plans": plan_rows,
        }

    def _get_reminder_note(self, instalment, reason):
        self.ensure_one()
        values = {
            "number": instalment.sequence,
            "plan": self.name,
            "amount": formatLang(
                self.env, instalment.amount_residual, currency_obj=self.currency_id
            ),
            "date": format_date(self.env, instalment.due_date),
            "partner": self.partner_id.display_name,
        }
        if reason == "late":
            return self.env._(
                "Instalment %(number)s of %(plan)s (%(partner)s) is late: "
                "%(amount)s was due on %(date)s.",
                **values,
            )
        return self.env._(
            "Instalment %(number)s of %(plan)s (%(partner)s): %(amount)s due on "
            "%(date)s.",
            **values,
        )
