"""The control API under ``/_sandbox/`` (not part of Amazon's contract)."""

import copy
import re

from .http import ApiError, Response, invalid
from .listings import public_feed
from .state import DEMO_SELLER_ID

DOCUMENT = re.compile(r"^/_sandbox/feed-documents/(?P<id>[^/]+)$")
PATCHABLE = re.compile(
    r"^/_sandbox/(?P<kind>orders|vendor/purchase-orders|vendor/df-orders)/(?P<id>[^/]+)$"
)


def _seller(body):
    return body.get("sellerId") or body.get("seller_id") or DEMO_SELLER_ID


def _generate_options(spec):
    spec = dict(spec)
    count = int(spec.pop("count", 10))
    seed = spec.pop("seed", 0)
    spec.pop("sellerId", None)
    spec.pop("seller_id", None)
    return count, seed, spec


def post_orders(state, body):
    if "generate" in body:
        spec = body["generate"]
        count, seed, options = _generate_options(spec)
        orders = state.generate_orders(count, seed, seller_id=_seller(spec), **options)
        ids = [o["orderId"] for o in orders]
    elif isinstance(body.get("orders"), list):
        for order in body["orders"]:
            if not isinstance(order, dict) or not order.get("orderId"):
                raise invalid("Each order needs an orderId.")
        ids = state.add_orders(body["orders"], _seller(body))
    else:
        raise invalid('Send {"orders": [...]} or {"generate": {"count", "seed"}}.')
    return Response(201, {"orderIds": ids, "count": len(ids)})


def post_vendor(state, body, kind):
    if kind == "purchase-orders":
        add, generate, key = (
            state.add_purchase_orders,
            state.generate_purchase_orders,
            ("purchaseOrders"),
        )
    else:
        add, generate, key = state.add_df_orders, state.generate_df_orders, "orders"
    if "generate" in body:
        count, seed, options = _generate_options(body["generate"])
        numbers = [o["purchaseOrderNumber"] for o in generate(count, seed, **options)]
    else:
        orders = body.get(key) or body.get("orders") or body.get("purchaseOrders")
        if not isinstance(orders, list):
            raise invalid(f'Send {{"{key}": [...]}} or {{"generate": {{...}}}}.')
        numbers = add(orders)
    return Response(201, {"purchaseOrderNumbers": numbers, "count": len(numbers)})


def post_listings(state, body):
    if "generate" in body:
        spec = body["generate"]
        count, seed, options = _generate_options(spec)
        stored = state.generate_listings(count, seed, _seller(spec), **options)
    elif isinstance(body.get("listings"), list):
        for listing in body["listings"]:
            if not listing.get("sku"):
                raise invalid("Each listing needs a sku.")
        stored = state.add_listings(body["listings"], _seller(body))
    else:
        raise invalid('Send {"listings": [...]} or {"generate": {"count", "seed"}}.')
    return Response(201, {"listings": stored, "count": len(stored)})


def patch_resource(state, kind, identifier, changes):
    if kind == "orders":
        result = state.patch_order(identifier, changes)
    elif kind == "vendor/purchase-orders":
        result = state.patch_vendor(state.purchase_orders, identifier, changes)
    else:
        result = state.patch_vendor(state.df_orders, identifier, changes)
    if result is None:
        raise ApiError(404, "NotFound", f"{identifier} not found.")
    return Response(200, result)


def documents(state, req, doc_id):
    with state.lock:
        document = state.documents.get(doc_id)
        if document is None:
            return Response(404, {"errors": [{"code": "NotFound", "message": doc_id}]})
        if req.method == "PUT":
            document["content"] = req.raw_body
            document["uploadedContentType"] = req.headers.get("Content-Type")
            return Response(200, None)
        content = document.get("content") or b""
    return Response(200, raw=content, content_type=document["contentType"])


def _json(req):
    return req.json(required=False)


def _simple_get(state, name, req):
    if name == "requests":
        return state.request_log(req.one("operation"))
    if name == "feeds":
        state.process_feeds()
        return [
            {
                **public_feed(f),
                "sellerId": f["sellerId"],
                "inputFeedDocumentId": f["inputFeedDocumentId"],
            }
            for f in state.feeds.values()
        ]
    if name == "listings":
        return state.list_listings()
    if name == "orders":
        return list(state.orders.values())
    if name == "vendor/purchase-orders":
        return list(state.purchase_orders.values())
    if name == "vendor/df-orders":
        return list(state.df_orders.values())
    if name == "faults":
        return state.faults
    return getattr(state, name)


GETTABLE = {
    "requests",
    "shipments",
    "acknowledgements",
    "invoices",
    "inventory_updates",
    "transactions",
    "feeds",
    "listings",
    "orders",
    "vendor/purchase-orders",
    "vendor/df-orders",
    "faults",
}


def _post(server, req, name):
    state = server.state
    body = _json(req)
    if name == "reset":
        state.reset()
        return Response(200, {"status": "reset"})
    if name == "orders":
        return post_orders(state, body)
    if name in ("vendor/purchase-orders", "vendor/df-orders"):
        return post_vendor(state, body, name.split("/", 1)[1])
    if name == "listings":
        return post_listings(state, body)
    if name == "faults":
        rules = body.get("rules") if isinstance(body.get("rules"), list) else [body]
        return Response(201, {"rules": [state.add_fault(r) for r in rules]})
    if name == "transactions/failures":
        # Amazon's verdict on later submissions naming this document: Failure.
        if not body.get("document"):
            raise invalid("document is required.")
        errors = body.get("errors") or [
            {"code": "InvalidInput", "message": "Injected failure."}
        ]
        with state.lock:
            state.transaction_failures[body["document"]] = errors
        return Response(201, {"document": body["document"], "errors": errors})
    if name == "transactions/processing-reads":
        with state.lock:
            state.transaction_processing_reads = int(body.get("reads", 1))
        return Response(200, {"reads": state.transaction_processing_reads})
    if name == "rate-limits":
        state.set_rate_limits(body.get("scale"), body.get("enabled"))
        return Response(200, {"scale": state.rate_scale, "enabled": state.rate_limits})
    if name == "feeds/process":
        state.process_feeds(force=True)
        return Response(200, {"status": "processed"})
    if name == "lwa/revoke":
        found = state.revoke(
            body.get("refresh_token"), body.get("access_tokens", False)
        )
        return Response(200 if found else 404, {"revoked": found})
    if name == "lwa/restore":
        return Response(200, {"restored": state.restore(body.get("refresh_token"))})
    if name == "lwa/clients":
        if not body.get("client_id") or not body.get("client_secret"):
            raise invalid("client_id and client_secret are required.")
        state.add_client(
            body["client_id"],
            body["client_secret"],
            body.get("refresh_token"),
            body.get("seller_id"),
            body.get("marketplaces"),
        )
        return Response(201, {"client_id": body["client_id"]})
    return None


def handle(server, req):
    state = server.state
    path = req.path.rstrip("/")
    name = path[len("/_sandbox/") :]
    found = DOCUMENT.match(path)
    if found:
        return documents(state, req, found.group("id"))
    if req.method == "GET" and name == "health":
        return Response(
            200,
            {
                "status": "ok",
                "orders": len(state.orders),
                "listings": len(state.listings),
            },
        )
    if req.method == "GET" and name in GETTABLE:
        with state.lock:
            return Response(200, copy.deepcopy(_simple_get(state, name, req)))
    if req.method == "POST":
        return _post(server, req, name)
    if req.method == "DELETE" and name == "faults":
        state.clear_faults()
        return Response(200, {"rules": []})
    if req.method == "DELETE" and name == "requests":
        with state.lock:
            state.requests = []
        return Response(200, {"requests": []})
    found = PATCHABLE.match(path)
    if found and req.method == "PATCH":
        return patch_resource(state, found.group("kind"), found.group("id"), _json(req))
    return None
