"""searchListingsItems (Listings Items 2021-08-01) for the sandbox.

Serves the seller's stored listings of one marketplace, shaped like
``ItemSearchResults`` in ``listingsItems_2021-08-01.json``: ``pageSize`` at most 20,
an opaque ``pageToken``, sorting by ``sku``/``createdDate``/``lastUpdatedDate``,
the date filters, ``identifiers``/``identifiersType`` (SKU, ASIN, EAN) and, as
Amazon documents, no more than 1000 items paged through per search.
"""

from .contract import parse_datetime
from .http import Response, invalid
from .listings import _seller_and_marketplace, item_body

INCLUDED_DATA = {
    "summaries",
    "attributes",
    "issues",
    "offers",
    "fulfillmentAvailability",
    "procurement",
    "relationships",
    "productTypes",
}
SORT_KEYS = {
    "sku": "sku",
    "createdDate": "createdDate",
    "lastUpdatedDate": "lastUpdatedDate",
}
MAX_PAGE_SIZE = 20
RESULT_CAP = 1000  # "The maximum number of items (SKUs) ... paged through is 1000."
TOKEN_PREFIX = "sbx-page-"


def _date_filter(req, name):
    raw = req.one(name)
    if raw in (None, ""):
        return None
    value = parse_datetime(raw)
    if value is None:
        raise invalid(f"Invalid {name}: {raw!r} is not an ISO 8601 date-time.")
    return value


def _matches_identifiers(listing, kind, identifiers):
    if not identifiers:
        return True
    value = {
        "SKU": listing["sku"],
        "ASIN": listing.get("asin"),
        "EAN": listing.get("ean"),
    }
    if kind not in value:
        raise invalid(f"identifiersType {kind!r} is not supported by the sandbox.")
    return value[kind] in identifiers


def _with_identifier(listing, body):
    """Amazon returns the EAN a listing was created with among its attributes."""
    attributes = body.get("attributes")
    if attributes is not None and listing.get("ean"):
        attributes.setdefault(
            "externally_assigned_product_identifier",
            [
                {
                    "type": "ean",
                    "value": listing["ean"],
                    "marketplace_id": listing["marketplaceId"],
                }
            ],
        )
    return body


def search_listings_items(req):
    mp_id = _seller_and_marketplace(req)
    included = req.many("includedData") or ["summaries"]
    unknown = set(included) - INCLUDED_DATA
    if unknown:
        raise invalid(f"Invalid includedData: {', '.join(sorted(unknown))}.")
    page_size = req.integer("pageSize", default=10, minimum=1, maximum=MAX_PAGE_SIZE)
    sort_by = req.one("sortBy") or "lastUpdatedDate"
    sort_order = req.one("sortOrder") or "DESC"
    if sort_by not in SORT_KEYS or sort_order not in ("ASC", "DESC"):
        raise invalid("Invalid sortBy or sortOrder.")
    identifiers = req.many("identifiers") or []
    kind = req.one("identifiersType")
    if bool(identifiers) != bool(kind):
        raise invalid("identifiers and identifiersType go together.")
    if len(identifiers) > 20:
        raise invalid("identifiers allows at most 20 values.")
    bounds = {
        name: _date_filter(req, name)
        for name in (
            "createdAfter",
            "createdBefore",
            "lastUpdatedAfter",
            "lastUpdatedBefore",
        )
    }
    token = req.one("pageToken")
    offset = 0
    if token:
        if (
            not token.startswith(TOKEN_PREFIX)
            or not token[len(TOKEN_PREFIX) :].isdigit()
        ):
            raise invalid(f"Invalid pageToken: {token!r}.")
        offset = int(token[len(TOKEN_PREFIX) :])

    with req.state.lock:
        listings = [
            dict(listing)
            for (seller, marketplace, _sku), listing in req.state.listings.items()
            if seller == req.seller_id and marketplace == mp_id
        ]
    matching = []
    for listing in listings:
        created = parse_datetime(listing["createdDate"])
        updated = parse_datetime(listing["lastUpdatedDate"])
        if bounds["createdAfter"] and created < bounds["createdAfter"]:
            continue
        if bounds["createdBefore"] and created > bounds["createdBefore"]:
            continue
        if bounds["lastUpdatedAfter"] and updated < bounds["lastUpdatedAfter"]:
            continue
        if bounds["lastUpdatedBefore"] and updated > bounds["lastUpdatedBefore"]:
            continue
        if not _matches_identifiers(listing, kind, identifiers):
            continue
        matching.append(listing)
    key = SORT_KEYS[sort_by]
    matching.sort(
        key=lambda lst: (
            lst[key] if key == "sku" else parse_datetime(lst[key]),
            lst["sku"],
        ),
        reverse=sort_order == "DESC",
    )
    reachable = matching[:RESULT_CAP]
    page = reachable[offset : offset + page_size]
    result = {
        "numberOfResults": len(matching),
        "items": [
            _with_identifier(listing, item_body(listing, included)) for listing in page
        ],
    }
    pagination = {}
    if offset + page_size < len(reachable):
        pagination["nextToken"] = f"{TOKEN_PREFIX}{offset + page_size}"
    if offset > 0:
        pagination["previousToken"] = f"{TOKEN_PREFIX}{max(0, offset - page_size)}"
    if pagination:
        result["pagination"] = pagination
    return Response(200, result)
