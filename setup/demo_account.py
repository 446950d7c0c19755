# Run by ./setup/run through `odoo shell`: creates (or repoints) the demo Amazon
# account at the local SP-API sandbox. `env` is provided by odoo shell.
# ruff: noqa: F821
import os

SANDBOX = os.environ.get("AMAZON_SANDBOX_URL") or ""
Account = env["amazon.account"].sudo()
account = Account.search([("name", "=", "Demo (SP-API sandbox)")], limit=1)
values = {
    "name": "Demo (SP-API sandbox)",
    "account_type": "seller",
    "region": "eu",
    "seller_id": "A1SANDBOXSELLER",
    "lwa_client_id": "amzn1.application-oa2-client.sandbox",
    "lwa_client_secret": "sandbox-secret",
    "refresh_token": "Atzr|sandbox-refresh-token",
    "sp_api_endpoint": SANDBOX or False,
    "lwa_endpoint": (SANDBOX + "/auth/o2/token") if SANDBOX else False,
    "home_marketplace_id": env.ref("amazon_connector.marketplace_it").id,
}
if account:
    account.write(values)
else:
    account = Account.create(values)
state = "unconnected"
if SANDBOX:
    try:
        account.action_test_connection()
        state = account.state
    except Exception as exc:  # the demo must come up even if the sandbox is off
        state = "error: %s" % exc
env.cr.commit()
print(
    "DEMO-ACCOUNT %s (id %s) -> %s [%s]"
    % (account.name, account.id, SANDBOX or "-", state)
)
