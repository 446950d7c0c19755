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
    "PACKAGES",
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
# lastUpdatedBefore must be at least two minutes in the past (searchOrders docs).
MIN_BEFORE_DELAY_MINUTES = 2
# Amazon may index an order update a little after its lastUpdatedTime: re-read this
# much of the previous window on every run (the import is idempotent).
CURSOR_OVERLAP_MINUTES = 15
# Server errors / timeouts on one page are retried this many times.
PAGE_MAX_ATTEMPTS = 3

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
