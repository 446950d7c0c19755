"""Vendor Orders, Direct Fulfillment Orders/Shipping and Vendor Invoices through
python-amazon-sp-api."""

import httpx
from sp_api.api import (
    VendorDirectFulfillmentOrders,
    VendorDirectFulfillmentShipping,
    VendorInvoices,
    VendorOrders,
)

WHEN = "2026-01-05T10:00:00Z"
PARTY = {"partyId": "SANDBOXVC"}


def test_purchase_orders_and_acknowledgement(sandbox, spapi_client_kwargs):
    res = httpx.post(
        f"{sandbox.base_url}/_sandbox/vendor/purchase-orders",
        json={"generate": {"count": 3, "seed": 1}},
    )
    numbers = res.json()["purchaseOrderNumbers"]
    client = VendorOrders(**spapi_client_kwargs)
    orders = client.get_purchase_orders(createdAfter="2020-01-01T00:00:00Z").payload
    assert sorted(o["purchaseOrderNumber"] for o in orders["orders"]) == sorted(numbers)
    po = client.get_purchase_order(numbers[0]).payload
    item = po["orderDetails"]["items"][0]
    status = client.get_purchase_orders_status(purchaseOrderNumber=numbers[0]).payload
    first = status["ordersStatus"][0]["itemStatus"][0]
    assert first["acknowledgementStatus"]["confirmationStatus"] == "UNCONFIRMED"
    res = client.submit_acknowledgement(
        acknowledgements=[
            {
                "purchaseOrderNumber": numbers[0],
                "sellingParty": PARTY,
                "acknowledgementDate": WHEN,
                "items": [
                    {
                        "itemSequenceNumber": item["itemSequenceNumber"],
                        "amazonProductIdentifier": item["amazonProductIdentifier"],
                        "orderedQuantity": item["orderedQuantity"],
                        "itemAcknowledgements": [
                            {
                                "acknowledgementCode": "Accepted",
                                "acknowledgedQuantity": item["orderedQuantity"],
                            }
                        ],
                    }
                ],
            }
        ]
    )
    assert res.payload["transactionId"]
    assert (
        client.get_purchase_order(numbers[0]).payload["purchaseOrderState"]
        == "Acknowledged"
    )
    status = client.get_purchase_orders_status(purchaseOrderNumber=numbers[0]).payload
    first = status["ordersStatus"][0]["itemStatus"][0]
    assert first["acknowledgementStatus"]["confirmationStatus"] == "ACCEPTED"
    acks = httpx.get(f"{sandbox.base_url}/_sandbox/acknowledgements").json()
    assert acks[0]["transactionId"] == res.payload["transactionId"]


def test_direct_fulfillment(sandbox, spapi_client_kwargs):
    number = sandbox.state.generate_df_orders(2, seed=3)[0]["purchaseOrderNumber"]
    client = VendorDirectFulfillmentOrders(version="2021-12-28", **spapi_client_kwargs)
    orders = client.get_orders(
        createdAfter="2020-01-01T00:00:00Z", createdBefore="2100-01-01T00:00:00Z"
    ).payload["orders"]
    assert len(orders) == 2
    order = client.get_order(number).payload
    items = order["orderDetails"]["items"]
    res = client.submit_acknowledgement(
        orderAcknowledgements=[
            {
                "purchaseOrderNumber": number,
                "vendorOrderNumber": "V-1",
                "acknowledgementDate": WHEN,
                "acknowledgementStatus": {"code": "00"},
                "sellingParty": PARTY,
                "shipFromParty": {"partyId": "SANDBOXWH"},
                "itemAcknowledgements": [
                    {
                        "itemSequenceNumber": i["itemSequenceNumber"],
                        "acknowledgedQuantity": i["orderedQuantity"],
                    }
                    for i in items
                ],
            }
        ]
    )
    assert res.payload["transactionId"]
    assert client.get_order(number).payload["orderDetails"]["orderStatus"] == "ACCEPTED"
    shipping = VendorDirectFulfillmentShipping(
        version="2021-12-28", **spapi_client_kwargs
    )
    res = shipping.submit_shipment_confirmations(
        shipmentConfirmations=[
            {
                "purchaseOrderNumber": number,
                "sellingParty": PARTY,
                "shipFromParty": {"partyId": "SANDBOXWH"},
                "shipmentDetails": {"shippedDate": WHEN, "shipmentStatus": "SHIPPED"},
                "items": [
                    {
                        "itemSequenceNumber": int(i["itemSequenceNumber"]),
                        "shippedQuantity": {
                            "amount": i["orderedQuantity"]["amount"],
                            "unitOfMeasure": "Each",
                        },
                    }
                    for i in items
                ],
            }
        ]
    )
    assert res.payload["transactionId"]
    assert client.get_order(number).payload["orderDetails"]["orderStatus"] == "SHIPPED"
    shipments = httpx.get(f"{sandbox.base_url}/_sandbox/shipments").json()
    assert shipments[0]["kind"] == "directFulfillmentShipment"


def test_submit_invoices(sandbox, spapi_client_kwargs):
    res = VendorInvoices(**spapi_client_kwargs).submit_invoices(
        {
            "invoices": [
                {
                    "invoiceType": "Invoice",
                    "id": "INV-1",
                    "date": WHEN,
                    "remitToParty": PARTY,
                    "invoiceTotal": {"currencyCode": "EUR", "amount": "122.00"},
                }
            ]
        }
    )
    assert res.payload["transactionId"]
    invoices = httpx.get(f"{sandbox.base_url}/_sandbox/invoices").json()
    assert invoices[0]["body"]["invoices"][0]["id"] == "INV-1"
    res = httpx.post(
        f"{sandbox.base_url}/vendor/payments/v1/invoices",
        json={},
        headers={"x-amz-access-token": "Atza|bad"},
    )
    assert res.status_code == 403
