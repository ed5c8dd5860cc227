# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The no-log read-only group: it reads the whole registry, opens every
screen of its menus, and changes nothing, through the ORM or the actions."""

import base64

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MB, NologCommon

OPERATOR = "globenet_nolog.group_globenet_nolog_operator"


@tagged("post_install", "-at_install")
class TestReadonlyGroup(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reader = new_test_user(
            cls.env,
            login="nolog_reader",
            groups="globenet_nolog.group_globenet_nolog_user",
        )
        cls.env["nolog.ingestion"]._ingest(
            cls.server, f"alice@no-log.test,{95 * MB},{MB},Trash\n"
        )
        cls.purge = cls.env["nolog.purge.request"].create({"server_id": cls.server.id})
        cls.purge.action_compute()
        cls.signup = cls.env["nolog.signup.request"].create(
            {"address": "newcomer@no-log.test", "contact_email": "n@example.org"}
        )
        cls.suspicion = cls.env["nolog.suspicion"].create(
            {"mailbox_id": cls.bob.id, "score": 80, "reasons": "test"}
        )
        cls.env["nolog.mailbox"]._cron_send_warnings()

    def test_group_chain(self):
        reader = self.env.ref("globenet_nolog.group_globenet_nolog_user")
        operator = self.env.ref(OPERATOR)
        self.assertIn(reader, operator.implied_ids)
        self.assertIn(self.env.ref("base.group_user"), reader.implied_ids)
        self.assertEqual(reader.full_name, "no-log / Read-only")
        self.assertFalse(self.reader.has_group(OPERATOR))

    def test_reads_every_model_but_no_secret(self):
        models = (
            self.env["ir.model.access"]
            .search(
                [("group_id", "=", self.env.ref(OPERATOR).id), ("perm_read", "=", True)]
            )
            .model_id
        )
        transient = models.filtered(lambda model: model.transient)
        for model in (models - transient).mapped("model"):
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.reader)
                self.assertTrue(Model.has_access("read"))
                for operation in ("write", "create", "unlink"):
                    self.assertFalse(Model.has_access(operation), operation)
                Model.search([], limit=5).read()
        self.assertEqual(self.alice.with_user(self.reader).usage_bytes, 95 * MB)
        # the servers' key hashes stay out of reach
        server = self.server.with_user(self.reader)
        with self.assertRaises(AccessError):
            server.read(["key_hash"])
        self.assertNotIn("key_hash", server.fields_get())

    def test_orm_changes_refused(self):
        mailbox = self.alice.with_user(self.reader)
        with self.assertRaises(AccessError):
            mailbox.write({"quota_mb": 500})
        with self.assertRaises(AccessError):
            mailbox.unlink()
        with self.assertRaises(AccessError):
            self.env["nolog.mailbox"].with_user(self.reader).create(
                {
                    "address": "dave@no-log.test",
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                }
            )
        with self.assertRaises(AccessError):
            self.purge.with_user(self.reader).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.server.with_user(self.reader).write({"signup_open": False})
        with self.assertRaises(AccessError):
            self.policy.with_user(self.reader).write({"quota_mb": 1})
        with self.assertRaises(AccessError):
            self.signup.with_user(self.reader).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.suspicion.with_user(self.reader).write({"state": "abusive"})
        self.assertEqual(self.alice.quota_mb, 100)

    def test_actions_refused(self):
        template = self.env.ref("globenet_nolog.mail_template_nolog_warning_90")
        warnings = self.env["nolog.warning"].search_count([])
        refused = {
            "send a warning": lambda: self.alice.with_user(
                self.reader
            ).action_send_warning(),
            "warning wizard": lambda: (
                self.env["nolog.mailbox.warn"]
                .with_user(self.reader)
                .sudo()
                .create(
                    {
                        "mailbox_ids": [Command.set(self.carol.ids)],
                        "mail_template_id": template.id,
                    }
                )
                .with_user(self.reader)
                .action_send()
            ),
            "compute purge": self.purge.with_user(self.reader).action_compute,
            "request purge": self.purge.with_user(self.reader).action_request,
            "cancel purge": self.purge.with_user(self.reader).action_cancel,
            "purge done": self.purge.with_user(self.reader).action_mark_done,
            "approve signup": self.signup.with_user(self.reader).action_approve,
            "reject signup": self.signup.with_user(self.reader).action_reject,
            "score": self.env["nolog.suspicion"].with_user(self.reader).action_score,
            "legitimate": self.suspicion.with_user(self.reader).action_mark_legitimate,
            "abusive": self.suspicion.with_user(self.reader).action_mark_abusive,
            "reset": self.suspicion.with_user(self.reader).action_reset,
            "invite to the portal": self.alice.with_user(
                self.reader
            ).action_invite_portal,
            "suspend": self.alice.with_user(self.reader).action_suspend,
            "close": self.alice.with_user(self.reader).action_close,
            "signups": self.server.with_user(self.reader).action_change_signups,
            "upload": lambda: (
                self.env["nolog.ingestion.upload"]
                .sudo()
                .create(
                    {
                        "server_id": self.server.id,
                        "report_file": base64.b64encode(b"bob@no-log.test,1\n"),
                        "file_format": "csv",
                    }
                )
                .with_user(self.reader)
                .action_import()
            ),
        }
        for name, action in refused.items():
            with self.subTest(action=name), self.assertRaises(AccessError):
                action()
        # nothing changed
        self.assertEqual(self.purge.state, "draft")
        self.assertEqual(self.signup.state, "pending")
        self.assertEqual(self.suspicion.state, "to_review")
        self.assertEqual(self.bob.usage_bytes, 0)
        self.assertEqual(self.alice.state, "warned")
        self.assertEqual(self.env["nolog.warning"].search_count([]), warnings)

    def test_operator_buttons_hidden(self):
        views = {
            "globenet_nolog.nolog_mailbox_view_form": [
                "action_send_warning",
                "action_invite_portal",
            ],
            "globenet_nolog.nolog_mailbox_view_list_over_quota": [
                "action_send_warning"
            ],
            "globenet_nolog.nolog_purge_request_view_form": [
                "action_compute",
                "action_request",
                "action_mark_done",
                "action_cancel",
                "action_download_commands",
            ],
            "globenet_nolog.nolog_signup_request_view_form": [
                "action_approve",
                "action_reject",
            ],
            "globenet_nolog.nolog_suspicion_view_list": ["action_score"],
            "globenet_nolog.nolog_suspicion_view_form": [
                "action_mark_legitimate",
                "action_mark_abusive",
                "action_reset",
            ],
            "globenet_nolog.nolog_server_view_form": [
                "action_download_feed",
                "action_generate_key",
            ],
        }
        operator = new_test_user(self.env, login="nolog_ro_op", groups=OPERATOR)
        for xmlid, buttons in views.items():
            view = self.env.ref(xmlid)
            for user, shown in ((self.reader, False), (operator, True)):
                arch = etree.fromstring(
                    self.env[view.model]
                    .with_user(user)
                    .get_views([(view.id, view.type)])["views"][view.type]["arch"]
                )
                for button in buttons:
                    if button == "action_generate_key":
                        shown = False  # managers only
                    with self.subTest(view=xmlid, user=user.login, button=button):
                        self.assertEqual(
                            bool(arch.xpath(f"//button[@name='{button}']")), shown
                        )
        # the warning wizard is not offered in the list's Action menu
        bindings = (
            self.env["ir.actions.actions"]
            .with_user(self.reader)
            .get_bindings("nolog.mailbox")
        )
        self.assertNotIn(
            self.env.ref("globenet_nolog.nolog_mailbox_warn_action").id,
            [action["id"] for action in bindings.get("action", [])],
        )

    def test_every_screen_of_its_menus(self):
        menus = self.env["ir.model.data"].search(
            [("module", "=", "globenet_nolog"), ("model", "=", "ir.ui.menu")]
        )
        menus = self.env["ir.ui.menu"].browse(menus.mapped("res_id"))
        visible = self.env["ir.ui.menu"].with_user(self.reader)._visible_menu_ids()
        self.assertIn(self.env.ref("globenet_nolog.nolog_menu_root").id, visible)
        for xmlid in ("nolog_upload_menu", "nolog_upload_menu_server"):
            self.assertNotIn(self.env.ref(f"globenet_nolog.{xmlid}").id, visible)
        self.assertNotIn(self.env.ref("globenet_nolog.nolog_settings_menu").id, visible)
        opened = set()
        for menu in menus.filtered(lambda m: m.id in visible and m.action):
            action = menu.action.sudo()
            if action._name != "ir.actions.act_window":
                continue
            with self.subTest(menu=menu.name):
                self._open_action(action)
                opened.add(menu.name)
        for name in (
            "Mailboxes",
            "Over quota",
            "Warnings sent",
            "Purge requests",
            "Usage history",
            "Servers",
            "Capacity dashboard",
            "Capacity planner",
            "Signup requests",
            "Closure campaigns",
            "Suspicious accounts",
        ):
            self.assertIn(name, opened)

    def _open_action(self, action):
        Model = self.env[action.res_model].with_user(self.reader)
        context = dict(safe_eval(action.context or "{}", {"uid": self.reader.id}))
        Model = Model.with_context(**context)
        domain = safe_eval(action.domain or "[]", {"uid": self.reader.id})
        view_ids = {view.view_mode: view.view_id.id for view in action.view_ids}
        for view_type in action.view_mode.split(","):
            result = Model.get_views([(view_ids.get(view_type, False), view_type)])
            models = result["models"]
            arch = etree.fromstring(result["views"][view_type]["arch"])
            names = {
                node.get("name")
                for node in arch.iter("field")
                if not any(parent.tag == "field" for parent in node.iterancestors())
            }
            spec = {}
            for name, field in models[action.res_model]["fields"].items():
                if name not in names:
                    continue
                if (
                    field["type"] in ("one2many", "many2many")
                    and field.get("relation") in models
                ):
                    sub = models[field["relation"]]["fields"]
                    spec[name] = {"fields": {key: {} for key in sub}}
                elif field["type"] == "many2one":
                    spec[name] = {"fields": {"display_name": {}}}
                else:
                    spec[name] = {}
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
