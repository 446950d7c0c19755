# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each python-amazon-sp-api 2.1.35 trap (listed in ``amazon_connector/spapi.py``),
and how the seam avoids it."""

import logging
import os
import pathlib
import tempfile
from unittest.mock import patch

import httpx

from odoo.tests import tagged

from odoo.addons.amazon_connector import spapi
from odoo.addons.amazon_connector.const import (
    SPAPI_ENDPOINTS,
    SPAPI_LIBRARY_VERSION,
    SPAPI_OPERATIONS,
)
from odoo.addons.amazon_connector.exceptions import AmazonAuthError, AmazonThrottled

from .common import (
    CREDENTIALS,
    PARTICIPATIONS,
    PARTICIPATIONS_PATH,
    AmazonLoopbackCase,
)

sp_api = spapi.sp_api  # the library, as the seam imported it
OPERATION = "sellers.getMarketplaceParticipations"
ADDONS_ROOT = pathlib.Path(__file__).resolve().parents[2]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@tagged("post_install", "-at_install")
class TestSpApiLibraryTraps(AmazonLoopbackCase):
    def setUp(self):
        super().setUp()
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)

    # -- credentials --------------------------------------------------------
    def test_incomplete_credentials_never_fall_back_to_environment_or_config_file(self):
        self.account.refresh_token = False
        with tempfile.TemporaryDirectory() as home:
            config = pathlib.Path(home, ".config", "python-sp-api")
            config.mkdir(parents=True)
            config.joinpath("credentials.yml").write_text(
                "default:\n  refresh_token: Atzr|from-file\n"
                "  lwa_app_id: file-app\n  lwa_client_secret: file-secret\n"
            )
            environ = {
                "HOME": home,
                "XDG_CONFIG_HOME": str(pathlib.Path(home, ".config")),
                "SP_API_REFRESH_TOKEN": "Atzr|from-environment",
                "LWA_APP_ID": "env-app",
                "LWA_CLIENT_SECRET": "env-secret",
            }
            with (
                patch.dict(os.environ, environ),
                self.assertRaises(AmazonAuthError) as caught,
            ):
                self.account._spapi_call(OPERATION)
        self.assertEqual(caught.exception.code, "missing_credentials")
        self.assertFalse(
            self.server.requests, msg="nothing is sent with borrowed credentials"
        )

    def test_the_client_is_built_with_the_code_credential_provider_only(self):
        with (
            patch.object(
                spapi,
                "FromCodeCredentialProvider",
                wraps=spapi.FromCodeCredentialProvider,
            ),
            patch.dict(
                os.environ, {"LWA_APP_ID": "env-app", "LWA_CLIENT_SECRET": "env-x"}
            ),
        ):
            client = spapi.build_client(
                self.account._spapi_credentials(), SPAPI_OPERATIONS[OPERATION]
            )
        self.assertEqual(client.credentials.lwa_app_id, CREDENTIALS["lwa_client_id"])
        self.assertEqual(client.credentials.refresh_token, CREDENTIALS["refresh_token"])
        client.close()

    def test_lwa_receives_the_accounts_own_credentials(self):
        with patch.dict(
            os.environ, {"LWA_APP_ID": "env-app", "SP_API_REFRESH_TOKEN": "env"}
        ):
            self.account._spapi_call(OPERATION)
        form = self.server.form(self.server.token_requests()[0])
        self.assertEqual(form["client_id"], CREDENTIALS["lwa_client_id"])
        self.assertEqual(form["client_secret"], CREDENTIALS["lwa_client_secret"])
        self.assertEqual(form["refresh_token"], CREDENTIALS["refresh_token"])
        self.assertEqual(form["grant_type"], "refresh_token")

    # -- marketplace and environment ----------------------------------------
    def test_default_marketplace_variable_does_not_redirect_the_client(self):
        with patch.dict(os.environ, {"SP_API_DEFAULT_MARKETPLACE": "US"}):
            client = spapi.build_client(
                self.account._spapi_credentials(), SPAPI_OPERATIONS[OPERATION]
            )
            self.account._spapi_call(OPERATION)
        self.assertEqual(client.endpoint, self.server.base_url)
        self.assertEqual(client.marketplace_id, "APJ6JRA9NG5V4")
        self.assertEqual(client.region, "eu-west-1")
        client.close()
        self.assertEqual(len(self.server.calls(PARTICIPATIONS_PATH)), 1)

    def test_aws_env_sandbox_does_not_change_the_production_endpoint(self):
        self.account.sp_api_endpoint = False
        with (
            patch.dict(os.environ, {"AWS_ENV": "SANDBOX"}),
            patch.object(
                sp_api.base.marketplaces,
                "BASE_URL",
                "https://sandbox.sellingpartnerapi",
            ),
        ):
            client = spapi.build_client(
                self.account._spapi_credentials(), SPAPI_OPERATIONS[OPERATION]
            )
        self.assertEqual(client.endpoint, SPAPI_ENDPOINTS["eu"][0])
        self.assertEqual(client.endpoint, "https://sellingpartnerapi-eu.amazon.com")
        client.close()

    def test_the_host_header_names_the_real_host_even_over_plain_http(self):
        self.account._spapi_call(OPERATION)
        request = self.server.calls(PARTICIPATIONS_PATH)[0]
        self.assertEqual(
            request["headers"]["host"], self.server.base_url[len("http://") :]
        )

    # -- token cache ----------------------------------------------------------
    def test_access_tokens_are_cached_per_account_never_in_the_librarys_shared_cache(
        self,
    ):
        twin = self.account.copy({"name": "Core Test IT twin", **CREDENTIALS})
        self.connect_to(self.server, twin)
        self.account._spapi_call(OPERATION)
        twin._spapi_call(OPERATION)
        self.account._spapi_call(OPERATION)
        self.assertEqual(
            len(self.server.token_requests()),
            2,
            msg="same refresh token, two accounts: one token each, reused by each",
        )
        self.assertEqual(len(sp_api.auth.access_token_client.cache), 0)
        tokens = [
            r["headers"]["x-amz-access-token"]
            for r in self.server.calls(PARTICIPATIONS_PATH)
        ]
        self.assertNotEqual(tokens[0], tokens[1])
        self.assertEqual(tokens[0], tokens[2])
        self.reset_budget(twin.ids)

    def test_changing_the_refresh_token_forgets_the_cached_access_token(self):
        self.account._spapi_call(OPERATION)
        self.account.refresh_token = "Atzr|core-test-refresh-token-renewed"
        self.account._spapi_call(OPERATION)
        self.assertEqual(len(self.server.token_requests()), 2)

    # -- status codes ---------------------------------------------------------
    def test_the_library_alone_ignores_an_empty_429_the_seam_does_not(self):
        response = httpx.Response(429, content=b"")
        parsed = sp_api.base._core.parse_response(response, method="GET")
        self.assertEqual(parsed.payload, {}, msg="the trap: an empty success")
        self.server.route("GET", "/sellers/v1/account", 429, None)
        with self.assertRaises(AmazonThrottled):
            self.account._spapi_call("sellers.getAccount")

    # -- versions -------------------------------------------------------------
    def test_every_operation_uses_its_pinned_api_version(self):
        for key, operation in SPAPI_OPERATIONS.items():
            cls = spapi.client_class(operation.api_class, operation.version)
            if operation.version:
                self.assertIn(
                    operation.version.replace("-", "").upper(),
                    cls.__name__.upper(),
                    msg=f"{key} uses the {operation.version} implementation",
                )
                self.assertIn(f"/{operation.version}/", operation.path, msg=key)
        orders_v2026 = spapi.client_class("Orders", "2026-01-01")
        self.assertTrue(
            issubclass(
                orders_v2026, sp_api.api.orders.orders_2026_01_01.OrdersV20260101
            )
        )

    def test_search_orders_is_sent_to_the_2026_api_with_comma_delimited_lists(self):
        self.server.route(
            "GET", "/orders/2026-01-01/orders", 200, {"orders": [], "pagination": {}}
        )
        data = self.account._spapi_call(
            "orders.searchOrders",
            marketplaceIds=["APJ6JRA9NG5V4", "A1PA6795UKMFR9"],
            lastUpdatedAfter="2026-01-01T00:00:00Z",
        )
        self.assertEqual(
            data, {"orders": [], "pagination": {}}, msg="the whole body, unwrapped"
        )
        request = self.server.calls("/orders/2026-01-01/orders")[0]
        self.assertEqual(
            request["query"]["marketplaceIds"], "APJ6JRA9NG5V4,A1PA6795UKMFR9"
        )
        self.assertNotIn("MarketplaceIds", request["query"], msg="no library aliases")

    def test_path_parameters_are_quoted_and_bodies_sent_as_json(self):
        path = "/listings/2021-08-01/items/A3CORETEST/SKU%2F1%20A"
        self.server.route("PATCH", path, 200, {"sku": "SKU/1 A", "status": "ACCEPTED"})
        data = self.account._spapi_call(
            "listings.patchListingsItem",
            sellerId="A3CORETEST",
            sku="SKU/1 A",
            marketplaceIds=["APJ6JRA9NG5V4"],
            body={"productType": "PRODUCT", "patches": []},
        )
        self.assertEqual(data["status"], "ACCEPTED")
        request = self.server.calls(method="PATCH")[0]
        self.assertEqual(request["body"], b'{"productType": "PRODUCT", "patches": []}')

    def test_the_library_version_is_the_one_the_seam_was_checked_against(self):
        self.assertEqual(sp_api.__version__.__version__, SPAPI_LIBRARY_VERSION)

    # -- logs -------------------------------------------------------------------
    def test_the_access_token_never_reaches_the_logs_even_at_debug_level(self):
        capture = _Capture()
        root = logging.getLogger()
        library_logger = logging.getLogger("sp_api.base.client")
        library_logger.setLevel(logging.DEBUG)
        root.addHandler(capture)
        try:
            self.account._spapi_call(OPERATION)
            library_logger.setLevel(logging.DEBUG)
            library_logger.debug(
                "Request Headers: %s", {"x-amz-access-token": "Atza|leak"}
            )
            library_logger.info("token x-amz-access-token: Atza|leak2 seen")
        finally:
            root.removeHandler(capture)
            library_logger.setLevel(logging.INFO)
        issued = self.server.calls(PARTICIPATIONS_PATH)[0]["headers"][
            "x-amz-access-token"
        ]
        text = "\n".join(capture.messages)
        for secret in (issued, "Atza|leak", "Atza|leak2", *CREDENTIALS.values()):
            self.assertNotIn(secret, text)
        self.assertIn("SP-API sellers.getMarketplaceParticipations -> 200", text)

    def test_building_a_client_keeps_the_library_loggers_above_debug(self):
        logging.getLogger("sp_api.base.client").setLevel(logging.DEBUG)
        spapi.build_client(
            self.account._spapi_credentials(), SPAPI_OPERATIONS[OPERATION]
        ).close()
        self.assertGreaterEqual(
            logging.getLogger("sp_api.base.client").level, logging.INFO
        )

    # -- the seam is the only importer ----------------------------------------------
    def test_only_the_seam_imports_sp_api(self):
        offenders = []
        for addon in ADDONS_ROOT.glob("amazon_connector*"):
            for source in addon.rglob("*.py"):
                if source.name == "spapi.py" or "tests" in source.parts:
                    continue
                text = source.read_text()
                if "import sp_api" in text or "from sp_api" in text:
                    offenders.append(str(source))
        self.assertFalse(
            offenders, msg="only amazon_connector/spapi.py may import sp_api"
        )
