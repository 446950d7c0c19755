# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's vocabulary, as named constants with their source.

Nothing here imports ``sp_api``: the seam (``spapi.py``) is the only module that does.
"""

from collections import namedtuple

# Production SP-API endpoints and their AWS regions, per selling region.
# https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints
SPAPI_ENDPOINTS = {
    "na": ("https://sellingpartnerapi-na.amazon.com", "us-east-1"),
    "eu": ("https://sellingpartnerapi-eu.amazon.com", "eu-west-1"),
    "fe": ("https://sellingpartnerapi-fe.amazon.com", "us-west-2"),
}

# Login with Amazon token endpoint (the same for every region).
# https://developer-docs.amazon.com/sp-api/docs/connecting-to-the-selling-partner-api
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"

REGIONS = [
    ("na", "North America"),
    ("eu", "Europe"),
    ("fe", "Far East"),
]

# The python-amazon-sp-api release whose traps the seam was checked against (in
# its source: github.com/saleweaver/python-amazon-sp-api, tag v2.1.35); a test
# fails when another release is installed.
SPAPI_LIBRARY_VERSION = "2.1.35"

# HTTP timeout of every SP-API and LWA request, in seconds (connect, then read).
SPAPI_CONNECT_TIMEOUT = 10.0
SPAPI_READ_TIMEOUT = 30.0

# Longest time the client-side rate budget may wait for a token before raising
# AmazonThrottled instead: a worker must never sit idle for long inside a request.
SPAPI_MAX_WAIT = 2.0

# A token of the client-side budget is taken this long after the budget says it
# is back: Amazon's bucket starts counting when the previous request reached it,
# a little after our budget did, and a request sent on the exact edge gets a 429.
SPAPI_BUDGET_MARGIN = 0.1

# Retry-after used when Amazon throttles without telling how long to wait.
SPAPI_DEFAULT_RETRY_AFTER = 60.0

# An authorization lasts one year; Amazon reminds the seller during the last month.
# https://developer-docs.amazon.com/sp-api/docs/authorization-renewal
AUTHORIZATION_VALIDITY_MONTHS = 12
AUTHORIZATION_REMINDER_DAYS = 30

# One operation of the SP-API as this connector calls it.
#  api_class: the python-amazon-sp-api class (``sp_api.api.<api_class>``)
#  version: the pinned API version (None for single-version APIs)
#  http_method, path: from Amazon's model (``spapi-models/*.json``)
#  rate, burst: Amazon's documented default usage plan (requests/second, burst)
SpApiOperation = namedtuple(
    "SpApiOperation", "api_class version http_method path rate burst"
)

# Every operation the connector may call, keyed "<api>.<operationId>".
# Generated from Amazon's models (the usage plans are those of the operation's
# description); the versions are pinned: ``Orders()`` without a version is v0.
SPAPI_OPERATIONS = {
    # orders_2026-01-01.json
    "orders.searchOrders": SpApiOperation(
        "Orders", "2026-01-01", "GET", "/orders/2026-01-01/orders", 0.0056, 20
    ),
    "orders.getOrder": SpApiOperation(
        "Orders", "2026-01-01", "GET", "/orders/2026-01-01/orders/{orderId}", 0.5, 30
    ),
    # ordersV0.json
    "ordersV0.getOrders": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders", 0.0167, 20
    ),
    "ordersV0.getOrder": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders/{orderId}", 0.5, 30
    ),
    "ordersV0.getOrderBuyerInfo": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders/{orderId}/buyerInfo", 0.5, 30
    ),
    "ordersV0.getOrderAddress": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders/{orderId}/address", 0.5, 30
    ),
    "ordersV0.getOrderItems": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders/{orderId}/orderItems", 0.5, 30
    ),
    "ordersV0.getOrderItemsBuyerInfo": SpApiOperation(
        "Orders",
        "v0",
        "GET",
        "/orders/v0/orders/{orderId}/orderItems/buyerInfo",
        0.5,
        30,
    ),
    "ordersV0.updateShipmentStatus": SpApiOperation(
        "Orders", "v0", "POST", "/orders/v0/orders/{orderId}/shipment", 5, 15
    ),
    "ordersV0.getOrderRegulatedInfo": SpApiOperation(
        "Orders", "v0", "GET", "/orders/v0/orders/{orderId}/regulatedInfo", 0.5, 30
    ),
    "ordersV0.updateVerificationStatus": SpApiOperation(
        "Orders", "v0", "PATCH", "/orders/v0/orders/{orderId}/regulatedInfo", 0.5, 30
    ),
    "ordersV0.confirmShipment": SpApiOperation(
        "Orders",
        "v0",
        "POST",
        "/orders/v0/orders/{orderId}/shipmentConfirmation",
        2,
        10,
    ),
    # sellers.json
    "sellers.getMarketplaceParticipations": SpApiOperation(
        "Sellers", None, "GET", "/sellers/v1/marketplaceParticipations", 0.016, 15
    ),
    "sellers.getAccount": SpApiOperation(
        "Sellers", None, "GET", "/sellers/v1/account", 0.016, 15
    ),
    # listingsItems_2021-08-01.json
    "listings.deleteListingsItem": SpApiOperation(
        "ListingsItems",
        "2021-08-01",
        "DELETE",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        5,
        5,
    ),
    "listings.getListingsItem": SpApiOperation(
        "ListingsItems",
        "2021-08-01",
        "GET",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        5,
        10,
    ),
    "listings.patchListingsItem": SpApiOperation(
        "ListingsItems",
        "2021-08-01",
        "PATCH",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        5,
        5,
    ),
    "listings.putListingsItem": SpApiOperation(
        "ListingsItems",
        "2021-08-01",
        "PUT",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        5,
        10,
    ),
    "listings.searchListingsItems": SpApiOperation(
        "ListingsItems",
        "2021-08-01",
        "GET",
        "/listings/2021-08-01/items/{sellerId}",
        5,
        5,
    ),
    # feeds_2021-06-30.json
    "feeds.getFeeds": SpApiOperation(
        "Feeds", "2021-06-30", "GET", "/feeds/2021-06-30/feeds", 0.0222, 10
    ),
    "feeds.createFeed": SpApiOperation(
        "Feeds", "2021-06-30", "POST", "/feeds/2021-06-30/feeds", 0.0083, 15
    ),
    "feeds.cancelFeed": SpApiOperation(
        "Feeds", "2021-06-30", "DELETE", "/feeds/2021-06-30/feeds/{feedId}", 2, 15
    ),
    "feeds.getFeed": SpApiOperation(
        "Feeds", "2021-06-30", "GET", "/feeds/2021-06-30/feeds/{feedId}", 2, 15
    ),
    "feeds.createFeedDocument": SpApiOperation(
        "Feeds", "2021-06-30", "POST", "/feeds/2021-06-30/documents", 0.5, 15
    ),
    "feeds.getFeedDocument": SpApiOperation(
        "Feeds",
        "2021-06-30",
        "GET",
        "/feeds/2021-06-30/documents/{feedDocumentId}",
        0.0222,
        10,
    ),
    # fbaInventory.json
    "fbaInventory.getInventorySummaries": SpApiOperation(
        "Inventories", None, "GET", "/fba/inventory/v1/summaries", 2, 2
    ),
    # finances_2024-06-19.json
    "finances.listTransactions": SpApiOperation(
        "Finances", "2024-06-19", "GET", "/finances/2024-06-19/transactions", 0.5, 10
    ),
    # financesInvoices_2026-06-25.json: the model publishes no usage plan; the
    # rate and burst below are the Finances API's (listTransactions), an assumption.
    "financesInvoices.getInvoiceHeaders": SpApiOperation(
        "FinancesInvoices",
        None,
        "GET",
        "/finances/invoices/2026-06-25/invoices",
        0.5,
        10,
    ),
    "financesInvoices.getInvoice": SpApiOperation(
        "FinancesInvoices",
        None,
        "GET",
        "/finances/invoices/2026-06-25/invoices/{invoiceIdentifier}",
        0.5,
        10,
    ),
    # financesV0.json: groups are v0 only (Amazon's finances_2024-06-19 model
    # has no group path; python-amazon-sp-api 2.1.35's FinancesV20240619 exposes
    # one that Amazon does not serve)
    "finances.listFinancialEventGroups": SpApiOperation(
        "Finances", "v0", "GET", "/finances/v0/financialEventGroups", 0.5, 30
    ),
    # transfers_2024-06-01.json (no class in python-amazon-sp-api 2.1.35: the
    # seam's own, spapi.TransfersV20240601)
    "transfers.listPayouts": SpApiOperation(
        "Transfers",
        "2024-06-01",
        "GET",
        "/finances/transfers/2024-06-01/payouts",
        0.5,
        10,
    ),
    # reports_2021-06-30.json
    "reports.createReport": SpApiOperation(
        "Reports", None, "POST", "/reports/2021-06-30/reports", 0.0167, 15
    ),
    "reports.getReport": SpApiOperation(
        "Reports", None, "GET", "/reports/2021-06-30/reports/{reportId}", 2, 15
    ),
    "reports.getReportDocument": SpApiOperation(
        "Reports",
        None,
        "GET",
        "/reports/2021-06-30/documents/{reportDocumentId}",
        0.0167,
        15,
    ),
    # tokens_2021-03-01.json
    "tokens.createRestrictedDataToken": SpApiOperation(
        "Tokens", None, "POST", "/tokens/2021-03-01/restrictedDataToken", 1, 10
    ),
    # vendorOrders.json
    "vendorOrders.getPurchaseOrders": SpApiOperation(
        "VendorOrders", None, "GET", "/vendor/orders/v1/purchaseOrders", 10, 10
    ),
    "vendorOrders.getPurchaseOrder": SpApiOperation(
        "VendorOrders",
        None,
        "GET",
        "/vendor/orders/v1/purchaseOrders/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorOrders.submitAcknowledgement": SpApiOperation(
        "VendorOrders", None, "POST", "/vendor/orders/v1/acknowledgements", 10, 10
    ),
    "vendorOrders.getPurchaseOrdersStatus": SpApiOperation(
        "VendorOrders", None, "GET", "/vendor/orders/v1/purchaseOrdersStatus", 10, 10
    ),
    # vendorDirectFulfillmentOrders_2021-12-28.json
    "vendorDfOrders.getOrders": SpApiOperation(
        "VendorDirectFulfillmentOrders",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/orders/2021-12-28/purchaseOrders",
        10,
        10,
    ),
    "vendorDfOrders.getOrder": SpApiOperation(
        "VendorDirectFulfillmentOrders",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/orders/2021-12-28/purchaseOrders/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorDfOrders.submitAcknowledgement": SpApiOperation(
        "VendorDirectFulfillmentOrders",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/orders/2021-12-28/acknowledgements",
        10,
        10,
    ),
    # vendorDirectFulfillmentShipping_2021-12-28.json
    "vendorDfShipping.getShippingLabels": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels",
        10,
        10,
    ),
    "vendorDfShipping.submitShippingLabelRequest": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels",
        10,
        10,
    ),
    "vendorDfShipping.getShippingLabel": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorDfShipping.createShippingLabels": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorDfShipping.submitShipmentConfirmations": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shipmentConfirmations",
        10,
        10,
    ),
    "vendorDfShipping.submitShipmentStatusUpdates": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shipmentStatusUpdates",
        10,
        10,
    ),
    "vendorDfShipping.getCustomerInvoices": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/customerInvoices",
        10,
        10,
    ),
    "vendorDfShipping.getCustomerInvoice": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/customerInvoices/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorDfShipping.getPackingSlips": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/packingSlips",
        10,
        10,
    ),
    "vendorDfShipping.getPackingSlip": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/packingSlips/{purchaseOrderNumber}",
        10,
        10,
    ),
    "vendorDfShipping.createContainerLabel": SpApiOperation(
        "VendorDirectFulfillmentShipping",
        "2021-12-28",
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/containerLabel",
        10,
        10,
    ),
    # vendorInvoices.json
    "vendorInvoices.submitInvoices": SpApiOperation(
        "VendorInvoices", None, "POST", "/vendor/payments/v1/invoices", 10, 10
    ),
    # vendorTransactionStatus.json: the verdict on Retail submissions
    "vendorTransactionStatus.getTransaction": SpApiOperation(
        "VendorTransactionStatus",
        None,
        "GET",
        "/vendor/transactions/v1/transactions/{transactionId}",
        10,
        20,
    ),
    # vendorDirectFulfillmentTransactions_2021-12-28.json: the verdict on DF
    # submissions (the library has the class but no method: the seam builds the
    # request from the path)
    "vendorDfTransactions.getTransactionStatus": SpApiOperation(
        "VendorDirectFulfillmentTransactions",
        "2021-12-28",
        "GET",
        "/vendor/directFulfillment/transactions/2021-12-28/transactions/{transactionId}",
        10,
        10,
    ),
    # vendorDirectFulfillmentPaymentsV1.json
    "vendorDfPayments.submitInvoice": SpApiOperation(
        "VendorDirectFulfillmentPayments",
        None,
        "POST",
        "/vendor/directFulfillment/payments/v1/invoices",
        10,
        10,
    ),
    # vendorDirectFulfillmentInventoryV1.json
    "vendorDfInventory.submitInventoryUpdate": SpApiOperation(
        "VendorDirectFulfillmentInventory",
        None,
        "POST",
        "/vendor/directFulfillment/inventory/v1/warehouses/{warehouseId}/items",
        10,
        10,
    ),
}

# Amazon's marketplaces: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids
# (the data file data/amazon_marketplace_data.xml holds the full records).
MARKETPLACE_IDS = {
    "CA": "A2EUQ1WTGCTBG2",
    "US": "ATVPDKIKX0DER",
    "MX": "A1AM78C64UM0Y8",
    "BR": "A2Q3Y263D00KWC",
    "IE": "A28R8C7NBKEWEA",
    "ES": "A1RKKUPIHCS9HS",
    "GB": "A1F83G8C2ARO7P",
    "FR": "A13V1IB3VIYZZH",
    "BE": "AMEN7PMS3EDWL",
    "NL": "A1805IZSGTT6HS",
    "DE": "A1PA6795UKMFR9",
    "IT": "APJ6JRA9NG5V4",
    "SE": "A2NODRKZP88ZB9",
    "ZA": "AE08WJ6YKNBMC",
    "PL": "A1C3SOZRARQ6R3",
    "EG": "ARBP9OOSHTCHU",
    "TR": "A33AVAJ2PDY3EV",
    "SA": "A17E79C6D8DWNP",
    "AE": "A2VIGQ35RCS4UG",
    "IN": "A21TJRUUN4KGV",
    "SG": "A19VAU5U5O7RUS",
    "AU": "A39IBJ37TRP1C6",
    "JP": "A1VC38T7YXB528",
}

SYNC_INTERVAL_TYPES = [
    ("hours", "Hours"),
    ("days", "Days"),
    ("weeks", "Weeks"),
    ("months", "Months"),
]
