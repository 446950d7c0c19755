# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import tagged

from .common import AmazonCoreCase


@tagged("post_install", "-at_install")
class TestNeutralize(AmazonCoreCase):
    def test_neutralizing_a_database_blanks_secrets_and_endpoints(self):
        self.account.write({"state": "connected"})
        self.env.flush_all()
        # Exactly what odoo.modules.neutralize.neutralize_database runs for us.
        queries = list(get_neutralization_queries(["amazon_connector"]))
        self.assertEqual(len(queries), 1)
        for query in queries:
            self.env.cr.execute(query)
        self.env.invalidate_all()
        for field_name in (
            "lwa_client_id",
            "lwa_client_secret",
            "refresh_token",
            "sp_api_endpoint",
            "lwa_endpoint",
        ):
            self.assertFalse(self.account[field_name], msg=field_name)
        self.assertEqual(self.account.state, "draft", msg="a copy is not connected")
        self.assertEqual(self.account.name, "Core Test IT", msg="business data is kept")
