from datetime import date

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class HostingCommon(AccountTestInvoicingCommon):
    """Subscriptions on a French company with the French chart of accounts."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.Subscription = cls.env["hosting.subscription"]
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.product_hosting = cls._create_product(
            name="Hosting",
            type="service",
            lst_price=12.0,
            hosting_service_type="shared_hosting",
        )
        cls.member = cls.env["res.partner"].create(
            {"name": "Camille Martin", "email": "camille@example.org", "lang": "fr_FR"}
        )

    @classmethod
    def _create_sub(cls, partner=None, price=12.0, product=None, **vals):
        vals.setdefault("date_start", date(2026, 1, 1))
        return cls.Subscription.create(
            {
                "partner_id": (partner or cls.member).id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": (product or cls.product_hosting).id,
                            "quantity": 1,
                            "price_unit": price,
                        }
                    )
                ],
                **vals,
            }
        )

    def _run_cron(self):
        self.Subscription._cron_invoice_due()

    def _invoices(self, sub):
        return self.env["account.move"].search(
            [("hosting_subscription_id", "=", sub.id)], order="hosting_period_start"
        )

    def _periods(self, sub):
        return [
            (m.hosting_period_start, m.hosting_period_end) for m in self._invoices(sub)
        ]
