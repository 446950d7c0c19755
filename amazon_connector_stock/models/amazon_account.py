# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.amazon_connector.models.amazon_sync_schedule_mixin import (
    schedule_fields,
)


class AmazonAccount(models.Model):
    _inherit = "amazon.account"

    # --- shipment confirmation -----------------------------------------------
    shipment_confirm_trigger = fields.Selection(
        [
            ("validation", "When the delivery is validated"),
            ("tracking", "When a tracking number is set"),
        ],
        string="Confirm Shipments",
        default="validation",
        required=True,
        help="When Amazon is told that an FBM delivery shipped. 'Tracking number': "
        "validated deliveries wait until their tracking reference is filled in "
        "(e.g. by a carrier integration).",
    )
    # --- stock quantities (FBM) ----------------------------------------------
    stock_reserve_qty = fields.Integer(
        string="Safety Reserve",
        default=0,
        help="Units kept out of Amazon's available quantity for each product.",
    )
    stock_max_qty = fields.Integer(
        string="Maximum Quantity",
        default=0,
        help="Never offer more than this many units per listing (0: no maximum).",
    )
    stock_feed_threshold = fields.Integer(
        string="Feed Threshold",
        default=20,
        help="Above this many changed quantities in a marketplace, they are sent as "
        "one JSON_LISTINGS_FEED instead of one call per SKU.",
    )
    stock_push_delay = fields.Integer(
        string="Push Delay (minutes)",
        default=5,
        help="After a delivery or receipt of a synced product is validated, the "
        "quantities are pushed at most this many minutes later; validations "
        "within the delay are sent together.",
    )
    # --- schedules (kinds "stock" and "fba_inventory") ---------------------
    (
        stock_sync_active,
        stock_interval_number,
        stock_interval_type,
        stock_next_run,
    ) = schedule_fields("stock", "Stock Push", 1, "hours")
    (
        fba_inventory_sync_active,
        fba_inventory_interval_number,
        fba_inventory_interval_type,
        fba_inventory_next_run,
    ) = schedule_fields("fba_inventory", "FBA Inventory", 1, "days")

    stock_feed_ids = fields.One2many("amazon.stock.feed", "account_id")
    fba_inventory_ids = fields.One2many("amazon.fba.inventory", "account_id")

    def _amazon_available_quantities(self, products):
        """Offer on publication exactly what the stock push would send.

        A sales list publishing the raw free quantity while the push sends it
        less the reserve and capped would make the two overwrite each other on
        every run; both use the pusher's rule (FBM stock location only, reserve,
        cap, never negative).
        """
        self.ensure_one()
        pusher = self.env["amazon.stock.pusher"]
        location = pusher._get_stock_location(self)
        storable = (
            products.filtered("is_storable")
            .with_context(location=location.id if location else False)
            .with_company(self.company_id)
        )
        storable.invalidate_recordset(["free_qty"])
        return {p.id: pusher._quantity_for(self, p.free_qty) for p in storable}

    # --- running ---------------------------------------------------------------
    def action_push_stock(self):
        """Push the changed FBM quantities of these accounts now.

        Synchronous, also when called from code: returns once the patches are
        sent and the feeds submitted (their reports are read right away when
        Amazon was fast, else by the feed check job).

        :return: a client notification with the counts and a link to the log
        """
        logs = self.env["amazon.sync.log"]
        for account in self._as_sync_runner():
            logs |= account.env["amazon.stock.pusher"]._run(account, trigger="manual")
        return self._stock_sync_notification(logs, self.env._("Amazon stock push"))

    def action_import_fba_inventory(self):
        """Import the FBA inventory of these accounts now (synchronous).

        :return: a client notification with the counts and a link to the log
        """
        logs = self.env["amazon.sync.log"]
        for account in self._as_sync_runner():
            logs |= account.env["amazon.fba.inventory.importer"]._run(
                account, trigger="manual"
            )
        return self._stock_sync_notification(logs, self.env._("Amazon FBA inventory"))

    def _stock_sync_notification(self, logs, title):
        return self._notify_logs(title, logs)

    def action_view_stock_feeds(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_stock.amazon_stock_feed_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def action_view_fba_inventory(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_stock.amazon_fba_inventory_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    # --- scheduling hooks (called by the core scheduler) -----------------------
    def _run_scheduled_stock(self):
        for account in self:
            self.env["amazon.stock.pusher"]._run(account, trigger="scheduled")

    def _run_scheduled_fba_inventory(self):
        for account in self:
            self.env["amazon.fba.inventory.importer"]._run(account, trigger="scheduled")

    # --- overview (the account card of the Amazon app) -------------------------
    overview_failed_confirmations = fields.Integer(
        string="Failed Confirmations",
        compute="_compute_overview_failed_confirmations",
        help="Deliveries whose shipment confirmation Amazon refused.",
    )

    def _failed_confirmations_domain(self):
        return [
            ("sale_id.amazon_account_id", "=", self.id),
            ("amazon_shipment_state", "=", "failed"),
        ]

    def _compute_overview_failed_confirmations(self):
        Picking = self.env["stock.picking"].sudo()
        for account in self:
            account.overview_failed_confirmations = (
                Picking.search_count(account._failed_confirmations_domain())
                if account.id
                else 0
            )

    def action_view_failed_confirmations(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_stock.stock_picking_amazon_failed_action"
        )
        action["domain"] = self._failed_confirmations_domain()
        action["context"] = {"create": False, "amazon_shipment_confirmations": True}
        return action
