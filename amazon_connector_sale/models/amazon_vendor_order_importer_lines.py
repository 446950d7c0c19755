# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Items and binding of a vendor purchase order (part of the vendor order import)."""

from odoo import Command, api, models

from odoo.addons.amazon_connector.utils import parse_datetime

from .. import const
from ..exceptions import AmazonOrderDataError
from ..utils import parse_amount, parse_window


class AmazonVendorOrderImporter(models.AbstractModel):
    _inherit = "amazon.vendor.order.importer"

    # --- items -------------------------------------------------------------------
    @api.model
    def _prepare_items(self, account, details, notes):
        """Sale line and vendor line values of each item.

        :return: list of dicts ``{"sale_line": vals, "vendor_line": vals}``
        """
        items = []
        for index, item in enumerate(details["items"], start=1):
            if not isinstance(item, dict):
                raise AmazonOrderDataError(
                    self.env._("Item %s is not an object.", index)
                )
            vendor_line = self._prepare_vendor_line(item, index)
            product = self._find_item_product(account, vendor_line, notes)
            sale_line = {
                "product_id": product.id,
                "product_uom_qty": self._units(vendor_line),
                "price_unit": vendor_line["net_cost"],
                "amazon_order_item_id": vendor_line["item_sequence_number"],
                "amazon_sku": vendor_line["vendor_product_identifier"]
                or vendor_line["amazon_product_identifier"],
            }
            if product == account.placeholder_product_id:
                sale_line["name"] = self._item_label(vendor_line)
            items.append({"sale_line": sale_line, "vendor_line": vendor_line})
        return items

    @api.model
    def _prepare_vendor_line(self, item, index):
        sequence_number = item.get("itemSequenceNumber")
        if not sequence_number:
            raise AmazonOrderDataError(
                self.env._("Item %s has no sequence number.", index)
            )
        quantity = item.get("orderedQuantity") or {}
        amount = quantity.get("amount")
        if not isinstance(amount, int) or amount < 0:
            raise AmazonOrderDataError(
                self.env._("Item %s has no valid quantity.", sequence_number)
            )
        cost = item.get("netCost") or {}
        listed = item.get("listPrice") or {}
        return {
            "sequence": index,
            "item_sequence_number": str(sequence_number),
            "amazon_product_identifier": item.get("amazonProductIdentifier") or False,
            "vendor_product_identifier": item.get("vendorProductIdentifier") or False,
            "ordered_qty": amount,
            "ack_qty": amount,
            "unit_of_measure": quantity.get("unitOfMeasure") or const.UOM_EACHES,
            "unit_size": quantity.get("unitSize") or 1,
            "net_cost": parse_amount(cost),
            "list_price": parse_amount(listed),
            "currency_code": cost.get("currencyCode") or False,
            "cost_unit_of_measure": cost.get("unitOfMeasure") or False,
            "is_backorder_allowed": bool(item.get("isBackOrderAllowed")),
        }

    @api.model
    def _units(self, vendor_line):
        if (vendor_line["unit_of_measure"] or "").lower() == "cases":
            return vendor_line["ordered_qty"] * (vendor_line["unit_size"] or 1)
        return vendor_line["ordered_qty"]

    @api.model
    def _item_label(self, vendor_line):
        return " / ".join(
            filter(
                None,
                [
                    vendor_line.get("title"),
                    vendor_line["vendor_product_identifier"],
                    vendor_line["amazon_product_identifier"],
                ],
            )
        )

    @api.model
    def _find_item_product(self, account, vendor_line, notes):
        """Vendor SKU, then ASIN (recoding, listings, internal reference), then barcode.

        Unknown items follow the account's rule: fail the order, or use the
        placeholder product and say so in the import notes.
        """
        builder = self.env["amazon.order.line.builder"]
        marketplace = account.home_marketplace_id or None
        vendor_sku = vendor_line["vendor_product_identifier"]
        asin = vendor_line["amazon_product_identifier"]
        for identifier in (vendor_sku, asin):
            if identifier:
                product = builder._find_product(account, identifier, marketplace)
                if product:
                    return product
        if vendor_sku:
            product = self.env["product.product"].search(
                [
                    ("barcode", "=", vendor_sku),
                    ("company_id", "in", [account.company_id.id, False]),
                    ("sale_ok", "=", True),
                ],
                limit=1,
            )
            if product:
                return product
        label = self._item_label(vendor_line)
        if (
            account.unknown_sku_policy != "placeholder"
            or not account.placeholder_product_id
        ):
            raise AmazonOrderDataError(self.env._("Unknown item %s.", label))
        notes.append(self.env._("Unknown item %s: placeholder product used.", label))
        return account.placeholder_product_id

    # --- the binding ---------------------------------------------------------------
    @api.model
    def _prepare_binding(self, account, sale_order, document, details):
        ship_start, ship_end = parse_window(details.get("shipWindow"))
        delivery_start, delivery_end = parse_window(details.get("deliveryWindow"))
        selling_party = (details.get("sellingParty") or {}).get("partyId")
        return {
            "name": self._get_po_number(document),
            "kind": self._vendor_kind(),
            "account_id": account.id,
            "sale_order_id": sale_order.id,
            "vendor_code_id": self._find_vendor_code(account, selling_party).id,
            "selling_party_id": selling_party,
            "buying_party_id": (details.get("buyingParty") or {}).get("partyId"),
            "ship_to_party_id": (details.get("shipToParty") or {}).get("partyId"),
            "bill_to_party_id": (details.get("billToParty") or {}).get("partyId"),
            "po_state": document.get("purchaseOrderState") or False,
            "po_type": details.get("purchaseOrderType") or False,
            "payment_method": details.get("paymentMethod") or False,
            "po_date": parse_datetime(details.get("purchaseOrderDate")),
            "po_changed_date": parse_datetime(details.get("purchaseOrderChangedDate")),
            "po_state_changed_date": parse_datetime(
                details.get("purchaseOrderStateChangedDate")
            ),
            "ship_window_start": ship_start,
            "ship_window_end": ship_end,
            "delivery_window_start": delivery_start,
            "delivery_window_end": delivery_end,
            "ack_state": "to_send",
        }

    @api.model
    def _create_binding(self, account, sale_order, document, details, items):
        vals = self._prepare_binding(account, sale_order, document, details)
        sale_lines = {line.amazon_order_item_id: line for line in sale_order.order_line}
        vals["line_ids"] = [
            Command.create(
                dict(
                    item["vendor_line"],
                    sale_line_id=sale_lines[
                        item["vendor_line"]["item_sequence_number"]
                    ].id,
                )
            )
            for item in items
        ]
        return self.env["amazon.vendor.order"].create(vals)
