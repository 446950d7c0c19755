# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import gzip
from datetime import datetime

from odoo.tests import tagged

from .common import AmazonMoneyCase

FBM_HEADER = (
    "Order ID\tOrder date\tReturn request date\tReturn request status\t"
    "Amazon RMA ID\tMerchant SKU\tReturn quantity\tReturn reason\t"
    "Return delivery date"
)
FBA_HEADER = (
    "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\t"
    "fulfillment-center-id\tdetailed-disposition\treason\tstatus\t"
    "license-plate-number"
)


def tsv(header, rows):
    return gzip.compress(("\n".join([header, *rows]) + "\n").encode())


def fbm_row(order_id, sku="CUP-1", qty=1, rma="RMA-1", delivered="2026-03-12"):
    return "\t".join(
        [
            order_id,
            "2026-03-01",
            "2026-03-08",
            "Approved",
            rma,
            sku,
            str(qty),
            "DEFECTIVE",
            delivered,
        ]
    )


def fba_row(
    order_id, disposition="SELLABLE", plate="LPN-1", date="2026-03-12T10:00:00+00:00"
):
    return "\t".join(
        [
            date,
            order_id,
            "CUP-1",
            "B0TESTASIN",
            "X00CUP1",
            "Espresso cup",
            "1",
            "FRA7",
            disposition,
            "UNWANTED_ITEM",
            "Unit returned to inventory",
            plate,
        ]
    )


@tagged("post_install", "-at_install", "amazon_accounting")
class TestReturns(AmazonMoneyCase):
    def setUp(self):
        super().setUp()
        self.account.return_import_active = True

    def run_returns(self):
        """Request the reports, then read them (Amazon prepares them meanwhile)."""
        self.account.action_amazon_import_returns()
        self.account.action_amazon_import_returns()
        self.assertBodiesFitAmazonModels()
        return self.env["amazon.sync.log"].search(
            [("kind", "=", "returns")], limit=1, order="id desc"
        )

    def qty(self, product, location):
        return product.with_context(location=location.id).qty_available

    def test_fbm_return_comes_back_through_a_return_of_the_delivery(self):
        order = self.import_orders([self.order_payload("IT-RET-1")])
        delivery = self.ship(order)
        stock = self.warehouse.lot_stock_id
        before = self.qty(self.product, stock)
        self.fake.reports["GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"] = tsv(
            FBM_HEADER, [fbm_row("IT-RET-1")]
        )
        self.run_returns()
        ret = self.env["amazon.return"].search([("amazon_order_id", "=", "IT-RET-1")])
        self.assertEqual(ret.state, "done", msg=ret.message)
        self.assertEqual(ret.picking_id.return_id, delivery, msg="Odoo's own return")
        self.assertEqual(self.qty(self.product, stock), before + 1, msg="back in stock")
        self.assertFalse(
            self.fake.count("reports.createReport") > 2, msg="one request per report"
        )

    def test_importing_the_same_returns_twice_changes_nothing(self):
        order = self.import_orders([self.order_payload("IT-RET-2")])
        self.ship(order)
        document = tsv(FBM_HEADER, [fbm_row("IT-RET-2")])
        self.fake.reports["GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"] = document
        self.run_returns()
        self.run_returns()
        self.assertEqual(
            self.env["amazon.return"].search_count(
                [("amazon_order_id", "=", "IT-RET-2")]
            ),
            1,
        )
        self.assertEqual(len(order.picking_ids.filtered("return_id")), 1)

    def test_fba_sellable_return_goes_to_the_fba_location_damaged_elsewhere(self):
        self.import_orders(
            [
                self.order_payload(
                    "DE-FBA-RET", country="DE", fulfilled_by="AMAZON", status="SHIPPED"
                )
            ]
        )
        fba = self.account.fba_location_id
        damaged = self.account.fba_damaged_location_id
        before = self.qty(self.product, fba)
        self.fake.reports["GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"] = tsv(
            FBA_HEADER,
            [
                fba_row("DE-FBA-RET", "SELLABLE", "LPN-A"),
                fba_row("DE-FBA-RET", "CUSTOMER_DAMAGED", "LPN-B"),
            ],
        )
        self.run_returns()
        self.assertEqual(self.qty(self.product, fba), before + 1)
        self.assertEqual(self.qty(self.product, damaged), 1)

    def snapshot(self, fulfillable, read_at):
        """Amazon's FBA inventory of the cup, read at ``read_at``, applied."""
        Inventory = self.env["amazon.fba.inventory"]
        line = Inventory.search([("sku", "=", "CUP-1")]) or Inventory.create(
            {
                "account_id": self.account.id,
                "marketplace_id": self.account.home_marketplace_id.id,
                "sku": "CUP-1",
                "product_id": self.product.id,
            }
        )
        line.write({"fulfillable_qty": fulfillable, "import_date": read_at})
        self.env["amazon.fba.inventory.importer"]._apply_quantities(
            self.account, line, None, None
        )

    def test_fba_return_already_in_amazons_inventory_snapshot_is_not_counted_twice(
        self,
    ):
        self.import_orders(
            [self.order_payload("DE-FBA-SNAP", fulfilled_by="AMAZON", status="SHIPPED")]
        )
        fba = self.account.fba_location_id
        self.snapshot(50, datetime(2026, 3, 15))
        self.assertEqual(self.qty(self.product, fba), 50)
        self.fake.reports["GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"] = tsv(
            FBA_HEADER, [fba_row("DE-FBA-SNAP", plate="LPN-S")]
        )
        self.run_returns()
        ret = self.env["amazon.return"].search([("return_key", "=", "LPN-S")])
        self.assertEqual(ret.state, "counted")
        self.assertEqual(
            self.qty(self.product, fba),
            50,
            msg="the FBA inventory read on 15 March counts the return of the 12th",
        )

    def test_fba_return_between_two_snapshots_is_counted_once(self):
        self.import_orders(
            [self.order_payload("DE-FBA-BTW", fulfilled_by="AMAZON", status="SHIPPED")]
        )
        fba = self.account.fba_location_id
        self.snapshot(50, datetime(2026, 3, 10))
        self.fake.reports["GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"] = tsv(
            FBA_HEADER, [fba_row("DE-FBA-BTW", plate="LPN-B")]
        )
        self.run_returns()
        ret = self.env["amazon.return"].search([("return_key", "=", "LPN-B")])
        self.assertEqual(ret.state, "done")
        self.assertEqual(ret.move_id.amazon_fba_date, datetime(2026, 3, 12, 10, 0))
        self.assertEqual(self.qty(self.product, fba), 51, msg="returned on the 12th")
        # The next count, read on the 15th, has the returned unit: nothing moves.
        moves = self.env["stock.move"].search_count(
            [("product_id", "=", self.product.id)]
        )
        self.snapshot(51, datetime(2026, 3, 15))
        self.assertEqual(self.qty(self.product, fba), 51)
        self.assertEqual(
            self.env["stock.move"].search_count([("product_id", "=", self.product.id)]),
            moves,
        )
        # The same count of the 10th imported again does not undo the return.
        self.snapshot(50, datetime(2026, 3, 10))
        self.assertEqual(self.qty(self.product, fba), 51)

    def test_bad_rows_are_failures_with_their_row_and_the_rest_continues(self):
        order = self.import_orders([self.order_payload("IT-RET-3")])
        self.ship(order)
        self.fake.reports["GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"] = tsv(
            FBM_HEADER,
            [
                fbm_row("IT-RET-3", qty="many", rma="RMA-X"),
                fbm_row("NOT-AN-ORDER", rma="RMA-Y"),
                fbm_row("IT-RET-3", rma="RMA-Z"),
            ],
        )
        log = self.run_returns()
        self.assertEqual(log.state, "partial")
        reasons = dict(
            zip(
                log.line_ids.mapped("amazon_ref"),
                log.line_ids.mapped("reason"),
                strict=True,
            )
        )
        self.assertIn("row 2", reasons, msg="the row number is given")
        self.assertIn("row 3", reasons)
        ok = self.env["amazon.return"].search([("return_key", "like", "RMA-Z")])
        self.assertEqual(ok.state, "done")
