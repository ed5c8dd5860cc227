"""End to end: the test server answers as a browser expects."""

import urllib.request


def test_login_page_is_served(odoo_server):
    with urllib.request.urlopen(f"{odoo_server.url}/web/login", timeout=120) as page:
        assert page.status == 200
        body = page.read().decode("utf-8", errors="replace")
    assert 'name="login"' in body
    assert odoo_server.version["server_version_info"][:2] == [18, 0]
