# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AmazonVendorOrder(models.Model):
    _inherit = "amazon.vendor.order"

    def _df_carrier_code(self, picking):
        """Amazon's carrier code from the carrier table (as for FBM shipments):
        the delivery method's mapping, else a carrier of the same name; the
        method's name when nothing matches."""
        carrier = self.env["amazon.carrier"]._find_for_delivery_carrier(
            picking.carrier_id
        )
        if carrier:
            return carrier.code
        return picking.carrier_id.name or False

    def _df_delivery_method_name(self, picking):
        return picking.carrier_id.name or False

    def _df_tracking_number(self, picking):
        return picking.carrier_tracking_ref or False

    def _df_keep_tracking_number(self, picking, tracking):
        if not picking.carrier_tracking_ref:
            picking.carrier_tracking_ref = tracking

    def _df_package_weight(self, picking):
        """Else the delivery's computed weight (``stock_delivery``)."""
        if not picking.shipping_weight and picking.weight:
            return picking.weight
        return super()._df_package_weight(picking)
