# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import AmazonError
from odoo.addons.amazon_connector.models.amazon_sync_schedule_mixin import (
    schedule_fields,
)

from .. import const
from ..exceptions import AmazonOrderDataError


class AmazonVendorAccountMixin(models.AbstractModel):
    """Vendor Central side of an account: codes, what to import, schedule.

    A separate concern from the seller order settings, composed into
    ``amazon.account`` (models/amazon_account.py) rather than spread over it.
    """

    _name = "amazon.vendor.account.mixin"
    _description = "Amazon Account: Vendor Central settings"

    vendor_code_ids = fields.One2many(
        "amazon.vendor.code",
        "account_id",
        string="Vendor Codes",
        context={"active_test": False},
    )
    vendor_retail_import = fields.Boolean(
        string="Import Retail Purchase Orders", default=True
    )
    vendor_retail_time_range_id = fields.Many2one(
        "amazon.vendor.time.range",
        string="Retail Time Range",
        default=lambda self: self.env.ref(
            "amazon_connector_sale.amazon_vendor_time_range_last_7_days",
            raise_if_not_found=False,
        ),
    )
    vendor_retail_state_filter = fields.Selection(
        const.PO_STATE_SELECTION,
        string="Retail Order State",
        help="Import only the purchase orders in this state (Amazon's "
        "purchaseOrderState filter). Empty: every state.",
    )
    vendor_retail_cursor = fields.Datetime(
        string="Retail Orders Synced Until", copy=False, readonly=True
    )
    vendor_df_import = fields.Boolean(string="Import Direct Fulfillment Orders")
    vendor_df_time_range_id = fields.Many2one(
        "amazon.vendor.time.range",
        string="Direct Fulfillment Time Range",
        default=lambda self: self.env.ref(
            "amazon_connector_sale.amazon_vendor_time_range_last_7_days",
            raise_if_not_found=False,
        ),
    )
    vendor_df_status_filter = fields.Selection(
        const.DF_STATUS_SELECTION,
        string="Direct Fulfillment Status",
        help="Import only the orders in this status (Amazon's status filter). "
        "Empty: every status.",
    )
    vendor_df_auto_acknowledge = fields.Boolean(
        string="Accept Direct Fulfillment Orders Automatically",
        help="Send the acknowledgement 00 (shipping 100 percent) as soon as an "
        "order is imported, and confirm the sale order.",
    )
    vendor_df_label_source = fields.Selection(
        const.DF_LABEL_SOURCE_SELECTION,
        string="Direct Fulfillment Labels",
        default="vendor",
        help="Own carrier account: the vendor prints its carrier's label and "
        "enters the tracking number. Amazon's shipping labels: the label is "
        "requested from Amazon and attached to the delivery with its tracking "
        "number.",
    )
    vendor_df_cursor = fields.Datetime(
        string="Direct Fulfillment Orders Synced Until", copy=False, readonly=True
    )
    vendor_order_count = fields.Integer(compute="_compute_vendor_order_count")
    (
        vendor_orders_sync_active,
        vendor_orders_interval_number,
        vendor_orders_interval_type,
        vendor_orders_next_run,
    ) = schedule_fields("vendor_orders", "Vendor Orders", 1, "hours")

    def _compute_vendor_order_count(self):
        counts = dict(
            self.env["amazon.vendor.order"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.vendor_order_count = counts.get(account, 0)

    @api.onchange("vendor_retail_time_range_id")
    def _onchange_vendor_retail_time_range_id(self):
        """The schedule follows the cadence of the chosen range."""
        time_range = self.vendor_retail_time_range_id
        if time_range.interval_number and time_range.interval_type:
            self.vendor_orders_interval_number = time_range.interval_number
            self.vendor_orders_interval_type = time_range.interval_type

    def action_view_vendor_orders(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_sale.amazon_vendor_order_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action

    # --- running ----------------------------------------------------------------
    def action_sync_vendor_orders(self):
        """Import the vendor orders of the configured windows, now.

        Synchronous, also from code or ``odoo shell``.

        :return: a client notification with the counts and a link to the log
        """
        self.ensure_one()
        log = self._as_sync_runner()._sync_vendor_orders(trigger="manual")
        return self._order_sync_notification(log)

    def _run_scheduled_vendor_orders(self):
        """Called by the core scheduler for due, connected vendor accounts."""
        for account in self.filtered(lambda a: a.account_type == "vendor"):
            account._sync_vendor_orders(trigger="scheduled")

    def _get_vendor_importers(self):
        """The import services the account uses, Retail first."""
        self.ensure_one()
        names = ("amazon.vendor.order.importer", "amazon.vendor.df.order.importer")
        return [self.env[name] for name in names if self.env[name]._is_enabled(self)]

    def _sync_vendor_orders(self, trigger="manual"):
        """One vendor order sync: every enabled import, one sync log.

        An import that Amazon refuses (throttled, auth, invalid request) stops
        there, keeps what it imported, and leaves its cursor where it was; the
        other import still runs.

        :param trigger: manual/scheduled
        :return: the amazon.sync.log of the run
        :raise UserError: a vendor order sync of the account is already running
        """
        self.ensure_one()
        importers = self._get_vendor_importers()
        with self._sync_run(
            const.SYNC_KIND,
            trigger=trigger,
            cursor_before=self._vendor_cursors_text(importers),
        ) as run:
            for importer in importers:
                try:
                    # No savepoint: each order has its own, and the orders imported
                    # before Amazon refused a page are kept.
                    importer._run_import(self, run.log, counts=run.stats)
                except AmazonError as error:
                    # The other import still runs.
                    run.stop(error)
                except AmazonOrderDataError as error:
                    run.state = "failed"
                    run.note(str(error))
            run.finish(cursor_after=self._vendor_cursors_text(importers))
        return run.log

    def _vendor_cursors_text(self, importers):
        """The cursors of the vendor imports, for the sync log.

        One log covers the Retail and the Direct Fulfillment imports, each with
        its own cursor on the account: the log shows both, for example
        ``retail 2026-11-20T10:00:00; df 2026-11-20T10:00:00``.
        """
        self.ensure_one()
        parts = []
        for importer in importers:
            cursor = importer._get_cursor(self)
            if cursor:
                parts.append(f"{importer._vendor_kind()} {cursor.isoformat()}")
        return "; ".join(parts) or False

    # ------------------------------------------------------------------
    # Direct Fulfillment inventory (DF Inventory v1 submitInventoryUpdate)
    # ------------------------------------------------------------------
    def action_push_vendor_df_inventory(self):
        """Queue the available quantities of every DF warehouse for Amazon."""
        self.env["amazon.account"]._check_amazon_manager(self)
        messages = self.env["amazon.outbox.message"]
        for account in self:
            messages |= account._push_vendor_df_inventory()
        return self._notify(
            self.env._("Direct Fulfillment inventory"),
            self.env._("%s inventory updates queued for Amazon.", len(messages)),
            "info",
        )

    @api.model
    def _cron_push_vendor_df_inventory(self):
        accounts = self.search(
            [("account_type", "=", "vendor"), ("vendor_df_import", "=", True)]
        )
        for account in accounts:
            account._push_vendor_df_inventory()
        return True

    def _push_vendor_df_inventory(self):
        """One inventory update per DF warehouse code (vendor codes with a
        ship-from party), like the FBM stock push: the free quantity of each
        product Amazon ordered from that warehouse. A newer push replaces an
        update still waiting, so Amazon never gets stale figures.

        :return: the outbox messages posted or refreshed
        """
        self.ensure_one()
        outbox = self.env["amazon.outbox.message"]
        messages = outbox
        codes = self.vendor_code_ids.filtered(
            lambda c: c.use_direct_fulfillment and c.ship_from_party_id
        )
        for code in codes:
            warehouse = code.warehouse_id or self.fbm_warehouse_id
            items = self._vendor_df_inventory_items(code, warehouse)
            if not items:
                continue
            body = {
                "inventory": {
                    "sellingParty": {"partyId": code.name},
                    "isFullUpdate": False,
                    "items": items,
                }
            }
            prefix = f"{code.ship_from_party_id}/"
            waiting = outbox.search(
                [
                    ("account_id", "=", self.id),
                    ("kind", "=", "df_inventory"),
                    ("state", "=", "pending"),
                    ("key", "=like", f"{prefix}%"),
                ],
                limit=1,
            )
            if waiting:
                waiting.payload = body
                messages |= waiting
                continue
            messages |= outbox._post(
                self,
                "df_inventory",
                code,
                body,
                key=f"{prefix}{fields.Datetime.now().isoformat()}",
                params={"warehouseId": code.ship_from_party_id},
            )
        return messages

    def _vendor_df_inventory_items(self, code, warehouse):
        """``ItemDetails`` of the products ordered from this DF warehouse."""
        lines = self.env["amazon.vendor.order.line"].search(
            [
                ("vendor_order_id.account_id", "=", self.id),
                ("vendor_order_id.kind", "=", "df"),
                ("vendor_order_id.ship_from_party_id", "=", code.ship_from_party_id),
                ("sale_line_id", "!=", False),
            ]
        )
        items, seen = [], set()
        for line in lines:
            product = line.product_id
            if not product or product in seen:
                continue
            seen.add(product)
            stock = product.with_context(warehouse_id=warehouse.id or False)
            item = {
                "availableQuantity": {
                    "amount": int(max(stock.free_qty, 0)),
                    "unitOfMeasure": const.DF_UOM_EACH,
                }
            }
            vendor_sku = line.vendor_product_identifier or product.default_code
            if vendor_sku:
                item["vendorProductIdentifier"] = vendor_sku
            if line.amazon_product_identifier:
                item["buyerProductIdentifier"] = line.amazon_product_identifier
            if len(item) > 1:
                items.append(item)
        return items
