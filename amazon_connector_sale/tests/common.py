# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures: 2026 ``Order`` payloads (shaped like the model's x-amzn-api-sandbox
examples) served through the one seam, ``amazon.account._spapi_call``."""

import copy
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector.exceptions import AmazonError

IT = "APJ6JRA9NG5V4"


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


@contextmanager
def serving(env, fake):
    """Amazon played by ``fake``, called as the one seam is:
    ``fake(account, operation, **params)`` for ``account._spapi_call``."""

    def call(account, operation, **params):
        return fake(account, operation, **params)

    with patch.object(type(env["amazon.account"]), "_spapi_call", call):
        yield fake


class FakeAmazon:
    """Serves searchOrders pages and getOrder; records every call.

    ``script`` items are consumed per searchOrders call: a list of orders (one page,
    followed by the next script item when it is a list too, through nextToken), or
    an exception instance to raise.
    """

    def __init__(self, pages=None, orders_by_id=None):
        self.pages = list(pages or [])
        self.orders_by_id = orders_by_id or {}
        self.calls = []

    def __call__(self, account, operation, **params):
        self.calls.append((operation, params))
        if operation == "orders.getOrder":
            order = self.orders_by_id.get(params.get("orderId"))
            if order is None:
                from odoo.addons.amazon_connector.exceptions import AmazonNotFound

                raise AmazonNotFound("Order not found")
            return {"order": copy.deepcopy(order)}
        assert operation == "orders.searchOrders", operation
        if not self.pages:
            return {"orders": []}
        page = self.pages.pop(0)
        if isinstance(page, Exception):
            raise page
        data = {"orders": copy.deepcopy(page)}
        if self.pages:
            data["pagination"] = {"nextToken": f"token-{len(self.calls)}"}
        return data

    def search_calls(self):
        return [p for op, p in self.calls if op == "orders.searchOrders"]


class AmazonOrderCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.marketplace = cls.env["amazon.marketplace"].search(
            [("marketplace_id", "=", IT)], limit=1
        )
        cls.marketplace.write({"price_includes_tax": True, "tz": "Europe/Rome"})
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.tax22 = cls.env["account.tax"].create(
            {
                "name": "VAT 22% (test)",
                "amount": 22.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
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
        with serving(self.env, FakeAmazon(pages, orders_by_id)) as fake:
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


__all__ = [
    "AmazonError",
    "AmazonOrderCase",
    "deliver",
    "make_item",
    "make_order",
    "money",
    "serving",
]
