# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every vendor message to Amazon is recorded before it is sent, sent once by the
outbox job, and Amazon's verdict is read back."""

import base64
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AmazonVendorCase, body_errors, df_example

ACK = "vendorOrders.submitAcknowledgement"
DF_ACK = "vendorDfOrders.submitAcknowledgement"
DF_SHIP = "vendorDfShipping.submitShipmentConfirmations"
DF_INVOICE = "vendorDfPayments.submitInvoice"
GET_TX = "vendorTransactionStatus.getTransaction"


@tagged("post_install", "-at_install")
class TestVendorOutbox(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_df_import = False
        cls.account.user_id = cls.env.ref("base.user_admin")

    def test_a_sale_order_confirmation_error_sends_nothing_to_amazon(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            with (
                patch.object(
                    type(self.env["sale.order"]),
                    "action_confirm",
                    side_effect=UserError("No route for this product."),
                ),
                self.assertRaises(UserError),
            ):
                binding.action_send_acknowledgement()
            self.run_outbox()
        self.assertFalse(fake.bodies(ACK), msg="Amazon got no acknowledgement")
        self.assertFalse(self.outbox("retail_ack"), msg="nothing left to send")

    def test_a_lost_answer_is_settled_from_amazons_state_never_resent(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            fake.lost_answers.add(ACK)
            binding.action_send_acknowledgement()
            self.run_outbox()
            message = self.outbox("retail_ack")
            self.assertEqual(message.state, "unknown", msg="Amazon may have it")
            self.assertEqual(binding.ack_state, "unknown")
            self.assertTrue(binding.activity_ids, msg="the responsible is warned")
            with self.assertRaises(UserError, msg="no second message by hand"):
                binding.action_send_acknowledgement()
            fake.lost_answers.clear()
            self.run_outbox()
            self.assertEqual(
                message.state, "unknown", msg="Amazon does not show it yet: wait"
            )
            self.statuses = [
                {
                    "purchaseOrderNumber": "TestPO2",
                    "itemStatus": [
                        {
                            "itemSequenceNumber": "1",
                            "acknowledgementStatus": {"confirmationStatus": "ACCEPTED"},
                        }
                    ],
                }
            ]
            self.run_outbox()
        self.assertEqual(message.state, "accepted", msg="settled by Amazon's state")
        self.assertEqual(binding.ack_state, "accepted")
        self.assertEqual(len(fake.bodies(ACK)), 1, msg="exactly one at Amazon")

    def test_amazons_failure_verdict_reaches_the_document_and_the_responsible(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            binding.action_send_acknowledgement()
            tx = f"tx-{len(fake.calls) + 1}"
            self.verdicts[tx] = [
                {"status": "Processing"},
                {
                    "status": "Failure",
                    "errors": [
                        {
                            "code": "InvalidItem",
                            "message": "Item 1 is not on the order",
                            "details": "itemSequenceNumber",
                        }
                    ],
                },
            ]
            self.run_outbox()
            self.assertEqual(binding.ack_state, "sent", msg="Amazon still processes")
            self.run_outbox()
        self.assertEqual(binding.ack_state, "error")
        self.assertIn("Item 1 is not on the order", binding.ack_error)
        message = self.outbox("retail_ack")
        self.assertIn("InvalidItem", message.verdict, msg="Amazon's error in words")
        activity = binding.activity_ids
        self.assertEqual(activity.user_id, self.account.user_id)
        self.assertEqual(len(fake.queries(GET_TX)), 2, msg="verdict read back")

    def test_an_error_of_the_document_never_loses_amazons_answer(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            binding.action_send_acknowledgement()
            with (
                patch.object(
                    type(binding),
                    "_amazon_outbox_updated",
                    side_effect=ValueError("broken follow-up"),
                ),
                self.assertLogs(
                    "odoo.addons.amazon_connector_sale.models.amazon_outbox_message",
                    level="ERROR",
                ),
            ):
                self.run_outbox()
        message = self.outbox("retail_ack")
        self.assertEqual(message.state, "accepted")
        self.assertTrue(message.transaction_id, msg="Amazon's transaction id kept")

    def test_one_message_per_document_and_kind(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            outbox = self.env["amazon.outbox.message"]
            first = outbox._post(self.account, "retail_ack", binding, {"a": 1})
            second = outbox._post(self.account, "retail_ack", binding, {"a": 2})
        self.assertEqual(first, second, msg="a retry finds the same message")
        self.assertEqual(first.payload, {"a": 1}, msg="what was recorded is sent")

    def test_a_message_cut_off_while_sending_becomes_unknown(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            binding.action_send_acknowledgement()
            message = self.outbox("retail_ack")
            message.state = "sending"
            message.flush_recordset()
            self.env.cr.execute(
                "UPDATE amazon_outbox_message SET write_date = now() - "
                "interval '1 hour' WHERE id = %s",
                (message.id,),
            )
            message.invalidate_recordset()
            self.run_outbox()
        self.assertEqual(message.state, "unknown", msg="never sent again blindly")
        self.assertFalse(fake.bodies(ACK))


@tagged("post_install", "-at_install")
class TestVendorDirectFulfillmentComplete(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False
        cls.company.write(
            {
                "street": "1 Vendor Street",
                "city": "Milano",
                "zip": "20100",
                "country_id": cls.env.ref("base.it").id,
                "vat": "IT12345670017",
            }
        )
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

    def ship(self, picking, quantities=None):
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(
                move.product_id, move.product_uom_qty
            )
        picking.move_ids.picked = True
        picking._action_done()

    def test_each_delivery_confirms_its_own_items(self):
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            binding = self.accepted_order(fake)
            picking = binding.sale_order_id.picking_ids
            product = picking.move_ids.filtered(lambda m: m.product_uom_qty == 2)
            self.ship(picking, {product.product_id: 1})
            backorder = binding.sale_order_id.picking_ids - picking
            self.assertTrue(backorder, msg="the rest is a backorder")
            self.run_outbox()
            self.ship(backorder)
            self.run_outbox()
        bodies = fake.bodies(DF_SHIP)
        self.assertEqual(len(bodies), 2, msg="one confirmation per delivery")
        shipped = [
            sorted(
                i["shippedQuantity"]["amount"]
                for i in body["shipmentConfirmations"][0]["items"]
            )
            for body in bodies
        ]
        self.assertEqual(shipped, [[1, 1], [1]], msg="each its own items")
        self.assertEqual(binding.shipment_state, "accepted")

    def test_a_warehouse_user_validating_a_df_delivery_queues_its_confirmation(self):
        user = self.env["res.users"].create(
            {
                "name": "Warehouse clerk",
                "login": "df-clerk",
                "groups_id": [(6, 0, [self.env.ref("stock.group_stock_user").id])],
            }
        )
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            binding = self.accepted_order(fake)
            picking = binding.sale_order_id.picking_ids.with_user(user)
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking._action_done()
            self.run_outbox()
        self.assertEqual(len(fake.bodies(DF_SHIP)), 1)
        self.assertEqual(binding.shipment_state, "accepted")

    def test_packing_slip_is_attached_when_amazon_requires_it(self):
        orders = df_example()["orders"]
        orders[0]["orderDetails"]["shipmentDetails"]["isPslipRequired"] = True
        with self.fake_amazon(df_orders=orders) as fake:
            self.packing_slips["2JK3S9VC"] = base64.b64encode(b"%PDF-1.4 slip").decode()
            binding = self.accepted_order(fake)
        self.assertTrue(binding.is_pslip_required)
        picking = binding.sale_order_id.picking_ids
        slip = self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(len(slip), 1, msg="Amazon's packing slip on the delivery")
        self.assertEqual(slip.raw, b"%PDF-1.4 slip")
        self.assertTrue(slip.description.startswith("amazon_connector:df_packing_slip"))

    def test_a_df_acknowledgement_settled_after_a_lost_answer_fetches_the_slip(self):
        orders = df_example()["orders"]
        orders[0]["orderDetails"]["shipmentDetails"]["isPslipRequired"] = True
        with self.fake_amazon(df_orders=orders) as fake:
            self.packing_slips["2JK3S9VC"] = base64.b64encode(b"%PDF-1.4").decode()
            fake.lost_answers.add(DF_ACK)
            binding = self.accepted_order(fake)
            self.assertEqual(binding.ack_state, "unknown")
            self.df_order_status["2JK3S9VC"] = "ACCEPTED"
            self.run_outbox()
        self.assertEqual(binding.ack_state, "accepted", msg="settled by getOrder")
        self.assertEqual(len(fake.bodies(DF_ACK)), 1, msg="never sent twice")
        picking = binding.sale_order_id.picking_ids
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
            ),
            1,
        )

    def test_df_invoice_goes_through_df_payments_with_its_verdict(self):
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            binding = self.accepted_order(fake)
            self.ship(binding.sale_order_id.picking_ids)
            invoice = binding.sale_order_id._create_invoices()
            invoice.action_post()
            with self.assertRaises(UserError) as refused:
                invoice.action_amazon_vendor_submit_invoice()
            self.assertIn("bill-to party", str(refused.exception))
            self.env["amazon.vendor.party"].search(
                [("account_id", "=", self.account.id)]
            ).write({"vat": "LU20260743"})
            invoice.action_amazon_vendor_submit_invoice()
            self.run_outbox()
        body = fake.bodies(DF_INVOICE)[0]
        self.assertEqual(body_errors(DF_INVOICE, body), [], msg="fits DF Payments")
        sent = body["invoices"][0]
        self.assertEqual(sent["invoiceNumber"], invoice.name)
        self.assertEqual(sent["shipFromParty"], {"partyId": "ABCD"})
        self.assertEqual(invoice.amazon_vendor_invoice_state, "accepted")
        self.assertEqual(self.outbox("df_invoice").move_id, invoice)


@tagged("post_install", "-at_install")
class TestVendorInvoiceChecks(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_df_import = False
        cls.account.write(
            {
                "region": "eu",
                "home_marketplace_id": cls.env.ref(
                    "amazon_connector.marketplace_de"
                ).id,
            }
        )

    def invoice(self, fake):
        self.sync(fake)
        binding = self.vendor_order("2JK3S9VC")
        binding.action_send_acknowledgement()
        self.run_outbox()
        invoice = binding.sale_order_id._create_invoices()
        invoice.action_post()
        return invoice

    def test_an_eu_invoice_without_vat_and_address_is_refused_naming_them(self):
        self.company.write({"vat": False, "street": False})
        with self.fake_amazon(self.retail_orders()) as fake:
            invoice = self.invoice(fake)
            with self.assertRaises(UserError) as refused:
                invoice.action_amazon_vendor_submit_invoice()
        text = str(refused.exception)
        self.assertIn("VAT number of", text, msg="the vendor's VAT is named")
        self.assertIn("street", text, msg="the missing address part is named")
        self.assertIn("bill-to party", text)
        self.assertFalse(fake.bodies("vendorInvoices.submitInvoices"))
        self.assertFalse(invoice.amazon_vendor_invoice_state)

    def test_an_eu_invoice_line_without_taxes_is_refused(self):
        self.company.write(
            {
                "vat": "DE123456788",
                "street": "Hauptstr. 1",
                "city": "Berlin",
                "zip": "10115",
                "country_id": self.env.ref("base.de").id,
            }
        )
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            self.env["amazon.vendor.party"].search(
                [("account_id", "=", self.account.id)]
            ).write({"vat": "LU20260743"})
            binding = self.vendor_order("2JK3S9VC")
            binding.action_send_acknowledgement()
            invoice = binding.sale_order_id._create_invoices()
            invoice.invoice_line_ids[:1].tax_ids = False
            invoice.action_post()
            with self.assertRaises(UserError) as refused:
                invoice.action_amazon_vendor_submit_invoice()
        self.assertIn("taxes of line", str(refused.exception))


@tagged("post_install", "-at_install")
class TestVendorDirectFulfillmentInventory(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.env["amazon.vendor.code"].create(
            {
                "account_id": cls.account.id,
                "name": "999US",
                "use_retail": False,
                "use_direct_fulfillment": True,
                "ship_from_party_id": "ABCD",
                "warehouse_id": cls.warehouse.id,
            }
        )

    def test_available_quantities_of_each_df_warehouse_go_to_amazon(self):
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            self.sync(fake)
            products = self.vendor_order("2JK3S9VC").line_ids.product_id
            self.env["stock.quant"]._update_available_quantity(
                products[0], self.warehouse.lot_stock_id, 7
            )
            self.account._push_vendor_df_inventory()
            self.account._push_vendor_df_inventory()
            self.assertEqual(
                len(self.outbox("df_inventory")), 1, msg="a newer push replaces"
            )
            self.run_outbox()
        operation = "vendorDfInventory.submitInventoryUpdate"
        (call,) = fake.queries(operation)
        self.assertEqual(call["warehouseId"], "ABCD")
        self.assertEqual(body_errors(operation, call["body"]), [])
        amounts = sorted(
            i["availableQuantity"]["amount"] for i in call["body"]["inventory"]["items"]
        )
        self.assertEqual(amounts, [0, 7])
        self.assertEqual(self.outbox("df_inventory").state, "accepted")
