"""Listings Items, Feeds (JSON_LISTINGS_FEED) and FBA Inventory through
python-amazon-sp-api."""

import io
import json
import time

import httpx
import pytest
from sp_api.api import Feeds, Inventories, ListingsItems
from sp_api.base.exceptions import SellingApiException

from tests.sandbox import DEMO_SELLER_ID

IT = "APJ6JRA9NG5V4"


def seed(sandbox):
    return sandbox.state.add_listings(
        [
            {
                "sku": "SKU-A",
                "asin": "B0AAAAAAAA",
                "productType": "PRODUCT",
                "price": "19.90",
                "quantity": 5,
                "marketplaceId": IT,
                "ean": "8001234567890",
            },
            {
                "sku": "SKU-B",
                "asin": "B0BBBBBBBB",
                "productType": "PRODUCT",
                "price": "9.50",
                "quantity": 0,
                "marketplaceId": IT,
                "fulfillmentChannel": "AMAZON",
            },
        ]
    )


def listings_client(kw):
    return ListingsItems(version="2021-08-01", **kw)


def test_get_listings_item(sandbox, spapi_client_kwargs):
    seed(sandbox)
    res = listings_client(spapi_client_kwargs).get_listings_item(
        DEMO_SELLER_ID,
        "SKU-A",
        marketplaceIds=[IT],
        includedData=["summaries", "offers", "fulfillmentAvailability"],
    )
    assert res.payload["summaries"][0]["asin"] == "B0AAAAAAAA"
    assert res.payload["offers"][0]["price"] == {
        "currencyCode": "EUR",
        "amount": "19.90",
    }
    assert res.payload["fulfillmentAvailability"][0]["quantity"] == 5
    with pytest.raises(SellingApiException) as info:
        listings_client(spapi_client_kwargs).get_listings_item(DEMO_SELLER_ID, "NOPE")
    assert info.value.code == 404


def test_patch_quantity_and_price(sandbox, spapi_client_kwargs):
    seed(sandbox)
    client = listings_client(spapi_client_kwargs)
    res = client.patch_listings_item(
        DEMO_SELLER_ID,
        "SKU-A",
        marketplaceIds=[IT],
        body={
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 42}],
                },
                {
                    "op": "replace",
                    "path": "/attributes/purchasable_offer",
                    "value": [
                        {
                            "marketplace_id": IT,
                            "currency": "EUR",
                            "our_price": [{"schedule": [{"value_with_tax": 17.5}]}],
                        }
                    ],
                },
            ],
        },
    )
    assert res.payload["status"] == "ACCEPTED"
    listing = sandbox.state.find_listing(DEMO_SELLER_ID, IT, "SKU-A")
    assert (listing["quantity"], listing["price"]) == (42, "17.50")
    res = client.patch_listings_item(
        DEMO_SELLER_ID,
        "SKU-A",
        marketplaceIds=[IT],
        body={
            "productType": "PRODUCT",
            "patches": [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": -1}],
                }
            ],
        },
    )
    assert res.payload["status"] == "INVALID"
    assert res.payload["issues"][0]["severity"] == "ERROR"
    assert sandbox.state.find_listing(DEMO_SELLER_ID, IT, "SKU-A")["quantity"] == 42


def test_put_offer_only_then_delete(sandbox, spapi_client_kwargs):
    client = listings_client(spapi_client_kwargs)
    res = client.put_listings_item(
        DEMO_SELLER_ID,
        "NEW-1",
        marketplaceIds=[IT],
        body={
            "productType": "PRODUCT",
            "requirements": "LISTING_OFFER_ONLY",
            "attributes": {
                "condition_type": [{"value": "new_new", "marketplace_id": IT}],
                "merchant_suggested_asin": [
                    {"value": "B0CCCCCCCC", "marketplace_id": IT}
                ],
                "purchasable_offer": [
                    {
                        "marketplace_id": IT,
                        "currency": "EUR",
                        "our_price": [{"schedule": [{"value_with_tax": 5}]}],
                    }
                ],
                "fulfillment_availability": [
                    {"fulfillment_channel_code": "DEFAULT", "quantity": 3}
                ],
            },
        },
    )
    assert res.payload["status"] == "ACCEPTED"
    listing = sandbox.state.find_listing(DEMO_SELLER_ID, IT, "NEW-1")
    assert (listing["asin"], listing["price"], listing["quantity"]) == (
        "B0CCCCCCCC",
        "5.00",
        3,
    )
    res = client.put_listings_item(
        DEMO_SELLER_ID,
        "NEW-2",
        marketplaceIds=[IT],
        body={
            "productType": "PRODUCT",
            "requirements": "LISTING_OFFER_ONLY",
            "attributes": {"condition_type": [{"value": "new_new"}]},
        },
    )
    assert res.payload["status"] == "INVALID"
    res = client.delete_listings_item(DEMO_SELLER_ID, "NEW-1", marketplaceIds=[IT])
    assert res.payload["status"] == "ACCEPTED"
    assert sandbox.state.find_listing(DEMO_SELLER_ID, IT, "NEW-1") is None


def test_listing_of_other_seller_is_forbidden(sandbox, spapi_client_kwargs):
    with pytest.raises(SellingApiException) as info:
        listings_client(spapi_client_kwargs).get_listings_item("A9OTHER", "SKU-A")
    assert info.value.code == 403


def test_json_listings_feed(sandbox, spapi_client_kwargs):
    seed(sandbox)
    sandbox.state.feed_delay = 0.3
    feed_body = {
        "header": {
            "sellerId": DEMO_SELLER_ID,
            "version": "2.0",
            "issueLocale": "en_US",
        },
        "messages": [
            {
                "messageId": 1,
                "sku": "SKU-A",
                "operationType": "PATCH",
                "productType": "PRODUCT",
                "patches": [
                    {
                        "op": "replace",
                        "path": "/attributes/fulfillment_availability",
                        "value": [
                            {"fulfillment_channel_code": "DEFAULT", "quantity": 7}
                        ],
                    }
                ],
            },
            {
                "messageId": 2,
                "sku": "UNKNOWN",
                "operationType": "PATCH",
                "productType": "PRODUCT",
                "patches": [
                    {
                        "op": "replace",
                        "path": "/attributes/fulfillment_availability",
                        "value": [
                            {"fulfillment_channel_code": "DEFAULT", "quantity": 1}
                        ],
                    }
                ],
            },
            {
                "messageId": 3,
                "sku": "SKU-B",
                "operationType": "PATCH",
                "productType": "PRODUCT",
                "patches": [
                    {
                        "op": "replace",
                        "path": "/attributes/fulfillment_availability",
                        "value": [
                            {"fulfillment_channel_code": "AMAZON", "quantity": -4}
                        ],
                    }
                ],
            },
        ],
    }
    client = Feeds(version="2021-06-30", **spapi_client_kwargs)
    document, feed = client.submit_feed(
        "JSON_LISTINGS_FEED",
        io.StringIO(json.dumps(feed_body)),
        content_type="application/json",
        marketplaceIds=[IT],
    )
    assert document.payload["url"].startswith(sandbox.base_url + "/_sandbox/")
    feed_id = feed.payload["feedId"]
    status = client.get_feed(feed_id).payload
    assert status["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS")
    time.sleep(0.35)
    status = client.get_feed(feed_id).payload
    assert status["processingStatus"] == "DONE"
    report = json.loads(client.get_feed_document(status["resultFeedDocumentId"]))
    assert report["header"]["feedId"] == feed_id
    assert report["summary"] == {
        "errors": 2,
        "warnings": 0,
        "messagesProcessed": 3,
        "messagesAccepted": 1,
        "messagesInvalid": 2,
    }
    assert sorted(i["messageId"] for i in report["issues"]) == [2, 3]
    listings = httpx.get(f"{sandbox.base_url}/_sandbox/listings").json()
    quantities = {x["sku"]: x["quantity"] for x in listings}
    assert quantities == {"SKU-A": 7, "SKU-B": 0}
    feeds = httpx.get(f"{sandbox.base_url}/_sandbox/feeds").json()
    assert feeds[0]["feedId"] == feed_id


def test_fba_inventory_summaries(sandbox, spapi_client_kwargs):
    seed(sandbox)
    sandbox.state.generate_listings(80, seed=4, marketplaceId=IT)
    res = Inventories(**spapi_client_kwargs).get_inventory_summary_marketplace(
        details=True, marketplaceIds=[IT]
    )
    summaries = res.payload["inventorySummaries"]
    assert summaries and all("inventoryDetails" in s for s in summaries)
    assert "SKU-B" in {s["sellerSku"] for s in summaries}
    res = Inventories(**spapi_client_kwargs).get_inventory_summary_marketplace(
        sellerSkus=["SKU-B"], marketplaceIds=[IT]
    )
    assert [s["sellerSku"] for s in res.payload["inventorySummaries"]] == ["SKU-B"]


def test_listings_control_generate(sandbox):
    res = httpx.post(
        f"{sandbox.base_url}/_sandbox/listings",
        json={"generate": {"count": 5, "seed": 1}},
    )
    assert res.status_code == 201 and res.json()["count"] == 5
    assert len(httpx.get(f"{sandbox.base_url}/_sandbox/listings").json()) == 5
