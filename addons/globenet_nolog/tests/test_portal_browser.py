# Copyright 2026 Globenet
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
"""A member's portal pages in a real browser: headless Chromium, driven by
Odoo's own test browser (it finds the distribution's ``chromium``).

Screenshots go to ``$GLOBENET_TEST_LOG_DIR/screenshots`` (``tests/run.sh``
sets it under ``logs/``), else to Odoo's screenshot directory.
"""

import base64
import importlib.util
import os
import pathlib
import shutil
from datetime import timedelta

import werkzeug.urls

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools import config

from .common import MB, NologCommon

TRANSLATIONS_LOADED = (
    "performance.getEntriesByType('resource')"
    ".some((entry) => entry.name.includes('/translations/'))"
)

CHECK_MAILBOX_PAGE = """
const text = document.body.innerText;
const checks = {
    bar: document.querySelector('.progress .progress-bar'),
    chart: document.querySelector('svg.o_nolog_usage_chart polyline'),
    quota: document.querySelector('svg.o_nolog_usage_chart .o_nolog_quota_line'),
    usage: text.includes('90.0\u00a0MB'),
    bytes: text.includes('94,371,840'),
    percent: text.includes('90.0\u00a0%'),
    days: text.includes('90 daily reports'),
};
const missing = Object.keys(checks).filter((name) => !checks[name]);
const points = checks.chart && checks.chart.getAttribute('points').split(' ').length;
if (missing.length || points !== 90) {
    console.error('missing: ' + missing.join(', ') + ' points=' + points);
} else {
    console.log('test successful');
}
"""

CHECK_LIST_PAGE = """
const text = document.body.innerText;
if (text.includes('alice@no-log.test') && text.includes('90.0\u00a0%')
        && !text.includes('bob@no-log.test')) {
    console.log('test successful');
} else {
    console.error('the mailbox list is wrong');
}
"""


def screenshot_dir():
    base = os.environ.get("GLOBENET_TEST_LOG_DIR")
    path = pathlib.Path(base) if base else pathlib.Path(config["screenshots"])
    path = path / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@tagged("post_install", "-at_install")
class TestPortalBrowser(NologCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="nolog_browser",
            password="nolog_browser_pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
            lang="en_US",
        )
        cls.env["nolog.ingestion"]._ingest(
            cls.server,
            f"alice@no-log.test,{60 * MB},10,INBOX\n"
            f"alice@no-log.test,{30 * MB},2,Trash\n"
            f"bob@no-log.test,{20 * MB}\n",
        )
        today = fields.Date.context_today(cls.env["nolog.mailbox"])
        cls.env["nolog.usage.history"].create(
            [
                {
                    "mailbox_id": cls.alice.id,
                    "date": today - timedelta(days=day),
                    "usage_bytes": (90 - day) * MB,
                }
                for day in range(1, 90)
            ]
        )

    def _check_page(self, url_path, code, name):
        """Open ``url_path`` as the member, run ``code``, save a screenshot."""
        browser = ChromeBrowser(self)
        try:
            self.authenticate("nolog_browser", "nolog_browser_pw", browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(
                werkzeug.urls.url_join(self.base_url(), url_path), wait_stop=True
            )
            # the page's scripts have fetched their translations: the browser
            # is stopped with no request under way
            self.assertTrue(browser._wait_ready(TRANSLATIONS_LOADED))
            browser._wait_code_ok(code, 30)
            shot = browser._websocket_request(
                "Page.captureScreenshot", params={"captureBeyondViewport": True}
            )
            path = screenshot_dir() / f"portal_{name}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            self.assertGreater(path.stat().st_size, 1000)
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_member_pages_in_chromium(self):
        # Odoo's test browser skips when it lacks these: this test fails instead
        self.assertTrue(
            shutil.which("chromium") or shutil.which("chromium-browser"),
            "Chromium is missing: install the distribution's chromium package",
        )
        self.assertTrue(
            importlib.util.find_spec("websocket"),
            "websocket-client is missing: pip install -r requirements.txt",
        )
        self._check_page("/my/mailboxes", CHECK_LIST_PAGE, "mailboxes")
        self._check_page(
            f"/my/mailboxes/{self.alice.id}", CHECK_MAILBOX_PAGE, "mailbox"
        )
