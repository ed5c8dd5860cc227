import base64
import os
from datetime import date

import sepaxml
from freezegun import freeze_time
from lxml import etree
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import HostingCommon

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
ICS = "FR72ZZZ123456"
IBAN_COMPANY = "FR7630004000000000012345632"
IBAN_MEMBER = "FR7630006000011234567890189"
IBAN_MEMBER_2 = "FR7620041000000000000100576"
IBAN_BAD_CHECKSUM = "FR7630006000011234567890188"
COLLECTION_DATE = date(2026, 3, 10)


# Before every collection date of the tests: a past date is refused.
@freeze_time("2026-02-01")
@tagged("post_install", "-at_install")
class TestSepaDirectDebit(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.sepa_creditor_identifier = ICS
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.bank_journal.bank_account_id = cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": IBAN_COMPANY,
                "bank_id": cls.env["res.bank"]
                .create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
                .id,
            }
        )
        cls.Mandate = cls.env["sepa.mandate"]
        cls.Batch = cls.env["sepa.direct.debit.batch"]
        cls.member_2 = cls.env["res.partner"].create({"name": "Dominique Petit"})
        cls.member_cheque = cls.env["res.partner"].create({"name": "Claude Leroy"})
        cls.mandate = cls._create_mandate(cls.member, IBAN_MEMBER, "GN-0001")
        cls.mandate_2 = cls._create_mandate(
            cls.member_2, IBAN_MEMBER_2, "GN-0002", sequence_type="RCUR"
        )
        cls.invoice = cls._create_invoice(cls.member, 120.0, date(2026, 3, 1))
        cls.invoice_2 = cls._create_invoice(cls.member_2, 45.5, date(2026, 3, 10))
        cls.invoice_cheque = cls._create_invoice(
            cls.member_cheque, 30.0, date(2026, 3, 1), method="cheque"
        )
        cls.invoice_later = cls._create_invoice(cls.member, 12.0, date(2026, 4, 1))
        cls.reader = new_test_user(
            cls.env,
            login="sepa_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )

    @classmethod
    def _create_mandate(cls, partner, iban, reference, **vals):
        bank = cls.env["res.partner.bank"].create(
            {"partner_id": partner.id, "acc_number": iban}
        )
        mandate = cls.env["sepa.mandate"].create(
            {
                "name": reference,
                "partner_id": partner.id,
                "partner_bank_id": bank.id,
                "signature_date": date(2026, 1, 15),
                **vals,
            }
        )
        mandate.action_validate()
        return mandate

    @classmethod
    def _create_invoice(cls, partner, amount, due_date, method="sepa_dd"):
        invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due_date,
                "invoice_date_due": due_date,
                "invoice_payment_term_id": False,
                "hosting_payment_method": method,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Hosting",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _new_batch(self, collection_date=COLLECTION_DATE):
        return self.Batch.create(
            {"collection_date": collection_date, "journal_id": self.bank_journal.id}
        )

    def _xml(self, batch):
        return etree.fromstring(base64.b64decode(batch.attachment_id.datas))

    def _assert_nothing_done(self, batch, invoices):
        self.assertFalse(batch.attachment_id)
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", batch._name), ("res_id", "=", batch.id)]
            )
        )
        self.assertEqual(batch.state, "draft")
        self.assertFalse(batch.line_ids.payment_id)
        self.assertFalse(
            self.env["account.payment"].search_count(
                [("partner_id", "in", invoices.partner_id.ids)]
            )
        )
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid"})
        if self.mandate.exists():
            self.assertEqual(self.mandate.sequence_type, "FRST")

    # IBAN, BIC and creditor identifier

    def test_iban_bic_validation(self):
        self.assertEqual(self.mandate.bic, "AGRIFRPPXXX")
        bad_bank = self.env["res.partner.bank"].create(
            {"partner_id": self.member.id, "acc_number": IBAN_BAD_CHECKSUM}
        )
        with self.assertRaisesRegex(ValidationError, IBAN_BAD_CHECKSUM):
            self.Mandate.create(
                {
                    "name": "GN-BAD",
                    "partner_id": self.member.id,
                    "partner_bank_id": bad_bank.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "GN_0001"):
            self.mandate.name = "GN_0001"
        with self.assertRaisesRegex(ValidationError, "X" * 36):
            self.mandate.name = "X" * 36
        with self.assertRaisesRegex(ValidationError, "AGRIXXPP"):
            self.mandate.bic = "AGRIXXPP"
        with self.assertRaisesRegex(ValidationError, "FR12ZZZ123456"):
            self.company.sepa_creditor_identifier = "FR12ZZZ123456"
        self.company.sepa_creditor_identifier = "fr72 zzz 123456"
        self.assertEqual(self.company.sepa_creditor_identifier, ICS)
        # The German example of the EPC is valid too.
        self.company.sepa_creditor_identifier = "DE98ZZZ09999999999"
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.sepa_creditor_identifier, "DE98ZZZ09999999999")
        settings.sepa_creditor_identifier = ICS
        settings.execute()
        self.assertEqual(self.company.sepa_creditor_identifier, ICS)

    @mute_logger("odoo.sql_db")
    def test_mandate_reference_unique_per_company(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.Mandate.create(
                {
                    "name": "GN-0001",
                    "partner_id": self.member.id,
                    "partner_bank_id": self.mandate.partner_bank_id.id,
                }
            )

    # The batch and its file

    def test_batch_file(self):
        batch = self._new_batch()
        batch.action_prepare()
        self.assertEqual(batch.line_ids.move_id, self.invoice | self.invoice_2)
        batch.action_generate()
        self.assertEqual(batch.state, "sent")
        self.assertEqual(batch.attachment_id.res_id, batch.id)
        self.assertEqual(batch.amount_total, 165.5)

        content = base64.b64decode(batch.attachment_id.datas)
        schema = etree.XMLSchema(
            etree.parse(
                os.path.join(
                    os.path.dirname(sepaxml.__file__),
                    "schemas",
                    "pain.008.001.02.xsd",
                )
            )
        )
        root = etree.fromstring(content)
        schema.assertValid(root)
        self.assertEqual(root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS), "2")
        self.assertEqual(
            root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS), "165.50"
        )
        found = {}
        for pmt_inf in root.iterfind(".//p:PmtInf", namespaces=NS):
            self.assertEqual(
                pmt_inf.findtext("p:ReqdColltnDt", namespaces=NS), "2026-03-10"
            )
            self.assertEqual(
                pmt_inf.findtext(
                    "p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS
                ),
                ICS,
            )
            self.assertEqual(
                pmt_inf.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
                IBAN_COMPANY,
            )
            seq_type = pmt_inf.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS)
            for tx in pmt_inf.iterfind("p:DrctDbtTxInf", namespaces=NS):
                mandate_id = tx.findtext(
                    "p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=NS
                )
                amount = tx.find("p:InstdAmt", namespaces=NS)
                found[mandate_id] = (
                    seq_type,
                    amount.text,
                    amount.get("Ccy"),
                    tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS),
                )
        self.assertEqual(
            found,
            {
                "GN-0001": ("FRST", "120.00", "EUR", IBAN_MEMBER),
                "GN-0002": ("RCUR", "45.50", "EUR", IBAN_MEMBER_2),
            },
        )

    def test_chatter_amount_with_currency(self):
        """The chatter gives the file's total with its currency, in the
        reader's number format."""
        batch = self._new_batch().with_context(lang="fr_FR")
        batch.action_prepare()
        batch.action_generate()
        body = batch.message_ids[:1].body
        self.assertIn("165,50&nbsp;€", body)
        self.assertIn("2 prélèvement(s)", body)

    def test_cheque_and_later_invoices_not_selected(self):
        batch = self._new_batch()
        batch.action_prepare()
        self.assertEqual(batch.line_ids.move_id, self.invoice | self.invoice_2)
        # Computing again gives the same debits; another batch does not take them.
        batch.action_prepare()
        self.assertEqual(batch.line_ids.move_id, self.invoice | self.invoice_2)
        other = self._new_batch()
        other.action_prepare()
        self.assertFalse(other.line_ids)
        self.assertNotIn(self.invoice_cheque, batch.line_ids.move_id)
        self.assertNotIn(self.invoice_later, batch.line_ids.move_id)
        # Once due, the later invoice is collected by the next batch.
        later = self._new_batch(date(2026, 4, 1))
        later.action_prepare()
        self.assertIn(self.invoice_later, later.line_ids.move_id)
        self.assertNotIn(self.invoice_cheque, later.line_ids.move_id)

    def test_invoices_in_payment_then_collected(self):
        batch = self._new_batch()
        batch.action_generate()
        invoices = self.invoice | self.invoice_2
        self.assertEqual(set(invoices.mapped("payment_state")), {"in_payment"})
        payments = batch.line_ids.payment_id
        self.assertEqual(len(payments), 2)
        self.assertEqual(set(payments.mapped("state")), {"in_process"})
        self.assertEqual(payments.journal_id, self.bank_journal)
        self.assertEqual(set(payments.mapped("payment_type")), {"inbound"})
        self.assertEqual(sorted(payments.mapped("amount")), [45.5, 120.0])
        self.assertEqual(set(batch.line_ids.mapped("state")), {"sent"})
        # The invoices are not picked by another batch.
        other = self._new_batch()
        other.action_prepare()
        self.assertFalse(other.line_ids)

        batch.action_done()
        self.assertEqual(batch.state, "done")
        self.assertEqual(set(batch.line_ids.mapped("state")), {"collected"})
        expected = self.env["account.move"]._get_invoice_in_payment_state()
        self.assertEqual(set(invoices.mapped("payment_state")), {expected})

    def test_rejection_reopens_invoice(self):
        batch = self._new_batch()
        batch.action_generate()
        line = batch.line_ids.filtered(lambda x: x.move_id == self.invoice)
        payment = line.payment_id
        action = line.action_reject()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "AM04 insufficient funds"
        wizard.save().action_reject()

        self.assertEqual(line.state, "rejected")
        self.assertEqual(line.reject_reason, "AM04 insufficient funds")
        self.assertEqual(payment.state, "canceled")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertEqual(self.invoice.amount_residual, 120.0)
        activity = self.invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.user)
        self.assertIn("AM04", str(activity.note))
        # The other debit is untouched; a rejected first debit stays first.
        self.assertEqual(self.invoice_2.payment_state, "in_payment")
        self.assertEqual(self.mandate.sequence_type, "FRST")
        self.assertEqual(batch.amount_total, 45.5)
        # The reopened invoice is collected again by the next batch.
        again = self._new_batch(date(2026, 3, 20))
        again.action_prepare()
        self.assertIn(self.invoice, again.line_ids.move_id)

    def test_first_becomes_recurring(self):
        self.assertEqual(self.mandate.sequence_type, "FRST")
        self._new_batch().action_generate()
        self.assertEqual(self.mandate.sequence_type, "RCUR")
        self.assertEqual(self.mandate.last_debit_date, COLLECTION_DATE)
        batch = self._new_batch(date(2026, 4, 1))
        batch.action_generate()
        self.assertEqual(batch.line_ids.move_id, self.invoice_later)
        seq_types = self._xml(batch).xpath(
            "//p:PmtInf[p:DrctDbtTxInf/p:DrctDbtTx/p:MndtRltdInf/p:MndtId='GN-0001']"
            "/p:PmtTpInf/p:SeqTp/text()",
            namespaces=NS,
        )
        self.assertEqual(seq_types, ["RCUR"])

    # Cancelling a generated batch

    def test_cancel_generated_batch(self):
        batch = self._new_batch()
        batch.action_generate()
        payments = batch.line_ids.payment_id
        attachment = batch.attachment_id
        invoices = self.invoice | self.invoice_2
        self.assertEqual(self.mandate.sequence_type, "RCUR")
        with self.assertRaises(AccessError):
            batch.with_user(self.reader).action_cancel()

        batch.action_cancel()
        self.assertEqual(batch.state, "cancel")
        self.assertEqual(set(batch.line_ids.mapped("state")), {"cancel"})
        self.assertEqual(set(payments.mapped("state")), {"canceled"})
        self.assertEqual(set(invoices.mapped("payment_state")), {"not_paid"})
        self.assertEqual(self.invoice.amount_residual, 120.0)
        # The mandate that had its first debit here is first again; the
        # recurring one stays recurring.
        self.assertEqual(self.mandate.sequence_type, "FRST")
        self.assertFalse(self.mandate.last_debit_date)
        self.assertEqual(self.mandate_2.sequence_type, "RCUR")
        # The file is kept in the chatter, no longer offered for download.
        self.assertFalse(batch.attachment_id)
        self.assertTrue(attachment.exists())
        self.assertIn(attachment, batch.message_ids[0].attachment_ids)
        self.assertIn("cancelled", str(batch.message_ids[0].body))
        # The invoices go into the next batch.
        again = self._new_batch()
        again.action_prepare()
        self.assertEqual(again.line_ids.move_id, invoices)
        self.assertEqual(
            {line.mandate_id: line.sequence_type for line in again.line_ids},
            {self.mandate: "FRST", self.mandate_2: "RCUR"},
        )

    def test_collected_batch_cannot_be_cancelled(self):
        batch = self._new_batch()
        batch.action_generate()
        batch.action_done()
        with self.assertRaisesRegex(UserError, "reject its debits"):
            batch.action_cancel()
        self.assertEqual(batch.state, "done")

    # Collection date and mandate reference

    def test_collection_date_in_the_past_refused(self):
        batch = self._new_batch()
        with freeze_time("2026-03-11"):
            with self.assertRaisesRegex(ValidationError, "in the past"):
                self._new_batch(date(2026, 3, 10))
            with self.assertRaisesRegex(ValidationError, "in the past"):
                batch.collection_date = date(2026, 3, 1)
            # A batch prepared earlier cannot be generated once its date passed.
            with self.assertRaisesRegex(UserError, "in the past"):
                batch.action_generate()
            self._assert_nothing_done(batch, self.invoice | self.invoice_2)
            self.assertTrue(self._new_batch(date(2026, 3, 11)))

    def test_mandate_reference_from_sequence(self):
        bank = self.env["res.partner.bank"].create(
            {"partner_id": self.member_cheque.id, "acc_number": IBAN_COMPANY}
        )
        with Form(self.Mandate) as form:
            form.partner_id = self.member_cheque
            form.partner_bank_id = bank
        first = form.record
        second = self.Mandate.create(
            {"partner_id": self.member_cheque.id, "partner_bank_id": bank.id}
        )
        self.assertRegex(first.name, r"^RUM/2026/\d{5}$")
        self.assertRegex(second.name, r"^RUM/2026/\d{5}$")
        self.assertNotEqual(first.name, second.name)
        # A reference typed in (an existing paper mandate) is kept.
        self.assertEqual(self.mandate.name, "GN-0001")

    # Bad input stops the batch with every problem listed

    def test_refused_without_creditor_identifier(self):
        self.company.sepa_creditor_identifier = False
        batch = self._new_batch()
        with self.assertRaisesRegex(UserError, "creditor identifier"):
            batch.action_generate()
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_refused_without_mandate(self):
        self.mandate.unlink()
        batch = self._new_batch()
        with self.assertRaisesRegex(UserError, "no SEPA mandate"):
            batch.action_generate()
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_refused_with_revoked_mandate(self):
        batch = self._new_batch()
        batch.action_prepare()
        self.mandate.action_revoke()
        with self.assertRaisesRegex(UserError, "GN-0001 is Revoked"):
            batch.action_generate()
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_refused_with_invalid_iban(self):
        # base_iban accepts a malformed number as a plain bank account.
        self.mandate.partner_bank_id.acc_number = IBAN_BAD_CHECKSUM
        batch = self._new_batch()
        with self.assertRaisesRegex(UserError, IBAN_BAD_CHECKSUM):
            batch.action_generate()
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_refused_without_company_bank_account(self):
        self.bank_journal.bank_account_id = False
        batch = self._new_batch()
        with self.assertRaisesRegex(UserError, "company's bank account"):
            batch.action_generate()
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_every_problem_listed(self):
        self.company.sepa_creditor_identifier = False
        self.mandate_2.action_revoke()
        self.mandate.partner_bank_id.acc_number = IBAN_BAD_CHECKSUM
        batch = self._new_batch()
        with self.assertRaises(UserError) as caught:
            batch.action_generate()
        message = str(caught.exception)
        problems = [line for line in message.splitlines() if line.startswith("- ")]
        self.assertEqual(len(problems), 3, message)
        self.assertIn("creditor identifier", message)
        self.assertIn(IBAN_BAD_CHECKSUM, message)
        self.assertIn("GN-0002 is Revoked", message)
        self._assert_nothing_done(batch, self.invoice | self.invoice_2)

    def test_refused_without_anything_due(self):
        batch = self._new_batch(date(2026, 2, 1))
        with self.assertRaisesRegex(UserError, "No open invoice"):
            batch.action_generate()
        self.assertFalse(batch.attachment_id)

    # Security

    def test_user_reads_but_cannot_change(self):
        batch = self._new_batch()
        batch.action_generate()
        self.assertEqual(
            self.Mandate.with_user(self.reader).search([("name", "=", "GN-0001")]),
            self.mandate,
        )
        self.assertEqual(batch.with_user(self.reader).line_count, 2)
        with self.assertRaises(AccessError):
            self.Mandate.with_user(self.reader).create(
                {
                    "name": "GN-READER",
                    "partner_id": self.member.id,
                    "partner_bank_id": self.mandate.partner_bank_id.id,
                }
            )
        with self.assertRaises(AccessError):
            self.Batch.with_user(self.reader).create(
                {"journal_id": self.bank_journal.id}
            )
        with self.assertRaises(AccessError):
            batch.line_ids[0].with_user(self.reader)._reject("no")

    def test_multi_company(self):
        company_2 = self.setup_other_company(name="Globenet Bis")["company"]
        member_bis = self.env["res.partner"].create({"name": "Sacha Bis"})
        bank = self.env["res.partner.bank"].create(
            {"partner_id": member_bis.id, "acc_number": IBAN_MEMBER_2}
        )
        mandate_bis = self.Mandate.with_company(company_2).create(
            {
                "name": "GN-0001",
                "partner_id": member_bis.id,
                "partner_bank_id": bank.id,
                "company_id": company_2.id,
            }
        )
        self.assertEqual(mandate_bis.company_id, company_2)
        user_1 = new_test_user(
            self.env,
            login="sepa_treasurer_1",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        visible = self.Mandate.with_user(user_1).search([])
        self.assertIn(self.mandate, visible)
        self.assertNotIn(mandate_bis, visible)
        with self.assertRaises(AccessError):
            mandate_bis.with_user(user_1).read(["name"])
