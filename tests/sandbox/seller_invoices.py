"""Amazon's invoices to the seller: Finances Invoices 2026-06-25 ``getInvoiceHeaders``
and ``getInvoice``, consistent with the fees the transactions charge.

Rules (the sandbox's, documented in tests/README.md):

- Amazon's EU entity issues one invoice per closed financial event group
  (settlements.py), when it closes: its billing period is the group's, its
  currency the group's, its lines one per fee type (the leaves under
  ``AmazonFees`` of the group's released transactions: ``Commission``,
  ``RefundCommission``, ``FBAPerUnitFulfillmentFee``, ``CostOfAdvertising``...),
  each the sum of those fees, the description naming the fee type. A refunded
  commission is a negative line. A deferred transaction's fees are invoiced by
  the group that releases it.
- The fees are services from Luxembourg to an EU business: reverse charge, no VAT
  on the invoice (``taxRateCodes`` ``LU 0``); the seller self-assesses.
- The invoice is deducted from the payouts: status ``DEDUCTED``, type ``OTHER``.
- ``getInvoiceHeaders`` pages by 100; ``fromIssueDate`` and ``toIssueDate`` go
  together and span at most 90 days (default: the last 90 days).
"""

from datetime import timedelta
from decimal import Decimal

from .http import ApiError, Response, invalid
from .money import _currency, _parse
from .settlements import _assign, _now, _state

HEADERS_PAGE = 100
MAX_WINDOW = timedelta(days=90)
AMAZON_EU = {
    "partnerId": "AMAZON_EU",
    "partnerType": "AMAZON",
    "partnerName": "Amazon EU S.a r.l.",
    "partnerAddress": "38 avenue John F. Kennedy, L-1855 Luxembourg",
    "taxRegistrationNumber": "LU20260743",
}
FEES_NODE = "AmazonFees"


def _fee_leaves(nodes, inside=False):
    """(fee type, amount) of every leaf breakdown under ``AmazonFees``."""
    for node in nodes or []:
        kind = node.get("breakdownType")
        children = node.get("breakdowns") or []
        under = inside or kind == FEES_NODE
        if children:
            yield from _fee_leaves(children, under)
        elif under and kind != FEES_NODE:
            amount = (node.get("breakdownAmount") or {}).get("currencyAmount")
            yield kind, Decimal(str(amount or 0))


def fees_of(transactions):
    """{fee type: amount invoiced} (positive: what the seller owes Amazon)."""
    fees = {}
    for transaction in transactions:
        if transaction.get("transactionStatus") == "DEFERRED":
            continue
        nodes = list(transaction.get("breakdowns") or [])
        for item in transaction.get("items") or []:
            nodes += item.get("breakdowns") or []
        for kind, amount in _fee_leaves(nodes):
            fees[kind] = fees.get(kind, Decimal(0)) - amount
    return {k: v.quantize(Decimal("0.01")) for k, v in fees.items() if v}


def _invoices(state, seller_id):
    """{identifier: (header, items)} of the seller's closed groups, oldest first."""
    money = _state(state)
    assigned = _assign(state, seller_id)
    found = {}
    closed = sorted(
        (
            (gid, group)
            for gid, group in money["groups"].items()
            if group["seller"] == seller_id
        ),
        key=lambda kv: kv[1]["closedAt"],
    )
    for gid, group in closed:
        transactions = (assigned.get(gid) or {}).get("transactions") or []
        fees = fees_of(transactions)
        if not fees:
            continue
        code = group["currency"]
        identifier = f"AEU-{gid}"
        items = []
        for index, (kind, amount) in enumerate(sorted(fees.items())):
            items.append(
                {
                    "lineItemId": f"{identifier}-{index + 1}",
                    "unitCost": _currency(amount, code),
                    "quantity": 1,
                    "taxRateCodes": ["LU 0"],
                    "totalAmount": _currency(amount, code),
                    "totalAmountBreakdown": [
                        {
                            "breakdownType": "ItemCostWithoutTax",
                            "breakdownAmount": _currency(amount, code),
                        },
                        {
                            "breakdownType": "ItemTaxAmount",
                            "breakdownAmount": _currency(Decimal(0), code),
                        },
                    ],
                    "lineItemContext": {
                        "lineItemType": "SERVICES",
                        "itemDescription": kind,
                        "serviceChargeType": "FBA_INVENTORY_STORAGE_FEE"
                        if kind == "FBAStorageFee"
                        else "OTHER",
                    },
                }
            )
        total = sum(fees.values(), Decimal(0))
        period_start = group["payout"]["period"]["startDate"]
        header = {
            "invoiceNumber": identifier,
            "invoiceIdentifier": identifier,
            "invoiceStatus": "DEDUCTED",
            "invoiceType": "OTHER",
            "billingPeriod": {"startDate": period_start, "endDate": group["closedAt"]},
            "payer": {
                "partnerId": seller_id,
                "partnerType": "SELLER",
            },
            "payee": dict(AMAZON_EU),
            "issueDate": group["closedAt"],
            "invoiceAmount": _currency(total, code),
            "invoiceAmountBreakdowns": [
                {
                    "breakdownType": "Total",
                    "breakdownAmount": _currency(total, code),
                    "breakdowns": [
                        {
                            "breakdownType": "InvoiceAmountWithoutTax",
                            "breakdownAmount": _currency(total, code),
                        },
                        {
                            "breakdownType": "TaxAmount",
                            "breakdownAmount": _currency(Decimal(0), code),
                        },
                    ],
                }
            ],
            "relatedIdentifiers": [
                {
                    "relatedIdentifierName": "UNIQUE_PAYMENT_IDS",
                    "relatedIdentifierValue": [group["payout"]["id"]],
                }
            ],
            "creationDate": group["closedAt"],
            "lastUpdatedDate": group["closedAt"],
        }
        found[identifier] = (header, items)
    return found


def get_invoice_headers(req):
    if not req.one("marketplaceId"):
        raise invalid("marketplaceId is required.")
    after, before = req.one("fromIssueDate"), req.one("toIssueDate")
    if bool(after) != bool(before):
        raise invalid("Provide both fromIssueDate and toIssueDate, or neither.")
    end = _parse(before, "toIssueDate") if before else _now()
    start = _parse(after, "fromIssueDate") if after else end - MAX_WINDOW
    if end - start > MAX_WINDOW:
        raise invalid(
            "The range between fromIssueDate and toIssueDate exceeds 90 days."
        )
    modified = req.one("invoicesModifiedAfter")
    modified_after = _parse(modified, "invoicesModifiedAfter") if modified else None
    with req.state.lock:
        invoices = _invoices(req.state, req.seller_id)
    selected = []
    for header, _items in invoices.values():
        issued = _parse(header["issueDate"], "issueDate")
        if not start <= issued <= end:
            continue
        if modified_after and _parse(header["lastUpdatedDate"], "u") <= modified_after:
            continue
        selected.append(header)
    token = req.one("nextToken")
    offset = int(token) if token and token.isdigit() else 0
    page = selected[offset : offset + HEADERS_PAGE]
    body = {"invoices": page, "numOfRecords": len(page)}
    if offset + HEADERS_PAGE < len(selected):
        body["nextToken"] = str(offset + HEADERS_PAGE)
    return Response(200, body)


def get_invoice(req):
    if not req.one("marketplaceId"):
        raise invalid("marketplaceId is required.")
    identifier = req.params["invoiceIdentifier"]
    with req.state.lock:
        found = _invoices(req.state, req.seller_id).get(identifier)
    if not found:
        raise ApiError(404, "NotFound", f"No invoice {identifier}.")
    header, items = found
    return Response(200, {"invoiceHeader": header, "invoiceItems": items})


ROUTES = [
    (
        "GET",
        "/finances/invoices/2026-06-25/invoices",
        "finances-invoices",
        "getInvoiceHeaders",
        get_invoice_headers,
    ),
    (
        "GET",
        "/finances/invoices/2026-06-25/invoices/{invoiceIdentifier}",
        "finances-invoices",
        "getInvoice",
        get_invoice,
    ),
]
