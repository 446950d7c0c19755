# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AmazonOrderFailure(models.Model):
    """Vendor purchase orders that failed share the seller orders' failure list."""

    _inherit = "amazon.order.failure"

    amazon_vendor_kind = fields.Selection(
        [("retail", "Vendor Retail"), ("df", "Vendor Direct Fulfillment")],
        string="Vendor Order",
        readonly=True,
        help="Empty for seller orders.",
    )


class AmazonOrderImporter(models.AbstractModel):
    _inherit = "amazon.order.importer"

    @api.model
    def _retry_failure(self, failure):
        """A vendor failure is retried by the vendor import it came from."""
        if not failure.amazon_vendor_kind:
            return super()._retry_failure(failure)
        importer = self.env[
            "amazon.vendor.df.order.importer"
            if failure.amazon_vendor_kind == "df"
            else "amazon.vendor.order.importer"
        ]
        payload = failure._get_payload()
        if payload is None:
            failure.write({"error": self.env._("The stored payload is unreadable.")})
            return "failed"
        return importer._import_safely(failure.account_id, payload)
