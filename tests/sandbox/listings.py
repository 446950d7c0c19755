"""Listings Items 2021-08-01, Feeds 2021-06-30 (JSON_LISTINGS_FEED) and FBA
Inventory getInventorySummaries."""

import json
import time
import uuid
from decimal import Decimal, InvalidOperation

from . import generate
from .contract import validate_body
from .http import ApiError, Response, invalid, not_found, strip_aliases
from .state import utcnow

UNAUTHORIZED_SELLER = ApiError(
    403,
    "Unauthorized",
    "Access to requested resource is denied.",
    "The sellerId does not match the selling partner of the access token.",
)


def issue(code, message, attribute=None, severity="ERROR"):
    out = {
        "code": code,
        "message": message,
        "severity": severity,
        "categories": ["INVALID_ATTRIBUTE"] if attribute else [],
    }
    if attribute:
        out["attributeNames"] = [attribute]
    return out


def _seller_and_marketplace(req, max_items=None):
    if req.params["sellerId"] != req.seller_id:
        raise UNAUTHORIZED_SELLER
    ids = req.marketplace_ids()
    if not ids:
        raise invalid("Missing required parameter: marketplaceIds.")
    if max_items and len(ids) > max_items:
        raise invalid(f"marketplaceIds allows at most {max_items} value.")
    if ids[0] not in req.state.sellers.get(req.seller_id, []):
        raise invalid(f"Invalid marketplaceId: {ids[0]}.")
    return ids[0]


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def listing_attributes(listing):
    mp_id = listing["marketplaceId"]
    attributes = dict(listing.get("attributes") or {})
    attributes["fulfillment_availability"] = [
        {
            "fulfillment_channel_code": listing["fulfillmentChannel"],
            "quantity": listing["quantity"],
        }
    ]
    if listing.get("price") is not None:
        attributes["purchasable_offer"] = [
            {
                "marketplace_id": mp_id,
                "currency": listing["currency"],
                "our_price": [
                    {"schedule": [{"value_with_tax": float(listing["price"])}]}
                ],
            }
        ]
    attributes["condition_type"] = [
        {"value": listing.get("conditionType", "new_new"), "marketplace_id": mp_id}
    ]
    return attributes


def item_body(listing, included):
    mp_id = listing["marketplaceId"]
    buyable = listing.get("price") is not None and listing["quantity"] > 0
    parts = {
        "summaries": [
            {
                "marketplaceId": mp_id,
                "asin": listing["asin"],
                "productType": listing["productType"],
                "conditionType": listing.get("conditionType", "new_new"),
                "status": ["BUYABLE", "DISCOVERABLE"] if buyable else ["DISCOVERABLE"],
                "itemName": listing.get("title") or listing["sku"],
                "createdDate": listing["createdDate"],
                "lastUpdatedDate": listing["lastUpdatedDate"],
            }
        ],
        "attributes": listing_attributes(listing),
        "issues": [],
        "offers": [],
        "fulfillmentAvailability": [
            {
                "fulfillmentChannelCode": listing["fulfillmentChannel"],
                "quantity": listing["quantity"],
            }
        ],
        "procurement": [],
        "relationships": [{"marketplaceId": mp_id, "relationships": []}],
        "productTypes": [
            {"marketplaceId": mp_id, "productType": listing["productType"]}
        ],
    }
    if listing.get("price") is not None:
        parts["offers"].append(
            {
                "marketplaceId": mp_id,
                "offerType": "B2C",
                "price": {
                    "currencyCode": listing["currency"],
                    "amount": listing["price"],
                },
            }
        )
    body = {"sku": listing["sku"]}
    for name in included:
        body[name] = parts[name]
    return body


def get_listings_item(req):
    mp_id = _seller_and_marketplace(req)
    included = req.many("includedData") or ["summaries"]
    for name in included:
        if name not in (
            "summaries",
            "attributes",
            "issues",
            "offers",
            "fulfillmentAvailability",
            "procurement",
            "relationships",
            "productTypes",
        ):
            raise invalid(f"Invalid includedData value: {name}.")
    with req.state.lock:
        listing = req.state.find_listing(req.seller_id, mp_id, req.params["sku"])
        if listing is None:
            raise not_found(
                f"SKU '{req.params['sku']}' not found in marketplace {mp_id}."
            )
        return Response(200, item_body(listing, included))


def _quantity_patch(value):
    entry = value[0] if isinstance(value, list) and value else {}
    quantity = entry.get("quantity") if isinstance(entry, dict) else None
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        return None, issue(
            "INVALID_QUANTITY",
            f"The quantity {quantity!r} is invalid: a whole number >= 0 is required.",
            "fulfillment_availability",
        )
    channel = entry.get("fulfillment_channel_code", "DEFAULT")
    return {"quantity": quantity, "fulfillmentChannel": channel}, None


def _price_patch(value):
    entry = value[0] if isinstance(value, list) and value else {}
    try:
        price = entry["our_price"][0]["schedule"][0]["value_with_tax"]
    except (KeyError, IndexError, TypeError):
        price = None
    amount = _number(price) if price is not None else None
    if amount is None or amount <= 0:
        return None, issue(
            "INVALID_PRICE",
            f"The price {price!r} is invalid: a positive our_price value is required.",
            "purchasable_offer",
        )
    changes = {"price": str(amount.quantize(generate.CENT))}
    if entry.get("currency"):
        changes["currency"] = entry["currency"]
    return changes, None


def plan_patches(patches):
    """Return (changes, attribute changes, issues) for JSON-Patch operations."""
    changes = {}
    attributes = {}
    issues = []
    for patch in patches:
        op = patch.get("op")
        path = patch.get("path", "")
        value = patch.get("value")
        name = path.rsplit("/", 1)[-1]
        if not path.startswith("/attributes/"):
            issues.append(issue("INVALID_PATH", f"Unsupported patch path {path!r}."))
            continue
        if op == "delete":
            attributes[name] = None
            continue
        if name == "fulfillment_availability":
            found, problem = _quantity_patch(value)
        elif name == "purchasable_offer":
            found, problem = _price_patch(value)
        else:
            found, problem = {}, None
            attributes[name] = value
        if problem:
            issues.append(problem)
        else:
            changes.update(found)
    return changes, attributes, issues


def apply_changes(listing, changes, attributes):
    listing.update(changes)
    for name, value in attributes.items():
        if value is None:
            listing["attributes"].pop(name, None)
        else:
            listing["attributes"][name] = value
    listing["lastUpdatedDate"] = generate.iso(utcnow())


def submission(sku, status, issues=(), listing=None, mp_id=None):
    body = {
        "sku": sku,
        "status": status,
        "submissionId": uuid.uuid4().hex,
        "issues": list(issues),
    }
    if listing is not None:
        body["identifiers"] = [{"marketplaceId": mp_id, "asin": listing["asin"]}]
    return body


def _check(api, operation, body):
    errors = validate_body(api, operation, body)
    if errors:
        raise invalid("Invalid request body.", "; ".join(errors[:5]))


def patch_listings_item(req):
    mp_id = _seller_and_marketplace(req)
    body = strip_aliases(req.json())
    _check("listings", "patchListingsItem", body)
    sku = req.params["sku"]
    with req.state.lock:
        listing = req.state.find_listing(req.seller_id, mp_id, sku)
        if listing is None:
            problem = issue("UNKNOWN_SKU", f"SKU '{sku}' has no listing in {mp_id}.")
            return Response(200, submission(sku, "INVALID", [problem]))
        changes, attributes, issues = plan_patches(body["patches"])
        if issues:
            return Response(200, submission(sku, "INVALID", issues, listing, mp_id))
        if req.one("mode") == "VALIDATION_PREVIEW":
            return Response(200, submission(sku, "VALID", [], listing, mp_id))
        apply_changes(listing, changes, attributes)
        return Response(200, submission(sku, "ACCEPTED", [], listing, mp_id))


def _first_value(attributes, name, key="value"):
    values = attributes.get(name)
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return values[0].get(key)
    return None


def put_listings_item(req):
    mp_id = _seller_and_marketplace(req, max_items=1)
    body = strip_aliases(req.json())
    _check("listings", "putListingsItem", body)
    sku = req.params["sku"]
    attributes = dict(body["attributes"])
    asin = _first_value(attributes, "merchant_suggested_asin")
    ean = _first_value(attributes, "externally_assigned_product_identifier")
    issues = []
    if body.get("requirements") == "LISTING_OFFER_ONLY" and not (asin or ean):
        issues.append(
            issue(
                "MISSING_IDENTIFIER",
                "An offer needs merchant_suggested_asin or "
                "externally_assigned_product_identifier to match a catalogue item.",
                "merchant_suggested_asin",
            )
        )
    changes, extra, problems = plan_patches(
        [
            {"op": "replace", "path": f"/attributes/{name}", "value": value}
            for name, value in attributes.items()
        ]
    )
    issues.extend(problems)
    if issues:
        return Response(200, submission(sku, "INVALID", issues))
    if req.one("mode") == "VALIDATION_PREVIEW":
        return Response(200, submission(sku, "VALID"))
    seed = {
        "sku": sku,
        "asin": asin or (ean and generate.sku_asin(ean)) or generate.sku_asin(sku),
        "ean": ean,
        "title": _first_value(attributes, "item_name"),
        "productType": body["productType"],
        "marketplaceId": mp_id,
        "price": changes.get("price"),
        "currency": changes.get("currency"),
        "quantity": changes.get("quantity", 0),
        "fulfillmentChannel": changes.get("fulfillmentChannel", "DEFAULT"),
        "conditionType": _first_value(attributes, "condition_type") or "new_new",
        "attributes": extra,
    }
    with req.state.lock:
        old = req.state.find_listing(req.seller_id, mp_id, sku)
        if old:
            seed["createdDate"] = old["createdDate"]
        listing = req.state.add_listings([seed], req.seller_id)[0]
    return Response(200, submission(sku, "ACCEPTED", [], listing, mp_id))


def delete_listings_item(req):
    mp_id = _seller_and_marketplace(req, max_items=1)
    sku = req.params["sku"]
    with req.state.lock:
        req.state.listings.pop((req.seller_id, mp_id, sku), None)
    return Response(200, submission(sku, "ACCEPTED"))


# --------------------------------------------------------------------- feeds


def _document(state, content_type, seller_id, content=None):
    doc_id = f"amzn1.tortuga.4.eu.{uuid.uuid4()}"
    with state.lock:
        state.documents[doc_id] = {
            "feedDocumentId": doc_id,
            "contentType": content_type,
            "content": content,
            "sellerId": seller_id,
        }
    return doc_id


def document_url(state, doc_id):
    return f"{state.base_url}/_sandbox/feed-documents/{doc_id}"


def create_feed_document(req):
    body = strip_aliases(req.json())
    _check("feeds", "createFeedDocument", body)
    doc_id = _document(req.state, body["contentType"], req.seller_id)
    return Response(
        201, {"feedDocumentId": doc_id, "url": document_url(req.state, doc_id)}
    )


def create_feed(req):
    body = strip_aliases(req.json(), keep=("marketplaceIds",))
    _check("feeds", "createFeed", body)
    state = req.state
    with state.lock:
        document = state.documents.get(body["inputFeedDocumentId"])
        if document is None or document["sellerId"] != req.seller_id:
            raise invalid(f"Unknown inputFeedDocumentId {body['inputFeedDocumentId']}.")
        for mp_id in body["marketplaceIds"]:
            if mp_id not in state.sellers.get(req.seller_id, []):
                raise invalid(f"Invalid marketplaceId: {mp_id}.")
        feed_id = str(50000000000 + len(state.feeds) + 1)
        state.feeds[feed_id] = {
            "feedId": feed_id,
            "feedType": body["feedType"],
            "marketplaceIds": list(body["marketplaceIds"]),
            "createdTime": generate.iso(utcnow()),
            "processingStatus": "IN_QUEUE",
            "inputFeedDocumentId": body["inputFeedDocumentId"],
            "sellerId": req.seller_id,
            "_created": time.time(),
        }
    return Response(202, {"feedId": feed_id})


FEED_FIELDS = (
    "feedId",
    "feedType",
    "marketplaceIds",
    "createdTime",
    "processingStatus",
    "processingStartTime",
    "processingEndTime",
    "resultFeedDocumentId",
)


def public_feed(feed):
    return {k: feed[k] for k in FEED_FIELDS if k in feed}


def get_feed(req):
    state = req.state
    with state.lock:
        state.process_feeds()
        feed = state.feeds.get(req.params["feedId"])
        if feed is None or feed["sellerId"] != req.seller_id:
            raise not_found(f"Feed {req.params['feedId']} not found.")
        return Response(200, public_feed(feed))


def get_feed_document(req):
    with req.state.lock:
        document = req.state.documents.get(req.params["feedDocumentId"])
        if document is None or document["sellerId"] != req.seller_id:
            raise not_found(f"Feed document {req.params['feedDocumentId']} not found.")
    doc_id = document["feedDocumentId"]
    return Response(
        200, {"feedDocumentId": doc_id, "url": document_url(req.state, doc_id)}
    )


def _feed_message(state, feed, message):
    """Apply one JSON_LISTINGS_FEED message; return its issues."""
    sku = message.get("sku")
    mp_id = feed["marketplaceIds"][0]
    operation = message.get("operationType")
    key = (feed["sellerId"], mp_id, sku)
    listing = state.listings.get(key)
    if operation == "DELETE":
        state.listings.pop(key, None)
        return []
    if operation not in ("PATCH", "UPDATE", "PARTIAL_UPDATE"):
        return [issue("INVALID_OPERATION", f"Unsupported operationType {operation!r}.")]
    if operation == "PATCH":
        patches = message.get("patches") or []
    else:
        patches = [
            {"op": "replace", "path": f"/attributes/{name}", "value": value}
            for name, value in (message.get("attributes") or {}).items()
        ]
    if listing is None and operation != "UPDATE":
        return [issue("UNKNOWN_SKU", f"SKU '{sku}' has no listing in {mp_id}.")]
    changes, attributes, issues = plan_patches(patches)
    if issues:
        return issues
    if listing is None:
        state.add_listings(
            [
                {
                    "sku": sku,
                    "marketplaceId": mp_id,
                    "productType": message.get("productType", "PRODUCT"),
                    **changes,
                }
            ],
            feed["sellerId"],
        )
        return []
    apply_changes(listing, changes, attributes)
    return []


def _parse_feed(document):
    content = document.get("content")
    if content is None:
        raise ValueError("The feed document was never uploaded.")
    data = json.loads(content.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ValueError("A JSON_LISTINGS_FEED needs a header and a messages list.")
    return data


def process_feed(state, feed):
    """Turn a queued feed into DONE (or FATAL) with a processing report."""
    now = generate.iso(utcnow())
    feed.setdefault("processingStartTime", now)
    report = {
        "header": {
            "sellerId": feed["sellerId"],
            "version": "2.0",
            "feedId": feed["feedId"],
        },
        "issues": [],
        "summary": {
            "errors": 0,
            "warnings": 0,
            "messagesProcessed": 0,
            "messagesAccepted": 0,
            "messagesInvalid": 0,
        },
    }
    status = "DONE"
    try:
        if feed["feedType"] != "JSON_LISTINGS_FEED":
            raise ValueError("The sandbox only processes JSON_LISTINGS_FEED feeds.")
        data = _parse_feed(state.documents[feed["inputFeedDocumentId"]])
    except (ValueError, KeyError) as exc:
        status = "FATAL"
        report["issues"].append(
            {"messageId": 0, "code": "FATAL", "severity": "ERROR", "message": str(exc)}
        )
        report["summary"]["errors"] = 1
        data = {"messages": []}
    summary = report["summary"]
    for message in data["messages"]:
        message_id = message.get("messageId", summary["messagesProcessed"] + 1)
        issues = _feed_message(state, feed, message)
        summary["messagesProcessed"] += 1
        errors = [i for i in issues if i["severity"] == "ERROR"]
        summary["errors"] += len(errors)
        summary["warnings"] += len(issues) - len(errors)
        summary["messagesInvalid" if errors else "messagesAccepted"] += 1
        for found in issues:
            entry = {"messageId": message_id, "sku": message.get("sku"), **found}
            entry.pop("categories", None)
            report["issues"].append(entry)
    content = json.dumps(report, ensure_ascii=False).encode("utf-8")
    result_id = _document(state, "application/json", feed["sellerId"], content)
    feed.update(
        processingStatus=status,
        processingEndTime=generate.iso(utcnow()),
        resultFeedDocumentId=result_id,
    )


# ------------------------------------------------------------- FBA inventory


def get_inventory_summaries(req):
    if req.one("granularityType") != "Marketplace":
        raise invalid("granularityType must be Marketplace.")
    mp_id = req.one("granularityId")
    if not mp_id:
        raise invalid("Missing required parameter: granularityId.")
    ids = req.marketplace_ids()
    if not ids:
        raise invalid("Missing required parameter: marketplaceIds.")
    if mp_id not in req.state.sellers.get(req.seller_id, []):
        raise invalid(f"Invalid granularityId: {mp_id}.")
    wanted = set(req.many("sellerSkus")) | set(req.many("sellerSku"))
    details = (req.one("details") or "").lower() == "true"
    with req.state.lock:
        rows = [
            listing
            for listing in req.state.listings.values()
            if listing["sellerId"] == req.seller_id
            and listing["marketplaceId"] == mp_id
            and listing["fulfillmentChannel"] == "AMAZON"
            and (not wanted or listing["sku"] in wanted)
        ]
        rows.sort(key=lambda listing: listing["sku"])
    start = (
        int(req.one("nextToken") or 0) if (req.one("nextToken") or "0").isdigit() else 0
    )
    page = rows[start : start + 50]
    summaries = []
    for listing in page:
        summary = {
            "asin": listing["asin"],
            "fnSku": "X00" + listing["asin"][3:],
            "sellerSku": listing["sku"],
            "condition": "NewItem",
            "lastUpdatedTime": listing["lastUpdatedDate"],
            "productName": listing.get("title") or listing["sku"],
            "totalQuantity": listing["quantity"],
            "stores": [],
        }
        if details:
            summary["inventoryDetails"] = {
                "fulfillableQuantity": listing["quantity"],
                "inboundWorkingQuantity": 0,
                "inboundShippedQuantity": 0,
                "inboundReceivingQuantity": 0,
                "reservedQuantity": {
                    "totalReservedQuantity": 0,
                    "pendingCustomerOrderQuantity": 0,
                    "pendingTransshipmentQuantity": 0,
                    "fcProcessingQuantity": 0,
                },
                "researchingQuantity": {"totalResearchingQuantity": 0},
                "unfulfillableQuantity": {"totalUnfulfillableQuantity": 0},
            }
        summaries.append(summary)
    body = {
        "payload": {
            "granularity": {"granularityType": "Marketplace", "granularityId": mp_id},
            "inventorySummaries": summaries,
        }
    }
    if start + 50 < len(rows):
        body["pagination"] = {"nextToken": str(start + 50)}
    return Response(200, body)
