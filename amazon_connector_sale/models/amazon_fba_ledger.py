# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One rule for how Odoo's FBA location follows Amazon.

Amazon's FBA inventory (``getInventorySummaries``, fulfillable units) is the
truth as of the moment it was read: the *snapshot* of a product. Every other
event that changes Amazon's fulfillable units carries Amazon's own date on its
stock move (``stock.move.amazon_fba_date``):

- an FBA order takes its units when it is placed (Amazon reserves them at once,
  so they leave the fulfillable count before shipping): its purchase date;
- a sellable FBA customer return gives one back when Amazon receives it: its
  return date.

An event dated at or before the product's last snapshot is already in it: it is
absorbed (the delivery is still validated, for the sale and the invoice, and a
counter-move from the inventory adjustment location puts the unit back; a return
moves nothing). An event dated after the snapshot moves the FBA location on top
of it. When a snapshot is applied, the FBA location is set to Amazon's count plus
the events already recorded that are dated after the snapshot. So whatever the
order in which orders, returns and snapshots reach Odoo, and however often the
same snapshot is imported, no unit is counted twice and nothing is undone.
"""

from collections import defaultdict

from odoo import api, models


class AmazonFbaLedger(models.AbstractModel):
    _name = "amazon.fba.ledger"
    _description = "Amazon FBA Stock Rule"

    @api.model
    def _counted_until(self, account, products):
        """{product: datetime} when Amazon's FBA inventory applied to the
        account's FBA location last counted each product; products never counted
        are absent. Without the FBA inventory import (amazon_connector_stock)
        nothing is ever counted."""
        return {}

    @api.model
    def _is_counted(self, counted, product, date):
        """Whether an event of ``product`` dated ``date`` is in its snapshot."""
        until = counted.get(product)
        return bool(until and date and date <= until)

    @api.model
    def _absorb_counted(self, account, moves):
        """Put back into the FBA location what done FBA deliveries took although
        Amazon's snapshot had already removed it.

        :param moves: done stock.move out of the FBA location, dated
        :return: the counter-moves (stock.move)
        """
        location = account.fba_location_id
        moves = moves.filtered(
            lambda m: (
                m.amazon_fba_date
                and m.state == "done"
                and m.product_id.is_storable
                and m.location_id == location
            )
        )
        if not location or not moves:
            return self.env["stock.move"]
        counted = self._counted_until(account, moves.product_id)
        vals_list = []
        for move in moves:
            if not self._is_counted(counted, move.product_id, move.amazon_fba_date):
                continue
            product = move.product_id.with_company(account.company_id)
            vals_list.append(
                {
                    "name": self.env._(
                        "Amazon FBA: %(order)s already counted by the FBA "
                        "inventory of %(date)s",
                        order=move.origin or move.reference,
                        date=counted[move.product_id],
                    ),
                    "product_id": product.id,
                    "product_uom_qty": move.quantity,
                    "product_uom": move.product_uom.id,
                    "location_id": product.property_stock_inventory.id,
                    "location_dest_id": location.id,
                    "company_id": account.company_id.id,
                    "origin": move.origin,
                    # Not an event of Amazon's (no date): it only undoes, for the
                    # snapshot that counted it, what the delivery took.
                }
            )
        if not vals_list:
            return self.env["stock.move"]
        return self._move_now(vals_list)

    @api.model
    def _move_now(self, vals_list):
        """Create and validate stock moves at once (no picking)."""
        new = self.env["stock.move"].sudo().create(vals_list)
        new._action_confirm()
        for move in new:
            move.quantity = move.product_uom_qty
        new.picked = True
        new._action_done()
        return new

    @api.model
    def _moved_after(self, location, read_times):
        """{product: qty} the recorded FBA events moved into (+) or out of (-)
        ``location`` after each product's snapshot time.

        :param read_times: {product: datetime the snapshot was read}
        """
        if not read_times:
            return {}
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("product_id", "in", [p.id for p in read_times]),
                    ("state", "=", "done"),
                    ("amazon_fba_date", ">", min(read_times.values())),
                    "|",
                    ("location_id", "=", location.id),
                    ("location_dest_id", "=", location.id),
                ]
            )
        )
        moved = defaultdict(float)
        for move in moves:
            if move.amazon_fba_date <= read_times[move.product_id]:
                continue
            if move.location_id == move.location_dest_id:
                continue
            qty = move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
            moved[move.product_id] += qty if move.location_dest_id == location else -qty
        return moved
