# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures: 2026 ``Order`` payloads (shaped like the model's x-amzn-api-sandbox
examples) and the vendor endpoints (Amazon's own ``x-amzn-api-sandbox`` examples of
vendorOrders.json, the vendorDirectFulfillmentOrders 2021-12-28 response examples)
served through the one seam, ``amazon.account._spapi_call``, by the one fake;
vendor bodies are validated against Amazon's models."""

import copy
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo.addons.amazon_connector.exceptions import (
    AmazonError,
    AmazonNotFound,
)
from odoo.addons.amazon_connector.tests.common import AmazonCase, FakeAmazon, serving
from odoo.addons.amazon_connector.tests.spapi_models import body_errors, load_model
from odoo.addons.amazon_connector.utils import parse_datetime

IT = "APJ6JRA9NG5V4"
SEARCH_ORDERS = "orders.searchOrders"
RETAIL_ORDERS = "vendorOrders.getPurchaseOrders"
DF_ORDERS = "vendorDfOrders.getOrders"


def money(amount, currency="EUR"):
    return {"amount": str(amount), "currencyCode": currency}


def make_item(
    sku="AMZ-SKU-1",
    quantity=2,
    unit="24.40",
    item_id=None,
    shipping=None,
    shipping_discount=None,
    item_discount=None,
    gift_wrap=None,
    gift_message=None,
    currency="EUR",
    title="Test mug",
):
    """One ``OrderItem`` with its ``proceeds.breakdowns``."""
    gross = f"{float(unit) * quantity:.2f}"
    breakdowns = [{"type": "ITEM", "subtotal": money(gross, currency)}]
    if shipping:
        breakdowns.append({"type": "SHIPPING", "subtotal": money(shipping, currency)})
    if gift_wrap:
        breakdowns.append({"type": "GIFT_WRAP", "subtotal": money(gift_wrap, currency)})
    details = []
    if item_discount:
        details.append(
            {"subtype": "ITEM", "value": money(f"-{item_discount}", currency)}
        )
    if shipping_discount:
        details.append(
            {"subtype": "SHIPPING", "value": money(f"-{shipping_discount}", currency)}
        )
    if details:
        total = sum(float(d["value"]["amount"]) for d in details)
        breakdowns.append(
            {
                "type": "DISCOUNT",
                "subtotal": money(f"{total:.2f}", currency),
                "detailedBreakdowns": details,
            }
        )
    item = {
        "orderItemId": item_id or f"ITEM-{sku}",
        "quantityOrdered": quantity,
        "product": {
            "asin": "B000TEST01",
            "title": title,
            "sellerSku": sku,
            "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
            "price": {"unitPrice": money(unit, currency)},
        },
        "proceeds": {
            "proceedsTotal": money(
                f"{sum(float(b['subtotal']['amount']) for b in breakdowns):.2f}",
                currency,
            ),
            "breakdowns": breakdowns,
        },
        "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": quantity},
    }
    if item_discount or shipping_discount:
        item["promotion"] = {"breakdowns": [{"promotionId": "PROMO-1"}]}
    if gift_message:
        item["fulfillment"]["packing"] = {
            "giftOption": {"giftMessage": gift_message, "giftWrapLevel": "Classic"}
        }
    return item


def make_order(
    order_id="405-0000001-0000001",
    items=None,
    status="UNSHIPPED",
    fulfilled_by="MERCHANT",
    email="buyer-1@marketplace.amazon.it",
    buyer_name="Mario Rossi",
    address=None,
    created="2026-03-01T23:30:00Z",
    updated="2026-03-02T08:00:00Z",
    grand_total=None,
    marketplace=IT,
    company=None,
    vat=None,
):
    items = items if items is not None else [make_item(shipping="6.10")]
    if grand_total is None:
        total = 0.0
        for item in items if isinstance(items, list) else []:
            try:
                total += float(item["proceeds"]["proceedsTotal"]["amount"])
            except (KeyError, TypeError, ValueError):
                continue
        grand_total = f"{total:.2f}"
    buyer = {"buyerName": buyer_name}
    if email:
        buyer["buyerEmail"] = email
    if company:
        buyer["buyerCompanyName"] = company
    order = {
        "orderId": order_id,
        "createdTime": created,
        "lastUpdatedTime": updated,
        "programs": [],
        "salesChannel": {
            "channelName": "AMAZON",
            "marketplaceId": marketplace,
            "marketplaceName": "Amazon.it",
        },
        "buyer": buyer,
        "recipient": {
            "deliveryAddress": address
            if address is not None
            else {
                "name": buyer_name,
                "addressLine1": "Via Roma 1",
                "addressLine2": "Scala B",
                "city": "Milano",
                "stateOrRegion": "MI",
                "postalCode": "20121",
                "countryCode": "IT",
                "phone": "02 1234 5678",
                "addressType": "RESIDENTIAL",
            }
        },
        "proceeds": {"grandTotal": money(grand_total)},
        "fulfillment": {
            "fulfillmentStatus": status,
            "fulfilledBy": fulfilled_by,
            "fulfillmentServiceLevel": "STANDARD",
        },
        "orderItems": items,
    }
    if vat:
        order["tax"] = {
            "taxRegistrations": [
                {
                    "entityType": "BUYER",
                    "taxRegistrationType": "VAT",
                    "taxRegistrationNumber": vat,
                }
            ]
        }
    return order


def deliver(pickings, quantities=None):
    """Validate ``pickings`` carrying ``quantities`` {product: qty} (all by
    default). Less than ordered leaves a backorder, as Odoo's wizard does."""
    for move in pickings.move_ids:
        move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
    pickings.move_ids.picked = True
    pickings._action_done()


class AmazonSaleCase(AmazonCase):
    """The base of this addon's cases: the company, and sales taxes for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company

    @classmethod
    def _make_sale_tax(cls, name, amount):
        return cls.env["account.tax"].create(
            {
                "name": name,
                "amount": amount,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )


class AmazonOrderCase(AmazonSaleCase):
    """An Italian seller account, two products, the import's commits and waits
    recorded; Amazon serves searchOrders pages and getOrder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketplace = cls.env["amazon.marketplace"].search(
            [("marketplace_id", "=", IT)], limit=1
        )
        cls.marketplace.write({"price_includes_tax": True, "tz": "Europe/Rome"})
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.tax22 = cls._make_sale_tax("VAT 22% (test)", 22.0)
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test mug",
                "default_code": "AMZ-SKU-1",
                "is_storable": True,
                "list_price": 1.0,
                "taxes_id": [(6, 0, cls.tax22.ids)],
            }
        )
        cls.product2 = cls.env["product.product"].create(
            {
                "name": "Test plate",
                "default_code": "AMZ-SKU-2",
                "is_storable": True,
                "taxes_id": [(6, 0, cls.tax22.ids)],
            }
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Test IT",
                "company_id": cls.company.id,
                "account_type": "seller",
                "region": "eu",
                "seller_id": "A1TESTSELLER",
                "home_marketplace_id": cls.marketplace.id,
                "active_marketplace_ids": [(6, 0, cls.marketplace.ids)],
                "state": "connected",
                "order_import_from_date": datetime(2026, 3, 1),
            }
        )
        for product in (
            cls.account.shipping_product_id,
            cls.account.gift_wrap_product_id,
        ):
            product.taxes_id = [(6, 0, cls.tax22.ids)]

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.commits = []
        self.startPatcher(
            patch.object(Importer, "_commit", lambda s: self.commits.append(1))
        )
        self.sleeps = []
        self.startPatcher(
            patch.object(Importer, "_sleep", lambda s, sec: self.sleeps.append(sec))
        )
        self.startPatcher(
            patch.object(Importer, "_now", lambda s: datetime(2026, 3, 5, 12, 0, 0))
        )

    @contextmanager
    def fake_amazon(self, pages=None, orders_by_id=None):
        """Amazon serving ``pages`` to searchOrders (see :meth:`FakeAmazon.pages`:
        a list of orders per page, or an exception to raise) and the orders of
        ``orders_by_id`` to getOrder."""
        fake = FakeAmazon()
        fake.pages(SEARCH_ORDERS, pages or [])
        orders_by_id = orders_by_id or {}

        def get_order(operation, params):
            order = orders_by_id.get(params.get("orderId"))
            if order is None:
                raise AmazonNotFound("Order not found")
            return {"order": copy.deepcopy(order)}

        fake.serve("orders.getOrder", get_order)
        with serving(self.env, fake):
            yield fake

    def sync(self, pages, account=None):
        """Run one import over ``pages``; :return: (log, fake)"""
        with self.fake_amazon(pages) as fake:
            log = self.env["amazon.order.importer"]._run(account or self.account)
        return log, fake

    def find_order(self, amazon_order_id, account=None):
        return self.env["sale.order"].search(
            [
                ("amazon_account_id", "=", (account or self.account).id),
                ("amazon_order_id", "=", amazon_order_id),
            ]
        )


def sandbox_example(api, operation_id, index):
    """Response of the ``index``-th x-amzn-api-sandbox example of an operation."""
    model = load_model(api)
    for item in model["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                for response in op["responses"].values():
                    examples = (response.get("x-amzn-api-sandbox") or {}).get("static")
                    if examples:
                        return copy.deepcopy(examples[index]["response"])
    raise AssertionError(f"no sandbox example for {operation_id}")


def df_example():
    """The documented getOrders (2021-12-28) response."""
    model = load_model("vendorDfOrders")
    op = model["paths"]["/vendor/directFulfillment/orders/2021-12-28/purchaseOrders"]
    return copy.deepcopy(op["get"]["responses"]["200"]["examples"])


def _in_window(moment, params, prefix):
    after = parse_datetime(params.get(f"{prefix}After"))
    before = parse_datetime(params.get(f"{prefix}Before"))
    return (not after or moment >= after) and (not before or moment <= before)


def retail_match(order, params):
    """Whether getPurchaseOrders lists ``order``: by ``purchaseOrderState``, vendor
    code and the created (or changed) window, as Amazon filters."""
    details = order["orderDetails"]
    state = params.get("purchaseOrderState")
    if state and order["purchaseOrderState"] != state:
        return False
    code = params.get("orderingVendorCode")
    if code and details["sellingParty"]["partyId"] != code:
        return False
    if "changedAfter" in params:
        changed = details.get("purchaseOrderChangedDate") or details.get(
            "purchaseOrderDate"
        )
        return _in_window(parse_datetime(changed), params, "changed")
    return _in_window(parse_datetime(details["purchaseOrderDate"]), params, "created")


def df_match(order, params):
    """Whether the Direct Fulfillment getOrders lists ``order``: by ``status`` and
    the creation window."""
    details = order["orderDetails"]
    status = params.get("status")
    if status and details.get("orderStatus") != status:
        return False
    return _in_window(parse_datetime(details["orderDate"]), params, "created")


class AmazonVendorCase(AmazonSaleCase):
    """A US vendor account (Retail and Direct Fulfillment) and its products;
    Amazon's vendor endpoints filter like the real API and page by two."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.tax = cls._make_sale_tax("VAT 10% (vendor test)", 10.0)
        Product = cls.env["product.product"]
        common = {
            "is_storable": True,
            "invoice_policy": "order",
            "taxes_id": [(6, 0, cls.tax.ids)],
        }
        # Found by vendor SKU (internal reference), by barcode and by ASIN.
        cls.washer = Product.create(
            dict(common, name="Washer 8 kg", default_code="8806098286500")
        )
        cls.washer_small = Product.create(
            dict(common, name="Washer 6.5 kg", barcode="8806098286123")
        )
        cls.dryer = Product.create(
            dict(common, name="Dryer", default_code="B07MC84QAB")
        )
        cls.gadget = Product.create(
            dict(common, name="Gadget", default_code="8806093095123")
        )
        cls.gadget2 = Product.create(
            dict(common, name="Gadget 2", default_code="8806098095124")
        )
        cls.window = cls.env["amazon.vendor.time.range"].create(
            {
                "name": "2019-2020 (test)",
                "date_field": "created",
                "mode": "fixed",
                "date_after": datetime(2019, 8, 1),
                "date_before": datetime(2020, 12, 31),
            }
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Vendor US",
                "company_id": cls.company.id,
                "account_type": "vendor",
                "region": "na",
                "state": "connected",
                "vendor_retail_time_range_id": cls.window.id,
                "vendor_df_time_range_id": cls.window.id,
                "vendor_df_import": True,
            }
        )

    @contextmanager
    def fake_amazon(self, purchase_orders=(), df_orders=(), page_size=2):
        """Amazon's vendor endpoints over ``purchase_orders`` (Retail) and
        ``df_orders`` (Direct Fulfillment), which the test may change on the way
        (``self.purchase_orders``, ``self.df_orders``), with:

        - ``self.statuses``: what getPurchaseOrdersStatus answers;
        - ``self.verdicts``: transactionId -> Transaction answers still to give
          (then Success);
        - ``self.df_order_status``: DF order number -> its status (NEW otherwise);
        - ``self.packing_slips``: DF order number -> its packing slip (base64).

        Every body sent must fit Amazon's model; it is answered with a
        transactionId.
        """
        fake = FakeAmazon()
        self.purchase_orders = fake.rows(
            RETAIL_ORDERS,
            copy.deepcopy(list(purchase_orders)),
            page_size=page_size,
            match=retail_match,
        )
        self.df_orders = fake.rows(
            DF_ORDERS,
            copy.deepcopy(list(df_orders)),
            page_size=page_size,
            match=df_match,
        )
        self.statuses = []
        self.verdicts = {}
        self.df_order_status = {}
        self.packing_slips = {}
        fake.serve(
            "vendorOrders.getPurchaseOrdersStatus",
            lambda operation, params: {"ordersStatus": copy.deepcopy(self.statuses)},
        )
        fake.serve("vendorTransactionStatus.getTransaction", self._verdict)
        fake.serve("vendorDfTransactions.getTransactionStatus", self._verdict)
        fake.serve("vendorDfOrders.getOrder", self._df_order)
        fake.serve("vendorDfShipping.getPackingSlip", self._packing_slip)

        def take_body(operation, params):
            if "body" not in params:
                raise AssertionError(f"unexpected call {operation}")
            errors = body_errors(operation, params["body"])
            if errors:
                raise AssertionError(f"{operation} body does not fit: {errors}")
            return {"transactionId": f"tx-{len(fake.calls)}"}

        fake.serve("*", take_body)
        with serving(self.env, fake):
            yield fake

    def _verdict(self, operation, params):
        number = params["transactionId"]
        queue = self.verdicts.get(number) or []
        status = queue.pop(0) if queue else {"status": "Success"}
        return {"transactionStatus": dict(status, transactionId=number)}

    def _df_order(self, operation, params):
        number = params["purchaseOrderNumber"]
        return {
            "purchaseOrderNumber": number,
            "orderDetails": {"orderStatus": self.df_order_status.get(number, "NEW")},
        }

    def _packing_slip(self, operation, params):
        number = params["purchaseOrderNumber"]
        if number not in self.packing_slips:
            raise AmazonNotFound(f"No packing slip for {number}")
        return {
            "purchaseOrderNumber": number,
            "content": self.packing_slips[number],
            "contentType": "application/pdf",
        }

    def run_outbox(self):
        """Run the outbox job (send, read verdicts, settle unknown outcomes)."""
        return self.env["amazon.outbox.message"]._cron_process()

    def outbox(self, kind, account=None):
        return self.env["amazon.outbox.message"].search(
            [("account_id", "=", (account or self.account).id), ("kind", "=", kind)]
        )

    def sync(self, fake, account=None):
        return (account or self.account)._sync_vendor_orders()

    def vendor_order(self, number, account=None):
        return self.env["amazon.vendor.order"].search(
            [("account_id", "=", (account or self.account).id), ("name", "=", number)]
        )

    @staticmethod
    def retail_orders():
        """The getPurchaseOrders examples with details (2019 and 2020 orders)."""
        first = sandbox_example("vendorOrders", "getPurchaseOrders", 0)["payload"]
        third = sandbox_example("vendorOrders", "getPurchaseOrders", 2)["payload"]
        return first["orders"] + third["orders"]


__all__ = [
    "AmazonError",
    "AmazonOrderCase",
    "AmazonSaleCase",
    "AmazonVendorCase",
    "FakeAmazon",
    "body_errors",
    "deliver",
    "df_example",
    "make_item",
    "make_order",
    "money",
    "sandbox_example",
    "serving",
]
