"""Settlements: Finances v0 ``listFinancialEventGroups`` and Transfers 2024-06-01
``listPayouts``, consistent with the transactions ``listTransactions`` serves
(money.py), and their control API.

Rules (the sandbox's, documented in tests/README.md):

- Every transaction (shipment of a shipped order, refund, or one added below)
  belongs to exactly one financial event group and carries its id as the
  ``FINANCIAL_EVENT_GROUP_ID`` related identifier. Groups are per currency: a
  group covers a 14-day window (aligned on Monday 2024-01-01 UTC, or on the
  anchor a test sets, ``set_anchor``/``one_window``) and holds the
  transactions of its currency posted in it. A deferred transaction counts at
  its posting date, a released one at its release date.
- A group is ``Open`` until ``POST /_sandbox/settlements/close`` closes it: its
  transactions are frozen then (later transactions of its window go to the next
  group of the currency, which starts at the closing time), its total is what
  Amazon pays (the released transactions; deferred ones are not paid), it gets a
  fund transfer date, status ``Succeeded``, a ``TraceId`` and a payout (Transfers
  ``listPayouts``, status ``PAID``, or ``NO_PAYOUT`` for a total not above 0).
- ``BeginningBalance`` is 0 and ``ConvertedTotal`` equals ``OriginalTotal`` (the
  sandbox pays every currency in that currency).
- ``POST /_sandbox/settlements/transactions`` adds a transaction: ``{"kind",
  "amount", "currency", "marketplaceId", "orderId", "postedDate", "override"}``,
  kind one of KINDS (type and breakdown below); ``override`` replaces members of
  the transaction as served (bad data for the importer's tests).
- ``POST /_sandbox/settlements/defer {"orderId"}`` makes an order's shipment
  ``DEFERRED``; ``POST /_sandbox/settlements/release {"transactionId"}`` (or
  ``orderId``) releases it: ``DEFERRED_RELEASED``, in the group open at release
  time (it leaves a closed group that held it deferred).
"""

import hashlib
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from . import generate
from .http import ApiError, Response, invalid
from .money import _currency, _money_state, _now, _parse, _transactions

WINDOW = timedelta(days=14)
ANCHOR = datetime(2024, 1, 1, tzinfo=timezone.utc)
MAX_GROUPS_PAGE = 100
DEFAULT_GROUPS_PAGE = 10
PAYOUTS_PAGE = 10
MAX_WINDOW = timedelta(days=180)
ACCOUNT_TAIL = "4321"
# kind -> (transactionType, sign, breakdown path outermost first, description)
KINDS = {
    "reserve_hold": ("ReserveHold", -1, ["CurrentReserveAmount"], "Reserve held"),
    "reserve_release": (
        "ReserveRelease",
        1,
        ["PreviousReserveAmountBalance"],
        "Reserve released",
    ),
    "reimbursement": (
        "Adjustment",
        1,
        ["FBAInventoryReimbursement"],
        "FBA inventory reimbursement",
    ),
    "chargeback": (
        "Chargeback",
        -1,
        ["AmazonFees", "ShippingChargeback"],
        "Shipping charge-back",
    ),
    "advertising": (
        "ServiceFee",
        -1,
        ["AmazonFees", "CostOfAdvertising"],
        "Cost of advertising",
    ),
    "subscription": (
        "ServiceFee",
        -1,
        ["AmazonFees", "Subscription"],
        "Subscription fee",
    ),
    "storage": ("ServiceFee", -1, ["AmazonFees", "FBAStorageFee"], "Storage fee"),
}
CURRENCY_MARKETPLACE = {"GBP": "A1F83G8C2ARO7P", "SEK": "A2NODRKZP88ZB9"}
DEFAULT_MARKETPLACE = "APJ6JRA9NG5V4"  # amazon.it


def _state(state):
    money = _money_state(state)
    with state.lock:
        money.setdefault("extra", [])
        money.setdefault("groups", {})  # group id -> closed group record
        money.setdefault("deferred", {})  # transaction id -> {status, released}
    return money


# The windows' anchor of a sandbox (state.money["anchor"]): tests move it so
# that the current window started days ago (set_anchor), never minutes ago.
def _anchor(state=None):
    if state is None:
        return ANCHOR
    return _money_state(state).get("anchor") or ANCHOR


def set_anchor(state, moment):
    """Windows of this sandbox start at ``moment`` (plus 14 days times n)."""
    money = _money_state(state)
    with state.lock:
        money["anchor"] = moment


def window_index(moment, state=None):
    return int((moment - _anchor(state)) // WINDOW)


def window_start(index, state=None):
    return _anchor(state) + WINDOW * index


def one_window(state, days=3):
    """Make the current window of this sandbox start ``days`` + 1 days ago (it
    ends 14 days later) and return generator options (``generate_orders``)
    whose orders are all posted in it: a test's orders, refunds and charges
    then fall in one group per currency."""
    now = _now()
    set_anchor(state, now - timedelta(days=days + 1))
    return {"created_after": generate.iso(now - timedelta(days=days))}


def group_id(seller_id, currency, index):
    """Opaque and stable, like Amazon's (e.g. ``EUR1A2B3C0049``)."""
    digest = hashlib.sha1(seller_id.encode()).hexdigest()[:6].upper()
    return f"{currency}{digest}{index:04d}"


def _identifier(transaction, name):
    for ident in transaction.get("relatedIdentifiers") or []:
        if ident.get("relatedIdentifierName") == name:
            return ident.get("relatedIdentifierValue")
    return None


def _code(transaction):
    total = transaction.get("totalAmount")
    code = total.get("currencyCode") if isinstance(total, dict) else None
    return code if isinstance(code, str) and code else "EUR"


def _signature(state, seller_id):
    """What the assignment depends on, cheap to compute (a page of 50 out of
    5,000 transactions must not rebuild them all)."""
    money = _state(state)
    orders = hash(
        tuple(
            (
                oid,
                o.get("lastUpdatedTime"),
                (o.get("fulfillment") or {}).get("fulfillmentStatus"),
            )
            for oid, o in state.orders.items()
            if state.order_owner.get(oid) == seller_id
        )
    )
    return (
        seller_id,
        orders,
        len(money["refunds"]),
        len(money["extra"]),
        tuple((gid, len(g["members"])) for gid, g in money["groups"].items()),
        tuple((ref, tuple(sorted(d.items()))) for ref, d in money["deferred"].items()),
        money.get("anchor"),
    )


def _assign(state, seller_id):
    """{group id: {"currency", "index", "transactions": [...]}} with every
    transaction of the seller served as listTransactions serves it (cached
    while nothing it depends on changes; never change what it returns)."""
    money = _state(state)
    with state.lock:
        signature = _signature(state, seller_id)
        cached = money.get("assigned")
        if cached and cached[0] == signature:
            return cached[1]
        groups = _compute_assign(state, seller_id)
        for group in groups.values():
            group["transactions"].sort(
                key=lambda t: (t["postedDate"], t["transactionId"])
            )
        money["assigned"] = (signature, groups)
        return groups


def _compute_assign(state, seller_id):
    money = _state(state)
    closed = {
        gid: group
        for gid, group in money["groups"].items()
        if group["seller"] == seller_id
    }
    frozen = {}
    for gid, group in closed.items():
        for ref in group["members"]:
            frozen[ref] = gid
    groups = {}
    for base in _transactions(state, seller_id):
        ref = base["transactionId"]
        deferral = money["deferred"].get(ref)
        status = deferral["status"] if deferral else base["transactionStatus"]
        code = _code(base)
        gid = frozen.get(ref)
        if gid:
            index = closed[gid]["index"]
        else:
            moment = _parse(base["postedDate"], "postedDate")
            if deferral and deferral.get("released"):
                moment = _parse(deferral["released"], "released")
            index = window_index(moment, state)
            gid = group_id(seller_id, code, index)
            while gid in closed:
                index += 1
                gid = group_id(seller_id, code, index)
        served = dict(base)
        served["transactionStatus"] = status
        served["relatedIdentifiers"] = [
            *base["relatedIdentifiers"],
            {
                "relatedIdentifierName": "FINANCIAL_EVENT_GROUP_ID",
                "relatedIdentifierValue": gid,
            },
        ]
        group = groups.setdefault(
            gid, {"currency": code, "index": index, "transactions": []}
        )
        group["transactions"].append(served)
    for gid, group in closed.items():
        groups.setdefault(
            gid,
            {
                "currency": group["currency"],
                "index": group["index"],
                "transactions": [],
            },
        )
    return groups


def group_transactions(state, seller_id, gid):
    """The transactions of one group, oldest first."""
    group = _assign(state, seller_id).get(gid)
    return list(group["transactions"]) if group else []


def assigned_transactions(state, seller_id):
    """Every transaction of the seller with its group id, oldest first."""
    rows = [
        t for group in _assign(state, seller_id).values() for t in group["transactions"]
    ]
    rows.sort(key=lambda t: (t["postedDate"], t["transactionId"]))
    return rows


def _released_total(transactions):
    total = Decimal(0)
    for transaction in transactions:
        if transaction.get("transactionStatus") == "DEFERRED":
            continue
        try:
            total += Decimal(str(transaction["totalAmount"]["currencyAmount"]))
        except (KeyError, TypeError, ArithmeticError, ValueError):
            continue
    return total


def _group_start(state, seller_id, currency, index, closed):
    start = window_start(index, state)
    previous = closed.get(group_id(seller_id, currency, index - 1))
    if previous:
        start = min(start, _parse(previous["closedAt"], "closedAt"))
    return start


def _group_body(state, seller_id, gid, group, closed):
    record = closed.get(gid)
    code = group["currency"]
    start = _group_start(state, seller_id, code, group["index"], closed)
    if record:
        total = Decimal(record["total"])
    else:
        total = _released_total(group["transactions"])
    body = {
        "FinancialEventGroupId": gid,
        "ProcessingStatus": "Closed" if record else "Open",
        "OriginalTotal": {"CurrencyCode": code, "CurrencyAmount": float(total)},
        "ConvertedTotal": {"CurrencyCode": code, "CurrencyAmount": float(total)},
        "BeginningBalance": {"CurrencyCode": code, "CurrencyAmount": 0.0},
        "FinancialEventGroupStart": generate.iso(start),
        "AccountTail": ACCOUNT_TAIL,
    }
    if record:
        body.update(
            FundTransferStatus="Succeeded",
            FundTransferDate=record["closedAt"],
            FinancialEventGroupEnd=record["closedAt"],
            TraceId=record["traceId"],
        )
    return body


def _groups(state, seller_id):
    money = _state(state)
    closed = {gid: g for gid, g in money["groups"].items() if g["seller"] == seller_id}
    assigned = _assign(state, seller_id)
    bodies = [
        _group_body(state, seller_id, gid, group, closed)
        for gid, group in assigned.items()
        if group["transactions"] or gid in closed
    ]
    bodies.sort(
        key=lambda g: (g["FinancialEventGroupStart"], g["FinancialEventGroupId"])
    )
    return bodies


# --- Finances v0 -----------------------------------------------------------------
def list_financial_event_groups(req):
    now = _now()
    size = req.one("MaxResultsPerPage")
    if size in (None, ""):
        size = DEFAULT_GROUPS_PAGE
    elif not str(size).isdigit() or not 1 <= int(size) <= MAX_GROUPS_PAGE:
        raise invalid("MaxResultsPerPage must be an integer from 1 to 100.")
    size = int(size)
    after = req.one("FinancialEventGroupStartedAfter")
    before = req.one("FinancialEventGroupStartedBefore")
    token = req.one("NextToken")
    offset = 0
    if token:
        # the token carries the query it pages (the library sends it alone)
        parts = token.split("|")
        if len(parts) != 3 or not parts[0].isdigit():
            raise invalid("NextToken is not valid.")
        offset = int(parts[0])
        after, before = parts[1] or None, parts[2] or None
    elif not after:
        # Amazon's own 400 example: no date range is "Date range is invalid."
        raise invalid("Date range is invalid.")
    start = _parse(after, "FinancialEventGroupStartedAfter") if after else None
    end = (
        _parse(before, "FinancialEventGroupStartedBefore")
        if before
        else now - timedelta(minutes=2)
    )
    if before and end > now - timedelta(minutes=2) and not token:
        raise invalid(
            "FinancialEventGroupStartedBefore must be more than two minutes ago."
        )
    if start and start > now - timedelta(minutes=2) and not token:
        raise invalid(
            "FinancialEventGroupStartedAfter must be more than two minutes ago."
        )
    if start and end <= start:
        raise invalid(
            "FinancialEventGroupStartedBefore must be after "
            "FinancialEventGroupStartedAfter."
        )
    with req.state.lock:
        groups = _groups(req.state, req.seller_id)
    if start and end - start > MAX_WINDOW:
        groups = []  # Amazon's model: more than 180 days apart, nothing
    selected = [
        g
        for g in groups
        if (not start or _parse(g["FinancialEventGroupStart"], "start") >= start)
        and _parse(g["FinancialEventGroupStart"], "start") < end
    ]
    payload = {"FinancialEventGroupList": selected[offset : offset + size]}
    if offset + size < len(selected):
        payload["NextToken"] = f"{offset + size}|{after or ''}|{before or ''}"
    return Response(200, {"payload": payload})


# --- Transfers 2024-06-01 ----------------------------------------------------------
def list_payouts(req):
    money = _state(req.state)
    after = req.one("createdAfter")
    before = req.one("createdBefore")
    start = _parse(after, "createdAfter") if after else None
    end = _parse(before, "createdBefore") if before else None
    wanted_id = req.one("payoutId")
    marketplaces = req.many("marketplaceIds")
    unknown = [m for m in marketplaces if m not in generate.MARKETPLACE_BY_ID]
    if unknown:
        raise invalid(f"Invalid input: unknown marketplaceIds {', '.join(unknown)}.")
    account_type = req.one("accountType")
    with req.state.lock:
        payouts = [
            dict(g["payout"])
            for g in money["groups"].values()
            if g["seller"] == req.seller_id
        ]
    selected = []
    for payout in payouts:
        created = _parse(payout["creationDate"], "creationDate")
        if (start and created < start) or (end and created >= end):
            continue
        if wanted_id and payout["id"] != wanted_id:
            continue
        metadata = payout["partnerMetadata"]
        if marketplaces and metadata["marketplaceId"] not in marketplaces:
            continue
        if account_type and metadata["accountType"] != account_type:
            continue
        selected.append(payout)
    selected.sort(key=lambda p: (p["creationDate"], p["id"]), reverse=True)
    token = req.one("nextToken")
    offset = int(token) if token and token.isdigit() else 0
    body = {"payouts": selected[offset : offset + PAYOUTS_PAGE]}
    if offset + PAYOUTS_PAGE < len(selected):
        body["nextToken"] = str(offset + PAYOUTS_PAGE)
    return Response(200, body)


# --- control ---------------------------------------------------------------------
def close(state, body):
    """Close ``{"groupId"}``, or every open group of ``{"currency"}`` that holds
    transactions (default: every open group). Returns the closed groups."""
    seller_id = body.get("sellerId") or next(iter(state.sellers))
    money = _state(state)
    closed_now = []
    with state.lock:
        assigned = _assign(state, seller_id)
        for gid, group in sorted(assigned.items(), key=lambda kv: kv[1]["index"]):
            if gid in money["groups"] or not group["transactions"]:
                continue
            if body.get("groupId") and gid != body["groupId"]:
                continue
            if body.get("currency") and group["currency"] != body["currency"]:
                continue
            closed_at = generate.iso(_now() - timedelta(minutes=4))
            total = _released_total(group["transactions"])
            marketplace = next(
                (
                    t["sellingPartnerMetadata"].get("marketplaceId")
                    for t in group["transactions"]
                    if (t.get("sellingPartnerMetadata") or {}).get("marketplaceId")
                ),
                CURRENCY_MARKETPLACE.get(group["currency"], DEFAULT_MARKETPLACE),
            )
            trace = f"TRACE{uuid.uuid4().hex[:11].upper()}"
            start = _group_start(
                state, seller_id, group["currency"], group["index"], money["groups"]
            )
            paid = total > 0
            payout = {
                "id": f"PAYOUT-{gid}",
                "partnerMetadata": {
                    "partnerId": seller_id,
                    "accountType": "Standard Orders",
                    "marketplaceId": marketplace,
                },
                "currentStatus": "PAID" if paid else "NO_PAYOUT",
                "statusHistory": [
                    {"status": status, "lastUpdatedDate": closed_at}
                    for status in (
                        ("STARTED", "IN_TRANSIT", "PAID") if paid else ("NO_PAYOUT",)
                    )
                ],
                "type": "SCHEDULED",
                "amount": {
                    "currencyCode": group["currency"],
                    "currencyAmount": float(total),
                },
                "accountTail": ACCOUNT_TAIL,
                "paymentMethod": "BANK_ACCOUNT",
                "creationDate": closed_at,
                "paymentRail": "SEPA" if group["currency"] == "EUR" else "SWIFT",
                "traceId": trace,
                "period": {"startDate": generate.iso(start), "endDate": closed_at},
                "relatedIdentifiers": [
                    {
                        "relatedIdentifierName": "SETTLEMENT_ID",
                        "relatedIdentifierValue": gid,
                    }
                ],
            }
            money["groups"][gid] = {
                "seller": seller_id,
                "currency": group["currency"],
                "index": group["index"],
                "members": [t["transactionId"] for t in group["transactions"]],
                "total": str(total),
                "closedAt": closed_at,
                "traceId": trace,
                "payout": payout,
            }
            closed_now.append(gid)
        if body.get("groupId") and not closed_now:
            raise ApiError(
                404, "NotFound", f"No open group {body['groupId']} with transactions."
            )
        groups = {g["FinancialEventGroupId"]: g for g in _groups(state, seller_id)}
    return Response(200, {"closed": [groups[gid] for gid in closed_now]})


def add_transaction(state, body):
    kind = body.get("kind")
    if kind not in KINDS:
        raise invalid(f"kind must be one of {', '.join(sorted(KINDS))}.")
    seller_id = body.get("sellerId") or next(iter(state.sellers))
    transaction_type, sign, path, description = KINDS[kind]
    code = body.get("currency") or "EUR"
    try:
        amount = abs(Decimal(str(body.get("amount", "10"))))
    except ArithmeticError:
        raise invalid("amount is not a number.") from None
    marketplace = body.get("marketplaceId") or CURRENCY_MARKETPLACE.get(
        code, DEFAULT_MARKETPLACE
    )
    order_id = body.get("orderId")
    if order_id:
        order = state.orders.get(order_id)
        if order is None:
            raise ApiError(404, "NotFound", f"Order {order_id} not found.")
        marketplace = (order.get("salesChannel") or {}).get(
            "marketplaceId"
        ) or marketplace
    posted = body.get("postedDate") or generate.iso(_now() - timedelta(minutes=5))
    value = sign * amount
    node = None
    for name in reversed(path):
        node = {
            "breakdownType": name,
            "breakdownAmount": _currency(value, code),
            **({"breakdowns": [node]} if node else {}),
        }
    related = []
    if order_id:
        related.append(
            {"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": order_id}
        )
    transaction = {
        "sellingPartnerMetadata": {
            "sellingPartnerId": seller_id,
            "accountType": "Standard Orders",
            "marketplaceId": marketplace,
        },
        "relatedIdentifiers": related,
        "transactionType": transaction_type,
        "transactionId": f"TX-{kind.upper()}-{uuid.uuid4().hex[:10]}",
        "transactionStatus": "RELEASED",
        "description": description,
        "postedDate": posted,
        "totalAmount": _currency(value, code),
        "marketplaceDetails": {"marketplaceId": marketplace},
        "items": [],
        "breakdowns": [node],
    }
    transaction.update(body.get("override") or {})
    money = _state(state)
    with state.lock:
        money["extra"].append((transaction, seller_id))
    return Response(201, transaction)


def _find_reference(state, body):
    if body.get("transactionId"):
        return body["transactionId"]
    if body.get("orderId"):
        if body["orderId"] not in state.orders:
            raise ApiError(404, "NotFound", f"Order {body['orderId']} not found.")
        return f"SHIP-{body['orderId']}"
    raise invalid("Send a transactionId or an orderId.")


def defer(state, body):
    ref = _find_reference(state, body)
    money = _state(state)
    with state.lock:
        money["deferred"][ref] = {"status": "DEFERRED"}
    return Response(200, {"transactionId": ref, "transactionStatus": "DEFERRED"})


def release(state, body):
    ref = _find_reference(state, body)
    money = _state(state)
    with state.lock:
        deferral = money["deferred"].get(ref)
        if not deferral or deferral["status"] != "DEFERRED":
            raise invalid(f"Transaction {ref} is not deferred.")
        deferral.update(
            status="DEFERRED_RELEASED",
            released=generate.iso(_now() - timedelta(minutes=3)),
        )
        for group in money["groups"].values():
            if ref in group["members"]:
                group["members"].remove(ref)
    return Response(
        200, {"transactionId": ref, "transactionStatus": "DEFERRED_RELEASED"}
    )


def control(server, req, name):
    """``/_sandbox/settlements/...``, or None."""
    if req.method != "POST" or not name.startswith("settlements/"):
        return None
    body = req.json(required=False) or {}
    action = name[len("settlements/") :]
    handlers = {
        "close": close,
        "transactions": add_transaction,
        "defer": defer,
        "release": release,
    }
    if action not in handlers:
        return None
    return handlers[action](server.state, body)


ROUTES = [
    (
        "GET",
        "/finances/v0/financialEventGroups",
        "finances-v0",
        "listFinancialEventGroups",
        list_financial_event_groups,
    ),
    (
        "GET",
        "/finances/transfers/2024-06-01/payouts",
        "transfers",
        "listPayouts",
        list_payouts,
    ),
]
