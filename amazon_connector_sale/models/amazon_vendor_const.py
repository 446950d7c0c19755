# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's Vendor Central vocabulary, as written in Amazon's own API models.

Sources (amzn/selling-partner-api-models, kept in ``tests/spapi-models``):
``vendorOrders.json`` (v1), ``vendorDirectFulfillmentOrders_2021-12-28.json``,
``vendorDirectFulfillmentShipping_2021-12-28.json``, ``vendorInvoices.json`` (v1),
``vendorDirectFulfillmentPaymentsV1.json``,
``vendorDirectFulfillmentInventoryV1.json``, ``vendorTransactionStatus.json`` and
``vendorDirectFulfillmentTransactions_2021-12-28.json``.
"""

# Operations, as the seam ``amazon.account._spapi_call`` names them.
OP_GET_PURCHASE_ORDERS = "vendorOrders.getPurchaseOrders"
OP_SUBMIT_ACKNOWLEDGEMENT = "vendorOrders.submitAcknowledgement"
OP_GET_PURCHASE_ORDERS_STATUS = "vendorOrders.getPurchaseOrdersStatus"
OP_DF_GET_ORDERS = "vendorDfOrders.getOrders"
OP_DF_SUBMIT_ACKNOWLEDGEMENT = "vendorDfOrders.submitAcknowledgement"
OP_DF_SUBMIT_SHIPMENT_CONFIRMATIONS = "vendorDfShipping.submitShipmentConfirmations"
OP_SUBMIT_INVOICES = "vendorInvoices.submitInvoices"
OP_DF_GET_ORDER = "vendorDfOrders.getOrder"
OP_DF_GET_PACKING_SLIP = "vendorDfShipping.getPackingSlip"
OP_DF_GET_SHIPPING_LABEL = "vendorDfShipping.getShippingLabel"
OP_DF_CREATE_SHIPPING_LABELS = "vendorDfShipping.createShippingLabels"
OP_DF_SUBMIT_INVOICE = "vendorDfPayments.submitInvoice"
OP_DF_SUBMIT_INVENTORY_UPDATE = "vendorDfInventory.submitInventoryUpdate"
# Amazon's verdict on a submission: Retail (vendorTransactionStatus.json) and
# Direct Fulfillment (vendorDirectFulfillmentTransactions_2021-12-28.json).
OP_GET_TRANSACTION = "vendorTransactionStatus.getTransaction"
OP_DF_GET_TRANSACTION = "vendorDfTransactions.getTransactionStatus"

SYNC_KIND = "vendor_orders"

# Both order lists hold at most 100 orders a page (``limit`` maximum).
PAGE_LIMIT = 100
# Amazon may still be indexing the last minutes: never ask for them (same rule
# as the Orders API's ``...Before`` parameters).
MIN_BEFORE_DELAY_MINUTES = 2

# vendorOrders ``Order.purchaseOrderState`` (also the ``purchaseOrderState`` filter).
PO_STATE_SELECTION = [
    ("New", "New"),
    ("Acknowledged", "Acknowledged"),
    ("Closed", "Closed"),
]
# vendorOrders ``OrderDetails.purchaseOrderType``.
PO_TYPE_SELECTION = [
    ("RegularOrder", "Regular order"),
    ("ConsignedOrder", "Consigned order"),
    ("NewProductIntroduction", "New product introduction"),
    ("RushOrder", "Rush order"),
]
# vendorOrders ``OrderItemAcknowledgement.acknowledgementCode``.
ACK_ACCEPTED = "Accepted"
ACK_BACKORDERED = "Backordered"
ACK_REJECTED = "Rejected"
ACK_CODE_SELECTION = [
    (ACK_ACCEPTED, "Accept"),
    (ACK_BACKORDERED, "Backorder"),
    (ACK_REJECTED, "Reject"),
]
# vendorOrders ``OrderItemAcknowledgement.rejectionReason``.
REJECTION_REASON_SELECTION = [
    ("TemporarilyUnavailable", "Temporarily unavailable"),
    ("InvalidProductIdentifier", "Invalid product identifier"),
    ("ObsoleteProduct", "Obsolete product"),
]
# vendorOrders ``ItemQuantity.unitOfMeasure``.
UOM_CASES = "Cases"
UOM_EACHES = "Eaches"
# vendorOrders ``OrderStatus.purchaseOrderStatus`` (getPurchaseOrdersStatus).
PO_STATUS_SELECTION = [("OPEN", "Open"), ("CLOSED", "Closed")]
# vendorOrders ``OrderItemStatus.acknowledgementStatus.confirmationStatus``.
CONFIRMATION_STATUS_SELECTION = [
    ("ACCEPTED", "Accepted"),
    ("PARTIALLY_ACCEPTED", "Partially accepted"),
    ("REJECTED", "Rejected"),
    ("UNCONFIRMED", "Unconfirmed"),
]
# vendorOrders ``OrderItemStatus.receivingStatus.receiveStatus``.
RECEIVE_STATUS_SELECTION = [
    ("NOT_RECEIVED", "Not received"),
    ("PARTIALLY_RECEIVED", "Partially received"),
    ("RECEIVED", "Received"),
]

# vendorDfOrders 2021-12-28 ``OrderDetails.orderStatus`` (also the ``status`` filter).
DF_STATUS_SELECTION = [
    ("NEW", "New"),
    ("ACCEPTED", "Accepted"),
    ("SHIPPED", "Shipped"),
    ("CANCELLED", "Cancelled"),
]
# vendorDfOrders ``AcknowledgementStatus.code``: two-digit codes listed in the
# Vendor Direct Fulfillment use case guide ("Submit an acknowledgement", business
# requirements), not in the model. A DF order is accepted or rejected as a whole.
DF_ACK_SELECTION = [
    ("00", "00 - Shipping 100 percent of ordered product"),
    ("02", "02 - Canceled due to missing/invalid SKU"),
    ("03", "03 - Canceled out of stock"),
]
DF_ACK_ACCEPT = "00"
# vendorDfOrders ``ItemQuantity.unitOfMeasure`` (the only value).
DF_UOM_EACH = "Each"
# vendorDfShipping ``ShipmentDetails.shipmentStatus``.
DF_SHIPMENT_SHIPPED = "SHIPPED"

# vendorInvoices ``Invoice.invoiceType``.
INVOICE_TYPE_INVOICE = "Invoice"
INVOICE_TYPE_CREDIT_NOTE = "CreditNote"
# vendorInvoices ``TaxDetails.taxType``: what Odoo's tax group names map to. Anything
# else is sent as VAT, the type European vendors use.
INVOICE_TAX_TYPES = (
    "CGST",
    "SGST",
    "CESS",
    "UTGST",
    "IGST",
    "MwSt.",
    "PST",
    "TVA",
    "VAT",
    "GST",
    "ST",
    "Consumption",
    "MutuallyDefined",
    "DomesticVAT",
)

# Who provides the shipping label of Direct Fulfillment parcels.
DF_LABEL_SOURCE_SELECTION = [
    ("vendor", "Own carrier account"),
    ("amazon", "Amazon's shipping labels"),
]
