# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
    AmazonError,
    AmazonSyncRunning,
    AmazonThrottled,
)

from ..const import CARRIER_CODE_OTHER, SHIPMENT_MAX_AUTO_RETRIES

_logger = logging.getLogger(__name__)

SYNC_KIND = "shipments"


class AmazonShipmentConfirmer(models.AbstractModel):
    """Tell Amazon what each FBM delivery carried (Orders API v0 confirmShipment).

    Template method: ``_send`` locks the account, then for each delivery
    ``_must_skip`` / ``_prepare_confirm_shipment_body`` / ``_call_confirm_shipment``
    / ``_mark_sent`` or ``_mark_failed``. One delivery's failure is recorded on
    that delivery and in the sync log; the others continue.
    """

    _name = "amazon.shipment.confirmer"
    _description = "Amazon Shipment Confirmation Service"

    # ------------------------------------------------------------- scheduling
    @api.model
    def _schedule_sending(self):
        """Run the confirmation job as soon as the current transaction commits.

        A cron trigger is a row written in the caller's transaction: it only
        exists once the validation is committed, and the job then reads the
        committed deliveries in its own transaction. Validation thus never waits
        for Amazon, and a rolled-back validation sends nothing.
        """
        cron = self.env.ref(
            "amazon_connector_stock.ir_cron_amazon_shipment_confirm",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_send_pending(self):
        """Send deliveries waiting for confirmation and retry failed ones."""
        return self._send(self._find_pending_pickings(), trigger="scheduled")

    @api.model
    def _find_pending_pickings(self):
        return self.env["stock.picking"].search(
            [
                "|",
                ("amazon_shipment_state", "=", "to_send"),
                "&",
                ("amazon_shipment_state", "=", "failed"),
                ("amazon_shipment_attempts", "<", SHIPMENT_MAX_AUTO_RETRIES),
            ],
            order="date_done, id",
        )

    # --------------------------------------------------------- template method
    @api.model
    def _send(self, pickings, trigger="scheduled"):
        """Confirm these deliveries to Amazon, one account at a time.

        :param pickings: stock.picking records to confirm
        :param trigger: "manual" or "scheduled", for the sync log
        :return: dict picking id -> final state
        """
        by_account = defaultdict(lambda: self.env["stock.picking"])
        for picking in pickings:
            by_account[picking.amazon_account_id] |= picking
        result = {}
        for account, account_pickings in by_account.items():
            if not account:
                for picking in account_pickings:
                    self._mark_failed(picking, self.env._("No Amazon account."))
                    result[picking.id] = picking.amazon_shipment_state
                continue
            try:
                with account._sync_run(SYNC_KIND, trigger=trigger) as run:
                    result.update(self._send_account(run, account_pickings, trigger))
            except (AmazonSyncRunning, AmazonAuthError) as exc:
                # Another run holds the lock (it will send these deliveries), or
                # the authorization expired (the responsible is told).
                account._sync_refused(exc, SYNC_KIND)
        return result

    @api.model
    def _send_account(self, run, pickings, trigger):
        log, counts = run.log, run.stats
        counts["fetched"] = len(pickings)
        result = {}
        throttled = False
        for picking in pickings:
            skip_reason = self._must_skip(picking)
            if skip_reason:
                counts["skipped"] += 1
                continue
            try:
                self._confirm_one(picking)
            except AmazonThrottled as exc:
                # Stop for this account; the remaining deliveries stay "to send".
                throttled = True
                log._add_line(picking.sale_id.amazon_order_id, str(exc))
                break
            except Exception as exc:  # one delivery never blocks the others
                message = self._error_message(exc)
                self._mark_failed(picking, message)
                log._add_line(picking.sale_id.amazon_order_id, message, picking.name)
                counts["failed"] += 1
            else:
                counts["updated"] += 1
            result[picking.id] = picking.amazon_shipment_state
            if trigger == "scheduled":
                # A crash later in the run must not roll back confirmations
                # Amazon already accepted (sending them twice is an error there).
                run.commit()
        if throttled:
            state = "throttled"
        elif counts["failed"] and counts["updated"]:
            state = "partial"
        elif counts["failed"]:
            state = "failed"
        else:
            state = "done"
        run.finish(state=state, message=False)
        return result

    @api.model
    def _must_skip(self, picking):
        """:return: a reason (str) when the delivery must not be sent now."""
        if picking.state != "done":
            return "not done"
        if picking.amazon_shipment_state == "sent":
            return "already sent"
        return False

    @api.model
    def _confirm_one(self, picking):
        with self.env.cr.savepoint():
            body = self._prepare_confirm_shipment_body(picking)
            self._call_confirm_shipment(picking, body)
            self._mark_sent(picking, body)

    @api.model
    def _call_confirm_shipment(self, picking, body):
        return picking.amazon_account_id._spapi_call(
            "ordersV0.confirmShipment",
            orderId=picking.sale_id.amazon_order_id,
            body=body,
        )

    # ---------------------------------------------------------------- mapping
    @api.model
    def _prepare_confirm_shipment_body(self, picking):
        """Build a ConfirmShipmentRequest (ordersV0.json) for one delivery.

        :raise UserError: when the delivery carries no Amazon order item
        :return: dict fitting ConfirmShipmentRequest
        """
        order = picking.sale_id
        items = self._prepare_order_items(picking)
        if not items:
            raise UserError(
                self.env._(
                    "Delivery %(picking)s carries no line of Amazon order %(order)s.",
                    picking=picking.name,
                    order=order.amazon_order_id,
                )
            )
        delivery_carrier = picking.carrier_id
        amazon_carrier = self.env["amazon.carrier"]._find_for_delivery_carrier(
            delivery_carrier
        )
        carrier_name = delivery_carrier.name or picking.company_id.name
        package = {
            # Unique within the order and positive numeric (PackageReferenceId);
            # the picking id is both, and stays the same on a retry.
            "packageReferenceId": str(picking.id),
            "carrierCode": amazon_carrier.code or CARRIER_CODE_OTHER,
            # The model marks trackingNumber required, yet EU marketplaces accept
            # untracked shipping methods (amzn/selling-partner-api-models#4329):
            # an empty string keeps the body valid and the delivery is flagged.
            "trackingNumber": picking.carrier_tracking_ref or "",
            "shipDate": self._format_datetime(picking.date_done),
            "orderItems": items,
        }
        if not amazon_carrier or amazon_carrier.code == CARRIER_CODE_OTHER:
            package["carrierName"] = carrier_name
        else:
            package["carrierName"] = amazon_carrier.name
        shipping_method = (
            delivery_carrier.amazon_shipping_method or delivery_carrier.name
        )
        if shipping_method:
            package["shippingMethod"] = shipping_method
        return {
            "marketplaceId": order.amazon_marketplace_id.marketplace_id,
            "packageDetail": package,
        }

    @api.model
    def _prepare_order_items(self, picking):
        """Amazon order items and the quantities this very delivery carried.

        Only done moves count, converted to the sale line's unit: a partial
        delivery confirms what left, its backorder confirms the rest later. A
        kit (a BoM of type kit, with ``mrp``) is delivered as its components:
        Amazon is told the whole kits that left, not the components.

        :return: list of ConfirmShipmentOrderItem dicts
        """
        quantities = defaultdict(float)
        done = picking.move_ids.filtered(lambda m: m.state == "done")
        for line in done.sale_line_id:
            if not line.amazon_order_item_id:
                continue
            kit = self._kit_bom(line)
            if kit:
                qty = self._kits_shipped(line, kit, picking)
            else:
                qty = sum(
                    move.product_uom._compute_quantity(
                        move.quantity, line.product_uom, rounding_method="HALF-UP"
                    )
                    for move in done
                    if move.sale_line_id == line
                )
            quantities[line.amazon_order_item_id] += qty
        return [
            {"orderItemId": item_id, "quantity": int(round(qty))}
            for item_id, qty in quantities.items()
            if int(round(qty)) > 0
        ]

    @api.model
    def _kit_bom(self, line):
        """The kit BoM the sale line's moves were exploded from (``mrp``), if any.

        :return: mrp.bom, or None without mrp or for a product that is no kit
        """
        if "bom_line_id" not in self.env["stock.move"]._fields:
            return None
        product = line.product_id
        boms = line.move_ids.bom_line_id.bom_id.filtered(
            lambda b: (
                b.type == "phantom"
                and (
                    b.product_id == product
                    or (
                        b.product_tmpl_id == product.product_tmpl_id
                        and not b.product_id
                    )
                )
            )
        )
        return boms[:1] or None

    @api.model
    def _kits_shipped(self, line, kit, picking):
        """Whole kits of ``line`` that ``picking`` delivered, in the line's unit.

        Odoo counts the kits a set of component moves makes (the scarcest
        component decides, partial kits do not count). The kits delivered up to
        this delivery, minus those delivered before it (deliveries in the order
        they were done), is what this one carried: a backorder that only
        completes kits confirms them, and the confirmations add up to the
        line's delivered kits.
        """
        moves = line.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and not m.scrapped
                and m.picking_id
                and m.location_dest_id.usage == "customer"
            )
        )

        now = fields.Datetime.now()

        def done_key(delivery):
            return (delivery.date_done or now, delivery.id)

        until = done_key(picking)
        up_to = moves.filtered(lambda m: done_key(m.picking_id) <= until)
        before = up_to.filtered(lambda m: m.picking_id != picking)
        order_qty = line.product_uom._compute_quantity(
            line.product_uom_qty, kit.product_uom_id
        )
        filters = {"incoming_moves": lambda m: True, "outgoing_moves": lambda m: False}

        def kits(component_moves):
            if not component_moves:
                return 0.0
            return component_moves._compute_kit_quantities(
                line.product_id, order_qty, kit, filters
            )

        shipped = kits(up_to) - kits(before)
        return kit.product_uom_id._compute_quantity(shipped, line.product_uom)

    @api.model
    def _format_datetime(self, value):
        value = value or fields.Datetime.now()
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")

    # ------------------------------------------------------------------ state
    @api.model
    def _mark_sent(self, picking, body):
        picking.write(
            {
                "amazon_shipment_state": "sent",
                "amazon_shipment_error": False,
                "amazon_shipment_date": fields.Datetime.now(),
                "amazon_shipment_attempts": picking.amazon_shipment_attempts + 1,
                "amazon_shipment_no_tracking": not body["packageDetail"][
                    "trackingNumber"
                ],
            }
        )

    @api.model
    def _mark_failed(self, picking, message):
        picking.write(
            {
                "amazon_shipment_state": "failed",
                "amazon_shipment_error": message,
                "amazon_shipment_attempts": picking.amazon_shipment_attempts + 1,
            }
        )

    @api.model
    def _error_message(self, exc):
        if isinstance(exc, AmazonError | UserError):
            return str(exc.args[0]) if exc.args else str(exc)
        _logger.exception("Unexpected error while confirming an Amazon shipment")
        return self.env._("Unexpected error: %(error)s", error=exc)
