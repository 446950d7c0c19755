"""In-memory state of the sandbox: sellers and tokens, orders, listings, feeds,
vendor orders, what the connector sent, faults, rate limits and the request log.

Every public method is thread-safe (one re-entrant lock); tests may call them
directly (``srv.state.add_orders([...])``) for fast loading.
"""

import copy
import random
import secrets
import threading
import time
import uuid
from datetime import datetime, timezone

from . import generate
from .contract import usage_plan

DEMO_CLIENT_ID = "amzn1.application-oa2-client.sandbox"
DEMO_CLIENT_SECRET = "sandbox-secret"
DEMO_REFRESH_TOKEN = "Atzr|sandbox-refresh-token"
DEMO_SELLER_ID = "A1SANDBOXSELLER"
TOKEN_TTL = 3600


def utcnow():
    return datetime.now(timezone.utc).replace(microsecond=0)


def deep_merge(target, changes):
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        elif value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)
    return target


class TokenBucket:
    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self, rate):
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class SandboxState:
    def __init__(self, rate_scale=1.0, rate_limits=True):
        self.lock = threading.RLock()
        self.base_url = "http://127.0.0.1"
        self.rate_scale = float(rate_scale)
        self.rate_limits = bool(rate_limits)
        self.feed_delay = 1.0
        self.reset()

    # ------------------------------------------------------------------ reset
    def reset(self):
        with self.lock:
            self.clients = {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}
            self.refresh_tokens = {
                DEMO_REFRESH_TOKEN: {
                    "client_id": DEMO_CLIENT_ID,
                    "seller_id": DEMO_SELLER_ID,
                    "revoked": False,
                }
            }
            self.sellers = {DEMO_SELLER_ID: list(generate.MARKETPLACE_BY_ID)}
            # issued access tokens survive a reset (like Amazon's, they live 1 h)
            if not hasattr(self, "access_tokens"):
                self.access_tokens = {}
            self.orders = {}
            self.order_owner = {}
            self.listings = {}
            self.feeds = {}
            self.documents = {}
            self.purchase_orders = {}
            self.df_orders = {}
            self.shipments = []
            self.acknowledgements = []
            self.invoices = []
            # Vendor transactions (id -> record) and the failures to inject per
            # document (purchase order, invoice number or warehouse -> errors).
            self.transactions = {}
            self.transaction_failures = {}
            self.transaction_processing_reads = 1
            self.inventory_updates = []
            self.df_inventory = {}
            self.labels = {}
            self.requests = []
            self.faults = []
            self.buckets = {}
            self.cursors = {}
            self.money = {}  # refunds, returns and reports (money.py)

    # -------------------------------------------------------------------- LWA
    def add_client(
        self,
        client_id,
        client_secret,
        refresh_token=None,
        seller_id=None,
        marketplaces=None,
    ):
        with self.lock:
            self.clients[client_id] = client_secret
            if refresh_token:
                seller = seller_id or f"A{uuid.uuid4().hex[:12].upper()}"
                self.refresh_tokens[refresh_token] = {
                    "client_id": client_id,
                    "seller_id": seller,
                    "revoked": False,
                }
                self.sellers.setdefault(
                    seller, list(marketplaces or generate.MARKETPLACE_BY_ID)
                )

    def revoke(self, refresh_token, access_tokens=False):
        with self.lock:
            entry = self.refresh_tokens.get(refresh_token)
            if entry:
                entry["revoked"] = True
            if access_tokens:
                for token, info in list(self.access_tokens.items()):
                    if info.get("refresh_token") == refresh_token:
                        del self.access_tokens[token]
            return bool(entry)

    def restore(self, refresh_token):
        with self.lock:
            entry = self.refresh_tokens.get(refresh_token)
            if entry:
                entry["revoked"] = False
            return bool(entry)

    def issue_token(self, seller_id, refresh_token=None, kind="Atza", scope=None):
        token = f"{kind}|{secrets.token_urlsafe(32)}"
        with self.lock:
            self.access_tokens[token] = {
                "seller_id": seller_id,
                "refresh_token": refresh_token,
                "scope": scope,
                "kind": kind,
                "expires": time.time() + TOKEN_TTL,
            }
        return token

    def token_info(self, token):
        with self.lock:
            info = self.access_tokens.get(token or "")
            if not info or info["expires"] < time.time():
                return None
            return info

    # ----------------------------------------------------------------- orders
    def add_orders(self, orders, seller_id=DEMO_SELLER_ID):
        """Store Orders 2026-01-01 ``Order`` objects as given; return their ids."""
        ids = []
        with self.lock:
            for order in orders:
                order = copy.deepcopy(order)
                self.orders[order["orderId"]] = order
                self.order_owner[order["orderId"]] = seller_id
                ids.append(order["orderId"])
        return ids

    def generate_orders(self, count, seed, seller_id=DEMO_SELLER_ID, **options):
        with self.lock:
            orders = generate.generate_orders(count, seed, options, taken=self.orders)
            self.add_orders(orders, seller_id)
        return orders

    def patch_order(self, order_id, changes):
        """Deep-merge ``changes`` into an order; ``lastUpdatedTime`` moves to now.

        A shortcut ``{"status": "CANCELLED"}`` sets ``fulfillment.fulfillmentStatus``.
        """
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                return None
            changes = dict(changes)
            status = changes.pop("status", None)
            deep_merge(order, changes)
            if status:
                order.setdefault("fulfillment", {})["fulfillmentStatus"] = status
            if "lastUpdatedTime" not in changes:
                order["lastUpdatedTime"] = generate.iso(utcnow())
            return copy.deepcopy(order)

    def get_order(self, order_id, seller_id=None):
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                return None
            if seller_id and self.order_owner.get(order_id) != seller_id:
                return None
            return order

    def seller_orders(self, seller_id):
        with self.lock:
            return [
                o
                for oid, o in self.orders.items()
                if self.order_owner.get(oid) == seller_id
            ]

    # --------------------------------------------------------------- listings
    def add_listings(self, listings, seller_id=DEMO_SELLER_ID):
        stored = []
        now = generate.iso(utcnow())
        with self.lock:
            for seed in listings:
                listing = {
                    "sku": seed["sku"],
                    "asin": seed.get("asin") or generate.sku_asin(seed["sku"]),
                    "ean": seed.get("ean"),
                    "title": seed.get("title") or generate.sku_title(seed["sku"]),
                    "productType": seed.get("productType", "PRODUCT"),
                    "marketplaceId": seed.get("marketplaceId", "APJ6JRA9NG5V4"),
                    "price": str(seed["price"])
                    if seed.get("price") is not None
                    else None,
                    "currency": seed.get("currency")
                    or generate.MARKETPLACE_BY_ID.get(
                        seed.get("marketplaceId", "APJ6JRA9NG5V4"), ("", "EUR")
                    )[1],
                    "quantity": int(seed.get("quantity", 0)),
                    "fulfillmentChannel": seed.get("fulfillmentChannel", "DEFAULT"),
                    "conditionType": seed.get("conditionType", "new_new"),
                    "sellerId": seed.get("sellerId", seller_id),
                    "createdDate": seed.get("createdDate", now),
                    "lastUpdatedDate": now,
                    "attributes": copy.deepcopy(seed.get("attributes") or {}),
                }
                key = (listing["sellerId"], listing["marketplaceId"], listing["sku"])
                self.listings[key] = listing
                stored.append(listing)
        return copy.deepcopy(stored)

    def generate_listings(self, count, seed, seller_id=DEMO_SELLER_ID, **options):
        return self.add_listings(
            generate.generate_listings(count, seed, options), seller_id
        )

    def find_listing(self, seller_id, marketplace_id, sku):
        with self.lock:
            return self.listings.get((seller_id, marketplace_id, sku))

    def list_listings(self):
        with self.lock:
            self.process_feeds()
            return copy.deepcopy(list(self.listings.values()))

    # ----------------------------------------------------------------- vendor
    def add_purchase_orders(self, orders):
        with self.lock:
            for order in orders:
                self.purchase_orders[order["purchaseOrderNumber"]] = copy.deepcopy(
                    order
                )
        return [o["purchaseOrderNumber"] for o in orders]

    def generate_purchase_orders(self, count, seed, **options):
        orders = generate.generate_purchase_orders(count, seed, options)
        self.add_purchase_orders(orders)
        return orders

    def add_df_orders(self, orders):
        with self.lock:
            for order in orders:
                self.df_orders[order["purchaseOrderNumber"]] = copy.deepcopy(order)
        return [o["purchaseOrderNumber"] for o in orders]

    def generate_df_orders(self, count, seed, **options):
        orders = generate.generate_df_orders(count, seed, options)
        self.add_df_orders(orders)
        return orders

    def patch_vendor(self, store, number, changes):
        with self.lock:
            target = store.get(number)
            if target is None:
                return None
            deep_merge(target, changes)
            details = target.get("orderDetails", {})
            if "purchaseOrderChangedDate" in details or store is self.purchase_orders:
                details["purchaseOrderChangedDate"] = generate.iso(utcnow())
            return copy.deepcopy(target)

    # ------------------------------------------------------------------ feeds
    def process_feeds(self, force=False):
        """Process queued feeds older than ``feed_delay`` seconds (or all)."""
        from .listings import process_feed

        with self.lock:
            for feed in self.feeds.values():
                if feed["processingStatus"] in ("DONE", "FATAL", "CANCELLED"):
                    continue
                age = time.time() - feed["_created"]
                if force or age >= self.feed_delay:
                    process_feed(self, feed)
                elif (
                    age >= self.feed_delay / 2
                    and feed["processingStatus"] == "IN_QUEUE"
                ):
                    feed["processingStatus"] = "IN_PROGRESS"
                    feed["processingStartTime"] = generate.iso(utcnow())

    # ----------------------------------------------------- faults, rate limits
    def add_fault(self, rule):
        with self.lock:
            rule = dict(rule)
            rule.setdefault("id", uuid.uuid4().hex[:8])
            self.faults.append(rule)
            return rule

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def pick_fault(self, api, operation):
        with self.lock:
            for rule in self.faults:
                if not operation_matches(rule.get("operation"), api, operation):
                    continue
                if "count" in rule:
                    if rule["count"] <= 0:
                        continue
                    rule["count"] -= 1
                    return dict(rule)
                if random.random() < float(rule.get("rate", 1.0)):
                    return dict(rule)
            return None

    def rate_for(self, api, operation):
        rate, burst = usage_plan(api, operation)
        return rate * self.rate_scale, burst

    def allow(self, seller_id, api, operation):
        rate, burst = self.rate_for(api, operation)
        if not self.rate_limits:
            return True
        with self.lock:
            key = (seller_id, api, operation)
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = TokenBucket(rate, burst)
            return bucket.take(rate)

    def set_rate_limits(self, scale=None, enabled=None):
        with self.lock:
            if scale is not None:
                self.rate_scale = float(scale)
            if enabled is not None:
                self.rate_limits = bool(enabled)
            self.buckets = {}

    # ------------------------------------------------------------ request log
    def log_request(self, entry):
        with self.lock:
            self.requests.append(entry)

    def request_log(self, operation=None):
        with self.lock:
            return [
                dict(e)
                for e in self.requests
                if operation_matches(operation, e.get("api"), e.get("operation"))
            ]


def operation_matches(wanted, api, operation):
    """``wanted`` is an operationId (``getOrder``), ``api.operationId``
    (``orders-v0.getOrder``), ``*`` or empty (everything)."""
    if not wanted or wanted == "*":
        return True
    return wanted in (operation, f"{api}.{operation}")
