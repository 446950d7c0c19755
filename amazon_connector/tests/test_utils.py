# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..utils import as_dict, as_list, parse_datetime


@tagged("post_install", "-at_install")
class TestParseDatetime(BaseCase):
    """Amazon's ISO 8601 times, as every import reads them (one parser)."""

    def test_utc_offset_and_fractions_are_applied_not_dropped(self):
        self.assertEqual(
            parse_datetime("2026-03-01T10:00:00Z"), datetime(2026, 3, 1, 10, 0)
        )
        self.assertEqual(
            parse_datetime(" 2026-03-01T10:00:00.5+02:00 "),
            datetime(2026, 3, 1, 8, 0, 0, 500000),
        )
        self.assertEqual(
            parse_datetime("2026-03-01T00:30:00-05:00"), datetime(2026, 3, 1, 5, 30)
        )

    def test_what_is_not_a_time_is_none(self):
        for value in (None, "", "  ", "yesterday", 20260301, "2026-13-01T00:00:00Z"):
            with self.subTest(value=value):
                self.assertIsNone(parse_datetime(value))

    def test_payload_parts_of_the_wrong_shape_read_as_empty(self):
        self.assertEqual(as_dict(["a"]), {})
        self.assertEqual(as_list({"a": 1}), [])
        self.assertEqual(as_list([{"a": 1}, "b", None]), [{"a": 1}])
