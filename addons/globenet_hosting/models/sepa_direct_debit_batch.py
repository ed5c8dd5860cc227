# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round, format_amount, format_date

from .res_company import is_valid_creditor_identifier
from .sepa_mandate import sepa_bic_error, sepa_iban_error

_logger = logging.getLogger(__name__)

try:
    from sepaxml import SepaDD
    from sepaxml.validation import ValidationError as SepaXmlValidationError
except ImportError:  # pragma: no cover - declared in external_dependencies
    _logger.debug("sepaxml is not installed")
    SepaDD = None
    SepaXmlValidationError = ValueError

SEPA_SCHEMA = "pain.008.001.02"


def _sepa_text(value, size):
    """Keep the characters of the SEPA (Latin) set that an identifier may hold."""
    return re.sub(r"[^A-Za-z0-9/\-?:().,'+ ]", "", value or "")[:size]


class SepaDirectDebitBatch(models.Model):
    _name = "sepa.direct.debit.batch"
    _description = "SEPA Direct Debit Batch"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "collection_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    collection_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Date on which the bank debits the members. Open invoices due by "
        "this date are collected.",
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Bank Journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'bank')]",
        default=lambda self: self._default_journal_id(),
        help="The payments are registered in this journal and its bank account "
        "is the creditor account of the file.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Treasurer",
        default=lambda self: self.env.user,
        help="Follows up rejected debits.",
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sent", "File Generated"),
            ("done", "Collected"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="sepa.direct.debit.batch.line",
        inverse_name="batch_id",
        string="Debits",
        copy=False,
    )
    line_count = fields.Integer(compute="_compute_totals", string="Debits Count")
    amount_total = fields.Monetary(compute="_compute_totals", string="Total")
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="SEPA File",
        readonly=True,
        copy=False,
    )
    message_identification = fields.Char(readonly=True, copy=False)

    @api.model
    def _default_journal_id(self):
        return self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.env.company),
                ("type", "=", "bank"),
            ],
            order="bank_account_id, sequence, id",
            limit=1,
        )

    @api.depends("line_ids.amount", "line_ids.state")
    def _compute_totals(self):
        for batch in self:
            lines = batch.line_ids.filtered(lambda line: line.state != "rejected")
            batch.line_count = len(lines)
            batch.amount_total = sum(lines.mapped("amount"))

    @api.constrains("collection_date", "state")
    def _check_collection_date(self):
        today = fields.Date.context_today(self)
        for batch in self:
            if batch.state == "draft" and batch._is_past_collection_date(today):
                raise ValidationError(batch._past_date_message())

    def _is_past_collection_date(self, today):
        """A collection date before today cannot be sent to the bank. Only
        the record of a batch already collected outside Odoo (Globenet's
        sample history) is written with the ``sepa_record_past_batch``
        context key."""
        self.ensure_one()
        if self.env.context.get("sepa_record_past_batch"):
            return False
        return self.collection_date < today

    def _past_date_message(self):
        self.ensure_one()
        return self.env._(
            "The collection date of %(batch)s (%(date)s) is in the past: the bank "
            "cannot debit the members on that day. Choose today or a later date.",
            batch=self.name,
            date=format_date(self.env, self.collection_date),
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id", self.env.company.id)
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sepa.direct.debit.batch") or self.env._("New")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_generated(self):
        if any(batch.state != "draft" for batch in self):
            raise UserError(
                self.env._("A batch whose file was generated cannot be deleted.")
            )

    # Actions

    def action_prepare(self):
        """(Re)compute the debits: the open posted customer invoices paid by
        direct debit and due by the collection date."""
        self.ensure_one()
        self._check_draft()
        invoices = self.env["account.move"].search(self._invoice_domain())
        mandates = self._find_mandates(invoices.commercial_partner_id)
        line_vals = []
        for invoice in invoices:
            mandate = mandates.get(invoice.commercial_partner_id.id)
            line_vals.append(
                Command.create(
                    {
                        "move_id": invoice.id,
                        "mandate_id": mandate.id if mandate else False,
                        "amount": invoice.amount_residual,
                        "sequence_type": mandate.sequence_type if mandate else False,
                    }
                )
            )
        self.write({"line_ids": [Command.clear(), *line_vals]})
        return True

    def action_generate(self):
        """Check everything, write the pain.008 file, attach it and register
        one payment per invoice. On any problem nothing is changed."""
        self.ensure_one()
        self._check_draft()
        if not self.line_ids:
            self.action_prepare()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "No open invoice paid by SEPA direct debit is due by %(date)s.",
                    date=self.collection_date,
                )
            )
        if self._is_past_collection_date(fields.Date.context_today(self)):
            raise UserError(self._past_date_message())
        problems = self._get_problems()
        if problems:
            raise UserError(
                self.env._(
                    "The direct-debit file of %(batch)s cannot be generated. "
                    "Please fix:\n%(problems)s",
                    batch=self.name,
                    problems="\n".join(f"- {problem}" for problem in problems),
                )
            )
        # Refresh the sequence types and amounts from the checked records.
        for line in self.line_ids:
            line.write(
                {
                    "sequence_type": line.mandate_id.sequence_type,
                    "amount": line.move_id.amount_residual,
                    "end_to_end_id": _sepa_text(f"{line.move_id.name}-{line.id}", 35),
                }
            )
        xml_content, message_id = self._render_pain008()
        self.line_ids.write({"state": "sent"})
        for line in self.line_ids:
            line.payment_id = self._register_payment(line)
        self.line_ids.mandate_id.filtered(
            lambda mandate: mandate.sequence_type == "FRST"
        ).write({"sequence_type": "RCUR"})
        self.line_ids.mandate_id.write({"last_debit_date": self.collection_date})
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{_sepa_text(self.name.replace('/', '-'), 60)}.xml",
                "raw": xml_content,
                "mimetype": "application/xml",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write(
            {
                "state": "sent",
                "attachment_id": attachment.id,
                "message_identification": message_id,
            }
        )
        self.message_post(
            body=self.env._(
                "Direct-debit file generated: %(count)s debit(s), %(amount)s.",
                count=len(self.line_ids),
                amount=format_amount(self.env, self.amount_total, self.currency_id),
            ),
            attachment_ids=attachment.ids,
        )
        return True

    def action_done(self):
        """The bank has collected the debits: the invoices leave 'in payment'
        (with the accountant module, they stay so until the statement matches
        the payments)."""
        for batch in self:
            if batch.state != "sent":
                raise UserError(
                    self.env._("Only a batch whose file was sent can be collected.")
                )
            sent = batch.line_ids.filtered(lambda line: line.state == "sent")
            sent.write({"state": "collected"})
            self.env.add_to_compute(
                self.env["account.move"]._fields["payment_state"], sent.move_id
            )
            batch.state = "done"
        return True

    def action_cancel(self):
        """Undo a generated batch that was not sent to the bank, or was
        refused as a whole: its payments are cancelled, so that the invoices
        are open again and go into the next batch; each mandate gets back the
        sequence type and last debit date it had without this batch. The file
        stays in the chatter for the record."""
        self.check_access("write")
        for batch in self:
            if batch.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "Batch %(batch)s was collected: reject its debits one "
                        "by one instead of cancelling it.",
                        batch=batch.name,
                    )
                )
            lines = batch.line_ids.filtered(lambda line: line.state == "sent")
            lines.write({"state": "cancel"})
            lines.payment_id.filtered(
                lambda payment: payment.state != "canceled"
            ).action_cancel()
            lines.mandate_id._reset_after_cancelled_debits(
                lines.filtered(lambda line: line.sequence_type == "FRST").mandate_id
            )
            attachment = batch.attachment_id
            batch.write({"state": "cancel", "attachment_id": False})
            if attachment or lines:
                batch.message_post(
                    body=self.env._(
                        "Batch cancelled: %(count)s debit(s) withdrawn, their "
                        "invoices are open again. The file attached was not to "
                        "be sent to the bank.",
                        count=len(lines),
                    ),
                    attachment_ids=attachment.ids,
                )
        return True

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_payments(self):
        self.ensure_one()
        return self.line_ids.payment_id._get_records_action(
            name=self.env._("Direct-Debit Payments")
        )

    # Business methods

    def _check_draft(self):
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "The file of %(batch)s was already generated.", batch=self.name
                )
            )

    def _invoice_domain(self):
        return [
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("hosting_payment_method", "=", "sepa_dd"),
            ("invoice_date_due", "<=", self.collection_date),
            ("currency_id", "=", self.company_id.currency_id.id),
            # Not already in another batch, unless that debit was rejected.
            "!",
            (
                "sepa_line_ids",
                "any",
                [("state", "in", ("draft", "sent")), ("batch_id", "!=", self.id)],
            ),
        ]

    def _find_mandates(self, partners):
        """The mandate to use per commercial partner: its latest valid one, or
        else its latest one whatever its state, so that the problem is told."""
        mandates = self.env["sepa.mandate"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("commercial_partner_id", "in", partners.ids),
            ],
            order="signature_date desc, id desc",
        )
        result = {}
        for mandate in mandates.sorted(lambda m: m.state != "valid"):
            result.setdefault(mandate.commercial_partner_id.id, mandate)
        return result

    def _get_problems(self):
        """Every reason why the file cannot be generated, one per item."""
        self.ensure_one()
        env = self.env
        company = self.company_id
        problems = []
        if not company.sepa_creditor_identifier:
            problems.append(
                env._(
                    "Company %(company)s: set the SEPA creditor identifier (ICS) "
                    "in the settings.",
                    company=company.name,
                )
            )
        elif not is_valid_creditor_identifier(company.sepa_creditor_identifier):
            problems.append(
                env._(
                    "Company %(company)s: the SEPA creditor identifier %(ics)s is "
                    "not valid.",
                    company=company.name,
                    ics=company.sepa_creditor_identifier,
                )
            )
        bank = self.journal_id.bank_account_id
        if not bank:
            problems.append(
                env._(
                    "Journal %(journal)s: set the company's bank account (IBAN).",
                    journal=self.journal_id.display_name,
                )
            )
        else:
            error = sepa_iban_error(env, bank.acc_number)
            if error:
                problems.append(
                    env._(
                        "Company bank account: %(error)s.",
                        error=error,
                    )
                )
            if not bank.bank_bic:
                problems.append(
                    env._(
                        "Company bank account %(account)s: set the bank and its BIC.",
                        account=bank.acc_number,
                    )
                )
            else:
                error = sepa_bic_error(env, bank.bank_bic)
                if error:
                    problems.append(
                        env._("Company bank account: %(error)s.", error=error)
                    )
        if company.currency_id.name != "EUR":
            problems.append(
                env._(
                    "Company %(company)s: SEPA direct debits are in euros only.",
                    company=company.name,
                )
            )
        for line in self.line_ids:
            invoice = line.move_id
            label = env._(
                "%(invoice)s (%(partner)s)",
                invoice=invoice.name,
                partner=invoice.commercial_partner_id.display_name,
            )
            if (
                invoice.state != "posted"
                or invoice.payment_state not in ("not_paid", "partial")
                or invoice.currency_id.is_zero(invoice.amount_residual)
            ):
                problems.append(
                    env._("%(invoice)s: no longer open; recompute.", invoice=label)
                )
            mandate = line.mandate_id
            if not mandate:
                problems.append(env._("%(invoice)s: no SEPA mandate.", invoice=label))
                continue
            if mandate.state != "valid":
                state = dict(mandate._fields["state"]._description_selection(env))[
                    mandate.state
                ]
                problems.append(
                    env._(
                        "%(invoice)s: mandate %(mandate)s is %(state)s.",
                        invoice=label,
                        mandate=mandate.name,
                        state=state,
                    )
                )
            if mandate.commercial_partner_id != invoice.commercial_partner_id:
                problems.append(
                    env._(
                        "%(invoice)s: mandate %(mandate)s is another member's.",
                        invoice=label,
                        mandate=mandate.name,
                    )
                )
            error = sepa_iban_error(env, mandate.partner_bank_id.acc_number)
            if error:
                problems.append(
                    env._(
                        "%(invoice)s: mandate %(mandate)s: %(error)s.",
                        invoice=label,
                        mandate=mandate.name,
                        error=error,
                    )
                )
            if mandate.bic:
                error = sepa_bic_error(env, mandate.bic)
                if error:
                    problems.append(
                        env._(
                            "%(invoice)s: mandate %(mandate)s: %(error)s.",
                            invoice=label,
                            mandate=mandate.name,
                            error=error,
                        )
                    )
        return problems

    def _render_pain008(self):
        """Build the pain.008.001.02 file with sepaxml, which checks it
        against the XSD; return its bytes and its message identification."""
        company = self.company_id
        bank = self.journal_id.bank_account_id
        config = {
            "name": company.name,
            "IBAN": bank.sanitized_acc_number,
            "BIC": bank.bank_bic.replace(" ", "").upper(),
            "batch": True,
            "creditor_id": company.sepa_creditor_identifier,
            "currency": company.currency_id.name,
        }
        sepa = SepaDD(config, schema=SEPA_SCHEMA, clean=True)
        for line in self.line_ids:
            mandate = line.mandate_id
            payment = {
                "name": line.partner_id.name,
                "IBAN": mandate.partner_bank_id.sanitized_acc_number,
                "amount": int(float_round(line.amount * 100, precision_digits=0)),
                "type": line.sequence_type,
                "collection_date": self.collection_date,
                "mandate_id": mandate.name,
                "mandate_date": mandate.signature_date,
                "description": line.move_id.payment_reference or line.move_id.name,
                "endtoend_id": line.end_to_end_id,
            }
            if mandate.bic:
                payment["BIC"] = mandate.bic.replace(" ", "").upper()
            sepa.add_payment(payment)
        try:
            content = sepa.export(validate=True)
        except SepaXmlValidationError as error:
            raise UserError(
                self.env._(
                    "The direct-debit file does not follow the %(schema)s schema: "
                    "%(error)s",
                    schema=SEPA_SCHEMA,
                    error=error.__cause__ or error,
                )
            ) from error
        return content, sepa.msg_id

    def _register_payment(self, line):
        """Register the debit as an inbound payment reconciled with the invoice."""
        register = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=line.move_id.ids)
            .create(
                {
                    "journal_id": self.journal_id.id,
                    "payment_date": self.collection_date,
                    "amount": line.amount,
                    "communication": f"{self.name} {line.move_id.name}",
                }
            )
        )
        return register._create_payments()
