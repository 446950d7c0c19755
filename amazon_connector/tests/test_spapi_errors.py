# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every failure Amazon (or the network) can produce maps to one project exception.

All calls go through the real python-amazon-sp-api client over loopback HTTP.
"""

from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.amazon_connector import spapi
from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
    AmazonError,
    AmazonInvalidRequest,
    AmazonNotFound,
    AmazonServerError,
    AmazonThrottled,
)

from .common import (
    PARTICIPATIONS,
    PARTICIPATIONS_PATH,
    AmazonCoreCase,
    AmazonLoopbackCase,
)
from .loopback import TOKEN_PATH

OPERATION = "sellers.getMarketplaceParticipations"


def amazon_errors(code, message, details=""):
    return {"errors": [{"code": code, "message": message, "details": details}]}


@tagged("post_install", "-at_install")
class TestSpApiErrorMapping(AmazonLoopbackCase):
    """Against the scripted loopback Amazon."""

    def call(self):
        return self.account._spapi_call(OPERATION)

    def assert_maps_to(self, exception_class, retryable):
        # Not assertRaises: Odoo's rolls back a savepoint, and with it the account
        # state the seam records on authorization errors.
        try:
            self.call()
        except AmazonError as error:
            self.assertIsInstance(error, exception_class)
            self.assertEqual(error.retryable, retryable)
            return error
        self.fail(f"{exception_class.__name__} not raised")

    def test_a_success_returns_the_payload_member(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.assertEqual(self.call(), PARTICIPATIONS["payload"])

    def test_a_pagination_beside_the_payload_is_kept_for_the_caller(self):
        # FBA Inventory (fbaInventory.json, GetInventorySummariesResponse) pages
        # with a ``pagination`` member next to ``payload``.
        body = {
            "payload": {"granularity": {}, "inventorySummaries": [{"sellerSku": "A"}]},
            "pagination": {"nextToken": "page-2"},
        }
        self.server.route("GET", "/fba/inventory/v1/summaries", 200, body)
        data = self.account._spapi_call(
            "fbaInventory.getInventorySummaries",
            granularityType="Marketplace",
            granularityId="APJ6JRA9NG5V4",
            marketplaceIds=["APJ6JRA9NG5V4"],
        )
        self.assertEqual(data["inventorySummaries"], [{"sellerSku": "A"}])
        self.assertEqual(
            data["pagination"],
            {"nextToken": "page-2"},
            msg="the next page is reachable",
        )

    def test_429_with_errors_body_is_throttled_and_waits_one_rate_period(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            429,
            amazon_errors(
                "QuotaExceeded", "You exceeded your quota for the requested resource."
            ),
            headers={"x-amzn-RateLimit-Limit": "0.5"},
        )
        error = self.assert_maps_to(AmazonThrottled, retryable=True)
        self.assertEqual(error.retry_after, 2.0, msg="1 / rate of the RateLimit header")
        self.assertEqual(error.code, "QuotaExceeded")

    def test_429_with_empty_body_is_throttled_not_an_empty_success(self):
        # python-amazon-sp-api alone returns an empty response here and raises nothing.
        self.server.route(
            "GET", PARTICIPATIONS_PATH, 429, None, headers={"Retry-After": "7"}
        )
        error = self.assert_maps_to(AmazonThrottled, retryable=True)
        self.assertEqual(error.retry_after, 7.0, msg="Retry-After header wins")

    def test_429_without_any_hint_waits_the_default_delay(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 429, None)
        error = self.assert_maps_to(AmazonThrottled, retryable=True)
        self.assertGreater(error.retry_after, 0)

    def test_500_with_empty_body_is_a_retryable_server_error(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 500, None)
        error = self.assert_maps_to(AmazonServerError, retryable=True)
        self.assertIn("empty body", error.message)

    def test_503_with_html_body_is_a_retryable_server_error(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            503,
            "<html><body><h1>503 Service Unavailable</h1></body></html>",
            headers={"Content-Type": "text/html"},
        )
        error = self.assert_maps_to(AmazonServerError, retryable=True)
        self.assertEqual(error.status, 503)

    def test_500_with_errors_body_keeps_amazons_message(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            500,
            amazon_errors("InternalFailure", "We failed."),
        )
        error = self.assert_maps_to(AmazonServerError, retryable=True)
        self.assertIn("We failed.", error.message)

    def test_200_with_a_non_json_body_is_a_server_error(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 200, "<html>maintenance</html>")
        self.assert_maps_to(AmazonServerError, retryable=True)

    def test_403_is_an_authorization_error_that_marks_the_account(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            403,
            amazon_errors("Unauthorized", "Access to requested resource is denied."),
        )
        error = self.assert_maps_to(AmazonAuthError, retryable=False)
        self.assertIn("role", error.message, msg="the message suggests a missing role")
        self.assertEqual(self.account.state, "error")
        self.assertIn("Access to requested resource is denied", self.account.last_error)

    def test_401_with_empty_body_is_an_authorization_error(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 401, None)
        self.assert_maps_to(AmazonAuthError, retryable=False)

    def test_an_authorization_error_drops_the_cached_access_token(self):
        self.server.route(
            "GET", PARTICIPATIONS_PATH, 403, amazon_errors("Unauthorized", "No.")
        )
        self.assert_maps_to(AmazonAuthError, retryable=False)
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.call()
        self.assertEqual(
            len(self.server.token_requests()), 2, msg="a refused token is never reused"
        )

    def test_404_is_not_found(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            404,
            amazon_errors("NotFound", "No such resource."),
        )
        error = self.assert_maps_to(AmazonNotFound, retryable=False)
        self.assertEqual(error.code, "NotFound")

    def test_400_is_an_invalid_request_with_amazons_message(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            400,
            amazon_errors("InvalidInput", "Invalid input.", "createdAfter is missing"),
        )
        error = self.assert_maps_to(AmazonInvalidRequest, retryable=False)
        self.assertIn("Invalid input.", error.message)
        self.assertIn("createdAfter is missing", error.message)
        self.assertEqual(
            self.account.state, "draft", msg="a bad request is not a bad account"
        )

    def test_invalid_grant_at_lwa_is_an_authorization_error_and_sets_the_account_state(
        self,
    ):
        self.server.route(
            "POST",
            TOKEN_PATH,
            400,
            {
                "error": "invalid_grant",
                "error_description": "The request has an invalid grant",
            },
        )
        error = self.assert_maps_to(AmazonAuthError, retryable=False)
        self.assertEqual(error.code, "invalid_grant")
        self.assertEqual(self.account.state, "error")
        self.assertIn("invalid_grant", self.account.last_error)
        self.assertFalse(
            self.server.calls(PARTICIPATIONS_PATH), msg="no API call without token"
        )

    def test_invalid_client_at_lwa_is_an_authorization_error(self):
        self.server.route(
            "POST",
            TOKEN_PATH,
            401,
            {"error": "invalid_client", "error_description": "Bad."},
        )
        error = self.assert_maps_to(AmazonAuthError, retryable=False)
        self.assertIn("client id or secret", error.message)

    def test_lwa_answering_html_is_a_server_error(self):
        self.server.route("POST", TOKEN_PATH, 502, "<html>Bad gateway</html>")
        self.assert_maps_to(AmazonServerError, retryable=True)

    def test_unreachable_amazon_is_a_retryable_server_error(self):
        self.account.sp_api_endpoint = "http://127.0.0.1:9"
        error = self.assert_maps_to(AmazonServerError, retryable=True)
        self.assertEqual(error.code, "network")

    def test_a_slow_amazon_times_out_as_a_server_error(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS, delay=1.0)
        with patch.object(spapi, "SPAPI_READ_TIMEOUT", 0.2):
            error = self.assert_maps_to(AmazonServerError, retryable=True)
        self.assertEqual(error.code, "timeout")

    def test_last_error_never_contains_a_secret(self):
        secret = self.account.refresh_token
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            403,
            amazon_errors("Unauthorized", f"bad token {secret}"),
        )
        self.assert_maps_to(AmazonAuthError, retryable=False)
        self.assertNotIn(secret, self.account.last_error)

    def test_a_missing_path_parameter_is_an_invalid_request_before_any_call(self):
        with self.assertRaises(AmazonInvalidRequest):
            self.account._spapi_call("orders.getOrder")
        self.assertFalse(self.server.requests)

    def test_an_unknown_operation_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            self.account._spapi_call("orders.noSuchOperation")


@tagged("post_install", "-at_install")
class TestNoAmazonFromTests(AmazonCoreCase):
    def test_an_account_left_on_amazon_production_is_refused_under_tests(self):
        self.account.write({"sp_api_endpoint": False, "lwa_endpoint": False})
        with patch("socket.socket.connect") as connect:
            with self.assertRaisesRegex(AmazonServerError, "only reach loopback"):
                self.account._spapi_call(OPERATION)
        connect.assert_not_called()

    def test_a_document_url_outside_this_machine_is_refused_under_tests(self):
        with self.assertRaisesRegex(AmazonServerError, "only reach loopback"):
            spapi.download("https://tortuga-prod-eu.s3-eu-west-1.amazonaws.com/x")
