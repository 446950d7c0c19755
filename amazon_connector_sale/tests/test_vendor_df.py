# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import AmazonVendorCase, body_errors, df_example

DF_ACK = "vendorDfOrders.submitAcknowledgement"
DF_SHIP = "vendorDfShipping.submitShipmentConfirmations"


@tagged("post_install", "-at_install")
class TestVendorDirectFulfillment(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False
        cls.account.fbm_warehouse_id = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    def df_orders(self):
        return df_example()["orders"]

    def test_df_orders_import_once_with_the_end_customer_address(self):
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            log = self.sync(fake)
            again = self.sync(fake)
        self.assertEqual((log.created, again.created), (1, 0), msg="imported once")
        query = fake.queries("vendorDfOrders.getOrders")[0]
        self.assertIn("createdAfter", query)
        self.assertIn("createdBefore", query)
        binding = self.vendor_order("2JK3S9VC")
        order = binding.sale_order_id
        self.assertEqual(order.amazon_order_kind, "vendor_df")
        self.assertEqual(order.partner_id.ref, "ABCD", msg="Amazon (bill-to) buys")
        delivery = order.partner_shipping_id
        self.assertTrue(delivery.amazon_created, msg="personal data: retention applies")
        self.assertEqual(delivery.street, "123 XYZ Street")
        self.assertEqual(delivery.country_id.code, "US", msg="alpha-3 USA understood")
        self.assertEqual(delivery.state_id.code, "CA")
        costs = sorted(order.order_line.mapped("price_unit"))
        self.assertEqual(costs, [500.0, 700.0], msg="net prices")
        self.assertEqual(sorted(order.order_line.mapped("product_uom_qty")), [1.0, 2.0])
        self.assertEqual(binding.ship_from_party_id, "ABCD")
        self.assertEqual(binding.customer_order_number, "123-ABC")

    def test_df_status_filter_changes_what_is_imported(self):
        self.account.vendor_df_status_filter = "ACCEPTED"
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            log = self.sync(fake)
            self.assertEqual(
                fake.queries("vendorDfOrders.getOrders")[0]["status"], "ACCEPTED"
            )
            self.assertEqual(log.created, 0, msg="the example order is NEW")
            self.account.vendor_df_status_filter = "NEW"
            log = self.sync(fake)
        self.assertEqual(log.created, 1)

    def test_df_acknowledgement_and_shipment_confirmation_fit_the_models(self):
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            binding.action_send_acknowledgement()
            order = binding.sale_order_id
            self.assertEqual(
                order.state, "sale", msg="accepted DF orders are confirmed"
            )
            picking = order.picking_ids
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking._action_done()
            self.assertEqual(
                fake.bodies(DF_SHIP), [], msg="validation never calls Amazon"
            )
            self.run_outbox()
        ack = fake.bodies(DF_ACK)[0]
        self.assertEqual(body_errors(DF_ACK, ack), [])
        ack = ack["orderAcknowledgements"][0]
        self.assertEqual(ack["acknowledgementStatus"]["code"], "00")
        self.assertEqual(ack["vendorOrderNumber"], order.name)
        self.assertEqual(len(ack["itemAcknowledgements"]), 2, msg="every item")
        ship = fake.bodies(DF_SHIP)[0]
        self.assertEqual(body_errors(DF_SHIP, ship), [])
        confirmation = ship["shipmentConfirmations"][0]
        self.assertEqual(confirmation["purchaseOrderNumber"], "2JK3S9VC")
        self.assertEqual(
            sorted(i["shippedQuantity"]["amount"] for i in confirmation["items"]),
            [1, 2],
        )
        self.assertEqual(binding.shipment_state, "accepted")
        self.assertTrue(order.amazon_closed_date, msg="retention clock started")

    def test_df_automatic_acceptance(self):
        self.account.vendor_df_auto_acknowledge = True
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            self.sync(fake)
            self.run_outbox()
        binding = self.vendor_order("2JK3S9VC")
        self.assertEqual(binding.ack_state, "accepted")
        self.assertEqual(len(fake.bodies(DF_ACK)), 1)

    def test_df_cancellation_by_amazon_cancels_the_order(self):
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            self.sync(fake)
            self.df_orders[0]["orderDetails"]["orderStatus"] = "CANCELLED"
            log = self.sync(fake)
        self.assertEqual(log.updated, 1)
        order = self.vendor_order("2JK3S9VC").sale_order_id
        self.assertEqual(order.state, "cancel")
        self.assertTrue(order.amazon_closed_date)

    def test_an_order_of_an_unconfigured_vendor_code_is_a_visible_failure(self):
        self.env["amazon.vendor.code"].create(
            {
                "account_id": self.account.id,
                "name": "OTHER",
                "use_retail": False,
                "use_direct_fulfillment": True,
            }
        )
        with self.fake_amazon(df_orders=self.df_orders()) as fake:
            log = self.sync(fake)
        self.assertEqual(log.failed, 1, msg="counted as failed, not silently skipped")
        reasons = " ".join(log.line_ids.mapped("reason"))
        self.assertIn("Vendor code 999US is not set up", reasons)
        failure = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertTrue(failure, msg="kept, to retry once the code is set up")
