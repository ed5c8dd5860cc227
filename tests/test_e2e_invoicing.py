"""End to end: the scheduled action of a real server invoices a subscription once.

The test plays the back office over XML-RPC, as admin: it creates a member, a
hosting product and a monthly subscription invoiced in advance, activates it,
runs the invoicing scheduled action twice and checks that exactly one invoice
exists for the current month, with the subscription's amount and payment method.
"""

import calendar
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

CRON_XMLID = ("globenet_hosting", "ir_cron_hosting_subscription_invoice")


def _server_today(rpc):
    """Today as the server's fields.Date.context_today sees it for this user."""
    tz = rpc("res.users", "read", [rpc.uid], ["tz"])[0]["tz"] or "UTC"
    return datetime.now(ZoneInfo(tz)).date()


def _invoices(rpc, subscription_id):
    return rpc(
        "account.move",
        "search_read",
        [("hosting_subscription_id", "=", subscription_id)],
        fields=[
            "partner_id",
            "amount_untaxed",
            "hosting_payment_method",
            "hosting_period_start",
            "move_type",
            "state",
        ],
    )


def _run_invoicing_cron(rpc):
    model, cron_id = rpc.ref(*CRON_XMLID)
    assert model == "ir.cron"
    rpc("ir.cron", "method_direct_trigger", [cron_id])


def test_monthly_subscription_invoiced_once_by_cron(odoo_rpc):
    rpc = odoo_rpc
    stamp = time.strftime("%Y%m%d%H%M%S")
    today = _server_today(rpc)
    period_start = today.replace(day=1)
    period_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])

    partner_id = rpc(
        "res.partner",
        "create",
        {"name": f"E2E member {stamp}", "email": f"e2e-{stamp}@example.org"},
    )
    product_id = rpc(
        "product.product",
        "create",
        {
            "name": f"E2E shared hosting {stamp}",
            "type": "service",
            "list_price": 12.0,
            "hosting_service_type": "shared_hosting",
        },
    )
    subscription_id = rpc(
        "hosting.subscription",
        "create",
        {
            "partner_id": partner_id,
            "date_start": period_start.isoformat(),
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "invoicing_mode": "advance",
            "payment_method": "sepa_dd",
            "line_ids": [
                (0, 0, {"product_id": product_id, "quantity": 1, "price_unit": 12.0})
            ],
        },
    )
    rpc("hosting.subscription", "action_activate", [subscription_id])
    assert _invoices(rpc, subscription_id) == []

    _run_invoicing_cron(rpc)

    invoices = _invoices(rpc, subscription_id)
    assert len(invoices) == 1, invoices
    invoice = invoices[0]
    assert invoice["partner_id"][0] == partner_id
    assert invoice["amount_untaxed"] == pytest.approx(12.0)
    assert invoice["hosting_payment_method"] == "sepa_dd"
    assert invoice["hosting_period_start"] == period_start.isoformat()

    # The line label names the period, in the partner's language date format.
    lang = rpc("res.partner", "read", [partner_id], ["lang"])[0]["lang"] or "en_US"
    date_format = rpc(
        "res.lang",
        "search_read",
        [("code", "=", lang)],
        fields=["date_format"],
        context={"active_test": False},
    )[0]["date_format"]
    labels = [
        line["name"]
        for line in rpc(
            "account.move.line",
            "search_read",
            [("move_id", "=", invoice["id"]), ("display_type", "=", "product")],
            fields=["name"],
        )
    ]
    start_label = period_start.strftime(date_format)
    end_label = period_end.strftime(date_format)
    assert any(start_label in label and end_label in label for label in labels), (
        f"no invoice line names the period {start_label}-{end_label}: {labels}"
    )

    # Running the scheduled action again must not invoice the period twice.
    _run_invoicing_cron(rpc)
    invoices_after = _invoices(rpc, subscription_id)
    assert [i["id"] for i in invoices_after] == [invoice["id"]], invoices_after
