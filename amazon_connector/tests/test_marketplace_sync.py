# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Test connection: Sellers getMarketplaceParticipations through the real library."""

from odoo.tests import tagged

from .common import (
    PARTICIPATIONS,
    PARTICIPATIONS_PATH,
    AmazonCoreCase,
    AmazonLoopbackCase,
)
from .loopback import TOKEN_PATH


@tagged("post_install", "-at_install")
class TestTestConnection(AmazonLoopbackCase):
    def setUp(self):
        super().setUp()
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)

    def marketplaces(self, *codes):
        return self.env["amazon.marketplace"].browse(
            [self.env.ref(f"amazon_connector.marketplace_{code}").id for code in codes]
        )

    def test_a_successful_test_fills_the_participating_marketplaces(self):
        self.account.home_marketplace_id = False
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.account.state, "connected")
        self.assertFalse(self.account.last_error)
        self.assertEqual(
            self.account.available_marketplace_ids,
            self.marketplaces("it", "de", "fr"),
            msg="participating marketplaces only; Spain is not participating",
        )
        self.assertEqual(
            self.account.active_marketplace_ids,
            self.marketplaces("it", "de", "fr"),
            msg="the first test activates every available marketplace",
        )
        self.assertEqual(
            self.account.home_marketplace_id,
            self.marketplaces("it"),
            msg="home marketplace defaults to the company's country",
        )

    def test_the_request_carries_the_token_lwa_issued_for_this_account(self):
        self.account.action_test_connection()
        (token_request,) = self.server.token_requests()
        (api_request,) = self.server.calls(PARTICIPATIONS_PATH)
        self.assertEqual(token_request["path"], TOKEN_PATH)
        self.assertTrue(
            api_request["headers"]["x-amz-access-token"].startswith("Atza|")
        )
        self.assertTrue(
            api_request["headers"]["user-agent"].startswith("python-sp-api")
        )
        self.assertFalse(api_request["query"], msg="no marketplace aliases added")

    def test_the_run_is_logged_with_unknown_marketplaces_as_lines(self):
        self.account.action_test_connection()
        log = self.account.sync_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(log.kind, "marketplaces")
        self.assertEqual(log.trigger, "manual")
        self.assertEqual(log.state, "done")
        self.assertEqual((log.fetched, log.updated, log.skipped), (5, 3, 2))
        self.assertEqual(log.line_ids.amazon_ref, "A2ZV50J4W1RKNI")
        self.assertEqual(self.account.sync_log_count, 1)

    def test_a_later_test_keeps_the_users_choice_of_active_marketplaces(self):
        self.account.action_test_connection()
        self.account.active_marketplace_ids = self.marketplaces("de")
        self.account.action_test_connection()
        self.assertEqual(self.account.active_marketplace_ids, self.marketplaces("de"))

    def test_revoked_authorization_shows_a_clear_message_and_sets_the_state(self):
        self.server.route(
            "POST",
            TOKEN_PATH,
            400,
            {
                "error": "invalid_grant",
                "error_description": "The request has an invalid grant",
            },
        )
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("Authorize the application again", action["params"]["message"])
        self.assertEqual(self.account.state, "error")
        self.assertIn("invalid_grant", self.account.last_error)
        self.assertEqual(self.account.sync_log_ids.state, "failed")

    def test_a_missing_role_is_explained(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            403,
            {"errors": [{"code": "Unauthorized", "message": "Access denied."}]},
        )
        action = self.account.action_test_connection()
        self.assertIn("role", action["params"]["message"])
        self.assertEqual(self.account.state, "error")

    def test_a_network_failure_is_explained(self):
        self.account.sp_api_endpoint = "http://127.0.0.1:9"
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("could not be reached", action["params"]["message"])
        self.assertEqual(self.account.state, "error")

    def test_a_payload_that_is_not_a_list_fails_the_run_cleanly(self):
        self.server.route(
            "GET", PARTICIPATIONS_PATH, 200, {"payload": {"unexpected": 1}}
        )
        action = self.account.action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.account.sync_log_ids.state, "failed")


@tagged("post_install", "-at_install")
class TestTestConnectionAgainstSandbox(AmazonCoreCase):
    """The same flow against the project's stateful SP-API sandbox (tests/sandbox)."""

    def test_test_connection_against_the_sandbox(self):
        # No skip: a missing sandbox is a failure of the test suite.
        from .sandbox_support import (
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            DEMO_REFRESH_TOKEN,
            SandboxServer,
        )

        server = SandboxServer(port=0).start()
        self.addCleanup(server.stop)
        self.account.write(
            {
                "lwa_client_id": DEMO_CLIENT_ID,
                "lwa_client_secret": DEMO_CLIENT_SECRET,
                "refresh_token": DEMO_REFRESH_TOKEN,
                "sp_api_endpoint": server.base_url,
                "lwa_endpoint": server.base_url + TOKEN_PATH,
            }
        )
        action = self.account.action_test_connection()
        self.assertEqual(
            action["params"]["type"], "success", msg=self.account.last_error
        )
        self.assertEqual(self.account.state, "connected")
        self.assertTrue(self.account.available_marketplace_ids)
