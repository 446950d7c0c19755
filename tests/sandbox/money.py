"""Finances 2024-06-19 ``listTransactions`` and the Reports API 2021-06-30 (returns
reports), consistent with the orders the sandbox holds, and their control API.

- A ``Shipment`` transaction per shipped order (posted at its last update): the
  buyer's money per item (``ProductCharges`` > ``Principal``, ``Shipping``) and
  Amazon's commission (15% of the goods) under ``AmazonFees``; same order ids,
  amounts and currencies as the orders.
- ``Refund`` transactions made by ``POST /_sandbox/refunds`` (whole order, or some
  items and quantities, with or without shipping): negative buyer amounts at the
  order's prices, the refunded commission (80% of it) positive.
- Returns made by ``POST /_sandbox/returns`` are listed by the reports
  ``GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE`` (FBM orders) and
  ``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA`` (FBA orders). A report is
  ``IN_QUEUE`` until ``state.feed_delay`` seconds passed, then ``DONE``; its
  document is a gzip TSV behind a URL of the sandbox.

Amounts follow the order import's reading: goods, shipping and gift wrap are
tax-included where the marketplace's prices include VAT.
"""

import gzip
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from . import generate
from .http import ApiError, Response, invalid, not_found, strip_aliases
from .listings import _check, _document, document_url

PAGE_SIZE = 50
MAX_WINDOW = timedelta(days=180)
COMMISSION = Decimal("0.15")
# FBA fulfilment fee per unit shipped by Amazon (AFN orders), in EUR; other
# currencies by the generator's price factor (GBP 2.13, SEK 27.50...).
FBA_UNIT_FEE = Decimal("2.50")
REFUND_COMMISSION_SHARE = Decimal("0.8")
FBM_REPORT = "GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"
FBA_REPORT = "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA"
FBM_COLUMNS = [
    "Order ID",
    "Order date",
    "Return request date",
    "Return request status",
    "Amazon RMA ID",
    "Merchant SKU",
    "Item Name",
    "Return quantity",
    "Return reason",
    "Return delivery date",
]
FBA_COLUMNS = [
    "return-date",
    "order-id",
    "sku",
    "asin",
    "fnsku",
    "product-name",
    "quantity",
    "fulfillment-center-id",
    "detailed-disposition",
    "reason",
    "status",
    "license-plate-number",
]
SHIPPED = ("SHIPPED", "PARTIALLY_SHIPPED")


def _money_state(state):
    with state.lock:
        if not isinstance(getattr(state, "money", None), dict) or not state.money:
            state.money = {"refunds": [], "returns": [], "reports": {}}
        return state.money


def _now():
    return datetime.now(timezone.utc)


def _parse(value, name):
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"{name} is not an ISO 8601 date-time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def _amount(value):
    return Decimal(str(value or "0"))


def _currency(amount, code):
    return {
        "currencyCode": code,
        "currencyAmount": float(amount.quantize(Decimal("0.01"))),
    }


def _breakdown(kind, amount, code, children=None):
    node = {"breakdownType": kind, "breakdownAmount": _currency(amount, code)}
    if children:
        node["breakdowns"] = children
    return node


def _order_items(order):
    """Per item: sku, quantity, unit goods, shipping, currency (the order's)."""
    rows = []
    for item in order.get("orderItems") or []:
        amounts = {"ITEM": Decimal(0), "SHIPPING": Decimal(0)}
        amounts.update(GIFT_WRAP=Decimal(0), DISCOUNT=Decimal(0))
        code = "EUR"
        for part in (item.get("proceeds") or {}).get("breakdowns") or []:
            subtotal = part.get("subtotal") or {}
            code = subtotal.get("currencyCode") or code
            if part.get("type") in amounts:
                amounts[part["type"]] += _amount(subtotal.get("amount"))
        goods = amounts["ITEM"]
        quantity = int(item.get("quantityOrdered") or 0) or 1
        rows.append(
            {
                "sku": (item.get("product") or {}).get("sellerSku"),
                "asin": (item.get("product") or {}).get("asin") or "B000000000",
                "title": (item.get("product") or {}).get("title") or "",
                "quantity": quantity,
                "unit": goods / quantity,
                "shipping": amounts["SHIPPING"],
                "gift_wrap": amounts["GIFT_WRAP"],
                "discount": amounts["DISCOUNT"],  # negative
                "currency": code,
            }
        )
    return rows


def _transaction(order, kind, transaction_id, posted, lines, refund_id=None):
    """A Transaction of the model; ``lines`` = (item row, quantity, shipping?)."""
    sign = Decimal(1) if kind == "Shipment" else Decimal(-1)
    items, total, code = [], Decimal(0), "EUR"
    for index, (row, quantity, with_shipping) in enumerate(lines):
        code = row["currency"]
        goods = (row["unit"] * quantity).quantize(Decimal("0.01"))
        commission = (goods * COMMISSION).quantize(Decimal("0.01"))
        if kind != "Shipment":
            commission = (commission * REFUND_COMMISSION_SHARE).quantize(
                Decimal("0.01")
            )
        breakdowns = [
            _breakdown(
                "ProductCharges",
                sign * goods,
                code,
                [_breakdown("Principal", sign * goods, code)],
            )
        ]
        item_total = sign * goods
        discount = (row["discount"] * quantity / row["quantity"]).quantize(
            Decimal("0.01")
        )
        charges = [("Promotion", discount)]
        if with_shipping:
            charges += [("Shipping", row["shipping"]), ("GiftWrap", row["gift_wrap"])]
        for name, value in charges:
            if value:
                breakdowns.append(_breakdown(name, sign * value, code))
                item_total += sign * value
        fee_name = "Commission" if kind == "Shipment" else "RefundCommission"
        fees = [_breakdown(fee_name, -sign * commission, code)]
        fee_total = commission
        if kind == "Shipment" and _channel(order) == "fba":
            factor = Decimal(str(generate.CURRENCY_FACTOR.get(code, 1)))
            fba_fee = (FBA_UNIT_FEE * factor * quantity).quantize(Decimal("0.01"))
            fees.append(_breakdown("FBAPerUnitFulfillmentFee", -fba_fee, code))
            fee_total += fba_fee
        breakdowns.append(_breakdown("AmazonFees", -sign * fee_total, code, fees))
        item_total -= sign * fee_total
        total += item_total
        items.append(
            {
                "description": row["title"][:100] or row["sku"],
                "totalAmount": _currency(item_total, code),
                "relatedIdentifiers": [
                    {
                        "itemRelatedIdentifierName": "ORDER_ADJUSTMENT_ITEM_ID",
                        "itemRelatedIdentifierValue": f"{transaction_id}-{index}",
                    }
                ],
                "breakdowns": breakdowns,
                "contexts": [
                    {
                        "contextType": "ProductContext",
                        "asin": row["asin"],
                        "sku": row["sku"],
                        "quantityShipped": quantity,
                        "fulfillmentNetwork": "AFN"
                        if _channel(order) == "fba"
                        else "MFN",
                    }
                ],
            }
        )
    marketplace = (order.get("salesChannel") or {}).get("marketplaceId")
    related = [
        {
            "relatedIdentifierName": "ORDER_ID",
            "relatedIdentifierValue": order["orderId"],
        }
    ]
    if refund_id:
        related.append(
            {"relatedIdentifierName": "REFUND_ID", "relatedIdentifierValue": refund_id}
        )
    return {
        "sellingPartnerMetadata": {
            "sellingPartnerId": "A1SANDBOXSELLER",
            "accountType": "Standard Orders",
            "marketplaceId": marketplace,
        },
        "relatedIdentifiers": related,
        "transactionType": kind,
        "transactionId": transaction_id,
        "transactionStatus": "RELEASED",
        "description": "Order Payment" if kind == "Shipment" else "Refund Order",
        "postedDate": generate.iso(posted),
        "totalAmount": _currency(total, code),
        "marketplaceDetails": {"marketplaceId": marketplace},
        "items": items,
        "breakdowns": [],
    }


def _channel(order):
    return (
        "fba"
        if (order.get("fulfillment") or {}).get("fulfilledBy") == "AMAZON"
        else "fbm"
    )


def _transactions(state, seller_id):
    """Shipments of the shipped orders, refunds and the transactions added by the
    settlement control API (settlements.py), oldest first. Shipments are built
    once per order version (cached): never change a returned transaction."""
    orders = [
        o
        for o in state.seller_orders(seller_id)
        if (o.get("fulfillment") or {}).get("fulfillmentStatus") in SHIPPED
    ]
    money = _money_state(state)
    cache = money.setdefault("shipments", {})
    found = []
    for order in orders:
        key = (order["orderId"], order.get("lastUpdatedTime"))
        transaction = cache.get(key)
        if transaction is None:
            rows = _order_items(order)
            posted = _parse(order.get("lastUpdatedTime"), "lastUpdatedTime")
            lines = [(row, row["quantity"], True) for row in rows]
            transaction = _transaction(
                order, "Shipment", f"SHIP-{order['orderId']}", posted, lines
            )
            cache[key] = transaction
        found.append(transaction)
    found += [t for t, owner in money["refunds"] if owner == seller_id]
    found += [t for t, owner in money.get("extra", []) if owner == seller_id]
    found.sort(key=lambda t: (t["postedDate"], t["transactionId"]))
    return found


# --- Finances 2024-06-19 ----------------------------------------------------------
def list_transactions(req):
    related_name = req.one("relatedIdentifierName")
    related_value = req.one("relatedIdentifierValue")
    after = req.one("postedAfter")
    before = req.one("postedBefore")
    now = _now()
    if not after and not related_name:
        raise invalid("postedAfter is required without relatedIdentifierName.")
    if related_name and related_name not in ("ORDER_ID", "FINANCIAL_EVENT_GROUP_ID"):
        raise invalid(f"relatedIdentifierName {related_name} cannot filter.")
    start = _parse(after, "postedAfter") if after else None
    end = _parse(before, "postedBefore") if before else now - timedelta(minutes=2)
    if end > now - timedelta(minutes=2):
        raise invalid("postedBefore must be more than two minutes before now.")
    if start and end - start > MAX_WINDOW:
        raise invalid("The posting window is longer than 180 days.")
    from .settlements import assigned_transactions, group_transactions

    with req.state.lock:
        if related_name == "FINANCIAL_EVENT_GROUP_ID":
            rows = group_transactions(req.state, req.seller_id, related_value)
        else:
            rows = assigned_transactions(req.state, req.seller_id)
    selected = []
    for transaction in rows:
        # parsed only when a window filters (a group's pages: every request
        # would parse the whole group again)
        if start and not start <= _parse(transaction["postedDate"], "postedDate") < end:
            continue
        if related_name and not any(
            r["relatedIdentifierValue"] == related_value
            for r in transaction["relatedIdentifiers"]
            if r["relatedIdentifierName"] == related_name
        ):
            continue
        selected.append(transaction)
    offset = req.one("nextToken")
    offset = int(offset) if offset and offset.isdigit() else 0
    page = selected[offset : offset + PAGE_SIZE]
    payload = {"transactions": page}
    if offset + PAGE_SIZE < len(selected):
        payload["nextToken"] = str(offset + PAGE_SIZE)
    return Response(200, {"payload": payload})


# --- Reports 2021-06-30 ----------------------------------------------------------
def create_report(req):
    body = strip_aliases(req.json(), keep=("marketplaceIds",))
    _check("reports", "createReport", body)
    if body["reportType"] not in (FBM_REPORT, FBA_REPORT):
        raise invalid(f"The sandbox does not make {body['reportType']} reports.")
    money = _money_state(req.state)
    report_id = str(60000000000 + len(money["reports"]) + 1)
    with req.state.lock:
        money["reports"][report_id] = {
            "reportId": report_id,
            "reportType": body["reportType"],
            "marketplaceIds": list(body["marketplaceIds"]),
            "dataStartTime": body.get("dataStartTime"),
            "dataEndTime": body.get("dataEndTime") or generate.iso(_now()),
            "createdTime": generate.iso(_now()),
            "processingStatus": "IN_QUEUE",
            "_created": time.time(),
            "_seller": req.seller_id,
        }
    return Response(202, {"reportId": report_id})


def _report_rows(state, report):
    start = (
        _parse(report["dataStartTime"], "dataStartTime")
        if report.get("dataStartTime")
        else datetime(2000, 1, 1, tzinfo=timezone.utc)
    )
    end = _parse(report["dataEndTime"], "dataEndTime")
    wanted = "fbm" if report["reportType"] == FBM_REPORT else "fba"
    rows = []
    for entry in _money_state(state)["returns"]:
        moment = _parse(entry["date"], "date")
        order = state.orders.get(entry["orderId"])
        if (
            order is None
            or state.order_owner.get(entry["orderId"]) != report["_seller"]
            or _channel(order) != wanted
            or not start <= moment < end
        ):
            continue
        rows.append((entry, order))
    return rows


def _report_document(state, report):
    if report["reportType"] == FBM_REPORT:
        lines = ["\t".join(FBM_COLUMNS)]
        for entry, order in _report_rows(state, report):
            lines.append(
                "\t".join(
                    [
                        entry["orderId"],
                        order["createdTime"][:10],
                        entry["date"][:10],
                        "Approved",
                        entry["id"],
                        entry["sku"],
                        entry["title"],
                        str(entry["quantity"]),
                        entry["reason"],
                        entry["date"][:10] if entry["delivered"] else "",
                    ]
                )
            )
    else:
        lines = ["\t".join(FBA_COLUMNS)]
        for entry, _order in _report_rows(state, report):
            lines.append(
                "\t".join(
                    [
                        entry["date"],
                        entry["orderId"],
                        entry["sku"],
                        entry["asin"],
                        "X00" + entry["sku"][:7],
                        entry["title"],
                        str(entry["quantity"]),
                        "FRA7",
                        entry["disposition"],
                        entry["reason"],
                        "Unit returned to inventory",
                        entry["id"],
                    ]
                )
            )
    content = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"))
    return _document(state, "text/tab-separated-values", report["_seller"], content)


def public_report(report):
    return {k: v for k, v in report.items() if not k.startswith("_")}


def get_report(req):
    money = _money_state(req.state)
    with req.state.lock:
        report = money["reports"].get(req.params["reportId"])
        if report is None or report["_seller"] != req.seller_id:
            raise not_found(f"Report {req.params['reportId']} not found.")
        if (
            report["processingStatus"] == "IN_QUEUE"
            and time.time() - report["_created"] >= req.state.feed_delay
        ):
            report["reportDocumentId"] = _report_document(req.state, report)
            report["processingStatus"] = "DONE"
            report["processingEndTime"] = generate.iso(_now())
        return Response(200, public_report(report))


def get_report_document(req):
    doc_id = req.params["reportDocumentId"]
    with req.state.lock:
        document = req.state.documents.get(doc_id)
        if document is None or document["sellerId"] != req.seller_id:
            raise not_found(f"Report document {doc_id} not found.")
    return Response(
        200,
        {
            "reportDocumentId": doc_id,
            "url": document_url(req.state, doc_id),
            "compressionAlgorithm": "GZIP",
        },
    )


# --- control: /_sandbox/refunds and /_sandbox/returns --------------------------------
def post_refund(state, body):
    """Refund an order: ``{"orderId", "items": [{"sku", "quantity"}], "shipping"}``
    (no items: the whole order with its shipping)."""
    order = state.orders.get(body.get("orderId"))
    if order is None:
        raise ApiError(404, "NotFound", f"Order {body.get('orderId')} not found.")
    rows = {row["sku"]: row for row in _order_items(order)}
    wanted = body.get("items")
    if wanted is None:
        lines = [(row, row["quantity"], True) for row in rows.values()]
    else:
        lines = []
        for index, spec in enumerate(wanted):
            row = rows.get(spec.get("sku"))
            if row is None:
                raise invalid(f"The order has no SKU {spec.get('sku')}.")
            quantity = int(spec.get("quantity") or row["quantity"])
            lines.append((row, quantity, bool(body.get("shipping")) and index == 0))
    refund_id = f"REFUND-{uuid.uuid4().hex[:10]}"
    posted = _now() - timedelta(minutes=5)
    transaction = _transaction(
        order, "Refund", f"TX-{refund_id}", posted, lines, refund_id=refund_id
    )
    money = _money_state(state)
    with state.lock:
        money["refunds"].append((transaction, state.order_owner.get(order["orderId"])))
    return Response(201, transaction)


def post_return(state, body):
    """A returned item: ``{"orderId", "sku", "quantity", "disposition",
    "delivered"}`` (FBA orders: disposition SELLABLE, CUSTOMER_DAMAGED...)."""
    order = state.orders.get(body.get("orderId"))
    if order is None:
        raise ApiError(404, "NotFound", f"Order {body.get('orderId')} not found.")
    rows = {row["sku"]: row for row in _order_items(order)}
    row = rows.get(body.get("sku")) or next(iter(rows.values()), None)
    if row is None:
        raise invalid("The order has no items.")
    entry = {
        "id": f"RMA-{uuid.uuid4().hex[:10]}",
        "orderId": order["orderId"],
        "sku": row["sku"],
        "asin": row["asin"],
        "title": row["title"].replace("\t", " ")[:100],
        "quantity": int(body.get("quantity") or 1),
        "disposition": body.get("disposition") or "SELLABLE",
        "reason": body.get("reason") or "UNWANTED_ITEM",
        "delivered": body.get("delivered", True),
        "date": generate.iso(_now() - timedelta(minutes=5)),
    }
    money = _money_state(state)
    with state.lock:
        money["returns"].append(entry)
    return Response(201, entry)


def control(server, req, name):
    """The money part of the control API, or None."""
    if req.method != "POST":
        return None
    body = req.json(required=False) or {}
    if name == "refunds":
        return post_refund(server.state, body)
    if name == "returns":
        return post_return(server.state, body)
    return None


ROUTES = [
    # (method, path template, api, operationId, handler)
    (
        "GET",
        "/finances/2024-06-19/transactions",
        "finances-2024",
        "listTransactions",
        list_transactions,
    ),
    ("POST", "/reports/2021-06-30/reports", "reports", "createReport", create_report),
    (
        "GET",
        "/reports/2021-06-30/reports/{reportId}",
        "reports",
        "getReport",
        get_report,
    ),
    (
        "GET",
        "/reports/2021-06-30/documents/{reportDocumentId}",
        "reports",
        "getReportDocument",
        get_report_document,
    ),
]
