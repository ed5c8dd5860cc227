# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open

from ..wizards.hosting_legacy_import import parse_amount, parse_date
from .common import HostingCommon

HEADER = (
    "Réf;Nom;Email;Adresse;CP;Ville;Produit;Qté;Prix;Périodicité;Règlement;"
    "Début;Prochaine facture;IBAN;BIC;RUM;Date mandat;Solde"
)


@tagged("post_install", "-at_install")
class TestLegacyImport(HostingCommon):
    """The old accounting base's export, in its three formats."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name, kind, price in (
            ("Hébergement mutualisé", "shared_hosting", 20.0),
            ("Hébergement mutualisé étendu", "shared_hosting", 50.0),
            ("Serveur virtuel infogéré", "virtual_server", 100.0),
            ("Nom de domaine", "domain", 15.0),
            ("Location de modem", "modem_rental", 25.0),
        ):
            cls._create_product(
                name=name, type="service", lst_price=price, hosting_service_type=kind
            )
        cls.mapping = cls.env.ref("globenet_hosting.legacy_import_mapping_old_base")

    def _file(self, name):
        with file_open(f"globenet_hosting/tests/data/{name}", "rb") as handle:
            return handle.read()

    def _wizard(self, content, filename="ancienne_base.csv", **vals):
        return self.env["hosting.legacy.import"].create(
            {
                "file": base64.b64encode(content),
                "filename": filename,
                "mapping_id": self.mapping.id,
                **vals,
            }
        )

    def _csv(self, *rows):
        return "\r\n".join([HEADER, *rows]).encode("utf-8")

    def _imported(self):
        return self.env["hosting.subscription"].search(
            [("hosting_legacy_ref", "like", "A01")], order="hosting_legacy_ref"
        )

    def test_dry_run_lists_and_writes_nothing(self):
        partners = self.env["res.partner"].search_count([])
        wizard = self._wizard(self._file("ancienne_base.csv"))
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.error_count), (6, 0, 0)
        )
        self.assertIn("Radio Pavé", wizard.report)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(self._imported())

    def test_import_csv(self):
        wizard = self._wizard(self._file("ancienne_base.csv"))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        subs = self._imported()
        self.assertEqual(len(subs), 6)
        self.assertEqual(set(subs.mapped("state")), {"active"})
        canal = subs[0]
        self.assertEqual(canal.partner_id.name, "Association des Amis du Canal")
        self.assertEqual(canal.partner_id.hosting_legacy_ref, "A0101")
        self.assertEqual(canal.partner_id.zip, "75010")
        self.assertEqual(canal.payment_method, "sepa_dd")
        self.assertEqual(canal.date_start, date(2019, 3, 15))
        self.assertEqual(canal.next_invoice_date, date(2026, 12, 1))
        self.assertEqual(canal.line_ids.price_unit, 20.0)
        chomeurs = subs.filtered(lambda s: s.hosting_legacy_ref == "A0103")
        self.assertEqual(chomeurs.recurring_rule_type, "quarterly")
        self.assertEqual(chomeurs.payment_method, "cheque")
        velo = subs.filtered(lambda s: s.hosting_legacy_ref == "A0104")
        self.assertEqual(velo.recurring_rule_type, "yearly")
        self.assertEqual(velo.line_ids.quantity, 2.0)
        mandates = self.env["sepa.mandate"].search([("name", "like", "GN-ANC-")])
        self.assertEqual(len(mandates), 3)
        self.assertEqual(set(mandates.mapped("state")), {"valid"})
        self.assertEqual(
            mandates.filtered(
                lambda m: m.name == "GN-ANC-0101"
            ).partner_bank_id.sanitized_acc_number,
            "FR7630003000010001001234516",
        )
        self.assertEqual(
            mandates.filtered(lambda m: m.name == "GN-ANC-0101").signature_date,
            date(2019, 3, 10),
        )
        # Opening balances: open items on the members' receivable.
        lines = self.env["account.move.line"].search(
            [("name", "like", "Opening balance of the old base")]
        )
        self.assertEqual(
            sorted(lines.mapped("balance")), [-10.0, 45.5, 120.0], lines.mapped("name")
        )
        self.assertEqual(set(lines.move_id.mapped("state")), {"posted"})
        self.assertEqual(
            set(lines.mapped("account_id.account_type")), {"asset_receivable"}
        )
        self.assertEqual(
            lines.filtered(lambda ln: ln.balance == 120.0).partner_id.name,
            "Collectif Presse Libre",
        )
        self.assertFalse(any(lines.mapped("reconciled")))

    def test_second_import_changes_nothing(self):
        self._wizard(self._file("ancienne_base.csv")).action_import()
        self.env.flush_all()
        counts = {
            model: self.env[model].search_count([])
            for model in (
                "res.partner",
                "hosting.subscription",
                "sepa.mandate",
                "account.move",
            )
        }
        write_dates = self._imported().mapped("write_date")
        wizard = self._wizard(self._file("ancienne_base.csv"))
        wizard.action_import()
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.unchanged_count),
            (0, 0, 6),
        )
        for model, count in counts.items():
            self.assertEqual(self.env[model].search_count([]), count, model)
        self.assertEqual(self._imported().mapped("write_date"), write_dates)

    def test_xlsx_and_xls_read_the_same(self):
        self._wizard(
            self._file("ancienne_base.xlsx"), "ancienne_base.xlsx"
        ).action_import()
        subs = self._imported()
        self.assertEqual(len(subs), 6)
        self.assertEqual(subs[0].date_start, date(2019, 3, 15))
        for filename in ("ancienne_base.xls", "ancienne_base.csv"):
            wizard = self._wizard(self._file(filename), filename)
            wizard.action_dry_run()
            self.assertEqual(
                (wizard.create_count, wizard.update_count, wizard.unchanged_count),
                (0, 0, 6),
                filename,
            )

    def test_existing_member_matched_by_email_then_updated(self):
        member = self.env["res.partner"].create(
            {"name": "Amis du Canal", "email": "Bureau@Amis-Canal.example"}
        )
        wizard = self._wizard(self._file("ancienne_base.csv"))
        wizard.action_import()
        self.assertEqual(member.hosting_legacy_ref, "A0101")
        self.assertEqual(member.name, "Association des Amis du Canal")
        self.assertEqual(self._imported()[0].partner_id, member)
        # The file changes a price: the next import updates it, and only it.
        content = self._file("ancienne_base.csv").replace(
            b";20,00 \x80;", b";22,00 \x80;"
        )
        wizard = self._wizard(content)
        wizard.action_import()
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.unchanged_count),
            (0, 1, 5),
        )
        self.assertEqual(self._imported()[0].line_ids.price_unit, 22.0)

    def test_bad_rows_by_row_and_column(self):
        content = self._csv(
            "B1;Bon;bon@example.org;;;;Hébergement mutualisé;1;20;mensuel;chèque;"
            "01/01/2024;01/12/2026;;;;;",
            "B2;Date en texte;;;;;Hébergement mutualisé;1;20;mensuel;chèque;"
            "mars 2020;01/12/2026;;;;;",
            "B3;Montant ambigu;;;;;Hébergement mutualisé;1;1,234;mensuel;chèque;"
            "01/01/2024;01/12/2026;;;;;",
            "B4;Produit inconnu;;;;;Cafetière;1;20;mensuel;$;01/01/2024;"
            "01/12/2026;;;;;",
            "B5;IBAN faux;;;;;Hébergement mutualisé;1;20 USD;mensuel;prélèvement;"
            "01/01/2024;01/12/2026;FR7630003000010001001234500;;GN-X;;",
        )
        wizard = self._wizard(content)
        wizard.action_dry_run()
        self.assertEqual((wizard.create_count, wizard.error_count), (1, 4))
        for expected in (
            "row 3, column Début: date in text mars 2020",
            "row 4, column Prix: 1,234 is ambiguous",
            "row 5, column Produit: unknown product Cafetière",
            "row 5, column Règlement: unknown payment method $",
            "row 6, column IBAN: invalid IBAN",
            "row 6, column Prix: 20 USD is not an amount in EUR",
        ):
            self.assertIn(expected, wizard.report)
        with self.assertRaisesRegex(UserError, "nothing was imported"):
            self._wizard(content).action_import()
        self.assertFalse(
            self.env["res.partner"].search([("hosting_legacy_ref", "like", "B")])
        )
        wizard = self._wizard(content, import_valid_only=True)
        wizard.action_import()
        self.assertEqual(
            self.env["res.partner"]
            .search([("hosting_legacy_ref", "like", "B")])
            .mapped("name"),
            ["Bon"],
        )

    def test_bad_files_write_nothing(self):
        partners = self.env["res.partner"].search_count([])
        cases = [
            (b"%PDF-1.4 ...", "members.pdf", "choose a .xls, .xlsx or .csv file"),
            (b"PK\x03\x04broken", "members.xlsx", "workbook is corrupt"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "m.xlsx", "encrypted"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "m.xls", "corrupt"),
            (b"not a workbook", "members.xls", "not a valid .xls"),
            (HEADER.encode() + b"\r\n;;;\r\n", "empty.csv", "The sheet is empty"),
            (b"", "empty.csv", "The sheet is empty"),
            (b"Nom;Email\r\nA;b@c.org\r\n", "other.csv", "The file has no column"),
        ]
        for content, filename, message in cases:
            with self.subTest(filename=filename, message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._wizard(content or b" ", filename).action_dry_run()
        self.env["ir.config_parameter"].set_param(
            "globenet_hosting.legacy_import_size_limit", 100
        )
        with self.assertRaisesRegex(UserError, "over the limit of 100 bytes"):
            self._wizard(self._file("ancienne_base.csv")).action_import()
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_encoding_and_separator(self):
        content = self._file("ancienne_base.csv")
        with self.assertRaisesRegex(UserError, "not in the chosen encoding utf-8"):
            self._wizard(content, encoding="utf-8").action_dry_run()
        wizard = self._wizard(content, encoding="cp1252", delimiter=";")
        wizard.action_dry_run()
        self.assertEqual(wizard.create_count, 6)
        comma = content.decode("cp1252").replace(";", "\t")
        comma = comma.replace(",", ".").replace("\t", ",").encode("utf-8")
        wizard = self._wizard(comma)
        wizard.action_dry_run()
        self.assertEqual((wizard.create_count, wizard.error_count), (6, 0))

    def test_parsers(self):
        eur = self.env.ref("base.EUR")
        for raw, expected in (
            ("1 234,50 €", 1234.5),
            ("1.234,56", 1234.56),
            ("1,234.56", 1234.56),
            ("12,5", 12.5),
            ("-10,00", -10.0),
            ("20 EUR", 20.0),
            (42, 42.0),
        ):
            self.assertEqual(parse_amount(self.env, raw, eur), (expected, False), raw)
        for raw in ("1,234", "1.234", "$12", "douze", "1,2,3"):
            amount, error = parse_amount(self.env, raw, eur)
            self.assertIsNone(amount, raw)
            self.assertTrue(error, raw)
        self.assertEqual(parse_date(self.env, "31/01/2020"), (date(2020, 1, 31), False))
        self.assertEqual(parse_date(self.env, "2020-01-31"), (date(2020, 1, 31), False))
        for raw in ("janvier 2020", "31/02/2020", "2020/01/31"):
            self.assertFalse(parse_date(self.env, raw)[0], raw)

    def test_only_the_treasurer_imports(self):
        reader = new_test_user(
            self.env,
            login="legacy_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        with self.assertRaises(AccessError):
            self.env["hosting.legacy.import"].with_user(reader).create(
                {"file": base64.b64encode(b"x"), "filename": "a.csv"}
            )
        treasurer = new_test_user(
            self.env,
            login="legacy_treasurer",
            groups="base.group_user,base.group_partner_manager,"
            "globenet_hosting.group_globenet_hosting_manager",
        )
        wizard = self._wizard(self._file("ancienne_base.csv")).with_user(treasurer)
        wizard.action_import()
        self.assertEqual(len(self._imported()), 6)
