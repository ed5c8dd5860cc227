# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class HostingRecurrenceMixin(models.AbstractModel):
    """The one definition of a recurring period, for Python and for SQL.

    A recurrence is anchored on a start date and is ``M`` months long
    (``M`` = months of the rule × interval). Its period ``k`` (``k >= 0``):

    - starts on ``anchor + k·M months``, the day clamped to the length of the
      month, always counted from the anchor (31 January, 28 or 29 February,
      31 March...);
    - ends the day before period ``k + 1`` starts;
    - is invoiced on its first day in advance, on the day after its last day
      (the first day of period ``k + 1``) in arrears.

    A period that lies wholly inside a suspension (from its first suspended
    day to the day before it was resumed) is never invoiced.

    The methods taking dates compute this in Python; the ``_sql`` methods
    build the same expressions for PostgreSQL, whose ``date + interval``
    clamps the day to the month's length as ``relativedelta`` does.
    Models using it provide ``date_start``, ``recurring_rule_type``,
    ``recurring_interval`` and ``invoicing_mode``.
    """

    _name = "hosting.recurrence.mixin"
    _description = "Recurring Periods"

    # ------------------------------------------------------------------
    # Python
    # ------------------------------------------------------------------
    @api.model
    def _recurrence_months(self, rule_type, interval):
        return PERIOD_MONTHS[rule_type] * interval

    @api.model
    def _recurrence_period_start(self, anchor, months, index):
        return anchor + relativedelta(months=index * months)

    @api.model
    def _recurrence_period_index(self, anchor, months, day):
        """Index of the period that contains ``day`` (negative before the
        anchor)."""
        elapsed = (day.year - anchor.year) * 12 + day.month - anchor.month
        index = elapsed // months
        if self._recurrence_period_start(anchor, months, index) > day:
            index -= 1
        return index

    @api.model
    def _recurrence_period(self, anchor, months, day):
        """``(start, end)`` of the period from ``day`` to the end of the
        period that contains it."""
        index = self._recurrence_period_index(anchor, months, day)
        next_start = self._recurrence_period_start(anchor, months, index + 1)
        return day, next_start - timedelta(days=1)

    @api.model
    def _recurrence_invoice_date(self, mode, start, end):
        return end + timedelta(days=1) if mode == "arrears" else start

    @api.model
    def _recurrence_is_suspended(self, suspensions, start, end):
        """Whether the period lies wholly inside one of ``suspensions``, a
        list of ``(first suspended day, resume day or None)``."""
        return any(
            first <= start and (resume is None or end < resume)
            for first, resume in suspensions
        )

    def _period_months(self):
        self.ensure_one()
        return self._recurrence_months(
            self.recurring_rule_type, self.recurring_interval
        )

    def _period_end(self, start):
        """Last day of the period starting on ``start``."""
        self.ensure_one()
        anchor = self.date_start or start
        return self._recurrence_period(anchor, self._period_months(), start)[1]

    def _period_invoice_date(self, start, end):
        self.ensure_one()
        return self._recurrence_invoice_date(self.invoicing_mode, start, end)

    def _get_suspension_ranges(self):
        """``(first suspended day, resume day or None)`` of this record."""
        return []

    def _iter_billable_periods(self, start):
        """Periods from ``start`` on, skipping those wholly suspended: yields
        ``(start, end, invoice date)``, endlessly unless a suspension not
        resumed yet covers the rest."""
        self.ensure_one()
        suspensions = self._get_suspension_ranges()
        open_since = min(
            (first for first, resume in suspensions if resume is None),
            default=None,
        )
        while open_since is None or start < open_since:
            end = self._period_end(start)
            if not self._recurrence_is_suspended(suspensions, start, end):
                yield start, end, self._period_invoice_date(start, end)
            start = end + timedelta(days=1)

    # ------------------------------------------------------------------
    # SQL: the same rule, as expressions on columns
    # ------------------------------------------------------------------
    @api.model
    def _recurrence_months_sql(self, rule_type, interval):
        """``M`` from the rule and interval columns."""
        cases = SQL(" ").join(
            SQL("WHEN %s THEN %s", rule, months)
            for rule, months in PERIOD_MONTHS.items()
        )
        return SQL("((CASE %s %s END) * %s)", rule_type, cases, interval)

    @api.model
    def _recurrence_period_start_sql(self, anchor, months, index):
        """Start of period ``index``: ``anchor + index·M months``."""
        return SQL(
            "((%s + make_interval(months => (%s) * (%s)))::date)",
            anchor,
            index,
            months,
        )

    @api.model
    def _recurrence_month_index_sql(self, day):
        """Month number of a date, as ``year * 12 + month - 1``."""
        return SQL(
            "(EXTRACT(YEAR FROM %s)::int * 12 + EXTRACT(MONTH FROM %s)::int - 1)",
            day,
            day,
        )

    @api.model
    def _recurrence_invoiced_index_sql(self, anchor, months, mode, month):
        """Index of the period invoiced in month number ``month``, NULL when
        no period is invoiced that month. The invoice date of period ``k``
        is the start of period ``k`` (advance) or ``k + 1`` (arrears), whose
        month is the anchor's month plus a multiple of ``M``."""
        offset = SQL("(%s - %s)", month, self._recurrence_month_index_sql(anchor))
        return SQL(
            "(CASE WHEN mod(%(offset)s, %(months)s) = 0 "
            "THEN %(offset)s / %(months)s "
            "- (CASE WHEN %(mode)s = 'arrears' THEN 1 ELSE 0 END) END)",
            offset=offset,
            months=months,
            mode=mode,
        )

    @api.model
    def _recurrence_is_suspended_sql(self, suspension_table, record_id, start, end):
        """Whether the period lies wholly inside a suspension of the record."""
        return SQL(
            "EXISTS (SELECT 1 FROM %(table)s susp "
            "WHERE susp.subscription_id = %(record)s "
            "AND susp.date_start <= %(start)s "
            "AND (susp.date_resume IS NULL OR %(end)s < susp.date_resume))",
            table=SQL.identifier(suspension_table),
            record=record_id,
            start=start,
            end=end,
        )
