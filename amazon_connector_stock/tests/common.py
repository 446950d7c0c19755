# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A fake Amazon behind the one seam, checking every body against Amazon's models.

``FakeAmazon`` keeps the state the tests assert on (listing quantities, confirmed
shipments, feeds) the way the local sandbox does, and validates each request body
with jsonschema against the Swagger definitions in ``spapi-models``.
"""

import copy
import gzip
import json
from collections import defaultdict
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector.tests.spapi_models import schema_errors
from odoo.addons.amazon_connector_sale.tests.common import deliver

IT = "APJ6JRA9NG5V4"
DE = "A1PA6795UKMFR9"


def inventory_summary(sku, fulfillable, asin="B0TESTASIN", inbound=0):
    """An InventorySummary as getInventorySummaries returns it with details=true."""
    return {
        "asin": asin,
        "fnSku": f"X00{sku}",
        "sellerSku": sku,
        "condition": "NewItem",
        "inventoryDetails": {
            "fulfillableQuantity": fulfillable,
            "inboundWorkingQuantity": inbound,
            "inboundShippedQuantity": 0,
            "inboundReceivingQuantity": 0,
            "reservedQuantity": {
                "totalReservedQuantity": 1,
                "pendingCustomerOrderQuantity": 1,
                "pendingTransshipmentQuantity": 0,
                "fcProcessingQuantity": 0,
            },
            "unfulfillableQuantity": {"totalUnfulfillableQuantity": 0},
        },
        "lastUpdatedTime": "2026-03-01T10:00:00Z",
        "productName": f"Product {sku}",
        "totalQuantity": fulfillable + inbound + 1,
    }


class FakeAmazon:
    """Amazon as far as the stock addon talks to it, with injectable failures.

    :ivar calls: (operation, params) of every seam call, in order
    :ivar quantities: {(marketplaceId, sku): quantity} Amazon holds
    :ivar shipments: {orderId: [packageDetail, ...]} confirmed
    :ivar schema_violations: bodies that did not fit Amazon's models
    """

    def __init__(self):
        self.calls = []
        self.quantities = {}
        self.shipments = defaultdict(list)
        self.schema_violations = []
        # exceptions raised by the next confirmShipment calls, in order
        self.confirm_failures = []
        self.confirm_failures_by_order = {}  # orderId -> exception, every time
        self.patch_failures = {}  # sku -> exception or list of ERROR issues
        self.feed_errors = {}  # sku -> error message in the processing report
        self.feed_status = "DONE"
        self.gzip_reports = False
        self.inventory_pages = []
        self.uploads = {}
        self._documents = {}
        self._feeds = {}
        self._seq = 0

    # ------------------------------------------------------------ helpers
    def _next(self, prefix):
        self._seq += 1
        return f"{prefix}{self._seq}"

    def _check(self, api, definition, body):
        self.schema_violations += schema_errors(api, definition, body)

    def count(self, operation):
        return sum(1 for op, _params in self.calls if op == operation)

    def params_of(self, operation):
        return [params for op, params in self.calls if op == operation]

    # ---------------------------------------------------------------- seam
    def call(self, account, operation, **params):
        self.calls.append((operation, copy.deepcopy(params)))
        handler = getattr(self, "_" + operation.replace(".", "_"))
        return handler(account, **params)

    def upload(self, account, url, data, content_type):
        self.calls.append(("upload", {"url": url, "content_type": content_type}))
        self.uploads[url] = data

    def download(self, account, url, compression=None):
        self.calls.append(("download", {"url": url}))
        data = self._documents[url]
        return gzip.decompress(data) if compression == "GZIP" else data

    # ---------------------------------------------------------- operations
    def _ordersV0_confirmShipment(self, account, orderId, body):
        self._check("ordersV0", "ConfirmShipmentRequest", body)
        if orderId in self.confirm_failures_by_order:
            raise self.confirm_failures_by_order[orderId]
        if self.confirm_failures:
            raise self.confirm_failures.pop(0)
        self.shipments[orderId].append(body["packageDetail"])
        return {}

    def _listings_patchListingsItem(self, account, sellerId, sku, marketplaceIds, body):
        self._check("listings", "ListingsItemPatchRequest", body)
        failure = self.patch_failures.get(sku)
        if isinstance(failure, Exception):
            raise failure
        if failure:
            return {
                "sku": sku,
                "status": "INVALID",
                "submissionId": self._next("sub-"),
                "issues": failure,
            }
        qty = body["patches"][0]["value"][0]["quantity"]
        for marketplace_id in marketplaceIds:
            self.quantities[(marketplace_id, sku)] = qty
        return {
            "sku": sku,
            "status": "ACCEPTED",
            "submissionId": self._next("sub-"),
            "issues": [],
        }

    def _feeds_createFeedDocument(self, account, body):
        self._check("feeds", "CreateFeedDocumentSpecification", body)
        doc_id = self._next("amzn1.tortuga.doc.")
        return {"feedDocumentId": doc_id, "url": f"https://upload.test/{doc_id}"}

    def _feeds_createFeed(self, account, body):
        self._check("feeds", "CreateFeedSpecification", body)
        feed_id = self._next("FEED-")
        data = self.uploads[f"https://upload.test/{body['inputFeedDocumentId']}"]
        document = json.loads(data)
        issues = []
        accepted = 0
        for message in document["messages"]:
            for patch_op in message["patches"]:
                self._check("listings", "PatchOperation", patch_op)
            sku = message["sku"]
            if sku in self.feed_errors:
                issues.append(
                    {
                        "messageId": message["messageId"],
                        "code": "90244",
                        "severity": "ERROR",
                        "message": self.feed_errors[sku],
                        "attributeNames": ["fulfillment_availability"],
                    }
                )
                continue
            accepted += 1
            qty = message["patches"][0]["value"][0]["quantity"]
            for marketplace_id in body["marketplaceIds"]:
                self.quantities[(marketplace_id, sku)] = qty
        report = {
            "header": {
                "sellerId": document["header"]["sellerId"],
                "version": "2.0",
                "feedId": feed_id,
            },
            "issues": issues,
            "summary": {
                "errors": len(issues),
                "warnings": 0,
                "messagesProcessed": len(document["messages"]),
                "messagesAccepted": accepted,
                "messagesInvalid": len(issues),
            },
        }
        report_id = self._next("amzn1.tortuga.report.")
        raw = json.dumps(report).encode()
        self._documents[f"https://download.test/{report_id}"] = (
            gzip.compress(raw) if self.gzip_reports else raw
        )
        self._feeds[feed_id] = {
            "feedId": feed_id,
            "feedType": body["feedType"],
            "marketplaceIds": body["marketplaceIds"],
            "createdTime": "2026-03-05T12:00:00Z",
            "processingStatus": self.feed_status,
            "resultFeedDocumentId": report_id,
        }
        return {"feedId": feed_id}

    def _feeds_getFeed(self, account, feedId):
        feed = dict(self._feeds[feedId])
        if feed["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS"):
            feed.pop("resultFeedDocumentId")
        self._check("feeds", "Feed", feed)
        return feed

    def _feeds_getFeedDocument(self, account, feedDocumentId):
        document = {
            "feedDocumentId": feedDocumentId,
            "url": f"https://download.test/{feedDocumentId}",
        }
        if self.gzip_reports:
            document["compressionAlgorithm"] = "GZIP"
        self._check("feeds", "FeedDocument", document)
        return document

    def _fbaInventory_getInventorySummaries(self, account, **params):
        index = int(params.get("nextToken") or 0)
        page = self.inventory_pages[index] if self.inventory_pages else []
        data = {
            "payload": {
                "granularity": {
                    "granularityType": "Marketplace",
                    "granularityId": params["granularityId"],
                },
                "inventorySummaries": page,
            }
        }
        if index + 1 < len(self.inventory_pages):
            data["pagination"] = {"nextToken": str(index + 1)}
        self._check("fbaInventory", "GetInventorySummariesResponse", data)
        # The seam returns the ``payload`` member, with the pagination beside it.
        result = dict(data["payload"])
        if "pagination" in data:
            result["pagination"] = data["pagination"]
        return result


class AmazonStockCase(TransactionCase):
    """An Italian FBM account, a warehouse with stock, and FakeAmazon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.marketplace = cls.env["amazon.marketplace"].search(
            [("marketplace_id", "=", IT)], limit=1
        )
        cls.marketplace_de = cls.env["amazon.marketplace"].search(
            [("marketplace_id", "=", DE)], limit=1
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Stock IT",
                "company_id": cls.company.id,
                "account_type": "seller",
                "region": "eu",
                "seller_id": "A1STOCKSELLER",
                "home_marketplace_id": cls.marketplace.id,
                "active_marketplace_ids": [
                    (6, 0, (cls.marketplace | cls.marketplace_de).ids)
                ],
                "state": "connected",
                "fbm_warehouse_id": cls.warehouse.id,
            }
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Mario Rossi", "country_id": cls.env.ref("base.it").id}
        )
        cls.mug = cls._make_product("Mug", "AMZ-MUG")
        cls.plate = cls._make_product("Plate", "AMZ-PLATE")

    @classmethod
    def _make_product(cls, name, code, **vals):
        return cls.env["product.product"].create(
            dict(
                {"name": name, "default_code": code, "is_storable": True},
                **vals,
            )
        )

    @classmethod
    def _set_stock(cls, product, qty, location=None):
        if not qty:
            return
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.stock_location, qty
        )

    @classmethod
    def _make_listing(cls, product, sku=None, marketplace=None, **vals):
        return cls.env["amazon.listing"].create(
            dict(
                {
                    "account_id": cls.account.id,
                    "marketplace_id": (marketplace or cls.marketplace).id,
                    "product_id": product.id,
                    "sku": sku or product.default_code,
                    "state": "active",
                    "fulfillment_channel": "fbm",
                },
                **vals,
            )
        )

    def setUp(self):
        super().setUp()
        self.fake = fake = FakeAmazon()
        Account = type(self.env["amazon.account"])

        def call(account, operation, **params):
            return fake.call(account, operation, **params)

        def upload(account, url, data, content_type):
            return fake.upload(account, url, data, content_type)

        def download(account, url, compression=None):
            return fake.download(account, url, compression)

        self.startPatcher(patch.object(Account, "_spapi_call", call))
        self.startPatcher(patch.object(Account, "_spapi_upload", upload))
        self.startPatcher(patch.object(Account, "_spapi_download", download))

    def assertBodiesFitAmazonModels(self):
        self.assertEqual(
            self.fake.schema_violations,
            [],
            msg="every body sent must fit Amazon's model",
        )

    @contextmanager
    def no_amazon_calls(self):
        before = len(self.fake.calls)
        yield
        self.assertEqual(
            self.fake.calls[before:], [], msg="nothing may be sent to Amazon here"
        )

    # ----------------------------------------------------------- orders
    def make_fbm_order(self, lines, order_id="405-1234567-1234567", carrier=None):
        """A confirmed Amazon FBM order; ``lines`` = [(product, qty, item id)]."""
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "warehouse_id": self.warehouse.id,
                "amazon_account_id": self.account.id,
                "amazon_order_id": order_id,
                "amazon_marketplace_id": self.marketplace.id,
                "amazon_fulfillment_channel": "fbm",
                "amazon_status": "Unshipped",
                "carrier_id": carrier.id if carrier else False,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": 10.0,
                            "amazon_order_item_id": item_id,
                            "amazon_sku": product.default_code,
                        },
                    )
                    for product, qty, item_id in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def ship(self, picking, quantities=None, tracking=None):
        """Validate ``picking`` carrying ``quantities`` {product: qty} (all by default).

        Less than ordered leaves a backorder, as Odoo's backorder wizard does.
        """
        if tracking:
            picking.carrier_tracking_ref = tracking
        deliver(picking, quantities)
        return picking.backorder_ids
