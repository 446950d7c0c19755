# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AmazonListingImporter(models.AbstractModel):
    _inherit = "amazon.listing.importer"

    def _import_items(self, account, marketplace, items, log, stats):
        """Also fill missing product weights from the items' package weight.

        Shipping integrations (Sendcloud and the like) need a weight per product;
        Amazon often has one in ``item_package_weight``.
        """
        res = super()._import_items(account, marketplace, items, log, stats)
        with_weight = {
            item["sku"]: item.get("attributes")
            for item in items
            if isinstance(item, dict)
            and item.get("sku")
            and (item.get("attributes") or {}).get("item_package_weight")
        }
        if not with_weight:
            return res
        listings = self.env["amazon.listing"].search(
            [
                ("account_id", "=", account.id),
                ("marketplace_id", "=", marketplace.id),
                ("sku", "in", list(with_weight)),
                ("product_id.weight", "=", 0),
            ]
        )
        for listing in listings:
            if listing._fill_product_weight(with_weight[listing.sku], marketplace):
                stats["weights"] += 1
        return res
