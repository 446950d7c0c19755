# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon behind the one seam, checking every body against Amazon's models.

``StockAmazonMixin`` serves the stock addon's operations through the one fake and
keeps the state the tests assert on (listing quantities, confirmed shipments,
feeds) the way the local sandbox does, validating each request body with
jsonschema against the Swagger definitions in ``spapi-models``.
"""

import gzip
import json
from collections import defaultdict
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.amazon_connector.exceptions import AmazonInvalidRequest
from odoo.addons.amazon_connector.tests.common import AmazonCase
from odoo.addons.amazon_connector.tests.spapi_models import schema_errors
from odoo.addons.amazon_connector_sale.const import ACK_ACCEPTED
from odoo.addons.amazon_connector_sale.tests.common import (
    deliver,
    make_item,
    make_order,
)

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


class StockAmazonMixin:
    """Amazon as far as the stock addon talks to it, with injectable failures.

    :meth:`serve_stock_amazon` puts the one fake behind the seam; the state the
    tests set and assert on lives on the case, the way the local sandbox keeps it,
    and each request body is validated with jsonschema against the Swagger
    definitions in ``spapi-models``:

    - ``quantities``: {(marketplaceId, sku): quantity} Amazon holds;
    - ``shipments``: {orderId: [packageDetail, ...]} confirmed;
    - ``schema_violations``: bodies that did not fit Amazon's models;
    - ``confirm_failures``: exceptions raised by the next confirmShipment calls,
      in order; ``confirm_failures_by_order``: orderId -> exception, every time;
    - ``patch_failures``: sku -> exception or list of ERROR issues;
    - ``feed_errors``: sku -> error message in the processing report;
    - ``feed_status``, ``gzip_reports``: how feeds are processed and reported;
    - ``feeds``: feedId -> the Feed Amazon holds;
    - ``inventory_pages``: the pages of getInventorySummaries.
    """

    def serve_stock_amazon(self):
        """:return: the fake (also ``self.fake``), serving the operations below"""
        self.quantities = {}
        self.shipments = defaultdict(list)
        self.schema_violations = []
        self.confirm_failures = []
        self.confirm_failures_by_order = {}
        self.patch_failures = {}
        self.feed_errors = {}
        self.feed_status = "DONE"
        self.gzip_reports = False
        self.inventory_pages = []
        self.feeds = {}
        self._seq = 0
        self.fake = fake = self.serve_amazon()
        for operation, handler in (
            ("ordersV0.confirmShipment", self._confirm_shipment),
            ("listings.patchListingsItem", self._patch_listings_item),
            ("feeds.createFeedDocument", self._create_feed_document),
            ("feeds.createFeed", self._create_feed),
            ("feeds.getFeed", self._get_feed),
            ("feeds.getFeedDocument", self._get_feed_document),
            ("fbaInventory.getInventorySummaries", self._inventory_summaries),
        ):
            fake.serve(operation, handler)
        return fake

    # ------------------------------------------------------------ helpers
    def _next(self, prefix):
        self._seq += 1
        return f"{prefix}{self._seq}"

    def _check(self, api, definition, body):
        self.schema_violations += schema_errors(api, definition, body)

    # ---------------------------------------------------------- operations
    def _confirm_shipment(self, operation, params):
        order_id, body = params["orderId"], params["body"]
        self._check("ordersV0", "ConfirmShipmentRequest", body)
        if order_id in self.confirm_failures_by_order:
            raise self.confirm_failures_by_order[order_id]
        if self.confirm_failures:
            raise self.confirm_failures.pop(0)
        self.shipments[order_id].append(body["packageDetail"])
        return {}

    def _patch_listings_item(self, operation, params):
        sku, body = params["sku"], params["body"]
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
        for marketplace_id in params["marketplaceIds"]:
            self.quantities[(marketplace_id, sku)] = qty
        return {
            "sku": sku,
            "status": "ACCEPTED",
            "submissionId": self._next("sub-"),
            "issues": [],
        }

    def _create_feed_document(self, operation, params):
        self._check("feeds", "CreateFeedDocumentSpecification", params["body"])
        doc_id = self._next("amzn1.tortuga.doc.")
        return {"feedDocumentId": doc_id, "url": f"https://upload.test/{doc_id}"}

    def _create_feed(self, operation, params):
        body = params["body"]
        self._check("feeds", "CreateFeedSpecification", body)
        feed_id = self._next("FEED-")
        data = self.fake.uploads[f"https://upload.test/{body['inputFeedDocumentId']}"]
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
        self.fake.documents[f"https://download.test/{report_id}"] = (
            gzip.compress(raw) if self.gzip_reports else raw
        )
        self.feeds[feed_id] = {
            "feedId": feed_id,
            "feedType": body["feedType"],
            "marketplaceIds": body["marketplaceIds"],
            "createdTime": "2026-03-05T12:00:00Z",
            "processingStatus": self.feed_status,
            "resultFeedDocumentId": report_id,
        }
        return {"feedId": feed_id}

    def _get_feed(self, operation, params):
        feed = dict(self.feeds[params["feedId"]])
        if feed["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS"):
            feed.pop("resultFeedDocumentId")
        self._check("feeds", "Feed", feed)
        return feed

    def _get_feed_document(self, operation, params):
        document_id = params["feedDocumentId"]
        document = {
            "feedDocumentId": document_id,
            "url": f"https://download.test/{document_id}",
        }
        if self.gzip_reports:
            document["compressionAlgorithm"] = "GZIP"
        self._check("feeds", "FeedDocument", document)
        return document

    def _inventory_summaries(self, operation, params):
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


class AmazonStockCase(StockAmazonMixin, AmazonCase):
    """An Italian FBM account, a warehouse with stock, and Amazon behind the seam."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        self.fake = self.serve_stock_amazon()

    def assertBodiesFitAmazonModels(self):
        self.assertEqual(
            self.schema_violations,
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


class AccessCase(AmazonCase):
    """Two companies, the seven roles, and one record of each kind in A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Access B Co"})
        cls._make_users()
        cls._make_records()

    @classmethod
    def _make_users(cls):
        a, b = cls.company_a, cls.company_b
        manager = "base.group_user,amazon_connector.amazon_connector_group_manager"
        specs = {
            "sysadmin": ("base.group_system," + manager, a, a | b),
            "manager_a": (manager, a, a),
            "manager_b": (manager, b, b),
            "amazon_user": (
                "base.group_user,amazon_connector.amazon_connector_group_user",
                a,
                a,
            ),
            "salesman": ("base.group_user,sales_team.group_sale_salesman", a, a),
            "stock_user": ("base.group_user,stock.group_stock_user", a, a),
            "portal": ("base.group_portal", a, a),
        }
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"amz_access_{role}",
                groups=groups,
                company_id=company.id,
                company_ids=companies.ids,
            )
            for role, (groups, company, companies) in specs.items()
        }

    @classmethod
    def _make_records(cls):
        env = cls.env
        cls.marketplace = env.ref("amazon_connector.marketplace_it")
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company_a.id)], limit=1
        )
        cls.account = env["amazon.account"].create(
            {
                "name": "Access Seller A",
                "company_id": cls.company_a.id,
                "seller_id": "A1ACCESSSELLER",
                "region": "eu",
                "home_marketplace_id": cls.marketplace.id,
                "active_marketplace_ids": [Command.set(cls.marketplace.ids)],
                "state": "connected",
                "fbm_warehouse_id": cls.warehouse.id,
            }
        )
        cls.vendor_account = env["amazon.account"].create(
            {
                "name": "Access Vendor A",
                "company_id": cls.company_a.id,
                "account_type": "vendor",
                "seller_id": "ACCSV",
                "region": "eu",
                "state": "connected",
            }
        )
        cls.partner = env["res.partner"].create({"name": "Access Buyer"})
        cls.product = env["product.product"].create(
            {
                "name": "Access Mug",
                "default_code": "ACC-MUG",
                "is_storable": True,
                "list_price": 12.0,
            }
        )
        env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 5
        )
        cls.listing = env["amazon.listing"].create(
            {
                "account_id": cls.account.id,
                "marketplace_id": cls.marketplace.id,
                "product_id": cls.product.id,
                "sku": "ACC-MUG",
                "asin": "B0ACCESS01",
                "state": "active",
                "fulfillment_channel": "fbm",
                "sync_stock": True,
            }
        )
        cls.unbound = env["amazon.listing"].create(
            {
                "account_id": cls.account.id,
                "marketplace_id": cls.marketplace.id,
                "sku": "ACC-UNBOUND",
            }
        )
        cls.sale_list = env["amazon.sale.list"].create(
            {
                "name": "Access list",
                "account_id": cls.account.id,
                "pricelist_id": env["product.pricelist"]
                .search([("company_id", "in", (False, cls.company_a.id))], limit=1)
                .id
                or env["product.pricelist"].create({"name": "Access"}).id,
                "product_selection": "products",
                "product_ids": [Command.set(cls.product.ids)],
                "marketplace_line_ids": [
                    Command.create({"marketplace_id": cls.marketplace.id})
                ],
            }
        )
        cls.recode = env["amazon.sku.recode"].create(
            {
                "account_id": cls.account.id,
                "amazon_sku": "ACC-RECODE",
                "product_id": cls.product.id,
            }
        )
        cls.failure = env["amazon.order.failure"].create(
            {
                "account_id": cls.account.id,
                "amazon_order_id": "405-0000009-0000001",
                "error": "No product for the Amazon SKU 'NOPE'.",
                "payload": json.dumps(
                    make_order("405-0000009-0000001", items=[make_item(sku="NOPE")])
                ),
            }
        )
        cls.dismissed = env["amazon.order.failure"].create(
            {
                "account_id": cls.account.id,
                "amazon_order_id": "405-0000009-0000002",
                "error": "Dismissed by a manager.",
                "state": "dismissed",
            }
        )
        cls.sale_order = env["sale.order"].create(
            {
                "partner_id": cls.partner.id,
                "company_id": cls.company_a.id,
                "warehouse_id": cls.warehouse.id,
                "amazon_account_id": cls.account.id,
                "amazon_order_id": "405-0000008-0000001",
                "amazon_marketplace_id": cls.marketplace.id,
                "amazon_fulfillment_channel": "fbm",
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 10.0,
                            "amazon_order_item_id": "ITEM-1",
                            "amazon_sku": "ACC-MUG",
                        }
                    )
                ],
            }
        )
        cls.sale_order.action_confirm()
        cls.picking = cls.sale_order.picking_ids[:1]
        cls.picking.amazon_shipment_state = "failed"
        cls.vendor_order = env["amazon.vendor.order"].create(
            {
                "name": "ACCESSPO1",
                "kind": "retail",
                "account_id": cls.vendor_account.id,
                "sale_order_id": cls.sale_order.id,
                "line_ids": [
                    Command.create(
                        {
                            "item_sequence_number": "1",
                            "ordered_qty": 1,
                            "ack_code": ACK_ACCEPTED,
                            "ack_qty": 1,
                        }
                    )
                ],
            }
        )
        cls.invoice = env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": cls.partner.id}
        )
        # A message whose answer was lost: every outbox action applies to it.
        cls.outbox_message = env["amazon.outbox.message"].create(
            {
                "account_id": cls.vendor_account.id,
                "kind": "retail_ack",
                "key": "ACCESSPO1",
                "document_name": "ACCESSPO1",
                "state": "unknown",
            }
        )

    def setUp(self):
        super().setUp()
        # Amazon for this test: records every request and refuses it.
        self.amazon = self.serve_amazon()

        def refuse(operation, params):
            raise AmazonInvalidRequest(f"access matrix: {operation} recorded")

        for operation in ("*", "upload", "download"):
            self.amazon.serve(operation, refuse)
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))
        self.started_logs = []
        Log = type(self.env["amazon.sync.log"])
        start = Log._start

        def record_start(log_model, account, kind, **kwargs):
            self.started_logs.append(kind)
            return start(log_model, account, kind, **kwargs)

        self.startPatcher(patch.object(Log, "_start", record_start))
