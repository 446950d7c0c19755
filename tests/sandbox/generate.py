"""Deterministic generators of realistic EU data (orders, listings, vendor orders).

Everything is drawn from ``random.Random(seed)``: the same seed, count and options
give the same data. Timestamps are offsets from the ``now`` option (an ISO 8601
date-time, default: the current time), so pass ``now`` to get identical timestamps
across runs too.
"""

import random
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

from .contract import parse_datetime

# country -> (marketplace id, currency, marketplace name, domain tld, VAT %)
MARKETPLACES = {
    "IT": ("APJ6JRA9NG5V4", "EUR", "Amazon.it", "it", 22),
    "DE": ("A1PA6795UKMFR9", "EUR", "Amazon.de", "de", 19),
    "FR": ("A13V1IB3VIYZZH", "EUR", "Amazon.fr", "fr", 20),
    "ES": ("A1RKKUPIHCS9HS", "EUR", "Amazon.es", "es", 21),
    "GB": ("A1F83G8C2ARO7P", "GBP", "Amazon.co.uk", "co.uk", 20),
    "SE": ("A2NODRKZP88ZB9", "SEK", "Amazon.se", "se", 25),
    "PL": ("A1C3SOZRARQ6R3", "PLN", "Amazon.pl", "pl", 23),
    "NL": ("A1805IZSGTT6HS", "EUR", "Amazon.nl", "nl", 21),
}
MARKETPLACE_BY_ID = {v[0]: (k, *v[1:]) for k, v in MARKETPLACES.items()}
# (country, language) for getMarketplaceParticipations
LANGUAGES = {
    "IT": "it_IT",
    "DE": "de_DE",
    "FR": "fr_FR",
    "ES": "es_ES",
    "GB": "en_GB",
    "SE": "sv_SE",
    "PL": "pl_PL",
    "NL": "nl_NL",
}
# price multiplier from EUR to the local currency (for realistic amounts)
CURRENCY_FACTOR = {"EUR": 1, "GBP": Decimal("0.85"), "SEK": 11, "PLN": Decimal("4.3")}

FIRST_NAMES = {
    "IT": ["Niccolò", "Lucía", "Martina", "Giò", "Federica", "Nicolás"],
    "DE": ["Jürgen", "Björn", "Märta", "Jörg", "Käthe", "Uwe"],
    "FR": ["Hélène", "François", "Zoé", "Léa", "Jérôme", "Anaïs"],
    "ES": ["José", "María", "Íñigo", "Begoña", "Óscar", "Inés"],
    "GB": ["Siobhán", "Seán", "Chloë", "Zoë", "Ruairí", "Emily"],
    "SE": ["Åsa", "Björn", "Göran", "Linnéa", "Måns", "Ölof"],
    "PL": ["Łukasz", "Zofia", "Michał", "Małgorzata", "Wojciech", "Jędrzej"],
    "NL": ["Daniël", "Eliëtte", "Joël", "Noël", "Sanne", "Ruben"],
}
LAST_NAMES = {
    "IT": ["Rossi", "Bianchi", "Ferrà", "Nicolò", "D'Angelo", "Esposito"],
    "DE": ["Müller", "Schröder", "Weiß", "Größer", "Köhler", "Bäcker"],
    "FR": ["Lefèvre", "Dupré", "Bélanger", "Côté", "Mercier", "Gaël"],
    "ES": ["Núñez", "Muñoz", "García", "Peña", "Ibáñez", "Martínez"],
    "GB": ["O'Brien", "Smith", "Brontë", "McAllister", "Jones", "Taylor"],
    "SE": ["Åkesson", "Lindström", "Öberg", "Söderberg", "Nyström", "Berg"],
    "PL": ["Wiśniewski", "Kowalczyk", "Wójcik", "Żak", "Łącki", "Nowak"],
    "NL": ["de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit"],
}
CITIES = {
    "IT": [
        ("Milano", "MI", "20121"),
        ("Forlì", "FC", "47121"),
        ("Roma", "RM", "00184"),
    ],
    "DE": [
        ("München", "BY", "80331"),
        ("Köln", "NW", "50667"),
        ("Berlin", "BE", "10115"),
    ],
    "FR": [
        ("Besançon", "25", "25000"),
        ("Paris", "75", "75011"),
        ("Orléans", "45", "45000"),
    ],
    "ES": [
        ("Málaga", "MA", "29001"),
        ("A Coruña", "C", "15001"),
        ("Cádiz", "CA", "11001"),
    ],
    "GB": [
        ("London", "Greater London", "SW1A 1AA"),
        ("Leeds", "West Yorkshire", "LS1 4AP"),
    ],
    "SE": [
        ("Göteborg", "O", "411 03"),
        ("Malmö", "M", "211 22"),
        ("Umeå", "AC", "903 26"),
    ],
    "PL": [
        ("Kraków", "MA", "31-042"),
        ("Łódź", "LD", "90-001"),
        ("Gdańsk", "PM", "80-001"),
    ],
    "NL": [("Den Haag", "ZH", "2511 AB"), ("Utrecht", "UT", "3511 AB")],
}
STREETS = {
    "IT": "Via Giuseppe Verdi",
    "DE": "Hauptstraße",
    "FR": "Rue de la Paix",
    "ES": "Calle de Alcalá",
    "GB": "High Street",
    "SE": "Drottninggatan",
    "PL": "ulica Świętokrzyska",
    "NL": "Prinsengracht",
}
PRODUCTS = [
    "Tazza in ceramica «Caffè»",
    "Thermobecher Edelstahl, 500 ml",
    "Carnet de notes A5 — papier recyclé",
    "Mochila de montaña 30 L",
    "Wireless earbuds, noise cancelling",
    "Kökshandduk i linne, 2-pack",
    "Kubek termiczny – żółty",
    "Houten snijplank, eiken",
]
CARRIERS = [("DHL", "DHL Paket"), ("UPS", "UPS Standard"), ("GLS", "GLS Business")]
GIFT_MESSAGES = [
    "Buon compleanno, amore! 🎂",
    "Alles Gute zum Geburtstag, Jürgen!",
    "Joyeux Noël à toute la famille",
    "¡Feliz cumpleaños, Íñigo!",
]
COMPANIES = ["Società Rossi S.r.l.", "Müller & Söhne GmbH", "Dupré SARL", "Núñez S.L."]

CENT = Decimal("0.01")


def money(amount, currency):
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    return {"amount": str(value), "currencyCode": currency}


def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(epoch):
    moment = datetime.fromtimestamp(epoch, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def default_skus(count=40):
    return [f"SANDBOX-SKU-{index:04d}" for index in range(1, count + 1)]


def sku_asin(sku):
    rng = random.Random(f"asin:{sku}")
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return "B0" + "".join(rng.choice(alphabet) for _ in range(8))


def sku_ean(sku):
    rng = random.Random(f"ean:{sku}")
    digits = [rng.randrange(10) for _ in range(12)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def sku_title(sku):
    return PRODUCTS[int(sku_ean(sku)[:6]) % len(PRODUCTS)]


def sku_base_price(sku):
    """Deterministic EUR price (VAT included) of a SKU."""
    rng = random.Random(f"price:{sku}")
    return Decimal(rng.randrange(499, 8999)) / 100


def _anchor(options):
    now = parse_datetime(options.get("now")) if options.get("now") else None
    return (now or datetime.now(timezone.utc)).replace(microsecond=0)


class OrderGenerator:
    """Orders API 2026-01-01 ``Order`` objects with every includedData part."""

    def __init__(self, seed, options=None):
        self.options = dict(options or {})
        self.rng = random.Random(seed)
        self.now = _anchor(self.options)
        self.latest = self.now - timedelta(minutes=3)
        after = parse_datetime(self.options.get("created_after"))
        self.earliest = after or self.latest - timedelta(
            days=float(self.options.get("days", 7))
        )
        self.skus = list(self.options.get("skus") or default_skus())
        countries = self.options.get("countries") or self.options.get("marketplaces")
        self.countries = self._countries(countries)
        # The merchant's own warehouse (FBM parcels leave from it), whatever the
        # buyer's country.
        self.ship_from = self.options.get("ship_from") or "IT"

    @staticmethod
    def _countries(wanted):
        if not wanted:
            return list(MARKETPLACES)
        out = []
        for value in wanted:
            if value in MARKETPLACES:
                out.append(value)
            elif value == "UK":
                out.append("GB")
            elif value in MARKETPLACE_BY_ID:
                out.append(MARKETPLACE_BY_ID[value][0])
        return out or list(MARKETPLACES)

    def order_id(self):
        rng = self.rng
        prefix = rng.choice(["402", "403", "404", "405", "406", "407", "408"])
        return f"{prefix}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"

    def generate(self, count, taken=()):
        used = set(taken)
        orders = []
        for _ in range(count):
            order_id = self.order_id()
            while order_id in used:
                order_id = self.order_id()
            used.add(order_id)
            orders.append(self.order(order_id))
        return orders

    def _status(self, fba):
        rng = self.rng
        if fba:
            return rng.choices(["PENDING", "SHIPPED", "CANCELLED"], [10, 82, 8])[0]
        return rng.choices(
            ["PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED"],
            [8, 42, 4, 38, 8],
        )[0]

    def _person(self, country):
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES[country])} {rng.choice(LAST_NAMES[country])}"
        city, region, postcode = rng.choice(CITIES[country])
        address = {
            "name": name,
            "addressLine1": f"{STREETS[country]} {rng.randrange(1, 200)}",
            "city": city,
            "stateOrRegion": region,
            "postalCode": postcode,
            "countryCode": country,
            "phone": f"+{rng.randrange(30, 49)} {rng.randrange(10**8, 10**9)}",
            "addressType": "RESIDENTIAL",
        }
        if rng.random() < 0.2:
            address["addressLine2"] = (
                f"Scala {rng.choice('ABC')}, int. {rng.randrange(9)}"
            )
        return name, address

    def order(self, order_id):
        rng = self.rng
        country = rng.choice(self.countries)
        mp_id, currency, mp_name, tld, _vat = MARKETPLACES[country]
        fba = rng.random() < 0.35
        status = self._status(fba)
        business = rng.random() < 0.15
        prime = rng.random() < 0.4
        span = max((self.latest - self.earliest).total_seconds(), 1)
        created = self.earliest + timedelta(seconds=int(rng.uniform(0, span)))
        lag = timedelta(minutes=rng.randrange(1, 60 * 24))
        updated = min(created + lag, self.latest) if status != "PENDING" else created
        name, address = self._person(country)
        programs = []
        if prime:
            programs.append("PRIME")
        if business:
            programs.append("AMAZON_BUSINESS")
        buyer = {"buyerName": name}
        if not fba and rng.random() < 0.7:
            local = "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(14)
            )
            buyer["buyerEmail"] = f"{local}@marketplace.amazon.{tld}"
        tax = None
        if business:
            company = rng.choice(COMPANIES)
            buyer["buyerCompanyName"] = company
            address["companyName"] = company
            address["addressType"] = "COMMERCIAL"
            if rng.random() < 0.5:
                buyer["buyerPurchaseOrderNumber"] = f"PO-{rng.randrange(10**5):05d}"
            vat_number = f"{country}{rng.randrange(10**9, 10**10)}"
            tax = {
                "taxRegistrations": [
                    {
                        "entityType": "BUYER",
                        "legalName": company,
                        "taxRegistrationType": "VAT",
                        "taxRegistrationNumber": vat_number,
                        "taxRegistrationAddress": dict(address),
                    }
                ],
                "taxInvoicing": {"buyerInvoicePreference": "BUSINESS"},
            }
        order = {
            "orderId": order_id,
            "createdTime": iso(created),
            "lastUpdatedTime": iso(updated),
            "programs": programs,
            "salesChannel": {
                "channelName": "AMAZON",
                "marketplaceId": mp_id,
                "marketplaceName": mp_name,
            },
            "buyer": buyer,
            "recipient": {"deliveryAddress": address},
        }
        if rng.random() < 0.1:
            order["orderAliases"] = [
                {
                    "aliasId": f"SO-{rng.randrange(10**6):06d}",
                    "aliasType": "SELLER_ORDER_ID",
                }
            ]
        if tax:
            order["tax"] = tax
        items = self._items(order_id, currency, status, business, fba)
        order["orderItems"] = items
        priced = status not in ("PENDING", "PENDING_AVAILABILITY")
        if priced:
            self._add_charges(items, currency, fba, prime)
            order["proceeds"] = order_proceeds(items, currency)
            order["payment"] = {
                "paymentExecutions": [
                    {
                        "paymentMethod": "Other",
                        "paymentAmount": order["proceeds"]["grandTotal"],
                    }
                ]
            }
        level = "NEXT_DAY" if prime and rng.random() < 0.5 else "STANDARD"
        if rng.random() < 0.1:
            level = "EXPEDITED"
        order["fulfillment"] = {
            "fulfillmentStatus": status,
            "fulfilledBy": "AMAZON" if fba else "MERCHANT",
            "fulfillmentServiceLevel": level,
            "shipByWindow": {
                "earliestDateTime": iso(created),
                "latestDateTime": iso(created + timedelta(days=2)),
            },
            "deliverByWindow": {
                "earliestDateTime": iso(created + timedelta(days=2)),
                "latestDateTime": iso(created + timedelta(days=5)),
            },
        }
        if status in ("SHIPPED", "PARTIALLY_SHIPPED") and not fba:
            order["packages"] = [
                self._package(order_id, items, updated, self.ship_from)
            ]
        return order

    def _items(self, order_id, currency, status, business, fba):
        rng = self.rng
        count = rng.choices([1, 2, 3, 4], [60, 25, 10, 5])[0]
        skus = rng.sample(self.skus, min(count, len(self.skus)))
        factor = CURRENCY_FACTOR.get(currency, 1)
        items = []
        base_id = int(order_id.replace("-", "")[-10:])
        for index, sku in enumerate(skus):
            quantity = rng.choices([1, 2, 3], [70, 20, 10])[0]
            unit = (sku_base_price(sku) * Decimal(factor)).quantize(CENT)
            product = {
                "asin": sku_asin(sku),
                "title": sku_title(sku),
                "sellerSku": sku,
                "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
            }
            if status not in ("PENDING", "PENDING_AVAILABILITY"):
                product["price"] = {"unitPrice": money(unit, currency)}
                if business:
                    product["price"]["priceDesignation"] = "BUSINESS_PRICE"
            item = {
                "orderItemId": f"{(base_id * 10 + index) % 10**14:014d}",
                "quantityOrdered": quantity,
                "product": product,
            }
            shipped = self._shipped_quantity(status, quantity, index)
            item["fulfillment"] = {
                "quantityFulfilled": shipped,
                "quantityUnfulfilled": quantity - shipped,
            }
            if status == "CANCELLED":
                item["cancellation"] = {
                    "cancellationExecution": {
                        "cancelledBy": rng.choice(["BUYER", "SELLER"]),
                        "cancelReason": "BUYER_CANCELED",
                    }
                }
            items.append(item)
        return items

    @staticmethod
    def _shipped_quantity(status, quantity, index):
        if status == "SHIPPED":
            return quantity
        if status == "PARTIALLY_SHIPPED":
            return quantity if index == 0 else 0
        return 0

    def _add_charges(self, items, currency, fba, prime):
        rng = self.rng
        factor = Decimal(CURRENCY_FACTOR.get(currency, 1))
        shipping = Decimal(0)
        if not fba and not prime and rng.random() < 0.5:
            shipping = (
                Decimal(rng.choice([299, 399, 499, 699])) / 100 * factor
            ).quantize(CENT)
        for index, item in enumerate(items):
            unit = Decimal(item["product"]["price"]["unitPrice"]["amount"])
            parts = [("ITEM", unit * item["quantityOrdered"])]
            if index == 0 and shipping:
                parts.append(("SHIPPING", shipping))
            if rng.random() < 0.08:
                wrap = (Decimal("3.99") * factor).quantize(CENT)
                parts.append(("GIFT_WRAP", wrap))
                item.setdefault("fulfillment", {})["packing"] = {
                    "giftOption": {
                        "giftMessage": rng.choice(GIFT_MESSAGES),
                        "giftWrapLevel": "Classic",
                    }
                }
            if rng.random() < 0.12:
                discount = (unit * item["quantityOrdered"] * Decimal("0.10")).quantize(
                    CENT
                )
                parts.append(("DISCOUNT", -discount))
                item["promotion"] = {
                    "breakdowns": [{"promotionId": f"PROMO-{rng.randrange(10**4):04d}"}]
                }
            total = sum(amount for _kind, amount in parts)
            item["proceeds"] = {
                "proceedsTotal": money(total, currency),
                "breakdowns": [
                    {"type": kind, "subtotal": money(amount, currency)}
                    for kind, amount in parts
                ],
            }

    def _package(self, order_id, items, updated, country):
        rng = self.rng
        carrier, service = rng.choice(CARRIERS)
        return {
            "packageReferenceId": "1",
            "createdTime": iso(updated),
            "packageStatus": {"status": "SHIPPED"},
            "carrier": carrier,
            "shipTime": iso(updated),
            "shippingService": service,
            "trackingNumber": f"{rng.randrange(10**11, 10**12)}",
            "shipFromAddress": {
                "name": "Sandbox Warehouse",
                "addressLine1": STREETS[country] + " 1",
                "city": CITIES[country][0][0],
                "postalCode": CITIES[country][0][2],
                "countryCode": country,
            },
            "packageItems": [
                {
                    "orderItemId": i["orderItemId"],
                    "quantity": i["fulfillment"]["quantityFulfilled"],
                }
                for i in items
                if i["fulfillment"]["quantityFulfilled"]
            ],
        }


def order_proceeds(items, currency):
    """Order-level proceeds: grand total and breakdown aggregated over items."""
    totals = {}
    grand = Decimal(0)
    for item in items:
        proceeds = item.get("proceeds") or {}
        grand += Decimal(proceeds.get("proceedsTotal", {}).get("amount", "0"))
        for part in proceeds.get("breakdowns", []):
            kind = part["type"]
            totals[kind] = totals.get(kind, Decimal(0)) + Decimal(
                part["subtotal"]["amount"]
            )
    return {
        "grandTotal": money(grand, currency),
        "breakdowns": [
            {"type": kind, "subtotal": money(amount, currency)}
            for kind, amount in totals.items()
        ],
    }


def generate_orders(count, seed, options=None, taken=()):
    return OrderGenerator(seed, options).generate(int(count), taken)


def generate_listings(count, seed, options=None):
    """Listings seeds (``/_sandbox/listings`` shape) for the SKU pool."""
    options = dict(options or {})
    rng = random.Random(seed)
    skus = list(options.get("skus") or default_skus(int(count)))[: int(count)]
    countries = OrderGenerator._countries(options.get("countries"))
    listings = []
    for sku in skus:
        country = rng.choice(countries)
        mp_id, currency = MARKETPLACES[country][:2]
        factor = Decimal(CURRENCY_FACTOR.get(currency, 1))
        listings.append(
            {
                "sku": sku,
                "asin": sku_asin(sku),
                "ean": sku_ean(sku),
                "title": sku_title(sku),
                "productType": "PRODUCT",
                "marketplaceId": options.get("marketplaceId", mp_id),
                "currency": currency,
                "price": str((sku_base_price(sku) * factor).quantize(CENT)),
                "quantity": rng.randrange(0, 50),
                "fulfillmentChannel": "AMAZON" if rng.random() < 0.3 else "DEFAULT",
            }
        )
    return listings


def _party(party_id, country="DE", name="Amazon EU SARL", vat=False):
    party = {
        "partyId": party_id,
        "address": {
            "name": name,
            "addressLine1": STREETS[country] + " 38",
            "city": CITIES[country][0][0],
            "postalCode": CITIES[country][0][2],
            "countryCode": country,
        },
    }
    if vat:
        party["taxInfo"] = {
            "taxRegistrationType": "VAT",
            "taxRegistrationNumber": country
            + str(random.Random(party_id).randrange(10**9, 10**10)),
        }
    return party


def generate_purchase_orders(count, seed, options=None):
    """Vendor Orders v1 ``Order`` objects (Retail purchase orders)."""
    options = dict(options or {})
    rng = random.Random(seed)
    now = _anchor(options)
    skus = list(options.get("skus") or default_skus())
    orders = []
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    for _ in range(int(count)):
        number = "".join(rng.choice(alphabet) for _ in range(8))
        created = now - timedelta(minutes=rng.randrange(5, 60 * 24 * 7))
        items = []
        for seq, sku in enumerate(rng.sample(skus, rng.randrange(1, 4)), start=1):
            cost = (sku_base_price(sku) * Decimal("0.6")).quantize(CENT)
            items.append(
                {
                    "itemSequenceNumber": str(seq),
                    "amazonProductIdentifier": sku_asin(sku),
                    "vendorProductIdentifier": sku_ean(sku),
                    "orderedQuantity": {
                        "amount": rng.randrange(1, 20) * 6,
                        "unitOfMeasure": "Eaches",
                        "unitSize": 1,
                    },
                    "isBackOrderAllowed": rng.random() < 0.3,
                    "netCost": {"currencyCode": "EUR", "amount": str(cost)},
                    "listPrice": {
                        "currencyCode": "EUR",
                        "amount": str(sku_base_price(sku)),
                    },
                }
            )
        window_start = created + timedelta(days=3)
        orders.append(
            {
                "purchaseOrderNumber": number,
                "purchaseOrderState": "New",
                "orderDetails": {
                    "purchaseOrderDate": iso(created),
                    "purchaseOrderStateChangedDate": iso(created),
                    "purchaseOrderType": "RegularOrder",
                    "paymentMethod": "Invoice",
                    "buyingParty": _party("AMAZON_EU"),
                    "sellingParty": _party(
                        options.get("vendorCode", "SANDBOXVC"),
                        "IT",
                        "Sandbox Vendor S.r.l.",
                    ),
                    "shipToParty": _party(rng.choice(["MXP5", "FCO1", "LEJ1", "BER3"])),
                    # Amazon's purchase orders lack the bill-to VAT (reported).
                    "billToParty": _party("AMAZON_EU_BILLTO"),
                    "shipWindow": iso(window_start)
                    + "--"
                    + iso(window_start + timedelta(days=4)),
                    "items": items,
                },
            }
        )
    return orders


def generate_df_orders(count, seed, options=None):
    """Vendor Direct Fulfillment Orders 2021-12-28 ``Order`` objects."""
    options = dict(options or {})
    rng = random.Random(seed)
    now = _anchor(options)
    skus = list(options.get("skus") or default_skus())
    orders = []
    for _ in range(int(count)):
        number = f"{rng.randrange(10**7, 10**8)}{rng.choice('ABCDEFGH')}"
        country = rng.choice(list(MARKETPLACES))
        created = now - timedelta(minutes=rng.randrange(5, 60 * 24 * 5))
        name, address = OrderGenerator(rng.random())._person(country)
        ship_to = {k: v for k, v in address.items() if k not in ("addressType",)}
        ship_to["stateOrRegion"] = ship_to.get("stateOrRegion") or country
        items = []
        for seq, sku in enumerate(rng.sample(skus, rng.randrange(1, 3)), start=1):
            qty = rng.randrange(1, 3)
            price = sku_base_price(sku)
            items.append(
                {
                    "itemSequenceNumber": str(seq),
                    "buyerProductIdentifier": sku_asin(sku),
                    "vendorProductIdentifier": sku_ean(sku),
                    "title": sku_title(sku),
                    "orderedQuantity": {"amount": qty, "unitOfMeasure": "Each"},
                    "netPrice": {"currencyCode": "EUR", "amount": str(price)},
                    "totalPrice": {"currencyCode": "EUR", "amount": str(price * qty)},
                }
            )
        orders.append(
            {
                "purchaseOrderNumber": number,
                "orderDetails": {
                    "customerOrderNumber": f"{rng.randrange(10**15, 10**16)}",
                    "orderDate": iso(created),
                    "orderStatus": "NEW",
                    "shipmentDetails": {
                        "isPriorityShipment": rng.random() < 0.2,
                        "isScheduledDeliveryShipment": False,
                        "isPslipRequired": rng.random() < 0.5,
                        "isGift": False,
                        "shipMethod": "UPS_GR_RES",
                        "shipmentDates": {
                            "requiredShipDate": iso(created + timedelta(days=2)),
                            "promisedDeliveryDate": iso(created + timedelta(days=4)),
                        },
                        "messageToCustomer": f"Grazie, {name}!",
                    },
                    "sellingParty": {"partyId": options.get("vendorCode", "SANDBOXVC")},
                    "shipFromParty": {"partyId": options.get("warehouse", "SANDBOXWH")},
                    "shipToParty": ship_to,
                    "billToParty": {"partyId": "AMAZON_EU"},
                    "items": items,
                },
            }
        )
    return orders
