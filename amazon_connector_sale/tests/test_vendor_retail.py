# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonThrottled,
)

from .common import AmazonVendorCase, body_errors, sandbox_example

ACK = "vendorOrders.submitAcknowledgement"


@tagged("post_install", "-at_install")
class TestVendorRetail(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_df_import = False

    def test_purchase_orders_import_once_with_parties_lines_and_costs(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            log = self.sync(fake)
            again = self.sync(fake)
        self.assertEqual(log.created, 3, msg="three of the four POs are importable")
        self.assertEqual(log.failed, 1, msg="the PO with an unknown item fails alone")
        self.assertEqual(log.state, "partial")
        self.assertEqual(again.created, 0, msg="a second sync creates nothing")
        self.assertEqual(
            len(fake.queries("vendorOrders.getPurchaseOrders")),
            4,
            msg="two pages of two orders per sync",
        )
        binding = self.vendor_order("2JK3S9VC")
        order = binding.sale_order_id
        self.assertEqual(order.amazon_order_kind, "vendor_retail")
        self.assertEqual(order.amazon_order_id, "2JK3S9VC")
        self.assertTrue(order.name.startswith("AMZ-"), msg="the account's sequence")
        self.assertEqual(order.partner_id.ref, "ABCD", msg="buying party contact")
        self.assertEqual(order.partner_shipping_id.type, "delivery")
        self.assertEqual(order.partner_shipping_id.parent_id, order.partner_id)
        self.assertEqual(order.currency_id, self.usd)
        lines = {line.product_id: line for line in order.order_line}
        self.assertEqual(
            set(lines),
            {self.washer, self.washer_small, self.dryer},
            msg="items found by vendor SKU, barcode and ASIN",
        )
        self.assertEqual(lines[self.washer].price_unit, 346.27, msg="net cost")
        self.assertEqual(lines[self.washer_small].product_uom_qty, 2)
        self.assertEqual(lines[self.dryer].product_uom_qty, 13)
        self.assertEqual(binding.selling_party_id, "999US")
        self.assertEqual(binding.ship_window_start, datetime(2019, 8, 21, 7, 0))
        # One contact per party id, shared by orders of the same party.
        other = self.vendor_order("TestPO2").sale_order_id
        self.assertEqual(other.partner_id, order.partner_id, msg="created once")
        self.assertEqual(
            self.env["res.partner"].search_count([("ref", "=", "ABCD")]),
            2,
            msg="one buying and one ship-to contact for party ABCD",
        )
        failure = self.env["amazon.order.failure"].search(
            [("amazon_order_id", "=", "3TRD2IAB")]
        )
        self.assertIn("B01LNRIIAB", failure.error)
        self.assertEqual(failure.amazon_vendor_kind, "retail")
        self.assertEqual(log.line_ids.amazon_ref, "3TRD2IAB")

    def test_unknown_item_uses_the_placeholder_when_the_account_says_so(self):
        self.account.unknown_sku_policy = "placeholder"
        with self.fake_amazon(self.retail_orders()) as fake:
            log = self.sync(fake)
        self.assertEqual(log.failed, 0)
        line = self.vendor_order("3TRD2IAB").sale_order_id.order_line
        self.assertEqual(line.product_id, self.account.placeholder_product_id)
        self.assertEqual(line.product_uom_qty, 50, msg="5 cases of 10")
        self.assertEqual(line.price_unit, 94.97)

    def test_status_filter_changes_what_is_imported(self):
        self.account.vendor_retail_state_filter = "Acknowledged"
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            query = fake.queries("vendorOrders.getPurchaseOrders")[0]
            self.assertEqual(query["purchaseOrderState"], "Acknowledged")
            imported = self.env["amazon.vendor.order"].search(
                [("account_id", "=", self.account.id)]
            )
            self.assertEqual(imported.mapped("name"), ["TestPO1"])
            self.account.vendor_retail_state_filter = "New"
            self.sync(fake)
        imported = self.env["amazon.vendor.order"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(imported.mapped("name")), ["2JK3S9VC", "TestPO1", "TestPO2"]
        )

    def test_time_range_changes_what_is_imported(self):
        self.window.date_before = datetime(2020, 1, 1)
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            query = fake.queries("vendorOrders.getPurchaseOrders")[0]
            self.assertEqual(query["createdAfter"], "2019-08-01T00:00:00Z")
            self.assertEqual(query["createdBefore"], "2020-01-01T00:00:00Z")
            self.assertTrue(self.vendor_order("2JK3S9VC"))
            self.assertFalse(self.vendor_order("TestPO2"), msg="created in 2020")
            self.window.write(
                {
                    "date_field": "changed",
                    "date_after": datetime(2020, 5, 26, 12),
                    "date_before": datetime(2020, 5, 27),
                }
            )
            self.sync(fake)
            query = fake.queries("vendorOrders.getPurchaseOrders")[-1]
            self.assertIn("changedAfter", query)
        self.assertTrue(self.vendor_order("TestPO2"), msg="changed on 2020-05-26")
        self.assertFalse(self.vendor_order("TestPO1"), msg="changed on 2020-05-27")

    def test_vendor_codes_query_each_code_and_skip_others(self):
        self.env["amazon.vendor.code"].create(
            {"account_id": self.account.id, "name": "API01"}
        )
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
        queries = fake.queries("vendorOrders.getPurchaseOrders")
        self.assertEqual({q["orderingVendorCode"] for q in queries}, {"API01"})
        imported = self.env["amazon.vendor.order"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(imported.mapped("name"), ["TestPO2"])

    def test_acknowledgement_fits_the_model_and_the_order_follows(self):
        orders = self.retail_orders()
        orders[0]["orderDetails"]["items"][2]["isBackOrderAllowed"] = True
        with self.fake_amazon(orders) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            first, second, third = binding.line_ids
            second.write({"ack_qty": 1, "rejection_reason": "TemporarilyUnavailable"})
            third.write(
                {
                    "ack_code": "Backordered",
                    "scheduled_ship_date": datetime(2019, 9, 1, 8, 0),
                }
            )
            binding.action_send_acknowledgement()
            self.assertFalse(fake.bodies(ACK), msg="sent by the job, after the commit")
            self.run_outbox()
        body = fake.bodies(ACK)[0]
        self.assertEqual(body_errors(ACK, body), [], msg="fits SubmitAcknowledgement")
        ack = body["acknowledgements"][0]
        self.assertEqual(ack["purchaseOrderNumber"], "2JK3S9VC")
        self.assertEqual(ack["sellingParty"], {"partyId": "999US"})
        answers = [item["itemAcknowledgements"] for item in ack["items"]]
        self.assertEqual(answers[0][0]["acknowledgementCode"], "Accepted")
        self.assertEqual(
            [
                (a["acknowledgementCode"], a["acknowledgedQuantity"]["amount"])
                for a in answers[1]
            ],
            [("Accepted", 1), ("Rejected", 1)],
            msg="a partial acceptance rejects the rest",
        )
        self.assertEqual(answers[1][1]["rejectionReason"], "TemporarilyUnavailable")
        self.assertEqual(answers[2][0]["scheduledShipDate"], "2019-09-01T08:00:00Z")
        self.assertEqual(binding.ack_state, "accepted", msg="Amazon's verdict read")
        self.assertTrue(binding.ack_transaction_id.startswith("tx-"))
        order = binding.sale_order_id
        self.assertEqual(order.state, "sale", msg="acknowledged orders are confirmed")
        self.assertEqual(second.sale_line_id.product_uom_qty, 1)
        self.assertEqual(second.sale_line_id.price_unit, 229.47, msg="cost kept")

    def test_rejecting_every_item_cancels_the_order(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            binding.line_ids.write(
                {"ack_code": "Rejected", "rejection_reason": "ObsoleteProduct"}
            )
            binding.action_send_acknowledgement()
            self.run_outbox()
        body = fake.bodies(ACK)[0]
        self.assertEqual(body_errors(ACK, body), [])
        answer = body["acknowledgements"][0]["items"][0]["itemAcknowledgements"]
        self.assertEqual(answer[0]["acknowledgementCode"], "Rejected")
        self.assertEqual(answer[0]["acknowledgedQuantity"]["amount"], 20)
        self.assertEqual(binding.sale_order_id.state, "cancel")

    def test_refused_acknowledgement_is_kept_on_the_order(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            fake.errors[ACK] = AmazonInvalidRequest("sellingParty is not complete")
            binding = self.vendor_order("TestPO2")
            binding.action_send_acknowledgement()
            self.run_outbox()
            self.assertEqual(binding.ack_state, "error")
            self.assertIn("sellingParty", binding.ack_error)
            self.assertTrue(
                binding.activity_ids, msg="the responsible user is told by an activity"
            )
            del fake.errors[ACK]
            binding.action_send_acknowledgement()
            self.run_outbox()
        self.assertEqual(binding.ack_state, "accepted", msg="corrected and sent again")
        self.assertEqual(len(binding.outbox_message_ids), 1, msg="one message, reused")

    def test_status_is_read_back_from_amazon(self):
        status = sandbox_example("vendorOrders", "getPurchaseOrdersStatus", 0)
        status = status["payload"]["ordersStatus"][0]
        status["purchaseOrderNumber"] = "2JK3S9VC"
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            self.statuses = [status]
            binding = self.vendor_order("2JK3S9VC")
            binding.action_refresh_status()
        self.assertEqual(binding.po_status, "OPEN")
        first, second, third = binding.line_ids
        self.assertEqual(first.confirmation_status, "ACCEPTED")
        self.assertEqual(second.confirmation_status, "PARTIALLY_ACCEPTED")
        self.assertEqual(second.rejected_qty, 5)
        self.assertEqual(third.receive_status, "NOT_RECEIVED")

    def test_amazon_state_change_updates_the_order(self):
        orders = self.retail_orders()
        with self.fake_amazon(orders) as fake:
            self.sync(fake)
            changed = self.purchase_orders[0]
            changed["purchaseOrderState"] = "Acknowledged"
            changed["orderDetails"]["purchaseOrderChangedDate"] = "2019-08-23T10:00:00Z"
            changed["orderDetails"]["items"][2]["orderedQuantity"]["amount"] = 10
            log = self.sync(fake)
        self.assertEqual(log.updated, 1)
        binding = self.vendor_order("2JK3S9VC")
        self.assertEqual(binding.po_state, "Acknowledged")
        self.assertEqual(binding.sale_order_id.amazon_status, "Acknowledged")
        self.assertEqual(binding.line_ids[2].sale_line_id.product_uom_qty, 10)

    def test_sync_button_and_schedule_run_the_import(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            action = self.account.action_sync_vendor_orders()
            self.assertEqual(action["tag"], "display_notification")
            self.account.write(
                {"vendor_orders_sync_active": True, "vendor_orders_next_run": False}
            )
            self.env["amazon.account"]._cron_run_due("vendor_orders")
        self.assertEqual(
            len(fake.queries("vendorOrders.getPurchaseOrders")), 4, msg="two runs"
        )
        self.assertTrue(self.account.vendor_orders_next_run)

    def test_sync_log_shows_the_cursors_before_and_after(self):
        self.account.vendor_retail_cursor = False
        self.account.vendor_retail_time_range_id = self.env[
            "amazon.vendor.time.range"
        ].create({"name": "Since last (test)", "mode": "since_last"})
        with self.fake_amazon(self.retail_orders()):
            first = self.account._sync_vendor_orders()
            moved = self.account.vendor_retail_cursor
            second = self.account._sync_vendor_orders()
        self.assertTrue(moved, msg="the run moved the cursor")
        self.assertFalse(first.cursor_before, msg="a first run starts from none")
        self.assertEqual(first.cursor_after, f"retail {moved.isoformat()}")
        self.assertEqual(
            second.cursor_before,
            first.cursor_after,
            msg="the next run starts where the last one ended",
        )

    def test_a_fixed_date_run_leaves_the_since_last_import_cursor(self):
        cursor = datetime(2026, 1, 1, 12, 0)
        self.account.vendor_retail_cursor = cursor
        with self.fake_amazon(self.retail_orders()):
            self.account._sync_vendor_orders()
        self.assertEqual(
            self.account.vendor_retail_cursor,
            cursor,
            msg="a one-off look at the past does not move the regular cursor",
        )

    def test_an_order_closed_by_amazon_before_any_answer_is_cancelled_and_told(self):
        orders = self.retail_orders()
        with self.fake_amazon(orders) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            for order in self.purchase_orders:
                if order["purchaseOrderNumber"] == "TestPO2":
                    order["purchaseOrderState"] = "Closed"
            self.sync(fake)
        self.assertEqual(binding.po_state, "Closed")
        self.assertEqual(binding.sale_order_id.state, "cancel", msg="no open quotation")
        self.assertTrue(binding.activity_ids, msg="the responsible user is told")

    def test_a_backordered_item_gets_its_own_delivery_on_its_ship_date(self):
        orders = self.retail_orders()
        orders[0]["orderDetails"]["items"][2]["isBackOrderAllowed"] = True
        when = datetime(2030, 9, 1, 8, 0)
        with self.fake_amazon(orders) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            third = binding.line_ids[2]
            third.write({"ack_code": "Backordered", "scheduled_ship_date": when})
            binding.action_send_acknowledgement()
        pickings = binding.sale_order_id.picking_ids
        later = pickings.filtered(lambda p: p.scheduled_date == when)
        self.assertEqual(len(pickings), 2, msg="the backorder ships apart")
        self.assertEqual(later.move_ids.sale_line_id, third.sale_line_id)

    def test_a_short_throttle_is_waited_in_the_worker_at_the_same_page(self):
        """In the account's scheduled action, a throttle whose budget returns
        soon is waited out (after committing) and the same page read again."""
        schedule = self.account._sync_schedule("vendor_orders")
        waits = []
        with (
            self.fake_amazon(self.retail_orders()) as fake,
            patch.object(
                type(schedule), "_wait", lambda s, seconds: waits.append(seconds)
            ),
        ):
            self.throttle_second_page(fake, retry_after=5)
            log = self.sync(
                fake,
                account=self.account.with_context(amazon_sync_schedule_id=schedule.id),
            )
        tokens = [
            query.get("nextToken")
            for query in fake.queries("vendorOrders.getPurchaseOrders")
        ]
        self.assertEqual(waits, [5])
        self.assertEqual(tokens, [None, "2", "2"], msg="the same page again")
        self.assertNotEqual(log.state, "throttled")
        self.assertEqual(log.created, 3, msg="each order once")
        self.assertFalse(schedule.retry_at)

    @staticmethod
    def throttle_second_page(fake, retry_after):
        """Amazon throttles the first request for a second page, once."""
        page = fake.handlers["vendorOrders.getPurchaseOrders"]
        throttled = []

        def throttle_page_two(operation, params):
            if params.get("nextToken") and not throttled:
                throttled.append(params["nextToken"])
                raise AmazonThrottled(retry_after=retry_after)
            return page(operation, params)

        fake.serve("vendorOrders.getPurchaseOrders", throttle_page_two)

    def test_a_throttled_import_resumes_at_its_next_page(self):
        """Resume exactly where it stopped: the next run reads the page Amazon
        throttled, not the pages before it."""
        with self.fake_amazon(self.retail_orders()) as fake:
            self.throttle_second_page(fake, retry_after=900)
            first = self.sync(fake)
            schedule = self.account._sync_schedule("vendor_orders")
            self.assertEqual(first.state, "throttled")
            self.assertEqual(schedule.resume_data["retail"]["token"], "2")
            second = self.sync(fake)
        tokens = [
            query.get("nextToken")
            for query in fake.queries("vendorOrders.getPurchaseOrders")
        ]
        self.assertEqual(tokens, [None, "2", "2"], msg="page one read once")
        self.assertEqual(first.created + second.created, 3, msg="each order once")
        self.assertFalse(schedule.resume_data, msg="the window is done")
