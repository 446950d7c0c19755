# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared fixtures of the listings tests: a fake Listings Items API behind the seam.

The fake answers ``listings.*`` operations with payloads shaped by Amazon's own
model (``listingsItems_2021-08-01.json``) and validates every request body and
every response it serves against that model with jsonschema, so a test passes
only when the connector speaks Amazon's contract.
"""

import copy
import uuid
from unittest.mock import patch

import jsonschema

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector.exceptions import AmazonThrottled

from .spapi_models import load_model


class FakeListingsApi:
    """In-memory seller listings, served the way the Listings Items API does."""

    def __init__(self, seller_id):
        self.seller_id = seller_id
        self.model = load_model("listings")
        definitions = self.model["definitions"]
        self.validators = {
            name: jsonschema.Draft4Validator(
                {"$ref": f"#/definitions/{name}", "definitions": definitions}
            )
            for name in (
                "ListingsItemPutRequest",
                "ListingsItemPatchRequest",
                "ListingsItemSubmissionResponse",
                "ItemSearchResults",
            )
        }
        search = self.model["paths"]["/listings/2021-08-01/items/{sellerId}"]["get"]
        params = {p["name"]: p for p in search["parameters"]}
        self.included_data_enum = set(params["includedData"]["items"]["enum"])
        self.max_page_size = params["pageSize"]["maximum"]
        self.items = []  # searchListingsItems catalogue, in creation order
        self.calls = []  # (operation, params)
        self.refused = {}  # sku -> issues returned with status INVALID
        self.throttle_on_call = None  # raise AmazonThrottled from the n-th call on
        self.throttle_once = set()  # call numbers answered with "retry at once"

    # -- helpers for tests -------------------------------------------------
    def calls_of(self, operation):
        return [params for op, params in self.calls if op == operation]

    def reset_calls(self):
        self.calls = []

    def validate(self, definition, instance):
        errors = sorted(
            self.validators[definition].iter_errors(instance), key=lambda e: e.path
        )
        if errors:
            raise AssertionError(
                f"{definition} does not fit Amazon's model: "
                + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
            )

    # -- the seam ----------------------------------------------------------
    def handle(self, account, operation, params):
        self.calls.append((operation, copy.deepcopy(params)))
        if len(self.calls) in self.throttle_once:
            raise AmazonThrottled(retry_after=0)
        if self.throttle_on_call and len(self.calls) >= self.throttle_on_call:
            raise AmazonThrottled(retry_after=60)
        assert params.get("sellerId") == self.seller_id, "wrong sellerId"
        marketplace_ids = params.get("marketplaceIds")
        assert isinstance(marketplace_ids, list) and marketplace_ids, (
            "marketplaceIds is a required list"
        )
        api, _sep, operation_id = operation.partition(".")
        assert api == "listings", operation
        return getattr(self, f"_{operation_id}")(params)

    def _submission(self, sku, issues=None):
        issues = issues or []
        response = {
            "sku": sku,
            "status": "INVALID" if issues else "ACCEPTED",
            "submissionId": uuid.uuid4().hex,
            "issues": issues,
        }
        self.validate("ListingsItemSubmissionResponse", response)
        return response

    def _putListingsItem(self, params):
        assert len(params["marketplaceIds"]) == 1, "put takes one marketplace"
        assert params.get("sku"), "sku path parameter missing"
        body = params["body"]
        self.validate("ListingsItemPutRequest", body)
        assert body["requirements"] == "LISTING_OFFER_ONLY", body["requirements"]
        attributes = body["attributes"]
        assert (
            "merchant_suggested_asin" in attributes
            or "externally_assigned_product_identifier" in attributes
        ), "an offer-only listing names its catalogue item"
        for name in ("condition_type", "purchasable_offer", "fulfillment_availability"):
            assert attributes.get(name), f"{name} missing"
        return self._submission(params["sku"], self.refused.get(params["sku"]))

    def _patchListingsItem(self, params):
        body = params["body"]
        self.validate("ListingsItemPatchRequest", body)
        for op in body["patches"]:
            assert op["path"].startswith("/attributes/"), op["path"]
        return self._submission(params["sku"], self.refused.get(params["sku"]))

    def _searchListingsItems(self, params):
        assert set(params.get("includedData") or []) <= self.included_data_enum
        page_size = params.get("pageSize") or 10
        assert page_size <= self.max_page_size, "pageSize above Amazon's maximum"
        mkt = params["marketplaceIds"][0]
        matching = [
            item
            for item in self.items
            if any(s["marketplaceId"] == mkt for s in item.get("summaries", []))
        ]
        start = int(params.get("pageToken") or 0)
        page = matching[start : start + page_size]
        result = {"numberOfResults": len(matching), "items": copy.deepcopy(page)}
        if start + page_size < len(matching):
            result["pagination"] = {"nextToken": str(start + page_size)}
        self.validate("ItemSearchResults", result)
        return result

    @staticmethod
    def make_item(
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


class ListingCase(TransactionCase):
    """An EU seller account on Italy and Germany with the seam faked."""

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
        self.amazon = FakeListingsApi(self.SELLER_ID)
        fake = self.amazon

        def _spapi_call(account, operation, **params):
            return fake.handle(account, operation, params)

        self.startPatcher(
            patch.object(type(self.env["amazon.account"]), "_spapi_call", _spapi_call)
        )

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
