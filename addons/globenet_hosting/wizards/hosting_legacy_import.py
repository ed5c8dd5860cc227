# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import members and their subscriptions from the old accounting base.

The file (.xls through xlrd, .xlsx through openpyxl, .csv) is read into
rows, each row is checked and planned (create, update or unchanged) against
records fetched once for the whole file, and only then written, one create
per model. A dry run stops after the plan.
"""

import base64
import csv
import functools
import io
import logging
import re
import struct
import zipfile
from collections import defaultdict
from datetime import date, datetime

from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError

from ..models.hosting_legacy_import_mapping import LEGACY_TARGETS
from ..models.sepa_mandate import sepa_bic_error, sepa_iban_error

_logger = logging.getLogger(__name__)

try:
    import xlrd
except ImportError:  # pragma: no cover - an Odoo 18 dependency
    xlrd = None
try:
    import openpyxl
except ImportError:  # pragma: no cover - an Odoo 18 dependency
    openpyxl = None
try:
    import chardet
except ImportError:  # pragma: no cover
    chardet = None

DEFAULT_SIZE_LIMIT = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
RECURRENCES = {
    "monthly": "monthly",
    "mensuel": "monthly",
    "mensuelle": "monthly",
    "mois": "monthly",
    "quarterly": "quarterly",
    "trimestriel": "quarterly",
    "trimestrielle": "quarterly",
    "trimestre": "quarterly",
    "yearly": "yearly",
    "annuel": "yearly",
    "annuelle": "yearly",
    "an": "yearly",
    "année": "yearly",
}
PAYMENT_METHODS = {
    "sepa_dd": "sepa_dd",
    "sepa": "sepa_dd",
    "prélèvement": "sepa_dd",
    "prelevement": "sepa_dd",
    "direct debit": "sepa_dd",
    "cheque": "cheque",
    "chèque": "cheque",
    "transfer": "transfer",
    "virement": "transfer",
    "bank transfer": "transfer",
}
DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class HostingLegacyImport(models.TransientModel):
    _name = "hosting.legacy.import"
    _description = "Import of the Old Accounting Base"

    mapping_id = fields.Many2one(
        comodel_name="hosting.legacy.import.mapping",
        string="Column Mapping",
        required=True,
        default=lambda self: self.env.ref(
            "globenet_hosting.legacy_import_mapping_old_base",
            raise_if_not_found=False,
        ),
    )
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    encoding = fields.Selection(
        selection=[
            ("auto", "Detect"),
            ("utf-8", "UTF-8"),
            ("cp1252", "Windows (cp1252)"),
            ("latin-1", "Latin-1 (ISO 8859-1)"),
        ],
        string="CSV Encoding",
        required=True,
        default="auto",
    )
    delimiter = fields.Selection(
        selection=[("auto", "Detect"), (";", "Semicolon ;"), (",", "Comma ,")],
        string="CSV Separator",
        required=True,
        default="auto",
    )
    import_valid_only = fields.Boolean(
        string="Import the valid rows only",
        help="Without it, nothing is written while any row has an error.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("checked", "Checked"), ("done", "Done")],
        default="draft",
        required=True,
    )
    create_count = fields.Integer(string="To Create", readonly=True)
    update_count = fields.Integer(string="To Update", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    error_count = fields.Integer(string="Rows in Error", readonly=True)
    report = fields.Html(readonly=True, sanitize=True)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_dry_run(self):
        """List what the import would create, update and skip, and every
        error by row and column; write nothing."""
        self.ensure_one()
        self._check_rights()
        plan = self._plan()
        self._write_report(plan, done=False)
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        self._check_rights()
        plan = self._plan()
        if plan["errors"] and not self.import_valid_only:
            self._write_report(plan, done=False)
            raise UserError(
                self.env._(
                    "%(count)s row(s) have errors: nothing was imported. Fix the "
                    "file, or choose to import the valid rows only. First error: "
                    "%(error)s",
                    count=len({row for row, _col, _msg in plan["errors"]}),
                    error=self._format_error(plan["errors"][0]),
                )
            )
        self._apply(plan)
        self._write_report(plan, done=True)
        return self._reopen()

    def _check_rights(self):
        for model in ("hosting.subscription", "res.partner", "sepa.mandate"):
            self.env[model].check_access("create")

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Reading the file
    # ------------------------------------------------------------------
    def _size_limit(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("globenet_hosting.legacy_import_size_limit", DEFAULT_SIZE_LIMIT)
        )

    def _read_rows(self):
        """The file's rows as lists of cells (str, float, date or None),
        the header first."""
        _ = self.env._
        if not self.file:
            raise UserError(_("Choose a file to import."))
        content = base64.b64decode(self.file)
        limit = self._size_limit()
        if len(content) > limit:
            raise UserError(
                _(
                    "The file is %(size)s bytes, over the limit of %(limit)s bytes.",
                    size=len(content),
                    limit=limit,
                )
            )
        name = (self.filename or "").lower()
        if name.endswith(".xlsx"):
            rows = self._read_xlsx(content)
        elif name.endswith(".xls"):
            rows = self._read_xls(content)
        elif name.endswith(".csv"):
            rows = self._read_csv(content)
        else:
            raise UserError(
                _(
                    "%(name)s is not a spreadsheet this import reads: choose a "
                    ".xls, .xlsx or .csv file.",
                    name=self.filename or _("The file"),
                )
            )
        rows = [
            row
            for row in rows
            if any(cell not in (None, "") and str(cell).strip() for cell in row)
        ]
        if len(rows) < 2:
            raise UserError(_("The sheet is empty: no header and data rows."))
        return rows

    def _read_xlsx(self, content):
        _ = self.env._
        if content[:8] == OLE2_MAGIC:
            raise UserError(
                _(
                    "The workbook is encrypted (password-protected): save it "
                    "without a password."
                )
            )
        if content[:4] != ZIP_MAGIC:
            raise UserError(_("The file is not a valid .xlsx workbook."))
        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
            sheet = book.worksheets[0]
            rows = [
                [cell.date() if isinstance(cell, datetime) else cell for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            book.close()
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as error:
            raise UserError(
                _("The .xlsx workbook is corrupt: %(error)s", error=error)
            ) from error
        return rows

    def _read_xls(self, content):
        _ = self.env._
        if content[:8] != OLE2_MAGIC:
            raise UserError(_("The file is not a valid .xls workbook."))
        try:
            book = xlrd.open_workbook(file_contents=content)
            sheet = book.sheet_by_index(0)
        except xlrd.XLRDError as error:
            if "encrypt" in str(error).lower():
                raise UserError(
                    _(
                        "The workbook is encrypted (password-protected): save it "
                        "without a password."
                    )
                ) from error
            raise UserError(
                _("The .xls workbook is corrupt or encrypted: %(error)s", error=error)
            ) from error
        except (
            xlrd.compdoc.CompDocError,
            AssertionError,
            IndexError,
            ValueError,
            struct.error,
        ) as error:
            raise UserError(
                _("The .xls workbook is corrupt: %(error)s", error=error)
            ) from error
        rows = []
        for index in range(sheet.nrows):
            row = []
            for cell in sheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(
                        xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).date()
                    )
                elif cell.ctype == xlrd.XL_CELL_EMPTY:
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        return rows

    def _read_csv(self, content):
        _ = self.env._
        text = None
        if self.encoding != "auto":
            try:
                text = content.decode(self.encoding)
            except UnicodeDecodeError as error:
                raise UserError(
                    _(
                        "The file is not in the chosen encoding %(encoding)s: "
                        "%(error)s",
                        encoding=self.encoding,
                        error=error,
                    )
                ) from error
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                guess = chardet.detect(content[:65536]) if chardet else {}
                encoding = guess.get("encoding") or "cp1252"
                try:
                    text = content.decode(encoding)
                except (UnicodeDecodeError, LookupError):
                    text = content.decode("cp1252", errors="strict")
        if "\x00" in text:
            raise UserError(_("The file is not a text (CSV) file."))
        delimiter = self.delimiter
        if delimiter == "auto":
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") >= first.count(",") else ","
        try:
            return list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as error:
            raise UserError(
                _("The CSV file is malformed: %(error)s", error=error)
            ) from error

    # ------------------------------------------------------------------
    # Checking and planning
    # ------------------------------------------------------------------
    def _plan(self):
        """Check every row and decide what each one does, writing nothing."""
        _ = self.env._
        rows = self._read_rows()
        header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
        index = {name.casefold(): position for position, name in enumerate(header)}
        columns = self.mapping_id._columns()
        missing = [
            columns.get(key, label)
            for key, label, required in LEGACY_TARGETS
            if required and columns.get(key, "").casefold() not in index
        ]
        if missing:
            raise UserError(
                _(
                    "The file has no column %(columns)s, which the mapping "
                    "%(mapping)s needs. Check the mapping or the file's first row.",
                    columns=", ".join(missing),
                    mapping=self.mapping_id.name,
                )
            )
        positions = {
            key: index[header_name.casefold()]
            for key, header_name in columns.items()
            if header_name.casefold() in index
        }
        errors = []
        records = []
        seen = {}
        products = self._legacy_products()
        currency = self.env.company.currency_id

        def cell_value(row, key):
            position = positions.get(key)
            if position is None or position >= len(row):
                return None
            value = row[position]
            if isinstance(value, str):
                value = value.strip()
                return value or None
            return value

        def add_error(row_errors, number, key, message):
            row_errors.append((number, columns.get(key, key), message))

        for number, row in enumerate(rows[1:], start=2):
            row_errors = []
            cell = functools.partial(cell_value, row)
            error = functools.partial(add_error, row_errors, number)

            vals = {}
            for key in ("legacy_ref", "name", "email", "street", "zip", "city"):
                value = cell(key)
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                vals[key] = str(value) if value is not None else False
            for key in ("legacy_ref", "name"):
                if not vals[key]:
                    error(key, _("missing"))
            if vals["email"]:
                normalized = tools.email_normalize(vals["email"])
                if not normalized:
                    error("email", _("not a valid email address"))
                vals["email_normalized"] = normalized
            else:
                vals["email_normalized"] = False
            if vals["legacy_ref"] in seen:
                error(
                    "legacy_ref",
                    _(
                        "the reference is also on row %(row)s",
                        row=seen[vals["legacy_ref"]],
                    ),
                )
            elif vals["legacy_ref"]:
                seen[vals["legacy_ref"]] = number
            product_key = cell("product")
            product = products.get(str(product_key).casefold()) if product_key else None
            if not product:
                error(
                    "product",
                    _("unknown product %(product)s", product=product_key or ""),
                )
            vals["product"] = product
            for key, required in (
                ("price", True),
                ("quantity", False),
                ("balance", False),
            ):
                raw = cell(key)
                if raw is None:
                    if required:
                        error(key, _("missing"))
                    vals[key] = None
                    continue
                amount, message = parse_amount(self.env, raw, currency)
                if message:
                    error(key, message)
                vals[key] = amount
            if vals["quantity"] is None:
                vals["quantity"] = 1.0
            elif vals["quantity"] <= 0:
                error("quantity", _("a quantity is positive"))
            raw = cell("recurrence")
            vals["recurrence"] = (
                RECURRENCES.get(str(raw).casefold(), False) if raw else "monthly"
            )
            if not vals["recurrence"]:
                error("recurrence", _("unknown recurrence %(value)s", value=raw))
            raw = cell("payment_method")
            vals["payment_method"] = (
                PAYMENT_METHODS.get(str(raw).casefold()) if raw else False
            )
            if not vals["payment_method"]:
                error(
                    "payment_method",
                    _("unknown payment method %(value)s", value=raw or ""),
                )
            for key, required in (
                ("date_start", True),
                ("next_invoice_date", True),
                ("mandate_date", False),
            ):
                raw = cell(key)
                if raw is None:
                    if required:
                        error(key, _("missing"))
                    vals[key] = False
                    continue
                value, message = parse_date(self.env, raw)
                if message:
                    error(key, message)
                vals[key] = value
            if (
                vals["date_start"]
                and vals["next_invoice_date"]
                and vals["next_invoice_date"] < vals["date_start"]
            ):
                error("next_invoice_date", _("before the start date"))
            iban = cell("iban")
            vals["iban"] = iban and re.sub(r"\s+", "", str(iban)).upper()
            vals["bic"] = cell("bic") and str(cell("bic")).replace(" ", "").upper()
            vals["mandate_ref"] = cell("mandate_ref") and str(cell("mandate_ref"))
            if vals["iban"]:
                message = sepa_iban_error(self.env, vals["iban"])
                if message:
                    error("iban", message)
                if vals["bic"] and (message := sepa_bic_error(self.env, vals["bic"])):
                    error("bic", message)
                if not vals["mandate_ref"]:
                    error("mandate_ref", _("an IBAN needs the mandate reference (RUM)"))
            vals["row"] = number
            if row_errors:
                errors.extend(row_errors)
            else:
                records.append(vals)
        plan = {"rows": records, "errors": errors}
        self._match(plan)
        return plan

    @api.model
    def _legacy_products(self):
        """Hosting products by internal reference and by name, casefolded."""
        products = self.env["product.product"].search(
            [("sale_ok", "=", True), ("company_id", "in", [False, self.env.company.id])]
        )
        by_key = {}
        for product in products:
            by_key.setdefault(product.name.casefold(), product)
        for product in products.filtered("default_code"):
            by_key[product.default_code.casefold()] = product
        return by_key

    def _match(self, plan):
        """Find, in one search per model, the records each row updates, and
        tell create, update and unchanged apart."""
        rows = plan["rows"]
        refs = [row["legacy_ref"] for row in rows]
        Partner = self.env["res.partner"].with_context(active_test=False)
        partners = Partner.search([("hosting_legacy_ref", "in", refs)])
        by_ref = {partner.hosting_legacy_ref: partner for partner in partners}
        emails = [row["email_normalized"] for row in rows if row["email_normalized"]]
        by_email = {}
        if emails:
            for partner in Partner.search(
                [
                    ("email_normalized", "in", emails),
                    ("hosting_legacy_ref", "=", False),
                ],
                order="id",
            ):
                by_email.setdefault(partner.email_normalized, partner)
        subs = self.env["hosting.subscription"].search(
            [
                ("hosting_legacy_ref", "in", refs),
                ("company_id", "=", self.env.company.id),
            ]
        )
        subs_by_ref = {sub.hosting_legacy_ref: sub for sub in subs}
        mandate_refs = [row["mandate_ref"] for row in rows if row["iban"]]
        mandates = self.env["sepa.mandate"].search(
            [("name", "in", mandate_refs), ("company_id", "=", self.env.company.id)]
        )
        mandates_by_ref = {mandate.name: mandate for mandate in mandates}
        balance_labels = [self._balance_label(row) for row in rows if row["balance"]]
        balance_lines = self.env["account.move.line"].search(
            [("name", "in", balance_labels), ("company_id", "=", self.env.company.id)]
        )
        balances_done = set(balance_lines.mapped("name"))
        for row in rows:
            partner = by_ref.get(row["legacy_ref"]) or by_email.get(
                row["email_normalized"]
            )
            row["partner"] = partner
            partner_vals = self._partner_vals(row)
            if partner:
                row["partner_write"] = {
                    key: value
                    for key, value in partner_vals.items()
                    if (partner[key] or False) != (value or False)
                }
            sub = subs_by_ref.get(row["legacy_ref"])
            row["subscription"] = sub
            row["subscription_write"] = {}
            row["line_write"] = {}
            if sub:
                if sub.payment_method != row["payment_method"]:
                    row["subscription_write"]["payment_method"] = row["payment_method"]
                line = sub.line_ids[:1]
                line_vals = {
                    "product_id": row["product"],
                    "quantity": row["quantity"],
                    "price_unit": row["price"],
                }
                row["line_write"] = {
                    key: value.id if key == "product_id" else value
                    for key, value in line_vals.items()
                    if line[key] != value
                }
            row["mandate"] = (
                mandates_by_ref.get(row["mandate_ref"]) if row["iban"] else None
            )
            row["balance_new"] = bool(
                row["balance"] and self._balance_label(row) not in balances_done
            )
            if not partner or not sub or (row["iban"] and not row["mandate"]):
                row["status"] = "create"
            elif (
                row.get("partner_write")
                or row["subscription_write"]
                or row["line_write"]
                or row["balance_new"]
            ):
                row["status"] = "update"
            else:
                row["status"] = "unchanged"

    def _partner_vals(self, row):
        vals = {
            "name": row["name"],
            "hosting_legacy_ref": row["legacy_ref"],
        }
        for key in ("email", "street", "zip", "city"):
            if row[key]:
                vals[key] = row[key]
        return vals

    def _balance_label(self, row):
        return self.env._(
            "Opening balance of the old base, %(ref)s", ref=row["legacy_ref"]
        )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    def _apply(self, plan):
        """Write the plan: one create per model for all new records."""
        rows = plan["rows"]
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
            )
        )
        company = self.env.company
        # Partners
        new_rows = [row for row in rows if not row["partner"]]
        new_partners = env["res.partner"].create(
            [
                {**self._partner_vals(row), "is_company": True, "company_id": False}
                for row in new_rows
            ]
        )
        for row, partner in zip(new_rows, new_partners, strict=True):
            row["partner"] = partner
        for row in rows:
            if row.get("partner_write"):
                row["partner"].with_env(env).write(row["partner_write"])
        # Subscriptions
        new_sub_rows = [row for row in rows if not row["subscription"]]
        subs = (
            env["hosting.subscription"]
            .with_company(company)
            .create(
                [
                    {
                        "partner_id": row["partner"].id,
                        "hosting_legacy_ref": row["legacy_ref"],
                        "payment_method": row["payment_method"],
                        "recurring_rule_type": row["recurrence"],
                        "date_start": row["date_start"],
                        "next_period_start": row["next_invoice_date"],
                        "company_id": company.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": row["product"].id,
                                    "quantity": row["quantity"],
                                    "price_unit": row["price"],
                                }
                            )
                        ],
                    }
                    for row in new_sub_rows
                ]
            )
        )
        subs.action_activate()
        for row in rows:
            if row["subscription_write"]:
                row["subscription"].with_env(env).write(row["subscription_write"])
            if row["line_write"]:
                row["subscription"].line_ids[:1].with_env(env).write(row["line_write"])
        # Bank accounts and mandates
        mandate_rows = [row for row in rows if row["iban"] and not row["mandate"]]
        if mandate_rows:
            accounts = env["res.partner.bank"].search(
                [
                    (
                        "sanitized_acc_number",
                        "in",
                        [row["iban"] for row in mandate_rows],
                    )
                ]
            )
            account_by_key = {
                (account.sanitized_acc_number, account.partner_id.id): account
                for account in accounts
            }
            missing = {}
            for row in mandate_rows:
                key = (row["iban"], row["partner"].id)
                if key not in account_by_key and key not in missing:
                    missing[key] = {
                        "acc_number": row["iban"],
                        "partner_id": row["partner"].id,
                    }
            created = env["res.partner.bank"].create(list(missing.values()))
            account_by_key.update(zip(missing, created, strict=True))
            mandates = env["sepa.mandate"].create(
                [
                    {
                        "name": row["mandate_ref"],
                        "partner_id": row["partner"].id,
                        "partner_bank_id": account_by_key[
                            (row["iban"], row["partner"].id)
                        ].id,
                        "signature_date": row["mandate_date"] or row["date_start"],
                        "company_id": company.id,
                        **({"bic": row["bic"]} if row["bic"] else {}),
                    }
                    for row in mandate_rows
                ]
            )
            mandates.action_validate()
        # Opening balances, as open items of one journal entry
        balance_rows = [row for row in rows if row["balance_new"]]
        if balance_rows:
            self._create_opening_balances(env, balance_rows)

    def _create_opening_balances(self, env, rows):
        _ = self.env._
        company = self.env.company
        journal = env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
        )
        counterpart = env["account.account"].search(
            [
                ("account_type", "=", "equity_unaffected"),
                ("company_ids", "in", company.id),
            ],
            limit=1,
        )
        if not journal or not counterpart:
            raise UserError(
                _(
                    "Opening balances need a miscellaneous journal and an "
                    "undistributed profits account in %(company)s.",
                    company=company.name,
                )
            )
        lines = []
        total = 0.0
        for row in rows:
            amount = row["balance"]
            total += amount
            lines.append(
                Command.create(
                    {
                        "name": self._balance_label(row),
                        "partner_id": row["partner"].id,
                        "account_id": row["partner"]
                        .with_company(company)
                        .property_account_receivable_id.id,
                        "debit": amount if amount > 0 else 0.0,
                        "credit": -amount if amount < 0 else 0.0,
                    }
                )
            )
        lines.append(
            Command.create(
                {
                    "name": _("Opening balances of the old base"),
                    "account_id": counterpart.id,
                    "debit": -total if total < 0 else 0.0,
                    "credit": total if total > 0 else 0.0,
                }
            )
        )
        move = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "ref": _("Import of the old accounting base"),
                "line_ids": lines,
            }
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    def _format_error(self, error):
        row, column, message = error
        return self.env._(
            "row %(row)s, column %(column)s: %(message)s",
            row=row,
            column=column,
            message=message,
        )

    def _write_report(self, plan, done):
        _ = self.env._
        counts = defaultdict(int)
        for row in plan["rows"]:
            counts[row["status"]] += 1
        error_rows = len({row for row, _col, _msg in plan["errors"]})
        parts = []
        status_labels = {
            "create": _("create"),
            "update": _("update"),
            "unchanged": _("unchanged, skipped"),
        }
        if plan["errors"]:
            parts.append(Markup("<h4>%s</h4><ul>") % _("Errors"))
            for error in plan["errors"]:
                parts.append(Markup("<li>%s</li>") % self._format_error(error))
            parts.append(Markup("</ul>"))
        parts.append(
            Markup(
                "<h4>%s</h4><table class='table table-sm'><tr>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>"
            )
            % (
                _("Imported") if done else _("What the import would do"),
                _("Row"),
                _("Reference"),
                _("Member"),
                _("Action"),
            )
        )
        for row in plan["rows"][:500]:
            parts.append(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (
                    row["row"],
                    row["legacy_ref"],
                    row["name"],
                    status_labels[row["status"]],
                )
            )
        parts.append(Markup("</table>"))
        if len(plan["rows"]) > 500:
            parts.append(
                Markup("<p>%s</p>")
                % _("… and %(count)s more rows.", count=len(plan["rows"]) - 500)
            )
        self.write(
            {
                "state": "done" if done else "checked",
                "create_count": counts["create"],
                "update_count": counts["update"],
                "unchanged_count": counts["unchanged"],
                "error_count": error_rows,
                "report": Markup("").join(parts),
            }
        )


def parse_date(env, value):
    """(date, False) or (False, why not). Spreadsheet dates, ISO dates and
    day/month/year are accepted; dates written in words are refused."""
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    text = str(value).strip()
    try:
        if match := ISO_DATE_RE.match(text):
            return date(int(match[1]), int(match[2]), int(match[3])), False
        if match := DATE_RE.match(text):
            return date(int(match[3]), int(match[2]), int(match[1])), False
    except ValueError:
        return False, env._("%(value)s is not a date", value=text)
    return False, env._(
        "date in text %(value)s: write it as a date (DD/MM/YYYY)", value=text
    )


def parse_amount(env, value, currency):
    """(amount, False) or (None, why not). A decimal comma and the currency's
    sign or code are accepted when the amount stays unambiguous."""
    if isinstance(value, bool):
        return None, env._("%(value)s is not an amount", value=value)
    if isinstance(value, int | float):
        return float(value), False
    text = (
        str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    )
    for sign in (currency.symbol, currency.name):
        if sign and sign in text:
            text = text.replace(sign, "")
    negative = text.startswith("-")
    text = text.lstrip("-+")
    if not re.fullmatch(r"[0-9.,]+", text or "x"):
        return None, env._(
            "%(value)s is not an amount in %(currency)s",
            value=value,
            currency=currency.name,
        )
    if "," in text and "." in text:
        # The last separator is the decimal one: 1.234,56 or 1,234.56.
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") == 1 or text.count(".") == 1:
        separator = "," if "," in text else "."
        decimals = text.split(separator)[1]
        if len(decimals) == 3:
            return None, env._(
                "%(value)s is ambiguous: thousands or decimals? Write it as "
                "1234.50 or 1234,50",
                value=value,
            )
        text = text.replace(",", ".")
    elif "," in text or text.count(".") > 1:
        return None, env._("%(value)s is not an amount", value=value)
    try:
        amount = float(text)
    except ValueError:
        return None, env._("%(value)s is not an amount", value=value)
    return -amount if negative else amount, False
