# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""The operators' screens: what they offer and show, as a user meets them."""

import base64

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.modules.module import get_manifest
from odoo.tests import Form, tagged
from odoo.tools import file_open, mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestScreens(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team(
            "nolog_screen_operator", "nolog_screen_manager"
        )

    def _field_domain(self, model, fname, form):
        """The domain the web client gives the field, evaluated on the form."""
        domain = model.fields_get([fname])[fname].get("domain") or []
        if isinstance(domain, str):
            # a domain built by check_company reads the form's company_id
            domain = safe_eval(domain, {"company_id": form.company_id.id})
        return domain

    def _arch(self, xmlid):
        view = self.env.ref(xmlid)
        return etree.fromstring(
            self.env[view.model].get_views([(view.id, view.type)])["views"][view.type][
                "arch"
            ]
        )

    # ------------------------------------------------------------------
    # A new purge request (or mailbox) finds the server
    # ------------------------------------------------------------------
    def test_new_purge_request_finds_server(self):
        """Before, ``check_company`` on server_id gave the domain "servers
        without a company" while the request's company (the server's) was
        still empty: no server could ever be found."""
        Purge = self.env["nolog.purge.request"].with_user(self.operator)
        form = Form(Purge)
        domain = self._field_domain(Purge, "server_id", form)
        found = Purge.env["nolog.server"].name_search("Bender", domain)
        self.assertEqual([server_id for server_id, _name in found], self.server.ids)
        form.server_id = self.server
        purge = form.save()
        self.assertEqual(purge.company_id, self.server.company_id)
        self.assertEqual(purge.server_id, self.server)

    def test_new_mailbox_finds_server_and_policy(self):
        Mailbox = self.env["nolog.mailbox"].with_user(self.operator)
        form = Form(Mailbox)
        domain = self._field_domain(Mailbox, "server_id", form)
        found = Mailbox.env["nolog.server"].name_search("Bender", domain)
        self.assertEqual([server_id for server_id, _name in found], self.server.ids)
        form.address = "dave@no-log.test"
        form.server_id = self.server
        domain = self._field_domain(Mailbox, "policy_id", form)
        found = Mailbox.env["nolog.policy"].name_search("Test 100", domain)
        self.assertEqual([policy_id for policy_id, _name in found], self.policy.ids)
        form.policy_id = self.policy
        self.assertEqual(form.save().company_id, self.server.company_id)

    # ------------------------------------------------------------------
    # Quota bars over 100 %
    # ------------------------------------------------------------------
    def test_quota_bar_full_and_red_over_quota(self):
        """Odoo's progress bar fills up to 100 % and takes its overflow class
        above, grey by default: the full bar was grey on grey and looked empty.
        The quota bar is red over 100 % and writes the figure in full."""
        for xmlid in (
            "globenet_nolog.nolog_mailbox_view_list",
            "globenet_nolog.nolog_mailbox_view_form",
            "globenet_nolog.nolog_mailbox_view_list_over_quota",
        ):
            bars = self._arch(xmlid).xpath("//field[@name='quota_percent']")
            self.assertTrue(bars, xmlid)
            for bar in bars:
                self.assertEqual(bar.get("widget"), "nolog_quota_bar", xmlid)
        script = "globenet_nolog/static/src/views/fields/quota_bar_field.js"
        self.assertIn(
            script, get_manifest("globenet_nolog")["assets"]["web.assets_backend"]
        )
        with file_open(script) as source:
            code = source.read()
        self.assertIn('add("nolog_quota_bar"', code)
        self.assertIn('"bg-danger"', code)

    def test_over_quota_list(self):
        arch = self._arch("globenet_nolog.nolog_mailbox_view_list_over_quota")
        # percentages through progress bar widgets, which write "%"
        for fname, widget in (
            ("quota_percent", "nolog_quota_bar"),
            ("trash_share", "progressbar"),
        ):
            (field,) = arch.xpath(f"//field[@name='{fname}']")
            self.assertEqual(field.get("widget"), widget)
        # coloured state badges, as in the main list
        (state,) = arch.xpath("//field[@name='state']")
        self.assertEqual(state.get("widget"), "badge")
        self.assertEqual(state.get("decoration-danger"), "state == 'over_quota'")
        # short column headers
        for field in arch.xpath("//field[@string]"):
            self.assertLessEqual(len(field.get("string")), 14, field.get("name"))

    # ------------------------------------------------------------------
    # "Warned" means a warning was sent
    # ------------------------------------------------------------------
    def test_warned_only_once_a_warning_is_sent(self):
        Mailbox = self.env["nolog.mailbox"]
        self._ingest(f"alice@no-log.test,{95 * MB}\nbob@no-log.test,{95 * MB}\n")
        # a level is reached, nothing was sent yet
        self.assertEqual(self.alice.warning_level_id, self.level_90)
        self.assertEqual(self.alice.state, "active")
        self.assertEqual(self.alice._automatic_state(), "active")
        # the warning of bob's level cannot be queued: he was not warned
        self.level_90.mail_template_id.email_to = "{{ object.no_such_field }}"
        with mute_logger(
            "odoo.addons.globenet_nolog.models.nolog_mailbox",
            "odoo.addons.mail.models.mail_render_mixin",
        ):
            self.bob._cron_send_warnings()
        self.assertTrue(self.bob.warning_ids.error)
        self.assertEqual(self.bob.state, "active")
        self.assertEqual(self.alice.state, "active")
        # once it is sent, the mailbox is warned, and stays so on the next report
        self.env["nolog.warning"].search([]).unlink()
        self.env.ref(
            "globenet_nolog.mail_template_nolog_warning_90"
        ).email_to = "{{ object.address }}"
        Mailbox._cron_send_warnings()
        self.assertEqual(self.alice.state, "warned")
        self.assertEqual(self.alice._automatic_state(), "warned")
        self._ingest(f"alice@no-log.test,{96 * MB}\n")
        self.assertEqual(self.alice.state, "warned")
        # over quota is over quota, warned or not
        self._ingest(f"alice@no-log.test,{120 * MB}\n")
        self.assertEqual(self.alice.state, "over_quota")
        # back under 100 %: it was warned at 90 %, it is still warned
        self._ingest(f"alice@no-log.test,{92 * MB}\n")
        self.assertEqual(self.alice.state, "warned")
        # a new, higher level not warned yet: active until its warning goes out
        self.policy.level_ids = [
            Command.create(
                {
                    "percent": 95,
                    "mail_template_id": self.level_90.mail_template_id.id,
                }
            )
        ]
        self._ingest(f"alice@no-log.test,{97 * MB}\n")
        self.assertEqual(self.alice.state, "active")
        # under every level
        self._ingest(f"alice@no-log.test,{MB}\n")
        self.assertEqual(self.alice.state, "active")

    def test_manual_warning_makes_warned(self):
        self._ingest(f"carol@no-log.test,{93 * MB}\nbob@no-log.test,{10 * MB}\n")
        template = self.env.ref("globenet_nolog.mail_template_nolog_warning_90")
        self.env["nolog.mailbox.warn"].with_user(self.operator).create(
            {
                "mailbox_ids": [Command.set((self.bob | self.carol).ids)],
                "mail_template_id": template.id,
            }
        ).action_send()
        self.assertEqual(self.carol.state, "warned")
        # bob reached no level: an email does not make a quota state
        self.assertEqual(self.bob.state, "active")

    def test_refresh_state_query_count(self):
        """The state refresh after warnings is set-based."""
        Mailbox = self.env["nolog.mailbox"]
        small = Mailbox.create(
            [
                {
                    "address": f"small{i}@no-log.test",
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                }
                for i in range(2)
            ]
        )
        large = Mailbox.create(
            [
                {
                    "address": f"large{i}@no-log.test",
                    "server_id": self.server.id,
                    "policy_id": self.policy.id,
                }
                for i in range(20)
            ]
        )
        self.env.flush_all()
        with self.assertQueryCount(1):
            small._refresh_automatic_state()
        with self.assertQueryCount(1):
            large._refresh_automatic_state()

    # ------------------------------------------------------------------
    # Targeted warnings and the warnings sent
    # ------------------------------------------------------------------
    def test_warn_wizard_counts_selection(self):
        action = self.env.ref("globenet_nolog.nolog_mailbox_warn_action")
        context = safe_eval(
            action.context, {"active_ids": self.carol.ids, "active_id": self.carol.id}
        )
        form = Form(
            self.env["nolog.mailbox.warn"]
            .with_user(self.operator)
            .with_context(**context)
        )
        self.assertEqual(form.mailbox_count, 1)
        form.mailbox_ids.add(self.bob)
        self.assertEqual(form.mailbox_count, 2)
        # from the over-quota list's button
        action = (self.bob | self.carol | self.alice).action_send_warning()
        form = Form(
            self.env[action["res_model"]]
            .with_user(self.operator)
            .with_context(**action["context"])
        )
        self.assertEqual(form.mailbox_count, 3)

    def test_warning_keeps_the_email_sent(self):
        self._ingest(f"alice@no-log.test,{95 * MB}\n")
        self.env["nolog.mailbox"]._cron_send_warnings()
        warning = self.alice.warning_ids
        mail = warning.mail_id
        self.assertEqual(warning.email_subject, mail.subject)
        self.assertIn("alice@no-log.test", warning.email_subject)
        self.assertIn("alice@no-log.test", warning.email_to)
        self.assertIn("alice.member@example.org", warning.email_to)
        self.assertIn("95", warning.email_body)
        as_operator = warning.with_user(self.operator)
        self.assertEqual(as_operator.email_state, "queued")
        # the mail queue deletes an email once sent: the copy stays
        mail.unlink()
        as_operator.invalidate_recordset()
        self.assertEqual(as_operator.email_state, "sent")
        self.assertIn("alice@no-log.test", as_operator.email_subject)
        # the rows open on a form that shows it
        action = self.env.ref("globenet_nolog.nolog_warning_action")
        self.assertIn("form", action.view_mode.split(","))
        arch = self._arch("globenet_nolog.nolog_warning_view_form")
        self.assertTrue(arch.xpath("//field[@name='email_body']"))
        self.assertTrue(arch.xpath("//field[@name='email_to']"))
        # an operator opens it (the mail queue itself is for administrators)
        form = Form(as_operator)
        self.assertEqual(form.email_subject, as_operator.email_subject)
        self.assertEqual(form.email_state, "sent")

    # ------------------------------------------------------------------
    # Usage history is read-only
    # ------------------------------------------------------------------
    def test_history_read_only(self):
        self._ingest(f"alice@no-log.test,{5 * MB}\n")
        rows = self.env["nolog.usage.history"].search(
            [("mailbox_id", "=", self.alice.id)]
        )
        self.assertEqual(len(rows), 1)
        for user in (self.operator, self.manager):
            as_user = rows.with_user(user)
            self.assertEqual(as_user.usage_bytes, 5 * MB)
            with self.assertRaises(AccessError):
                as_user.write({"usage_bytes": 1})
            with self.assertRaises(AccessError):
                as_user.unlink()
            with self.assertRaises(AccessError):
                as_user.create({"mailbox_id": self.alice.id, "date": "2020-01-01"})
            with self.assertRaises(AccessError):
                self.alice.with_user(user).write(
                    {"history_ids": [Command.delete(rows.id)]}
                )
        (history,) = self._arch("globenet_nolog.nolog_mailbox_view_form").xpath(
            "//field[@name='history_ids']"
        )
        self.assertIn(history.get("readonly"), ("1", "True"))
        # a manager may still delete the mailbox, and its history with it
        self.bob.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # The purge's estimate
    # ------------------------------------------------------------------
    def test_purge_estimate_is_an_upper_bound(self):
        self._ingest(
            f"alice@no-log.test,{40 * MB},1,Trash\nbob@no-log.test,{5 * MB},1,Trash\n"
        )
        purge = self.env["nolog.purge.request"].create({"server_id": self.server.id})
        purge.action_compute()
        self.assertEqual(purge.trash_total_display, "45.0\N{NO-BREAK SPACE}MB")
        self.assertEqual(purge.estimated_display, "up to 45.0\N{NO-BREAK SPACE}MB")
        self.assertIn("older than 30 days", purge.estimate_note)
        self.assertIn("not the age of its messages", purge.estimate_note)
        # mailboxes under policies of different retentions
        short = self.policy.copy({"name": "Short", "trash_retention_days": 7})
        self.bob.policy_id = short
        purge.action_compute()
        self.assertIn("7 to 30 days", purge.estimate_note)
        arch = self._arch("globenet_nolog.nolog_purge_request_view_form")
        for fname in ("trash_total_display", "estimated_display", "estimate_note"):
            self.assertTrue(arch.xpath(f"//field[@name='{fname}']"), fname)

    # ------------------------------------------------------------------
    # Uploading a usage report
    # ------------------------------------------------------------------
    def test_upload_where_operators_work(self):
        action = self.env.ref("globenet_nolog.nolog_ingestion_upload_action")
        menus = (
            self.env["ir.ui.menu"]
            .with_user(self.operator)
            .search([("action", "=", f"ir.actions.act_window,{action.id}")])
        )
        self.assertEqual(
            menus.parent_id,
            self.env.ref("globenet_nolog.nolog_mailbox_menu_main")
            | self.env.ref("globenet_nolog.nolog_server_menu_main"),
        )
        # visible to operators (a menu with no visible child is hidden)
        visible = self.env["ir.ui.menu"].with_user(self.operator)._visible_menu_ids()
        self.assertTrue(set(menus.ids) <= visible)
        arch = self._arch("globenet_nolog.nolog_server_view_form")
        self.assertTrue(arch.xpath(f"//button[@name='{action.id}']"))

    def test_rejected_report_shown_in_the_wizard(self):
        wizard = (
            self.env["nolog.ingestion.upload"]
            .with_user(self.operator)
            .create(
                {
                    "server_id": self.server.id,
                    "report_file": base64.b64encode(
                        f"bob@no-log.test,{MB}\nnot an address,12\n".encode()
                    ),
                    "filename": "usage.csv",
                    "file_format": "csv",
                }
            )
        )
        action = wizard.action_import()
        # the wizard stays open, on itself, with the reasons
        self.assertEqual(
            (action["res_model"], action["res_id"], action["target"]),
            ("nolog.ingestion.upload", wizard.id, "new"),
        )
        self.assertEqual(wizard.ingestion_state, "rejected")
        self.assertIn("line 2", wizard.ingestion_errors)
        self.assertEqual(self.bob.usage_bytes, 0)
        arch = self._arch("globenet_nolog.nolog_ingestion_upload_view_form")
        self.assertTrue(arch.xpath("//field[@name='ingestion_errors']"))
        # the operator applies the valid lines from the same window
        wizard.apply_valid_only = True
        action = wizard.action_import()
        self.assertEqual(action["res_model"], "nolog.ingestion")
        self.assertEqual(
            self.env["nolog.ingestion"].browse(action["res_id"]).state, "partial"
        )
        self.assertEqual(self.bob.usage_bytes, MB)

    # ------------------------------------------------------------------
    # Empty screens
    # ------------------------------------------------------------------
    def test_empty_screens_explain(self):
        warnings = self.env.ref("globenet_nolog.nolog_warning_action")
        self.assertIn("exact email", warnings.help)
        self.assertIn("Send a warning", warnings.help)
        purges = self.env.ref("globenet_nolog.nolog_purge_request_action")
        self.assertIn("retention", purges.help)
        self.assertIn("Compute", purges.help)

    def test_french_wording(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["globenet_nolog"], ["fr_FR"])
        self._ingest(f"alice@no-log.test,{40 * MB},1,Trash\n")
        purge = (
            self.env["nolog.purge.request"]
            .with_context(lang="fr_FR")
            .create({"server_id": self.server.id})
        )
        purge.action_compute()
        self.assertTrue(purge.estimated_display.startswith("jusqu’à "))
        self.assertIn("plus de 30 jours", purge.estimate_note)
        warnings = self.env.ref("globenet_nolog.nolog_warning_action").with_context(
            lang="fr_FR"
        )
        self.assertIn("Aucun avertissement", warnings.help)
        menu = self.env.ref("globenet_nolog.nolog_upload_menu").with_context(
            lang="fr_FR"
        )
        self.assertEqual(menu.name, "Importer un relevé d'occupation")
        # a rejected report reopens the window with its title and reasons in French
        wizard = (
            self.env["nolog.ingestion.upload"]
            .with_context(lang="fr_FR")
            .create(
                {
                    "server_id": self.server.id,
                    "report_file": base64.b64encode(b"not an address,12\n"),
                    "file_format": "csv",
                }
            )
        )
        action = wizard.action_import()
        self.assertEqual(action["name"], "Importer un relevé d'occupation")
        self.assertIn("ligne 1", wizard.ingestion_errors)
