# Copyright 2025 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MB, NologCommon


@tagged("post_install", "-at_install")
class TestWarnings(NologCommon):
    def _mails(self, mailbox):
        return self.env["mail.mail"].search(
            [("model", "=", "nolog.mailbox"), ("res_id", "=", mailbox.id)]
        )

    def test_levels_and_interval(self):
        self._ingest(
            f"alice@no-log.test,{92 * MB}\n"
            f"bob@no-log.test,{50 * MB}\n"
            f"carol@no-log.test,{160 * MB}\n"
        )
        Mailbox = self.env["nolog.mailbox"]
        self.assertEqual(Mailbox._cron_send_warnings(), 2)
        warnings = self.env["nolog.warning"].search([])
        self.assertEqual(
            {(w.mailbox_id, w.level_id) for w in warnings},
            {(self.alice, self.level_90), (self.carol, self.level_150)},
        )
        # queued, not sent, and addressed to the mailbox and its owner
        mail = self._mails(self.alice)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.email_to, "alice@no-log.test")
        self.assertIn(self.partner, mail.recipient_ids)
        self.assertIn("Warning", self.alice.message_ids[0].body)
        # nothing more within the interval
        self.assertEqual(Mailbox._cron_send_warnings(), 0)
        self._ingest(
            f"alice@no-log.test,{93 * MB}\n"
            f"bob@no-log.test,{50 * MB}\n"
            f"carol@no-log.test,{161 * MB}\n"
        )
        self.assertEqual(Mailbox._cron_send_warnings(), 0)
        # a new level is a new warning
        self._ingest(f"alice@no-log.test,{101 * MB}\n")
        self.assertEqual(Mailbox._cron_send_warnings(), 1)
        self.assertEqual(self.alice.warning_ids[0].level_id, self.level_100)
        # once the interval is over, the same level is sent again
        self.env["nolog.warning"].search([]).write(
            {"sent_date": fields.Datetime.now() - timedelta(days=8)}
        )
        self.assertEqual(Mailbox._cron_send_warnings(), 2)
        # back under every level: no warning
        self._ingest(f"alice@no-log.test,{MB}\n")
        self.assertEqual(self.alice.state, "active")
        self.assertFalse(self.alice.warning_due)

    def test_failure_isolated(self):
        self._ingest(f"bob@no-log.test,{95 * MB}\ncarol@no-log.test,{160 * MB}\n")
        self.level_90.mail_template_id.email_to = "{{ object.no_such_field }}"
        with mute_logger(
            "odoo.addons.globenet_nolog.models.nolog_mailbox",
            "odoo.addons.mail.models.mail_render_mixin",
        ):
            self.assertEqual(self.env["nolog.mailbox"]._cron_send_warnings(), 2)
        self.assertTrue(self.bob.warning_ids.error)
        self.assertFalse(self.carol.warning_ids.error)
        self.assertEqual(len(self._mails(self.carol)), 1)
        self.assertFalse(self.bob.warning_due)

    def test_suspended_not_warned(self):
        self._ingest(f"carol@no-log.test,{160 * MB}\n")
        self.carol.state = "suspended"
        self.assertEqual(self.env["nolog.mailbox"]._cron_send_warnings(), 0)

    def test_batches(self):
        self._ingest(
            f"alice@no-log.test,{92 * MB}\n"
            f"bob@no-log.test,{150 * MB}\n"
            f"carol@no-log.test,{160 * MB}\n"
        )
        Mailbox = self.env["nolog.mailbox"]
        self.assertEqual(Mailbox._cron_send_warnings(batch_size=2), 2)
        self.assertEqual(Mailbox._cron_send_warnings(batch_size=2), 1)
        self.assertEqual(Mailbox._cron_send_warnings(batch_size=2), 0)

    def test_cron_progress(self):
        self._ingest(f"carol@no-log.test,{160 * MB}\n")
        cron = self.env.ref("globenet_nolog.ir_cron_nolog_send_warnings")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        self.env["nolog.mailbox"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_send_warnings()
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_template_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["globenet_nolog"], ["fr_FR"])
        self._ingest(
            f"alice@no-log.test,{60 * MB},1,INBOX\n"
            f"alice@no-log.test,{30 * MB},1,Trash\n"
            f"alice@no-log.test,{5 * MB},1,Spam\n"
        )
        template = self.env.ref("globenet_nolog.mail_template_nolog_warning_90")
        self.partner.lang = "fr_FR"
        self.env["nolog.mailbox"]._cron_send_warnings()
        mail = self._mails(self.alice)
        self.assertIn("presque pleine", mail.subject)
        body = mail.body_html
        self.assertIn("<strong>95,0\N{NO-BREAK SPACE}Mo</strong>", body)
        self.assertIn(
            "<strong>100\N{NO-BREAK SPACE}Mo</strong> (95,0\N{NO-BREAK SPACE}%)", body
        )
        # Trash and Spam: 35 MB of 95 MB
        self.assertIn("35,0\N{NO-BREAK SPACE}Mo, soit 36,8\N{NO-BREAK SPACE}%", body)
        self.assertIn("Corbeille", body)
        self.assertIn("bénévoles", body)
        # without an owner, French is the default language
        rendered = template._render_field("subject", self.bob.ids, compute_lang=True)[
            self.bob.id
        ]
        self.assertIn("presque pleine", rendered)
        # an English-speaking owner gets English
        self.partner.lang = "en_US"
        self.alice.invalidate_recordset(["warning_lang"])
        rendered = template._render_field(
            "body_html", self.alice.ids, compute_lang=True
        )[self.alice.id]
        self.assertIn("How to free space", rendered)
        self.assertIn("<strong>95.0\N{NO-BREAK SPACE}MB</strong>", rendered)
        self.assertIn("(95.0\N{NO-BREAK SPACE}%)", rendered)

    def test_manual_warning_wizard(self):
        self._ingest(f"bob@no-log.test,{20 * MB}\ncarol@no-log.test,{120 * MB}\n")
        template = self.env.ref("globenet_nolog.mail_template_nolog_warning_100")
        wizard = self.env["nolog.mailbox.warn"].create(
            {"mailbox_ids": [(6, 0, (self.bob | self.carol).ids)]}
        )
        wizard.action_send()
        # bob reached no level: nothing to send without a chosen template
        self.assertEqual(self.bob.warning_count, 0)
        self.assertEqual(self.carol.warning_count, 1)
        self.assertTrue(self.carol.warning_ids.manual)
        wizard = self.env["nolog.mailbox.warn"].create(
            {
                "mailbox_ids": [(6, 0, self.bob.ids)],
                "mail_template_id": template.id,
            }
        )
        wizard.action_send()
        self.assertEqual(self.bob.warning_count, 1)
        self.assertEqual(len(self._mails(self.bob)), 1)
