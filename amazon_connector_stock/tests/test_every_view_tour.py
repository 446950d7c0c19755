# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every Amazon screen opens in Chromium, with data the way a seller has it.

The data comes through the real client from the project's local SP-API sandbox
(orders, listings, FBA inventory, vendor orders), plus what a seller's first
week leaves behind: a failed order, a failed shipment confirmation, a stock feed,
an SKU recoding and a sales list.
"""

import json
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.amazon_connector.tests.every_view import EveryViewMixin
from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    default_skus,
    sandbox_account_vals,
    sku_ean,
)
from odoo.addons.amazon_connector_sale.tests.common import make_item, make_order

IT = "APJ6JRA9NG5V4"


@tagged("post_install", "-at_install")
class TestEveryViewTour(EveryViewMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        cls.server.state.feed_delay = 0.0
        cls._amazon_tour_data()

    @classmethod
    def _amazon_tour_data(cls):
        env = cls.env
        Importer = type(env["amazon.order.importer"])
        with (
            patch.object(Importer, "_commit", lambda s: None),
            patch.object(Importer, "_sleep", lambda s, sec: None),
        ):
            cls._seller_data(env)
            cls._vendor_data(env)
            if "amazon.finance.transaction" in env:
                cls._accounting_data(env)
            if "amazon.settlement.mapping" in env:
                cls._booking_data(env)

    @classmethod
    def _seller_data(cls, env):
        state = cls.server.state
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", env.company.id)], limit=1
        )
        marketplace = env.ref("amazon_connector.marketplace_it")
        for sku in default_skus()[:20]:
            product = env["product.product"].create(
                {
                    "name": sku,
                    "default_code": sku,
                    "barcode": sku_ean(sku),
                    "is_storable": True,
                }
            )
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 5
            )
        cls.account = env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                marketplace.id,
                name="Tour sandbox account",
                active_marketplace_ids=[(6, 0, marketplace.ids)],
                fbm_warehouse_id=warehouse.id,
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            )
        )
        state.generate_orders(12, seed=11, countries=["IT"])
        created = (fields.Datetime.now() - timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        state.add_orders(
            [
                make_order(
                    order_id="405-9999999-0000001",
                    items=[make_item("NO-SUCH-SKU", 1, "9.90")],
                    created=created,
                    updated=created,
                )
            ]
        )
        cls.account.action_sync_orders()
        state.generate_listings(20, seed=5, marketplaceId=IT)
        cls.account.action_import_listings()
        cls.account.action_import_fba_inventory()
        cls.account.action_push_stock()
        picking = env["stock.picking"].search(
            [("sale_id.amazon_account_id", "=", cls.account.id)], limit=1
        )
        picking.write(
            {
                "amazon_shipment_state": "failed",
                "amazon_shipment_error": "Amazon refused the tracking number.",
            }
        )
        env["amazon.stock.feed"].create(
            {
                "account_id": cls.account.id,
                "marketplace_id": marketplace.id,
                "feed_id": "50001019999",
                "message_count": 3,
                "accepted_count": 2,
            }
        )
        env["amazon.sku.recode"].create(
            {
                "account_id": cls.account.id,
                "amazon_sku": "OLD-SKU-1",
                "product_id": env["product.product"]
                .search([("default_code", "!=", False)], limit=1)
                .id,
            }
        )
        env["amazon.sale.list"].create(
            {
                "name": "Summer mugs",
                "account_id": cls.account.id,
                "pricelist_id": env["product.pricelist"].search([], limit=1).id
                or env["product.pricelist"].create({"name": "Amazon"}).id,
            }
        )

    @classmethod
    def _vendor_data(cls, env):
        window = env["amazon.vendor.time.range"].create(
            {"name": "Created in the last 8 days", "date_field": "created"}
        )
        vendor = env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                env.ref("amazon_connector.marketplace_it").id,
                name="Tour vendor account",
                account_type="vendor",
                # its own vendor code: the seller's id would be a second account
                # of the same selling partner (refused)
                seller_id="TOURVENDOR",
                vendor_retail_time_range_id=window.id,
            )
        )
        cls.server.state.generate_purchase_orders(3, seed=7)
        vendor._sync_vendor_orders()
        # what the vendor outbox keeps of a message Amazon refused
        purchase_order = env["amazon.vendor.order"].search(
            [("account_id", "=", vendor.id)], limit=1
        )
        env["amazon.outbox.message"].create(
            {
                "account_id": vendor.id,
                "kind": "retail_ack",
                "key": purchase_order.name or "TOURPO1",
                "document_name": purchase_order.name or "TOURPO1",
                "vendor_order_id": purchase_order.id,
                "state": "rejected",
                "error": "Amazon refused the acknowledgement: unknown item.",
            }
        )

    @classmethod
    def _accounting_data(cls, env):
        """Records for the menus of Amazon > Accounting, when the accounting
        addon is installed (this addon does not depend on it)."""
        invoiced, order = env["sale.order"].search(
            [("amazon_account_id", "=", cls.account.id), ("state", "!=", "cancel")],
            limit=2,
        )
        if invoiced.state == "draft":
            invoiced.action_confirm()
        env["amazon.invoicer"]._invoice_orders(invoiced, raise_errors=True)
        transaction = env["amazon.finance.transaction"].create(
            {
                "account_id": cls.account.id,
                "transaction_id": "TOUR-TX-1",
                "transaction_type": "Refund",
                "description": "Refund of a returned mug",
                "posted_date": fields.Datetime.now() - timedelta(days=1),
                "amazon_order_id": order.amazon_order_id,
                "sale_order_id": order.id,
                "total_amount": -12.20,
                "currency_id": env.ref("base.EUR").id,
                "refund_state": "waiting",
            }
        )
        if "amazon.settlement" in env:
            eur = env.ref("base.EUR")
            env["amazon.settlement"].create(
                {
                    "account_id": cls.account.id,
                    "name": "TOURGROUP0001",
                    "processing_status": "open",
                    "start_date": fields.Datetime.now() - timedelta(days=3),
                    "currency_id": eur.id,
                    "original_total": -12.20,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "finance_transaction_id": transaction.id,
                                "transaction_reference": "TOUR-TX-1",
                                "transaction_type": "Refund",
                                "transaction_status": "released",
                                "amount_kind": "refund",
                                "amazon_order_id": order.amazon_order_id,
                                "sale_order_id": order.id,
                                "breakdown_type": "Principal",
                                "breakdown_path": "ProductCharges",
                                "amount": -12.20,
                                "currency_id": eur.id,
                                "posted_date": fields.Datetime.now(),
                            },
                        )
                    ],
                }
            )
        line = order.order_line.filtered("product_id")[:1]
        env["amazon.return"].create(
            {
                "account_id": cls.account.id,
                "channel": "fbm",
                "return_key": "TOUR-RETURN-1",
                "amazon_order_id": order.amazon_order_id,
                "sale_order_id": order.id,
                "sku": line.product_id.default_code,
                "product_id": line.product_id.id,
                "quantity": 1,
                "return_date": fields.Datetime.now() - timedelta(days=1),
                "reason": "Damaged",
            }
        )

    @classmethod
    def _booking_data(cls, env):
        """The settlements' books: the company's mappings and one of Amazon's
        invoices (a draft bill), for Amazon > Accounting."""
        company = env.company
        if not company._amazon_settlement_setup():
            env["amazon.settlement.mapping"].create(
                {"transaction_type": "Shipment", "kind": "order"}
            )
        env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": (
                    company.amazon_vendor_partner_id or env.user.partner_id
                ).id,
                "ref": "TOUR-AEU-1",
                "amazon_seller_invoice_ref": "TOUR-AEU-1",
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    (0, 0, {"name": "Commission", "quantity": 1, "price_unit": 3.66})
                ],
            }
        )

    def test_every_amazon_view_opens_with_data_and_without_error(self):
        plan = self.run_every_view_tour()
        self.assertGreater(len(plan), 20, msg="the plan covers the Amazon menus")

    def test_clicking_every_amazon_menu_view_and_filter_raises_no_error(self):
        self.run_click_everywhere()

    def test_overview_shows_counts_labels_in_words_and_links(self):
        """The counts the tour expects on the card are computed here, with their
        own searches, not read from the fields the card shows."""
        SaleOrder = self.env["sale.order"]
        to_ship = [
            ("amazon_account_id", "=", self.account.id),
            ("amazon_fulfillment_channel", "=", "fbm"),
            ("amazon_status", "in", ("UNSHIPPED", "PARTIALLY_SHIPPED")),
            ("state", "!=", "cancel"),
        ]
        late_order = SaleOrder.search(to_ship, limit=1)
        late_order.amazon_ship_by = fields.Datetime.now() - timedelta(days=1)
        expected = {
            "account": self.account.name,
            "to_ship": SaleOrder.search_count(to_ship),
            "late": SaleOrder.search_count(
                to_ship + [("amazon_ship_by", "<", fields.Datetime.now())]
            ),
            "failed_orders": self.env["amazon.order.failure"].search_count(
                [("account_id", "=", self.account.id), ("state", "=", "open")]
            ),
            "failed_confirmations": self.env["stock.picking"].search_count(
                [("amazon_shipment_state", "=", "failed")]
            ),
        }
        self.assertGreater(expected["to_ship"], 0, msg="the data has orders to ship")
        self.assertGreaterEqual(expected["late"], 1)
        self.assertEqual(
            self.env.ref("amazon_connector.amazon_connector_menu_root").action,
            self.env.ref("amazon_connector.amazon_account_action"),
            msg="the Amazon app opens on the overview",
        )
        code = "sessionStorage.setItem(%s, %s); odoo.startTour(%s, %s)" % (
            json.dumps("amazon_connector_overview_expected"),
            json.dumps(json.dumps(expected)),
            json.dumps("amazon_connector_overview"),
            json.dumps({"stepDelay": 0, "keepWatchBrowser": False, "debug": False}),
        )
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_overview",
            login="admin",
            code=code,
        )


@tagged("post_install", "-at_install")
class TestEmptyStatesTour(HttpCase):
    def test_empty_screens_say_what_they_hold_and_how_to_get_there(self):
        self.env["amazon.account"].search([]).write({"active": False})
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_empty_states",
            login="admin",
        )
