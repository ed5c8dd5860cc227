# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Globenet's sample data for no-log: Bender, almost full, and its history.

``tools/load-sample`` calls ``nolog.sample._load_sample()`` after the hosting
part. The mailboxes go through the usage ingestion (one report of today,
unknown addresses created), and their 90 days of history through one
set-based INSERT. Every step records an XML id under the ``sample`` prefix
when it is done, so that a second run changes nothing.
"""

import logging
import random
from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.units import DISK_GB, MB

_logger = logging.getLogger(__name__)

SAMPLE_MODULE = "sample"
MAILBOX_COUNT = 30000
OVER_QUOTA_EVERY = 20  # one mailbox in 20 is over its quota: 1,500
HISTORY_DAYS = 90
USED_TODAY = 1470 * DISK_GB  # of Bender's 1,500 GB
GROWTH_PER_DAY = 1 * DISK_GB  # full in about a month
WARNED_COUNT = 300  # over-quota mailboxes already warned this week
SEED = 2026
PSEUDONYMS = [
    "colibri",
    "renard",
    "mesange",
    "loutre",
    "heron",
    "castor",
    "chouette",
    "lynx",
    "martinet",
    "blaireau",
    "grive",
    "hermine",
    "salamandre",
    "pinson",
    "belette",
    "alouette",
]
# The two mailboxes of the portal logins (see README.md).
MEMBER_MAILBOX = "ateliers-du-canal@no-log.org"
ANONYMOUS_MAILBOX = "colibri@no-log.org"
ANONYMOUS_USER = {"name": "Colibri", "login": "anonyme", "password": "anonyme"}
# The anonymous user's second mailbox, linked through the emailed link, and a
# mailbox an operator invited to the portal (its login is its address).
ANONYMOUS_SECOND_MAILBOX = "mesange.00002@no-log.org"
INVITED_MAILBOX = "loutre.00003@no-log.org"
# a volunteer who answers members' questions: reads the registry, changes nothing
READONLY_USER = {
    "name": "Sacha Bénévole",
    "login": "benevole",
    "password": "benevole",
}
SIGNUP_REQUESTS = [
    ("jardin-partage", "contact@jardin-partage.example"),
    ("radio-libre.nord", "studio@radio-libre.example"),
]
SIGNUP_CLOSED_MESSAGE = {
    "en_US": "<p>Our servers are full: no-log takes no new accounts until the "
    "volunteers have financed and installed new machines.</p>"
    "<p>Other non-profit hosts offer mailboxes: see the "
    '<a href="https://www.chatons.org/">CHATONS collective</a>.</p>',
    "fr_FR": "<p>Nos serveurs sont pleins : no-log n'ouvre plus de comptes tant "
    "que les bénévoles n'ont pas financé et installé de nouvelles "
    "machines.</p><p>D'autres hébergeurs associatifs proposent des boîtes "
    'aux lettres : voyez le <a href="https://www.chatons.org/">collectif '
    "CHATONS</a>.</p>",
}
CAMPAIGN_EVERY_K = 2
CAMPAIGN_LIST_URL = "https://listes.globenet.org/listinfo/no-log-alternatives"
SUSPICIOUS_BURST = 8


class NologSample(models.AbstractModel):
    _name = "nolog.sample"
    _description = "Globenet sample data (no-log)"

    # ------------------------------------------------------------------
    # Entry point and bookkeeping
    # ------------------------------------------------------------------
    @api.model
    def _load_sample(self):
        """Load the no-log part of the story, once; return the steps run."""
        if not self.env.is_superuser():
            raise AccessError(self.env._("Only the superuser loads the sample data."))
        done = []
        for step in (
            "servers",
            "mailboxes",
            "history",
            "warnings",
            "purge",
            "portal",
            "address_link",
            "capacity",
            "campaign",
            "suspicion",
            "readonly",
        ):
            if self._sample_ref(f"step_nolog_{step}"):
                continue
            _logger.info("Globenet sample: no-log %s", step)
            getattr(self, f"_sample_{step}")()
            self.env.flush_all()
            self._sample_mark(f"step_nolog_{step}", self.env.ref("base.main_company"))
            done.append(step)
        return done

    @api.model
    def _sample_ref(self, name):
        return self.env.ref(f"{SAMPLE_MODULE}.{name}", raise_if_not_found=False)

    @api.model
    def _sample_mark(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [
                {
                    "xml_id": f"{SAMPLE_MODULE}.{name}",
                    "record": record,
                    "noupdate": True,
                }
            ]
        )

    @api.model
    def _sample_today(self):
        return fields.Date.context_today(self)

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    @api.model
    def _sample_servers(self):
        """The 100 MB policy, Bender (RAID 5, almost full) and the test
        machine being prepared."""
        policy = self.env["nolog.policy"].create(
            {
                "name": "no-log standard (100 Mo)",
                "quota_mb": 100,
                "warning_interval_days": 7,
                "trash_retention_days": 30,
                "allow_suspension": True,
                "level_ids": [
                    Command.create(
                        {
                            "percent": percent,
                            "mail_template_id": self.env.ref(
                                f"globenet_nolog.mail_template_nolog_warning_{percent}"
                            ).id,
                        }
                    )
                    for percent in (90, 100, 150)
                ],
            }
        )
        self._sample_mark("nolog_policy_standard", policy)
        bender = self.env["nolog.server"].create(
            {
                "name": "Bender",
                "hostname": "bender.no-log.org",
                "role": "mailstore",
                "disk_count": 4,
                "disk_size_gb": 500,
                "raid_level": "5",
                "max_mailboxes": MAILBOX_COUNT,
                "policy_id": policy.id,
            }
        )
        self._sample_mark("nolog_server_bender", bender)
        test = self.env["nolog.server"].create(
            {
                "name": "Nibbler (test)",
                "hostname": "nibbler.no-log.org",
                "role": "mailstore",
                "disk_count": 8,
                "disk_size_gb": 250,
                "raid_level": "5",
                "max_mailboxes": 40000,
                "policy_id": policy.id,
            }
        )
        test.message_post(
            body=self.env._(
                "Test machine being prepared to take over part of Bender's "
                "mailboxes: 8 disks of 250 GB in RAID 5."
            )
        )
        self._sample_mark("nolog_server_test", test)

    @api.model
    def _sample_sizes(self):
        """Today's size of each mailbox, in bytes, summing to USED_TODAY.

        One mailbox in OVER_QUOTA_EVERY is over the 100 MB quota (one at 5 GB,
        a dozen over 1 GB); the rest are below it."""
        rng = random.Random(SEED)
        quota = 100 * MB
        sizes = []
        over = []
        for index in range(MAILBOX_COUNT):
            if index % OVER_QUOTA_EVERY == OVER_QUOTA_EVERY - 1:
                rank = len(over)
                if rank == 0:
                    size = 5 * 1024 * MB
                elif rank <= 12:
                    size = rng.uniform(1024, 2048) * MB
                else:
                    size = quota * (1.02 + 8.5 * rng.betavariate(1, 4))
                over.append(index)
            else:
                size = rng.betavariate(1.3, 2.2) * 99 * MB
            sizes.append(size)
        over_total = sum(sizes[index] for index in over)
        under_total = sum(sizes) - over_total
        scale = (USED_TODAY - over_total) / under_total
        cap = 99.5 * MB
        over = set(over)
        sizes = [
            size if index in over else min(size * scale, cap)
            for index, size in enumerate(sizes)
        ]
        sizes[0] = 62 * MB  # the member's mailbox
        sizes[1] = 95 * MB  # the anonymous user's: warned at 90 %
        return [int(size) for size in sizes]

    @api.model
    def _sample_addresses(self):
        addresses = [MEMBER_MAILBOX, ANONYMOUS_MAILBOX]
        for index in range(2, MAILBOX_COUNT):
            name = PSEUDONYMS[index % len(PSEUDONYMS)]
            addresses.append(f"{name}.{index:05d}@no-log.org")
        return addresses

    @api.model
    def _sample_mailboxes(self):
        """Today's usage report of Bender, through the usage ingestion, which
        registers the 30,000 addresses it does not know yet."""
        bender = self._sample_ref("nolog_server_bender")
        rng = random.Random(SEED + 1)
        lines = []
        for address, size in zip(
            self._sample_addresses(), self._sample_sizes(), strict=True
        ):
            trash = int(size * rng.uniform(0.02, 0.18))
            sent = int(size * rng.uniform(0.05, 0.2))
            inbox = size - trash - sent
            per_message = rng.uniform(40000, 90000)
            for folder, part in (("INBOX", inbox), ("Sent", sent), ("Trash", trash)):
                lines.append(f"{address},{part},{int(part / per_message)},{folder}")
        today = self._sample_today()
        ingestion = self.env["nolog.ingestion"]._ingest(
            bender,
            "\n".join(lines) + "\n",
            file_format="csv",
            create_unknown=True,
            reported_at=datetime.combine(today, time(4, 0)),
            filename="bender-usage.csv",
        )
        self._sample_mark("nolog_ingestion_today", ingestion)
        # The addresses were opened over the years, before the history.
        self.env.cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox
                   SET open_date = %(today)s::date - (%(days)s + mod(id * 37, 3000))
                 WHERE server_id = %(server)s
                """,
                today=today,
                days=HISTORY_DAYS,
                server=bender.id,
            )
        )
        self.env["nolog.mailbox"].invalidate_model(["open_date"])

    @api.model
    def _sample_history(self):
        """The 89 days before today, in one INSERT: each mailbox grows at its
        own pace, so that Bender grows by about GROWTH_PER_DAY a day."""
        bender = self._sample_ref("nolog_server_bender")
        growth = GROWTH_PER_DAY / USED_TODAY
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO nolog_usage_history (
                    mailbox_id, date, usage_bytes, message_count, trash_bytes)
                SELECT m.id, %(today)s::date - d.n,
                       ROUND(m.usage_bytes * f.factor),
                       ROUND(m.message_count * f.factor),
                       ROUND(m.trash_bytes * f.factor)
                  FROM nolog_mailbox m
                 CROSS JOIN generate_series(1, %(days)s - 1) AS d(n)
                 CROSS JOIN LATERAL (
                       SELECT GREATEST(
                           1 - %(growth)s * d.n
                               * (0.5 + mod(m.id::bigint * 7919, 100) / 100.0),
                           0) AS factor
                 ) AS f
                 WHERE m.server_id = %(server)s
                 ORDER BY m.id, d.n DESC
                ON CONFLICT (mailbox_id, date) DO NOTHING
                """,
                today=self._sample_today(),
                days=HISTORY_DAYS,
                growth=growth,
                server=bender.id,
            )
        )
        self.env["nolog.usage.history"].invalidate_model()

    @api.model
    def _sample_warnings(self):
        """Warnings sent this week to the fullest mailboxes; the others over a
        level are left to the daily scheduled action."""
        bender = self._sample_ref("nolog_server_bender")
        mailboxes = self.env["nolog.mailbox"].search(
            [("server_id", "=", bender.id), ("warning_level_id", "!=", False)],
            order="quota_percent desc",
            limit=WARNED_COUNT,
        )
        now = fields.Datetime.now()
        self.env["nolog.warning"].create(
            [
                {
                    "mailbox_id": mailbox.id,
                    "level_id": mailbox.warning_level_id.id,
                    "percent": mailbox.warning_level_id.percent,
                    "usage_bytes": mailbox.usage_bytes,
                    "quota_percent": mailbox.quota_percent,
                    "mail_template_id": mailbox.warning_level_id.mail_template_id.id,
                    "sent_date": now - timedelta(days=1 + index % 6, hours=index % 9),
                }
                for index, mailbox in enumerate(mailboxes)
            ]
        )

    @api.model
    def _sample_purge(self):
        """A Trash purge request for Bender, computed with its estimated gain."""
        request = self.env["nolog.purge.request"].create(
            {"server_id": self._sample_ref("nolog_server_bender").id}
        )
        request.action_compute()
        self._sample_mark("nolog_purge_bender", request)

    @api.model
    def _sample_readonly(self):
        """A volunteer of the team with no-log's read-only access."""
        user = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    **READONLY_USER,
                    "lang": "fr_FR",
                    "groups_id": [
                        Command.set(
                            [
                                self.env.ref(
                                    "globenet_nolog.group_globenet_nolog_user"
                                ).id
                            ]
                        )
                    ],
                }
            )
        )
        self._sample_mark("user_nolog_readonly", user)

    @api.model
    def _sample_portal(self):
        """The member's mailbox (found by the hosting part's XML id, when
        loaded), and an anonymous webmail user who has only a mailbox."""
        Mailbox = self.env["nolog.mailbox"]
        member = self._sample_ref("partner_portal_member")
        if member:
            Mailbox.search([("address", "=", MEMBER_MAILBOX)]).partner_id = member
        user = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": ANONYMOUS_USER["name"],
                    "login": ANONYMOUS_USER["login"],
                    "password": ANONYMOUS_USER["password"],
                    "email": ANONYMOUS_MAILBOX,
                    "lang": "fr_FR",
                    "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        )
        Mailbox.search(
            [("address", "=", ANONYMOUS_MAILBOX)]
        ).partner_id = user.partner_id
        self._sample_mark("user_nolog_anonymous", user)

    @api.model
    def _sample_address_link(self):
        """``anonyme`` links a second mailbox through the signed link emailed
        to it; an operator invites another mailbox to the portal."""
        Mailbox = self.env["nolog.mailbox"]
        user = self._sample_ref("user_nolog_anonymous")
        second = Mailbox.search([("address", "=", ANONYMOUS_SECOND_MAILBOX)])
        mailbox, _error = Mailbox._link_check_token(second._link_token(user), user)
        mailbox._link_to_user(user)
        invited = Mailbox.search([("address", "=", INVITED_MAILBOX)])
        invited._portal_invite()
        self._sample_mark("user_nolog_invited", invited.partner_id.user_ids)

    @api.model
    def _sample_capacity(self):
        """Bender's forecast: full in about a month. Signups are closed, for
        Bender by the capacity check (all its accounts are taken), for the
        test machine and the service by a manager, with the explanatory
        message; two requests from before the closure wait for review."""
        bender = self._sample_ref("nolog_server_bender")
        test = self._sample_ref("nolog_server_test")
        # "full" for Bender's forecast means the disks themselves
        bender.fill_threshold = 100
        self.env["nolog.server.usage.daily"]._refresh()
        self.env["nolog.server"]._cron_capacity_check()
        test._set_signup_open(
            False,
            self.env._("Test machine being prepared: not for new accounts yet."),
        )
        company = self.env.ref("base.main_company")
        company._nolog_set_signup_open(
            False,
            self.env._(
                "Decided at the volunteers' meeting: no new accounts until "
                "the new servers are financed."
            ),
        )
        company.with_context(
            lang="en_US"
        ).nolog_signup_closed_message = SIGNUP_CLOSED_MESSAGE["en_US"]
        if self.env["res.lang"]._lang_get("fr_FR"):
            company.with_context(
                lang="fr_FR"
            ).nolog_signup_closed_message = SIGNUP_CLOSED_MESSAGE["fr_FR"]
        for index, (name, contact) in enumerate(SIGNUP_REQUESTS):
            request = self.env["nolog.signup.request"].create(
                {"address": f"{name}@no-log.org", "contact_email": contact}
            )
            self._sample_mark(f"nolog_signup_request_{index}", request)

    def _sample_campaign(self):
        """A draft campaign for every second account of Bender, ready to
        preview: nothing is sent until a manager launches it."""
        bender = self._sample_ref("nolog_server_bender")
        campaign = self.env["nolog.closure.campaign"].create(
            {
                "name": "Bender : un compte sur deux",
                "rule": "every_kth",
                "every_k": CAMPAIGN_EVERY_K,
                "server_id": bender.id,
                "notice_months": 6,
                "list_url": CAMPAIGN_LIST_URL,
                "message": Markup(
                    "<p>Globenet est une petite association. Nous préférons "
                    "prévenir six mois à l'avance plutôt que de voir le service "
                    "tomber pour tout le monde. Merci de votre compréhension.</p>"
                ),
            }
        )
        self._sample_mark("nolog_campaign_every_second", campaign)

    @api.model
    def _sample_suspicion(self):
        """A burst of list-subscriber accounts on Nibbler, waiting for review.

        The mailboxes of Bender were registered by the usage import, all at
        the same instant: their creation time is spread over their opening
        day first, as it was in reality, so that only the burst is one."""
        bender = self._sample_ref("nolog_server_bender")
        self.env.cr.execute(
            SQL(
                """
                UPDATE nolog_mailbox
                   SET create_date = open_date
                       + mod(id::bigint * 7919, 86400) * interval '1 second'
                 WHERE server_id = %(server)s AND create_date::date > open_date
                """,
                server=bender.id,
            )
        )
        self.env["nolog.mailbox"].invalidate_model(["create_date"])
        # the burst came through the signups of the new machine
        nibbler = self._sample_ref("nolog_server_test")
        opened = self._sample_today() - timedelta(days=45)
        burst = self.env["nolog.mailbox"].create(
            [
                {
                    "address": f"abonne.lettre{index:03d}@no-log.org",
                    "server_id": nibbler.id,
                    "policy_id": nibbler.policy_id.id,
                    "open_date": opened,
                }
                for index in range(101, 101 + SUSPICIOUS_BURST)
            ]
        )
        self._sample_mark("nolog_mailbox_burst_first", burst[0])
        # the reasons are written in the language of the team: French
        lang = "fr_FR" if self.env["res.lang"]._lang_get("fr_FR") else "en_US"
        self.env["nolog.suspicion"].with_context(lang=lang)._score_mailboxes()
