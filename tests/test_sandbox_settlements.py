"""Settlements in the sandbox: Finances v0 listFinancialEventGroups, Finances
2024-06-19 listTransactions by group, Transfers listPayouts, through
python-amazon-sp-api where it has the operation, consistent with the orders."""

from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from sp_api.api import FinancesV0, FinancesV20240619

from tests.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN
from tests.sandbox.contract import validate_definition
from tests.sandbox.settlements import one_window

GROUP = "FINANCIAL_EVENT_GROUP_ID"
# Groups started in the last 60 days (at most 180 days per query).
OLD = (datetime.now(timezone.utc) - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(value):
    return Decimal(str(value)).quantize(Decimal("0.01"))


def groups(kwargs, **params):
    found, token = [], None
    while True:
        query = dict(params)
        if token:
            query["NextToken"] = token
        res = FinancesV0(**kwargs).list_financial_event_groups(**query)
        for group in res.payload.get("FinancialEventGroupList") or []:
            assert (
                validate_definition("finances-v0", "FinancialEventGroup", group) == []
            )
            found.append(group)
        token = res.payload.get("NextToken")
        if not token:
            return found


def group_transactions(kwargs, group_id):
    found, token = [], None
    while True:
        query = {"relatedIdentifierName": GROUP, "relatedIdentifierValue": group_id}
        if token:
            query["nextToken"] = token
        res = FinancesV20240619(**kwargs).list_transactions(**query)
        found += res.payload["transactions"]
        token = res.payload.get("nextToken")
        if not token:
            return found


def related(transaction, name):
    return next(
        r["relatedIdentifierValue"]
        for r in transaction["relatedIdentifiers"]
        if r["relatedIdentifierName"] == name
    )


def control(sandbox, action, body):
    res = httpx.post(f"{sandbox.base_url}/_sandbox/settlements/{action}", json=body)
    assert res.status_code < 300, res.text
    return res.json()


def payouts(sandbox, **params):
    form = {
        "grant_type": "refresh_token",
        "refresh_token": DEMO_REFRESH_TOKEN,
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    token = httpx.post(f"{sandbox.base_url}/auth/o2/token", data=form).json()
    res = httpx.get(
        f"{sandbox.base_url}/finances/transfers/2024-06-01/payouts",
        params=params,
        headers={"x-amz-access-token": token["access_token"]},
    )
    assert res.status_code == 200, res.text
    for payout in res.json()["payouts"]:
        assert validate_definition("transfers", "Payout", payout) == []
    return res.json()["payouts"]


@pytest.fixture
def shop(sandbox):
    sandbox.state.set_rate_limits(enabled=False)
    orders = sandbox.state.generate_orders(
        60, seed=16, countries=["IT", "DE", "GB"], **one_window(sandbox.state)
    )
    shipped = [
        o
        for o in orders
        if o["fulfillment"]["fulfillmentStatus"] in ("SHIPPED", "PARTIALLY_SHIPPED")
    ]
    assert shipped
    return shipped


def test_every_shipped_order_is_paid_once_in_one_group_of_its_currency(
    sandbox, spapi_client_kwargs, shop
):
    listed = groups(spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD)
    assert {g["ProcessingStatus"] for g in listed} == {"Open"}
    paid = Counter()
    for group in listed:
        code = group["OriginalTotal"]["CurrencyCode"]
        rows = group_transactions(spapi_client_kwargs, group["FinancialEventGroupId"])
        assert rows
        total = Decimal(0)
        for row in rows:
            assert validate_definition("finances-2024", "Transaction", row) == []
            assert related(row, GROUP) == group["FinancialEventGroupId"]
            assert row["totalAmount"]["currencyCode"] == code
            total += money(row["totalAmount"]["currencyAmount"])
            paid[related(row, "ORDER_ID")] += 1
        # an open group's OriginalTotal is its current balance
        assert money(group["OriginalTotal"]["CurrencyAmount"]) == total
    assert paid == Counter({o["orderId"]: 1 for o in shop})
    gbp = [o for o in shop if o["proceeds"]["grandTotal"]["currencyCode"] == "GBP"]
    assert gbp, "amazon.co.uk orders in the sample"
    assert any(g["OriginalTotal"]["CurrencyCode"] == "GBP" for g in listed)


def test_fba_orders_pay_a_fulfilment_fee_per_unit(sandbox, spapi_client_kwargs, shop):
    fba = next(o for o in shop if o["fulfillment"]["fulfilledBy"] == "AMAZON")
    res = FinancesV20240619(**spapi_client_kwargs).list_transactions(
        relatedIdentifierName="ORDER_ID", relatedIdentifierValue=fba["orderId"]
    )
    (transaction,) = res.payload["transactions"]
    code = transaction["totalAmount"]["currencyCode"]
    factor = {"EUR": Decimal(1), "GBP": Decimal("0.85")}[code]
    for item in transaction["items"]:
        quantity = item["contexts"][0]["quantityShipped"]
        fees = next(b for b in item["breakdowns"] if b["breakdownType"] == "AmazonFees")
        fee = next(
            b
            for b in fees["breakdowns"]
            if b["breakdownType"] == "FBAPerUnitFulfillmentFee"
        )
        expected = (Decimal("2.50") * factor * quantity).quantize(Decimal("0.01"))
        assert money(fee["breakdownAmount"]["currencyAmount"]) == -expected


def test_closing_freezes_the_group_pays_it_and_later_money_goes_to_the_next(
    sandbox, spapi_client_kwargs, shop
):
    eur = next(
        g
        for g in groups(spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD)
        if g["OriginalTotal"]["CurrencyCode"] == "EUR"
    )
    gid = eur["FinancialEventGroupId"]
    before = group_transactions(spapi_client_kwargs, gid)
    (closed,) = control(sandbox, "close", {"groupId": gid})["closed"]
    assert closed["ProcessingStatus"] == "Closed"
    assert closed["TraceId"] and closed["FundTransferDate"]
    assert closed["FundTransferStatus"] == "Succeeded"
    # money added after closing: a refund and an advertising fee
    order = next(
        o
        for o in shop
        if o["proceeds"]["grandTotal"]["currencyCode"] == "EUR"
        and related(before[0], "ORDER_ID") == o["orderId"]
    )
    httpx.post(
        f"{sandbox.base_url}/_sandbox/refunds", json={"orderId": order["orderId"]}
    )
    control(sandbox, "transactions", {"kind": "advertising", "amount": "30"})
    after = group_transactions(spapi_client_kwargs, gid)
    assert [t["transactionId"] for t in after] == [t["transactionId"] for t in before]
    listed = {
        g["FinancialEventGroupId"]: g
        for g in groups(spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD)
    }
    assert listed[gid]["OriginalTotal"] == closed["OriginalTotal"]
    following = [
        g
        for g in listed.values()
        if g["ProcessingStatus"] == "Open"
        and g["OriginalTotal"]["CurrencyCode"] == "EUR"
    ]
    assert len(following) == 1
    late = group_transactions(
        spapi_client_kwargs, following[0]["FinancialEventGroupId"]
    )
    assert {t["transactionType"] for t in late} >= {"Refund", "ServiceFee"}
    (payout,) = payouts(sandbox)
    assert payout["relatedIdentifiers"][0]["relatedIdentifierValue"] == gid
    assert (
        payout["amount"]["currencyAmount"] == closed["OriginalTotal"]["CurrencyAmount"]
    )
    assert payout["traceId"] == closed["TraceId"]
    assert payout["currentStatus"] == "PAID"


def test_reserve_reimbursement_chargeback_and_advertising_are_transactions(
    sandbox, spapi_client_kwargs, shop
):
    order = shop[0]
    for kind, amount in (
        ("reserve_hold", "100"),
        ("reserve_release", "100"),
        ("reimbursement", "12.5"),
        ("chargeback", "4.2"),
        ("advertising", "30"),
    ):
        body = {"kind": kind, "amount": amount}
        if kind == "chargeback":
            body["orderId"] = order["orderId"]
        control(sandbox, "transactions", body)
    rows = FinancesV20240619(**spapi_client_kwargs).list_transactions(postedAfter=OLD)
    rows = [
        t for t in rows.payload["transactions"] if t["transactionId"].startswith("TX-")
    ]
    by_type = {t["transactionType"]: t for t in rows}
    assert money(by_type["ReserveHold"]["totalAmount"]["currencyAmount"]) == -100
    assert money(by_type["ReserveRelease"]["totalAmount"]["currencyAmount"]) == 100
    assert money(by_type["Adjustment"]["totalAmount"]["currencyAmount"]) == Decimal(
        "12.5"
    )
    assert related(by_type["Chargeback"], "ORDER_ID") == order["orderId"]
    assert money(by_type["ServiceFee"]["totalAmount"]["currencyAmount"]) == -30
    for row in rows:
        assert validate_definition("finances-2024", "Transaction", row) == []
        assert related(row, GROUP)


def test_deferred_money_is_not_paid_until_released_in_the_group_then_open(
    sandbox, spapi_client_kwargs, shop
):
    order = next(
        o for o in shop if o["proceeds"]["grandTotal"]["currencyCode"] == "EUR"
    )
    control(sandbox, "defer", {"orderId": order["orderId"]})
    group = next(
        g
        for g in groups(spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD)
        if g["OriginalTotal"]["CurrencyCode"] == "EUR"
    )
    gid = group["FinancialEventGroupId"]
    rows = group_transactions(spapi_client_kwargs, gid)
    deferred = next(t for t in rows if t["transactionId"] == f"SHIP-{order['orderId']}")
    assert deferred["transactionStatus"] == "DEFERRED"
    released = sum(
        money(t["totalAmount"]["currencyAmount"])
        for t in rows
        if t["transactionStatus"] != "DEFERRED"
    )
    assert money(group["OriginalTotal"]["CurrencyAmount"]) == released
    (closed,) = control(sandbox, "close", {"groupId": gid})["closed"]
    assert money(closed["OriginalTotal"]["CurrencyAmount"]) == released
    control(sandbox, "release", {"orderId": order["orderId"]})
    assert f"SHIP-{order['orderId']}" not in {
        t["transactionId"] for t in group_transactions(spapi_client_kwargs, gid)
    }
    res = FinancesV20240619(**spapi_client_kwargs).list_transactions(
        relatedIdentifierName="ORDER_ID", relatedIdentifierValue=order["orderId"]
    )
    (now,) = res.payload["transactions"]
    assert now["transactionStatus"] == "DEFERRED_RELEASED"
    assert related(now, GROUP) != gid


def test_groups_page_with_next_token_and_filter_by_start(
    sandbox, spapi_client_kwargs, shop
):
    every = groups(spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD)
    paged = groups(
        spapi_client_kwargs, FinancialEventGroupStartedAfter=OLD, MaxResultsPerPage=1
    )
    assert [g["FinancialEventGroupId"] for g in paged] == [
        g["FinancialEventGroupId"] for g in every
    ]
    assert len(every) >= 2
    assert (
        groups(
            spapi_client_kwargs,
            FinancialEventGroupStartedAfter="2024-01-01T00:00:00Z",
            FinancialEventGroupStartedBefore="2024-01-02T00:00:00Z",
        )
        == []
    )


def test_groups_follow_amazons_usage_plan(sandbox, spapi_client_kwargs):
    sandbox.state.set_rate_limits(scale=1.0, enabled=True)
    client = FinancesV0(**spapi_client_kwargs)
    statuses = []
    for _i in range(31):
        try:
            client.list_financial_event_groups(FinancialEventGroupStartedAfter=OLD)
            statuses.append(200)
        except Exception as err:
            statuses.append(type(err).__name__)
    assert statuses[:30] == [200] * 30, "burst 30"
    assert statuses[30] != 200, "the 31st call at once is throttled"
