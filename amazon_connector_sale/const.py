# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's order vocabulary, as written in Orders API 2026-01-01.

Source: ``orders_2026-01-01.json`` of amzn/selling-partner-api-models
(``FulfillmentStatus``, ``searchOrders.includedData``, ``OrderProceedsBreakdown.type``).
"""

SEARCH_ORDERS = "orders.searchOrders"
GET_ORDER = "orders.getOrder"

# searchOrders.includedData enum: everything an order import needs in one call.
INCLUDED_DATA = [
    "BUYER",
    "RECIPIENT",
    "PROCEEDS",
    "EXPENSE",
    "PROMOTION",
    "CANCELLATION",
    "FULFILLMENT",
    "TAX",
]

# FulfillmentStatus enum of the 2026 model.
STATUS_PENDING_AVAILABILITY = "PENDING_AVAILABILITY"
STATUS_PENDING = "PENDING"
STATUS_UNSHIPPED = "UNSHIPPED"
STATUS_PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
STATUS_SHIPPED = "SHIPPED"
STATUS_CANCELLED = "CANCELLED"
STATUS_UNFULFILLABLE = "UNFULFILLABLE"

STATUS_SELECTION = [
    (STATUS_PENDING_AVAILABILITY, "Pending availability"),
    (STATUS_PENDING, "Pending"),
    (STATUS_UNSHIPPED, "Unshipped"),
    (STATUS_PARTIALLY_SHIPPED, "Partially shipped"),
    (STATUS_SHIPPED, "Shipped"),
    (STATUS_CANCELLED, "Cancelled"),
    (STATUS_UNFULFILLABLE, "Unfulfillable"),
]
DEFAULT_IMPORT_STATUSES = (STATUS_UNSHIPPED, STATUS_PARTIALLY_SHIPPED, STATUS_SHIPPED)
# Statuses after which the buyer's personal data is no longer needed (retention clock).
CLOSED_STATUSES = (STATUS_SHIPPED, STATUS_CANCELLED, STATUS_UNFULFILLABLE)

# OrderFulfillment.fulfilledBy
FULFILLED_BY_AMAZON = "AMAZON"
FULFILLED_BY_MERCHANT = "MERCHANT"

# OrderProceedsBreakdown.type / ItemProceedsDetailedBreakdown.subtype
PROCEEDS_ITEM = "ITEM"
PROCEEDS_SHIPPING = "SHIPPING"
PROCEEDS_GIFT_WRAP = "GIFT_WRAP"
PROCEEDS_TAX = "TAX"
PROCEEDS_DISCOUNT = "DISCOUNT"

# OrderFulfillment.fulfillmentServiceLevel
SERVICE_LEVELS = [
    ("EXPEDITED", "Expedited"),
    ("FREE_ECONOMY", "Free economy"),
    ("NEXT_DAY", "Next day"),
    ("PRIORITY", "Priority"),
    ("SAME_DAY", "Same day"),
    ("SECOND_DAY", "Second day"),
    ("SCHEDULED", "Scheduled"),
    ("STANDARD", "Standard"),
]

# searchOrders pages hold at most 100 orders.
MAX_RESULTS_PER_PAGE = 100
# lastUpdatedBefore must be at least two minutes in the past (searchOrders docs);
# the vendor order lists follow the same rule: Amazon may still be indexing the
# last minutes, never ask for them.
MIN_BEFORE_DELAY_MINUTES = 2
# Amazon may index an order update a little after its lastUpdatedTime: re-read this
# much of the previous window on every run (the import is idempotent).
CURSOR_OVERLAP_MINUTES = 15
# Server errors / timeouts on one page are retried this many times.
PAGE_MAX_ATTEMPTS = 3

# The sync kind of the seller order import (amazon.sync.log, the schedule).
ORDERS_KIND = "orders"
# Key of the look-ups a page of orders shares, on the cursor's cache.
PAGE_CACHE_KEY = "amazon_order_import_page"
# stats key of the orders skipped for one reason: (SKIP_KEY, reason)
SKIP_KEY = "skipped_because"
# stats key of a product whose FBA stock went negative: (FBA_SHORT_KEY, name)
FBA_SHORT_KEY = "fba_stock_negative"
# A failure's reason is cut to this many characters.
MAX_REASON = 500
# Amounts and quantities beyond these are not an order's: bad data.
MAX_AMOUNT = 100000000
MAX_QUANTITY = 100000

# Regions as Amazon's buyers write them (``deliveryAddress.stateOrRegion`` is
# free text the buyer typed or picked), mapped to the code of Odoo's
# res.country.state for variants that neither the code nor the name of the
# state spells: English exonyms, other national languages, "Greater ...".
# ``None`` marks a real region for which Odoo has no state (Brussels is a region,
# not a province): the address keeps no state and the order gets no note.
# Keys are compared folded (lower case, no accents, no punctuation).
STATE_ALIASES = {
    "DE": {
        "bavaria": "DE-BY",
        "north rhine westphalia": "DE-NW",
        "lower saxony": "DE-NI",
        "hesse": "DE-HE",
        "saxony": "DE-SN",
        "saxony anhalt": "DE-ST",
        "thuringia": "DE-TH",
        "rhineland palatinate": "DE-RP",
        "mecklenburg western pomerania": "DE-MV",
        "mecklenburg vorpommern": "DE-MV",
    },
    "IT": {
        "milan": "MI",
        "rome": "RM",
        "turin": "TO",
        "florence": "FI",
        "naples": "NA",
        "venice": "VE",
        "genoa": "GE",
        "padua": "PD",
        "monza e brianza": "MB",
        "monza brianza": "MB",
        "forli cesena": "FC",
        "reggio emilia": "RE",
        "reggio calabria": "RC",
    },
    "ES": {
        "baleares": "PM",
        "islas baleares": "PM",
        "balears": "PM",
        "la coruna": "C",
        "coruna": "C",
        "vizcaya": "BI",
        "guipuzcoa": "SS",
        "alava": "VI",
    },
    "GB": {
        "greater london": "Q1",
        "city of london": "Q1",
        "london": "Q1",
        "durham": "E1",
        "isle of wight": "N9",
    },
    "BE": {
        "antwerpen": "VAN",
        "anvers": "VAN",
        "vlaams brabant": "VBR",
        "brabant flamand": "VBR",
        "oost vlaanderen": "VOV",
        "flandre orientale": "VOV",
        "west vlaanderen": "VWV",
        "flandre occidentale": "VWV",
        "brabant wallon": "WBR",
        "waals brabant": "WBR",
        "henegouwen": "WHT",
        "luik": "WLG",
        "luttich": "WLG",
        "luxemburg": "WLX",
        "namen": "WNA",
        "brussels": None,
        "bruxelles": None,
        "brussel": None,
        "bruxelles capitale": None,
        "brussels hoofdstedelijk gewest": None,
        "region de bruxelles capitale": None,
    },
    "NL": {
        "south holland": "ZH",
        "north holland": "NH",
        "north brabant": "NB",
        "frisia": "FR",
        "fryslan": "FR",
        "guelders": "GE",
        "zealand": "ZE",
    },
    "IE": {
        "dublin city": "D",
        "county dublin": "D",
    },
    "SE": {
        "stockholm": "SE-AB",
        "vastra gotaland": "SE-O",
        "skane": "SE-M",
        "gothenburg": "SE-O",
    },
}


# --- Vendor Central ------------------------------------------------------------
# Amazon's Vendor Central vocabulary, as written in Amazon's own API models.
#
# Sources (amzn/selling-partner-api-models, kept in ``tests/spapi-models``):
# ``vendorOrders.json`` (v1), ``vendorDirectFulfillmentOrders_2021-12-28.json``,
# ``vendorDirectFulfillmentShipping_2021-12-28.json``, ``vendorInvoices.json`` (v1),
# ``vendorDirectFulfillmentPaymentsV1.json``,
# ``vendorDirectFulfillmentInventoryV1.json``, ``vendorTransactionStatus.json`` and
# ``vendorDirectFulfillmentTransactions_2021-12-28.json``.

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
