"""Finances 2024-06-19 listTransactions and the Reports API (returns reports)
through python-amazon-sp-api, consistent with the orders the sandbox holds."""

import csv
import gzip
import io
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from sp_api.api import FinancesV20240619, Reports
from sp_api.base.exceptions import SellingApiBadRequestException

from tests.sandbox.contract import validate_definition

# listTransactions windows are at most 180 days long.
OLD = (datetime.now(timezone.utc) - timedelta(days=170)).strftime("%Y-%m-%dT%H:%M:%SZ")


BUYER = ("ProductCharges", "Shipping", "GiftWrap", "Promotion")


def shipped_orders(sandbox, count=6, **options):
    orders = sandbox.state.generate_orders(count * 4, seed=15, **options)
    shipped = [o for o in orders if o["fulfillment"]["fulfillmentStatus"] == "SHIPPED"]
    assert shipped, "the generator makes shipped orders"
    return shipped[:count]


def amount(money):
    return Decimal(str(money["currencyAmount"])).quantize(Decimal("0.01"))


def transactions(kwargs, **params):
    found, token = [], None
    while True:
        query = {"postedAfter": OLD, **params}
        if token:
            query["nextToken"] = token
        res = FinancesV20240619(**kwargs).list_transactions(**query)
        found += res.payload["transactions"]
        token = res.payload.get("nextToken")
        if not token:
            return found


def test_shipments_are_paid_with_the_orders_ids_amounts_and_currencies(
    sandbox, spapi_client_kwargs
):
    sandbox.state.set_rate_limits(enabled=False)
    orders = shipped_orders(sandbox)
    found = {
        t["relatedIdentifiers"][0]["relatedIdentifierValue"]: t
        for t in transactions(spapi_client_kwargs)
        if t["transactionType"] == "Shipment"
    }
    for order in orders:
        transaction = found[order["orderId"]]
        assert validate_definition("finances-2024", "Transaction", transaction) == []
        grand = order["proceeds"]["grandTotal"]
        goods = sum(
            amount(b["breakdownAmount"])
            for item in transaction["items"]
            for b in item["breakdowns"]
            if b["breakdownType"] in BUYER
        )
        assert goods == Decimal(grand["amount"]).quantize(Decimal("0.01"))
        assert transaction["totalAmount"]["currencyCode"] == grand["currencyCode"]


def test_partial_and_full_refunds_are_refund_transactions(sandbox, spapi_client_kwargs):
    sandbox.state.set_rate_limits(enabled=False)
    orders = shipped_orders(sandbox, 2)
    first = orders[0]
    sku = first["orderItems"][0]["product"]["sellerSku"]
    control = f"{sandbox.base_url}/_sandbox/refunds"
    res = httpx.post(
        control,
        json={"orderId": first["orderId"], "items": [{"sku": sku, "quantity": 1}]},
    )
    assert res.status_code == 201, res.text
    assert (
        httpx.post(control, json={"orderId": orders[1]["orderId"]}).status_code == 201
    )
    refunds = [
        t for t in transactions(spapi_client_kwargs) if t["transactionType"] == "Refund"
    ]
    assert len(refunds) == 2
    for refund in refunds:
        assert validate_definition("finances-2024", "Transaction", refund) == []
    full = next(
        r
        for r in refunds
        if r["relatedIdentifiers"][0]["relatedIdentifierValue"] == orders[1]["orderId"]
    )
    buyer = sum(
        amount(b["breakdownAmount"])
        for item in full["items"]
        for b in item["breakdowns"]
        if b["breakdownType"] in BUYER
    )
    assert -buyer == Decimal(orders[1]["proceeds"]["grandTotal"]["amount"])


def test_list_transactions_refuses_a_window_ending_less_than_two_minutes_ago(
    sandbox, spapi_client_kwargs
):
    with pytest.raises(SellingApiBadRequestException):
        FinancesV20240619(**spapi_client_kwargs).list_transactions(
            postedAfter=OLD, postedBefore="2100-01-01T00:00:00Z"
        )


def test_list_transactions_follows_amazons_usage_plan(sandbox, spapi_client_kwargs):
    sandbox.state.set_rate_limits(scale=1.0, enabled=True)
    client = FinancesV20240619(**spapi_client_kwargs)
    statuses = []
    for _i in range(11):
        try:
            client.list_transactions(postedAfter=OLD)
            statuses.append(200)
        except Exception as err:
            statuses.append(type(err).__name__)
    assert statuses[:10] == [200] * 10, "burst 10"
    assert statuses[10] != 200, "the 11th call at once is throttled"


def test_returns_report_is_done_after_a_delay_and_a_gzip_tsv_on_the_sandbox(
    sandbox, spapi_client_kwargs
):
    sandbox.state.set_rate_limits(enabled=False)
    sandbox.state.feed_delay = 0.2
    order = next(
        o
        for o in shipped_orders(sandbox, 10)
        if o["fulfillment"]["fulfilledBy"] == "MERCHANT"
    )
    sku = order["orderItems"][0]["product"]["sellerSku"]
    res = httpx.post(
        f"{sandbox.base_url}/_sandbox/returns",
        json={"orderId": order["orderId"], "sku": sku, "quantity": 1},
    )
    assert res.status_code == 201, res.text
    reports = Reports(**spapi_client_kwargs)
    created = reports.create_report(
        reportType="GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE",
        marketplaceIds=["APJ6JRA9NG5V4"],
        dataStartTime=OLD,
    ).payload
    report = reports.get_report(created["reportId"]).payload
    assert report["processingStatus"] == "IN_QUEUE"
    time.sleep(0.3)
    report = reports.get_report(created["reportId"]).payload
    assert report["processingStatus"] == "DONE"
    document = reports.get_report_document(report["reportDocumentId"]).payload
    assert document["compressionAlgorithm"] == "GZIP"
    assert document["url"].startswith(sandbox.base_url)
    content = gzip.decompress(httpx.get(document["url"]).content).decode()
    rows = list(csv.DictReader(io.StringIO(content), delimiter="\t"))
    assert [(r["Order ID"], r["Merchant SKU"]) for r in rows] == [
        (order["orderId"], sku)
    ]
