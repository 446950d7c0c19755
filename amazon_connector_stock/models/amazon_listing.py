# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..const import WEIGHT_UNIT_XMLIDS


class AmazonListing(models.Model):
    _inherit = "amazon.listing"

    stock_push_date = fields.Datetime(
        string="Quantity Accepted on",
        copy=False,
        readonly=True,
        help="When Amazon last accepted a quantity pushed from Odoo.",
    )
    stock_error = fields.Text(
        string="Stock Push Error",
        copy=False,
        readonly=True,
        help="Why Amazon refused the last quantity pushed, in words.",
    )
    stock_feed_id = fields.Many2one(
        "amazon.stock.feed",
        string="Pending Feed",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Feed carrying a quantity Amazon has not confirmed yet.",
    )
    stock_qty_pending = fields.Integer(
        string="Quantity Sent", copy=False, readonly=True
    )
    stock_qty_refused = fields.Integer(
        string="Quantity Refused",
        default=-1,
        copy=False,
        readonly=True,
        help="Quantity Amazon refused (-1: none). It is not sent again until the "
        "quantity to offer changes, or the error is fixed and the push retried.",
    )

    # ------------------------------------------------------------ package weight
    @api.model
    def _weight_from_attributes(self, attributes, marketplace=None):
        """Amazon's ``item_package_weight`` in Odoo's weight unit, or 0.

        :param dict attributes: the listing item's ``attributes``
        :param marketplace: prefer the value of this marketplace
        :return: float in the unit of product weights (kg or lb)
        """
        entries = [
            e
            for e in (attributes or {}).get("item_package_weight") or []
            if isinstance(e, dict)
        ]
        if marketplace:
            mine = [
                e
                for e in entries
                if e.get("marketplace_id") in (None, marketplace.marketplace_id)
            ]
            entries = mine or entries
        for entry in entries:
            xmlid = WEIGHT_UNIT_XMLIDS.get(str(entry.get("unit") or "").lower())
            uom = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
            try:
                value = float(entry.get("value") or 0.0)
            except (TypeError, ValueError):
                continue
            if not uom or value <= 0:
                continue
            target = self.env[
                "product.template"
            ]._get_weight_uom_id_from_ir_config_parameter()
            return uom._compute_quantity(value, target, round=False)
        return 0.0

    def _fill_product_weight(self, attributes, marketplace=None):
        """Give the listing's product Amazon's package weight when it has none.

        A weight set in Odoo is never overwritten: someone weighed the product.

        :return: True when a weight was written
        """
        self.ensure_one()
        product = self.product_id
        if not product or product.weight:
            return False
        weight = self._weight_from_attributes(
            attributes, marketplace or self.marketplace_id
        )
        if weight <= 0:
            return False
        product.weight = weight
        return True
