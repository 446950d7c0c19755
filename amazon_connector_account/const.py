# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon vocabulary of invoices, refunds and returns, with its source."""

INVOICE_POLICIES = [
    ("never", "By hand"),
    ("import", "When the order is imported"),
    ("ship", "When the order ships"),
]
INVOICE_DATE_SOURCES = [
    ("shipment", "Shipment date"),
    ("purchase", "Purchase date"),
]

# Orders API 2026-01-01, Order.programs and OrderItem.tax.taxCollections[].model
# (orders_2026-01-01.json).
PROGRAM_BUSINESS = "AMAZON_BUSINESS"
PROGRAM_INVOICE_BY_AMAZON = "INVOICE_BY_AMAZON"
TAX_MODEL_MARKETPLACE_FACILITATOR = "MARKETPLACE_FACILITATOR"

# Finances API 2024-06-19 listTransactions (finances_2024-06-19.json): rate 0.5/s,
# burst 10, at most 180 days per window, postedBefore at least 2 minutes ago.
OP_LIST_TRANSACTIONS = "finances.listTransactions"
FINANCES_MAX_WINDOW_DAYS = 180
FINANCES_END_MARGIN_MINUTES = 3
TRANSACTION_TYPE_REFUND = "Refund"
TRANSACTION_TYPE_SHIPMENT = "Shipment"
RELATED_ORDER_ID = "ORDER_ID"
RELATED_REFUND_ID = "REFUND_ID"
RELATED_GROUP_ID = "FINANCIAL_EVENT_GROUP_ID"
TRANSACTION_STATUSES = [
    ("DEFERRED", "Deferred"),
    ("RELEASED", "Released"),
    ("DEFERRED_RELEASED", "Released after deferral"),
]
CONTEXT_PRODUCT = "ProductContext"

# Breakdown types, as Amazon names the charges a buyer pays or gets back
# (Finances 2024-06-19 nests them: Sales > ProductCharges > Principal...). What a
# credit note carries is the buyer's money; fees are the settlement's (issue 16).
BREAKDOWN_GOODS = {"Principal", "ProductCharges", "ItemPrice", "OurPrice"}
BREAKDOWN_SHIPPING = {"Shipping", "ShippingCharge", "ShippingCharges"}
BREAKDOWN_GIFT_WRAP = {"GiftWrap", "GiftWrapCharge", "GiftWrapCharges"}
BREAKDOWN_PROMOTION = {"Promotion", "Promotions", "PromotionDiscount", "Discount"}
BREAKDOWN_TAX = {
    "Tax",
    "Taxes",
    "ItemTax",
    "OurPriceTax",
    "ShippingTax",
    "GiftWrapTax",
    "PromotionTax",
}

# Reports API 2021-06-30 (reports_2021-06-30.json): createReport 0.0167/s burst 15.
OP_CREATE_REPORT = "reports.createReport"
OP_GET_REPORT = "reports.getReport"
OP_GET_REPORT_DOCUMENT = "reports.getReportDocument"
REPORT_FBM_RETURNS = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
REPORT_FBA_RETURNS = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
REPORT_DONE = "DONE"
REPORT_FAILED = ("CANCELLED", "FATAL")
# FBM returns: at most 60 days per report (AMAZON.md).
REPORT_MAX_WINDOW_DAYS = 60
# GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA detailed-disposition: only SELLABLE
# units go back to the fulfillable stock.
FBA_DISPOSITION_SELLABLE = "SELLABLE"

# Finances v0 listFinancialEventGroups (financesV0.json): 0.5/s burst 30;
# Transfers 2024-06-01 listPayouts (transfers_2024-06-01.json): 0.5/s burst 10.
OP_LIST_GROUPS = "finances.listFinancialEventGroups"
OP_LIST_PAYOUTS = "transfers.listPayouts"
GROUP_STATUS_OPEN = "Open"
GROUP_STATUS_CLOSED = "Closed"
# Amazon's transactionType values (finances_2024-06-19.json gives "Shipment" as
# the example; the others are those Seller Central and the Finances API send).
TRANSACTION_TYPE_LABELS = [
    ("Shipment", "Order payment"),
    ("Refund", "Refund"),
    ("ServiceFee", "Service fee"),
    ("Adjustment", "Adjustment"),
    ("Transfer", "Transfer to the bank"),
    ("Chargeback", "Charge-back"),
    ("GuaranteeClaim", "A-to-z guarantee claim"),
    ("Retrocharge", "Retrocharge"),
    ("ProductAdsPayment", "Advertising"),
    ("Reimbursement", "Reimbursement"),
    ("ReserveHold", "Reserve held"),
    ("ReserveRelease", "Reserve released"),
    ("Deferred", "Deferred"),
]
# Which total of a settlement a line counts in (amazon.settlement).
SETTLEMENT_KINDS = [
    ("sale", "Sales"),
    ("refund", "Refunds"),
    ("fee", "Fees"),
    ("other", "Other"),
]

SYNC_KIND_REFUNDS = "refunds"
SYNC_KIND_SETTLEMENTS = "settlements"
SYNC_KIND_RETURNS = "returns"
# amazon_connector_stock's FBA inventory import (kind of its sync logs).
SYNC_KIND_FBA_INVENTORY = "fba_inventory"
