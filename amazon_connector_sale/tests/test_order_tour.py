# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser test: an Amazon manager syncs orders from the account form (a tour
in Chromium) against the project's local SP-API sandbox."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    sandbox_account_vals,
)

# The tour looks for these ids in Amazon > Orders.
ORDER_IDS = ["408-0000000-0000001", "408-0000000-0000002", "408-0000000-0000003"]


@tagged("post_install", "-at_install")
class TestOrderTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        generated = cls.server.state.generate_orders(60, seed=7, countries=["IT"])
        orders = [
            order
            for order in generated
            if order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
            and order["fulfillment"]["fulfilledBy"] == "MERCHANT"
        ][: len(ORDER_IDS)]
        for order, order_id in zip(orders, ORDER_IDS, strict=True):
            order["orderId"] = order_id
        cls.server.state.reset()
        cls.server.state.add_orders(orders)
        skus = {
            item["product"]["sellerSku"]
            for order in orders
            for item in order["orderItems"]
        }
        cls.env["product.product"].create(
            [{"name": sku, "default_code": sku, "is_storable": True} for sku in skus]
        )
        marketplace = cls.env.ref("amazon_connector.marketplace_it")
        cls.account = cls.env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                marketplace.id,
                name="Tour sandbox account",
                active_marketplace_ids=[(6, 0, marketplace.ids)],
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            )
        )
        cls.manager = new_test_user(
            cls.env,
            login="amazon_tour_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager,"
            "base.group_partner_manager,sales_team.group_sale_salesman_all_leads,"
            "stock.group_stock_user",
        )
        cls.amazon_only_manager = new_test_user(
            cls.env,
            login="amazon_only_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))

    def test_manager_syncs_orders_from_the_account_and_finds_them_in_amazon_orders(
        self,
    ):
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_sale_sync_orders",
            login="amazon_tour_manager",
        )
        self.assertFalse(
            self.env["sale.order"].search(
                [("amazon_account_id", "=", self.account.id)]
            ),
            msg="the button did not import in the user's request",
        )
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_sale_sync_waiting",
            login="amazon_tour_manager",
        )
        schedule = self.account._sync_schedule("orders")
        self.assertEqual(schedule.manual_user_id, self.manager, msg="who asked")
        # What Odoo's cron worker does with the trigger the button created.
        self.env["amazon.sync.schedule"]._cron_run_schedule(schedule.id)
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_sale_orders_listed",
            login="amazon_tour_manager",
        )
        log = self.account.sync_log_ids.filtered(lambda rec: rec.kind == "orders")
        self.assertEqual(log.trigger, "manual", msg="a manual run, in the background")
        orders = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(orders.mapped("amazon_order_id")),
            ORDER_IDS,
            msg="the button imported each sandbox order once",
        )

    def test_amazon_manager_without_sales_rights_can_sync_orders(self):
        """Running syncs is what the Amazon manager group grants: the import must
        not fail on contacts or sale orders the manager has no rights on (the
        scheduled job, running as superuser, would import them)."""
        self.account.with_user(self.amazon_only_manager).action_sync_orders()
        orders = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        failures = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(orders.mapped("amazon_order_id")),
            ORDER_IDS,
            msg="an Amazon manager's sync imports the orders: "
            + "; ".join(failures.mapped("error")),
        )
