"""The sandbox HTTP server: routing, LWA, auth, rate limits, faults, request log."""

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import (
    control,
    generate,
    listings,
    listings_search,
    money,
    orders,
    seller_invoices,
    settlements,
    vendor,
)
from .http import ApiError, Request, Response, error_body
from .state import SandboxState

LOOPBACK_HOSTS = ("127.0.0.1",)

FAULT_ERRORS = {
    429: ("QuotaExceeded", "You exceeded your quota for the requested resource."),
    500: ("InternalFailure", "We encountered an internal error. Please try again."),
    503: ("ServiceUnavailable", "Service temporarily unavailable. Please try again."),
}


class Route:
    def __init__(self, method, template, api, operation, handler):
        self.method = method
        self.api = api
        self.operation = operation
        self.handler = handler
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.regex = re.compile(f"^{pattern}$")


ROUTES = [
    Route(
        "GET",
        "/sellers/v1/marketplaceParticipations",
        "sellers",
        "getMarketplaceParticipations",
        orders.get_marketplace_participations,
    ),
    Route(
        "GET",
        "/orders/2026-01-01/orders",
        "orders-2026",
        "searchOrders",
        orders.search_orders,
    ),
    Route(
        "GET",
        "/orders/2026-01-01/orders/{orderId}",
        "orders-2026",
        "getOrder",
        orders.get_order,
    ),
    Route("GET", "/orders/v0/orders", "orders-v0", "getOrders", orders.get_orders_v0),
    Route(
        "GET",
        "/orders/v0/orders/{orderId}",
        "orders-v0",
        "getOrder",
        orders.get_order_v0,
    ),
    Route(
        "GET",
        "/orders/v0/orders/{orderId}/orderItems",
        "orders-v0",
        "getOrderItems",
        orders.get_order_items_v0,
    ),
    Route(
        "GET",
        "/orders/v0/orders/{orderId}/address",
        "orders-v0",
        "getOrderAddress",
        orders.get_order_address_v0,
    ),
    Route(
        "GET",
        "/orders/v0/orders/{orderId}/buyerInfo",
        "orders-v0",
        "getOrderBuyerInfo",
        orders.get_order_buyer_info_v0,
    ),
    Route(
        "POST",
        "/orders/v0/orders/{orderId}/shipmentConfirmation",
        "orders-v0",
        "confirmShipment",
        orders.confirm_shipment,
    ),
    Route(
        "POST",
        "/orders/v0/orders/{orderId}/shipment",
        "orders-v0",
        "updateShipmentStatus",
        orders.update_shipment_status,
    ),
    Route(
        "POST",
        "/tokens/2021-03-01/restrictedDataToken",
        "tokens",
        "createRestrictedDataToken",
        orders.create_restricted_data_token,
    ),
    Route(
        "GET",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        "listings",
        "getListingsItem",
        listings.get_listings_item,
    ),
    Route(
        "PUT",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        "listings",
        "putListingsItem",
        listings.put_listings_item,
    ),
    Route(
        "PATCH",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        "listings",
        "patchListingsItem",
        listings.patch_listings_item,
    ),
    Route(
        "DELETE",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
        "listings",
        "deleteListingsItem",
        listings.delete_listings_item,
    ),
    Route(
        "POST",
        "/feeds/2021-06-30/documents",
        "feeds",
        "createFeedDocument",
        listings.create_feed_document,
    ),
    Route(
        "GET",
        "/feeds/2021-06-30/documents/{feedDocumentId}",
        "feeds",
        "getFeedDocument",
        listings.get_feed_document,
    ),
    Route(
        "POST", "/feeds/2021-06-30/feeds", "feeds", "createFeed", listings.create_feed
    ),
    Route(
        "GET", "/feeds/2021-06-30/feeds/{feedId}", "feeds", "getFeed", listings.get_feed
    ),
    Route(
        "GET",
        "/listings/2021-08-01/items/{sellerId}",
        "listings",
        "searchListingsItems",
        listings_search.search_listings_items,
    ),
    Route(
        "GET",
        "/fba/inventory/v1/summaries",
        "fba-inventory",
        "getInventorySummaries",
        listings.get_inventory_summaries,
    ),
    Route(
        "GET",
        "/vendor/orders/v1/purchaseOrders",
        "vendor-orders",
        "getPurchaseOrders",
        vendor.get_purchase_orders,
    ),
    Route(
        "GET",
        "/vendor/orders/v1/purchaseOrders/{purchaseOrderNumber}",
        "vendor-orders",
        "getPurchaseOrder",
        vendor.get_purchase_order,
    ),
    Route(
        "POST",
        "/vendor/orders/v1/acknowledgements",
        "vendor-orders",
        "submitAcknowledgement",
        vendor.submit_acknowledgement,
    ),
    Route(
        "GET",
        "/vendor/orders/v1/purchaseOrdersStatus",
        "vendor-orders",
        "getPurchaseOrdersStatus",
        vendor.get_purchase_orders_status,
    ),
    Route(
        "GET",
        "/vendor/directFulfillment/orders/2021-12-28/purchaseOrders",
        "vendor-df-orders",
        "getOrders",
        vendor.get_df_orders,
    ),
    Route(
        "GET",
        "/vendor/directFulfillment/orders/2021-12-28/purchaseOrders/{purchaseOrderNumber}",
        "vendor-df-orders",
        "getOrder",
        vendor.get_df_order,
    ),
    Route(
        "POST",
        "/vendor/directFulfillment/orders/2021-12-28/acknowledgements",
        "vendor-df-orders",
        "submitAcknowledgement",
        vendor.submit_df_acknowledgement,
    ),
    Route(
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shipmentConfirmations",
        "vendor-df-shipping",
        "submitShipmentConfirmations",
        vendor.submit_shipment_confirmations,
    ),
    Route(
        "POST",
        "/vendor/payments/v1/invoices",
        "vendor-invoices",
        "submitInvoices",
        vendor.submit_invoices,
    ),
    Route(
        "GET",
        "/vendor/transactions/v1/transactions/{transactionId}",
        "vendor-transaction-status",
        "getTransaction",
        vendor.get_transaction,
    ),
    Route(
        "GET",
        "/vendor/directFulfillment/transactions/2021-12-28/transactions/{transactionId}",
        "vendor-df-transactions",
        "getTransactionStatus",
        vendor.get_df_transaction_status,
    ),
    Route(
        "POST",
        "/vendor/directFulfillment/payments/v1/invoices",
        "vendor-df-payments",
        "submitInvoice",
        vendor.submit_df_invoice,
    ),
    Route(
        "POST",
        "/vendor/directFulfillment/inventory/v1/warehouses/{warehouseId}/items",
        "vendor-df-inventory",
        "submitInventoryUpdate",
        vendor.submit_inventory_update,
    ),
    Route(
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/packingSlips/{purchaseOrderNumber}",
        "vendor-df-shipping",
        "getPackingSlip",
        vendor.get_packing_slip,
    ),
    Route(
        "POST",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels/{purchaseOrderNumber}",
        "vendor-df-shipping",
        "createShippingLabels",
        vendor.create_shipping_labels,
    ),
    Route(
        "GET",
        "/vendor/directFulfillment/shipping/2021-12-28/shippingLabels/{purchaseOrderNumber}",
        "vendor-df-shipping",
        "getShippingLabel",
        vendor.get_shipping_label,
    ),
]

ROUTES += [Route(*spec) for spec in money.ROUTES]
ROUTES += [Route(*spec) for spec in settlements.ROUTES]
ROUTES += [Route(*spec) for spec in seller_invoices.ROUTES]

# APIs whose model declares error responses as one ``Error`` object.
BARE_ERROR_APIS = ("vendor-df-transactions",)

# Operations reachable with a grantless (client_credentials) token: none of the
# served ones are grantless, so those tokens are refused like Amazon does.
UNAUTHORIZED = (
    "Unauthorized",
    "Access to requested resource is denied.",
    "The access token you provided is revoked, malformed or invalid.",
)


def match_route(method, path):
    """(route, params) or (None, allowed_methods)."""
    allowed = []
    for route in ROUTES:
        found = route.regex.match(path)
        if found:
            if route.method == method:
                return route, found.groupdict()
            allowed.append(route.method)
    return None, allowed


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stalls
    server_version = "SPAPISandbox/1.0"

    def log_message(self, format, *args):
        return

    # One entry point for every method.
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    @property
    def state(self):
        return self.server.sandbox_state

    def dispatch(self):
        started = time.time()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(self.command, url.path, url.query, self.headers, body, self.state)
        if url.path == "/auth/o2/token":
            self.finish_response(req, self.lwa(req), "lwa", "token", started)
        elif url.path.startswith("/_sandbox/"):
            try:
                response = control.handle(self.server.sandbox, req)
                if response is None:
                    response = money.control(
                        self.server.sandbox, req, url.path.rstrip("/")[10:]
                    )
                if response is None:
                    response = settlements.control(
                        self.server.sandbox, req, url.path.rstrip("/")[10:]
                    )
            except ApiError as exc:
                response = Response(exc.status, exc.body())
            if response is not None:
                self.send(response)
            else:
                self.send(
                    Response(404, error_body("NotFound", "Unknown control path."))
                )
        else:
            self.api_call(req, started)

    def api_call(self, req, started):
        route, params = match_route(req.method, req.path)
        if route is None:
            code = 405 if params else 404
            message = "Method not allowed." if params else "Resource not found."
            self.finish_response(
                req,
                Response(code, error_body("NotFound", message)),
                "unknown",
                "unknown",
                started,
            )
            return
        req.params = params
        rate, _burst = self.state.rate_for(route.api, route.operation)
        limit = {"x-amzn-RateLimit-Limit": f"{rate:g}"}
        info = self.state.token_info(req.headers.get("x-amz-access-token"))
        if info is None or info["seller_id"] is None:
            response = Response(403, error_body(*UNAUTHORIZED), limit)
            self.finish_response(req, response, route.api, route.operation, started)
            return
        req.seller_id = info["seller_id"]
        req.token = info
        if not self.state.allow(req.seller_id, route.api, route.operation):
            code, message = FAULT_ERRORS[429]
            response = Response(429, error_body(code, message), limit)
            self.finish_response(req, response, route.api, route.operation, started)
            return
        fault = self.state.pick_fault(route.api, route.operation)
        if fault and self.apply_fault(req, fault, route, limit, started):
            return
        try:
            response = route.handler(req)
        except ApiError as exc:
            response = Response(exc.status, exc.body())
        response.headers.update(limit)
        if fault and fault.get("truncated"):
            self.send_truncated(req, response, route, started)
            return
        self.finish_response(req, response, route.api, route.operation, started)

    def apply_fault(self, req, fault, route, limit, started):
        """Serve a fault; False when the real handler must still run (truncated)."""
        if fault.get("timeout"):
            self.log(req, route.api, route.operation, 0, started, fault="timeout")
            self.server.stopping.wait(float(fault["timeout"]))
            self.close_connection = True
            return True
        if fault.get("truncated") and not fault.get("status"):
            return False
        if fault.get("malformed"):
            raw = b'{"payload": {"orders": [<html>Internal error'
            response = Response(int(fault.get("status", 200)), raw=raw, headers=limit)
            self.finish_response(req, response, route.api, route.operation, started)
            return True
        status = int(fault.get("status", 500))
        code, message = FAULT_ERRORS.get(status, ("InternalFailure", "Injected fault."))
        body = None if fault.get("empty_body") else error_body(code, message)
        response = Response(status, body, limit)
        self.finish_response(req, response, route.api, route.operation, started)
        return True

    def send_truncated(self, req, response, route, started):
        self.log(
            req, route.api, route.operation, response.status, started, fault="truncated"
        )
        payload = response.payload() or b'{"errors": []}'
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload[: max(1, len(payload) // 2)])
        self.wfile.flush()
        self.close_connection = True

    def log(self, req, api, operation, status, started, **extra):
        query = {k: v[0] if len(v) == 1 else v for k, v in req.query.items()}
        entry = {
            "operation": operation,
            "api": api,
            "method": req.method,
            "path": req.path,
            "query": query,
            "status": status,
            "time": generate.iso_ms(started),
            "duration": round(time.time() - started, 4),
            "sellerId": req.seller_id,
        }
        entry.update(extra)
        self.state.log_request(entry)

    def finish_response(self, req, response, api, operation, started):
        if (
            api in BARE_ERROR_APIS
            and response.status >= 400
            and isinstance(response.body, dict)
            and response.body.get("errors")
        ):
            # This model answers errors with one Error object, not an ErrorList.
            response.body = response.body["errors"][0]
        # Logged before sending: once a client has its answer, the call must be
        # in /_sandbox/requests (tests count calls right after making them).
        self.log(req, api, operation, response.status, started)
        self.send(response)

    def send(self, response):
        payload = response.payload()
        self.send_response(response.status)
        if payload or response.status != 204:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    # -------------------------------------------------------------------- LWA
    def lwa(self, req):
        if req.method != "POST":
            return Response(405, {"error": "invalid_request"})
        form = {k: v[-1] for k, v in parse_qs(req.raw_body.decode("utf-8")).items()}
        if not form and req.raw_body.strip().startswith(b"{"):
            try:
                form = json.loads(req.raw_body)
            except ValueError:
                form = {}
        return lwa_token(self.state, form)


def lwa_error(status, error, description):
    return Response(status, {"error": error, "error_description": description})


def lwa_token(state, form):
    client_id = form.get("client_id")
    grant = form.get("grant_type")
    if not client_id or state.clients.get(client_id) != form.get("client_secret"):
        return lwa_error(401, "invalid_client", "Client authentication failed")
    if grant == "refresh_token":
        refresh = form.get("refresh_token")
        entry = state.refresh_tokens.get(refresh or "")
        if not entry or entry["revoked"] or entry["client_id"] != client_id:
            return lwa_error(
                400,
                "invalid_grant",
                "The request has an invalid grant parameter : refresh_token",
            )
        token = state.issue_token(entry["seller_id"], refresh)
        return Response(
            200,
            {
                "access_token": token,
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )
    if grant == "client_credentials":
        scope = form.get("scope")
        if not scope:
            return lwa_error(400, "invalid_scope", "The request has an invalid scope")
        token = state.issue_token(None, kind="Atc", scope=scope)
        return Response(
            200,
            {
                "access_token": token,
                "scope": scope,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )
    return lwa_error(400, "unsupported_grant_type", "The grant type is not supported")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class SandboxServer:
    """The sandbox in a background thread.

    >>> srv = SandboxServer(port=0); srv.start(); srv.base_url
    'http://127.0.0.1:...'
    """

    def __init__(self, port=0, host="127.0.0.1", rate_scale=1.0, rate_limits=True):
        if host not in LOOPBACK_HOSTS:
            raise ValueError("the sandbox binds 127.0.0.1 only")
        self.host = host
        self.requested_port = int(port)
        self.state = SandboxState(rate_scale=rate_scale, rate_limits=rate_limits)
        self.httpd = None
        self.thread = None

    @property
    def port(self):
        return self.httpd.server_address[1] if self.httpd else self.requested_port

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        self.httpd = _Server((self.host, self.requested_port), Handler)
        self.httpd.sandbox = self
        self.httpd.sandbox_state = self.state
        self.httpd.stopping = threading.Event()
        self.state.base_url = self.base_url
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="spapi-sandbox", daemon=True
        )
        self.thread.start()
        return self

    def stop(self):
        if self.httpd is None:
            return
        self.httpd.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        if self.thread:
            self.thread.join(timeout=5)
        self.httpd = None
        self.thread = None

    def reset(self):
        self.state.reset()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
