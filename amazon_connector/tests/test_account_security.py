# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credentials are readable and writable by system administrators only."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import CREDENTIALS, DEAD_ENDPOINT, AmazonCoreCase

SECRET_FIELDS = ["lwa_client_id", "lwa_client_secret", "refresh_token"]
ENDPOINT_FIELDS = ["sp_api_endpoint", "lwa_endpoint"]


@tagged("post_install", "-at_install")
class TestCredentialsThroughTheOrm(AmazonCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="amz_core_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )
        cls.amazon_user = new_test_user(
            cls.env,
            login="amz_core_user",
            groups="base.group_user,amazon_connector.amazon_connector_group_user",
        )
        cls.admin = new_test_user(
            cls.env,
            login="amz_core_admin",
            groups="base.group_system,amazon_connector.amazon_connector_group_manager",
        )

    def test_an_amazon_manager_cannot_read_the_secrets(self):
        account = self.account.with_user(self.manager)
        for field_name in SECRET_FIELDS + ENDPOINT_FIELDS:
            with self.assertRaises(AccessError, msg=field_name):
                account.read([field_name])
        values = account.read()[0]
        self.assertEqual(values["name"], "Core Test IT")
        self.assertFalse(set(SECRET_FIELDS + ENDPOINT_FIELDS) & set(values))

    def test_an_amazon_manager_cannot_write_or_search_the_secrets(self):
        account = self.account.with_user(self.manager)
        with self.assertRaises(AccessError):
            account.write({"refresh_token": "Atzr|stolen"})
        with self.assertRaises(AccessError):
            account.search([("refresh_token", "=", CREDENTIALS["refresh_token"])])

    def test_the_secret_fields_are_not_even_described_to_a_manager(self):
        described = self.env["amazon.account"].with_user(self.manager).fields_get()
        self.assertFalse(set(SECRET_FIELDS + ENDPOINT_FIELDS) & set(described))
        arch = (
            self.env["amazon.account"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn("refresh_token", arch)
        self.assertNotIn('name="credentials"', arch, msg="no Credentials page")

    def test_a_system_administrator_reads_and_writes_them(self):
        account = self.account.with_user(self.admin)
        self.assertEqual(account.refresh_token, CREDENTIALS["refresh_token"])
        account.write({"refresh_token": "Atzr|renewed-token"})
        self.assertEqual(account.refresh_token, "Atzr|renewed-token")
        arch = account.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="credentials"', arch)

    def test_a_manager_can_still_test_the_connection(self):
        # The seam reads the secrets as superuser on the manager's behalf.
        action = self.account.with_user(self.manager).action_test_connection()
        self.assertEqual(action["params"]["type"], "danger")  # the dead endpoint
        self.assertEqual(self.account.state, "error")

    def test_secrets_are_not_copied(self):
        copy = self.account.copy({"name": "Core Test IT copy"})
        for field_name in SECRET_FIELDS + ENDPOINT_FIELDS:
            self.assertFalse(copy[field_name], msg=field_name)

    def test_an_amazon_user_reads_accounts_but_cannot_change_them(self):
        account = self.account.with_user(self.amazon_user)
        self.assertEqual(account.name, "Core Test IT")
        with self.assertRaises(AccessError):
            account.write({"name": "Renamed"})

    def test_accounts_of_another_company_are_invisible(self):
        other = self.env["res.company"].create({"name": "Core Other Co"})
        self.manager.company_ids = [(4, other.id)]
        foreign = self.env["amazon.account"].create(
            {
                "name": "Foreign",
                "company_id": other.id,
                "sp_api_endpoint": DEAD_ENDPOINT,
            }
        )
        visible = (
            self.env["amazon.account"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.env.company.id])
            .search([])
        )
        self.assertIn(self.account, visible)
        self.assertNotIn(foreign, visible)


@tagged("post_install", "-at_install")
class TestCredentialsThroughJsonRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="amz_core_rpc_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Core RPC Account",
                "sp_api_endpoint": DEAD_ENDPOINT,
                "lwa_endpoint": DEAD_ENDPOINT,
                **CREDENTIALS,
            }
        )

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "amazon.account",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def assert_refused(self, method, args, kwargs=None):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.call_kw(method, args, kwargs)
        self.assertIn("AccessError", str(caught.exception))

    def test_a_manager_cannot_read_secrets_through_json_rpc(self):
        self.authenticate("amz_core_rpc_manager", "amz_core_rpc_manager")
        self.assert_refused("read", [[self.account.id], ["refresh_token"]])
        self.assert_refused("read", [[self.account.id], ["lwa_client_secret"]])
        self.assert_refused("search_read", [[], ["lwa_client_id"]])
        self.assert_refused(
            "web_read", [[self.account.id]], {"specification": {"refresh_token": {}}}
        )
        self.assert_refused(
            "search", [[("refresh_token", "=", CREDENTIALS["refresh_token"])]]
        )
        self.assert_refused(
            "write", [[self.account.id], {"lwa_endpoint": "http://evil"}]
        )

    def test_reading_everything_through_json_rpc_leaves_the_secrets_out(self):
        self.authenticate("amz_core_rpc_manager", "amz_core_rpc_manager")
        (values,) = self.call_kw("read", [[self.account.id]])
        self.assertEqual(values["name"], "Core RPC Account")
        text = str(values)
        for secret in CREDENTIALS.values():
            self.assertNotIn(secret, text)
        self.assertNotIn(DEAD_ENDPOINT, text)

    def test_an_administrator_reads_them_through_json_rpc(self):
        self.authenticate("admin", "admin")
        (values,) = self.call_kw("read", [[self.account.id], ["refresh_token"]])
        self.assertEqual(values["refresh_token"], CREDENTIALS["refresh_token"])
