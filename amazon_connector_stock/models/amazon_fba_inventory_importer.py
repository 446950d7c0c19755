# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare

from odoo.addons.amazon_connector.exceptions import AmazonError, AmazonInvalidRequest
from odoo.addons.amazon_connector.utils import parse_datetime

from ..const import FBA_GRANULARITY_MARKETPLACE

_logger = logging.getLogger(__name__)

SYNC_KIND = "fba_inventory"


class AmazonFbaInventoryImporter(models.AbstractModel):
    """Mirror Amazon's fulfillable FBA quantities in the account's FBA location.

    Template method ``_run``: page through getInventorySummaries (details=true),
    keep one amazon.fba.inventory line per SKU, then set the FBA location's
    quantity of each product to the sum of its SKUs' fulfillable units with an
    inventory adjustment. Products Amazon did not report are left untouched: a
    missing line is no evidence of zero stock.
    """

    _name = "amazon.fba.inventory.importer"
    _description = "Amazon FBA Inventory Import"

    @api.model
    def _run(self, account, trigger="manual"):
        """:return: the amazon.sync.log of the run
        :raise UserError: when an FBA inventory import of the account is running
        """
        account.ensure_one()
        with account._sync_run(SYNC_KIND, trigger=trigger) as run:
            marketplace = self._get_marketplace(account)
            if not account.fba_location_id or not marketplace:
                run.finish(
                    state="failed",
                    message=self.env._(
                        "Set the account's FBA location and home marketplace first."
                    ),
                )
                return run.log
            try:
                records = self._read_pages(run, account, marketplace)
                self._apply_quantities(account, records, run.log, run.stats)
                run.schedule._close_window()
            except AmazonError as exc:
                run.stop(exc)
        return run.log

    @api.model
    def _read_pages(self, run, account, marketplace):
        """Read every page, resuming where an earlier run stopped.

        The position (the token of the next page) is kept on the account's
        schedule with each page: a run stopped by a throttle, a crash or a kill
        goes on with the next page, and the quantities are applied once the
        whole snapshot is read (the summaries of the pages read before count).
        A token Amazon no longer accepts restarts the snapshot from its start.

        :return: the ``amazon.fba.inventory`` records of the snapshot
        """
        schedule = run.schedule
        token = None
        if schedule.window_end:
            since, token = schedule.window_start, schedule.page_token or None
        else:
            since = fields.Datetime.now()
            schedule._open_window(since, since)
        position = {}
        stored = self.env["amazon.fba.inventory"]
        try:
            for summaries in self._fetch_pages(
                account, marketplace, token=token, position=position, run=run
            ):
                run.stats["fetched"] += len(summaries)
                stored |= self._store_summaries(
                    account, marketplace, summaries, run.log, run.stats
                )
                schedule._page_done(position.get("next_token"), run.stats)
                run.commit()
        except AmazonInvalidRequest:
            if not token:
                raise
            _logger.info("getInventorySummaries refused its token: restarting")
            schedule._close_window()
            return self._read_pages(run, account, marketplace)
        # The pages of this run, and those an earlier run of the same snapshot
        # stored before it stopped (read since the snapshot opened).
        return stored | self.env["amazon.fba.inventory"].search(
            [
                ("account_id", "=", account.id),
                ("marketplace_id", "=", marketplace.id),
                ("import_date", ">=", since),
            ]
        )

    @api.model
    def _get_marketplace(self, account):
        """FBA stock is pooled per region: the home marketplace's view is the
        account's (summing marketplaces would count pan-European units twice)."""
        return account.home_marketplace_id or account.active_marketplace_ids[:1]

    @api.model
    def _fetch_pages(self, account, marketplace, token=None, position=None, run=None):
        """Yield lists of InventorySummary dicts, following pagination.nextToken.

        :param token: the token of the first page to read (resuming)
        :param dict position: receives ``next_token``, the token of the page
            after the one just yielded (None after the last page)
        :param run: the run (a short throttle is waited out in the worker)
        """
        position = {} if position is None else position
        while True:
            params = {
                "details": True,
                "granularityType": FBA_GRANULARITY_MARKETPLACE,
                "granularityId": marketplace.marketplace_id,
                "marketplaceIds": [marketplace.marketplace_id],
            }
            if token:
                params["nextToken"] = token
            operation = "fbaInventory.getInventorySummaries"
            if run:
                data = run.call(account._spapi_call, operation, **params)
            else:
                data = account._spapi_call(operation, **params)
            # The seam unwraps ``payload``; tolerate the full body too, and read
            # the sibling ``pagination`` wherever the seam left it.
            payload = data.get("payload", data) if isinstance(data, dict) else {}
            token = (data.get("pagination") or payload.get("pagination") or {}).get(
                "nextToken"
            )
            position["next_token"] = token
            yield payload.get("inventorySummaries") or []
            if not token:
                return

    @api.model
    def _prepare_inventory_vals(self, summary):
        details = summary.get("inventoryDetails") or {}
        reserved = (details.get("reservedQuantity") or {}).get("totalReservedQuantity")
        unfulfillable = (details.get("unfulfillableQuantity") or {}).get(
            "totalUnfulfillableQuantity"
        )
        inbound = sum(
            int(details.get(key) or 0)
            for key in (
                "inboundWorkingQuantity",
                "inboundShippedQuantity",
                "inboundReceivingQuantity",
            )
        )
        updated = summary.get("lastUpdatedTime")
        return {
            "asin": summary.get("asin") or False,
            "fnsku": summary.get("fnSku") or False,
            "fulfillable_qty": int(details.get("fulfillableQuantity") or 0),
            "total_qty": int(summary.get("totalQuantity") or 0),
            "reserved_qty": int(reserved or 0),
            "unfulfillable_qty": int(unfulfillable or 0),
            "inbound_qty": inbound,
            "amazon_update_date": parse_datetime(updated),
            "import_date": fields.Datetime.now(),
        }

    @api.model
    def _store_summaries(self, account, marketplace, summaries, log, stats):
        Inventory = self.env["amazon.fba.inventory"]
        existing = {
            rec.sku: rec
            for rec in Inventory.search(
                [
                    ("account_id", "=", account.id),
                    ("marketplace_id", "=", marketplace.id),
                    ("sku", "in", [s.get("sellerSku") for s in summaries]),
                ]
            )
        }
        products = account._find_products_by_skus(
            [s.get("sellerSku") for s in summaries if s.get("sellerSku")],
            marketplace=marketplace,
        )
        records = Inventory
        for summary in summaries:
            sku = summary.get("sellerSku")
            try:
                if not sku:
                    raise ValueError(self.env._("The summary has no seller SKU."))
                vals = self._prepare_inventory_vals(summary)
                product = products[sku]
                vals["product_id"] = product.id
                vals["error"] = (
                    False if product else self.env._("No product for this SKU.")
                )
                record = existing.get(sku)
                if record:
                    record.write(vals)
                    stats["updated"] += 1
                else:
                    vals.update(
                        account_id=account.id, marketplace_id=marketplace.id, sku=sku
                    )
                    record = Inventory.create(vals)
                    stats["created"] += 1
                records |= record
                if not product:
                    stats["skipped"] += 1
                    log._add_line(sku, vals["error"])
            except (ValueError, TypeError, AttributeError) as exc:
                stats["failed"] += 1
                log._add_line(sku or "?", self.env._("Unreadable summary: %s", exc))
        return records

    @api.model
    def _apply_quantities(self, account, records, log, stats):
        """Inventory-adjust the FBA location to Amazon's fulfillable units, plus
        the FBA orders and returns recorded in Odoo that Amazon dates after this
        count was read (the rule of amazon.fba.ledger)."""
        location = account.fba_location_id
        targets = defaultdict(int)
        read_times = {}
        for record in records.filtered("product_id"):
            targets[record.product_id] += record.fulfillable_qty
            moment = record.import_date or fields.Datetime.now()
            read_times[record.product_id] = max(
                read_times.get(record.product_id) or moment, moment
            )
        after = self.env["amazon.fba.ledger"]._moved_after(location, read_times)
        Quant = (
            self.env["stock.quant"]
            .sudo()
            .with_context(inventory_name=self.env._("Amazon FBA inventory"))
        )
        to_apply = Quant
        for product, target in targets.items():
            if not product.is_storable:
                continue
            target += after.get(product, 0.0)
            quants = Quant._gather(product, location)
            current = sum(quants.mapped("quantity"))
            if not float_compare(
                current, target, precision_rounding=product.uom_id.rounding
            ):
                continue
            plain = quants.filtered(
                lambda q: not q.lot_id and not q.package_id and not q.owner_id
            )[:1]
            if not plain:
                plain = Quant.create(
                    {"product_id": product.id, "location_id": location.id}
                )
            plain.inventory_quantity = plain.quantity + (target - current)
            to_apply |= plain
        if to_apply:
            to_apply._apply_inventory()
        by_time = defaultdict(lambda: self.env["amazon.fba.inventory"])
        for record in records.filtered("product_id"):
            by_time[read_times[record.product_id]] |= record
        for moment, counted in by_time.items():
            counted.counted_date = moment
        return to_apply
