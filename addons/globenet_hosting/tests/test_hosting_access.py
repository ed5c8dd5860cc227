from datetime import date

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import HostingCommon


@tagged("post_install", "-at_install")
class TestHostingAccess(HostingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub = cls._create_sub()
        cls.user = new_test_user(
            cls.env,
            login="hosting_reader",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="hosting_treasurer",
            groups="base.group_user,globenet_hosting.group_globenet_hosting_manager",
        )
        cls.employee = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user"
        )

    def test_user_reads_but_cannot_change(self):
        sub = self.sub.with_user(self.user)
        self.assertEqual(sub.partner_id, self.member)
        self.assertEqual(sub.line_ids.price_unit, 12.0)
        with self.assertRaises(AccessError):
            sub.write({"payment_method": "cheque"})
        with self.assertRaises(AccessError):
            sub.action_activate()
        with self.assertRaises(AccessError):
            self.Subscription.with_user(self.user).create(
                {"partner_id": self.member.id}
            )
        with self.assertRaises(AccessError):
            sub.line_ids.write({"price_unit": 1.0})

    def test_employee_without_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.Subscription.with_user(self.employee).search([])

    def test_manager_runs_the_whole_flow(self):
        sub = self.sub.with_user(self.manager)
        sub.action_activate()
        sub._invoice_periods(date(2026, 1, 1))
        self.assertEqual(len(sub.invoice_ids), 1)
        sub.action_suspend()
        sub.action_resume()
        sub._close(date(2026, 1, 31), "Test")
        self.assertEqual(sub.state, "closed")

    def test_user_cannot_invoice_now(self):
        self.sub.action_activate()
        with self.assertRaises(AccessError):
            self.sub.with_user(self.user).action_invoice_now()
        self.assertFalse(self.sub.invoice_ids)


@tagged("post_install", "-at_install")
class TestHostingScreens(HostingCommon):
    """Every group of the addon opens every screen its menus show: each view
    of each menu's action, and a record in its form, with the fields the web
    client asks for, without an access error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sale = cls._create_sub()
        sale.action_activate()
        sale._invoice_periods(date(2026, 1, 1))
        cls.Subscription.create(
            {
                "subscription_type": "purchase",
                "partner_id": cls.member.id,
                "payment_method": "transfer",
                "line_ids": [Command.create({"product_id": cls.product_hosting.id})],
            }
        )
        bill = cls.init_invoice(
            "in_invoice",
            partner=cls.member,
            invoice_date=date(2025, 12, 1),
            amounts=[500.0],
            taxes=[],
            post=True,
        )
        plan = cls.env["debt.plan"].create(
            {
                "partner_id": cls.member.id,
                "first_due_date": date(2026, 1, 31),
                "instalment_amount": 100.0,
                "settled_line_ids": [
                    Command.set(
                        bill.line_ids.filtered(
                            lambda line: line.account_type == "liability_payable"
                        ).ids
                    )
                ],
            }
        )
        plan.action_confirm()
        budget = cls.env["treasury.budget"].create({"date_from": date(2026, 1, 1)})
        budget.action_compute()
        cls.groups = cls.env["ir.model.data"].search(
            [("module", "=", "globenet_hosting"), ("model", "=", "res.groups")]
        )

    def _spec(self, fields, models):
        spec = {}
        for name, field in fields.items():
            relation = field.get("relation")
            if field["type"] in ("one2many", "many2many") and relation in models:
                sub_fields = models[field["relation"]]["fields"]
                spec[name] = {"fields": {sub: {} for sub in sub_fields}}
            elif field["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def _open_action(self, user, action):
        Model = self.env[action.res_model].with_user(user)
        context = dict(safe_eval(action.context or "{}", {"uid": user.id}))
        Model = Model.with_context(**context)
        domain = safe_eval(action.domain or "[]", {"uid": user.id})
        view_ids = {view.view_mode: view.view_id.id for view in action.view_ids}
        for view_type in action.view_mode.split(","):
            result = Model.get_views([(view_ids.get(view_type, False), view_type)])
            models = {name: desc for name, desc in result["models"].items()}
            # the fields the web client reads: those of the arch as this user
            # gets it (nodes of groups the user lacks are removed from it)
            arch = etree.fromstring(result["views"][view_type]["arch"])
            names = {
                node.get("name")
                for node in arch.iter("field")
                if not any(parent.tag == "field" for parent in node.iterancestors())
            }
            fields = {
                name: desc
                for name, desc in models[action.res_model]["fields"].items()
                if name in names
            }
            spec = self._spec(fields, models)
            if view_type in ("list", "kanban"):
                Model.web_search_read(domain, spec, limit=80)
            elif view_type in ("pivot", "graph"):
                Model._read_group(domain, aggregates=["__count"])
            elif view_type == "form":
                record = Model.search(domain, limit=1)
                if record:
                    record.web_read(spec)
                elif Model._transient:
                    Model.onchange({}, [], spec)

    def test_every_group_opens_every_screen_of_its_menus(self):
        menus = self.env["ir.model.data"].search(
            [("module", "=", "globenet_hosting"), ("model", "=", "ir.ui.menu")]
        )
        menus = self.env["ir.ui.menu"].browse(menus.mapped("res_id"))
        opened = set()
        for group_data in self.groups:
            group = self.env["res.groups"].browse(group_data.res_id)
            user = new_test_user(
                self.env,
                login=f"screens_{group_data.name}",
                groups=f"base.group_user,{group_data.complete_name}",
            )
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for menu in menus.filtered(lambda m, v=visible: m.id in v and m.action):
                action = menu.action.sudo()
                if action._name != "ir.actions.act_window":
                    continue
                with self.subTest(group=group.name, menu=menu.name):
                    self._open_action(user, action)
                    opened.add((group_data.name, menu.name))
        self.assertIn(("group_globenet_hosting_user", "Hosting Subscriptions"), opened)
