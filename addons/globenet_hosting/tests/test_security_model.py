"""The security model, checked over every model the Globenet addons define:
ACL rows for each, a multi-company rule for each company-bound one."""

from odoo.tests import TransactionCase, tagged

GLOBENET_MODULES = ("globenet_hosting", "globenet_nolog")


@tagged("post_install", "-at_install")
class TestSecurityModel(TransactionCase):
    def _globenet_models(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", GLOBENET_MODULES), ("state", "=", "installed")]
        )
        self.assertIn("globenet_hosting", installed.mapped("name"))
        data = self.env["ir.model.data"].search(
            [("module", "in", installed.mapped("name")), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        # the models they define, not those of Odoo they extend
        return models.filtered(
            lambda m: (
                self.env[m.model]._original_module in GLOBENET_MODULES
                and not self.env[m.model]._abstract
            )
        )

    def test_every_model_has_acl_rows(self):
        models = self._globenet_models()
        self.assertGreater(len(models), 20)
        with_acl = (
            self.env["ir.model.access"]
            .search([("model_id", "in", models.ids)])
            .model_id
        )
        self.assertFalse(
            (models - with_acl).mapped("model"), "models without any ACL row"
        )

    def test_every_company_bound_model_has_a_company_rule(self):
        bound = self._globenet_models().filtered(
            lambda m: (
                "company_id" in self.env[m.model]._fields
                and self.env[m.model]._fields["company_id"].store
                and not self.env[m.model]._transient
            )
        )
        self.assertGreater(len(bound), 10)
        rules = self.env["ir.rule"].search(
            [("model_id", "in", bound.ids), ("domain_force", "ilike", "company_ids")]
        )
        self.assertFalse(
            (bound - rules.model_id).mapped("model"),
            "company-bound models without a multi-company rule",
        )
