"""LWA, Sellers, Orders 2026-01-01 and v0, Tokens through python-amazon-sp-api."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import httpx
import pytest
from sp_api.api import Orders, Sellers, Tokens
from sp_api.base.exceptions import SellingApiBadRequestException, SellingApiException

from tests.conftest import make_client_kwargs
from tests.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN
from tests.sandbox.generate import generate_orders

NOW = datetime.now(timezone.utc)
LONG_AGO = "2020-01-01T00:00:00Z"
EU = [
    "APJ6JRA9NG5V4",
    "A1PA6795UKMFR9",
    "A13V1IB3VIYZZH",
    "A1RKKUPIHCS9HS",
    "A1F83G8C2ARO7P",
    "A2NODRKZP88ZB9",
    "A1C3SOZRARQ6R3",
    "A1805IZSGTT6HS",
]


def token(sandbox, **form):
    return httpx.post(f"{sandbox.base_url}/auth/o2/token", data=form)


def test_lwa_refresh_token_grant(sandbox):
    res = token(
        sandbox,
        grant_type="refresh_token",
        refresh_token=DEMO_REFRESH_TOKEN,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
    )
    assert res.status_code == 200
    body = res.json()
    assert body["access_token"].startswith("Atza|")
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600


def test_lwa_errors(sandbox):
    res = token(
        sandbox,
        grant_type="refresh_token",
        refresh_token=DEMO_REFRESH_TOKEN,
        client_id="nope",
        client_secret="x",
    )
    assert res.status_code == 401
    assert res.json() == {
        "error": "invalid_client",
        "error_description": "Client authentication failed",
    }
    httpx.post(
        f"{sandbox.base_url}/_sandbox/lwa/revoke",
        json={"refresh_token": DEMO_REFRESH_TOKEN},
    )
    res = token(
        sandbox,
        grant_type="refresh_token",
        refresh_token=DEMO_REFRESH_TOKEN,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
    )
    assert res.status_code == 400
    assert res.json() == {
        "error": "invalid_grant",
        "error_description": "The request has an invalid grant parameter : "
        "refresh_token",
    }


def test_lwa_client_credentials(sandbox):
    res = token(
        sandbox,
        grant_type="client_credentials",
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        scope="sellingpartnerapi::notifications",
    )
    assert res.status_code == 200
    assert res.json()["scope"] == "sellingpartnerapi::notifications"


def test_revoked_refresh_token_raises_through_library(sandbox, spapi_client_kwargs):
    from sp_api.auth.exceptions import AuthorizationError

    sandbox.state.revoke(DEMO_REFRESH_TOKEN)
    with pytest.raises(AuthorizationError) as info:
        Sellers(**spapi_client_kwargs).get_marketplace_participation()
    assert info.value.status_code == 400


def test_api_call_without_token_is_403(sandbox):
    res = httpx.get(f"{sandbox.base_url}/sellers/v1/marketplaceParticipations")
    assert res.status_code == 403
    assert res.json()["errors"][0]["code"] == "Unauthorized"
    assert res.headers["x-amzn-RequestId"]


def test_second_seller(sandbox):
    httpx.post(
        f"{sandbox.base_url}/_sandbox/lwa/clients",
        json={
            "client_id": "c2",
            "client_secret": "s2",
            "refresh_token": "Atzr|two",
            "seller_id": "A2SECOND",
            "marketplaces": ["A1PA6795UKMFR9"],
        },
    )
    kw = make_client_kwargs(
        sandbox,
        "A1PA6795UKMFR9",
        {"refresh_token": "Atzr|two", "lwa_app_id": "c2", "lwa_client_secret": "s2"},
    )
    payload = Sellers(**kw).get_marketplace_participation().payload
    assert [p["marketplace"]["id"] for p in payload] == ["A1PA6795UKMFR9"]


def test_marketplace_participations(spapi_client_kwargs):
    res = Sellers(**spapi_client_kwargs).get_marketplace_participation()
    assert sorted(p["marketplace"]["id"] for p in res.payload) == sorted(EU)
    assert res.rate_limit == "0.016"


def test_search_orders_paginates_everything(sandbox, spapi_client_kwargs):
    sandbox.state.generate_orders(230, seed=7)
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    seen, token_ = [], None
    while True:
        kwargs = (
            {"paginationToken": token_}
            if token_
            else {
                "createdAfter": LONG_AGO,
                "marketplaceIds": EU,
                "maxResultsPerPage": 100,
                "includedData": ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT"],
            }
        )
        res = client.search_orders(**kwargs)
        seen.extend(res.payload["orders"])
        token_ = res.next_token
        if not token_:
            break
    assert len(seen) == 230 == len({o["orderId"] for o in seen})
    created = [o["createdTime"] for o in seen]
    assert created == sorted(created)
    assert "createdBefore" in res.payload
    assert len(sandbox.state.request_log("searchOrders")) == 3


def test_search_orders_filters_and_included_data(sandbox, spapi_client_kwargs):
    sandbox.state.generate_orders(120, seed=3)
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    res = client.search_orders(
        lastUpdatedAfter=LONG_AGO,
        marketplaceIds=EU,
        fulfillmentStatuses=["UNSHIPPED"],
        fulfilledBy=["MERCHANT"],
    )
    orders = res.payload["orders"]
    assert orders and all("fulfillment" not in o and "buyer" not in o for o in orders)
    assert "lastUpdatedBefore" in res.payload
    res = client.search_orders(
        lastUpdatedAfter=LONG_AGO,
        marketplaceIds=["APJ6JRA9NG5V4"],
        includedData=["FULFILLMENT"],
    )
    for order in res.payload["orders"]:
        assert order["salesChannel"]["marketplaceId"] == "APJ6JRA9NG5V4"
        assert "fulfillment" in order and "proceeds" not in order
    ids = {o["orderId"] for o in orders}
    for order_id in ids:
        full = sandbox.state.get_order(order_id)
        assert full["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
        assert full["fulfillment"]["fulfilledBy"] == "MERCHANT"


@pytest.mark.parametrize(
    "params",
    [
        {"marketplaceIds": ["APJ6JRA9NG5V4"]},
        {
            "createdAfter": LONG_AGO,
            "lastUpdatedAfter": LONG_AGO,
            "marketplaceIds": ["APJ6JRA9NG5V4"],
        },
        {
            "createdAfter": LONG_AGO,
            "createdBefore": NOW.isoformat(),
            "marketplaceIds": ["APJ6JRA9NG5V4"],
        },
        {
            "createdAfter": LONG_AGO,
            "maxResultsPerPage": 101,
            "marketplaceIds": ["APJ6JRA9NG5V4"],
        },
        {"createdAfter": LONG_AGO, "marketplaceIds": ["ATVPDKIKX0DER"]},
        {"createdAfter": "yesterday", "marketplaceIds": ["APJ6JRA9NG5V4"]},
        {
            "createdAfter": LONG_AGO,
            "marketplaceIds": ["APJ6JRA9NG5V4"],
            "includedData": ["NOPE"],
        },
    ],
)
def test_search_orders_validation(spapi_client_kwargs, params):
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    with pytest.raises(SellingApiBadRequestException) as info:
        client.search_orders(**params)
    assert info.value.error[0]["code"] == "InvalidInput"


def test_get_order_and_patch_moves_last_updated(sandbox, spapi_client_kwargs):
    order = sandbox.state.generate_orders(1, seed=1, countries=["IT"])[0]
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    res = client.get_order(order["orderId"], includedData=["BUYER", "RECIPIENT"])
    assert res.payload["order"]["orderId"] == order["orderId"]
    assert "recipient" in res.payload["order"]
    before = res.payload["order"]["lastUpdatedTime"]
    res = httpx.patch(
        f"{sandbox.base_url}/_sandbox/orders/{order['orderId']}",
        json={"fulfillment": {"fulfillmentStatus": "CANCELLED"}},
    )
    assert res.status_code == 200
    after = client.get_order(order["orderId"], includedData=["FULFILLMENT"]).payload
    assert after["order"]["fulfillment"]["fulfillmentStatus"] == "CANCELLED"
    assert after["order"]["lastUpdatedTime"] > before
    with pytest.raises(SellingApiException) as info:
        client.get_order("999-0000000-0000000")
    assert info.value.code == 404


def test_posted_orders_are_stored_as_given(sandbox, spapi_client_kwargs):
    order = generate_orders(1, 99, {"countries": ["FR"]})[0]
    order["orderId"] = "171-0000000-0000001"
    res = httpx.post(f"{sandbox.base_url}/_sandbox/orders", json={"orders": [order]})
    assert res.status_code == 201
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    got = client.get_order(
        order["orderId"],
        includedData=[
            "BUYER",
            "RECIPIENT",
            "PROCEEDS",
            "EXPENSE",
            "PROMOTION",
            "CANCELLATION",
            "FULFILLMENT",
            "PACKAGES",
            "TAX",
            "PAYMENT",
            "FULFILLMENT_ORDERS",
        ],
    ).payload
    assert got["order"] == order


@pytest.mark.parametrize("items", [{"orderItemId": "1"}, "not a list", None, [7, "x"]])
def test_orders_with_poisoned_items_are_served_as_stored(
    sandbox, spapi_client_kwargs, items
):
    order = generate_orders(1, 98, {"countries": ["FR"]})[0]
    order["orderId"] = "171-0000000-0000002"
    order["orderItems"] = items
    res = httpx.post(f"{sandbox.base_url}/_sandbox/orders", json={"orders": [order]})
    assert res.status_code == 201
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    got = client.search_orders(
        lastUpdatedAfter=LONG_AGO, marketplaceIds=EU, maxResultsPerPage=100
    ).payload
    served = [o for o in got["orders"] if o["orderId"] == order["orderId"]]
    assert served[0]["orderItems"] == items
    got = client.get_order(order["orderId"], includedData=["FULFILLMENT"]).payload
    assert got["order"]["orderItems"] == items
    v0 = Orders(**spapi_client_kwargs)
    assert v0.get_order_items(order["orderId"]).payload["OrderItems"] == []


def test_generated_orders_are_deterministic_and_consistent():
    a = generate_orders(60, 42, {"now": "2026-01-10T12:00:00Z"})
    b = generate_orders(60, 42, {"now": "2026-01-10T12:00:00Z"})
    assert a == b
    assert generate_orders(60, 43, {"now": "2026-01-10T12:00:00Z"}) != a
    assert all(o["createdTime"] < "2026-01-10T12:00:00Z" for o in a)
    for order in a:
        items = order["orderItems"]
        if order["fulfillment"]["fulfillmentStatus"] == "PENDING":
            assert "proceeds" not in order
            assert all("price" not in i["product"] for i in items)
            continue
        total = Decimal(0)
        for item in items:
            parts = {
                p["type"]: Decimal(p["subtotal"]["amount"])
                for p in item["proceeds"]["breakdowns"]
            }
            unit = Decimal(item["product"]["price"]["unitPrice"]["amount"])
            assert parts["ITEM"] == unit * item["quantityOrdered"]
            assert sum(parts.values()) == Decimal(
                item["proceeds"]["proceedsTotal"]["amount"]
            )
            total += sum(parts.values())
        assert Decimal(order["proceeds"]["grandTotal"]["amount"]) == total


def test_generated_orders_cover_the_cases():
    orders = generate_orders(400, 5)
    flat = repr(orders)
    assert {o["salesChannel"]["marketplaceId"] for o in orders} == set(EU)
    assert "AMAZON_BUSINESS" in flat and "PRIME" in flat and "giftMessage" in flat
    assert "GIFT_WRAP" in flat and "promotionId" in flat and "DISCOUNT" in flat
    assert any("buyerEmail" not in o["buyer"] for o in orders)
    assert {o["fulfillment"]["fulfilledBy"] for o in orders} == {"AMAZON", "MERCHANT"}
    assert any(i["quantityOrdered"] > 1 for o in orders for i in o["orderItems"])
    assert any(len(o["orderItems"]) > 1 for o in orders)
    assert any(c in flat for c in "äöüéèñłå")


def test_v0_reads(sandbox, spapi_client_kwargs):
    sandbox.state.generate_orders(30, seed=11, countries=["IT"])
    client = Orders(version="v0", **spapi_client_kwargs)
    res = client.get_orders(LastUpdatedAfter=LONG_AGO, MaxResultsPerPage=20)
    assert len(res.payload["Orders"]) == 20 and res.next_token
    res2 = client.get_orders(NextToken=res.next_token)
    assert len(res2.payload["Orders"]) == 10
    order = next(o for o in res.payload["Orders"] if "OrderTotal" in o)
    order_id = order["AmazonOrderId"]
    assert client.get_order(order_id).payload["AmazonOrderId"] == order_id
    items = client.get_order_items(order_id).payload["OrderItems"]
    assert items and all("ItemPrice" in i for i in items)
    total = sum(
        Decimal(i["ItemPrice"]["Amount"])
        + Decimal(i.get("ShippingPrice", {}).get("Amount", "0"))
        + Decimal(i.get("BuyerInfo", {}).get("GiftWrapPrice", {}).get("Amount", "0"))
        - Decimal(i.get("PromotionDiscount", {}).get("Amount", "0"))
        for i in items
    )
    assert total == Decimal(order["OrderTotal"]["Amount"])
    address = client.get_order_address(order_id).payload
    assert address["ShippingAddress"]["CountryCode"] == "IT"
    assert client.get_order_buyer_info(order_id).payload["AmazonOrderId"] == order_id
    with pytest.raises(SellingApiBadRequestException):
        client.get_orders(CreatedAfter=LONG_AGO, LastUpdatedAfter=LONG_AGO)


def _unshipped(sandbox):
    orders = sandbox.state.generate_orders(80, seed=21, countries=["DE"])
    return next(
        o
        for o in orders
        if o["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
        and sum(i["quantityOrdered"] for i in o["orderItems"]) > 1
    )


def _confirm(client, order, lines):
    return client.confirm_shipment(
        order["orderId"],
        marketplaceId="A1PA6795UKMFR9",
        packageDetail={
            "packageReferenceId": "1",
            "carrierCode": "DHL",
            "trackingNumber": "123",
            "shipDate": (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "orderItems": [{"orderItemId": i, "quantity": q} for i, q in lines],
        },
    )


def test_confirm_shipment_partial_then_full(sandbox, spapi_client_kwargs):
    order = _unshipped(sandbox)
    client = Orders(version="v0", **spapi_client_kwargs)
    first = order["orderItems"][0]
    res = _confirm(client, order, [(first["orderItemId"], 1)])
    assert res.payload == {"status_code": 204}
    stored = sandbox.state.get_order(order["orderId"])
    assert stored["fulfillment"]["fulfillmentStatus"] == "PARTIALLY_SHIPPED"
    rest = [
        (i["orderItemId"], i["quantityOrdered"] - (1 if i is first else 0))
        for i in order["orderItems"]
    ]
    rest = [(i, q) for i, q in rest if q]
    _confirm(client, order, rest)
    assert stored["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    shipments = httpx.get(f"{sandbox.base_url}/_sandbox/shipments").json()
    assert [s["orderId"] for s in shipments] == [order["orderId"]] * 2
    with pytest.raises(SellingApiBadRequestException):  # nothing left to ship
        _confirm(client, order, [(first["orderItemId"], 1)])


def test_confirm_shipment_validation(sandbox, spapi_client_kwargs):
    order = _unshipped(sandbox)
    client = Orders(version="v0", **spapi_client_kwargs)
    with pytest.raises(SellingApiBadRequestException):
        _confirm(client, order, [("00000000000000", 1)])
    with pytest.raises(SellingApiBadRequestException):
        _confirm(client, order, [(order["orderItems"][0]["orderItemId"], 99)])
    with pytest.raises(SellingApiBadRequestException):
        client.confirm_shipment(order["orderId"], marketplaceId="A1PA6795UKMFR9")
    assert sandbox.state.shipments == []


def test_update_shipment_status(sandbox, spapi_client_kwargs):
    order = _unshipped(sandbox)
    client = Orders(version="v0", **spapi_client_kwargs)
    client.update_shipment_status(
        order["orderId"],
        marketplaceId="A1PA6795UKMFR9",
        shipmentStatus="ReadyForPickup",
    )
    assert sandbox.state.shipments[0]["kind"] == "updateShipmentStatus"


def test_restricted_data_token_gives_full_v0_address(sandbox, spapi_client_kwargs):
    orders = sandbox.state.generate_orders(20, seed=2, countries=["ES"])
    order = next(
        o for o in orders if o["fulfillment"]["fulfillmentStatus"] != "PENDING"
    )
    res = Tokens(**spapi_client_kwargs).create_restricted_data_token(
        restrictedResources=[
            {
                "method": "GET",
                "path": f"/orders/v0/orders/{order['orderId']}",
                "dataElements": ["shippingAddress", "buyerInfo"],
            }
        ]
    )
    assert res.payload["restrictedDataToken"].startswith("Atz.sprdt|")
    client = Orders(
        version="v0",
        restricted_data_token=res.payload["restrictedDataToken"],
        **spapi_client_kwargs,
    )
    payload = client.get_order(order["orderId"]).payload
    assert (
        payload["ShippingAddress"]["Name"]
        == order["recipient"]["deliveryAddress"]["name"]
    )


def test_faults_and_request_log(sandbox, spapi_client_kwargs):
    base = sandbox.base_url
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    args = {"createdAfter": LONG_AGO, "marketplaceIds": ["APJ6JRA9NG5V4"]}
    httpx.post(
        f"{base}/_sandbox/faults",
        json={"operation": "searchOrders", "status": 503, "count": 1},
    )
    with pytest.raises(SellingApiException) as info:
        client.search_orders(**args)
    assert info.value.code == 503
    assert client.search_orders(**args).payload["orders"] == []
    httpx.post(
        f"{base}/_sandbox/faults",
        json={
            "operation": "searchOrders",
            "status": 500,
            "empty_body": True,
            "count": 1,
        },
    )
    assert client.search_orders(**args).payload == {}  # the library's trap
    httpx.post(
        f"{base}/_sandbox/faults",
        json={"operation": "searchOrders", "malformed": True, "count": 1},
    )
    assert client.search_orders(**args).payload == {}
    httpx.post(
        f"{base}/_sandbox/faults",
        json={"operation": "searchOrders", "truncated": True, "count": 1},
    )
    with pytest.raises(httpx.HTTPError):
        client.search_orders(**args)
    httpx.post(
        f"{base}/_sandbox/faults",
        json={"operation": "searchOrders", "timeout": 0.5, "count": 1},
    )
    with pytest.raises(httpx.HTTPError):
        client.search_orders(**args)
    httpx.post(
        f"{base}/_sandbox/faults",
        json={"operation": "searchOrders", "status": 429, "rate": 1.0},
    )
    with pytest.raises(SellingApiException) as info:
        client.search_orders(**args)
    assert info.value.code == 429
    assert httpx.delete(f"{base}/_sandbox/faults").status_code == 200
    client.search_orders(**args)
    log = httpx.get(
        f"{base}/_sandbox/requests", params={"operation": "searchOrders"}
    ).json()
    assert [e["status"] for e in log] == [503, 200, 500, 200, 200, 0, 429, 200]
    assert {"operation", "method", "path", "query", "status", "time"} <= set(log[0])
