# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One Direct Fulfillment order (vendorDfOrders 2021-12-28 ``Order``) becomes one
sale order: Amazon is the customer, the delivery goes to Amazon's end customer."""

from odoo import api, fields, models

from odoo.addons.amazon_connector.utils import parse_datetime

from .. import const
from ..buyer_text import MAX_MESSAGE, clean_text, text_to_html
from ..exceptions import AmazonOrderDataError
from ..utils import to_iso


class AmazonVendorDfOrderImporter(models.AbstractModel):
    _name = "amazon.vendor.df.order.importer"
    _inherit = "amazon.vendor.order.importer"
    _description = "Amazon Vendor Direct Fulfillment Order Importer"

    @api.model
    def _vendor_kind(self):
        return "df"

    @api.model
    def _sale_order_kind(self):
        return "vendor_df"

    @api.model
    def _is_enabled(self, account):
        return account.vendor_df_import

    @api.model
    def _get_time_range(self, account):
        return account.vendor_df_time_range_id

    @api.model
    def _get_cursor(self, account):
        return account.vendor_df_cursor

    @api.model
    def _set_cursor(self, account, moment):
        account.vendor_df_cursor = moment

    @api.model
    def _list_operation(self):
        return const.OP_DF_GET_ORDERS

    @api.model
    def _prepare_queries(self, account, time_range, after, before):
        """getOrders only filters by creation date (both bounds are required)."""
        base = {
            "createdAfter": to_iso(after),
            "createdBefore": to_iso(before),
            "limit": const.PAGE_LIMIT,
            "sortOrder": "ASC",
            "includeDetails": "true",
        }
        if account.vendor_df_status_filter:
            base["status"] = account.vendor_df_status_filter
        warehouses = account.vendor_code_ids.filtered("use_direct_fulfillment").mapped(
            "ship_from_party_id"
        )
        if not warehouses or not all(warehouses):
            return [base]
        return [dict(base, shipFromPartyId=code) for code in sorted(set(warehouses))]

    @api.model
    def _after_run(self, account, after, before):
        """Direct Fulfillment has no status read back in this API version."""

    @api.model
    def _must_skip(self, account, document):
        details = document.get("orderDetails") or {}
        return details.get("orderStatus") == "CANCELLED"

    @api.model
    def _vendor_code_flag(self):
        return "use_direct_fulfillment"

    @api.model
    def _get_status(self, document):
        return (document.get("orderDetails") or {}).get("orderStatus") or False

    @api.model
    def _order_date(self, details):
        order_date = parse_datetime(details.get("orderDate"))
        if not order_date:
            raise AmazonOrderDataError(self.env._("The order has no order date."))
        return order_date

    @api.model
    def _last_update(self, document):
        return None

    @api.model
    def _item_cost(self, item):
        return item.get("netPrice")

    @api.model
    def _find_partners(self, account, details):
        """Amazon (bill-to party) buys; the end customer only receives.

        The end customer's address is personal data: one contact per order,
        marked ``amazon_created`` so that the retention job anonymizes it.
        """
        customer = self.env["amazon.vendor.party"]._get_partner(
            account, "bill_to", details.get("billToParty")
        )
        address = details.get("shipToParty")
        name = clean_text(address.get("name")) if isinstance(address, dict) else ""
        if not name:
            raise AmazonOrderDataError(self.env._("The order has no delivery address."))
        vals = self.env["amazon.vendor.party"]._prepare_address_values(address)
        vals.update(
            name=name,
            type="delivery",
            parent_id=customer.id,
            amazon_created=True,
            amazon_account_id=account.id,
            company_id=account.company_id.id,
        )
        attention = clean_text(address.get("attention"))
        if attention and attention != vals["name"]:
            vals["comment"] = text_to_html(self.env._("Attention: %s", attention))
        delivery = (
            self.env["res.partner"].with_context(amazon_keep_parent=True).create(vals)
        )
        return customer, customer, delivery

    @api.model
    def _prepare_sale_order(self, account, document, details, notes):
        vals = super()._prepare_sale_order(account, document, details, notes)
        shipment = details.get("shipmentDetails") or {}
        dates = shipment.get("shipmentDates") or {}
        promised = parse_datetime(dates.get("promisedDeliveryDate"))
        if promised:
            vals["commitment_date"] = promised
        message = clean_text(
            shipment.get("messageToCustomer"), MAX_MESSAGE, multiline=True
        )
        if message:
            notes.append(self.env._("Message to customer: %s", message))
        return vals

    @api.model
    def _prepare_vendor_line(self, item, index):
        adapted = dict(
            item,
            amazonProductIdentifier=item.get("buyerProductIdentifier"),
            netCost=item.get("netPrice"),
            isBackOrderAllowed=False,
        )
        vals = super()._prepare_vendor_line(adapted, index)
        vals.update(unit_of_measure=const.DF_UOM_EACH, unit_size=1)
        vals["title"] = clean_text(item.get("title")) or False
        return vals

    @api.model
    def _prepare_binding(self, account, sale_order, document, details):
        shipment = details.get("shipmentDetails") or {}
        dates = shipment.get("shipmentDates") or {}
        selling_party = (details.get("sellingParty") or {}).get("partyId")
        ship_from = (details.get("shipFromParty") or {}).get("partyId")
        return {
            "name": self._get_po_number(document),
            "kind": "df",
            "account_id": account.id,
            "sale_order_id": sale_order.id,
            "vendor_code_id": self._find_vendor_code(
                account, selling_party, ship_from
            ).id,
            "selling_party_id": selling_party,
            "ship_from_party_id": ship_from,
            "bill_to_party_id": (details.get("billToParty") or {}).get("partyId"),
            "df_status": details.get("orderStatus") or False,
            "po_date": parse_datetime(details.get("orderDate")),
            "customer_order_number": details.get("customerOrderNumber") or False,
            "ship_method": shipment.get("shipMethod") or False,
            "is_priority_shipment": bool(shipment.get("isPriorityShipment")),
            "is_gift": bool(shipment.get("isGift")),
            "is_pslip_required": bool(shipment.get("isPslipRequired")),
            "required_ship_date": parse_datetime(dates.get("requiredShipDate")),
            "promised_delivery_date": parse_datetime(dates.get("promisedDeliveryDate")),
            "ack_state": "to_send",
        }

    @api.model
    def _after_create(self, account, sale_order, binding, document):
        """Accept the order at once when the account says so (most DF vendors do)."""
        if account.vendor_df_auto_acknowledge:
            binding.df_ack_code = const.DF_ACK_ACCEPT
            binding.action_send_acknowledgement()

    @api.model
    def _update_order(self, binding, document):
        """Follow Amazon's order status; a cancelled order is cancelled in Odoo."""
        status = self._get_status(document)
        if not status or status == binding.df_status:
            return "skipped"
        binding.df_status = status
        sale_order = binding.sale_order_id
        vals = {"amazon_status": status}
        if status in ("SHIPPED", "CANCELLED") and not sale_order.amazon_closed_date:
            vals["amazon_closed_date"] = fields.Datetime.now()
        sale_order.write(vals)
        if status == "CANCELLED" and sale_order.state != "cancel":
            self.env["amazon.order.importer"]._cancel_sale_order(sale_order, document)
        return "updated"
