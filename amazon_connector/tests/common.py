# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import copy
import gzip
import os
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from unittest.mock import patch

import jsonschema

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector import spapi
from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonServerError,
    AmazonThrottled,
)

from .loopback import LoopbackAmazon
from .spapi_models import load_model

# Nothing listens on the discard port: an account that is not pointed at a
# loopback server fails locally instead of reaching Amazon.
DEAD_ENDPOINT = "http://127.0.0.1:9"

CREDENTIALS = {
    "lwa_client_id": "amzn1.application-oa2-client.core-test",
    "lwa_client_secret": "amzn1.oa2-cs.v1.core-test-client-secret",
    "refresh_token": "Atzr|core-test-refresh-token-0123456789",
}

# Shaped like Amazon's getMarketplaceParticipations example (spapi-models/sellers.json).
PARTICIPATIONS = {
    "payload": [
        {
            "marketplace": {
                "id": mid,
                "countryCode": cc,
                "name": name,
                "defaultCurrencyCode": cur,
                "defaultLanguageCode": lang,
                "domainName": domain,
            },
            "storeName": "Core Test Store",
            "participation": {"isParticipating": part, "hasSuspendedListings": False},
        }
        for mid, cc, name, cur, lang, domain, part in (
            ("APJ6JRA9NG5V4", "IT", "Amazon.it", "EUR", "it_IT", "www.amazon.it", True),
            (
                "A1PA6795UKMFR9",
                "DE",
                "Amazon.de",
                "EUR",
                "de_DE",
                "www.amazon.de",
                True,
            ),
            (
                "A13V1IB3VIYZZH",
                "FR",
                "Amazon.fr",
                "EUR",
                "fr_FR",
                "www.amazon.fr",
                True,
            ),
            (
                "A1RKKUPIHCS9HS",
                "ES",
                "Amazon.es",
                "EUR",
                "es_ES",
                "www.amazon.es",
                False,
            ),
            (
                "A2ZV50J4W1RKNI",
                "US",
                "Non-Amazon",
                "USD",
                "en_US",
                "sim1.stores.amazon.com",
                True,
            ),
        )
    ]
}
PARTICIPATIONS_PATH = "/sellers/v1/marketplaceParticipations"


def clean_environment():
    """Environment without the variables python-amazon-sp-api reads behind our back."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SP_API_", "LWA_", "AWS_"))
    }
    return patch.dict(os.environ, env, clear=True)


class FakeAmazon:
    """Amazon behind the one seam, in memory: the fake of every addon's tests.

    Called as the seam is (see :func:`serving`): ``account._spapi_call(operation,
    **params)`` and the document transfers ``_spapi_upload`` / ``_spapi_download``.
    A test says what Amazon answers, per operation (``"orders.searchOrders"``):

    - :meth:`serve` a handler, ``handler(operation, params)`` returning the answer
      or raising (``"listings.*"``: every operation of an API, ``"*"``: the rest);
    - :meth:`answer` the same data at every call;
    - :meth:`pages` given in turn, one per call, behind next tokens;
    - :meth:`rows` filtered and paged as Amazon's list operations page;
    - ``errors[operation]`` raised at every call (``"*"``: at every request);
    - ``fail_calls[n]`` raised at the n-th call;
    - ``lost_answers``: operations Amazon takes, whose answer is lost on the way;
    - ``budget``: how many more calls Amazon answers before it throttles every call
      (``retry_after`` seconds), as its usage plan does after the burst.

    ``calls`` records the (operation, params) of every request, in order.
    """

    def __init__(self):
        self.calls = []
        self.handlers = {}
        self.errors = {}
        self.fail_calls = {}
        self.lost_answers = set()
        self.budget = None
        self.retry_after = 60.0
        self.expired_tokens = set()
        # operation -> Counter of the pages (by offset) :meth:`rows` answered
        self.reads = defaultdict(Counter)
        self.uploads = {}  # url -> data uploaded
        self.documents = {}  # url -> data to download
        self._offsets = {}  # token -> offset of the page it stands for
        self.serve("upload", self._upload)
        self.serve("download", self._download)

    # -- what Amazon answers ----------------------------------------------------
    def serve(self, operation, handler):
        """Answer ``operation`` with ``handler(operation, params)``; :return: handler"""
        self.handlers[operation] = handler
        return handler

    def answer(self, operation, data):
        """Answer ``operation`` with (a copy of) ``data`` at every call."""
        self.serve(operation, lambda operation, params: copy.deepcopy(data))

    def pages(self, operation, pages, key="orders"):
        """Answer ``operation`` with ``pages``, one per call, in turn.

        A page (a list of ``key`` items) is followed by a next token while pages
        remain; an exception in ``pages`` is raised instead; once all are given,
        the answer is an empty page.

        :return: the pages still to give, for the test to change
        """
        queue = list(pages)

        def answer(operation, params):
            if not queue:
                return {key: []}
            page = queue.pop(0)
            if isinstance(page, Exception):
                raise page
            data = {key: copy.deepcopy(page)}
            if queue:
                data["pagination"] = {"nextToken": f"token-{len(self.calls)}"}
            return data

        self.serve(operation, answer)
        return queue

    def rows(
        self,
        operation,
        rows,
        key="orders",
        page_size=100,
        match=None,
        token="nextToken",
        fresh_tokens=False,
    ):
        """Answer ``operation`` with ``rows`` as Amazon's list operations page.

        ``page_size`` rows at a time, only those ``match(row, params)`` accepts, the
        next page behind ``pagination.nextToken`` (sent back as ``params[token]``):
        the page's offset, or with ``fresh_tokens`` a token never given before.
        A token in ``expired_tokens`` is refused as Amazon refuses it.

        :return: the rows (the list served), for the test to change
        """

        def answer(operation, params):
            given = params.get(token)
            if given in self.expired_tokens:
                raise AmazonInvalidRequest(
                    "Invalid paginationToken.", code="InvalidInput", status=400
                )
            start = self._offsets[given] if given in self._offsets else int(given or 0)
            self.reads[operation][start] += 1
            found = [row for row in rows if match is None or match(row, params)]
            data = {key: copy.deepcopy(found[start : start + page_size])}
            end = start + page_size
            if end < len(found):
                next_token = (
                    f"token-{end}-{len(self.calls)}" if fresh_tokens else str(end)
                )
                self._offsets[next_token] = end
                data["pagination"] = {"nextToken": next_token}
            return data

        self.serve(operation, answer)
        return rows

    # -- what the test reads back -----------------------------------------------
    def queries(self, operation):
        """:return: the params of every call of ``operation``, in order"""
        return [params for op, params in self.calls if op == operation]

    def bodies(self, operation):
        return [params["body"] for params in self.queries(operation)]

    def count(self, operation):
        return len(self.queries(operation))

    def operations(self):
        return [op for op, _params in self.calls]

    def reset_calls(self):
        self.calls = []

    # -- the seam ---------------------------------------------------------------
    def __call__(self, account, operation, **params):
        self.calls.append((operation, copy.deepcopy(params)))
        return self._answer(operation, params)

    def upload(self, account, url, data, content_type):
        self.calls.append(("upload", {"url": url, "content_type": content_type}))
        return self._answer(
            "upload", {"url": url, "data": data, "content_type": content_type}
        )

    def download(self, account, url, compression=None):
        self.calls.append(("download", {"url": url}))
        return self._answer("download", {"url": url, "compression": compression})

    def _answer(self, operation, params):
        if len(self.calls) in self.fail_calls:
            raise self.fail_calls[len(self.calls)]
        error = self.errors.get(operation, self.errors.get("*"))
        if error is not None:
            raise error
        if self.budget is not None:
            if self.budget <= 0:
                raise AmazonThrottled(retry_after=self.retry_after)
            self.budget -= 1
        api = operation.partition(".")[0]
        handler = (
            self.handlers.get(operation)
            or self.handlers.get(f"{api}.*")
            or self.handlers.get("*")
        )
        if handler is None:
            raise AssertionError(f"unexpected call {operation}")
        answer = handler(operation, params)
        if operation in self.lost_answers:
            raise AmazonServerError(
                f"Amazon could not be reached for {operation} (ReadError).",
                code="network",
            )
        return answer

    def _upload(self, operation, params):
        self.uploads[params["url"]] = params["data"]

    def _download(self, operation, params):
        data = self.documents[params["url"]]
        return gzip.decompress(data) if params["compression"] == "GZIP" else data


@contextmanager
def serving(env, fake):
    """Amazon played by ``fake`` (a :class:`FakeAmazon`) behind the seam."""
    Account = type(env["amazon.account"])
    # plain functions: they become methods of the account
    with (
        patch.object(
            Account,
            "_spapi_call",
            lambda account, operation, **params: fake(account, operation, **params),
        ),
        patch.object(
            Account,
            "_spapi_upload",
            lambda account, url, data, content_type: fake.upload(
                account, url, data, content_type
            ),
        ),
        patch.object(
            Account,
            "_spapi_download",
            lambda account, url, compression=None: fake.download(
                account, url, compression
            ),
        ),
    ):
        yield fake


class AmazonCase(TransactionCase):
    """The base of every case of the addons that fakes the seam.

    Mail tracking is off (no chatter noise in what the tests count);
    :meth:`serve_amazon` puts a :class:`FakeAmazon` behind the seam.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))

    def serve_amazon(self, fake=None):
        """Amazon played by ``fake`` (a new :class:`FakeAmazon` by default) until
        the test ends; :return: the fake"""
        fake = fake or FakeAmazon()
        seam = serving(self.env, fake)
        seam.__enter__()
        self.addCleanup(seam.__exit__, None, None, None)
        return fake


class AmazonCoreCase(AmazonCase):
    """An Italian seller account whose endpoints point nowhere (see connect_to)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.it")
        cls.marketplace_it = cls.env.ref("amazon_connector.marketplace_it")
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Core Test IT",
                "region": "eu",
                "seller_id": "A3CORETEST",
                "home_marketplace_id": cls.marketplace_it.id,
                "sp_api_endpoint": DEAD_ENDPOINT,
                "lwa_endpoint": DEAD_ENDPOINT + "/auth/o2/token",
                **CREDENTIALS,
            }
        )

    def setUp(self):
        super().setUp()
        env_patch = clean_environment()
        env_patch.start()
        self.addCleanup(env_patch.stop)
        spapi.TOKEN_CACHE.clear()
        self.addCleanup(spapi.TOKEN_CACHE.clear)
        self.reset_budget()
        self.addCleanup(self.reset_budget)

    def reset_budget(self, account_ids=None):
        """Forget the (committed) rate budgets of the test accounts."""
        ids = list(account_ids or []) + [self.account.id]
        with self.env.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM amazon_rate_bucket WHERE account_id = ANY(%s)", (ids,)
            )

    def read_bucket(self, account_id, operation):
        """(rate, burst, tokens) as another worker sees them (a fresh cursor)."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                "SELECT rate, burst, tokens FROM amazon_rate_bucket "
                "WHERE account_id = %s AND operation = %s",
                (account_id, operation),
            )
            return cr.fetchone()

    def set_bucket(self, account_id, operation, seconds_ago=0, **values):
        """A budget of ``operation`` with ``values``, refilled ``seconds_ago``."""
        self.env["amazon.rate.bucket"]._acquire(account_id, operation, 1, 1)
        assignments = "".join(f"{name} = %s, " for name in values)
        with self.env.registry.cursor() as cr:
            cr.execute(
                f"UPDATE amazon_rate_bucket SET {assignments}refilled_at = "
                "(clock_timestamp() AT TIME ZONE 'UTC') - %s * interval '1 second' "
                "WHERE account_id = %s AND operation = %s",
                (*values.values(), seconds_ago, account_id, operation),
            )

    def connect_to(self, server, account=None):
        (account or self.account).write(
            {"sp_api_endpoint": server.base_url, "lwa_endpoint": server.token_url}
        )


class AmazonLoopbackCase(AmazonCoreCase):
    """The account connected to a scripted loopback Amazon, reset for every test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LoopbackAmazon().__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)

    def setUp(self):
        super().setUp()
        self.server.reset()
        self.connect_to(self.server)


def listing_item(
    sku,
    marketplaces,
    asin=None,
    ean=None,
    price="19.90",
    currency="EUR",
    quantity=5,
    status=("BUYABLE", "DISCOVERABLE"),
    issues=(),
):
    """An ``Item`` as searchListingsItems returns it (Amazon's sandbox shape)."""
    asin = asin or f"B0{abs(hash(sku)) % 10**8:08d}"
    item = {
        "sku": sku,
        "summaries": [
            {
                "marketplaceId": mkt,
                "asin": asin,
                "productType": "PRODUCT",
                "conditionType": "new_new",
                "status": list(status),
                "itemName": f"Item {sku}",
                "createdDate": "2025-02-01T00:00:00Z",
                "lastUpdatedDate": "2025-03-01T00:00:00Z",
            }
            for mkt in marketplaces
        ],
        "offers": [
            {
                "marketplaceId": mkt,
                "offerType": "B2C",
                "price": {"currencyCode": currency, "amount": price},
                "audience": {"value": "ALL", "displayName": "Sell on Amazon"},
            }
            for mkt in marketplaces
        ],
        "fulfillmentAvailability": [
            {"fulfillmentChannelCode": "DEFAULT", "quantity": quantity}
        ],
        "issues": list(issues),
        "attributes": {},
    }
    if ean:
        item["attributes"]["externally_assigned_product_identifier"] = [
            {"type": "ean", "value": ean, "marketplace_id": marketplaces[0]}
        ]
    return item


class ListingCase(AmazonCase):
    """An EU seller account on Italy and Germany; Amazon's Listings Items API.

    ``self.amazon`` serves the ``listings.*`` operations with payloads shaped by
    Amazon's own model (``listingsItems_2021-08-01.json``) and validates every
    request body and every response against that model with jsonschema, so a test
    passes only when the connector speaks Amazon's contract. ``amazon_items`` is
    the searchListingsItems catalogue (in creation order); ``refused`` maps a sku
    to the issues Amazon returns with status INVALID.
    """

    SELLER_ID = "A2SELLERLISTINGS"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.it = cls.env.ref("amazon_connector.marketplace_it")
        cls.de = cls.env.ref("amazon_connector.marketplace_de")
        cls.uk = cls.env.ref("amazon_connector.marketplace_uk")
        cls.eur = cls.it.currency_id
        cls.eur.active = True
        cls.account = cls.env["amazon.account"].create(cls._account_vals())
        cls.Product = cls.env["product.product"]
        cls.Listing = cls.env["amazon.listing"]
        model = load_model("listings")
        cls.listing_validators = {
            name: jsonschema.Draft4Validator(
                {"$ref": f"#/definitions/{name}", "definitions": model["definitions"]}
            )
            for name in (
                "ListingsItemPutRequest",
                "ListingsItemPatchRequest",
                "ListingsItemSubmissionResponse",
                "ItemSearchResults",
            )
        }
        search = model["paths"]["/listings/2021-08-01/items/{sellerId}"]["get"]
        params = {p["name"]: p for p in search["parameters"]}
        cls.included_data_enum = set(params["includedData"]["items"]["enum"])
        cls.max_page_size = params["pageSize"]["maximum"]

    @classmethod
    def _account_vals(cls):
        return {
            "name": "EU shop",
            "company_id": cls.env.company.id,
            "account_type": "seller",
            "region": "eu",
            "seller_id": cls.SELLER_ID,
            "home_marketplace_id": cls.it.id,
            "available_marketplace_ids": [(6, 0, (cls.it | cls.de | cls.uk).ids)],
            "active_marketplace_ids": [(6, 0, (cls.it | cls.de).ids)],
            "state": "connected",
        }

    def setUp(self):
        super().setUp()
        self.amazon_items = []
        self.refused = {}
        self.amazon = self.serve_amazon()
        self.amazon.serve("listings.*", self._listings_call)
        self.amazon.serve("listings.putListingsItem", self._put_listings_item)
        self.amazon.serve("listings.patchListingsItem", self._patch_listings_item)
        self.amazon.serve("listings.searchListingsItems", self._search_listings)

    @classmethod
    def _make_products(cls, count, prefix="P", barcode=False, **vals):
        return cls.env["product.product"].create(
            [
                dict(
                    {
                        "name": f"Product {prefix}{i:04d}",
                        "default_code": f"{prefix}{i:04d}",
                        "barcode": f"{barcode}{i:05d}" if barcode else False,
                        "list_price": 10.0 + i,
                    },
                    **vals,
                )
                for i in range(count)
            ]
        )

    # -- the Listings Items API -------------------------------------------------
    def assertFitsListingsModel(self, definition, instance):
        errors = sorted(
            self.listing_validators[definition].iter_errors(instance),
            key=lambda e: e.path,
        )
        if errors:
            raise AssertionError(
                f"{definition} does not fit Amazon's model: "
                + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
            )

    def _listings_request(self, operation, params):
        assert params.get("sellerId") == self.SELLER_ID, "wrong sellerId"
        marketplace_ids = params.get("marketplaceIds")
        assert isinstance(marketplace_ids, list) and marketplace_ids, (
            "marketplaceIds is a required list"
        )

    def _listings_call(self, operation, params):
        self._listings_request(operation, params)
        raise AssertionError(operation)

    def _submission(self, sku):
        issues = self.refused.get(sku) or []
        response = {
            "sku": sku,
            "status": "INVALID" if issues else "ACCEPTED",
            "submissionId": uuid.uuid4().hex,
            "issues": issues,
        }
        self.assertFitsListingsModel("ListingsItemSubmissionResponse", response)
        return response

    def _put_listings_item(self, operation, params):
        self._listings_request(operation, params)
        assert len(params["marketplaceIds"]) == 1, "put takes one marketplace"
        assert params.get("sku"), "sku path parameter missing"
        body = params["body"]
        self.assertFitsListingsModel("ListingsItemPutRequest", body)
        assert body["requirements"] == "LISTING_OFFER_ONLY", body["requirements"]
        attributes = body["attributes"]
        assert (
            "merchant_suggested_asin" in attributes
            or "externally_assigned_product_identifier" in attributes
        ), "an offer-only listing names its catalogue item"
        for name in ("condition_type", "purchasable_offer", "fulfillment_availability"):
            assert attributes.get(name), f"{name} missing"
        return self._submission(params["sku"])

    def _patch_listings_item(self, operation, params):
        self._listings_request(operation, params)
        body = params["body"]
        self.assertFitsListingsModel("ListingsItemPatchRequest", body)
        for op in body["patches"]:
            assert op["path"].startswith("/attributes/"), op["path"]
        return self._submission(params["sku"])

    def _search_listings(self, operation, params):
        self._listings_request(operation, params)
        assert set(params.get("includedData") or []) <= self.included_data_enum
        page_size = params.get("pageSize") or 10
        assert page_size <= self.max_page_size, "pageSize above Amazon's maximum"
        mkt = params["marketplaceIds"][0]
        matching = [
            item
            for item in self.amazon_items
            if any(s["marketplaceId"] == mkt for s in item.get("summaries", []))
        ]
        start = int(params.get("pageToken") or 0)
        page = matching[start : start + page_size]
        result = {"numberOfResults": len(matching), "items": copy.deepcopy(page)}
        if start + page_size < len(matching):
            result["pagination"] = {"nextToken": str(start + page_size)}
        self.assertFitsListingsModel("ItemSearchResults", result)
        return result
