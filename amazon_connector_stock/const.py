# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon vocabulary used by the stock and fulfilment flows, with its source."""

# Orders API v0, PackageDetail.carrierCode: "Other" needs a carrierName.
# https://developer-docs.amazon.com/sp-api/changelog/carriercode-value-required-in-shipment-confirmations-for-br-mx-ca-sg-au-in-jp-marketplaces
CARRIER_CODE_OTHER = "Other"

# Listings Items 2021-08-01: the quantity of a seller-fulfilled offer lives in the
# `fulfillment_availability` attribute, channel "DEFAULT" (merchant fulfilled).
FULFILLMENT_AVAILABILITY_PATH = "/attributes/fulfillment_availability"
FBM_CHANNEL_CODE = "DEFAULT"
# A patch that only touches offer attributes may name the generic product type.
DEFAULT_PRODUCT_TYPE = "PRODUCT"

# Feeds API 2021-06-30 with the JSON listings feed (XML and flat-file listings feeds
# stopped working on 2025-07-31: Amazon's SP-API deprecation schedule,
# developer-docs.amazon.com/sp-api/docs/sp-api-deprecation-schedule).
FEED_TYPE_JSON_LISTINGS = "JSON_LISTINGS_FEED"
FEED_CONTENT_TYPE = "application/json; charset=UTF-8"
FEED_SCHEMA_VERSION = "2.0"
# Feed.processingStatus values.
FEED_DONE = "DONE"
FEED_FINAL_FAILED = ("CANCELLED", "FATAL")
FEED_PENDING = ("IN_QUEUE", "IN_PROGRESS")

# Listings Items Issue.severity / ListingsItemSubmissionResponse.status.
SEVERITY_ERROR = "ERROR"
SUBMISSION_ACCEPTED = "ACCEPTED"

# FBA Inventory v1 getInventorySummaries.
FBA_GRANULARITY_MARKETPLACE = "Marketplace"

# Units of Listings `item_package_weight` -> Odoo uom xml ids.
WEIGHT_UNIT_XMLIDS = {
    "kilograms": "uom.product_uom_kgm",
    "grams": "uom.product_uom_gram",
    "pounds": "uom.product_uom_lb",
    "ounces": "uom.product_uom_oz",
    "tons": "uom.product_uom_ton",
}

# A failed shipment confirmation is retried automatically this many times; after
# that only the "Retry" button sends it again (an invalid request stays invalid).
SHIPMENT_MAX_AUTO_RETRIES = 5
