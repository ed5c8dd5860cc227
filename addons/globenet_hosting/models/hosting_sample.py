# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Globenet's sample data: the association's own month, dated from today.

``tools/load-sample`` calls ``hosting.sample._load_sample()`` and then
``nolog.sample._load_sample()``. Every step records an XML id under the
``sample`` prefix when it is done, so that a second run finds them all and
changes nothing.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

SAMPLE_MODULE = "sample"
# Months invoiced before today's month: the scheduled action invoices the
# current month itself.
HISTORY_MONTHS = 2
# Days late of the unpaid invoices of six cheque members: two at each
# follow-up level (7, 21 and 45 days by default).
FOLLOWUP_DAYS_LATE = [10, 14, 28, 35, 50, 65]
FOLLOWUP_REJECT_REASON = "AM04 Provision insuffisante"
ICS = "FR72ZZZ123456"
BANK_BIC = "CCOPFRPPXXX"
BANK_CODE = "42559"
BANK_BALANCE = 1512.40

# (xmlid, name, service type, price) of the products Globenet sells or buys.
PRODUCTS = [
    ("product_shared", "Hébergement mutualisé", "shared_hosting", 20.0),
    ("product_shared_plus", "Hébergement mutualisé étendu", "shared_hosting", 50.0),
    ("product_vps", "Serveur virtuel infogéré", "virtual_server", 100.0),
    ("product_domain", "Nom de domaine", "domain", 15.0),
    ("product_modem", "Location de modem", "modem_rental", 25.0),
    ("product_press_site", "Site de journal sous-hébergé", "shared_hosting", 30.0),
]
# Recurring costs from the board's minutes: (xmlid, supplier, label, amount).
# Réunica (160) and URSSAF (400) are the two debt plans' instalments.
EXPENSES = [
    ("th2", "TH2", "Colocation de la baie à TH2", 1200.0),
    ("bank", "Banque Solidaire (prêt)", "Échéance de prêt et frais bancaires", 1450.0),
    ("neuronnexion", "Neuronnexion", "Hébergement du serveur de secours", 80.0),
    ("gitoyen", "Gitoyen", "Transit IP et adresses", 1000.0),
    ("cicp", "CICP", "Loyer et frais divers (CICP)", 500.0),
]
DEBTS = [
    # xmlid, creditor, bill label, total, instalment, months before today's
    # month of the first due date, legal reference
    (
        "reunica",
        "Réunica",
        "Cotisations de prévoyance impayées",
        5760.0,
        160.0,
        3,
        "Tribunal judiciaire de Paris, plan de remboursement RG 24/01873",
    ),
    (
        "urssaf",
        "URSSAF",
        "Cotisations sociales restant dues",
        2400.0,
        400.0,
        2,
        "Échéancier URSSAF n° 117-2045",
    ),
]
ASSOCIATION_KINDS = [
    "Association",
    "Collectif",
    "Comité",
    "Réseau",
    "Maison",
    "Atelier",
    "Fédération",
    "Coopérative",
]
ASSOCIATION_TOPICS = [
    "des Jardins Partagés",
    "Vélo Solidaire",
    "des Locataires du Faubourg",
    "Radio Pavé",
    "Alphabétisation pour Tous",
    "des Amis du Lavoir",
    "Théâtre de la Friche",
    "Solidarité Migrants",
    "Cinéma de Quartier",
    "Repair Café",
    "Ateliers du Libre",
    "Musiques du Monde",
    "Éducation Populaire",
    "Paysans Urbains",
    "Droits des Femmes",
    "Écologie Sociale",
    "Mémoire Ouvrière",
    "Sans-Logis Debout",
    "Consommateurs Vigilants",
    "Handicap et Citoyenneté",
    "Savoirs Partagés",
    "de la Petite Enfance",
    "Commerce Équitable",
    "Presse Associative",
    "Quartiers Numériques",
    "Aide aux Devoirs",
    "Culture Sourde",
    "Paix et Désarmement",
    "Habitat Participatif",
    "Santé Communautaire",
    "Cartographie Libre",
    "Lecture à Voix Haute",
    "Entraide Seniors",
    "Chorale Populaire",
    "Accueil Paysan",
    "Économie Solidaire",
    "Vidéo Citoyenne",
    "Sport pour Tous",
    "Logiciels Libres",
    "Défense des Animaux",
    "Tiers-Lieu du Canal",
    "Bibliothèque de Rue",
    "Jeunes Chercheurs",
    "Festival des Possibles",
    "Agir pour l'Eau",
    "Enfants du Monde",
    "Marche Solidaire",
    "Semences Libres",
    "Photographes Engagés",
    "Mutuelle d'Idées",
    "Transition Énergétique",
    "Cuisine Partagée",
    "Archives Militantes",
    "Conte et Oralité",
    "Ressourcerie du Nord",
    "Écrivains Publics",
    "Danse en Liberté",
    "Voisins Vigilants du Canal",
]
NEWSPAPERS = [
    "La Gazette de Nord-Lagune",
    "Le Messager des Collines",
    "Savane Matin",
    "L'Écho du Fleuve",
    "Le Courrier des Hauts-Plateaux",
    "La Voix des Oasis",
    "Delta Hebdo",
    "Le Phare de la Côte",
    "Montagnes Infos",
    "Le Réveil du Bassin",
]
# Members paying by direct debit: 20 × 20 + 10 × 50 + 10 × 100 = 1,900 EUR a
# month, plus Internews's 10 × 30 = 2,200 EUR; by cheque: 8 × 100 + 4 × 50 =
# 1,000 EUR. Modems: 100 modems at 25 EUR = 2,500 EUR.
SEPA_PLAN = (
    ["product_shared"] * 20 + ["product_shared_plus"] * 10 + ["product_vps"] * 10
)
CHEQUE_PLAN = ["product_vps"] * 8 + ["product_shared_plus"] * 4
TRANSFER_MEMBERS = 6  # yearly domain names, paid by transfer
MODEMS = [8, 7, 6, 6] + [5] * 10 + [4] * 5 + [3]  # 100 modems, first 20 members
PORTAL_MEMBER = {
    "name": "Les Ateliers du Canal",
    "email": "membre@ateliers-du-canal.example",
    "login": "membre",
    "password": "membre",
}


class HostingSample(models.AbstractModel):
    _name = "hosting.sample"
    _description = "Globenet sample data (hosting and treasury)"

    # ------------------------------------------------------------------
    # Entry point and bookkeeping
    # ------------------------------------------------------------------
    @api.model
    def _load_sample(self):
        """Load the hosting and treasury part of the story, once.

        Returns the list of the steps that were run (empty on a second run).
        """
        if not self.env.is_superuser():
            raise AccessError(self.env._("Only the superuser loads the sample data."))
        done = []
        for step in self._sample_steps():
            if self._sample_ref(f"step_hosting_{step}"):
                continue
            _logger.info("Globenet sample: %s", step)
            getattr(self, f"_sample_{step}")()
            self.env.flush_all()
            self._sample_mark(f"step_hosting_{step}", self._sample_company_record())
            done.append(step)
        return done

    @api.model
    def _sample_steps(self):
        return [
            "company",
            "products",
            "members",
            "subscriptions",
            "history",
            "expenses",
            "debts",
            "bank",
            "portal",
            "budget",
            "requests",
            "legacy",
            "followup",
            "portal_debt",
        ]

    @api.model
    def _sample_ref(self, name):
        return self.env.ref(f"{SAMPLE_MODULE}.{name}", raise_if_not_found=False)

    @api.model
    def _sample_mark(self, name, records):
        """Give ``records`` the XML ids ``sample.<name>`` (or ``<name>_<i>``)."""
        data = []
        for index, record in enumerate(records, start=1):
            suffix = f"_{index}" if len(records) > 1 else ""
            data.append(
                {
                    "xml_id": f"{SAMPLE_MODULE}.{name}{suffix}",
                    "record": record,
                    "noupdate": True,
                }
            )
        self.env["ir.model.data"]._update_xmlids(data)

    @api.model
    def _sample_records(self, prefix, model):
        """The records marked ``sample.<prefix>_<i>``, in their order."""
        rows = self.env["ir.model.data"].search_read(
            [
                ("module", "=", SAMPLE_MODULE),
                ("model", "=", model),
                ("name", "=like", f"{prefix}\\_%"),
            ],
            ["name", "res_id"],
        )
        rows = [row for row in rows if row["name"][len(prefix) + 1 :].isdigit()]
        rows.sort(key=lambda row: int(row["name"][len(prefix) + 1 :]))
        return self.env[model].browse([row["res_id"] for row in rows])

    @api.model
    def _sample_company_record(self):
        return self.env.ref("base.main_company")

    @api.model
    def _sample_month_start(self, months=0):
        """First day of today's month, shifted by ``months``."""
        today = fields.Date.context_today(self)
        return today.replace(day=1) + relativedelta(months=months)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    @api.model
    def _sample_company(self):
        """Globenet, Paris, EUR, French chart of accounts, French first."""
        company = self._sample_company_record()
        self.env.ref("base.EUR").active = True
        lang_model = self.env["res.lang"].with_context(active_test=False)
        for code in ("fr_FR", "en_US"):
            if not lang_model._lang_get(code):
                self.env["base.language.install"].create(
                    {
                        "lang_ids": [
                            Command.set(lang_model.search([("code", "=", code)]).ids)
                        ]
                    }
                ).lang_install()
        company.partner_id.lang = "fr_FR"
        company.write(
            {
                "name": "Globenet",
                "street": "21 ter rue Voltaire",
                "zip": "75011",
                "city": "Paris",
                "country_id": self.env.ref("base.fr").id,
                "email": "contact@globenet.example",
                "website": "https://www.globenet.org",
                "phone": False,
                "company_registry": "Association loi 1901",
                "sepa_creditor_identifier": ICS,
                "hosting_invoice_post": True,
            }
        )
        if company.currency_id != self.env.ref("base.EUR"):
            company.currency_id = self.env.ref("base.EUR")
        if company.chart_template != "fr":
            self.env["account.chart.template"].try_loading(
                "fr", company, install_demo=False
            )
        # Hosting is not subject to VAT (see the readme): no default sales tax.
        company.account_sale_tax_id = False
        self.env["ir.default"].set("res.partner", "lang", "fr_FR")
        self.env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
        self.env.ref("base.partner_admin").write({"tz": "Europe/Paris"})
        bank = self.env["res.bank"].create(
            {
                "name": "Crédit Coopératif",
                "bic": BANK_BIC,
                "country": company.country_id.id,
            }
        )
        account = self.env["res.partner.bank"].create(
            {
                "partner_id": company.partner_id.id,
                "acc_number": self._sample_iban(BANK_CODE, "00001", 8520),
                "bank_id": bank.id,
            }
        )
        journal = self._sample_bank_journal()
        journal.bank_account_id = account
        self._sample_mark("company_bank_account", account)

    @api.model
    def _sample_bank_journal(self):
        company = self._sample_company_record()
        return self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")],
            order="sequence, id",
            limit=1,
        )

    @api.model
    def _sample_iban(self, bank_code, branch_code, number):
        from schwifty import IBAN

        return str(
            IBAN.generate(
                "FR",
                bank_code=bank_code,
                branch_code=branch_code,
                account_code=f"{number:011d}",
            )
        )

    @api.model
    def _sample_products(self):
        Product = self.env["product.product"]
        products = Product.create(
            [
                {
                    "name": name,
                    "type": "service",
                    "hosting_service_type": service_type,
                    "list_price": price,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                }
                for _xmlid, name, service_type, price in PRODUCTS
            ]
        )
        for (xmlid, *_rest), product in zip(PRODUCTS, products, strict=True):
            self._sample_mark(xmlid, product)
        expenses = Product.create(
            [
                {
                    "name": label,
                    "type": "service",
                    "standard_price": amount,
                    "list_price": 0.0,
                    "sale_ok": False,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                }
                for _xmlid, _supplier, label, amount in EXPENSES
            ]
        )
        for (xmlid, *_rest), product in zip(EXPENSES, expenses, strict=True):
            self._sample_mark(f"product_expense_{xmlid}", product)

    @api.model
    def _sample_members(self):
        """About 60 members, Internews and the newspapers it sub-hosts."""
        Partner = self.env["res.partner"]
        # Invoices are due on their date: the direct debit follows.
        immediate = self.env.ref("account.account_payment_term_immediate")
        names = [PORTAL_MEMBER["name"]]
        count = len(SEPA_PLAN) + len(CHEQUE_PLAN) + TRANSFER_MEMBERS
        for index in range(count - 1):
            kind = ASSOCIATION_KINDS[index % len(ASSOCIATION_KINDS)]
            names.append(f"{kind} {ASSOCIATION_TOPICS[index]}")
        members = Partner.create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "email": PORTAL_MEMBER["email"]
                    if index == 0
                    else f"tresorerie{index}@membres.example",
                    "city": "Paris",
                    "zip": f"750{index % 20 + 1:02d}",
                    "country_id": self.env.ref("base.fr").id,
                    "lang": "fr_FR",
                    "property_payment_term_id": immediate.id,
                }
                for index, name in enumerate(names)
            ]
        )
        self._sample_mark("member", members)
        internews = Partner.create(
            {
                "name": "Internews",
                "is_company": True,
                "email": "compta@internews.example",
                "city": "Paris",
                "country_id": self.env.ref("base.fr").id,
                "lang": "fr_FR",
                "property_payment_term_id": immediate.id,
            }
        )
        self._sample_mark("partner_internews", internews)
        newspapers = Partner.create(
            [{"name": name, "is_company": True, "lang": "fr_FR"} for name in NEWSPAPERS]
        )
        self._sample_mark("newspaper", newspapers)
        # Bank accounts and valid mandates of the members paying by direct
        # debit, Internews included.
        debtors = members[: len(SEPA_PLAN)] | internews
        banks = self.env["res.partner.bank"].create(
            [
                {
                    "partner_id": partner.id,
                    "acc_number": self._sample_iban(
                        ("30003", "30004", "30002", "10278")[index % 4],
                        f"{index % 97 + 1:05d}",
                        100000 + index,
                    ),
                }
                for index, partner in enumerate(debtors)
            ]
        )
        signed = self._sample_month_start(-30)
        mandates = self.env["sepa.mandate"].create(
            [
                {
                    "name": f"GN-RUM-{index + 1:04d}",
                    "partner_id": partner.id,
                    "partner_bank_id": bank.id,
                    "signature_date": signed + timedelta(days=index * 17),
                }
                for index, (partner, bank) in enumerate(
                    zip(debtors, banks, strict=True)
                )
            ]
        )
        mandates.action_validate()
        self._sample_mark("mandate", mandates)

    @api.model
    def _sample_subscriptions(self):
        """Monthly customer subscriptions invoiced up to last month, yearly
        domain names paid by transfer, and Internews's newspaper sites."""
        members = self._sample_records("member", "res.partner")
        product = {xmlid: self._sample_ref(xmlid) for xmlid, *_rest in PRODUCTS}
        history_start = self._sample_month_start(-HISTORY_MONTHS)
        vals_list = []
        plans = [(code, "sepa_dd") for code in SEPA_PLAN] + [
            (code, "cheque") for code in CHEQUE_PLAN
        ]
        for index, (code, method) in enumerate(plans):
            lines = [Command.create({"product_id": product[code].id, "quantity": 1})]
            if index < len(MODEMS):
                lines.append(
                    Command.create(
                        {
                            "product_id": product["product_modem"].id,
                            "quantity": MODEMS[index],
                        }
                    )
                )
            vals_list.append(
                {
                    "partner_id": members[index].id,
                    "payment_method": method,
                    "date_start": history_start - relativedelta(months=3 + index * 2),
                    "next_period_start": history_start,
                    "line_ids": lines,
                }
            )
        for offset in range(TRANSFER_MEMBERS):
            # Anniversaries between two and seven months ahead.
            anniversary = self._sample_month_start(2 + offset)
            vals_list.append(
                {
                    "partner_id": members[len(plans) + offset].id,
                    "payment_method": "transfer",
                    "recurring_rule_type": "yearly",
                    "date_start": anniversary - relativedelta(years=2 + offset % 3),
                    "next_period_start": anniversary,
                    "line_ids": [
                        Command.create(
                            {"product_id": product["product_domain"].id, "quantity": 1}
                        )
                    ],
                }
            )
        internews = self._sample_ref("partner_internews")
        for newspaper in self._sample_records("newspaper", "res.partner"):
            vals_list.append(
                {
                    "partner_id": newspaper.id,
                    "reseller_id": internews.id,
                    "payment_method": "sepa_dd",
                    "date_start": history_start - relativedelta(months=14),
                    "next_period_start": history_start,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product["product_press_site"].id,
                                "quantity": 1,
                            }
                        )
                    ],
                }
            )
        subs = self.env["hosting.subscription"].create(vals_list)
        subs.action_activate()
        self._sample_mark("subscription", subs)

    @api.model
    def _sample_history(self):
        """Invoice the months before this one, and pay them: last month's
        direct debits through a collected SEPA batch, earlier ones (and the
        cheques) by payments; one cheque of last month is still awaited."""
        subs = self._sample_records("subscription", "hosting.subscription")
        journal = self._sample_bank_journal()
        for months in range(HISTORY_MONTHS, 0, -1):
            month_end = self._sample_month_start(-months + 1) - timedelta(days=1)
            moves = subs.filtered(lambda s: s.state == "active")._invoice_periods(
                month_end
            )
            moves.write({"hosting_send_pending": False, "is_move_sent": True})
            cheques = moves.filtered(lambda m: m.hosting_payment_method == "cheque")
            if months > 1:
                self._sample_pay(moves, journal, self.env._("Hosting payment"))
                continue
            batch = (
                self.env["sepa.direct.debit.batch"]
                .with_context(sepa_record_past_batch=True)
                .create(
                    {
                        "collection_date": self._sample_month_start(-months)
                        + timedelta(days=4),
                        "journal_id": journal.id,
                        "user_id": self.env.ref("base.user_admin").id,
                    }
                )
            )
            batch.action_prepare()
            batch.action_generate()
            batch.action_done()
            self._sample_mark("sepa_batch_last_month", batch)
            # the last cheque member has not paid last month yet
            self._sample_pay(
                cheques.sorted("id")[:-1], journal, self.env._("Cheque received")
            )

    @api.model
    def _sample_pay(self, moves, journal, label, amount=None, date=None):
        """Register one payment per move (of ``amount`` if given)."""
        payments = self.env["account.payment"]
        for move_date, group in moves.grouped(lambda m: date or m.invoice_date).items():
            vals = {
                "journal_id": journal.id,
                "payment_date": move_date,
                "group_payment": False,
                "communication": label,
            }
            if amount:
                vals["amount"] = amount
            payments |= (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=group.ids)
                .create(vals)
                ._create_payments()
            )
        return payments

    @api.model
    def _sample_expenses(self):
        """The recurring costs as supplier subscriptions, billed and paid up
        to last month."""
        history_start = self._sample_month_start(-HISTORY_MONTHS)
        Partner = self.env["res.partner"]
        vals_list = []
        for xmlid, supplier, _label, amount in EXPENSES:
            partner = Partner.create(
                {"name": supplier, "is_company": True, "lang": "fr_FR"}
            )
            self._sample_mark(f"supplier_{xmlid}", partner)
            vals_list.append(
                {
                    "subscription_type": "purchase",
                    "partner_id": partner.id,
                    "payment_method": "transfer",
                    "invoice_policy": "posted",
                    "date_start": history_start - relativedelta(years=3),
                    "next_period_start": history_start,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self._sample_ref(
                                    f"product_expense_{xmlid}"
                                ).id,
                                "quantity": 1,
                                "price_unit": amount,
                            }
                        )
                    ],
                }
            )
        subs = self.env["hosting.subscription"].create(vals_list)
        subs.action_activate()
        self._sample_mark("expense", subs)
        bills = subs._invoice_periods(self._sample_month_start() - timedelta(days=1))
        self._sample_pay(bills, self._sample_bank_journal(), "Virement")

    @api.model
    def _sample_debts(self):
        """A court-ordered plan (Réunica, 160 a month since three months ago)
        and a smaller URSSAF schedule (400 a month since two months ago), each
        with the instalments due by today paid and reconciled with its bill."""
        journal = self._sample_bank_journal()
        for xmlid, creditor, label, total, instalment, months, reference in DEBTS:
            partner = self.env["res.partner"].create(
                {"name": creditor, "is_company": True, "lang": "fr_FR"}
            )
            self._sample_mark(f"creditor_{xmlid}", partner)
            bill_date = self._sample_month_start(-months - 6)
            bill = self.env["account.move"].create(
                {
                    "move_type": "in_invoice",
                    "partner_id": partner.id,
                    "invoice_date": bill_date,
                    "invoice_date_due": bill_date,
                    "ref": label,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": total,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            bill.action_post()
            self._sample_mark(f"debt_bill_{xmlid}", bill)
            first_due = self._sample_month_start(-months) + timedelta(days=9)
            plan = self.env["debt.plan"].create(
                {
                    "partner_id": partner.id,
                    "direction": "payable",
                    "settled_line_ids": [
                        Command.set(
                            bill.line_ids.filtered(
                                lambda line: line.account_type == "liability_payable"
                            ).ids
                        )
                    ],
                    "schedule_mode": "amount",
                    "instalment_amount": instalment,
                    "frequency": "monthly",
                    "first_due_date": first_due,
                    "legal_reference": reference,
                    "user_id": self.env.ref("base.user_admin").id,
                    "agreement_date": first_due - relativedelta(months=2),
                }
            )
            plan.action_confirm()
            self._sample_mark(f"debt_plan_{xmlid}", plan)
            # Paid up to date: every instalment due by today is paid.
            today = fields.Date.context_today(self)
            for instalment in plan.instalment_ids.filtered(
                lambda i, today=today: i.due_date <= today
            ):
                self._sample_pay(
                    bill,
                    journal,
                    plan.name,
                    amount=instalment.amount,
                    date=instalment.due_date,
                )

    @api.model
    def _sample_bank(self):
        """The bank balance carried forward: about 1,500 EUR."""
        company = self._sample_company_record()
        journal = self._sample_bank_journal()
        carried = self.env["account.account"].search(
            [
                *self.env["account.account"]._check_company_domain(company),
                ("code", "=like", "110%"),
            ],
            limit=1,
        )
        misc = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": misc.id,
                "date": self._sample_month_start() - timedelta(days=1),
                "ref": self.env._("Bank balance carried forward"),
                "line_ids": [
                    Command.create(
                        {
                            "name": self.env._("Bank balance carried forward"),
                            "account_id": journal.default_account_id.id,
                            "debit": BANK_BALANCE,
                        }
                    ),
                    Command.create(
                        {
                            "name": self.env._("Bank balance carried forward"),
                            "account_id": carried.id,
                            "credit": BANK_BALANCE,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        self._sample_mark("bank_balance", move)

    @api.model
    def _sample_portal(self):
        """The member who logs in on the portal: subscription and invoices."""
        member = self._sample_records("member", "res.partner")[:1]
        user = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Sacha Lemoine",
                    "login": PORTAL_MEMBER["login"],
                    "password": PORTAL_MEMBER["password"],
                    "email": PORTAL_MEMBER["email"],
                    "parent_id": member.id,
                    "lang": "fr_FR",
                    "tz": "Europe/Paris",
                    "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )
        self._sample_mark("partner_portal_member", member)
        self._sample_mark("user_portal_member", user)

    @api.model
    def _sample_portal_debt(self):
        """The portal member repays old arrears (a server's repair, 360 EUR
        invoiced five months ago) in six monthly instalments of 60 EUR since
        three months ago, paid up to date: the portal shows what is left.

        Loaded after the budget, whose figures it leaves as they were."""
        member = self._sample_ref("partner_portal_member")
        journal = self._sample_bank_journal()
        invoice_date = self._sample_month_start(-5)
        label = self.env._("Server repair and data recovery")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": member.id,
                "invoice_date": invoice_date,
                "invoice_date_due": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "quantity": 1,
                            "price_unit": 360.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        self._sample_mark("portal_debt_invoice", invoice)
        plan = self.env["debt.plan"].create(
            {
                "partner_id": member.id,
                "direction": "receivable",
                "settled_line_ids": [
                    Command.set(
                        invoice.line_ids.filtered(
                            lambda line: line.account_type == "asset_receivable"
                        ).ids
                    )
                ],
                "schedule_mode": "count",
                "instalment_count": 6,
                "frequency": "monthly",
                "first_due_date": self._sample_month_start(-3) + timedelta(days=4),
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        plan.action_confirm()
        self._sample_mark("portal_debt_plan", plan)
        today = fields.Date.context_today(self)
        for instalment in plan.instalment_ids.filtered(
            lambda i, today=today: i.due_date <= today
        ):
            self._sample_pay(
                invoice,
                journal,
                plan.name,
                amount=instalment.amount,
                date=instalment.due_date,
            )

    @api.model
    def _sample_budget(self):
        """This month's budget, computed, with its 12-month forecast."""
        budget = self.env["treasury.budget"].create(
            {"date_from": self._sample_month_start()}
        )
        budget.action_compute()
        self._sample_mark("budget_current", budget)

    @api.model
    def _sample_requests(self):
        """Open hosting requests in the CRM pipeline: Internews asks for
        virtual servers instead of sub-hosting (minutes of the board), an
        association wrote through the public form, a member wants more."""
        product = {xmlid: self._sample_ref(xmlid) for xmlid, *_rest in PRODUCTS}
        tag = self.env.ref("globenet_hosting.crm_tag_hosting")

        def stage(xmlid):
            return self.env.ref(xmlid, raise_if_not_found=False) or self.env[
                "crm.stage"
            ].search([("is_won", "=", False)], limit=1)

        member = self._sample_records("member", "res.partner")[-1:]
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": "Internews : serveurs virtuels au lieu du sous-hébergement",
                    "type": "opportunity",
                    "partner_id": self._sample_ref("partner_internews").id,
                    "user_id": self.env.ref("base.user_admin").id,
                    "stage_id": stage("crm.stage_lead3").id,
                    "tag_ids": [Command.link(tag.id)],
                    "hosting_payment_method": "sepa_dd",
                    "description": "<p>Internews veut trois serveurs virtuels "
                    "pour ses journaux, à la place du sous-hébergement.</p>",
                    "hosting_line_ids": [
                        Command.create(
                            {"product_id": product["product_vps"].id, "quantity": 3}
                        )
                    ],
                },
                {
                    "name": "Demande d'hébergement : Radio des Quartiers",
                    "type": "opportunity",
                    "contact_name": "Inès Moreau",
                    "partner_name": "Radio des Quartiers",
                    "email_from": "contact@radio-quartiers.example",
                    "stage_id": stage("crm.stage_lead1").id,
                    "tag_ids": [Command.link(tag.id)],
                    "hosting_web_request": True,
                    "user_id": False,
                    "description": "<p>Un site pour nos émissions.</p>",
                    "hosting_line_ids": [
                        Command.create(
                            {"product_id": product["product_shared"].id, "quantity": 1}
                        ),
                    ],
                },
                {
                    "name": f"{member.name} : hébergement étendu",
                    "type": "opportunity",
                    "partner_id": member.id,
                    "user_id": self.env.ref("base.user_admin").id,
                    "stage_id": stage("crm.stage_lead2").id,
                    "tag_ids": [Command.link(tag.id)],
                    "hosting_payment_method": "transfer",
                    "hosting_line_ids": [
                        Command.create(
                            {
                                "product_id": product["product_shared_plus"].id,
                                "quantity": 1,
                            }
                        )
                    ],
                },
            ]
        )
        self._sample_mark("request_internews_vps", leads[0])
        self._sample_mark("request", leads)

    @api.model
    def _sample_legacy(self):
        """The old accounting base's export, attached to the shipped column
        mapping, ready for Accounting > Import the Old Base."""
        mapping = self.env.ref("globenet_hosting.legacy_import_mapping_old_base")
        with file_open("globenet_hosting/tests/data/ancienne_base.csv", "rb") as handle:
            content = handle.read()
        attachment = self.env["ir.attachment"].create(
            {
                "name": "ancienne_base.csv",
                "raw": content,
                "mimetype": "text/csv",
                "res_model": mapping._name,
                "res_id": mapping.id,
            }
        )
        mapping.message_post(
            body=self.env._(
                "The old base's member export, ready to import: download it, then "
                "open Import the Old Base and check it first (dry run)."
            ),
            attachment_ids=attachment.ids,
        )
        self._sample_mark("legacy_file", attachment)

    def _sample_followup(self):
        """Unpaid invoices at each follow-up level, their reminders sent on
        their days; the portal member's last direct debit rejected by the
        bank, which starts the follow-up at once."""
        members = self._sample_records("member", "res.partner")
        subs = self._sample_records("subscription", "hosting.subscription")
        today = fields.Date.context_today(self)
        first_cheque = len(SEPA_PLAN)
        vals_list = []
        for offset, days in enumerate(FOLLOWUP_DAYS_LATE):
            partner = members[first_cheque + offset]
            sub = subs.filtered(lambda s, p=partner: s.partner_id == p)[:1]
            due = today - timedelta(days=days)
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_origin": self.env._("Arrears"),
                    "hosting_subscription_id": sub.id,
                    "hosting_payment_method": "cheque",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "quantity": line.quantity,
                                "price_unit": line.price_unit,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for line in sub.line_ids
                    ],
                }
            )
        moves = self.env["account.move"].create(vals_list)
        moves.write({"is_move_sent": True})
        moves.action_post()
        self._sample_mark("followup_invoice", moves)
        # The scheduled action, run on each day since the oldest due date.
        Move = self.env["account.move"]
        day = today - timedelta(days=max(FOLLOWUP_DAYS_LATE))
        while day <= today:
            Move._cron_hosting_followup(date=day)
            day += timedelta(days=1)
        # The portal member's debit of last month, rejected by the bank.
        batch = self._sample_ref("sepa_batch_last_month")
        portal_member = self._sample_ref("partner_portal_member")
        line = batch.line_ids.filtered(lambda x: x.partner_id == portal_member)
        line._reject(FOLLOWUP_REJECT_REASON)
        self._sample_mark("followup_rejected_invoice", line.move_id)
