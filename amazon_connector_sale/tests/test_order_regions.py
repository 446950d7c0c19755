# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Regions as Amazon sends them meet Odoo's states, per EU marketplace country."""

from odoo.tests import TransactionCase, tagged

# (country, stateOrRegion as Amazon sends it, code of Odoo's state)
SENT = {
    "DE": [
        ("BE", "DE-BE"),
        ("BY", "DE-BY"),
        ("NW", "DE-NW"),
        ("Bayern", "DE-BY"),
        ("Bavaria", "DE-BY"),
        ("Nordrhein-Westfalen", "DE-NW"),
        ("North Rhine-Westphalia", "DE-NW"),
        ("Baden-Wuerttemberg", None),  # spelt without the umlaut: no guess
        ("Baden-Württemberg", "DE-BW"),
        ("thüringen", "DE-TH"),
    ],
    "SE": [
        ("AC", "SE-AC"),
        ("O", "SE-O"),
        ("M", "SE-M"),
        ("Västerbottens län", "SE-AC"),
        ("Västerbotten", "SE-AC"),
        ("Skåne", "SE-M"),
        ("Stockholm", "SE-AB"),
    ],
    "IT": [
        ("MI", "MI"),
        ("FC", "FC"),
        ("Milano", "MI"),
        ("Milan", "MI"),
        ("Roma", "RM"),
        ("Forlì-Cesena", "FC"),
    ],
    "ES": [
        ("MA", "MA"),
        ("C", "C"),
        ("Málaga", "MA"),
        ("Malaga", "MA"),
        ("A Coruña", "C"),
        ("La Coruña", "C"),
        ("Alicante", "A"),
        ("Islas Baleares", "PM"),
        ("Valencia", "V"),
    ],
    "GB": [
        ("Greater London", "Q1"),
        ("London", "Q1"),
        ("West Yorkshire", "X7"),
        ("Kent", "O5"),
    ],
    "NL": [
        ("ZH", "ZH"),
        ("UT", "UT"),
        ("Zuid-Holland", "ZH"),
        ("South Holland", "ZH"),
        ("Noord-Brabant", "NB"),
    ],
    "BE": [
        ("VAN", "VAN"),
        ("Antwerp", "VAN"),
        ("Antwerpen", "VAN"),
        ("Liège", "WLG"),
        ("Luik", "WLG"),
        ("Oost-Vlaanderen", "VOV"),
        ("Hainaut", "WHT"),
    ],
    "IE": [
        ("D", "D"),
        ("Dublin", "D"),
        ("Co. Cork", "C"),
        ("County Galway", "G"),
    ],
    "TR": [
        ("06", "06"),
        ("Ankara", "06"),
    ],
}
# regions Odoo has no state for: the address keeps none, and no note is added
NO_NOTE = [("BE", "Brussels"), ("BE", "Bruxelles"), ("FR", "75"), ("PL", "MA")]


@tagged("post_install", "-at_install")
class TestOrderRegions(TransactionCase):
    def find(self, country_code, text):
        country = self.env["res.country"].search([("code", "=", country_code)])
        notes = []
        state = self.env["amazon.order.customer.matcher"]._find_state(
            country, text, notes
        )
        return state, notes

    def test_every_eu_marketplace_country_with_states_is_covered(self):
        marketplaces = self.env["amazon.marketplace"].search([("region", "=", "eu")])
        european = self.env.ref("base.europe").country_ids | self.env.ref("base.uk")
        with_states = {
            country.code
            for country in marketplaces.country_id & european
            if self.env["res.country.state"].search_count(
                [("country_id", "=", country.id)]
            )
        }
        self.assertLessEqual(
            with_states,
            set(SENT),
            msg="each European marketplace country with states has its cases here",
        )

    def test_regions_are_matched_as_amazon_sends_them(self):
        for country_code, cases in SENT.items():
            for text, expected in cases:
                with self.subTest(country=country_code, region=text):
                    state, notes = self.find(country_code, text)
                    self.assertEqual(
                        state.code or None,
                        expected,
                        msg=f"{country_code} {text!r} is Odoo's {expected}",
                    )
                    self.assertEqual(bool(notes), expected is None)

    def test_regions_odoo_has_no_state_for_leave_no_note(self):
        for country_code, text in NO_NOTE:
            with self.subTest(country=country_code, region=text):
                state, notes = self.find(country_code, text)
                self.assertFalse(state)
                self.assertEqual(notes, [], msg="no import note drowns the real ones")
