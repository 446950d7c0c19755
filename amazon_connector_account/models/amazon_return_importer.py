# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Returns from Amazon's reports (Reports API 2021-06-30): FBM returns come back
through Odoo's own return of the delivery, FBA customer returns move into the
account's FBA location (sellable) or its damaged location.

One rule keeps the FBA location true (amazon.fba.ledger): Amazon's FBA inventory
import sets it to Amazon's fulfillable units as of when they were read (a
snapshot); FBA orders and sellable returns dated after it move it on top. A
sellable return dated at or before the product's last snapshot is already in it
and moves nothing, so no unit is counted twice and no movement undoes another.

A report is requested in one run and read in a later one (Amazon prepares it
asynchronously): no run waits for Amazon. Where each channel stands (the report
and its window, the rows of its document already applied) is kept on the
account's schedule of the returns, written with each batch of rows: a run
stopped by a throttle, a crash or a kill goes on with the next batch.
"""

import csv
import io
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.amazon_connector.exceptions import AmazonError
from odoo.addons.amazon_connector.utils import parse_datetime

from ..const import (
    FBA_DISPOSITION_SELLABLE,
    OP_CREATE_REPORT,
    OP_GET_REPORT,
    OP_GET_REPORT_DOCUMENT,
    REPORT_DONE,
    REPORT_FAILED,
    REPORT_FBA_RETURNS,
    REPORT_FBM_RETURNS,
    REPORT_MAX_WINDOW_DAYS,
    SYNC_KIND_RETURNS,
)

REPORT_TYPES = {"fbm": REPORT_FBM_RETURNS, "fba": REPORT_FBA_RETURNS}
DEFAULT_HISTORY = timedelta(days=30)
BATCH = 200


class AmazonReturnRowError(ValueError):
    """A row of a returns report that cannot be applied."""


class AmazonReturnImporter(models.AbstractModel):
    _name = "amazon.return.importer"
    _description = "Amazon Returns Import"

    @api.model
    def _now(self):
        return fields.Datetime.now()

    @api.model
    def _run(self, account, trigger="manual"):
        """Request the returns reports, or read those Amazon has prepared.

        :return: amazon.sync.log of the run
        """
        account.ensure_one()
        with account._sync_run(SYNC_KIND_RETURNS, trigger=trigger) as run:
            for channel in ("fbm", "fba"):
                try:
                    self._run_report(account, channel, run)
                except AmazonError as exc:
                    run.stop(exc)
                    break
        return run.log

    @api.model
    def _iso(self, moment):
        return moment.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")

    @api.model
    def _parse_datetime(self, value):
        """ISO 8601, or the day alone as the returns reports write it
        (``05-Mar-2026``, ``2026/03/05``)."""
        parsed = parse_datetime(value)
        if parsed or not isinstance(value, str):
            return parsed
        for pattern in ("%d-%b-%Y", "%Y/%m/%d"):
            try:
                return datetime.strptime(value.strip(), pattern)
            except ValueError:
                continue
        return None

    @api.model
    def _run_report(self, account, channel, run):
        id_field = f"return_report_{channel}_id"
        from_field = f"return_import_{channel}_from"
        schedule, log, stats = run.schedule, run.log, run.stats
        marketplace = account.home_marketplace_id or account.active_marketplace_ids[:1]
        report_id = account[id_field]
        if not report_id:
            start = (
                account[from_field]
                or getattr(account, "order_import_from_date", False)
                or self._now() - DEFAULT_HISTORY
            )
            end = min(
                self._now() - timedelta(minutes=3),
                start + timedelta(days=REPORT_MAX_WINDOW_DAYS),
            )
            data = run.call(
                account._spapi_call,
                OP_CREATE_REPORT,
                body={
                    "reportType": REPORT_TYPES[channel],
                    "marketplaceIds": marketplace.mapped("marketplace_id"),
                    "dataStartTime": self._iso(start),
                    "dataEndTime": self._iso(end),
                },
            )
            report_id = str(data.get("reportId") or "")[:64] or False
            account.sudo()[id_field] = report_id
            schedule._keep_position(
                channel,
                {
                    "report": report_id,
                    "start": self._iso(start),
                    "end": self._iso(end),
                    "rows": 0,
                }
                if report_id
                else None,
            )
            stats["reports_requested"] += 1
            return
        report = run.call(account._spapi_call, OP_GET_REPORT, reportId=report_id)
        status = report.get("processingStatus")
        end = self._parse_datetime(report.get("dataEndTime")) or self._now()
        if status in REPORT_FAILED:
            # CANCELLED is Amazon's answer when there is no data in the window.
            account.sudo().write({id_field: False, from_field: end})
            schedule._keep_position(channel, None)
            if status != "CANCELLED":
                log._add_line(
                    report_id, self.env._("Amazon could not make the report.")
                )
                stats["failed"] += 1
            return
        if status != REPORT_DONE:
            return
        document = run.call(
            account._spapi_call,
            OP_GET_REPORT_DOCUMENT,
            reportDocumentId=report.get("reportDocumentId"),
        )
        content = run.call(
            account._spapi_download,
            document.get("url"),
            compression=document.get("compressionAlgorithm"),
        )
        position = schedule._resume_position(channel) or {}
        if position.get("report") != report_id:
            position = {"report": report_id, "rows": 0}
        self._apply_rows(
            account, channel, self._read_rows(content), log, stats, run, position
        )
        account.sudo().write({id_field: False, from_field: end})
        schedule._keep_position(channel, None)

    @api.model
    def _read_rows(self, content):
        """Yield (row number, {normalized header: value}) of a TSV document, row by
        row (a report of a busy seller holds many thousand rows)."""
        text = io.TextIOWrapper(
            io.BytesIO(content), encoding="utf-8-sig", errors="replace"
        )
        reader = csv.reader(text, delimiter="\t")
        header = None
        for number, row in enumerate(reader, start=1):
            if header is None:
                header = [
                    h.strip().lower().replace(" ", "-").replace("_", "-") for h in row
                ]
                continue
            if not any(cell.strip() for cell in row):
                continue
            yield (
                number,
                dict(zip(header, (cell.strip() for cell in row), strict=False)),
            )

    @api.model
    def _apply_rows(self, account, channel, rows, log, stats, run=None, position=None):
        """Apply the rows by batches; with ``run``, skip the rows a stopped run
        applied already, and keep the position (``position["rows"]``, the last
        row number applied) with each batch."""
        done = (position or {}).get("rows", 0)
        batch = []
        for entry in rows:
            if entry[0] <= done:
                continue
            batch.append(entry)
            if len(batch) >= BATCH:
                self._apply_batch(account, channel, batch, log, stats)
                self._batch_done(run, channel, position, batch)
                batch = []
        if batch:
            self._apply_batch(account, channel, batch, log, stats)
            self._batch_done(run, channel, position, batch)

    @api.model
    def _batch_done(self, run, channel, position, batch):
        if run is None or position is None:
            return
        position["rows"] = batch[-1][0]
        run.schedule._keep_position(channel, dict(position), run.stats)
        run.commit()

    @api.model
    def _return_key(self, channel, row):
        if channel == "fba":
            plate = row.get("license-plate-number")
            if plate:
                return plate
            parts = [row.get("order-id"), row.get("sku"), row.get("return-date")]
        else:
            parts = [
                row.get("amazon-rma-id") or row.get("order-id"),
                row.get("merchant-sku") or row.get("sku"),
            ]
        if not all(parts):
            raise AmazonReturnRowError(
                self.env._("The row has no order id, SKU or return reference.")
            )
        return "|".join(parts)[:256]

    @api.model
    def _prepare_return(self, account, channel, row):
        sku = row.get("merchant-sku") or row.get("sku") or ""
        raw_qty = row.get("return-quantity") or row.get("quantity") or ""
        try:
            quantity = int(raw_qty)
        except ValueError:
            raise AmazonReturnRowError(
                self.env._("The quantity %r is not a whole number.", raw_qty[:20])
            ) from None
        if quantity <= 0 or quantity > 100000:
            raise AmazonReturnRowError(
                self.env._("The quantity %s is wrong.", quantity)
            )
        return_date = self._parse_datetime(
            row.get("return-date")
            or row.get("return-delivery-date")
            or row.get("return-request-date")
        )
        return {
            "account_id": account.id,
            "channel": channel,
            "return_key": self._return_key(channel, row),
            "amazon_order_id": (row.get("order-id") or "")[:64] or False,
            "sku": sku[:128] or False,
            "quantity": quantity,
            "return_date": return_date,
            "disposition": (row.get("detailed-disposition") or "")[:64] or False,
            "reason": (row.get("reason") or row.get("return-reason") or "")[:128]
            or False,
        }

    @api.model
    def _apply_batch(self, account, channel, batch, log, stats):
        Return = self.env["amazon.return"].sudo()
        prepared = []
        for number, row in batch:
            stats["fetched"] += 1
            try:
                prepared.append(
                    (number, row, self._prepare_return(account, channel, row))
                )
            except AmazonReturnRowError as exc:
                stats["failed"] += 1
                log._add_line(self.env._("row %s", number), str(exc))
        existing = set(
            Return.search(
                [
                    ("account_id", "=", account.id),
                    ("channel", "=", channel),
                    (
                        "return_key",
                        "in",
                        [vals["return_key"] for _n, _r, vals in prepared],
                    ),
                ]
            ).mapped("return_key")
        )
        for number, row, vals in prepared:
            if vals["return_key"] in existing:
                stats["skipped"] += 1
                continue
            existing.add(vals["return_key"])
            record = Return.create(vals)
            stats["created"] += 1
            try:
                with self.env.cr.savepoint():
                    if channel == "fbm":
                        self._apply_fbm(account, record, row)
                    else:
                        self._apply_fba(account, record)
            except (AmazonReturnRowError, UserError, ValidationError) as exc:
                record.write({"state": "error", "message": str(exc)})
                stats["failed"] += 1
                log._add_line(self.env._("row %s", number), str(exc))

    # --- stock ----------------------------------------------------------------------
    @api.model
    def _find_order_line(self, account, record):
        order = self.env["sale.order"].search(
            [
                ("amazon_account_id", "=", account.id),
                ("amazon_order_kind", "=", "seller"),
                ("amazon_order_id", "=", record.amazon_order_id),
            ],
            limit=1,
        )
        if not order:
            raise AmazonReturnRowError(
                self.env._("Order %s is not in Odoo.", record.amazon_order_id)
            )
        line = order.order_line.filtered(lambda sol: sol.amazon_sku == record.sku)[:1]
        if not line:
            raise AmazonReturnRowError(
                self.env._(
                    "Order %(order)s has no item with SKU %(sku)s.",
                    order=record.amazon_order_id,
                    sku=record.sku,
                )
            )
        record.write({"sale_order_id": order.id, "product_id": line.product_id.id})
        return order, line

    @api.model
    def _apply_fbm(self, account, record, row):
        """Odoo's own return of the delivery that carried the item, one per return;
        received at once when Amazon reports the item delivered back."""
        order, line = self._find_order_line(account, record)
        deliveries = order.picking_ids.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and line.product_id in p.move_ids.product_id
            )
        )
        if not deliveries:
            raise AmazonReturnRowError(
                self.env._("Order %s has no validated delivery.", order.amazon_order_id)
            )
        picking = deliveries.sorted("date_done")[-1:]
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        remaining = record.quantity
        for return_line in wizard.product_return_moves:
            if return_line.product_id == line.product_id and remaining > 0:
                quantity = min(remaining, return_line.move_id.quantity)
                return_line.quantity = quantity
                remaining -= quantity
                if "to_refund" in return_line._fields:
                    # Money follows Amazon's refunds (credit notes), not the goods.
                    return_line.to_refund = False
            else:
                return_line.quantity = 0
        if float_compare(remaining, record.quantity, precision_digits=3) == 0:
            raise AmazonReturnRowError(self.env._("Nothing left to return."))
        new_picking = wizard._create_return()
        new_picking.origin = self.env._(
            "Amazon return %(ref)s of %(order)s",
            ref=record.return_key,
            order=order.amazon_order_id,
        )
        vals = {
            "picking_id": new_picking.id,
            "location_dest_id": new_picking.location_dest_id.id,
        }
        if row.get("return-delivery-date"):
            for move in new_picking.move_ids:
                move.quantity = move.product_uom_qty
            new_picking.move_ids.picked = True
            new_picking._action_done()
            vals["state"] = "done"
        record.write(vals)

    @api.model
    def _apply_fba(self, account, record):
        """A customer return received by Amazon: into the FBA location when it can
        be sold again, else into the damaged location."""
        _order, line = self._find_order_line(account, record)
        Ledger = self.env["amazon.fba.ledger"]
        counted = Ledger._counted_until(account, line.product_id)
        sellable = (record.disposition or "").upper() == FBA_DISPOSITION_SELLABLE
        destination = (
            account.fba_location_id if sellable else account.fba_damaged_location_id
        )
        if not destination:
            raise AmazonReturnRowError(
                self.env._("Set the account's FBA location and damaged location.")
            )
        if sellable and Ledger._is_counted(
            counted, line.product_id, record.return_date
        ):
            record.write(
                {
                    "state": "counted",
                    "location_dest_id": destination.id,
                    "message": self.env._(
                        "Amazon's FBA inventory imported on %s already counts it.",
                        counted[line.product_id],
                    ),
                }
            )
            return
        product = line.product_id
        move = (
            self.env["stock.move"]
            .sudo()
            .create(
                {
                    "name": self.env._("Amazon FBA return %s", record.return_key),
                    "product_id": product.id,
                    "product_uom_qty": record.quantity,
                    "product_uom": product.uom_id.id,
                    "location_id": account._get_fba_customer_location().id,
                    "location_dest_id": destination.id,
                    "company_id": account.company_id.id,
                    "origin": record.amazon_order_id,
                    "amazon_fba_date": record.return_date if sellable else False,
                }
            )
        )
        move._action_confirm()
        move.quantity = record.quantity
        move.picked = True
        move._action_done()
        record.write(
            {"state": "done", "move_id": move.id, "location_dest_id": destination.id}
        )
