# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""Portal access by address: an operator (or an approved signup) invites a
mailbox, whose login is its address; a member links another mailbox with a
signed link emailed to that address."""

import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import NologCommon

CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
SENT = "If this address is a no-log mailbox, a confirmation link has"
PERSONAL_FIELDS = (
    "phone",
    "mobile",
    "street",
    "street2",
    "city",
    "zip",
    "country_id",
    "vat",
    "website",
    "function",
    "parent_id",
    "comment",
)


@tagged("post_install", "-at_install")
class TestPortalInvite(NologCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator, cls.manager = cls._nolog_team("invite_op", "invite_mgr")
        cls.Users = cls.env["res.users"].with_context(active_test=False)

    def _mails_to(self, address):
        return self.env["mail.mail"].search([("email_to", "=", address)])

    def test_operator_invites_a_mailbox_only_member(self):
        self.bob.with_user(self.operator).action_invite_portal()
        user = self.Users.search([("login", "=", "bob@no-log.test")])
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        partner = user.partner_id
        self.assertEqual(self.bob.partner_id, partner)
        self.assertEqual((partner.name, partner.email), (self.bob.address,) * 2)
        self.assertFalse(
            [name for name in PERSONAL_FIELDS if partner[name]],
            "nothing but the address is stored",
        )
        self.assertFalse(partner.is_company)
        # the invitation goes to the address, with the link to choose a password
        mail = self._mails_to("bob@no-log.test")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("/web/signup?", mail.body_html)
        self.assertIn("token=", mail.body_html)
        self.assertEqual(partner.signup_type, "signup")
        # the member sees this mailbox only
        mailboxes = self.env["nolog.mailbox"].with_user(user).search([])
        self.assertEqual(mailboxes, self.bob)
        with self.assertRaises(AccessError):
            self.alice.with_user(user).check_access("read")

    def test_invite_in_batch_skips_owned_mailboxes_and_taken_logins(self):
        new_test_user(self.env, login="carol@no-log.test", groups="base.group_portal")
        mailboxes = (self.alice | self.bob | self.carol | self.zoe).with_user(
            self.operator
        )
        action = mailboxes.action_invite_portal()
        self.assertEqual(
            set(self.Users.search([("login", "like", "@no-log.test")]).mapped("login")),
            {"bob@no-log.test", "carol@no-log.test", "zoe@no-log.test"},
        )
        self.assertEqual(self.alice.partner_id, self.partner, "owner kept")
        self.assertFalse(self.carol.partner_id, "login taken: left alone")
        self.assertTrue(self.bob.partner_id.user_ids)
        self.assertTrue(self.zoe.partner_id.user_ids)
        message = action["params"]["message"]
        self.assertIn("alice@no-log.test: it already has an owner.", message)
        self.assertIn("carol@no-log.test: an account with this login", message)
        self.assertEqual(action["params"]["type"], "warning")
        # a second click does nothing more
        before = self.Users.search_count([])
        action = self.bob.with_user(self.operator).action_invite_portal()
        self.assertEqual(self.Users.search_count([]), before)
        self.assertIn("already has a portal account", action["params"]["message"])

    def test_only_operators_invite(self):
        clerk = new_test_user(self.env, login="invite_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.bob.with_user(clerk).action_invite_portal()
        self.assertFalse(self.bob.partner_id)
        self.assertFalse(self.Users.search([("login", "=", "bob@no-log.test")]))

    def test_approved_signup_invites_the_mailbox(self):
        Request = self.env["nolog.signup.request"]
        Request._submit("newbie", "newbie@example.org")
        request = Request.search([("address", "=", "newbie@no-log.org")])
        request.with_user(self.operator).action_approve()
        mailbox = request.mailbox_id
        user = self.Users.search([("login", "=", "newbie@no-log.org")])
        self.assertTrue(user._is_portal())
        self.assertEqual(mailbox.partner_id, user.partner_id)
        self.assertEqual(user.partner_id.email, "newbie@no-log.org")
        self.assertNotIn("newbie@example.org", user.partner_id.email)
        # one email, to the requester, with the link to choose the password
        mail = self._mails_to("newbie@example.org")
        self.assertEqual(len(mail), 1)
        self.assertIn("/web/signup?", mail.body_html)
        self.assertFalse(self._mails_to("newbie@no-log.org"))


@tagged("post_install", "-at_install")
class TestPortalAddressLink(NologCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bob._portal_invite(send=False)
        cls.member = cls.env["res.users"].search([("login", "=", "bob@no-log.test")])
        cls.member.password = "bob-member-pw"
        cls.other = new_test_user(
            cls.env,
            login="link_other",
            password="link-other-pw",
            groups="base.group_portal",
        )

    def setUp(self):
        super().setUp()
        self.authenticate("bob@no-log.test", "bob-member-pw")

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _ask(self, address):
        token = self._csrf("/my/mailboxes/add")
        return self.url_open(
            "/my/mailboxes/add", data={"csrf_token": token, "address": address}
        )

    def _link_mails(self):
        return self.env["mail.mail"].search([("subject", "like", "to your portal")])

    def _confirm(self, token):
        csrf = self._csrf("/my/mailboxes/add")
        return self.url_open(
            "/my/mailboxes/link", data={"csrf_token": csrf, "token": token}
        )

    def test_mailbox_only_member_sees_only_their_mailbox(self):
        response = self.url_open("/my/mailboxes")
        self.assertIn("bob@no-log.test", response.text)
        self.assertIn('href="/my/mailboxes/add"', response.text)
        self.assertNotIn("alice@no-log.test", response.text)
        self.assertNotIn("carol@no-log.test", response.text)
        response = self.url_open(f"/my/mailboxes/{self.alice.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("alice@no-log.test", response.text)

    def test_request_answers_the_same_for_known_and_unknown_addresses(self):
        known = self._ask("Carol@no-log.test")
        unknown = self._ask("nobody@no-log.test")
        self.assertEqual(known.status_code, 200)
        self.assertEqual(unknown.status_code, 200)
        self.assertIn(SENT, known.text)
        self.assertIn(SENT, unknown.text)
        self.assertEqual(
            known.text.replace(CSRF_RE.search(known.text).group(1), ""),
            unknown.text.replace(CSRF_RE.search(unknown.text).group(1), ""),
        )
        mail = self._link_mails()
        self.assertEqual(mail.mapped("email_to"), ["carol@no-log.test"])
        self.assertIn("/my/mailboxes/link?token=", mail.body_html)
        self.assertFalse(self.carol.partner_id, "nothing linked before confirming")

    def test_valid_link_adds_the_mailbox(self):
        self._ask("carol@no-log.test")
        url = re.search(
            r'href="([^"]*/my/mailboxes/link\?token=[^"]+)"',
            self._link_mails().body_html,
        )
        token = url.group(1).split("token=")[1]
        page = self.url_open(f"/my/mailboxes/link?token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("carol@no-log.test", page.text)
        self.assertFalse(self.carol.partner_id, "the GET changes nothing")
        done = self._confirm(token)
        self.assertEqual(done.status_code, 200)
        self.assertEqual(self.carol.partner_id, self.member.partner_id)
        listing = self.url_open("/my/mailboxes").text
        self.assertIn("carol@no-log.test", listing)
        self.assertIn("bob@no-log.test", listing)
        note = self.carol.message_ids.filtered(lambda m: "confirmed the link" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn("bob@no-log.test", note.body)
        self.assertNotIn("127.0.0.1", note.body)

    def _assert_refused(self, token, status, text):
        for response in (
            self.url_open(f"/my/mailboxes/link?token={token}"),
            self._confirm(token),
        ):
            self.assertEqual(response.status_code, status)
            self.assertIn(text, response.text)
        self.assertFalse(self.carol.partner_id)
        self.assertFalse(self.zoe.partner_id)

    def test_forged_link_is_refused(self):
        token = self.carol._link_token(self.member)
        user_id, mailbox_id, expiry, signature = token.split(".")
        forged = "0" if signature[-1] != "0" else "1"
        self._assert_refused(token[:-1] + forged, 400, "This link is not valid")
        self._assert_refused(
            f"{user_id}.{self.zoe.id}.{expiry}.{signature}",
            400,
            "This link is not valid",
        )
        self._assert_refused(
            f"{user_id}.{mailbox_id}.{int(expiry) + 3600}.{signature}",
            400,
            "This link is not valid",
        )
        self._assert_refused("garbage", 400, "This link is not valid")

    def test_expired_link_is_refused(self):
        token = self.carol._link_token(self.member, seconds=-60)
        self._assert_refused(token, 400, "This link has expired")

    def test_link_of_another_user_is_refused(self):
        token = self.carol._link_token(self.other)
        self._assert_refused(token, 403, "made for another portal account")

    def test_post_without_csrf_is_rejected(self):
        token = self.carol._link_token(self.member)
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(
                "/my/mailboxes/add", data={"address": "carol@no-log.test"}
            )
        self.assertEqual(response.status_code, 400)
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open("/my/mailboxes/link", data={"token": token})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._link_mails())
        self.assertFalse(self.carol.partner_id)

    def test_requests_are_rate_limited_per_user(self):
        for _index in range(5):
            self.assertEqual(self._ask("nobody@no-log.test").status_code, 200)
        response = self._ask("carol@no-log.test")
        self.assertEqual(response.status_code, 429)
        self.assertFalse(self._link_mails())
        stored = self.env["nolog.signup.throttle"].search([]).mapped("key")
        self.assertFalse(
            [key for key in stored if "127.0.0.1" in key or "address-link" in key]
        )
        # another member is not slowed down
        self.authenticate("link_other", "link-other-pw")
        self.assertEqual(self._ask("carol@no-log.test").status_code, 200)
        self.assertEqual(len(self._link_mails()), 1)

    def test_invalid_address_is_refused(self):
        response = self._ask("not an address")
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid email address", response.text)
