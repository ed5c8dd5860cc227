# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A member's subscription page in a real browser: headless Chromium, driven
by Odoo's own test browser (it finds the distribution's ``chromium``).

Screenshots go to ``$GLOBENET_TEST_LOG_DIR/screenshots`` (``tests/run.sh``
sets it under ``logs/``), else to Odoo's screenshot directory.
"""

import base64
import importlib.util
import json
import os
import pathlib
import shutil
from datetime import date

import werkzeug.urls

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools import config, format_date

from ..controllers.portal import mask_iban
from .common import HostingCommon

IBAN = "FR7630006000011234567890189"

TRANSLATIONS_LOADED = (
    "performance.getEntriesByType('resource')"
    ".some((entry) => entry.name.includes('/translations/'))"
)

# what the member must find on the page, as the browser renders it
CHECK_SUBSCRIPTION_PAGE = """
const expected = %(expected)s;
const text = document.body.innerText.replace(/\\u00a0/g, ' ');
const invoiceLink = document.querySelector(
    'a[href^="/my/invoices/' + expected.invoice_id + '"]');
const serviceCell = [...document.querySelectorAll('table td')].find(
    (cell) => cell.innerText.includes(expected.service));
const checks = {
    service: Boolean(serviceCell),
    price: text.includes(expected.price),
    next_invoice: text.includes('Next invoice: ' + expected.next_invoice),
    payment_method: text.includes('Payment method: ' + expected.payment_method),
    mandate: text.includes(expected.mandate) && text.includes(expected.iban),
    invoices: Boolean(invoiceLink) && invoiceLink.innerText === expected.invoice,
    full_iban_hidden: !text.includes(expected.full_iban),
};
const missing = Object.keys(checks).filter((name) => !checks[name]);
if (missing.length) {
    console.error('missing on the subscription page: ' + missing.join(', '));
} else {
    console.log('test successful');
}
"""


def screenshot_dir():
    base = os.environ.get("GLOBENET_TEST_LOG_DIR")
    path = pathlib.Path(base) if base else pathlib.Path(config["screenshots"])
    path = path / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@tagged("post_install", "-at_install")
class TestSubscriptionPageBrowser(HostingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="hosting_browser",
            password="hosting_browser_pw",
            groups="base.group_portal",
            partner_id=cls.member.id,
            lang="en_US",
        )
        cls.sub = cls._create_sub(price=14.5)
        cls.sub.action_activate()
        cls.sub._invoice_periods(date(2026, 1, 1))
        cls.sub.invoice_ids.action_post()
        bank = cls.env["res.partner.bank"].create(
            {"partner_id": cls.member.id, "acc_number": IBAN}
        )
        cls.mandate = cls.env["sepa.mandate"].create(
            {
                "name": "GN-BROWSER-01",
                "partner_id": cls.member.id,
                "partner_bank_id": bank.id,
                "signature_date": date(2026, 1, 15),
            }
        )
        cls.mandate.action_validate()

    def test_subscription_page_in_chromium(self):
        # Odoo's test browser skips when it lacks these: this test fails instead
        self.assertTrue(
            shutil.which("chromium") or shutil.which("chromium-browser"),
            "Chromium is missing: install the distribution's chromium package",
        )
        self.assertTrue(
            importlib.util.find_spec("websocket"),
            "websocket-client is missing: pip install -r requirements.txt",
        )
        invoice = self.sub.invoice_ids[:1]
        self.assertTrue(invoice)
        self.assertTrue(self.sub.next_invoice_date)
        env_en = self.env(context={"lang": "en_US"})
        expected = {
            "service": self.sub.line_ids.name,
            "price": "14.50",
            "next_invoice": format_date(env_en, self.sub.next_invoice_date),
            "payment_method": "SEPA direct debit",
            "mandate": "GN-BROWSER-01",
            "iban": mask_iban(IBAN),
            "full_iban": IBAN,
            "invoice": invoice.name,
            "invoice_id": invoice.id,
        }
        code = CHECK_SUBSCRIPTION_PAGE % {"expected": json.dumps(expected)}
        browser = ChromeBrowser(self)
        try:
            self.authenticate("hosting_browser", "hosting_browser_pw", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(
                werkzeug.urls.url_join(
                    self.base_url(), f"/my/subscriptions/{self.sub.id}"
                ),
                wait_stop=True,
            )
            # the page's scripts have fetched their translations: the browser
            # is stopped with no request under way
            self.assertTrue(browser._wait_ready(TRANSLATIONS_LOADED))
            browser._wait_code_ok(code, 30)
            shot = browser._websocket_request(
                "Page.captureScreenshot", params={"captureBeyondViewport": True}
            )
            path = screenshot_dir() / "portal_subscription.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            self.assertGreater(path.stat().st_size, 1000)
        finally:
            browser.stop()
            self._wait_remaining_requests()
