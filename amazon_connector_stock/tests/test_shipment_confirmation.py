# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonServerError,
    AmazonThrottled,
)

from .common import AmazonStockCase


@tagged("post_install", "-at_install")
class TestShipmentConfirmation(AmazonStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock(cls.mug, 50)
        cls._set_stock(cls.plate, 50)
        cls.fedex = cls.env["delivery.carrier"].create(
            {
                "name": "FedEx Express Saver",
                "product_id": cls.env["product.product"]
                .create({"name": "Shipping FedEx", "type": "service"})
                .id,
                "amazon_carrier_id": cls.env.ref(
                    "amazon_connector_stock.amazon_carrier_fedex"
                ).id,
                "amazon_shipping_method": "FedEx Ground",
            }
        )
        cls.courier = cls.env["delivery.carrier"].create(
            {
                "name": "Corriere Rapido Brianza",
                "product_id": cls.env["product.product"]
                .create({"name": "Shipping courier", "type": "service"})
                .id,
            }
        )
        cls.confirmer = cls.env["amazon.shipment.confirmer"]

    def send_pending(self):
        return self.confirmer._cron_send_pending()

    def test_validation_marks_delivery_to_send_without_calling_amazon(self):
        order = self.make_fbm_order([(self.mug, 2, "ITEM-1")])
        picking = order.picking_ids
        cron = self.env.ref("amazon_connector_stock.ir_cron_amazon_shipment_confirm")
        triggers_before = self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", cron.id)]
        )
        with self.no_amazon_calls():
            self.ship(picking, tracking="TRK1")
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            picking.amazon_shipment_state,
            "to_send",
            msg="validation only flags the delivery; the job sends after commit",
        )
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers_before,
            msg="the confirmation job is triggered for right after the commit",
        )

    def test_confirmation_fits_amazon_model_with_items_tracking_and_carrier(self):
        order = self.make_fbm_order(
            [(self.mug, 2, "ITEM-MUG"), (self.plate, 1, "ITEM-PLATE")],
            carrier=self.fedex,
        )
        picking = order.picking_ids
        picking.carrier_id = self.fedex
        self.ship(picking, tracking="794612345678")
        self.send_pending()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(picking.amazon_shipment_state, "sent")
        (params,) = self.fake.queries("ordersV0.confirmShipment")
        self.assertEqual(params["orderId"], "405-1234567-1234567")
        body = params["body"]
        self.assertEqual(body["marketplaceId"], self.marketplace.marketplace_id)
        package = body["packageDetail"]
        self.assertEqual(package["carrierCode"], "FedEx", msg="mapped carrier code")
        self.assertEqual(package["shippingMethod"], "FedEx Ground")
        self.assertEqual(package["trackingNumber"], "794612345678")
        self.assertEqual(package["packageReferenceId"], str(picking.id))
        self.assertRegex(package["shipDate"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(
            sorted((i["orderItemId"], i["quantity"]) for i in package["orderItems"]),
            [("ITEM-MUG", 2), ("ITEM-PLATE", 1)],
            msg="every Amazon order item with the quantity shipped",
        )
        log = self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "shipments")],
            order="id desc",
            limit=1,
        )
        self.assertEqual(log.state, "done")

    def test_tracking_corrected_after_confirmation_asks_for_the_fix_on_amazon(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-MUG")])
        picking = order.picking_ids
        self.ship(picking, tracking="WRONG-1")
        self.send_pending()
        self.assertEqual(picking.amazon_shipment_state, "sent")
        picking.carrier_tracking_ref = "RIGHT-2"
        activity = picking.activity_ids.filtered(
            lambda a: a.summary == "Correct the tracking number on Amazon"
        )
        self.assertTrue(activity, msg="someone is told to correct it")
        self.assertIn("WRONG-1", activity.note)
        self.assertIn("RIGHT-2", activity.note)
        self.assertIn("Seller Central", activity.note)
        self.send_pending()
        self.assertEqual(
            self.fake.count("ordersV0.confirmShipment"),
            1,
            msg="Amazon refuses a second confirmation: none is sent",
        )

    def test_partial_delivery_and_backorder_confirm_exactly_what_each_carried(self):
        order = self.make_fbm_order(
            [(self.mug, 3, "ITEM-MUG"), (self.plate, 2, "ITEM-PLATE")]
        )
        first = order.picking_ids
        backorder = self.ship(first, {self.mug: 1, self.plate: 0}, tracking="T-1")
        self.assertTrue(backorder, "a backorder holds the rest")
        self.send_pending()
        self.ship(backorder, tracking="T-2")
        self.send_pending()
        self.assertBodiesFitAmazonModels()
        packages = self.shipments["405-1234567-1234567"]
        self.assertEqual(len(packages), 2, msg="one confirmation per delivery")
        carried = [
            sorted((i["orderItemId"], i["quantity"]) for i in p["orderItems"])
            for p in packages
        ]
        self.assertEqual(
            carried[0], [("ITEM-MUG", 1)], msg="the partial delivery confirms 1 mug"
        )
        self.assertEqual(
            carried[1],
            [("ITEM-MUG", 2), ("ITEM-PLATE", 2)],
            msg="the backorder confirms the rest",
        )
        self.assertEqual([p["trackingNumber"] for p in packages], ["T-1", "T-2"])
        self.assertNotEqual(
            packages[0]["packageReferenceId"],
            packages[1]["packageReferenceId"],
            msg="each package is its own reference within the order",
        )

    def test_failed_confirmation_is_recorded_and_retry_succeeds(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids
        self.ship(picking, tracking="TRK")
        self.confirm_failures.append(AmazonServerError("Amazon is unavailable."))
        self.send_pending()
        self.assertEqual(picking.amazon_shipment_state, "failed")
        self.assertIn("unavailable", picking.amazon_shipment_error)
        failed = self.env["stock.picking"].search(
            [("amazon_shipment_state", "=", "failed"), ("id", "=", picking.id)]
        )
        self.assertEqual(failed, picking, msg='the "failed" filter finds it')
        log = self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "shipments")],
            order="id desc",
            limit=1,
        )
        self.assertEqual(log.state, "failed")
        self.assertIn("405-1234567-1234567", log.line_ids.mapped("amazon_ref"))
        picking.action_amazon_retry_shipment()
        self.assertEqual(
            picking.amazon_shipment_state, "sent", msg="a retry sends it again"
        )
        self.assertFalse(picking.amazon_shipment_error)
        self.assertEqual(len(self.shipments["405-1234567-1234567"]), 1)

    def test_job_retries_failed_deliveries_a_limited_number_of_times(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids
        self.ship(picking, tracking="TRK")
        self.confirm_failures_by_order["405-1234567-1234567"] = AmazonInvalidRequest(
            "Invalid Input"
        )
        for _attempt in range(8):
            self.send_pending()
        self.assertEqual(picking.amazon_shipment_state, "failed")
        self.assertEqual(
            self.fake.count("ordersV0.confirmShipment"),
            5,
            msg="the job gives up after 5 attempts; the button still retries",
        )
        del self.confirm_failures_by_order["405-1234567-1234567"]
        self.send_pending()
        self.assertEqual(picking.amazon_shipment_state, "failed")
        picking.action_amazon_retry_shipment()
        self.assertEqual(picking.amazon_shipment_state, "sent")

    def test_one_failing_delivery_never_blocks_the_others(self):
        bad = self.make_fbm_order(
            [(self.mug, 1, "ITEM-A")], order_id="405-0000000-0000001"
        )
        good = self.make_fbm_order(
            [(self.plate, 1, "ITEM-B")], order_id="405-0000000-0000002"
        )
        self.ship(bad.picking_ids, tracking="A")
        self.ship(good.picking_ids, tracking="B")
        self.confirm_failures_by_order["405-0000000-0000001"] = AmazonInvalidRequest(
            "The order is cancelled."
        )
        self.send_pending()
        self.assertEqual(bad.picking_ids.amazon_shipment_state, "failed")
        self.assertEqual(
            good.picking_ids.amazon_shipment_state,
            "sent",
            msg="the other delivery is confirmed all the same",
        )

    def test_throttling_leaves_deliveries_to_send_for_the_next_run(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids
        self.ship(picking, tracking="TRK")
        self.confirm_failures.append(AmazonThrottled(retry_after=2))
        self.send_pending()
        self.assertEqual(
            picking.amazon_shipment_state,
            "to_send",
            msg="throttling is no failure of the delivery",
        )
        self.send_pending()
        self.assertEqual(picking.amazon_shipment_state, "sent")

    def test_unmapped_carrier_is_confirmed_as_other_with_its_name(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")], carrier=self.courier)
        picking = order.picking_ids
        picking.carrier_id = self.courier
        self.ship(picking, tracking="CRB-1")
        self.send_pending()
        self.assertBodiesFitAmazonModels()
        package = self.shipments["405-1234567-1234567"][0]
        self.assertEqual(package["carrierCode"], "Other")
        self.assertEqual(package["carrierName"], "Corriere Rapido Brianza")

    def test_carrier_named_like_an_amazon_carrier_needs_no_mapping(self):
        dhl = self.env["delivery.carrier"].create(
            {"name": "DHL", "product_id": self.courier.product_id.id}
        )
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")], carrier=dhl)
        order.picking_ids.carrier_id = dhl
        self.ship(order.picking_ids, tracking="JJD0001")
        self.send_pending()
        package = self.shipments["405-1234567-1234567"][0]
        self.assertEqual(package["carrierCode"], "DHL")

    def test_delivery_without_tracking_is_confirmed_and_flagged(self):
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids
        self.ship(picking)
        self.send_pending()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(picking.amazon_shipment_state, "sent")
        self.assertTrue(
            picking.amazon_shipment_no_tracking,
            msg="a confirmation without tracking is flagged on the delivery",
        )
        package = self.shipments["405-1234567-1234567"][0]
        self.assertEqual(package["trackingNumber"], "")

    def test_tracking_trigger_waits_for_the_tracking_number(self):
        self.account.shipment_confirm_trigger = "tracking"
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids
        self.ship(picking)
        self.assertEqual(picking.amazon_shipment_state, "waiting")
        self.send_pending()
        self.assertEqual(self.fake.count("ordersV0.confirmShipment"), 0)
        picking.carrier_tracking_ref = "LATE-TRACK"
        self.assertEqual(picking.amazon_shipment_state, "to_send")
        self.send_pending()
        package = self.shipments["405-1234567-1234567"][0]
        self.assertEqual(package["trackingNumber"], "LATE-TRACK")

    def test_fba_and_non_amazon_deliveries_need_no_confirmation(self):
        fba = self.make_fbm_order(
            [(self.mug, 1, "ITEM-1")], order_id="405-0000000-0000009"
        )
        fba.amazon_fulfillment_channel = "fba"
        plain = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [
                    (0, 0, {"product_id": self.mug.id, "product_uom_qty": 1})
                ],
            }
        )
        plain.action_confirm()
        self.ship(fba.picking_ids)
        self.ship(plain.picking_ids)
        self.assertEqual(fba.picking_ids.amazon_shipment_state, "not_needed")
        self.assertEqual(plain.picking_ids.amazon_shipment_state, "not_needed")
        with self.no_amazon_calls():
            self.send_pending()

    def test_warehouse_user_without_amazon_rights_can_validate(self):
        user = self.env["res.users"].create(
            {
                "name": "Picker",
                "login": "picker-amz",
                "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        picking = order.picking_ids.with_user(user)
        self.ship(picking, tracking="TRK")
        self.assertEqual(picking.amazon_shipment_state, "to_send")
