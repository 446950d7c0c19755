# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os
from unittest.mock import patch

from odoo.tests import TransactionCase

from odoo.addons.amazon_connector import spapi

from .loopback import LoopbackAmazon

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


class AmazonCoreCase(TransactionCase):
    """An Italian seller account whose endpoints point nowhere (see connect_to)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
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
