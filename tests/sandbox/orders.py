"""Orders API 2026-01-01 (searchOrders, getOrder) and v0 (reads, confirmShipment,
updateShipmentStatus), Sellers and Tokens."""

import base64
import copy
import json
import secrets
from datetime import timedelta
from decimal import Decimal

from . import generate
from .contract import parse_datetime, validate_body
from .http import Response, invalid, not_found, strip_aliases
from .state import utcnow

INCLUDED_DATA = {
    "BUYER": (("buyer",), ()),
    "RECIPIENT": (("recipient",), ()),
    "PROCEEDS": (("proceeds",), ("proceeds",)),
    "EXPENSE": ((), ("expense",)),
    "PROMOTION": ((), ("promotion",)),
    "CANCELLATION": ((), ("cancellation",)),
    "FULFILLMENT": (("fulfillment",), ("fulfillment",)),
    "PACKAGES": (("packages",), ()),
    "TAX": (("tax",), ("tax",)),
    "PAYMENT": (("payment",), ()),
    "FULFILLMENT_ORDERS": (("fulfillmentOrders",), ()),
}
FULFILLMENT_STATUSES = [
    "PENDING_AVAILABILITY",
    "PENDING",
    "UNSHIPPED",
    "PARTIALLY_SHIPPED",
    "SHIPPED",
    "CANCELLED",
    "UNFULFILLABLE",
]
V0_STATUS = {
    "PENDING_AVAILABILITY": "PendingAvailability",
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
V0_STATUS_BACK = {v: k for k, v in V0_STATUS.items()}
V0_STATUS_BACK["InvoiceUnconfirmed"] = "SHIPPED"
OPTIONAL_ORDER_PARTS = {p for parts, _ in INCLUDED_DATA.values() for p in parts}
OPTIONAL_ITEM_PARTS = {p for _, parts in INCLUDED_DATA.values() for p in parts}


def _dict(value):
    """A part of a stored order that may be poisoned (tests store any shape)."""
    return value if isinstance(value, dict) else {}


def items_of(order):
    """The order's items that are objects: a poisoned ``orderItems`` (not a list,
    or holding other values) is served as stored, never crashes the sandbox."""
    items = order.get("orderItems")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def status_of(order):
    return _dict(order.get("fulfillment")).get("fulfillmentStatus", "UNSHIPPED")


def fulfilled_by(order):
    return _dict(order.get("fulfillment")).get("fulfilledBy", "MERCHANT")


def marketplace_of(order):
    return _dict(order.get("salesChannel")).get("marketplaceId")


def project(order, included):
    """The order as returned for the given ``includedData`` values."""
    keep_order = set()
    keep_item = set()
    for name in included:
        order_parts, item_parts = INCLUDED_DATA[name]
        keep_order.update(order_parts)
        keep_item.update(item_parts)
    out = {
        k: copy.deepcopy(v)
        for k, v in order.items()
        if k not in OPTIONAL_ORDER_PARTS or k in keep_order
    }
    items = order.get("orderItems", [])
    if not isinstance(items, list):
        out["orderItems"] = copy.deepcopy(items)  # poisoned: served as stored
        return out
    out["orderItems"] = [
        {
            k: copy.deepcopy(v)
            for k, v in item.items()
            if k not in OPTIONAL_ITEM_PARTS or k in keep_item
        }
        if isinstance(item, dict)
        else copy.deepcopy(item)
        for item in items
    ]
    return out


def parse_included(req):
    included = req.many("includedData")
    for name in included:
        if name not in INCLUDED_DATA:
            raise invalid(f"Invalid includedData value: {name}.")
    return included


def check_marketplaces(req, ids, required=True):
    if not ids:
        if required:
            raise invalid("Missing required parameter: marketplaceIds.")
        return ids
    if len(ids) > 50:
        raise invalid("marketplaceIds allows at most 50 values.")
    allowed = req.state.sellers.get(req.seller_id, [])
    for mp_id in ids:
        if mp_id not in allowed:
            raise invalid(
                f"Invalid marketplaceId: {mp_id}.",
                "The seller does not participate in this marketplace.",
            )
    return ids


def _window(req, after_name, before_name, label):
    latest = utcnow() - timedelta(minutes=2)
    after = parse_datetime(req.one(after_name))
    if after is None:
        raise invalid(f"Invalid {after_name}: must be an ISO 8601 date-time.")
    raw_before = req.one(before_name)
    if raw_before:
        before = parse_datetime(raw_before)
        if before is None:
            raise invalid(f"Invalid {before_name}: must be an ISO 8601 date-time.")
        if before > latest:
            raise invalid(
                f"{before_name} must be at least 2 minutes before the request time."
            )
    else:
        before = latest
    if before < after:
        raise invalid(f"{before_name} must be equal to or after {after_name}.")
    if after > latest:
        raise invalid(
            f"{after_name} must be at least 2 minutes before the request time."
        )
    return {
        "field": label,
        "after": generate.iso(after),
        "before": generate.iso(before),
    }


def encode_cursor(state, cursor):
    token = base64.urlsafe_b64encode(secrets.token_bytes(18)).decode().rstrip("=")
    with state.lock:
        state.cursors[token] = cursor
    return token


def load_cursor(state, token):
    with state.lock:
        cursor = state.cursors.get(token)
    if cursor is None:
        raise invalid("Invalid paginationToken.", "The token is unknown or expired.")
    return dict(cursor)


def _select(req, cursor):
    field = cursor["field"]
    after = parse_datetime(cursor["after"])
    before = parse_datetime(cursor["before"])
    rows = []
    for order in req.state.seller_orders(req.seller_id):
        moment = parse_datetime(order.get(field))
        if moment is None or not after <= moment <= before:
            continue
        if marketplace_of(order) not in cursor["marketplaces"]:
            continue
        if cursor["statuses"] and status_of(order) not in cursor["statuses"]:
            continue
        if cursor["fulfilled_by"] and fulfilled_by(order) not in cursor["fulfilled_by"]:
            continue
        if cursor.get("order_ids") and order["orderId"] not in cursor["order_ids"]:
            continue
        rows.append((str(order.get(field)), str(order.get("orderId")), order))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]


def _new_search_cursor(req):
    created = req.one("createdAfter")
    updated = req.one("lastUpdatedAfter")
    if bool(created) == bool(updated):
        raise invalid(
            "Exactly one of createdAfter and lastUpdatedAfter must be provided."
        )
    if created and req.one("lastUpdatedBefore"):
        raise invalid("lastUpdatedBefore cannot be combined with createdAfter.")
    if updated and req.one("createdBefore"):
        raise invalid("createdBefore cannot be combined with lastUpdatedAfter.")
    if created:
        cursor = _window(req, "createdAfter", "createdBefore", "createdTime")
    else:
        cursor = _window(
            req, "lastUpdatedAfter", "lastUpdatedBefore", "lastUpdatedTime"
        )
    statuses = req.many("fulfillmentStatuses")
    for status in statuses:
        if status not in FULFILLMENT_STATUSES:
            raise invalid(f"Invalid fulfillmentStatuses value: {status}.")
    by = req.many("fulfilledBy")
    for value in by:
        if value not in ("MERCHANT", "AMAZON"):
            raise invalid(f"Invalid fulfilledBy value: {value}.")
    cursor.update(
        marketplaces=check_marketplaces(req, req.marketplace_ids()),
        statuses=statuses,
        fulfilled_by=by,
        included=parse_included(req),
        size=req.integer("maxResultsPerPage", 100, 1, 100),
        offset=0,
    )
    return cursor


def search_orders(req):
    token = req.one("paginationToken")
    if token:
        cursor = load_cursor(req.state, token)
        size = req.integer("maxResultsPerPage", None, 1, 100)
        if size:
            cursor["size"] = size
        if req.query.get("includedData"):
            cursor["included"] = parse_included(req)
    else:
        cursor = _new_search_cursor(req)
    with req.state.lock:
        selected = _select(req, cursor)
        start = cursor["offset"]
        page = selected[start : start + cursor["size"]]
        body = {"orders": [project(o, cursor["included"]) for o in page]}
    if start + cursor["size"] < len(selected):
        body["pagination"] = {
            "nextToken": encode_cursor(
                req.state, {**cursor, "offset": start + cursor["size"]}
            )
        }
    if cursor["field"] == "createdTime":
        body["createdBefore"] = cursor["before"]
    else:
        body["lastUpdatedBefore"] = cursor["before"]
    return Response(200, body)


def _order_or_404(req):
    order = req.state.get_order(req.params["orderId"], req.seller_id)
    if order is None:
        raise not_found(f"Order {req.params['orderId']} not found.")
    return order


def get_order(req):
    included = parse_included(req)
    with req.state.lock:
        return Response(200, {"order": project(_order_or_404(req), included)})


# ------------------------------------------------------------------------ v0


def _money_v0(money):
    return {"CurrencyCode": money["currencyCode"], "Amount": money["amount"]}


def _address_v0(address, full=True):
    keys = {
        "name": "Name",
        "companyName": "CompanyName",
        "addressLine1": "AddressLine1",
        "addressLine2": "AddressLine2",
        "addressLine3": "AddressLine3",
        "city": "City",
        "districtOrCounty": "County",
        "stateOrRegion": "StateOrRegion",
        "municipality": "Municipality",
        "postalCode": "PostalCode",
        "countryCode": "CountryCode",
        "phone": "Phone",
    }
    public = {"city", "stateOrRegion", "postalCode", "countryCode"}
    out = {
        v0: address[k]
        for k, v0 in keys.items()
        if k in address and (full or k in public)
    }
    kind = address.get("addressType")
    if kind in ("RESIDENTIAL", "COMMERCIAL"):
        out["AddressType"] = kind.capitalize()
    return out


def order_v0(order, restricted=False):
    fulfillment = order.get("fulfillment") or {}
    status = status_of(order)
    buyer = order.get("buyer") or {}
    programs = order.get("programs") or []
    items = items_of(order)
    shipped = sum(
        (i.get("fulfillment") or {}).get("quantityFulfilled", 0) for i in items
    )
    total = sum(i.get("quantityOrdered", 0) for i in items)
    level = fulfillment.get("fulfillmentServiceLevel", "STANDARD")
    out = {
        "AmazonOrderId": order["orderId"],
        "PurchaseDate": order["createdTime"],
        "LastUpdateDate": order["lastUpdatedTime"],
        "OrderStatus": V0_STATUS.get(status, "Unshipped"),
        "FulfillmentChannel": "AFN" if fulfilled_by(order) == "AMAZON" else "MFN",
        "SalesChannel": (order.get("salesChannel") or {}).get(
            "marketplaceName", "Amazon"
        ),
        "ShipServiceLevel": level.title().replace("_", ""),
        "ShipmentServiceLevelCategory": level.title().replace("_", ""),
        "NumberOfItemsShipped": shipped,
        "NumberOfItemsUnshipped": total - shipped,
        "MarketplaceId": marketplace_of(order),
        "OrderType": "StandardOrder",
        "IsBusinessOrder": "AMAZON_BUSINESS" in programs,
        "IsPrime": "PRIME" in programs,
        "IsPremiumOrder": "PREMIUM" in programs,
        "IsGlobalExpressEnabled": False,
        "IsReplacementOrder": False,
        "IsSoldByAB": False,
        "IsISPU": False,
        "IsAccessPointOrder": False,
        "HasRegulatedItems": False,
        "PaymentMethod": "Other",
        "PaymentMethodDetails": ["Standard"],
    }
    for alias in order.get("orderAliases") or []:
        if alias.get("aliasType") == "SELLER_ORDER_ID":
            out["SellerOrderId"] = alias["aliasId"]
    proceeds = order.get("proceeds") or {}
    if proceeds.get("grandTotal"):
        out["OrderTotal"] = _money_v0(proceeds["grandTotal"])
    window = fulfillment.get("shipByWindow") or {}
    if window.get("earliestDateTime"):
        out["EarliestShipDate"] = window["earliestDateTime"]
    if window.get("latestDateTime"):
        out["LatestShipDate"] = window["latestDateTime"]
    address = (order.get("recipient") or {}).get("deliveryAddress")
    if address and status not in ("PENDING", "PENDING_AVAILABILITY"):
        out["ShippingAddress"] = _address_v0(address, full=restricted)
    info = {}
    if buyer.get("buyerEmail"):
        info["BuyerEmail"] = buyer["buyerEmail"]
    if restricted and buyer.get("buyerName"):
        info["BuyerName"] = buyer["buyerName"]
    if buyer.get("buyerPurchaseOrderNumber"):
        info["PurchaseOrderNumber"] = buyer["buyerPurchaseOrderNumber"]
    out["BuyerInfo"] = info
    return out


def _vat_rate(order):
    mp = generate.MARKETPLACE_BY_ID.get(marketplace_of(order))
    return Decimal(mp[4]) / 100 if mp else Decimal(0)


def item_v0(order, item):
    product = item.get("product") or {}
    done = (item.get("fulfillment") or {}).get("quantityFulfilled", 0)
    out = {
        "ASIN": product.get("asin", ""),
        "SellerSKU": product.get("sellerSku", ""),
        "OrderItemId": item["orderItemId"],
        "Title": product.get("title", ""),
        "QuantityOrdered": item["quantityOrdered"],
        "QuantityShipped": done,
        "ProductInfo": {"NumberOfItems": "1"},
        "ConditionId": "New",
        "ConditionSubtypeId": "New",
        "IsGift": "false",
        "SerialNumberRequired": False,
        "IsTransparency": False,
    }
    price = product.get("price") or {}
    if price.get("priceDesignation"):
        out["PriceDesignation"] = price["priceDesignation"]
    parts = {
        p["type"]: p["subtotal"]
        for p in (item.get("proceeds") or {}).get("breakdowns", [])
    }
    rate = _vat_rate(order)
    for kind, name, tax_name in (
        ("ITEM", "ItemPrice", "ItemTax"),
        ("SHIPPING", "ShippingPrice", "ShippingTax"),
    ):
        if kind in parts:
            out[name] = _money_v0(parts[kind])
            amount = Decimal(parts[kind]["amount"])
            tax = (amount - amount / (1 + rate)).quantize(generate.CENT)
            out[tax_name] = {
                "CurrencyCode": parts[kind]["currencyCode"],
                "Amount": str(tax),
            }
    if "DISCOUNT" in parts:
        discount = parts["DISCOUNT"]
        out["PromotionDiscount"] = {
            "CurrencyCode": discount["currencyCode"],
            "Amount": str(abs(Decimal(discount["amount"]))),
        }
    promos = (item.get("promotion") or {}).get("breakdowns") or []
    if promos:
        out["PromotionIds"] = [p["promotionId"] for p in promos if p.get("promotionId")]
    gift = ((item.get("fulfillment") or {}).get("packing") or {}).get("giftOption")
    buyer_info = {}
    if gift:
        out["IsGift"] = "true"
        if gift.get("giftMessage"):
            buyer_info["GiftMessageText"] = gift["giftMessage"]
        if gift.get("giftWrapLevel"):
            buyer_info["GiftWrapLevel"] = gift["giftWrapLevel"]
    if "GIFT_WRAP" in parts:
        buyer_info["GiftWrapPrice"] = _money_v0(parts["GIFT_WRAP"])
    if buyer_info:
        out["BuyerInfo"] = buyer_info
    return out


def _v0_window(req):
    created = req.one("CreatedAfter")
    updated = req.one("LastUpdatedAfter")
    if created and updated:
        raise invalid("CreatedAfter and LastUpdatedAfter cannot both be specified.")
    if not created and not updated:
        if req.many("AmazonOrderIds"):
            return {
                "field": "createdTime",
                "after": "1970-01-01T00:00:00Z",
                "before": generate.iso(utcnow()),
            }
        raise invalid("Either CreatedAfter or LastUpdatedAfter must be specified.")
    if created:
        return _window(req, "CreatedAfter", "CreatedBefore", "createdTime")
    return _window(req, "LastUpdatedAfter", "LastUpdatedBefore", "lastUpdatedTime")


def get_orders_v0(req):
    token = req.one("NextToken")
    if token:
        cursor = load_cursor(req.state, token)
    else:
        cursor = _v0_window(req)
        statuses = []
        for status in req.many("OrderStatuses"):
            if status not in V0_STATUS_BACK:
                raise invalid(f"Invalid OrderStatuses value: {status}.")
            statuses.append(V0_STATUS_BACK[status])
        channels = req.many("FulfillmentChannels")
        by = [{"AFN": "AMAZON", "MFN": "MERCHANT"}.get(c, c) for c in channels]
        cursor.update(
            marketplaces=check_marketplaces(req, req.marketplace_ids("MarketplaceIds")),
            statuses=statuses,
            fulfilled_by=by,
            order_ids=req.many("AmazonOrderIds"),
            size=req.integer("MaxResultsPerPage", 100, 1, 100),
            offset=0,
        )
    restricted = (req.token or {}).get("kind") == "Atz.sprdt"
    with req.state.lock:
        selected = _select(req, cursor)
        start = cursor["offset"]
        page = selected[start : start + cursor["size"]]
        payload = {"Orders": [order_v0(o, restricted) for o in page]}
    if start + cursor["size"] < len(selected):
        payload["NextToken"] = encode_cursor(
            req.state, {**cursor, "offset": start + cursor["size"]}
        )
    key = "CreatedBefore" if cursor["field"] == "createdTime" else "LastUpdatedBefore"
    payload[key] = cursor["before"]
    return Response(200, {"payload": payload})


def get_order_v0(req):
    restricted = (req.token or {}).get("kind") == "Atz.sprdt"
    with req.state.lock:
        return Response(200, {"payload": order_v0(_order_or_404(req), restricted)})


def get_order_items_v0(req):
    with req.state.lock:
        order = _order_or_404(req)
        items = [item_v0(order, i) for i in items_of(order)]
    return Response(
        200, {"payload": {"AmazonOrderId": order["orderId"], "OrderItems": items}}
    )


def get_order_address_v0(req):
    with req.state.lock:
        order = _order_or_404(req)
        payload = {"AmazonOrderId": order["orderId"]}
        address = (order.get("recipient") or {}).get("deliveryAddress")
        if address and status_of(order) not in ("PENDING", "PENDING_AVAILABILITY"):
            payload["ShippingAddress"] = _address_v0(address)
        company = (order.get("buyer") or {}).get("buyerCompanyName")
        if company:
            payload["BuyerCompanyName"] = company
    return Response(200, {"payload": payload})


def get_order_buyer_info_v0(req):
    with req.state.lock:
        order = _order_or_404(req)
        buyer = order.get("buyer") or {}
        payload = {"AmazonOrderId": order["orderId"]}
        for key, v0 in (
            ("buyerEmail", "BuyerEmail"),
            ("buyerName", "BuyerName"),
            ("buyerPurchaseOrderNumber", "PurchaseOrderNumber"),
        ):
            if buyer.get(key):
                payload[v0] = buyer[key]
        if buyer.get("buyerCompanyName"):
            payload["BuyerTaxInfo"] = {"CompanyLegalName": buyer["buyerCompanyName"]}
    return Response(200, {"payload": payload})


def _check_body(api, operation, body):
    errors = validate_body(api, operation, body)
    if errors:
        raise invalid("Invalid request body.", "; ".join(errors[:5]))


def confirm_shipment(req):
    body = strip_aliases(req.json())
    _check_body("orders-v0", "confirmShipment", body)
    state = req.state
    with state.lock:
        order = _order_or_404(req)
        if body["marketplaceId"] != marketplace_of(order):
            raise invalid("The marketplaceId does not match the order's marketplace.")
        if fulfilled_by(order) != "MERCHANT":
            raise invalid(
                "Shipments can only be confirmed for merchant-fulfilled orders."
            )
        if status_of(order) not in ("UNSHIPPED", "PARTIALLY_SHIPPED"):
            raise invalid(
                f"The order is {V0_STATUS.get(status_of(order))}; "
                "only Unshipped or PartiallyShipped orders can be confirmed."
            )
        detail = body["packageDetail"]
        items = {i.get("orderItemId"): i for i in items_of(order)}
        lines = []
        for line in detail["orderItems"]:
            item = items.get(line["orderItemId"])
            if item is None:
                raise invalid(f"Unknown orderItemId {line['orderItemId']}.")
            done = (item.get("fulfillment") or {}).get("quantityFulfilled", 0)
            remaining = item["quantityOrdered"] - done
            if line["quantity"] < 1 or line["quantity"] > remaining:
                raise invalid(
                    f"Invalid quantity {line['quantity']} for {line['orderItemId']}: "
                    f"{remaining} remain to ship."
                )
            lines.append((item, line["quantity"]))
        for item, quantity in lines:
            fulfillment = item.setdefault("fulfillment", {})
            done = fulfillment.get("quantityFulfilled", 0) + quantity
            fulfillment["quantityFulfilled"] = done
            fulfillment["quantityUnfulfilled"] = item["quantityOrdered"] - done
        complete = all(
            (i.get("fulfillment") or {}).get("quantityFulfilled", 0)
            >= i["quantityOrdered"]
            for i in items.values()
        )
        now = generate.iso(utcnow())
        order.setdefault("fulfillment", {})["fulfillmentStatus"] = (
            "SHIPPED" if complete else "PARTIALLY_SHIPPED"
        )
        order["lastUpdatedTime"] = now
        order.setdefault("packages", []).append(
            {
                "packageReferenceId": str(detail["packageReferenceId"]),
                "createdTime": now,
                "packageStatus": {"status": "SHIPPED"},
                "carrier": detail.get("carrierName") or detail["carrierCode"],
                "shipTime": detail["shipDate"],
                "shippingService": detail.get("shippingMethod", ""),
                "trackingNumber": detail["trackingNumber"],
                "packageItems": [
                    {"orderItemId": i["orderItemId"], "quantity": q} for i, q in lines
                ],
            }
        )
        state.shipments.append(
            {
                "kind": "confirmShipment",
                "orderId": order["orderId"],
                "sellerId": req.seller_id,
                "received": now,
                "body": body,
            }
        )
    return Response(204)


def update_shipment_status(req):
    body = strip_aliases(req.json(), keep=())
    _check_body("orders-v0", "updateShipmentStatus", body)
    with req.state.lock:
        order = _order_or_404(req)
        if body["marketplaceId"] != marketplace_of(order):
            raise invalid("The marketplaceId does not match the order's marketplace.")
        req.state.shipments.append(
            {
                "kind": "updateShipmentStatus",
                "orderId": order["orderId"],
                "sellerId": req.seller_id,
                "received": generate.iso(utcnow()),
                "body": body,
            }
        )
    return Response(204)


# ----------------------------------------------------------- sellers, tokens


def get_marketplace_participations(req):
    payload = []
    for mp_id in req.state.sellers.get(req.seller_id, []):
        country, currency, name, tld, _vat = generate.MARKETPLACE_BY_ID[mp_id]
        payload.append(
            {
                "marketplace": {
                    "id": mp_id,
                    "name": name,
                    "countryCode": country,
                    "defaultCurrencyCode": currency,
                    "defaultLanguageCode": generate.LANGUAGES[country],
                    "domainName": f"www.amazon.{tld}",
                },
                "participation": {
                    "isParticipating": True,
                    "hasSuspendedListings": False,
                },
                "storeName": "Sandbox Store",
            }
        )
    return Response(200, {"payload": payload})


def create_restricted_data_token(req):
    body = strip_aliases(req.json())
    _check_body("tokens", "createRestrictedDataToken", body)
    if not body["restrictedResources"]:
        raise invalid("restrictedResources must not be empty.")
    token = req.state.issue_token(req.seller_id, kind="Atz.sprdt")
    with req.state.lock:
        req.state.access_tokens[token]["resources"] = json.loads(
            json.dumps(body["restrictedResources"])
        )
    return Response(200, {"restrictedDataToken": token, "expiresIn": 3600})
