# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures of the vendor tests: Amazon's own ``x-amzn-api-sandbox`` examples
(vendorOrders.json) and response examples (vendorDirectFulfillmentOrders
2021-12-28), served through the seam; bodies validated against the models."""

import copy
from contextlib import contextmanager
from datetime import datetime

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector.exceptions import AmazonNotFound, AmazonServerError
from odoo.addons.amazon_connector.tests.spapi_models import body_errors, load_model
from odoo.addons.amazon_connector.utils import parse_datetime

from .common import serving


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


class FakeVendorAmazon:
    """Amazon's vendor endpoints in memory: filters like the real API, pages by 1.

    Retail orders are filtered by ``purchaseOrderState`` and the created/changed
    window; Direct Fulfillment orders by ``status`` and the creation window.
    """

    def __init__(self, purchase_orders=(), df_orders=(), page_size=2):
        self.purchase_orders = [copy.deepcopy(o) for o in purchase_orders]
        self.df_orders = [copy.deepcopy(o) for o in df_orders]
        self.page_size = page_size
        self.calls = []
        self.statuses = []
        self.errors = {}
        # Operations whose answer is lost after Amazon took the message.
        self.lost_answers = set()
        # transactionId -> list of Transaction answers still to give (then Success)
        self.verdicts = {}
        self.df_order_status = {}
        self.packing_slips = {}

    def __call__(self, account, operation, **params):
        self.calls.append((operation, copy.deepcopy(params)))
        if operation in self.errors:
            raise self.errors[operation]
        if operation in (
            "vendorTransactionStatus.getTransaction",
            "vendorDfTransactions.getTransactionStatus",
        ):
            number = params["transactionId"]
            queue = self.verdicts.get(number) or []
            status = queue.pop(0) if queue else {"status": "Success"}
            return {"transactionStatus": dict(status, transactionId=number)}
        if operation == "vendorDfOrders.getOrder":
            number = params["purchaseOrderNumber"]
            return {
                "purchaseOrderNumber": number,
                "orderDetails": {
                    "orderStatus": self.df_order_status.get(number, "NEW")
                },
            }
        if operation == "vendorDfShipping.getPackingSlip":
            number = params["purchaseOrderNumber"]
            if number not in self.packing_slips:
                raise AmazonNotFound(f"No packing slip for {number}")
            return {
                "purchaseOrderNumber": number,
                "content": self.packing_slips[number],
                "contentType": "application/pdf",
            }
        if "body" in params:
            errors = body_errors(operation, params["body"])
            if errors:
                raise AssertionError(f"{operation} body does not fit: {errors}")
            if operation in self.lost_answers:
                raise AmazonServerError(
                    f"Amazon could not be reached for {operation} (ReadError).",
                    code="network",
                )
            return {"transactionId": f"tx-{len(self.calls)}"}
        if operation == "vendorOrders.getPurchaseOrders":
            rows = [o for o in self.purchase_orders if self._retail_match(o, params)]
            return self._page(rows, params, "orders")
        if operation == "vendorDfOrders.getOrders":
            rows = [o for o in self.df_orders if self._df_match(o, params)]
            return self._page(rows, params, "orders")
        if operation == "vendorOrders.getPurchaseOrdersStatus":
            return {"ordersStatus": copy.deepcopy(self.statuses)}
        raise AssertionError(f"unexpected call {operation}")

    def _page(self, rows, params, key):
        start = int(params.get("nextToken") or 0)
        data = {key: copy.deepcopy(rows[start : start + self.page_size])}
        if start + self.page_size < len(rows):
            data["pagination"] = {"nextToken": str(start + self.page_size)}
        return data

    @staticmethod
    def _in_window(moment, params, prefix):
        after = parse_datetime(params.get(f"{prefix}After"))
        before = parse_datetime(params.get(f"{prefix}Before"))
        return (not after or moment >= after) and (not before or moment <= before)

    def _retail_match(self, order, params):
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
            return self._in_window(parse_datetime(changed), params, "changed")
        return self._in_window(
            parse_datetime(details["purchaseOrderDate"]), params, "created"
        )

    def _df_match(self, order, params):
        details = order["orderDetails"]
        status = params.get("status")
        if status and details.get("orderStatus") != status:
            return False
        return self._in_window(parse_datetime(details["orderDate"]), params, "created")

    def bodies(self, operation):
        return [p["body"] for op, p in self.calls if op == operation]

    def queries(self, operation):
        return [p for op, p in self.calls if op == operation]


class AmazonVendorCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 10% (vendor test)",
                "amount": 10.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
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
        fake = FakeVendorAmazon(purchase_orders, df_orders, page_size)
        with serving(self.env, fake):
            yield fake

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
