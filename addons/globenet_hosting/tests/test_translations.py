# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from lxml import etree

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["globenet_hosting"], ["fr_FR"], overwrite=True
        )

    def _buttons(self, xmlid):
        view = self.env.ref(xmlid).with_context(lang="fr_FR")
        return etree.fromstring(view.arch_db).iter("button")

    def test_dialog_close_is_not_closing_a_subscription(self):
        """A dialog's Close button reads "Fermer"; closing a subscription
        reads "Clôturer l'abonnement": the two meanings have two strings."""
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", "globenet_hosting"), ("model", "=", "ir.ui.view")]
        )
        closers = []
        for data in xmlids:
            for button in self._buttons(data.complete_name):
                if button.get("special") == "cancel":
                    self.assertNotIn("Clôtur", button.get("string", ""), data.name)
                if button.get("name") in ("action_close", "action_close_wizard"):
                    closers.append(button.get("string"))
        self.assertEqual(closers, ["Clôturer l'abonnement"] * 2)
        for xmlid in (
            "globenet_hosting.hosting_subscription_preview_view_form",
            "globenet_hosting.debt_plan_summary_view_form",
        ):
            strings = [
                b.get("string") for b in self._buttons(xmlid) if b.get("special")
            ]
            self.assertIn("Fermer", strings, xmlid)
