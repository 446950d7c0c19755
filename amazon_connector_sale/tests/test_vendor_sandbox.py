# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor orders end to end: the real python-amazon-sp-api client against the
project's local sandbox (which checks every body against Amazon's models)."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    default_skus,
    sandbox_account_vals,
    sku_ean,
)


@tagged("post_install", "-at_install")
class TestVendorSandbox(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        for sku in default_skus():
            cls.env["product.product"].create(
                {
                    "name": sku,
                    "barcode": sku_ean(sku),
                    "is_storable": True,
                    "invoice_policy": "order",
                }
            )
        window = cls.env["amazon.vendor.time.range"].create(
            {
                "name": "Created in the last 8 days",
                "date_field": "created",
                "window_number": 8,
            }
        )
        cls.account = cls.env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                cls.env.ref("amazon_connector.marketplace_it").id,
                name="Sandbox vendor",
                account_type="vendor",
                vendor_retail_time_range_id=window.id,
                vendor_df_time_range_id=window.id,
                vendor_df_import=True,
            )
        )

    def test_vendor_orders_round_trip_through_the_real_client(self):
        state = self.server.state
        purchase_orders = state.generate_purchase_orders(5, seed=7)
        df_orders = state.generate_df_orders(3, seed=8)
        for order in df_orders:
            details = state.df_orders[order["purchaseOrderNumber"]]["orderDetails"]
            details["shipmentDetails"]["isPslipRequired"] = True
        self.account.vendor_df_label_source = "amazon"
        first = self.account._sync_vendor_orders()
        self.assertEqual(
            first.failed, 0, msg=first.line_ids.mapped("reason") or first.message
        )
        log = self.account._sync_vendor_orders()
        self.assertEqual(log.created, 0, msg="the second sync creates nothing")
        bindings = self.env["amazon.vendor.order"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(bindings.mapped("name")),
            sorted(o["purchaseOrderNumber"] for o in purchase_orders + df_orders),
            msg="every purchase order and DF order exactly once",
        )
        retail = bindings.filtered(lambda b: b.kind == "retail")[0]
        outbox = self.env["amazon.outbox.message"]
        retail.action_send_acknowledgement()
        self.assertEqual(retail.ack_state, "queued")
        outbox._cron_process()
        self.assertEqual(retail.ack_state, "sent", msg=retail.ack_error)
        self.assertEqual(len(state.acknowledgements), 1, msg="arrived in the sandbox")
        outbox._cron_process()
        self.assertEqual(retail.ack_state, "accepted", msg="getTransaction: Success")
        retail.action_refresh_status()
        self.assertEqual(retail.line_ids[0].confirmation_status, "ACCEPTED")
        invoice = retail.sale_order_id._create_invoices()
        invoice.action_post()
        self.env.company.write(
            {
                "street": "Via Roma 1",
                "city": "Milano",
                "zip": "20100",
                "country_id": self.env.ref("base.it").id,
                "vat": "IT12345670017",
            }
        )
        self.env["amazon.vendor.party"].search(
            [("account_id", "=", self.account.id)]
        ).write({"vat": "LU20260743"})
        invoice.action_amazon_vendor_submit_invoice()
        outbox._cron_process()
        self.assertEqual(
            invoice.amazon_vendor_invoice_state,
            "sent",
            msg=invoice.amazon_vendor_invoice_error,
        )
        self.assertEqual(len(state.invoices), 1)

        df = bindings.filtered(lambda b: b.kind == "df")[0]
        df.action_send_acknowledgement()
        outbox._cron_process()
        self.assertIn(df.ack_state, ("sent", "accepted"), msg=df.ack_error)
        picking = df.sale_order_id.picking_ids
        documents = self.env["ir.attachment"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(
            sorted(d.description.split()[0] for d in documents),
            ["amazon_connector:df_label", "amazon_connector:df_packing_slip"],
            msg="Amazon's packing slip and label on the delivery",
        )
        self.assertTrue(documents.filtered(lambda d: d.raw.startswith(b"%PDF")))
        self.assertTrue(picking.carrier_tracking_ref, msg="the label's tracking number")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(len(state.shipments), 0, msg="validation never calls Amazon")
        outbox._cron_process()
        self.assertEqual(df.shipment_state, "sent", msg=df.shipment_error)
        self.assertEqual(len(state.shipments), 1)
        container = state.shipments[0]["body"]["shipmentConfirmations"][0][
            "containers"
        ][0]
        self.assertEqual(container["trackingNumber"], picking.carrier_tracking_ref)
        self.assertEqual(
            state.df_orders[df.name]["orderDetails"]["orderStatus"], "SHIPPED"
        )
