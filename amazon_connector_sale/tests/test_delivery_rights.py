# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Validating a delivery depends on stock rights only, never on sales or Amazon
rights, and never calls Amazon (issue 11, section 1)."""

from odoo.tests import Form, tagged

from .common import AmazonVendorCase, df_example

DF_SHIP = "vendorDfShipping.submitShipmentConfirmations"


@tagged("post_install", "-at_install")
class TestDeliveryValidationRights(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False
        cls.account.fbm_warehouse_id = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        # Odoo's sale_stock scenario: a stock manager whose sales right is "own
        # documents only", without any Amazon right.
        cls.stock_manager = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Stock manager, own sales only",
                    "login": "amz_stock_manager_own_sales",
                    "email": "amz_stock_manager_own_sales@example.com",
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                cls.env.ref("base.group_user").id,
                                cls.env.ref("stock.group_stock_manager").id,
                                cls.env.ref("sales_team.group_sale_salesman").id,
                            ],
                        )
                    ],
                }
            )
        )

    def validate_partially_without_backorder(self, picking):
        # Nothing read as superuser may hide the stock manager's own reads.
        self.env.invalidate_all()
        picking.with_user(self.stock_manager).move_ids.write(
            {"quantity": 1, "picked": True}
        )
        action = picking.with_user(self.stock_manager).button_validate()
        wizard = Form.from_action(self.env(user=self.stock_manager), action).save()
        wizard.process_cancel_backorder()

    def test_stock_manager_validates_the_delivery_of_someone_elses_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                # someone else's order: the stock manager may not read it
                "user_id": self.env.ref("base.user_admin").id,
                "order_line": [
                    (0, 0, {"product_id": self.washer.id, "product_uom_qty": 5})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        self.validate_partially_without_backorder(picking)
        self.assertEqual(picking.state, "done", msg="validated without sales rights")

    def df_shipment_messages(self, binding):
        return binding.outbox_message_ids.filtered(lambda m: m.kind == "df_shipment")

    def test_stock_manager_validates_a_df_delivery_and_only_queues_it(self):
        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            binding.action_send_acknowledgement()
            self.run_outbox()
            picking = binding.sale_order_id.picking_ids
            self.env.invalidate_all()
            picking.with_user(self.stock_manager).move_ids.write({"picked": True})
            for move in picking.move_ids:
                move.with_user(self.stock_manager).quantity = move.product_uom_qty
            picking.with_user(self.stock_manager).button_validate()
            self.assertEqual(picking.state, "done", msg="no Amazon right needed")
            self.assertEqual(
                fake.bodies(DF_SHIP), [], msg="validation never calls Amazon"
            )
            message = self.df_shipment_messages(binding)
            self.assertEqual(message.state, "pending", msg="queued in the outbox")
            self.assertEqual(message.picking_id, picking)
            self.run_outbox()
            self.assertEqual(len(fake.bodies(DF_SHIP)), 1, msg="sent by the job")
            self.assertIn(message.state, ("sent", "accepted"), msg=message.error)
            self.run_outbox()
        self.assertEqual(len(fake.bodies(DF_SHIP)), 1, msg="never sent twice")

    def test_a_throttled_df_confirmation_is_retried_by_the_job(self):
        from odoo.addons.amazon_connector.exceptions import AmazonThrottled

        with self.fake_amazon(df_orders=df_example()["orders"]) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            binding.action_send_acknowledgement()
            self.run_outbox()
            picking = binding.sale_order_id.picking_ids
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking._action_done()
            message = self.df_shipment_messages(binding)
            fake.errors[DF_SHIP] = AmazonThrottled(retry_after=0)
            self.run_outbox()
            self.assertEqual(message.state, "pending", msg="kept to send again")
            self.assertTrue(message.error, msg="the refusal is shown on the message")
            self.assertTrue(message.next_attempt_date, msg="retried when allowed")
            del fake.errors[DF_SHIP]
            message.next_attempt_date = False  # Amazon's retry time has come
            self.run_outbox()
            self.assertIn(message.state, ("sent", "accepted"), msg=message.error)
            tries = len(fake.bodies(DF_SHIP))
            self.run_outbox()
        self.assertEqual(len(fake.bodies(DF_SHIP)), tries, msg="never sent again")
