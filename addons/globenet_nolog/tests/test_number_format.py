# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
from odoo.tests import HttpCase, new_test_user, tagged

from ..tools.units import DISK_GB, format_percent, format_size
from .common import MB, NologCommon

NBSP = "\N{NO-BREAK SPACE}"


class FrenchCommon(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["globenet_nolog"], ["fr_FR"])
        cls.env_fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.env_en = cls.env(context=dict(cls.env.context, lang="en_US"))


@tagged("post_install", "-at_install")
class TestNumberFormat(FrenchCommon):
    def test_sizes_follow_the_language(self):
        cases = [
            # value, options, English, French
            (110 * MB, {}, f"110.0{NBSP}MB", f"110,0{NBSP}Mo"),
            (
                1748 * DISK_GB,
                {"binary": False, "unit": "GB"},
                f"1,748.0{NBSP}GB",
                # French groups thousands with the no-break space of its res.lang
                f"1{NBSP}748,0{NBSP}Go",
            ),
            (100 * MB, {"unit": "MB", "digits": 0}, f"100{NBSP}MB", f"100{NBSP}Mo"),
            (1536 * MB, {}, f"1.5{NBSP}GB", f"1,5{NBSP}Go"),
            (512, {}, f"512{NBSP}bytes", f"512{NBSP}octets"),
            (0, {}, f"0{NBSP}bytes", f"0{NBSP}octets"),
        ]
        for value, options, english, french in cases:
            with self.subTest(value=value, options=options):
                self.assertEqual(format_size(self.env_en, value, **options), english)
                self.assertEqual(format_size(self.env_fr, value, **options), french)

    def test_without_language_the_company_one(self):
        """Without a language in the context (a scheduled action), the number
        and its unit both follow the company's language."""
        self.env.company.partner_id.lang = "fr_FR"
        env = self.env(
            context={k: v for k, v in self.env.context.items() if k != "lang"}
        )
        self.assertFalse(env.lang)
        self.assertEqual(format_size(env, 110 * MB), f"110,0{NBSP}Mo")

    def test_percentages_follow_the_language(self):
        self.assertEqual(format_percent(self.env_en, 95), f"95.0{NBSP}%")
        self.assertEqual(format_percent(self.env_fr, 95), f"95,0{NBSP}%")
        self.assertEqual(format_percent(self.env_fr, 1234.56), f"1{NBSP}234,6{NBSP}%")
        self.assertEqual(format_percent(self.env_fr, 90, digits=0), f"90{NBSP}%")

    def test_back_office_fields(self):
        self._ingest(
            f"alice@no-log.test,{80 * MB},1,INBOX\n"
            f"alice@no-log.test,{30 * MB},1,Trash\n"
        )
        alice_fr = self.alice.with_env(self.env_fr)
        alice_en = self.alice.with_env(self.env_en)
        self.assertEqual(alice_fr.usage_display, f"110,0{NBSP}Mo")
        self.assertEqual(alice_en.usage_display, f"110.0{NBSP}MB")
        self.assertEqual(alice_fr.quota_percent_display, f"110,0{NBSP}%")
        self.assertEqual(alice_en.quota_percent_display, f"110.0{NBSP}%")
        self.assertEqual(alice_fr.trash_display, f"30,0{NBSP}Mo")
        self.assertEqual(alice_fr.quota_mb_display, f"100{NBSP}Mo")
        self.assertEqual(alice_fr.usage_mb_display, f"110,0{NBSP}Mo")
        # the number alone, for the templates of earlier versions
        self.assertEqual(alice_fr.usage_mb_text, "110,0")
        self.assertEqual(self.level_90.with_env(self.env_fr).display_name, f"90{NBSP}%")
        # the server's disks: 8 × 250 GB in RAID 5
        server_fr = self.server.with_env(self.env_fr)
        self.assertEqual(server_fr.capacity_display, f"1{NBSP}750{NBSP}Go")
        self.assertEqual(
            self.server.with_env(self.env_en).capacity_display, f"1,750{NBSP}GB"
        )

    def test_warning_chatter_in_the_operator_language(self):
        self._ingest(f"alice@no-log.test,{95 * MB}\n")
        template = self.env.ref("globenet_nolog.mail_template_nolog_warning_90")
        self.alice.with_env(self.env_fr)._send_warning(template)
        body = self.alice.message_ids[:1].body
        self.assertIn("95,0&nbsp;Mo utilisés sur 100,0&nbsp;Mo (95,0&nbsp;%)", body)


@tagged("post_install", "-at_install")
class TestPortalFrench(FrenchCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner.lang = "fr_FR"
        new_test_user(
            cls.env,
            login="nolog_portal_fr",
            password="nolog_portal_fr_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
            lang="fr_FR",
        )

    def test_portal_in_french(self):
        self._ingest(
            f"alice@no-log.test,{60 * MB},10,INBOX\n"
            f"alice@no-log.test,{30 * MB},2,Trash\n"
        )
        self.authenticate("nolog_portal_fr", "nolog_portal_fr_pw")
        page = self.url_open("/my/mailboxes").text
        self.assertIn(f"90,0{NBSP}Mo", page)
        self.assertIn(f"90,0{NBSP}%", page)
        self.assertIn(f"33,3{NBSP}%", page)
        page = self.url_open(f"/my/mailboxes/{self.alice.id}").text
        self.assertIn(f"90,0{NBSP}Mo", page)
        self.assertIn(f"90,0{NBSP}%", page)
        self.assertIn(f"30,0{NBSP}Mo", page)
        self.assertIn(f"sur 100,0{NBSP}Mo, soit", page)
        # byte counts use the French grouping too
        self.assertIn(f"94{NBSP}371{NBSP}840", page)
