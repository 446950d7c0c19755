"""Issue 14, acceptance: one Retail purchase order and one Direct Fulfillment
order from import to Amazon's verdict on the invoice, each message at Amazon
exactly once, also when the answer is lost after Amazon accepted the message."""

import uuid
from datetime import timedelta

import httpx
import pytest

from odoo import fields
from odoo.exceptions import UserError

from tests.sandbox import account_vals
from tests.sandbox.generate import default_skus, sku_ean

from .conftest import transaction

SKUS = default_skus()[:6]


def _control(sandbox, path, body):
    httpx.post(f"{sandbox.base_url}/_sandbox/{path}", json=body).raise_for_status()


def _lose_next_answer(sandbox, operation):
    """Amazon takes the message, then the connection drops mid-answer."""
    _control(sandbox, "faults", {"operation": operation, "truncated": True, "count": 1})


def _requests(sandbox):
    return httpx.get(f"{sandbox.base_url}/_sandbox/requests").json()


def _run_outbox(registry):
    with transaction(registry) as env:
        env["amazon.outbox.message"]._cron_process()


def _vendor_account(registry, sandbox):
    with transaction(registry) as env:
        italy = env.ref("amazon_connector.marketplace_it")
        window = env["amazon.vendor.time.range"].create(
            {
                "name": f"Scenario {uuid.uuid4().hex[:6]}",
                "date_field": "created",
                "mode": "fixed",
                "date_after": fields.Datetime.now() - timedelta(days=30),
                "date_before": fields.Datetime.now() + timedelta(days=1),
            }
        )
        env.company.write(
            {
                "street": "Via Roma 1",
                "city": "Milano",
                "zip": "20100",
                "country_id": env.ref("base.it").id,
                "vat": "IT12345670017",
            }
        )
        for sku in SKUS:
            product = env["product.product"].search(
                [("default_code", "=", sku)], limit=1
            )
            product.write({"barcode": sku_ean(sku), "invoice_policy": "order"})
        account = env["amazon.account"].create(
            account_vals(
                sandbox.base_url,
                italy.id,
                name=f"Vendor scenario {uuid.uuid4().hex[:8]}",
                account_type="vendor",
                vendor_retail_time_range_id=window.id,
                vendor_df_time_range_id=window.id,
                vendor_df_import=True,
                fbm_warehouse_id=env["stock.warehouse"]
                .search([("company_id", "=", env.company.id)], limit=1)
                .id,
            )
        )
        return account.id


def _sandbox_count(sandbox, name, kind, number):
    records = httpx.get(f"{sandbox.base_url}/_sandbox/{name}").json()
    return sum(
        1
        for record in records
        if record["kind"] == kind and number in str(record["body"])
    )


def test_one_retail_and_one_df_order_reach_amazons_verdict_exactly_once(
    registry, scenario_sandbox
):
    sandbox = scenario_sandbox
    state = sandbox.state
    state.purchase_orders.clear()
    state.df_orders.clear()
    [po] = state.generate_purchase_orders(1, seed=71, skus=SKUS)
    [df] = state.generate_df_orders(1, seed=72, skus=SKUS)
    account_id = _vendor_account(registry, sandbox)

    with transaction(registry) as env:
        log = env["amazon.account"].browse(account_id)._sync_vendor_orders()
        assert log.failed == 0, log.line_ids.mapped("reason") or log.message
    with transaction(registry) as env:
        orders = env["amazon.vendor.order"].search([("account_id", "=", account_id)])
        assert sorted(orders.mapped("name")) == sorted(
            [po["purchaseOrderNumber"], df["purchaseOrderNumber"]]
        )
        env["amazon.vendor.party"].search([("account_id", "=", account_id)]).write(
            {"vat": "LU20260743"}
        )

    # Acknowledgements: Amazon takes both, the answers are lost.
    _lose_next_answer(sandbox, "vendor-orders.submitAcknowledgement")
    _lose_next_answer(sandbox, "vendor-df-orders.submitAcknowledgement")
    with transaction(registry) as env:
        orders = env["amazon.vendor.order"].search([("account_id", "=", account_id)])
        orders.action_send_acknowledgement()
    _run_outbox(registry)
    with transaction(registry) as env:
        orders = env["amazon.vendor.order"].search([("account_id", "=", account_id)])
        states = orders.mapped("ack_state")
        # Settled in the same run from Amazon's own state, or still unknown.
        assert set(states) <= {"unknown", "accepted"}, states
        # A person pressing Send again is refused: the message exists.
        for order in orders:
            with pytest.raises(UserError, match="already acknowledged"):
                order.action_send_acknowledgement()
    _run_outbox(registry)
    with transaction(registry) as env:
        orders = env["amazon.vendor.order"].search([("account_id", "=", account_id)])
        assert orders.mapped("ack_state") == ["accepted", "accepted"], [
            (o.name, o.ack_state, o.ack_error) for o in orders
        ]
        retail = orders.filtered(lambda o: o.kind == "retail")
        direct = orders.filtered(lambda o: o.kind == "df")
        assert retail.sale_order_id.state == "sale"
        assert direct.sale_order_id.state == "sale"
        retail_id, df_id = retail.id, direct.id
    acks = httpx.get(f"{sandbox.base_url}/_sandbox/acknowledgements").json()
    assert len(acks) == 2, "exactly one acknowledgement of each kind at Amazon"
    requests = _requests(sandbox)
    cut = [r for r in requests if r.get("fault") == "truncated"]
    assert len(cut) == 2, "both answers were lost after Amazon took the message"
    assert {"getPurchaseOrdersStatus", "getOrder"} <= {
        r["operation"] for r in requests
    }, "settled by reading Amazon's state"

    # DF shipment: Amazon takes it, the answer is lost; settled from the order.
    _lose_next_answer(sandbox, "vendor-df-shipping.submitShipmentConfirmations")
    with transaction(registry) as env:
        picking = env["amazon.vendor.order"].browse(df_id).sale_order_id.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
    _run_outbox(registry)
    _run_outbox(registry)
    with transaction(registry) as env:
        direct = env["amazon.vendor.order"].browse(df_id)
        assert direct.shipment_state == "accepted", direct.shipment_error
    assert len(state.shipments) == 1, "exactly one shipment confirmation at Amazon"
    cut = [
        r
        for r in _requests(sandbox)
        if r.get("fault") == "truncated"
        and r["operation"] == "submitShipmentConfirmations"
    ]
    assert len(cut) == 1, "the shipment confirmation's answer was lost"

    # Invoices: Amazon throttles the first try (refused before processing), then
    # takes each invoice; the verdict is read back: processing, then success.
    _control(
        sandbox,
        "faults",
        {"operation": "vendor-invoices.submitInvoices", "status": 429, "count": 1},
    )
    with transaction(registry) as env:
        invoices = env["account.move"]
        for binding_id in (retail_id, df_id):
            sale_order = env["amazon.vendor.order"].browse(binding_id).sale_order_id
            invoice = sale_order._create_invoices()
            invoice.action_post()
            invoice.action_amazon_vendor_submit_invoice()
            invoices |= invoice
        invoice_ids = invoices.ids
    for _ in range(3):
        _run_outbox(registry)
        with transaction(registry) as env:
            env["amazon.outbox.message"].search(
                [("account_id", "=", account_id), ("state", "=", "pending")]
            ).write({"next_attempt_date": False})
    with transaction(registry) as env:
        invoices = env["account.move"].browse(invoice_ids)
        assert invoices.mapped("amazon_vendor_invoice_state") == [
            "accepted",
            "accepted",
        ], [(i.name, i.amazon_vendor_invoice_error) for i in invoices]
        names = invoices.mapped("name")
        messages = env["amazon.outbox.message"].search(
            [("account_id", "=", account_id)]
        )
        assert sorted(messages.mapped("kind")) == sorted(
            ["retail_ack", "df_ack", "df_shipment", "invoice", "df_invoice"]
        ), "one message of each kind"
        assert set(messages.mapped("state")) == {"accepted"}
    for name, kind in zip(
        names, ("vendorInvoices", "directFulfillmentInvoice"), strict=True
    ):
        assert _sandbox_count(sandbox, "invoices", kind, name) == 1, name
    requests = _requests(sandbox)
    operations = [r["operation"] for r in requests]
    assert "getTransaction" in operations, "the Retail invoice's verdict read back"
    assert "getTransactionStatus" in operations, "the DF invoice's verdict read back"
    throttled = [
        r for r in requests if r["operation"] == "submitInvoices" and r["status"] == 429
    ]
    assert len(throttled) == 1, "refused before processing, then sent once"
