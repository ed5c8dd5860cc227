# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, format_date, formatLang

from .treasury_budget_line import RECEIPT_KINDS

FORECAST_MONTHS = 12
# Customers stored in the concentration table: every customer above 1 % of the
# receipts (at most 100), so any threshold of 1 % or more is shown correctly.
CONCENTRATION_MIN_SHARE = 1.0
CONCENTRATION_LIMIT = 100


def _nice_step(raw):
    """A round step for an axis scale (1, 2 or 5 times a power of ten) that is
    at least ``raw``."""
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _month_index(day):
    return day.year * 12 + day.month - 1


def _index_month(index):
    return fields.Date.to_date(f"{index // 12:04d}-{index % 12 + 1:02d}-01")


class TreasuryBudget(models.Model):
    _name = "treasury.budget"
    _description = "Monthly Treasury Budget"
    _inherit = "mail.thread"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, index=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        default=lambda self: self.env.company.currency_id,
    )
    date_from = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        tracking=True,
        help="Any day of the month; it is stored as the first day.",
    )
    date_to = fields.Date(string="Month End", compute="_compute_date_to", store=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("confirmed", "Confirmed")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many(
        comodel_name="treasury.budget.line",
        inverse_name="budget_id",
        string="Lines",
        copy=True,
    )
    forecast_line_ids = fields.One2many(
        comodel_name="treasury.forecast.line",
        inverse_name="budget_id",
        string="Forecast",
        readonly=True,
    )
    concentration_line_ids = fields.One2many(
        comodel_name="treasury.concentration.line",
        inverse_name="budget_id",
        string="Customer Concentration",
        readonly=True,
    )
    expected_receipts = fields.Monetary(compute="_compute_totals", store=True)
    expected_expenses = fields.Monetary(compute="_compute_totals", store=True)
    expected_net = fields.Monetary(compute="_compute_totals", store=True)
    actual_receipts = fields.Monetary(compute="_compute_totals", store=True)
    actual_expenses = fields.Monetary(compute="_compute_totals", store=True)
    actual_net = fields.Monetary(compute="_compute_totals", store=True)
    net_difference = fields.Monetary(compute="_compute_totals", store=True)
    balance_start = fields.Monetary(
        string="Bank Balance at Month Start",
        readonly=True,
        copy=False,
        help="Posted balance of the default accounts of the bank and cash "
        "journals before the first day of the month.",
    )
    balance_end = fields.Monetary(
        string="Bank Balance at Month End",
        readonly=True,
        copy=False,
        help="Posted balance of the default accounts of the bank and cash "
        "journals at the last day of the month.",
    )
    expected_balance_end = fields.Monetary(
        string="Expected Balance at Month End",
        compute="_compute_totals",
        store=True,
    )
    has_declared_total = fields.Boolean(
        string="Declared Totals Given",
        tracking=True,
        help="Set when the month's expected receipts and expenses were declared "
        "(for instance in the minutes of a meeting); each must agree with the "
        "sum of the lines of its side.",
    )
    declared_receipts = fields.Monetary(
        tracking=True,
        help="Total of the expected receipts declared for the month. The budget "
        "cannot be confirmed while it differs from the sum of the receipt lines.",
    )
    declared_expenses = fields.Monetary(
        tracking=True,
        help="Total of the expected expenses declared for the month. The budget "
        "cannot be confirmed while it differs from the sum of the expense lines.",
    )
    receipts_difference = fields.Monetary(
        compute="_compute_total_mismatch",
        store=True,
        help="Sum of the receipt lines minus the declared receipts.",
    )
    expenses_difference = fields.Monetary(
        compute="_compute_total_mismatch",
        store=True,
        help="Sum of the expense lines minus the declared expenses.",
    )
    receipts_mismatch = fields.Boolean(
        compute="_compute_total_mismatch",
        store=True,
    )
    expenses_mismatch = fields.Boolean(
        compute="_compute_total_mismatch",
        store=True,
    )
    total_mismatch = fields.Boolean(
        string="Declared Totals Mismatch",
        compute="_compute_total_mismatch",
        store=True,
    )
    concentration_threshold = fields.Float(
        related="company_id.treasury_concentration_threshold",
        string="Dependency Threshold (%)",
    )
    risk_count = fields.Integer(
        string="Dependency Risks", compute="_compute_risk_count"
    )
    computed_on = fields.Datetime(readonly=True, copy=False)
    note = fields.Html()

    _sql_constraints = (
        (
            "company_month_uniq",
            "UNIQUE(company_id, date_from)",
            "There is already a budget for this month in this company.",
        ),
    )

    @api.depends("date_from")
    def _compute_name(self):
        for budget in self:
            budget.name = budget.date_from and budget.date_from.strftime("%Y-%m")

    @api.depends("date_from")
    def _compute_date_to(self):
        for budget in self:
            budget.date_to = budget.date_from and (
                budget.date_from + relativedelta(day=31)
            )

    @api.depends("line_ids.expected_signed", "line_ids.actual_signed", "balance_start")
    def _compute_totals(self):
        for budget in self:
            receipts = budget.line_ids.filtered(lambda line: line.kind in RECEIPT_KINDS)
            expenses = budget.line_ids - receipts
            budget.expected_receipts = sum(receipts.mapped("expected"))
            budget.actual_receipts = sum(receipts.mapped("actual"))
            budget.expected_expenses = sum(expenses.mapped("expected"))
            budget.actual_expenses = sum(expenses.mapped("actual"))
            budget.expected_net = budget.expected_receipts - budget.expected_expenses
            budget.actual_net = budget.actual_receipts - budget.actual_expenses
            budget.net_difference = budget.actual_net - budget.expected_net
            budget.expected_balance_end = budget.balance_start + budget.expected_net

    @api.depends("company_id")
    def _compute_currency_id(self):
        for budget in self:
            budget.currency_id = budget._company_currency()

    def _company_currency(self):
        """The company's currency, or the current company's while a new
        budget has no company yet: a form shows the company to multi-company
        users only, so it may send neither the company nor the currency."""
        self.ensure_one()
        return self.company_id.currency_id or self.env.company.currency_id

    @api.depends(
        "has_declared_total",
        "declared_receipts",
        "declared_expenses",
        "expected_receipts",
        "expected_expenses",
        "company_id",
    )
    def _compute_total_mismatch(self):
        for budget in self:
            currency = budget._company_currency()
            receipts = expenses = 0.0
            if budget.has_declared_total:
                receipts = currency.round(
                    budget.expected_receipts - budget.declared_receipts
                )
                expenses = currency.round(
                    budget.expected_expenses - budget.declared_expenses
                )
            budget.receipts_difference = receipts
            budget.expenses_difference = expenses
            budget.receipts_mismatch = not currency.is_zero(receipts)
            budget.expenses_mismatch = not currency.is_zero(expenses)
            budget.total_mismatch = budget.receipts_mismatch or budget.expenses_mismatch

    def _compute_risk_count(self):
        counts = dict(
            self.env["treasury.concentration.line"]._read_group(
                [("budget_id", "in", self.ids), ("is_risk", "=", True)],
                groupby=["budget_id"],
                aggregates=["__count"],
            )
        )
        for budget in self:
            budget.risk_count = counts.get(budget, 0)

    @api.constrains(
        "state",
        "declared_receipts",
        "declared_expenses",
        "has_declared_total",
        "total_mismatch",
    )
    def _check_declared_total(self):
        for budget in self:
            if budget.state == "confirmed" and budget.total_mismatch:
                raise ValidationError(budget._mismatch_message())

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_vals(vals)
        return super().write(vals)

    @api.model
    def _normalize_vals(self, vals):
        if vals.get("date_from"):
            vals["date_from"] = fields.Date.to_date(vals["date_from"]).replace(day=1)
        declared = {"declared_receipts", "declared_expenses"} & set(vals)
        if declared and "has_declared_total" not in vals:
            vals["has_declared_total"] = any(
                vals[name] is not False for name in declared
            )

    def _mismatch_message(self):
        """Name each side whose lines disagree with the declared total, with
        both amounts and the difference."""
        self.ensure_one()
        currency = self.currency_id

        def amounts(declared, lines, difference):
            return {
                "declared": formatLang(self.env, declared, currency_obj=currency),
                "lines": formatLang(self.env, lines, currency_obj=currency),
                "difference": formatLang(self.env, difference, currency_obj=currency),
            }

        sides = []
        if self.receipts_mismatch:
            sides.append(
                self.env._(
                    "receipts declared %(declared)s, receipt lines %(lines)s "
                    "(difference %(difference)s)",
                    **amounts(
                        self.declared_receipts,
                        self.expected_receipts,
                        self.receipts_difference,
                    ),
                )
            )
        if self.expenses_mismatch:
            sides.append(
                self.env._(
                    "expenses declared %(declared)s, expense lines %(lines)s "
                    "(difference %(difference)s)",
                    **amounts(
                        self.declared_expenses,
                        self.expected_expenses,
                        self.expenses_difference,
                    ),
                )
            )
        return self.env._(
            "Budget %(budget)s does not match its declared totals: %(sides)s. "
            "Correct the lines or the declared totals before confirming.",
            budget=self.name,
            sides="; ".join(sides),
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_compute(self):
        self.check_access("write")
        for budget in self:
            if budget.state != "draft":
                raise UserError(
                    self.env._(
                        "Set budget %s back to draft to compute it again.", budget.name
                    )
                )
            budget.with_company(budget.company_id)._compute_budget()
        return True

    def action_confirm(self):
        for budget in self:
            if budget.state != "draft":
                raise UserError(self.env._("Only draft budgets can be confirmed."))
            if budget.total_mismatch:
                raise UserError(budget._mismatch_message())
        self.write({"state": "confirmed"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_print(self):
        return self.env.ref("globenet_hosting.treasury_budget_report").report_action(
            self
        )

    def action_view_forecast(self):
        """The forecast of this budget alone: receipts, expenses and cash."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_hosting.treasury_forecast_series_action"
        )
        action["name"] = action["display_name"] = self.env._(
            "Cash Forecast %s", self.name
        )
        action["domain"] = [("budget_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    @api.model
    def _action_open_latest_forecast(self):
        """Treasury > Cash Forecast: the forecast of the latest computed budget
        of the current company, never the sum of several budgets' forecasts.
        Without one, the action's help tells how to get it."""
        budget = self.search(
            [
                ("company_id", "=", self.env.company.id),
                ("forecast_line_ids", "!=", False),
            ],
            order="date_from desc, id desc",
            limit=1,
        )
        if budget:
            return budget.action_view_forecast()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "globenet_hosting.treasury_forecast_series_action"
        )
        action["domain"] = [("budget_id", "=", False)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    def _compute_budget(self):
        self.ensure_one()
        first = _month_index(self.date_from)
        months = range(first, first + FORECAST_MONTHS)
        subs = self._get_subscription_schedule(first, first + FORECAST_MONTHS - 1)
        debts, overdue = self._get_debt_schedule(
            self.date_from, self.date_from + relativedelta(months=FORECAST_MONTHS)
        )
        actuals = self._get_actuals()
        debt_paid = self._get_debt_paid()
        self.balance_start, self.balance_end = self._get_bank_balances()

        current = subs.get(first, {})
        current_debt = debts.get(first, {})
        # The labels are the company's, whoever computes the budget.
        company_env = self.with_context(lang=self.company_id.partner_id.lang).env
        figures = [
            (
                "receipt_sepa",
                company_env._("Direct-debit hosting"),
                current.get("receipt_sepa"),
            ),
            (
                "receipt_cheque",
                company_env._("Cheque hosting"),
                current.get("receipt_cheque"),
            ),
            (
                "receipt_oneoff",
                company_env._("One-off sales"),
                current.get("receipt_oneoff"),
            ),
            (
                "receipt_other",
                company_env._("Other receipts"),
                current.get("receipt_other"),
            ),
            (
                "expense_recurring",
                company_env._("Recurring expenses"),
                current.get("expense"),
            ),
            (
                "expense_debt",
                company_env._("Debt instalments"),
                current_debt.get("payable"),
            ),
            ("expense_other", company_env._("Other expenses"), 0.0),
        ]
        commands = [
            Command.unlink(line.id)
            for line in self.line_ids
            if line.source == "computed"
        ]
        for sequence, (kind, label, expected) in enumerate(figures):
            commands.append(
                Command.create(
                    {
                        "note": self._overdue_note(overdue.get("payable"))
                        if kind == "expense_debt"
                        else False,
                        "sequence": sequence,
                        "kind": kind,
                        "name": label,
                        "expected": expected or 0.0,
                        "actual": actuals.get(kind, 0.0)
                        + (
                            debt_paid.get("payable", 0.0)
                            if kind == "expense_debt"
                            else 0.0
                        ),
                        "source": "computed",
                    }
                )
            )
        if "receivable" in current_debt or "receivable" in debt_paid:
            commands.append(
                Command.create(
                    {
                        "sequence": len(figures),
                        "kind": "receipt_other",
                        "name": company_env._("Debt instalments receivable"),
                        "note": self._overdue_note(overdue.get("receivable")),
                        "expected": current_debt.get("receivable", 0.0),
                        "actual": debt_paid.get("receivable", 0.0),
                        "source": "computed",
                    }
                )
            )
        self.write({"line_ids": commands})

        # Manual lines count in the budget month only.
        manual = self.line_ids.filtered(lambda line: line.source == "manual")
        manual_receipts = sum(
            manual.filtered(lambda line: line.kind in RECEIPT_KINDS).mapped("expected")
        )
        manual_expenses = sum(manual.mapped("expected")) - manual_receipts
        forecast = []
        cash = self.balance_start
        for index in months:
            month_subs = subs.get(index, {})
            month_debts = debts.get(index, {})
            receipts = sum(
                month_subs.get(kind, 0.0) for kind in RECEIPT_KINDS
            ) + month_debts.get("receivable", 0.0)
            expenses = month_subs.get("expense", 0.0) + month_debts.get("payable", 0.0)
            if index == first:
                receipts += manual_receipts
                expenses += manual_expenses
            cash += receipts - expenses
            forecast.append(
                Command.create(
                    {
                        "date": _index_month(index),
                        "receipts": receipts,
                        "expenses": expenses,
                        "net": receipts - expenses,
                        "cash": cash,
                    }
                )
            )
        self.write(
            {
                "forecast_line_ids": [Command.clear(), *forecast],
                "concentration_line_ids": [
                    Command.clear(),
                    *[Command.create(vals) for vals in self._get_concentration()],
                ],
                "computed_on": fields.Datetime.now(),
            }
        )

    def _overdue_note(self, amount):
        if self.currency_id.is_zero(amount or 0.0):
            return False
        return self.env._(
            "Including %(amount)s of late instalments, due now.",
            amount=formatLang(self.env, amount, currency_obj=self.currency_id),
        )

    def _get_subscription_schedule(self, first, last):
        """Untaxed amounts invoiced by subscriptions per month index and kind.

        One query. The periods come from the one definition of a period, the
        recurrence mixin, which builds the SQL: for each month, the period
        whose invoice date falls in that month (past periods too, so that
        periods already invoiced in a past month are expected as well),
        within the start and end dates, skipping the periods that lie wholly
        inside a suspension. Amounts in another currency are converted to
        the company's at the budget's date. Returns
        ``{month_index: {kind: amount}}``.
        """
        Recurrence = self.env["hosting.recurrence.mixin"]
        months = Recurrence._recurrence_months_sql(
            SQL("sub.recurring_rule_type"), SQL("sub.recurring_interval")
        )
        index = Recurrence._recurrence_invoiced_index_sql(
            SQL("s.date_start"), SQL("s.months"), SQL("s.invoicing_mode"), SQL("mon.m")
        )
        period_start = Recurrence._recurrence_period_start_sql(
            SQL("s.date_start"), SQL("s.months"), SQL("occ.k")
        )
        period_end = SQL(
            "(%s - 1)",
            Recurrence._recurrence_period_start_sql(
                SQL("s.date_start"), SQL("s.months"), SQL("occ.k + 1")
            ),
        )
        suspended = Recurrence._recurrence_is_suspended_sql(
            "hosting_subscription_suspension",
            SQL("s.id"),
            SQL("per.period_start"),
            SQL("per.period_end"),
        )
        query = SQL(
            """
            SELECT mon.m, s.subscription_type, s.payment_method, s.currency_id,
                   SUM(s.modem), SUM(s.service)
              FROM (
                SELECT sub.id, sub.subscription_type, sub.payment_method,
                       sub.currency_id, sub.state, sub.date_start, sub.date_end,
                       sub.next_period_start, sub.invoicing_mode,
                       %(months)s AS months,
                       SUM(CASE WHEN pt.hosting_service_type = 'modem_rental'
                                THEN l.price_subtotal ELSE 0 END) AS modem,
                       SUM(CASE WHEN pt.hosting_service_type = 'modem_rental'
                                THEN 0 ELSE l.price_subtotal END) AS service
                  FROM hosting_subscription sub
                  JOIN hosting_subscription_line l ON l.subscription_id = sub.id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE sub.company_id = %(company)s
                   AND sub.state IN ('active', 'closed')
                   AND sub.next_invoice_date IS NOT NULL
                   AND sub.next_period_start IS NOT NULL
                   AND sub.recurring_interval > 0
                 GROUP BY sub.id
              ) AS s
              CROSS JOIN generate_series(%(first)s, %(last)s) AS mon(m)
              CROSS JOIN LATERAL (SELECT %(index)s AS k) AS occ
              CROSS JOIN LATERAL (
                SELECT %(period_start)s AS period_start,
                       %(period_end)s AS period_end
              ) AS per
             WHERE occ.k >= 0
               AND (s.date_end IS NULL OR per.period_start <= s.date_end)
               AND (per.period_start < s.next_period_start OR s.state = 'active')
               AND NOT %(suspended)s
             GROUP BY mon.m, s.subscription_type, s.payment_method, s.currency_id
            """,
            months=months,
            index=index,
            period_start=period_start,
            period_end=period_end,
            suspended=suspended,
            company=self.company_id.id,
            first=first,
            last=last,
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        result = defaultdict(lambda: defaultdict(float))
        by_method = {"sepa_dd": "receipt_sepa", "cheque": "receipt_cheque"}
        rows = self.env.cr.fetchall()
        currencies = self.env["res.currency"].browse({row[3] for row in rows})
        for month, sub_type, method, currency_id, modem, service in rows:
            currency = currencies.filtered(lambda c, cid=currency_id: c.id == cid)
            modem = self._to_company_currency(modem, currency)
            service = self._to_company_currency(service, currency)
            if sub_type == "purchase":
                result[month]["expense"] += (modem or 0.0) + (service or 0.0)
                continue
            result[month]["receipt_oneoff"] += modem or 0.0
            result[month][by_method.get(method, "receipt_other")] += service or 0.0
        return result

    def _debt_domain(self, direction):
        """Live instalments of the company's confirmed (or repaid) plans."""
        instalment_fields = self.env["debt.plan.instalment"]._fields
        return [
            ("plan_id.company_id", "=", self.company_id.id),
            ("plan_id.direction", "=", direction),
            ("plan_id.state", "in", ("confirmed", "done")),
            ("is_replaced", "=", False)
            if "is_replaced" in instalment_fields
            else ("state", "!=", "replaced"),
        ]

    def _to_company_currency(self, amount, currency):
        """``amount`` in ``currency`` converted to the company's currency at
        the budget's date."""
        company = self.company_id
        if not currency or currency == company.currency_id:
            return amount or 0.0
        return currency._convert(
            amount or 0.0, company.currency_id, company, self.date_from
        )

    def _get_debt_schedule(self, date_from, date_to):
        """What the debt plans move through the bank per month index and
        direction (payable/receivable), in the company's currency converted
        at the budget's date. The forecast starts from the bank balance
        before ``date_from``, so each month counts what is left to pay of
        its instalments: one paid in advance is not counted twice. The first
        month also counts what is left to pay of the instalments already
        late (they are due now) and the payments made since ``date_from``
        (see ``_get_debt_paid``), which are not in that balance yet.
        Returns ``({month_index: {direction: amount}}, {direction: overdue})``.
        """
        result = defaultdict(lambda: defaultdict(float))
        overdue = defaultdict(float)
        first = _month_index(date_from)
        Instalment = self.env["debt.plan.instalment"]
        for direction in ("payable", "receivable"):
            domain = self._debt_domain(direction)
            groups = Instalment._read_group(
                [*domain, ("due_date", ">=", date_from), ("due_date", "<", date_to)],
                groupby=["due_date:month", "currency_id"],
                aggregates=["amount_residual:sum"],
            )
            for month, currency, residual in groups:
                result[_month_index(month)][direction] += self._to_company_currency(
                    residual, currency
                )
            late = Instalment._read_group(
                [
                    *domain,
                    ("due_date", "<", date_from),
                    ("amount_residual", ">", 0),
                ],
                groupby=["currency_id"],
                aggregates=["amount_residual:sum"],
            )
            for currency, residual in late:
                amount = self._to_company_currency(residual, currency)
                result[first][direction] += amount
                overdue[direction] += amount
        for direction, amount in self._get_debt_paid().items():
            result[first][direction] += amount
        return result, overdue

    def _get_debt_paid(self):
        """Payments reconciled in the budget month with the journal items of
        the running (or repaid) debt plans, per direction, in the company's
        currency: the plans' actual figure of the month."""
        query = SQL(
            """
            SELECT plan.direction, SUM(apr.amount)
              FROM account_partial_reconcile apr
              JOIN debt_plan plan
                ON EXISTS (
                    SELECT 1
                      FROM debt_plan_account_move_line_rel rel
                     WHERE rel.plan_id = plan.id
                       AND rel.line_id IN (apr.debit_move_id, apr.credit_move_id)
                )
             WHERE plan.company_id = %(company)s
               AND plan.state IN ('confirmed', 'done')
               AND apr.max_date >= %(date_from)s
               AND apr.max_date <= %(date_to)s
               AND apr.create_date::date >= plan.confirmation_date
             GROUP BY plan.direction
            """,
            company=self.company_id.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        return dict(self.env.cr.fetchall())

    def _get_actuals(self):
        """Untaxed posted amounts of the month's invoices and bills, per kind.

        See readme/USAGE.md for the classification rule."""
        query = SQL(
            """
            SELECT CASE
                   WHEN m.move_type IN ('out_invoice', 'out_refund') THEN
                       CASE
                       WHEN pt.hosting_service_type = 'modem_rental'
                           THEN 'receipt_oneoff'
                       WHEN m.hosting_subscription_id IS NOT NULL
                            OR pt.hosting_service_type IS NOT NULL THEN
                           CASE m.hosting_payment_method
                           WHEN 'sepa_dd' THEN 'receipt_sepa'
                           WHEN 'cheque' THEN 'receipt_cheque'
                           ELSE 'receipt_other' END
                       WHEN aml.product_id IS NOT NULL THEN 'receipt_oneoff'
                       ELSE 'receipt_other' END
                   WHEN m.hosting_subscription_id IS NOT NULL
                       THEN 'expense_recurring'
                   ELSE 'expense_other'
                   END AS kind,
                   SUM(aml.balance)
              FROM account_move_line aml
              JOIN account_move m ON m.id = aml.move_id
              LEFT JOIN product_product pp ON pp.id = aml.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE aml.company_id = %(company)s
               AND aml.parent_state = 'posted'
               AND aml.display_type = 'product'
               AND aml.date >= %(date_from)s
               AND aml.date <= %(date_to)s
               AND m.date >= %(date_from)s
               AND m.date <= %(date_to)s
               AND m.company_id = %(company)s
               AND m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund',
                                   'in_invoice', 'in_refund')
             GROUP BY 1
            """,
            company=self.company_id.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        return {
            kind: -balance if kind in RECEIPT_KINDS else balance
            for kind, balance in self.env.cr.fetchall()
        }

    def _get_bank_balances(self):
        journals = self.env["account.journal"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("type", "in", ("bank", "cash")),
            ]
        )
        accounts = journals.default_account_id
        if not accounts:
            return 0.0, 0.0
        domain = [
            ("company_id", "=", self.company_id.id),
            ("account_id", "in", accounts.ids),
            ("parent_state", "=", "posted"),
        ]
        AccountMoveLine = self.env["account.move.line"]
        [(start,)] = AccountMoveLine._read_group(
            domain + [("date", "<", self.date_from)], aggregates=["balance:sum"]
        )
        [(end,)] = AccountMoveLine._read_group(
            domain + [("date", "<=", self.date_to)], aggregates=["balance:sum"]
        )
        return start or 0.0, end or 0.0

    def _get_concentration(self):
        """Each customer's share of the untaxed amounts invoiced over the 12
        months ending with the budget month, by commercial partner."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "posted"),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("date", ">", self.date_to - relativedelta(months=12)),
            ("date", "<=", self.date_to),
        ]
        rows = self.env["account.move"]._read_group(
            domain,
            groupby=["commercial_partner_id"],
            aggregates=["amount_untaxed_signed:sum"],
        )
        total = sum(amount for _partner, amount in rows)
        if float_compare(total, 0.0, precision_digits=2) <= 0:
            return []
        rows = sorted(rows, key=lambda row: row[1], reverse=True)[:CONCENTRATION_LIMIT]
        minimum = min(
            CONCENTRATION_MIN_SHARE, self.company_id.treasury_concentration_threshold
        )
        return [
            {
                "partner_id": partner.id,
                "amount": amount,
                "share": 100.0 * amount / total,
            }
            for partner, amount in rows
            if partner and 100.0 * amount / total >= minimum
        ]

    # ------------------------------------------------------------------
    # Report helpers
    # ------------------------------------------------------------------
    def _get_month_label(self):
        self.ensure_one()
        return format_date(self.env, self.date_from, date_format="MMMM y")

    def _format_tick(self, value, currency, tick_step):
        """An amount of the chart's scale in the reader's language, with its
        currency symbol, and decimals only when the step needs them:
        '1,000 €' in English, '1 000 €' in French."""
        digits = 0 if tick_step >= 1 else currency.decimal_places
        number = formatLang(self.env, value, digits=digits)
        symbol = currency.symbol or ""
        if currency.position == "before":
            return f"{symbol}\N{NO-BREAK SPACE}{number}"
        return f"{number}\N{NO-BREAK SPACE}{symbol}"

    def _get_forecast_chart(self, width=640, height=200, axis_width=80):
        """Bars of receipts and expenses per forecast month, the cash line and
        an amount scale, as coordinates for an inline SVG in the report."""
        self.ensure_one()
        lines = self.forecast_line_ids.sorted("date")
        if not lines:
            return {}
        values = (
            lines.mapped("receipts") + lines.mapped("expenses") + lines.mapped("cash")
        )
        tick_step = _nice_step((max(max(values), 0.0) - min(min(values), 0.0)) / 4)
        top = math.ceil(max(max(values), 0.0) / tick_step) * tick_step
        bottom = math.floor(min(min(values), 0.0) / tick_step) * tick_step
        scale = (height - 30) / ((top - bottom) or 1.0)
        zero = 10 + top * scale
        step = (width - axis_width) / len(lines)
        bars = []
        points = []
        for index, line in enumerate(lines):
            x = axis_width + index * step
            for offset, value, color in (
                (0.1, line.receipts, "#2e7d32"),
                (0.45, line.expenses, "#c62828"),
            ):
                bar_height = abs(value) * scale
                bars.append(
                    {
                        "x": round(x + offset * step, 1),
                        "y": round(zero - bar_height if value >= 0 else zero, 1),
                        "width": round(0.35 * step, 1),
                        "height": round(bar_height, 1),
                        "color": color,
                    }
                )
            points.append(
                f"{round(x + step / 2, 1)},{round(zero - line.cash * scale, 1)}"
            )
        labels = [
            {
                "x": round(axis_width + index * step + step / 2, 1),
                "text": format_date(self.env, line.date, date_format="MMM yy"),
            }
            for index, line in enumerate(lines)
        ]
        currency = self.company_id.currency_id
        ticks = []
        count = round((top - bottom) / tick_step)
        for index in range(count + 1):
            value = bottom + index * tick_step
            ticks.append(
                {
                    "y": round(zero - value * scale, 1),
                    "text": self._format_tick(value, currency, tick_step),
                }
            )
        return {
            "width": width,
            "height": height + 20,
            "axis_x": axis_width,
            "tick_x": axis_width - 4,
            "axis_bottom": height - 20,
            "zero": round(zero, 1),
            "bars": bars,
            "cash": " ".join(points),
            "labels": labels,
            "label_y": height + 15,
            "ticks": ticks,
        }
