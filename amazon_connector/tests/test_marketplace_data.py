# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.amazon_connector.const import MARKETPLACE_IDS

# (xml id suffix, Amazon id, region, ISO country, currency, domain, prices incl. tax)
EXPECTED = [
    ("ca", "A2EUQ1WTGCTBG2", "na", "CA", "CAD", "amazon.ca", False),
    ("us", "ATVPDKIKX0DER", "na", "US", "USD", "amazon.com", False),
    ("mx", "A1AM78C64UM0Y8", "na", "MX", "MXN", "amazon.com.mx", True),
    ("br", "A2Q3Y263D00KWC", "na", "BR", "BRL", "amazon.com.br", True),
    ("ie", "A28R8C7NBKEWEA", "eu", "IE", "EUR", "amazon.ie", True),
    ("es", "A1RKKUPIHCS9HS", "eu", "ES", "EUR", "amazon.es", True),
    ("uk", "A1F83G8C2ARO7P", "eu", "GB", "GBP", "amazon.co.uk", True),
    ("fr", "A13V1IB3VIYZZH", "eu", "FR", "EUR", "amazon.fr", True),
    ("be", "AMEN7PMS3EDWL", "eu", "BE", "EUR", "amazon.com.be", True),
    ("nl", "A1805IZSGTT6HS", "eu", "NL", "EUR", "amazon.nl", True),
    ("de", "A1PA6795UKMFR9", "eu", "DE", "EUR", "amazon.de", True),
    ("it", "APJ6JRA9NG5V4", "eu", "IT", "EUR", "amazon.it", True),
    ("se", "A2NODRKZP88ZB9", "eu", "SE", "SEK", "amazon.se", True),
    ("za", "AE08WJ6YKNBMC", "eu", "ZA", "ZAR", "amazon.co.za", True),
    ("pl", "A1C3SOZRARQ6R3", "eu", "PL", "PLN", "amazon.pl", True),
    ("eg", "ARBP9OOSHTCHU", "eu", "EG", "EGP", "amazon.eg", True),
    ("tr", "A33AVAJ2PDY3EV", "eu", "TR", "TRY", "amazon.com.tr", True),
    ("sa", "A17E79C6D8DWNP", "eu", "SA", "SAR", "amazon.sa", True),
    ("ae", "A2VIGQ35RCS4UG", "eu", "AE", "AED", "amazon.ae", True),
    ("in", "A21TJRUUN4KGV", "eu", "IN", "INR", "amazon.in", True),
    ("sg", "A19VAU5U5O7RUS", "fe", "SG", "SGD", "amazon.sg", True),
    ("au", "A39IBJ37TRP1C6", "fe", "AU", "AUD", "amazon.com.au", True),
    ("jp", "A1VC38T7YXB528", "fe", "JP", "JPY", "amazon.co.jp", True),
]


@tagged("post_install", "-at_install")
class TestMarketplaceData(TransactionCase):
    def test_every_amazon_marketplace_is_shipped_with_its_facts(self):
        marketplaces = self.env["amazon.marketplace"].with_context(active_test=False)
        self.assertEqual(marketplaces.search_count([]), len(EXPECTED))
        for suffix, amazon_id, region, country, currency, domain, tax in EXPECTED:
            marketplace = self.env.ref(f"amazon_connector.marketplace_{suffix}")
            facts = (
                marketplace.marketplace_id,
                marketplace.region,
                marketplace.country_id.code,
                marketplace.currency_id.name,
                marketplace.domain,
                marketplace.price_includes_tax,
            )
            self.assertEqual(facts, (amazon_id, region, country, currency, domain, tax))
            self.assertEqual(MARKETPLACE_IDS[country], amazon_id)
            self.assertTrue(
                marketplace.seller_central_url.startswith("https://sellercentral")
            )
            self.assertTrue(marketplace.tz and marketplace.lang)

    def test_italy_as_the_contract_describes_it(self):
        italy = self.env.ref("amazon_connector.marketplace_it")
        self.assertEqual(italy.lang, "it_IT")
        self.assertEqual(italy.tz, "Europe/Rome")
        self.assertEqual(italy.endpoint, "https://sellingpartnerapi-eu.amazon.com")
        self.assertEqual(
            self.env["amazon.marketplace"]._find_by_amazon_id("APJ6JRA9NG5V4"), italy
        )
        self.assertEqual(
            self.env["amazon.marketplace"].name_search("amazon.it")[0][0], italy.id
        )

    def test_marketplace_views_load_with_their_time_zone_choices(self):
        """Amazon > Marketplaces crashed: the time zone selection called the
        partner's selection, which is a list in Odoo 18."""
        marketplace = self.env.ref("amazon_connector.marketplace_it")
        views = self.env["amazon.marketplace"].get_views(
            [(False, "list"), (False, "form")]
        )
        choices = dict(
            views["models"]["amazon.marketplace"]["fields"]["tz"]["selection"]
        )
        self.assertIn(
            marketplace.tz,
            choices,
            msg="the marketplace's time zone is one of the choices",
        )
