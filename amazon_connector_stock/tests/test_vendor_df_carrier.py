# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Direct Fulfillment shipment confirmations carry Amazon's carrier code (from the
carrier table of this addon) and the parcel's real weight."""

from odoo.tests import tagged

from odoo.addons.amazon_connector_sale.tests.common import (
    AmazonVendorCase,
    body_errors,
    df_example,
)

DF_SHIP = "vendorDfShipping.submitShipmentConfirmations"


@tagged("post_install", "-at_install")
class TestVendorDfCarrier(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False
        cls.washer.weight = 2.5
        cls.washer_small.weight = 1.5
        cls.dryer.weight = 1.0
        cls.gadget.weight = 0.5
        cls.gadget2.weight = 0.5

    def accepted_order(self, fake):
        self.sync(fake)
        binding = self.vendor_order("2JK3S9VC")
        binding.action_send_acknowledgement()
        self.run_outbox()
        return binding

    def ship(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()

    def test_confirmation_carries_real_weight_and_amazons_carrier_code(self):
        carrier_product = self.env["product.product"].create(
            {"name": "Shipping", "type": "service"}
        )
        carrier = self.env["delivery.carrier"].create(
            {"name": "My UPS account", "product_id": carrier_product.id}
        )
        ups = self.env["amazon.carrier"].search([("code", "=", "UPS")], limit=1)
        carrier.amazon_carrier_id = ups
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            binding = self.accepted_order(fake)
            picking = binding.sale_order_id.picking_ids
            picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": "1Z999"})
            self.ship(picking)
            self.run_outbox()
        body = fake.bodies(DF_SHIP)[0]
        self.assertEqual(body_errors(DF_SHIP, body), [])
        container = body["shipmentConfirmations"][0]["containers"][0]
        self.assertEqual(container["carrier"], "UPS", msg="Amazon's code, not the name")
        self.assertNotEqual(container["weight"]["value"], "0", msg="real weight")
        self.assertEqual(
            float(container["weight"]["value"]),
            picking.shipping_weight or picking.weight,
        )
